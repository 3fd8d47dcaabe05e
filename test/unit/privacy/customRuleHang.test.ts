import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCctProcess } from '../../helpers/cctProcess';
import { jsonl, prompt } from '../transcript/lines';

/**
 * Issue 14 §5: adjacent bounded quantifiers pass the unsafe-pattern check, yet backtrack polynomially on V8
 * (a 500-char text takes hours). User patterns now run on a linear-time engine (RE2 semantics).
 * Each command runs in a child process the harness kills after KILL_MS: the assertion is that it finishes.
 */
const ADJACENT = {
  id: 'adjacent',
  category: 'x_token',
  keywords: ['aa'],
  pattern: '[a]{0,200}[a]{0,200}[a]{0,200}[a]{0,200}b',
};
/** Far above a normal run (a second or two to start tsx), far below the hang (hours). */
const KILL_MS = 45_000;

describe('custom rules cannot hang the CLI (adjacent bounded quantifiers)', function () {
  this.timeout(KILL_MS + 15_000);
  let dir: string;
  let rules: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-hang-'));
    rules = path.join(dir, 'rules.json');
    fs.writeFileSync(rules, JSON.stringify([ADJACENT]));
    env = { CCT_MASK_KEY_FILE: path.join(dir, 'mask.key'), CCT_DATA_DIR: path.join(dir, 'data') };
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('cct mask --rules finishes on 500 characters, and the rule still masks what it matches', async () => {
    const text = `${'a'.repeat(500)} then aaab`;
    const r = await runCctProcess(['mask', '--rules', rules], { env, stdin: text, killAfterMs: KILL_MS });
    assert.equal(r.killed, false, `cct mask did not finish within ${KILL_MS} ms`);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^a{500} then \[REDACTED:x_token:[0-9a-f]{8}\]$/);
  });

  it('cct scan --rules finishes on a 300-character prompt', async () => {
    const projects = path.join(dir, 'cfg', 'projects', '-p');
    fs.mkdirSync(projects, { recursive: true });
    const sid = 'eeeeeeee-0000-4000-8000-000000000001';
    fs.writeFileSync(
      path.join(projects, `${sid}.jsonl`),
      jsonl(prompt({ uuid: `${sid}-u0`, sessionId: sid, ts: '2026-11-01T00:00:00.000Z', text: 'a'.repeat(300) })),
    );
    const r = await runCctProcess(
      [
        'scan',
        '--serial',
        '--json',
        '--root',
        path.join(dir, 'cfg'),
        '--db',
        path.join(dir, 'store.db'),
        '--rules',
        rules,
      ],
      { env, killAfterMs: KILL_MS },
    );
    assert.equal(r.killed, false, `cct scan did not finish within ${KILL_MS} ms`);
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).interactions, 1);
  });
});
