import type { BucketUnit, LocalCalendar, Weekday } from '../reports/timeBuckets';
import type { PricedUsage } from './pricedUsage';
import { messagesOf } from './rows';
import { addUsage, emptyTotals, type UsageTotals } from './totals';

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
  rows: readonly PricedUsage[],
  cal: LocalCalendar,
): { weekday: Weekday; hour: number; apiMessages: number; totalTokens: number; costUsd: number }[] {
  const cells = Array.from({ length: 7 * 24 }, (_, i) => ({
    weekday: Math.floor(i / 24) as Weekday,
    hour: i % 24,
    apiMessages: 0,
    totalTokens: 0,
    costUsd: 0,
  }));
  for (const p of rows) {
    const l = cal.parts(p.row.ts);
    const c = cells[l.weekday * 24 + l.hour]!;
    c.apiMessages += messagesOf(p.row);
    c.totalTokens += p.row.input + p.row.output + p.row.cacheCreation + p.row.cacheRead;
    c.costUsd += p.costUsd ?? 0;
  }
  return cells;
}

/** Totals per value of a dimension (project, model, entrypoint…), most expensive first. */
export function groupUsage(
  rows: readonly PricedUsage[],
  keyOf: (p: PricedUsage) => string,
): (UsageTotals & { key: string; sessions: number })[] {
  const byKey = new Map<string, { t: UsageTotals; sessions: Set<string> }>();
  for (const p of rows) {
    const k = keyOf(p);
    let b = byKey.get(k);
    if (!b) {
      b = { t: emptyTotals(), sessions: new Set() };
      byKey.set(k, b);
    }
    addUsage(b.t, p);
    b.sessions.add(p.row.sessionId);
  }
  return [...byKey.entries()]
    .map(([key, b]) => ({ key, sessions: b.sessions.size, ...b.t }))
    .sort((a, b) => (b.costUsd ?? 0) - (a.costUsd ?? 0) || b.totalTokens - a.totalTokens || a.key.localeCompare(b.key));
}

/** Usage per local day and model (a row per pair with usage), with the net money caching saved, oldest first. */
export function dailyByModel(
  rows: readonly PricedUsage[],
  cal: LocalCalendar,
): (UsageTotals & { date: string; model: string; cacheNetSavedUsd: number })[] {
  const byKey = new Map<string, UsageTotals & { date: string; model: string; cacheNetSavedUsd: number }>();
  for (const p of rows) {
    const date = cal.date(p.row.ts);
    const model = p.row.model ?? '(unknown)';
    const key = `${date}\u0000${model}`;
    let b = byKey.get(key);
    if (!b) {
      b = { date, model, cacheNetSavedUsd: 0, ...emptyTotals() };
      byKey.set(key, b);
    }
    addUsage(b, p);
    b.cacheNetSavedUsd += p.cacheReadSavedUsd - p.cacheWritePremiumUsd;
  }
  return [...byKey.values()].sort((a, b) => a.date.localeCompare(b.date) || a.model.localeCompare(b.model));
}
