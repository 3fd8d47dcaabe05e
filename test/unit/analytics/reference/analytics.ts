/**
 * FROZEN: src/core/analytics as it was before rollup cells (commit 4b3d9db), row by row. The rollup path must give
 * the same results as this on the same messages (rollupEquivalence.test.ts). Do not change it to make a test pass.
 */
import { type TopicResult, topics } from '../../../../src/core/analytics/topics/topics';
import type { PriceTable } from '../../../../src/core/pricing/priceTable';
import { LocalCalendar, type Weekday } from '../../../../src/core/reports/timeBuckets';
import { type BillingBlock, billingBlocks } from './billingBlocks';
import { groupUsage, weekdayHourHeatmap } from './buckets';
import { type Efficiency, efficiency } from './efficiency';
import { type Insight, type InsightOptions, insights } from './insights';
import { priceUsage } from './pricedUsage';
import type { AnalyticsRows } from './rows';
import { type Anomaly, costAnomalies, type DayPoint, dailySeries, type WeekPoint, weeklySeries } from './timeSeries';
import { sumUsage, type UsageTotals } from './totals';
import { type UsagePatterns, usagePatterns } from './usagePatterns';

export interface AnalyticsOptions extends InsightOptions {
  timeZone: string;
  weekStartsOn?: Weekday;
  now: number;
  /** Anomaly sensitivity: median + k·MAD (default 3). */
  k?: number;
  /** Seed of the topic clustering (default 1). */
  topicSeed?: number;
}

/** Everything `cct insights` (and later the dashboard) shows, from one set of rows. */
export interface AnalyticsResult {
  timeZone: string;
  weekStartsOn: Weekday;
  totals: UsageTotals & { sessions: number };
  efficiency: Efficiency;
  insights: Insight[];
  anomalies: Anomaly[];
  daily: DayPoint[];
  weekly: WeekPoint[];
  blocks: BillingBlock[];
  byProject: ReturnType<typeof groupUsage>;
  byModel: ReturnType<typeof groupUsage>;
  byEntrypoint: ReturnType<typeof groupUsage>;
  heatmap: ReturnType<typeof weekdayHourHeatmap>;
  patterns: UsagePatterns;
  /** null when the rows came without topic documents. */
  topics: TopicResult | null;
  /** Parts of the analytics issue this build does not compute. */
  notComputed: string[];
}

export function buildAnalytics(rows: AnalyticsRows, prices: PriceTable, opts: AnalyticsOptions): AnalyticsResult {
  const cal = new LocalCalendar(opts.timeZone, { weekStartsOn: opts.weekStartsOn });
  const priced = priceUsage(rows.usage, prices);
  const meta = new Map(rows.sessions.map((s) => [s.sessionId, s]));
  const projectOf = (sid: string) => meta.get(sid)?.projectPath ?? null;
  const daily = dailySeries(priced, cal);
  const anomalies = costAnomalies(daily, priced, cal, { k: opts.k, projectOf });
  const totals = sumUsage(priced);
  const costBySession = new Map<string, number>();
  for (const p of priced)
    if (p.costUsd !== undefined)
      costBySession.set(p.row.sessionId, (costBySession.get(p.row.sessionId) ?? 0) + p.costUsd);
  const minutesOf = (sid: string) => {
    const s = meta.get(sid);
    return s?.firstTs != null && s.lastTs != null ? (s.lastTs - s.firstTs) / 60_000 : 0;
  };
  return {
    timeZone: opts.timeZone,
    weekStartsOn: cal.weekStartsOn,
    totals: { ...totals, sessions: new Set(priced.map((p) => p.row.sessionId)).size },
    efficiency: efficiency(priced, rows.prompts, rows.toolCalls),
    insights: insights(priced, rows.sessions, rows.toolCalls, anomalies, opts),
    anomalies,
    daily,
    weekly: weeklySeries(priced, cal),
    blocks: billingBlocks(priced, opts.now),
    byProject: groupUsage(priced, (p) => projectOf(p.row.sessionId) ?? '(no project)'),
    byModel: groupUsage(priced, (p) => p.row.model ?? '(unknown)'),
    byEntrypoint: groupUsage(priced, (p) => meta.get(p.row.sessionId)?.entrypoint ?? '(unknown)'),
    heatmap: weekdayHourHeatmap(priced, cal),
    patterns: usagePatterns(priced, rows.prompts, cal, opts.now),
    topics: rows.topicDocs
      ? topics(rows.topicDocs, { seed: opts.topicSeed, costOf: (sid) => costBySession.get(sid), minutesOf })
      : null,
    notComputed: ['budgets and threshold notifications', 'official rate_limits next to the block estimate'],
  };
}
