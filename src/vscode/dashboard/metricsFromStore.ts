import { type AnalyticsResult, computeAnalytics } from '../../core/analytics/analytics';
import type { SessionCodeContext } from '../../core/analytics/codeContextCost';
import { rangeStartMs } from '../../core/metrics/metricsRange';
import { metricsReport, referencedSessions, type SessionLabel } from '../../core/metrics/metricsReport';
import type { PriceTable } from '../../core/pricing/priceTable';
import { LocalCalendar, type Weekday } from '../../core/reports/timeBuckets';
import { StoreAnalyticsSource } from '../../infra/sqlite/analyticsSource';
import { sessionLabels } from '../../infra/sqlite/sessionLabels';
import type { Store } from '../../infra/sqlite/store';
import type { MetricsRange, MetricsReport } from '../../shared/protocol';

export interface ReportOptions {
  range: MetricsRange;
  timeZone: string;
  weekStartsOn: Weekday;
  nowMs: number;
  prices: PriceTable;
}

/** The analytics options of a range: rows since its first local day, the daily series from there to today. */
function analyticsOptions(o: ReportOptions) {
  const cal = new LocalCalendar(o.timeZone, { weekStartsOn: o.weekStartsOn });
  const sinceMs = rangeStartMs(o.range, cal, o.nowMs);
  const today = cal.date(o.nowMs);
  return {
    prices: o.prices,
    timeZone: o.timeZone,
    weekStartsOn: o.weekStartsOn,
    now: o.nowMs,
    filter: { sinceMs },
    days: { from: sinceMs === undefined ? undefined : cal.date(sinceMs), to: today },
  };
}

/** metrics/get over the local store: computeAnalytics, then the DTO with code context and session labels. */
export async function metricsFromStore(store: Store, o: ReportOptions): Promise<MetricsReport> {
  const a = await computeAnalytics(new StoreAnalyticsSource(store.db, o.prices), analyticsOptions(o));
  const git = store.codeContext.gitJsonBySession();
  const codeContextOf = (sid: string): SessionCodeContext | undefined => {
    const g = git.get(sid);
    return g ? { repoRoot: g.repoRoot, branch: g.branch, pullRequests: g.pullRequests } : undefined;
  };
  return metricsReport(a, { range: o.range, nowMs: o.nowMs, codeContextOf, labels: labelsOf(store, a) });
}

function labelsOf(store: Store, a: AnalyticsResult): Map<string, SessionLabel> {
  return sessionLabels(store.db, referencedSessions(a));
}

export async function emptyReport(o: ReportOptions): Promise<MetricsReport> {
  const none = { read: () => ({ sessions: [], usage: [], facts: [], topicDocs: [] }) };
  const a = await computeAnalytics(none, analyticsOptions(o));
  return metricsReport(a, { range: o.range, nowMs: o.nowMs, codeContextOf: () => undefined, labels: new Map() });
}
