import type { UsageRow } from '../../core/analytics/rows';
import type { SqlDriver } from './driver';
import { longContextTiers } from './longContext';
import { ledgerGroupsSql, type UsageGroup, usageGroupOf } from './usageReads';

const DAY_MS = 86_400_000;
const GAP_MS = 5 * 3_600_000;

/**
 * The ledger of [sinceMs, untilMs) grouped per session, model, speed, long-context tier and UTC day (what a price
 * depends on): one indexed range scan (api_messages_ts) and a GROUP BY, for the budgets' day and month.
 */
export function periodUsageGroups(
  db: SqlDriver,
  sinceMs: number,
  untilMs: number,
  thresholds: readonly number[],
): UsageGroup[] {
  const sql = ledgerGroupsSql('session_id', longContextTiers(thresholds), DAY_MS, 'WHERE ts >= ? AND ts < ?');
  return db
    .prepare(sql)
    .all([sinceMs, untilMs])
    .map((r) => usageGroupOf(r));
}

/**
 * The ledger rows the current 5-hour block can depend on: a block's start depends on the blocks before it back
 * to the last 5-hour gap, so read the last day and widen a day at a time (up to `maxDays`) until the first row
 * read follows such a gap (or nothing older exists).
 */
export function recentUsageRows(db: SqlDriver, now: number, maxDays = 7): UsageRow[] {
  let since = now - DAY_MS;
  for (let day = 1; ; day++) {
    const rows = usageRowsSince(db, since);
    const first = rows[0]?.ts;
    const before = db.prepare('SELECT max(ts) AS t FROM api_messages WHERE ts < ?').get([since])?.t;
    const settled =
      before === null || before === undefined || (first !== undefined && first - Number(before) >= GAP_MS);
    // No row in the window: its first block (if any) starts after a gap of at least the window itself.
    if (settled || first === undefined || day >= maxDays) return rows;
    since -= DAY_MS;
  }
}

function usageRowsSince(db: SqlDriver, since: number): UsageRow[] {
  return db
    .prepare(
      `SELECT session_id, ts, model, speed, input, output, cache_5m, cache_1h, cache_creation, cache_read, is_sidechain
       FROM api_messages WHERE ts >= ? ORDER BY ts`,
    )
    .values([since])
    .map((r) => ({
      sessionId: String(r[0]),
      ts: Number(r[1]),
      model: r[2] === null ? null : String(r[2]),
      speed: r[3] === null ? null : String(r[3]),
      input: Number(r[4] ?? 0),
      output: Number(r[5] ?? 0),
      cache5m: Number(r[6] ?? 0),
      cache1h: Number(r[7] ?? 0),
      cacheCreation: Number(r[8] ?? 0),
      cacheRead: Number(r[9] ?? 0),
      isSidechain: Number(r[10]) === 1,
    }));
}
