/**
 * PRAGMA secure_delete on both backends (sql.js is SQLite compiled to WASM: the pragma must work there too), checked
 * by searching the bytes on disk: a deleted row's text stays in the file without it and is zeroed with it; and
 * scrubFreedPages removes text freed while it was off.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivacyGuard } from '../../../src/core/privacy';
import type { BackendName } from '../../../src/infra/sqlite/driver';
import { secureDeleteOn } from '../../../src/infra/sqlite/secureDelete';
import { Store } from '../../../src/infra/sqlite/store';

const MARK = 'OLD-TEXT-7c1f9e2a-marker';
const onDisk = (db: string) =>
  Buffer.concat([db, `${db}-wal`, `${db}-shm`].filter(existsSync).map((f) => readFileSync(f))).includes(MARK);

for (const backend of ['node:sqlite', 'sql.js'] as BackendName[]) {
  describe(`secure_delete and scrubFreedPages (${backend})`, () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'cct-secure-delete-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    /**
     * A store with one session holding the mark, saved; then the row deleted; secure_delete as given throughout (on
     * only for the delete would not do: inserts that split pages leave copies of moved rows in free space too).
     */
    async function deleteMarked(db: string, secure: boolean): Promise<Store> {
      let store = await Store.open(db, backend);
      if (secure) secureDeleteOn(store.db);
      store.db.transaction(() => {
        for (let i = 0; i < 50; i++)
          store.db
            .prepare('INSERT INTO sessions (session_id, title) VALUES (?, ?)')
            .run([`s${i}`, `${i === 7 ? MARK : 'plain title'} ${'x'.repeat(200)}`]);
      });
      store.close();
      assert.ok(onDisk(db), 'the mark is stored');
      store = await Store.open(db, backend);
      const restore = secure ? secureDeleteOn(store.db) : () => {};
      store.db.transaction(() => store.db.prepare("DELETE FROM sessions WHERE session_id = 's7'").run());
      restore();
      return store;
    }

    it('without it a deleted row stays in the file; with it the bytes are zeroed', async () => {
      const plain = join(dir, 'plain.db');
      (await deleteMarked(plain, false)).close();
      assert.ok(onDisk(plain), 'SQLite keeps deleted text in free space (this is what the test detects)');
      const secure = join(dir, 'secure.db');
      (await deleteMarked(secure, true)).close();
      assert.ok(!onDisk(secure), 'secure_delete zeroed it');
    });

    it('scrubFreedPages removes text freed while secure_delete was off, from the file, WAL and SHM', async () => {
      const db = join(dir, 'store.db');
      const store = await deleteMarked(db, false);
      const r = store.scrubFreedPages();
      assert.equal(r.walTruncated, true);
      assert.equal(r.ftsMerged, true);
      assert.ok(!onDisk(db), 'gone while the store is still open');
      store.close();
      assert.ok(!onDisk(db));
    });
  });
}

describe('re-mask of a node:sqlite store (FTS5) on sql.js, which has no FTS5', () => {
  it('says the index could not be merged; node:sqlite rebuilds it at open and a scrub removes the old terms', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cct-fts5-sqljs-'));
    try {
      const db = join(dir, 'store.db');
      const secret = 'zqx9-Hk3mP8vQ2wL7nR4tY6uB';
      const a = await Store.open(db, 'node:sqlite');
      a.db.transaction(() => {
        const ins = a.db.prepare('INSERT INTO texts (key, interaction_id, ord, kind, text) VALUES (?,?,?,?,?)');
        const fts = a.db.prepare('INSERT INTO texts_fts (rowid, text) VALUES (?, ?)');
        for (let i = 0; i < 20; i++) {
          const t = `step ${i} ${secret}`;
          fts.run([ins.run([`k${i}`, `p:${i}`, 0, 'prompt', t]).lastInsertRowid, t]);
        }
      });
      a.close();
      const b = await Store.open(db, 'sql.js');
      assert.deepEqual(b.ftsStatus(), { engine: 'fts5', writable: false });
      const rep = await b.remask({
        guard: createPrivacyGuard({
          hmacKey: 'fts5-test-key-0123456789abcdef',
          customRules: [{ id: 'zqx', category: 'zqx_token', keywords: ['zqx9-'], pattern: 'zqx9-[A-Za-z0-9]{20}' }],
        }),
        level: 'standard',
        rulesHash: 'h',
        leaseOwner: 'test',
      });
      b.close();
      assert.equal(rep.changed, 20);
      assert.equal(rep.scrub?.ftsMerged, false);
      const c = await Store.open(db, 'node:sqlite');
      assert.equal(c.search('"Hk3mP8vQ2wL7nR4tY6uB"').length, 0, 'rebuilt at open (fts_stale)');
      c.scrubFreedPages();
      c.close();
      assert.ok(!readFileSync(db).includes('l7nr4ty6ub'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
