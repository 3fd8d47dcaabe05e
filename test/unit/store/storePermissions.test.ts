import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BackendName } from '../../../src/infra/sqlite/driver';
import { openDriver } from '../../../src/infra/sqlite/openDriver';
import { Store } from '../../../src/infra/sqlite/store';
import { runScanInWorker } from '../../../src/infra/worker/runScanInWorker';
import { runCct } from '../../helpers/cct';
import { TempTree } from '../transcript/engine';
import { assistant, jsonl, prompt } from '../transcript/lines';

/**
 * Issue 14 §6: the store holds every prompt and response. Its folder is 0700 and its files 0600 whatever the umask
 * (022 here, the usual one), from the CLI and from the extension's scan worker, on both backends; files an earlier
 * version made readable are tightened. A store from a newer build is refused before anything in it changes.
 */
const mode = (p: string) => fs.statSync(p).mode & 0o777;
const S = 'ffffffff-0000-4000-8000-000000000001';

function writeTranscript(tree: TempTree): void {
  const ts = '2026-11-20T10:00:00.000Z';
  tree.write(
    `-p/${S}.jsonl`,
    jsonl(
      prompt({ uuid: 'u1', sessionId: S, ts, text: 'a private prompt' }),
      assistant({
        uuid: 'a1',
        sessionId: S,
        ts,
        msgId: 'm1',
        reqId: 'r1',
        usage: { in: 1, out: 1 },
        block: { type: 'text', text: 'a private answer' },
      }),
    ),
  );
}

describe('store file permissions', function () {
  this.timeout(60_000);
  let tree: TempTree;
  let umask: number;
  beforeEach(() => {
    umask = process.umask(0o022);
    tree = new TempTree();
    writeTranscript(tree);
  });
  afterEach(() => {
    process.umask(umask);
    tree.dispose();
  });
  const scan = (env: Record<string, string>, ...extra: string[]) =>
    runCct(['scan', '--root', path.join(tree.root, 'cfg'), '--serial', ...extra], { CCT_HMAC_KEY: '', ...env });

  for (const backend of ['node:sqlite', 'sql.js'] as BackendName[]) {
    it(`cct scan (${backend}) creates the data dir 0700 and the store and mask key 0600 under umask 022`, async () => {
      const data = path.join(tree.root, 'new', 'data');
      const r = await scan({ CCT_DATA_DIR: data }, '--backend', backend);
      assert.equal(r.code, 0, r.err);
      assert.equal(mode(path.join(tree.root, 'new')), 0o700, 'every folder the scan made');
      assert.equal(mode(data), 0o700);
      assert.equal(mode(path.join(data, 'store.db')), 0o600);
      assert.equal(mode(path.join(data, 'mask.key')), 0o600);
    });

    it(`cct scan (${backend}) tightens a data dir and store an earlier version left 0755/0644`, async () => {
      const data = path.join(tree.root, 'data');
      assert.equal((await scan({ CCT_DATA_DIR: data }, '--backend', backend)).code, 0);
      fs.chmodSync(data, 0o755);
      fs.chmodSync(path.join(data, 'store.db'), 0o644);
      const r = await scan({ CCT_DATA_DIR: data }, '--backend', backend, '--rebuild');
      assert.equal(r.code, 0, r.err);
      assert.equal(mode(data), 0o700);
      assert.equal(mode(path.join(data, 'store.db')), 0o600);
    });

    it(`the extension's scan worker (${backend}) creates the store's folder 0700 and the store 0600`, async () => {
      const db = path.join(tree.root, 'ext', 'data', 'store.db');
      const r = await runScanInWorker({
        dbPath: db,
        roots: [path.join(tree.root, 'cfg')],
        hmacKey: 'k'.repeat(32),
        backend,
      }).result;
      assert.equal(r.status, 'done');
      assert.equal(mode(path.dirname(db)), 0o700);
      assert.equal(mode(db), 0o600);
    });
  }

  it('node:sqlite: the WAL and SHM are 0600 while the store is open; ones an earlier version left 0644 are tightened', async () => {
    const db = path.join(tree.root, 'data', 'store.db');
    const holder = await Store.open(db, 'node:sqlite');
    try {
      holder.db.exec("INSERT OR REPLACE INTO meta(key, value) VALUES ('probe', '1')");
      assert.equal(mode(`${db}-wal`), 0o600);
      assert.equal(mode(`${db}-shm`), 0o600);
      for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.chmodSync(f, 0o644);
      const second = await Store.open(db, 'node:sqlite');
      second.close();
      for (const f of [db, `${db}-wal`, `${db}-shm`]) assert.equal(mode(f), 0o600, f);
    } finally {
      holder.close();
    }
  });

  it('an explicit --db in an existing folder of the user leaves that folder as it is', async () => {
    const folder = path.join(tree.root, 'mine');
    fs.mkdirSync(folder, { mode: 0o755 });
    fs.chmodSync(folder, 0o755);
    const r = await scan({ CCT_DATA_DIR: path.join(tree.root, 'data') }, '--db', path.join(folder, 'store.db'));
    assert.equal(r.code, 0, r.err);
    assert.equal(mode(folder), 0o755);
    assert.equal(mode(path.join(folder, 'store.db')), 0o600);
  });
});

describe('a store from a newer build', () => {
  for (const backend of ['node:sqlite', 'sql.js'] as BackendName[]) {
    it(`is refused on ${backend} and left byte for byte as it was (still in rollback-journal mode)`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-newer-'));
      try {
        const file = path.join(dir, 'store.db');
        const maker = await openDriver(file, 'sql.js');
        maker.exec("CREATE TABLE future(x); INSERT INTO future VALUES ('kept'); PRAGMA user_version = 999;");
        maker.close();
        fs.chmodSync(file, 0o640);
        const before = fs.readFileSync(file);
        assert.equal(before[18], 1, 'a rollback-journal file to start with');
        await assert.rejects(Store.open(file, backend), /v999.* newer than this build/);
        assert.deepEqual(fs.readFileSync(file), before);
        assert.equal(mode(file), 0o640, 'not even its mode');
        assert.deepEqual(fs.readdirSync(dir), ['store.db']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
