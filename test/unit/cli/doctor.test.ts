import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NODE_SQLITE_SINCE } from '../../../src/infra/sqlite/backendNotice';
import { SCHEMA_VERSION } from '../../../src/infra/sqlite/migrations';
import { runCct } from '../../helpers/cct';
import { TempTree } from '../transcript/engine';
import { assistant, jsonl, prompt } from '../transcript/lines';

const ROOT = path.resolve(__dirname, '../../..');
const S = 'dddddddd-0000-4000-8000-00000000000d';

/** A Node on this machine without node:sqlite (Debian's /usr/bin/node is 20.x), or undefined. */
function oldNode(): string | undefined {
  for (const bin of ['/usr/bin/node', '/usr/local/bin/node']) {
    const r = spawnSync(bin, ['-p', 'process.versions.node'], { encoding: 'utf8' });
    const v = r.status === 0 ? r.stdout.trim() : '';
    if (v && Number(v.split('.')[0]) < 22) return bin;
  }
  return undefined;
}

describe('cct doctor and the sql.js fallback notice', () => {
  let tree: TempTree;
  let env: Record<string, string>;
  let db: string;
  before(async () => {
    tree = new TempTree();
    env = { CCT_DATA_DIR: path.join(tree.root, 'data'), CLAUDE_CONFIG_DIR: path.join(tree.root, 'cfg') };
    db = path.join(tree.root, 'data', 'store.db');
    tree.write(
      `-home-dev-x/${S}.jsonl`,
      jsonl(
        prompt({ uuid: 'u1', sessionId: S, ts: '2026-11-20T10:00:00.000Z', text: 'hi' }),
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
    const r = await runCct(['scan', '--serial', '--json'], env);
    assert.equal(r.code, 0, r.err);
  });
  after(() => tree.dispose());

  it('--json: Node, backend and why, store with mode and schema, data dir, mask key, Claude roots', async () => {
    const r = await runCct(['doctor', '--json'], env);
    assert.equal(r.code, 0, r.err);
    const d = JSON.parse(r.out);
    assert.equal(d.node.version, process.versions.node);
    assert.equal(d.node.required, `>=${NODE_SQLITE_SINCE}`);
    assert.equal(d.backend.backend, 'node:sqlite');
    assert.match(d.backend.reason, /built into Node/);
    assert.equal(d.store.path, db);
    assert.equal(d.store.exists, true);
    assert.equal(d.store.mode, (fs.statSync(db).mode & 0o777).toString(8));
    assert.equal(d.store.schemaVersion, SCHEMA_VERSION);
    assert.equal(d.dataDir.path, env.CCT_DATA_DIR);
    assert.equal(d.maskKey.path, path.join(env.CCT_DATA_DIR!, 'mask.key'));
    assert.equal(d.maskKey.mode, '600');
    assert.deepEqual(
      d.claudeRoots.filter((x: { projects: number | null }) => x.projects !== null),
      [
        {
          path: env.CLAUDE_CONFIG_DIR,
          exists: true,
          mode: (fs.statSync(env.CLAUDE_CONFIG_DIR!).mode & 0o777).toString(8),
          projects: 1,
        },
      ],
    );
    assert.deepEqual(d.problems, []);
    const human = await runCct(['doctor'], env);
    assert.match(human.out, /^backend +node:sqlite: /m);
    assert.match(human.out, new RegExp(`^schema +v${SCHEMA_VERSION} \\(this build: v${SCHEMA_VERSION}\\)`, 'm'));
  });

  it('reports a mask key others can read as a problem (exit 1), and changes nothing', async () => {
    const key = path.join(env.CCT_DATA_DIR!, 'mask.key');
    const before = fs.readFileSync(db);
    fs.chmodSync(key, 0o644);
    try {
      const r = await runCct(['doctor'], env);
      assert.equal(r.code, 1);
      assert.match(r.out, /problem: mask key .* accessible by other users \(mode 644\)/);
    } finally {
      fs.chmodSync(key, 0o600);
    }
    assert.ok(fs.readFileSync(db).equals(before), 'the store is untouched');
    const missing = path.join(tree.root, 'nowhere', 'store.db');
    const r = await runCct(['doctor', '--db', missing, '--json'], env);
    assert.equal(JSON.parse(r.out).store.exists, false);
    assert.equal(fs.existsSync(path.dirname(missing)), false, 'no folder created');
  });

  it('on a Node without node:sqlite: one stderr line says sql.js is used and why; doctor says so too', function () {
    const node = oldNode();
    if (!node) this.skip(); // needs a Node < 22 on this machine (Debian's nodejs)
    const cct = (args: string[]) =>
      spawnSync(node!, ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, ...env },
      });
    const r = cct(['sessions', '--db', db, '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout)[0].sessionId, S);
    const notices = r.stderr.split('\n').filter((l) => l.startsWith('cct: '));
    assert.equal(notices.length, 1, r.stderr);
    assert.match(
      notices[0]!,
      /^cct: node:sqlite is not available in Node 20\.\d+\.\d+ \(it is from Node 22\.13\.0\); using sql\.js/,
    );
    const d = JSON.parse(cct(['doctor', '--json']).stdout);
    assert.equal(d.backend.backend, 'sql.js');
    assert.equal(d.node.ok, false);
    assert.equal(d.store.schemaVersion, SCHEMA_VERSION, 'read from the file header');
  });

  it('package.json engines.node and .nvmrc ask for a Node with node:sqlite', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.equal(pkg.engines.node, `>=${NODE_SQLITE_SINCE}`);
    const nvmrc = fs.readFileSync(path.join(ROOT, '.nvmrc'), 'utf8').trim();
    assert.ok(Number(nvmrc.split('.')[0]) >= Number(NODE_SQLITE_SINCE.split('.')[0]), nvmrc);
  });
});
