import type { BucketUnit, LocalCalendar, Weekday } from '../reports/timeBuckets';
import type { UsageGroup } from './analyticsIndex';
import type { PricedUsage } from './pricedUsage';
import { addUsage, emptyTotals, type UsageTotals } from './totals';
import { type Sums, totalsOf, type UsageAggregates } from './usageAggregates';

export interface UsageBucket extends UsageTotals {
  /** The calendar key (LocalCalendar.bucket). */
  key: string;
  /** Sessions with usage in this bucket. */
  sessions: number;
}

/**
 * Usage per local hour, day, week or month of `cal`'s zone. Every row lands in exactly one bucket, so the buckets
 * sum to the totals in any zone (the property tests check this). Ordered by the first instant in each bucket,
 * which is chronological even for the repeated hour of a DST fall-back.
 */
export function bucketUsage(rows: readonly PricedUsage[], cal: LocalCalendar, unit: BucketUnit): UsageBucket[] {
  const byKey = new Map<string, { t: UsageTotals; first: number; sessions: Set<string> }>();
  for (const p of rows) {
    const key = cal.bucket(p.row.ts, unit);
    let b = byKey.get(key);
    if (!b) {
      b = { t: emptyTotals(), first: p.row.ts, sessions: new Set() };
      byKey.set(key, b);
    }
    addUsage(b.t, p);
    if (p.row.ts < b.first) b.first = p.row.ts;
    b.sessions.add(p.row.sessionId);
  }
  return [...byKey.entries()]
    .sort((a, b) => a[1].first - b[1].first || a[0].localeCompare(b[0]))
    .map(([key, b]) => ({ key, sessions: b.sessions.size, ...b.t }));
}

/** Cost and tokens by local weekday × hour (7 × 24 cells; weekday 0 = Sunday), for the heatmap. */
export function weekdayHourHeatmap(
  agg: UsageAggregates,
): { weekday: Weekday; hour: number; apiMessages: number; totalTokens: number; costUsd: number }[] {
  return agg.hours.map((h, i) => ({
    weekday: Math.floor(i / 24) as Weekday,
    hour: i % 24,
    apiMessages: h.apiMessages,
    totalTokens: h.totalTokens,
    costUsd: h.costUsd,
  }));
}

/** Totals per value of a dimension (project, model, entrypoint), most expensive first. */
export function groupUsage(sums: ReadonlyMap<string, Sums>): UsageGroup[] {
  return [...sums]
    .map(([key, s]) => ({ key, sessions: s.sessions, ...totalsOf(s) }))
    .sort((a, b) => (b.costUsd ?? 0) - (a.costUsd ?? 0) || b.totalTokens - a.totalTokens || a.key.localeCompare(b.key));
}

/** Usage per local day and model (a row per pair with usage), with the net money caching saved, oldest first. */
export function dailyByModel(
  agg: UsageAggregates,
): (UsageTotals & { date: string; model: string; cacheNetSavedUsd: number })[] {
  return [...agg.dayModels.values()]
    .map((d) => ({ date: d.date, model: d.model, cacheNetSavedUsd: d.cacheNetSavedUsd, ...totalsOf(d) }))
    .sort((a, b) => a.date.localeCompare(b.date) || a.model.localeCompare(b.model));
}
