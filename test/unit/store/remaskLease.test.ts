/**
 * The re-mask and a scan share the ingest lease: while a scan (another window, `cct scan`) holds it the re-mask
 * writes nothing and waits; it goes on once the lease is free, and a cancel while waiting stops it cleanly.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivacyGuard } from '../../../src/core/privacy';
import type { BackendName } from '../../../src/infra/sqlite/driver';
import { pendingRemask } from '../../../src/infra/sqlite/remask';
import { Store } from '../../../src/infra/sqlite/store';

const RULES = [{ id: 'zqx', category: 'zqx_token', keywords: ['zqx9-'], pattern: 'zqx9-[A-Za-z0-9]{20}' }];
const SECRET = 'zqx9-Hk3mP8vQ2wL7nR4tY6uB';

for (const backend of ['node:sqlite', 'sql.js'] as BackendName[]) {
  describe(`re-mask and the ingest lease (${backend})`, function () {
    this.timeout(30_000);
    let dir: string;
    beforeEach(() => {
      waits.length = 0;
      dir = mkdtempSync(join(tmpdir(), 'cct-remask-lease-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const seed = async (db: string) => {
      const store = await Store.open(db, backend);
      store.db.transaction(() => {
        const ins = store.db.prepare('INSERT INTO texts (key, interaction_id, ord, kind, text) VALUES (?,?,?,?,?)');
        const fts = store.db.prepare('INSERT INTO texts_fts (rowid, text) VALUES (?, ?)');
        for (let i = 0; i < 20; i++) {
          const text = `step ${i} uses ${SECRET}`;
          fts.run([ins.run([`k${i}`, `p:${i}`, 0, 'prompt', text]).lastInsertRowid, text]);
        }
      });
      return store;
    };
    const waits: (string | undefined)[] = [];
    const run = (store: Store, signal?: AbortSignal) =>
      store.remask({
        onLeaseWait: (holder) => waits.push(holder),
        guard: createPrivacyGuard({ hmacKey: 'lease-test-key-0123456789abcdef', customRules: RULES }),
        level: 'standard',
        rulesHash: 'h',
        leaseOwner: 'remask',
        batchRows: 5,
        signal,
      });
    const masked = (store: Store) =>
      Number(store.db.prepare("SELECT count(*) AS n FROM texts WHERE instr(text, 'zqx_token') > 0").get()!.n);

    it('waits while a scan holds the lease, writing nothing, then finishes', async () => {
      const store = await seed(join(dir, 'store.db'));
      assert.ok(store.acquireLease('scan-in-another-window', 60_000));
      let settled = false;
      const p = run(store).finally(() => {
        settled = true;
      });
      await new Promise((r) => setTimeout(r, 700));
      assert.equal(settled, false, 'still waiting for the lease');
      assert.equal(masked(store), 0, 'nothing written while the scan holds the lease');
      assert.equal(pendingRemask(store.db), undefined);
      assert.deepEqual(waits, ['scan-in-another-window'], 'says once who it waits for');
      store.releaseLease('scan-in-another-window');
      const rep = await p;
      assert.equal(rep.changed, 20);
      assert.equal(masked(store), 20);
      assert.equal(store.leaseHolder(), undefined, 'the lease is given back');
      store.close();
    });

    it('a cancel while waiting for the lease stops the run without writing', async () => {
      const store = await seed(join(dir, 'store.db'));
      assert.ok(store.acquireLease('scan-in-another-window', 60_000));
      const abort = new AbortController();
      const p = run(store, abort.signal);
      setTimeout(() => abort.abort(), 300);
      const rep = await p;
      assert.equal(rep.cancelled, true);
      assert.equal(masked(store), 0);
      assert.equal(store.leaseHolder(), 'scan-in-another-window', 'the scan keeps its lease');
      store.close();
    });
  });
}
