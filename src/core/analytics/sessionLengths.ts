import type { UsageAggregates } from './usageAggregates';

/** Upper bounds (exclusive, minutes) of the session length buckets; the last bucket has none. */
export const SESSION_LENGTH_BOUNDS_MIN = [5, 15, 30, 60, 120, 240] as const;

export interface SessionLengthCount {
  /** The bucket's upper bound in minutes (exclusive); null for the open last bucket. */
  maxMinutes: number | null;
  sessions: number;
}

/**
 * Sessions by their active span: first to last prompt or API message (the same span usagePatterns' typical session
 * length measures), one count per bucket of SESSION_LENGTH_BOUNDS_MIN (UsageAggregates counts them as sessions come).
 */
export function sessionLengths(agg: UsageAggregates): SessionLengthCount[] {
  return agg.lengthCounts.map((sessions, i) => ({ maxMinutes: SESSION_LENGTH_BOUNDS_MIN[i] ?? null, sessions }));
}
