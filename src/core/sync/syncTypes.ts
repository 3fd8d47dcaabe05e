import type { SyncMode } from './rows';

// The engine's configuration, outcome and status shapes: what its callers (the editor's controller, `cct sync`)
// read and write, apart from how a drain works.

export interface SyncConfig {
  mode: SyncMode;
  /** Globs on the (masked) project path; matching rows are discarded from the outbox unsent. */
  excludeProjects: readonly string[];
  /** Start (and ceiling) of the adaptive batch: rows per request. */
  maxBatchRows: number;
  /** Start (and ceiling) of the adaptive batch: JSON body bytes per request. */
  maxBatchBytes: number;
  /** Transient failures of one batch before the drain gives up (rows stay queued). */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** Longest Retry-After we sleep through inside a drain; longer ones end the drain and set not_before. */
  maxRetryAfterMs: number;
  /** Rounds an interaction waits for its missing parent session before it is dead-lettered. */
  maxParentWaits: number;
  /** Consecutive successful requests before a shrunken batch doubles again. */
  growAfter: number;
  /** Rows examined per re-queue step after a switch to a mode that sends more (OutboxPort.requeueForMode). */
  resendBatchRows: number;
}

export const DEFAULT_SYNC_CONFIG: SyncConfig = {
  mode: 'off',
  excludeProjects: [],
  maxBatchRows: 500,
  maxBatchBytes: 1_000_000,
  maxAttempts: 6,
  backoffBaseMs: 500,
  backoffCapMs: 30_000,
  maxRetryAfterMs: 120_000,
  maxParentWaits: 10,
  growAfter: 8,
  resendBatchRows: 1000,
};

export type DrainOutcome =
  | 'drained' // nothing ready is left
  | 'disabled' // mode off
  | 'circuit-open' // endpoint considered down; retry at report.retryAt
  | 'auth-required' // 401 after one refresh, or refresh impossible: sign in again
  | 'gave-up' // a batch exhausted its attempts; rows stay queued with not_before
  | 'aborted';

export interface DrainReport {
  outcome: DrainOutcome;
  requests: number;
  /** Rows put on the wire, counting every resend. */
  rowsSent: number;
  /** Rows re-sent after a failed request (retries, splits). */
  rowsRetried: number;
  /** Outbox entries acknowledged (delivered, or superseded by a delivered newer snapshot). */
  acked: number;
  deadLettered: number;
  discarded: number;
  /** Interactions put back to wait for their session (409 / 23503). */
  waitingForParent: number;
  /** Rows queued again because they were sent in a mode that sends less than the current one. */
  requeuedForMode: number;
  bytesSent: number;
  authRefreshes: number;
  retryAt?: number;
  lastError?: string;
  /** Batch size in rows at the end of the drain (adaptive). */
  batchRows: number;
}

export interface SyncStatus {
  mode: SyncMode;
  running: boolean;
  breaker: 'closed' | 'open' | 'half-open';
  lastOutcome?: DrainOutcome;
  lastError?: string;
  lastDrainAt?: number;
  retryAt?: number;
}
