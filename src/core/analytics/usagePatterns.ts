import type { LocalCalendar } from '../reports/timeBuckets';
import { activeSpans } from './activeSpans';
import { median, percentile } from './efficiency';
import type { PricedUsage } from './pricedUsage';
import type { SessionFacts } from './rows';
import { datesBetween } from './timeSeries';

export interface Streak {
  days: number;
  from: string;
  to: string;
}

export interface UsagePatterns {
  /** Local days with any prompt or API message. */
  activeDays: number;
  longestStreak: Streak | null;
  /** The run of active days ending today or yesterday (local); null when the last active day is older. */
  currentStreak: Streak | null;
  /** First to last activity per session (prompts and API messages), in minutes. */
  sessionMinutes: { median: number | null; p90: number | null };
  /** User prompts per session with activity. */
  promptsPerSession: { median: number | null; max: number };
}

/** Streaks of active local days and typical session length. */
export function usagePatterns(
  usage: readonly PricedUsage[],
  facts: readonly SessionFacts[],
  cal: LocalCalendar,
  now: number,
): UsagePatterns {
  const days = new Set<string>();
  const span = activeSpans(usage, facts, (ts) => days.add(cal.date(ts)));
  const promptsBy = new Map<string, number>();
  for (const f of facts) promptsBy.set(f.sessionId, (promptsBy.get(f.sessionId) ?? 0) + f.prompts);
  const sorted = [...days].sort();
  let longest: Streak | null = null;
  let run: Streak | null = null;
  for (const d of sorted) {
    run =
      run && datesBetween(run.to, d).length === 2
        ? { days: run.days + 1, from: run.from, to: d }
        : { days: 1, from: d, to: d };
    if (!longest || run.days > longest.days) longest = run;
  }
  const today = cal.date(now);
  const yesterday = cal.date(cal.startOfDate(today) - 1);
  const current = run && (run.to === today || run.to === yesterday) ? run : null;
  const minutes = [...span.values()].map(([a, b]) => (b - a) / 60_000);
  const perSession = [...span.keys()].map((sid) => promptsBy.get(sid) ?? 0);
  return {
    activeDays: days.size,
    longestStreak: longest,
    currentStreak: current,
    sessionMinutes: { median: median(minutes), p90: percentile(minutes, 0.9) },
    promptsPerSession: { median: median(perSession), max: perSession.reduce((a, b) => Math.max(a, b), 0) },
  };
}
