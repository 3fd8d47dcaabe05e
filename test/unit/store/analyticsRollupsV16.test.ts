/**
 * Store schema v16: analytics_sessions gains each session's compaction count and turn durations. A store whose rollups
 * a v15 build computed (no such columns) gets them with every session's rollups stale, so analytics reads the rows
 * (exact) until the next refresh fills them: the columns' default 0 is never read as "no compaction". Replaying the
 * step (ALTER TABLE guarded by table_info) changes nothing.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyticsOf } from '../../../src/core/analytics/analytics';
import { PriceTable } from '../../../src/core/pricing/priceTable';
import { staleAnalyticsSessions } from '../../../src/infra/sqlite/analyticsRollups';
import { StoreAnalyticsSource } from '../../../src/infra/sqlite/analyticsSource';
import { SCHEMA_VERSION } from '../../../src/infra/sqlite/migrations';
import { Store } from '../../../src/infra/sqlite/store';

const prices = PriceTable.builtin();
const opts = { timeZone: 'UTC', now: 10_000_000 };

describe('store v16: compactions and turn durations in the analytics rollups', () => {
  let tmp = '';
  let file = '';
  let store: Store;
  const columns = () =>
    store.db
      .prepare("SELECT name FROM pragma_table_info('analytics_sessions') ORDER BY cid")
      .values()
      .map((r) => String(r[0]));
  const facts = () => ({
    ...store.db.prepare("SELECT compactions, turn_ms FROM analytics_sessions WHERE session_id = 'c'").get(),
  });
  const figures = () => {
    const source = new StoreAnalyticsSource(store.db, prices, { topics: false });
    const e = analyticsOf(source.read({}), prices, opts).efficiency;
    return { path: source.lastRead?.path, compaction: e.compaction, turns: [e.timedTurns, e.medianTurnMs] };
  };
  /** What a v15 build leaves: no v16 columns, user_version 15. */
  const asV15 = () => {
    store.db.exec(`ALTER TABLE analytics_sessions DROP COLUMN turn_ms;
      ALTER TABLE analytics_sessions DROP COLUMN compactions; PRAGMA user_version = 15;`);
  };
  const reopen = async () => {
    store.close();
    store = await Store.open(file);
  };

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-anv16-'));
    file = path.join(tmp, 'store.db');
    store = await Store.open(file);
    const db = store.db;
    db.transaction(() => {
      for (const sid of ['c', 'plain']) {
        db.prepare('INSERT INTO sessions (session_id, project_path, updated_at) VALUES (?, ?, 1)').run([sid, '/w/p']);
        db.prepare("INSERT INTO interactions (id, session_id, kind, ts) VALUES (?, ?, 'prompt', 1000)").run([
          `p:${sid}`,
          sid,
        ]);
        for (const ts of [2000, 3500])
          db.prepare(
            "INSERT INTO api_messages (key, session_id, ts, model, input, output) VALUES (?, ?, ?, 'claude-sonnet-4-5', 10, 20)",
          ).run([`a:${sid}:${ts}`, sid, ts]);
      }
      // c: two main-thread boundaries and a subagent's (not counted)
      const ins = db.prepare(
        'INSERT INTO compactions (id, session_id, origin_session, ts, trigger, is_sidechain) VALUES (?, ?, ?, ?, ?, ?)',
      );
      ins.run(['c:1', 'c', 'c', 2500, 'auto', 0]);
      ins.run(['c:2', 'c', 'c', 3000, 'manual', 0]);
      ins.run(['c:3', 'c', 'c', 3100, 'auto', 1]);
    });
    store.refreshAnalyticsRollups(prices, 5000);
  });
  after(() => {
    store.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  // each session: prompt at 1 s, last message at 3.5 s
  const expected = { turns: [2, 2500] };

  it('a refresh stores them; analytics reads them from the rollups', () => {
    assert.deepEqual(facts(), { compactions: 2, turn_ms: '[2500]' });
    const f = figures();
    assert.equal(f.path, 'rollups');
    assert.deepEqual(f.turns, expected.turns);
    assert.deepEqual([f.compaction?.sessions, f.compaction?.shareOfSessions, f.compaction?.compactions], [1, 0.5, 2]);
  });

  it('from a v15 store: the columns are added, every rollup is stale (rows read) until a refresh fills them', async () => {
    asV15();
    await reopen();
    assert.equal(Number(store.db.prepare('PRAGMA user_version').get()?.user_version), SCHEMA_VERSION);
    assert.deepEqual(columns().slice(-2), ['compactions', 'turn_ms']);
    assert.deepEqual(facts(), { compactions: 0, turn_ms: '[]' }, 'the defaults, not yet measured…');
    assert.equal(staleAnalyticsSessions(store.db, prices.thresholds()), 2, '…so every session is stale');
    const before = figures();
    assert.equal(before.path, 'rows', 'a read-only reader takes the rows meanwhile');
    assert.deepEqual(before.turns, expected.turns);
    assert.equal(before.compaction?.compactions, 2);
    assert.deepEqual(store.refreshAnalyticsRollups(prices, 6000).changed.sort(), ['c', 'plain']);
    assert.deepEqual(facts(), { compactions: 2, turn_ms: '[2500]' });
    const after = figures();
    assert.equal(after.path, 'rollups');
    assert.deepEqual(after.compaction, before.compaction);
    assert.deepEqual(after.turns, before.turns);
  });

  it('replaying v16 over a store that has the columns changes nothing but staleness', async () => {
    store.db.exec('PRAGMA user_version = 15');
    await reopen();
    assert.equal(Number(store.db.prepare('PRAGMA user_version').get()?.user_version), SCHEMA_VERSION);
    assert.equal(columns().filter((c) => c === 'compactions' || c === 'turn_ms').length, 2);
    assert.deepEqual(facts(), { compactions: 2, turn_ms: '[2500]' });
    store.refreshAnalyticsRollups(prices, 7000);
    assert.equal(figures().compaction?.compactions, 2);
  });
});
