import type { PriceTable } from '../pricing/priceTable';
import { LocalCalendar, type Weekday } from '../reports/timeBuckets';
import { type BillingBlock, billingBlocks } from './billingBlocks';
import { dailyByModel, groupUsage, weekdayHourHeatmap } from './buckets';
import { type Efficiency, efficiency } from './efficiency';
import { type Insight, type InsightOptions, insights } from './insights';
import { priceUsage } from './pricedUsage';
import type { AnalyticsFilter, AnalyticsRows } from './rows';
import { type SessionLengthCount, sessionLengths } from './sessionLengths';
import { type Anomaly, costAnomalies, type DayPoint, dailySeries, type WeekPoint, weeklySeries } from './timeSeries';
import { type TopicResult, topics } from './topics/topics';
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
  /** Local dates the daily series covers (idle days as zero); default the first to the last day with usage. */
  days?: { from?: string; to?: string };
}

/**
 * Where analytics reads its input: the local store (infra/sqlite/analyticsSource.ts), rows from Supabase, rows in a
 * test. (The same shape as branch anperf's entry point, which reads rollup cells from the store.)
 */
export interface AnalyticsSource {
  read(filter: AnalyticsFilter): AnalyticsRows | Promise<AnalyticsRows>;
}

export interface ComputeAnalyticsOptions extends AnalyticsOptions {
  prices: PriceTable;
  filter?: AnalyticsFilter;
}

/**
 * The one entry point of analytics for every consumer (the dashboard's Metrics view, the status bar, `cct`):
 * reads the source's rows for the filter and computes everything from them.
 */
export async function computeAnalytics(
  source: AnalyticsSource,
  opts: ComputeAnalyticsOptions,
): Promise<AnalyticsResult> {
  return buildAnalytics(await source.read(opts.filter ?? {}), opts.prices, opts);
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
  /** Per session with usage (key = session id), most expensive first: what per-branch and per-PR costs sum. */
  bySession: ReturnType<typeof groupUsage>;
  /** Per local day and model, with what caching saved that day: the stacked daily charts. */
  dailyByModel: ReturnType<typeof dailyByModel>;
  /** Sessions by active span (first to last prompt or API message in the rows), in fixed buckets. */
  sessionLengths: SessionLengthCount[];
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
  const daily = dailySeries(priced, cal, opts.days);
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
    bySession: groupUsage(priced, (p) => p.row.sessionId),
    dailyByModel: dailyByModel(priced, cal),
    sessionLengths: sessionLengths(priced, rows.prompts),
    heatmap: weekdayHourHeatmap(priced, cal),
    patterns: usagePatterns(priced, rows.prompts, cal, opts.now),
    topics: rows.topicDocs
      ? topics(rows.topicDocs, { seed: opts.topicSeed, costOf: (sid) => costBySession.get(sid), minutesOf })
      : null,
    notComputed: ['budgets and threshold notifications', 'official rate_limits next to the block estimate'],
  };
}
