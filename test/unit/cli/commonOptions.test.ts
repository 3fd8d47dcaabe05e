import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCct } from '../../helpers/cct';
import { TempTree } from '../transcript/engine';
import { assistant, jsonl, prompt } from '../transcript/lines';

const SECRET = `ghp_${'Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8'}`;
const S = 'cccccccc-0000-4000-8000-00000000000c';
const tagOf = (text: string) => text.match(/«[^»]*github[^»]*»/)?.[0];

describe('common options: --db and --json', () => {
  let tree: TempTree;
  let env: Record<string, string>;
  let db: string;
  before(async () => {
    tree = new TempTree();
    // no CCT_HMAC_KEY: keys come from files, the data dir's or the one next to an explicit store
    env = { CCT_DATA_DIR: path.join(tree.root, 'data') };
    db = path.join(tree.root, 'elsewhere', 'store.db');
    tree.write(
      `-home-dev-x/${S}.jsonl`,
      jsonl(
        prompt({ uuid: 'u1', sessionId: S, ts: '2026-11-20T10:00:00.000Z', text: `token ${SECRET}` }),
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

  it("cct mask --db FILE masks with that store's key: the same tag as `cct scan --db FILE` stored", async () => {
    const exported = await runCct(['export', S, '--db', db, '--format', 'json'], env);
    const stored = tagOf(exported.out);
    assert.ok(stored, exported.out);
    const withDb = await runCct(['mask', '--db', db], env, `token ${SECRET}\n`);
    assert.equal(withDb.code, 0, withDb.err);
    assert.equal(withDb.out, `token ${stored}\n`);
    // without --db: the data dir's key, another tag
    const dataDirKey = await runCct(['mask'], env, `token ${SECRET}\n`);
    assert.equal(dataDirKey.code, 0, dataDirKey.err);
    assert.notEqual(tagOf(dataDirKey.out), stored);
  });

  it('cct mask --db names a store that must exist; no key file is made for a typo', async () => {
    const missing = path.join(tree.root, 'typo', 'store.db');
    const r = await runCct(['mask', '--db', missing], env, 'x\n');
    assert.equal(r.code, 1);
    assert.match(r.err, /no store at/);
    assert.equal(fs.existsSync(path.dirname(missing)), false);
  });

  it('cct mask --json: one {"text","findings"} object', async () => {
    const r = await runCct(['mask', '--json', '--db', db], env, `a ${SECRET}`);
    assert.equal(r.code, 0, r.err);
    const o = JSON.parse(r.out);
    assert.equal(o.text, `a ${tagOf(o.text)}`);
    assert.deepEqual(o.findings, [
      { start: 2, end: 2 + SECRET.length, category: 'github_token', ruleId: 'github-classic-token' },
    ]);
  });

  it('every command the README lists takes --db FILE and --json', async () => {
    const sync = { ...env, SUPABASE_URL: 'http://127.0.0.1:9', SUPABASE_ANON_KEY: 'sb_publishable_x' };
    const cases: [string[], Record<string, string>][] = [
      [['scan', '--root', tree.projects, '--serial'], env],
      [['sessions'], env],
      [['report', 'daily', '--tz', 'UTC'], env],
      [['export', S], env],
      [['mask'], env],
      [['doctor'], env],
    ];
    for (const [argv, e] of cases) {
      const r = await runCct([...argv, '--db', db, '--json'], e, '');
      assert.doesNotMatch(r.err, /unknown option/, `${argv.join(' ')}: ${r.err}`);
      assert.doesNotThrow(() => JSON.parse(r.out), `${argv.join(' ')} --json: ${r.out}${r.err}`);
    }
    // not signed in: refused (exit 3) after the options were read
    const push = await runCct(['sync', 'push', '--db', db, '--json'], sync);
    assert.equal(push.code, 3, push.err);
    // the two that do not use a store take --json
    for (const argv of [['roots'], ['sync', 'status']]) {
      const r = await runCct([...argv, '--json'], {
        ...sync,
        CCT_SUPABASE_AUTH_FILE: path.join(tree.root, 'auth.json'),
      });
      assert.doesNotMatch(r.err, /unknown option/, `${argv.join(' ')}: ${r.err}`);
    }
  });
});
