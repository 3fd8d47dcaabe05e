import type { UsageGroupLike } from '../../core/sessions/sessionSummary';
import type { SqlDriver, SqlRow, SqlValue } from './driver';
import { longContextSql, longContextTiers } from './longContext';
import type { UsageRollups } from './usageRollups';

/** One row of the usage ledger aggregated for pricing (see usageGroups); the shape core prices. */
export type UsageGroup = UsageGroupLike;

export interface UsageFilter {
  sessionIds?: readonly string[];
  sinceMs?: number;
  untilMs?: number;
  thresholds?: readonly number[];
  slotMs?: number;
  bySession?: boolean;
  /**
   * Calendar reports in a zone with this fixed offset: 15-minute groups of the same local day and the same UTC
   * day (what pricing depends on) are merged, each keeping its earliest slot as slotMs — so bucketing by local
   * date and pricing by UTC day give the same result as the 15-minute groups, from about a third of the rows.
   */
  fixedOffsetMs?: number;
}

/** Ledger rows grouped by what changes the price (model, speed, long context) and by 15-minute slot. */
export function usageGroups(db: SqlDriver, rollups: UsageRollups, filter: UsageFilter = {}): UsageGroup[] {
  // Calendar reports do not need the session split: fewer groups to build and price.
  const sessionCol = filter.bySession === false && !filter.sessionIds ? "''" : 'session_id';
  // 15 minutes by default (exact local dates in any zone); callers that only price may ask for days.
  const slot = filter.slotMs ?? 900_000;
  if (!Number.isInteger(slot) || slot <= 0) throw new RangeError('slotMs must be a positive integer');
  const tiers = longContextTiers(filter.thresholds ?? []);
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filter.sinceMs !== undefined) {
    where.push('ts >= ?');
    params.push(filter.sinceMs);
  }
  if (filter.untilMs !== undefined) {
    where.push('ts < ?');
    params.push(filter.untilMs);
  }
  const rolled = rollups.read(filter, slot, sessionCol !== 'session_id', tiers);
  if (rolled) return rolled;
  const sql = ledgerGroupsSql(sessionCol, tiers, slot, where.length ? `WHERE ${where.join(' AND ')}` : '');
  const want = filter.sessionIds ? new Set(filter.sessionIds) : undefined;
  const out: UsageGroup[] = [];
  for (const r of db.prepare(sql).all(params)) {
    const sessionId = String(r.session_id);
    if (want && !want.has(sessionId)) continue;
    out.push(usageGroupOf(r));
  }
  return out;
}

/**
 * The ledger (`api_messages`) grouped by session (`sessionCol` 'session_id', or a constant for no split), model,
 * speed, long-context tier and time slot of `slotMs`, restricted by `where`: rows for usageGroupOf.
 */
export function ledgerGroupsSql(sessionCol: string, tiers: readonly number[], slotMs: number, where: string): string {
  return `SELECT ${sessionCol} AS session_id, model, speed, ${longContextSql(tiers)} AS long_ctx,
        (coalesce(ts, 0) / ${slotMs}) * ${slotMs} AS slot, count(*) AS n, sum(input) AS input, sum(output) AS output,
        sum(cache_5m) AS c5, sum(cache_1h) AS c1, sum(cache_creation) AS cc, sum(cache_read) AS cr,
        sum(legacy_cost_usd) AS legacy
      FROM api_messages ${where}
      GROUP BY ${sessionCol === 'session_id' ? 'session_id, ' : ''}model, speed, long_ctx, slot`;
}

/** A row of ledgerGroupsSql as the UsageGroup core prices. */
export function usageGroupOf(r: SqlRow): UsageGroup {
  return {
    sessionId: String(r.session_id),
    model: r.model === null || r.model === undefined ? null : String(r.model),
    speed: r.speed === null || r.speed === undefined ? null : String(r.speed),
    promptAbove: Number(r.long_ctx),
    slotMs: Number(r.slot),
    messages: Number(r.n),
    input: Number(r.input),
    output: Number(r.output),
    cache5m: Number(r.c5),
    cache1h: Number(r.c1),
    cacheCreation: Number(r.cc),
    cacheRead: Number(r.cr),
    legacyCostUsd: r.legacy === null || r.legacy === undefined ? null : Number(r.legacy),
  };
}
