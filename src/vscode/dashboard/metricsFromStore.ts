import { computeAnalytics } from '../../core/analytics/analytics';
import { rangeStartMs } from '../../core/metrics/metricsRange';
import { metricsReport } from '../../core/metrics/metricsReport';
import type { PriceTable } from '../../core/pricing/priceTable';
import { LocalCalendar, type Weekday } from '../../core/reports/timeBuckets';
import { StoreAnalyticsSource } from '../../infra/sqlite/analyticsSource';
import type { Store } from '../../infra/sqlite/store';
import { storeMetricsReport } from '../../infra/sqlite/storeMetricsReport';
import type { AnalyticsRequest, AnalyticsService } from '../../infra/worker/analyticsService';
import type { MetricsRange, MetricsReport } from '../../shared/protocol';

export interface ReportOptions {
  range: MetricsRange;
  timeZone: string;
  weekStartsOn: Weekday;
  nowMs: number;
  prices: PriceTable;
}

/**
 * What analytics computes for a range: rows since its first local day, the daily series from there to today (the
 * worker's request; the worker prices with the built-in table).
 */
export function analyticsRequestOf(o: Omit<ReportOptions, 'prices'>): AnalyticsRequest {
  const cal = new LocalCalendar(o.timeZone, { weekStartsOn: o.weekStartsOn });
  const sinceMs = rangeStartMs(o.range, cal, o.nowMs);
  const today = cal.date(o.nowMs);
  return {
    filter: { sinceMs },
    options: {
      timeZone: o.timeZone,
      weekStartsOn: o.weekStartsOn,
      now: o.nowMs,
      days: { from: sinceMs === undefined ? undefined : cal.date(sinceMs), to: today },
    },
  };
}

/** The same, for computeAnalytics in this thread. */
function analyticsOptions(o: ReportOptions) {
  const { filter, options } = analyticsRequestOf(o);
  return { ...options, filter, prices: o.prices };
}

/**
 * metrics/get over the local store, in this thread: computeAnalytics, then the DTO. The sql.js fallback (no
 * node:sqlite, so no connection a worker could share with the scans) and the tests' own price tables use it.
 */
export async function metricsFromStore(store: Store, o: ReportOptions): Promise<MetricsReport> {
  const a = await computeAnalytics(new StoreAnalyticsSource(store.db, o.prices), analyticsOptions(o));
  return storeMetricsReport(store, a, o);
}

/**
 * metrics/get computed by the analytics worker (AnalyticsService), off the extension host's thread, DTO included:
 * at 20,000 sessions the analytics result is MBs and the DTO building a few hundred ms, the DTO a few KiB.
 */
export async function metricsFromWorker(
  analytics: AnalyticsService,
  o: Omit<ReportOptions, 'prices'>,
): Promise<MetricsReport> {
  return (await analytics.metrics(analyticsRequestOf(o), o.range)).report;
}

export async function emptyReport(o: ReportOptions): Promise<MetricsReport> {
  const none = { read: () => ({ sessions: [], usage: [], facts: [], topicDocs: [] }) };
  const a = await computeAnalytics(none, analyticsOptions(o));
  return metricsReport(a, { range: o.range, nowMs: o.nowMs, codeContextOf: () => undefined, labels: new Map() });
}
