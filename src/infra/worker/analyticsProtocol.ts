import type { AnalyticsOptions, AnalyticsResult } from '../../core/analytics/analytics';
import type { AnalyticsFilter, AnalyticsInput } from '../../core/analytics/rows';
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
 * Rows read elsewhere (synced rows from Supabase: the host reads them, the network is its part), computed into the
 * Metrics view's DTO here so the analytics and topic clustering stay off the host's thread. Never kept.
 */
export interface InputMetricsRequest {
  input: AnalyticsInput;
  options: AnalyticsOptions;
  range: MetricsRange;
  scope: MetricsScope;
}

export type HostToAnalyticsWorker =
  | { type: 'compute'; id: number; dbPath: string; request: AnalyticsRequest }
  | { type: 'computeInput'; id: number; request: InputMetricsRequest };

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
