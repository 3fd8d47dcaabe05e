import { activeSpans } from './activeSpans';
import type { PricedUsage } from './pricedUsage';
import type { SessionFacts } from './rows';

/** Upper bounds (exclusive, minutes) of the session length buckets; the last bucket has none. */
export const SESSION_LENGTH_BOUNDS_MIN = [5, 15, 30, 60, 120, 240] as const;

export interface SessionLengthCount {
  /** The bucket's upper bound in minutes (exclusive); null for the open last bucket. */
  maxMinutes: number | null;
  sessions: number;
}

/**
 * Sessions by their active span in the input: first to last prompt or API message (the same span usagePatterns'
 * typical session length measures), one count per bucket of SESSION_LENGTH_BOUNDS_MIN. Usage rows may be rollup
 * cells (first `ts` to `lastTs`), prompts come as the facts' spans: the same result as from plain rows.
 */
export function sessionLengths(usage: readonly PricedUsage[], facts: readonly SessionFacts[]): SessionLengthCount[] {
  const span = activeSpans(usage, facts);
  const counts = [...SESSION_LENGTH_BOUNDS_MIN.map((b) => ({ maxMinutes: b as number | null, sessions: 0 }))];
  counts.push({ maxMinutes: null, sessions: 0 });
  for (const [a, b] of span.values()) {
    const minutes = (b - a) / 60_000;
    const i = SESSION_LENGTH_BOUNDS_MIN.findIndex((bound) => minutes < bound);
    counts[i < 0 ? counts.length - 1 : i]!.sessions++;
  }
  return counts;
}
