import type { AnalyticsOptions, AnalyticsResult } from '../../core/analytics/analytics';
import type { AnalyticsFilter } from '../../core/analytics/rows';
import type { SyncedInteraction, SyncedSession } from '../../core/analytics/syncedRows';
import type { MetricsRange, MetricsReport, MetricsScope } from '../../shared/protocol';

/** What the host asks the analytics worker: one computation over the store at dbPath. */
export interface AnalyticsRequest {
  filter?: AnalyticsFilter;
  options: AnalyticsOptions;
  /** Topic clustering (default true). */
  topics?: boolean;
  /**
   * Answer with the Metrics view's DTO of this range (at options.now), built in the worker, instead of the result:
   * a few KiB to copy to the host instead of MBs, and no DTO building on its thread.
   */
  metrics?: { range: MetricsRange };
}

/**
 * Synced rows read from Supabase by the host (the network is its part), streamed here page by page as they arrive and
 * computed into the Metrics view's DTO once the last page is in: the host never holds or maps them all, and the
 * analytics and topic clustering stay off its thread. Never kept after the answer.
 */
export interface SyncedMetricsRequest {
  options: AnalyticsOptions;
  range: MetricsRange;
  scope: MetricsScope;
  /** One user's rows (plain session ids), or a team admin's (keyed user/session). */
  userScoped: boolean;
  topics: boolean;
}

export type HostToAnalyticsWorker =
  | { type: 'compute'; id: number; dbPath: string; request: AnalyticsRequest }
  | { type: 'syncedBegin'; id: number; request: SyncedMetricsRequest }
  | { type: 'syncedPage'; id: number; table: 'sessions'; rows: SyncedSession[] }
  | { type: 'syncedPage'; id: number; table: 'interactions'; rows: SyncedInteraction[] }
  /** The last page was sent: compute and answer. */
  | { type: 'syncedEnd'; id: number }
  /** The read failed midway: drop the pages. */
  | { type: 'syncedAbort'; id: number };

export type AnalyticsWorkerToHost =
  | {
      type: 'result';
      id: number;
      /** The result, or the Metrics DTO when the request asked for it. */
      answer: { result: AnalyticsResult } | { report: MetricsReport };
      /** How it was read: the rollups (reloading this many sessions) or the rows. */
      read: { path: 'rollups' | 'rows'; reloadedSessions: number } | undefined;
      ms: number;
    }
  | { type: 'error'; id: number; message: string };
