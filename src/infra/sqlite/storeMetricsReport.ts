import type { AnalyticsResult } from '../../core/analytics/analytics';
import type { SessionCodeContext } from '../../core/analytics/codeContextCost';
import { metricsReport, referencedSessions } from '../../core/metrics/metricsReport';
import type { MetricsRange, MetricsReport } from '../../shared/protocol';
import { sessionLabels } from './sessionLabels';
import type { Store } from './store';

/**
 * The Metrics view's DTO of computed analytics, with the code context and labels of the sessions it names read from
 * this store. Built where the analytics ran (the analytics worker, or the host's sql.js fallback): the result holds
 * every session (MBs at 20,000), the DTO a few KiB.
 */
export function storeMetricsReport(
  store: Store,
  a: AnalyticsResult,
  view: { range: MetricsRange; nowMs: number },
): MetricsReport {
  const git = store.codeContext.gitJsonBySession();
  const codeContextOf = (sid: string): SessionCodeContext | undefined => {
    const g = git.get(sid);
    return g ? { repoRoot: g.repoRoot, branch: g.branch, pullRequests: g.pullRequests } : undefined;
  };
  const labels = sessionLabels(store.db, referencedSessions(a));
  return metricsReport(a, { range: view.range, nowMs: view.nowMs, codeContextOf, labels });
}
