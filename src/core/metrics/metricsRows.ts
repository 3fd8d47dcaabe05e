import type { SessionLengthBucket } from '../../shared/protocol/metricsReport';
import type { UsageGroupLike } from '../sessions/sessionSummary';

/** Tool calls of one tool in a range; withResult: calls whose result was recorded (the error rate's denominator). */
export interface ToolUsageRow {
  tool: string;
  calls: number;
  withResult: number;
  errors: number;
}

export type SessionLengthCounts = Record<SessionLengthBucket, number>;

/** What the store aggregates for the Metrics view (src/infra/sqlite/metricsReads.ts); pure data. */
export interface MetricsRows {
  /** Ledger groups per model, speed, long-context tier and 15-minute UTC slot (no session split). */
  slots: UsageGroupLike[];
  /** Ledger groups per session, model, speed, tier and UTC day: the per-project split. */
  sessionDays: UsageGroupLike[];
  /** session id → project path (masked; '' when unknown). */
  projectOf: Map<string, string>;
  tools: ToolUsageRow[];
  sessionLengths: SessionLengthCounts;
  /** The earliest usage in the store (the start of the "all" range); null when there is none. */
  firstUsageMs: number | null;
}
