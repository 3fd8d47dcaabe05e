import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCct } from '../../helpers/cct';
import { TempTree } from '../transcript/engine';
import { assistant, jsonl, prompt } from '../transcript/lines';

const S = 'cccccccc-0000-4000-8000-00000000000d';
const PLANTED = 'zqx9-Hk3mP8vQ2wL7nR4tY6uB';

describe('cct remask', () => {
  let tree: TempTree;
  let env: Record<string, string>;
  let db: string;
  let rules: string;
  before(async () => {
    tree = new TempTree();
    env = { CCT_DATA_DIR: path.join(tree.root, 'data') };
    db = path.join(tree.root, 'elsewhere', 'store.db');
    rules = path.join(tree.root, 'rules.json');
    fs.writeFileSync(
      rules,
      JSON.stringify([{ id: 'zqx', category: 'zqx_token', keywords: ['zqx9-'], pattern: 'zqx9-[A-Za-z0-9]{20}' }]),
    );
    tree.write(
      `-home-dev-x/${S}.jsonl`,
      jsonl(
        prompt({ uuid: 'u1', sessionId: S, ts: '2026-11-20T10:00:00.000Z', text: `token ${PLANTED}` }),
        assistant({
          uuid: 'a1',
          sessionId: S,
          ts: '2026-11-20T10:00:01.000Z',
          msgId: 'm1',
          usage: { in: 1, out: 1 },
          block: { type: 'text', text: 'ok' },
        }),
      ),
    );
    const r = await runCct(['scan', '--root', tree.projects, '--db', db, '--serial', '--json'], env);
    assert.equal(r.code, 0, r.err);
  });
  after(() => tree.dispose());

  it('names a store that must exist; no key file is made for a typo', async () => {
    const missing = path.join(tree.root, 'typo', 'store.db');
    const r = await runCct(['remask', '--db', missing, '--rules', rules], env);
    assert.equal(r.code, 1);
    assert.match(r.err, /no store at/);
    assert.equal(fs.existsSync(path.dirname(missing)), false);
  });

  it('refuses a bad level or rules file before touching the store', async () => {
    const before = fs.readFileSync(db);
    const bad = path.join(tree.root, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify([{ id: 'x', category: 'x', keywords: ['ab'], pattern: 'a+' }]));
    for (const argv of [
      ['remask', '--db', db, '--rules', bad],
      ['remask', '--db', db, '--level', 'paranoid'],
    ]) {
      const r = await runCct(argv, env);
      assert.equal(r.code, 2, r.err);
    }
    assert.deepEqual(fs.readFileSync(db), before);
  });

  it('says what it did: rows, MB, changed and re-queued; the export no longer shows the planted value', async () => {
    const r = await runCct(['remask', '--db', db, '--rules', rules], env);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /^done: \d+ rows, \d+\.\d MB scanned in \d+\.\d s\nchanged: 1 rows; queued for sync again: 1\n/,
    );
    const exported = await runCct(['export', S, '--db', db, '--format', 'json'], env);
    assert.ok(!exported.out.includes(PLANTED));
    assert.match(exported.out, /\[REDACTED:zqx_token:[0-9a-f]{8}\]/);
    const json = await runCct(['remask', '--db', db, '--rules', rules, '--json'], env);
    const rep = JSON.parse(json.out) as { changed: number; cancelled: boolean; scrub: { walTruncated: boolean } };
    assert.equal(rep.changed, 0);
    assert.equal(rep.cancelled, false);
    assert.equal(rep.scrub.walTruncated, true);
  });
});
