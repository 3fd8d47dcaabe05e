/**
 * AnalyticsService computes in a real worker thread (the TypeScript source through tsx here, dist/worker/ when
 * bundled) over a real store: the same result as in-process, then after one new session and a rollup refresh,
 * storeChanged() reloads that session only and fires onDidChange with the new totals.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyticsOf } from '../../../src/core/analytics/analytics';
import { PriceTable } from '../../../src/core/pricing/priceTable';
import { StoreAnalyticsSource } from '../../../src/infra/sqlite/analyticsSource';
import { Store } from '../../../src/infra/sqlite/store';
import { AnalyticsService } from '../../../src/infra/worker/analyticsService';
import { runCct } from '../../helpers/cct';
import { CLI_TREE } from '../fixtures/expected';

describe('analytics: AnalyticsService (worker thread)', () => {
  let tmp = '';
  let db = '';
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-anservice-'));
    db = path.join(tmp, 'store.db');
    const scan = await runCct(['scan', '--root', CLI_TREE, '--db', db, '--json'], { HOME: os.tmpdir() });
    assert.equal(scan.code, 0, scan.err);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('computes what the host would, off its thread; after a new session, storeChanged fires onDidChange', async () => {
    const options = { timeZone: 'Asia/Tokyo', now: Date.parse('2026-12-06T00:00:00Z') };
    const service = new AnalyticsService(db);
    const store = await Store.open(db);
    try {
      const first = await service.compute({ options });
      const prices = PriceTable.builtin();
      const here = analyticsOf(new StoreAnalyticsSource(store.db, prices).read({}), prices, options);
      assert.deepEqual(first.result, here);
      assert.deepEqual(first.read, { path: 'rollups', reloadedSessions: Number(first.read?.reloadedSessions) });
      assert.ok(first.result.efficiency.apiMessages > 0);

      const sid = 'new-session-0001';
      const ts = Date.parse('2026-12-05T10:00:00Z');
      store.db.transaction(() => {
        store.db
          .prepare('INSERT INTO sessions (session_id, project_path, first_ts, last_ts, updated_at) VALUES (?,?,?,?,?)')
          .run([sid, '/w/new', ts, ts, Date.now()]);
        store.db
          .prepare(
            "INSERT INTO api_messages (key, session_id, ts, model, input, output) VALUES (?, ?, ?, 'claude-sonnet-4-5', 1000, 500)",
          )
          .run([`${sid}:1`, sid, ts]);
      });
      assert.deepEqual(store.refreshAnalyticsRollups(prices).changed, [sid]);
      const changed = new Promise<number>((resolve) =>
        service.onDidChange((c) => {
          assert.deepEqual(c.read, { path: 'rollups', reloadedSessions: 1 });
          assert.ok('result' in c, 'the last request asked for the result');
          resolve(c.result.efficiency.apiMessages);
        }),
      );
      await service.storeChanged();
      assert.equal(await changed, first.result.efficiency.apiMessages + 1);
    } finally {
      store.close();
      service.dispose();
    }
    await assert.rejects(service.compute({ options }), /disposed/);
  });

  it("a request for what storeChanged() is recomputing shares it (the views' refetch after a scan)", async () => {
    const service = new AnalyticsService(db);
    const store = await Store.open(db);
    const prices = PriceTable.builtin();
    try {
      const request = { options: { timeZone: 'UTC', now: Date.now() } };
      await service.compute(request);
      const sid = 'new-session-0002';
      const ts = Date.parse('2026-12-05T11:00:00Z');
      store.db.transaction(() => {
        store.db
          .prepare('INSERT INTO sessions (session_id, project_path, first_ts, last_ts, updated_at) VALUES (?,?,?,?,?)')
          .run([sid, '/w/new', ts, ts, Date.now()]);
        store.db
          .prepare(
            "INSERT INTO api_messages (key, session_id, ts, model, input, output) VALUES (?, ?, ?, 'claude-sonnet-4-5', 10, 5)",
          )
          .run([`${sid}:1`, sid, ts]);
      });
      assert.deepEqual(store.refreshAnalyticsRollups(prices).changed, [sid]);
      const recomputed = new Promise<unknown>((resolve) => service.onDidChange(resolve));
      const changed = service.storeChanged();
      // Asked again right away, as the Metrics view is after a scan's notification: the one recomputation answers,
      // so this one also reports the reloaded session (a second computation behind it would reload none).
      const asked = await service.compute({ options: { ...request.options, now: Date.now() } });
      await changed;
      assert.deepEqual(asked.read, { path: 'rollups', reloadedSessions: 1 });
      assert.equal(asked, await recomputed);
      // Once it has finished, a request is computed again (nothing new to reload).
      assert.deepEqual((await service.compute(request)).read, { path: 'rollups', reloadedSessions: 0 });
    } finally {
      store.close();
      service.dispose();
    }
  });
});
