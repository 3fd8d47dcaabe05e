import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PriceTable } from '../../../src/core/pricing/priceTable';
import { Store } from '../../../src/infra/sqlite/store';
import { fillGeneratedStore } from '../../helpers/generatedDashboardStore';

describe('session stats refresh', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-stats-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes nothing when nothing changed (a poll scan must not rewrite a sql.js file)', async () => {
    const file = path.join(dir, 'store.db');
    const s = await Store.open(file, 'sql.js');
    fillGeneratedStore(s, 20);
    assert.equal(s.refreshSessionStats(PriceTable.builtin()), 20);
    s.flush();
    const before = fs.statSync(file).mtimeMs;
    const changes = () => Number(s.db.prepare('SELECT total_changes() AS n').get()?.n);
    const c0 = changes();
    assert.equal(s.refreshSessionStats(PriceTable.builtin()), 0);
    assert.equal(changes(), c0, 'no row written');
    s.flush();
    assert.equal(fs.statSync(file).mtimeMs, before);
    s.close();
  });

  it('drops the stats of a session retention deleted', async () => {
    const s = await Store.open(path.join(dir, 'store.db'), 'node:sqlite');
    fillGeneratedStore(s, 20);
    s.refreshSessionStats(PriceTable.builtin());
    const pruned = s.pruneOlderThan(Date.UTC(2026, 9, 1) + 30 * 60_000);
    assert.ok(pruned > 0 && pruned < 20);
    assert.equal(Number(s.db.prepare('SELECT count(*) AS n FROM session_stats').get()?.n), 20 - pruned);
    s.close();
  });
});
