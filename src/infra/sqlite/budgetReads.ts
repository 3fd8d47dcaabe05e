import type { UsageRow } from '../../core/analytics/rows';
import type { SqlDriver } from './driver';
import { longContextTiers } from './longContext';
import { ledgerGroupsSql, type UsageGroup, usageGroupOf } from './usageReads';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const GAP_MS = 5 * HOUR_MS;
const BLOCK_MS = 5 * HOUR_MS;

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
 * The ledger rows of the block that is running at `now` (billingBlocks' rule), [] when none runs. A block's start
 * depends on the blocks before it back to the last 5-hour gap, so this first reads timestamps only — the last day,
 * widened a day at a time (up to `maxDays`) until the earliest follows such a gap — walks them to the running
 * block's first message, and reads whole rows from there: every earlier row belongs to an earlier block.
 */
export function recentUsageRows(db: SqlDriver, now: number, maxDays = 7): UsageRow[] {
  const first = activeBlockFirstTs(db, now, maxDays);
  return first === undefined ? [] : usageRowsSince(db, first);
}

function activeBlockFirstTs(db: SqlDriver, now: number, maxDays: number): number | undefined {
  const chunks: number[][] = [];
  let since = now - DAY_MS;
  let until: number | undefined;
  for (let day = 1; ; day++) {
    const chunk = (
      until === undefined
        ? db.prepare('SELECT ts FROM api_messages WHERE ts >= ? ORDER BY ts').values([since])
        : db.prepare('SELECT ts FROM api_messages WHERE ts >= ? AND ts < ? ORDER BY ts').values([since, until])
    ).map((r) => Number(r[0]));
    chunks.unshift(chunk);
    const earliest = chunks.find((c) => c.length)?.[0];
    // Nothing in the last day: no block runs (one needs a message in the last 5 hours).
    if (earliest === undefined) return undefined;
    const before = db.prepare('SELECT max(ts) AS t FROM api_messages WHERE ts < ?').get([since])?.t;
    if (before === null || before === undefined || earliest - Number(before) >= GAP_MS || day >= maxDays) break;
    until = since;
    since -= DAY_MS;
  }
  let start = Number.NaN;
  let first = Number.NaN;
  let last = Number.NaN;
  for (const chunk of chunks)
    for (const ts of chunk) {
      if (!(ts - start < BLOCK_MS) || !(ts - last < GAP_MS)) {
        start = Math.floor(ts / HOUR_MS) * HOUR_MS;
        first = ts;
      }
      last = ts;
    }
  return now >= start && now < start + BLOCK_MS && now - last < GAP_MS ? first : undefined;
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
