import type { PriceTable } from '../pricing/priceTable';
import { groupCost, priceGroups, type TokenTotals, type UsageGroupLike } from '../sessions/sessionSummary';
import { LocalCalendar, type Period, type Weekday } from './timeBuckets';

export interface ReportRow {
  /** The bucket: YYYY-MM-DD (daily; weekly = the day its week starts, Monday unless asked) or YYYY-MM (monthly). */
  period: string;
  apiMessages: number;
  tokens: TokenTotals & { total: number };
  costUsd: number | null;
  models: string[];
  unpricedModels: string[];
}

export interface UsageReport {
  period: Period;
  timeZone: string;
  rows: ReportRow[];
  totals: Omit<ReportRow, 'period'>;
}

/** Buckets ledger groups by local calendar period and prices each bucket. */
export function buildUsageReport(
  groups: readonly UsageGroupLike[],
  prices: PriceTable,
  period: Period,
  timeZone: string,
  weekStartsOn: Weekday = 1,
): UsageReport {
  const cal = new LocalCalendar(timeZone, { weekStartsOn });
  const byBucket = new Map<string, UsageGroupLike[]>();
  for (const g of groups) {
    const k = cal.bucket(g.slotMs, period);
    const l = byBucket.get(k);
    if (l) l.push(g);
    else byBucket.set(k, [g]);
  }
  // Each group is priced once, for its bucket's row and again (from here) for the total.
  const costs = new Map<UsageGroupLike, number | undefined>();
  const costOf = (g: UsageGroupLike) => {
    if (costs.has(g)) return costs.get(g);
    const c = groupCost(g, prices);
    costs.set(g, c);
    return c;
  };
  const row = (period: string, gs: readonly UsageGroupLike[]): ReportRow => {
    const p = priceGroups(gs, prices, costOf);
    const t = p.tokens;
    return {
      period,
      apiMessages: p.apiMessages,
      tokens: { ...t, total: t.input + t.output + t.cacheCreation + t.cacheRead },
      costUsd: p.costUsd,
      models: p.models,
      unpricedModels: p.unpricedModels,
    };
  };
  const rows = [...byBucket.keys()].sort().map((k) => row(k, byBucket.get(k)!));
  const { period: _p, ...totals } = row('total', groups);
  return { period, timeZone, rows, totals };
}
