import type { LocalCalendar } from '../reports/timeBuckets';
import type { IndexedUsage } from './analyticsIndex';
import { median, percentile } from './efficiency';
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
  usage: Pick<IndexedUsage, 'aggregates' | 'entries'>,
  cal: LocalCalendar,
  now: number,
): UsagePatterns {
  const sorted = [...usage.aggregates.activeDates.keys()].sort();
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
  const minutes: number[] = [];
  const perSession: number[] = [];
  for (const e of usage.entries()) {
    if (!e.span) continue;
    minutes.push((e.span[1] - e.span[0]) / 60_000);
    perSession.push(e.facts?.prompts ?? 0);
  }
  return {
    activeDays: sorted.length,
    longestStreak: longest,
    currentStreak: current,
    sessionMinutes: { median: median(minutes), p90: percentile(minutes, 0.9) },
    promptsPerSession: { median: median(perSession), max: perSession.reduce((a, b) => Math.max(a, b), 0) },
  };
}
