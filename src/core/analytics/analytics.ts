import type { PriceTable } from '../pricing/priceTable';
import type { Weekday } from '../reports/timeBuckets';
import { AnalyticsIndex, perSessionOf } from './analyticsIndex';
import type { BillingBlock } from './billingBlocks';
import { dailyByModel, groupUsage, weekdayHourHeatmap } from './buckets';
import { type Efficiency, efficiency } from './efficiency';
import { type Insight, type InsightOptions, insights } from './insights';
import type { AnalyticsFilter, AnalyticsInput, AnalyticsRows } from './rows';
import { inputOfRows } from './sessionFacts';
import { type SessionLengthCount, sessionLengths } from './sessionLengths';
import { type Anomaly, costAnomalies, type DayPoint, dailySeries, type WeekPoint, weeklySeries } from './timeSeries';
import type { TopicModel } from './topics/topicModel';
import { type TopicResult, topics } from './topics/topics';
import type { UsageTotals } from './totals';
import { totalsOf } from './usageAggregates';
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

/** Everything the dashboard's Metrics view and `cct insights` show, from one input. */
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
  /** Sessions by active span (first to last prompt or API message in the input), in fixed buckets. */
  sessionLengths: SessionLengthCount[];
  heatmap: ReturnType<typeof weekdayHourHeatmap>;
  patterns: UsagePatterns;
  /** null when the rows came without topic documents. */
  topics: TopicResult | null;
  /** Parts of the analytics issue this build does not compute. */
  notComputed: string[];
}

/** Where analytics reads its input: the local store (rollups), rows from Supabase, rows in a test. */
export interface AnalyticsSource {
  read(filter: AnalyticsFilter): AnalyticsInput | Promise<AnalyticsInput>;
}

export interface ComputeAnalyticsOptions extends AnalyticsOptions {
  prices: PriceTable;
  filter?: AnalyticsFilter;
}

/**
 * The one entry point for the dashboard, the status bar and `cct insights`: reads the source's input (rows, or the
 * store's rollup cells and per-session facts) and computes everything from it with the same pure functions.
 */
export async function computeAnalytics(
  source: AnalyticsSource,
  options: ComputeAnalyticsOptions,
): Promise<AnalyticsResult> {
  const input = await source.read(options.filter ?? {});
  return analyticsOf(input, options.prices, options);
}

/** Analytics from plain rows (every source that has no rollups). */
export function buildAnalytics(rows: AnalyticsRows, prices: PriceTable, opts: AnalyticsOptions): AnalyticsResult {
  return analyticsOf(inputOfRows(rows), prices, opts);
}

/** What a long-lived caller (the analytics worker) keeps between computations, so the next one redoes less. */
export interface AnalyticsState {
  /** Per-session work and its sums (AnalyticsIndex): only the sessions whose input changed are redone. */
  index?: AnalyticsIndex;
  /** The topic clustering of the last computation over the same source and filter, updated instead of redone. */
  topics?: TopicModel;
}

/**
 * Analytics from rows or rollup cells: the result is the same for the same messages
 * (test/unit/analytics/rollupEquivalence). A long-lived caller passes the state it keeps (with a source that keeps its
 * per-session input, `input.perSession`): only the sessions whose input changed are redone.
 */
export function analyticsOf(
  rows: AnalyticsInput,
  prices: PriceTable,
  opts: AnalyticsOptions,
  state: AnalyticsState = {},
): AnalyticsResult {
  const kept = state.index;
  // A filtered read (a project) is a subset: it gets an index of its own rather than dropping the kept sessions.
  const reuse = kept?.serves(prices, opts.timeZone, opts.weekStartsOn) && rows.complete === true;
  const index = reuse && kept ? kept : new AnalyticsIndex(prices, opts.timeZone, opts.weekStartsOn);
  const cal = index.calendar;
  const usage = index.update(rows.perSession ?? perSessionOf(rows));
  const agg = usage.aggregates;
  const projectOf = (sid: string) => usage.metaOf(sid)?.projectPath ?? null;
  const daily = dailySeries(agg, opts.days);
  const anomalies = costAnomalies(daily, usage, { k: opts.k, projectOf });
  const minutesOf = (sid: string) => {
    const s = usage.metaOf(sid);
    return s?.firstTs != null && s.lastTs != null ? (s.lastTs - s.firstTs) / 60_000 : 0;
  };
  const costOf = (sid: string) => usage.costOf(sid) ?? undefined;
  // A kept model places new sessions in its clusters (reclustering past its threshold); else cluster from scratch.
  const topicsOf = (docs: NonNullable<AnalyticsInput['topicDocs']>, model: TopicModel | undefined) => {
    if (!model) return topics(docs, { seed: opts.topicSeed, costOf, minutesOf });
    model.update(docs);
    return model.result(costOf, minutesOf);
  };
  return {
    timeZone: opts.timeZone,
    weekStartsOn: cal.weekStartsOn,
    totals: { ...totalsOf(agg.totals), sessions: agg.usageSessions },
    efficiency: efficiency(usage),
    insights: insights(usage, rows.facts, anomalies, opts, rows.rowsBetween),
    anomalies,
    daily,
    weekly: weeklySeries(agg, cal),
    blocks: usage.blocks(opts.now),
    byProject: groupUsage(agg.projects),
    byModel: groupUsage(agg.models),
    byEntrypoint: groupUsage(agg.entrypoints),
    bySession: [...usage.bySession],
    dailyByModel: dailyByModel(agg),
    sessionLengths: sessionLengths(agg),
    heatmap: weekdayHourHeatmap(agg),
    patterns: usagePatterns(usage, cal, opts.now),
    topics: rows.topicDocs ? topicsOf(rows.topicDocs, state.topics) : null,
    notComputed: [
      // Budgets are evaluated by the editor's budget item (budgets.ts, BudgetMonitor), not here.
      ...(rows.notComputed ?? []),
    ],
  };
}
