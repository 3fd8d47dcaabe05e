import type { AnalyticsOptions, AnalyticsResult } from '../../core/analytics/analytics';
import type { AnalyticsFilter } from '../../core/analytics/rows';

/** What the host asks the analytics worker: one computation over the store at dbPath. */
export interface AnalyticsRequest {
  filter?: AnalyticsFilter;
  options: AnalyticsOptions;
  /** Topic clustering (default true). */
  topics?: boolean;
}

export type HostToAnalyticsWorker = { type: 'compute'; id: number; dbPath: string; request: AnalyticsRequest };

export type AnalyticsWorkerToHost =
  | {
      type: 'result';
      id: number;
      result: AnalyticsResult;
      /** How it was read: the rollups (reloading this many sessions) or the rows. */
      read: { path: 'rollups' | 'rows'; reloadedSessions: number } | undefined;
      ms: number;
    }
  | { type: 'error'; id: number; message: string };
