import type { MetricsRange, MetricsReport, MetricsScope } from '../../shared/protocol/metricsReport';
import type { AnalyticsResult } from '../analytics/analytics';
import type { AnalyticsInput } from '../analytics/rows';
import { metricsReport, referencedSessions, type SessionLabel } from './metricsReport';

/**
 * The Metrics view's DTO of analytics over rows that came without a store (synced rows read from Supabase): the
 * sessions it names are labelled from the input's own session rows, and no code context is known (synced rows carry
 * the repository, but the per-PR breakdown reads the local store's git records).
 */
export function inputMetricsReport(
  input: AnalyticsInput,
  a: AnalyticsResult,
  view: { range: MetricsRange; nowMs: number; scope: MetricsScope },
): MetricsReport {
  const meta = new Map(input.sessions.map((s) => [s.sessionId, s]));
  const labels = new Map<string, SessionLabel>();
  for (const id of referencedSessions(a)) {
    const s = meta.get(id);
    if (s) labels.set(id, { firstPrompt: s.title, projectPath: s.projectPath, startMs: s.firstTs });
  }
  return metricsReport(a, {
    range: view.range,
    nowMs: view.nowMs,
    codeContextOf: () => undefined,
    labels,
    source: { scope: view.scope, notComputed: input.notComputed ?? [] },
  });
}
