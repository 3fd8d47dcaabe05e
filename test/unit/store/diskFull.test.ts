import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BackendName, SqlDriver } from '../../../src/infra/sqlite/driver';
import { openDriver } from '../../../src/infra/sqlite/openDriver';
import { Store } from '../../../src/infra/sqlite/store';
import { runCctProcess } from '../../helpers/cct';
import { failingWriteFs, mountSmallDisk, type SmallDisk } from '../../helpers/smallDisk';
import { TempTree } from '../transcript/engine';
import { assistant, jsonl, prompt } from '../transcript/lines';

/**
 * A full disk (issue 14 §4), on a real small tmpfs where the tests run as root, else through an injected write that
 * runs out of room (sql.js) or SQLite's own page limit (node:sqlite).
 */
const KiB = 1024;
const row = (i: number) => `${i} ${'0123456789abcdef'.repeat(64)}`; // ~1 KiB
const insertRows = (db: SqlDriver, from: number, n: number) => {
  for (let i = from; i < from + n; i++) db.prepare('INSERT INTO t(x) VALUES (?)').run([row(i)]);
};
const count = (db: SqlDriver) => Number(db.prepare('SELECT count(*) AS n FROM t').get()?.n);
const tempFiles = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));
const isDiskFull = (file: string) => (e: unknown) => {
  assert.ok(e instanceof Error, String(e));
  assert.equal((e as NodeJS.ErrnoException).code, 'ENOSPC', e.message);
  assert.match(e.message, /disk full/);
  assert.ok(e.message.includes(file), e.message);
  return true;
};

describe('a full disk', function () {
  this.timeout(120_000);
  let disk: SmallDisk | undefined;
  let scratch: string;
  before(() => {
    disk = mountSmallDisk(16 * 1024);
  });
  after(() => disk?.dispose());
  beforeEach(() => {
    scratch = fs.mkdtempSync(path.join(disk?.dir ?? os.tmpdir(), 'cct-full-'));
  });
  afterEach(() => {
    disk?.release();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it(`sql.js: a flush that does not fit fails naming the disk, keeps the saved store byte for byte and leaves no temp file`, async () => {
    const file = path.join(scratch, 'store.db');
    const port = disk ? undefined : failingWriteFs(Number.POSITIVE_INFINITY);
    const db = await openDriver(file, 'sql.js', { fs: port });
    db.exec('CREATE TABLE t(x TEXT)');
    insertRows(db, 0, 100);
    db.flush();
    const saved = fs.readFileSync(file);
    insertRows(db, 100, 1000); // the next export is ~1.2 MiB: much more than is left
    if (disk) disk.fill(256 * KiB);
    else port!.room = port!.written + 256 * KiB;
    assert.throws(() => db.flush(), isDiskFull(file));
    assert.deepEqual(fs.readFileSync(file), saved, 'the last saved copy is untouched');
    assert.deepEqual(tempFiles(scratch), []);
    // With room again the same connection saves everything it holds.
    if (disk) disk.release();
    else port!.room = Number.POSITIVE_INFINITY;
    db.close();
    const again = await openDriver(file, 'sql.js');
    assert.equal(count(again), 1100);
    again.close();
    assert.deepEqual(tempFiles(scratch), []);
  });

  it('node:sqlite: a commit that does not fit reports the full disk, not "cannot rollback", and the transaction state stays right', async () => {
    const file = path.join(scratch, 'store.db');
    const db = await openDriver(file, 'node:sqlite');
    try {
      db.exec('CREATE TABLE t(x TEXT)');
      db.transaction(() => insertRows(db, 0, 100));
      if (disk) disk.fill(128 * KiB);
      // Without a small disk: SQLite's own page limit gives the same SQLITE_FULL.
      else db.exec(`PRAGMA max_page_count = ${Number(db.prepare('PRAGMA page_count').get()?.page_count) + 30}`);
      // transaction(fn): the error is the full disk, not the ROLLBACK that followed it.
      assert.throws(() => db.transaction(() => insertRows(db, 100, 1000)), isDiskFull(file));
      assert.equal(db.inTransaction, false);
      // begin/commit/rollback, as the collector's bulk ingest uses them.
      db.begin();
      assert.throws(() => {
        insertRows(db, 100, 1000);
        db.commit();
      }, isDiskFull(file));
      db.rollback();
      assert.equal(db.inTransaction, false);
      assert.equal(count(db), 100);
      if (disk) disk.release();
      else db.exec('PRAGMA max_page_count = 1073741823');
      db.begin();
      insertRows(db, 100, 10);
      db.commit();
      assert.equal(count(db), 110);
    } finally {
      db.close();
    }
  });

  for (const backend of ['sql.js', 'node:sqlite'] as BackendName[]) {
    it(`cct scan (${backend}) on a full disk exits non-zero naming it; the store keeps its data and the next scan with room completes`, async function () {
      if (!disk) this.skip(); // a child process cannot take an injected write: needs the tmpfs (root)
      const tree = new TempTree();
      try {
        const writeSessions = (from: number, n: number) => {
          for (let s = from; s < from + n; s++) {
            const sid = `eeeeeeee-0000-4000-8000-${String(s).padStart(12, '0')}`;
            const lines: string[] = [];
            for (let i = 0; i < 20; i++) {
              const ts = new Date(Date.UTC(2026, 10, 1, 0, s, i)).toISOString();
              lines.push(prompt({ uuid: `${sid}-u${i}`, sessionId: sid, ts, text: `q${i} ${row(s * 100 + i)}` }));
              lines.push(
                assistant({
                  uuid: `${sid}-a${i}`,
                  sessionId: sid,
                  ts,
                  msgId: `msg_${s}_${i}`,
                  reqId: `req_${s}_${i}`,
                  usage: { in: 3, out: 2 },
                  block: { type: 'text', text: `a${i} ${row(s * 100 + i + 50)}` },
                }),
              );
            }
            tree.write(`-p/${sid}.jsonl`, jsonl(...lines));
          }
        };
        const dataDir = path.join(scratch, 'data');
        const store = path.join(dataDir, 'store.db');
        const scan = () =>
          runCctProcess(['scan', '--root', path.join(tree.root, 'cfg'), '--backend', backend, '--serial'], {
            CCT_DATA_DIR: dataDir,
            CCT_HMAC_KEY: '',
          });
        const counts = async () => {
          const s = await Store.open(store, backend);
          try {
            return s.counts();
          } finally {
            s.close();
          }
        };
        writeSessions(0, 5);
        const first = await scan();
        assert.equal(first.code, 0, first.err);
        const before = await counts();
        assert.equal(before.sessions, 5);
        const saved = fs.readFileSync(store);

        writeSessions(5, 40);
        disk.fill(128 * KiB);
        const full = await scan();
        assert.notEqual(full.code, 0, `a scan that could not save must fail\n${full.out}${full.err}`);
        assert.match(full.err, /disk full \(ENOSPC\)/);
        assert.ok(full.err.includes(store), full.err);
        assert.deepEqual(tempFiles(dataDir), []);
        if (backend === 'sql.js') assert.deepEqual(fs.readFileSync(store), saved, 'the last saved copy is untouched');
        disk.release();
        assert.deepEqual(await counts(), before, 'the store opens and holds what it held');

        const next = await scan();
        assert.equal(next.code, 0, next.err);
        assert.equal((await counts()).sessions, 45);
      } finally {
        tree.dispose();
      }
    });
  }
});
