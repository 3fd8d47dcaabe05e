import type { AnalyticsInput as RowsOrCells } from '../core/analytics/rows';
import type { PriceTable } from '../core/pricing/priceTable';
import { assertTimeZone, parseSince, systemTimeZone, type Weekday } from '../core/reports/timeBuckets';
import { defaultDbPath } from '../infra/fs/dataDir';
import { loadPrices } from '../infra/fs/priceOverrides';
import { StoreAnalyticsSource } from '../infra/sqlite/analyticsSource';
import { openExistingStore } from '../infra/sqlite/store';
import { lastFlag, type ParsedArgs } from './args';
import { UsageError } from './command';

/** The flags every analytics command takes (`cct report blocks`, `cct insights`). */
export const ANALYTICS_VALUE_FLAGS = ['db', 'tz', 'since', 'until', 'project', 'prices', 'now', 'week-start'];
export const ANALYTICS_USAGE =
  '[--db FILE] [--tz ZONE] [--since DATE] [--until DATE] [--project TEXT] [--prices FILE] [--now TIME] [--week-start mon|sun|…] [--json]';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export interface AnalyticsInput {
  timeZone: string;
  weekStartsOn: Weekday;
  now: number;
  sinceMs?: number;
  untilMs?: number;
  project?: string;
  prices: PriceTable;
  /** Rollup cells and facts (no time range, rollups current or refreshable), else the rows themselves. */
  data: RowsOrCells;
}

/** The shared flags, parsed: everything an analytics command needs but its rows. */
export type AnalyticsFlags = Omit<AnalyticsInput, 'data'>;

/**
 * Parses the shared flags (bad values are usage errors, exit 2) and reads the rows from the store. `--until` with a
 * bare date includes that whole local day; with a timestamp, the range ends just before it.
 */
export async function analyticsInput(
  p: ParsedArgs,
  env: Record<string, string | undefined>,
  opts: { topics?: boolean } = {},
): Promise<AnalyticsInput> {
  const flags = analyticsFlags(p);
  const { sinceMs, untilMs, project, prices } = flags;
  const store = await openExistingStore(lastFlag(p, 'db') ?? defaultDbPath(env));
  try {
    // Stale rollups (a store last scanned by an older build) are refreshed here when no scan holds the ingest lease;
    // when one does, it refreshes them itself and this run reads the rows (exact, slower).
    const owner = `cct-analytics:${process.pid}:${Date.now()}`;
    const leased = store.acquireLease(owner, 120_000);
    try {
      const source = new StoreAnalyticsSource(store.db, prices, { topics: opts.topics === true, refresh: leased });
      const data = source.read({ sinceMs, untilMs, project });
      if (leased) store.flush();
      return { ...flags, data };
    } finally {
      if (leased) store.releaseLease(owner);
    }
  } finally {
    store.close();
  }
}

/** The shared flags alone (bad values are usage errors, exit 2): `--remote` reads its rows from Supabase instead. */
export function analyticsFlags(p: ParsedArgs): AnalyticsFlags {
  let timeZone: string;
  let sinceMs: number | undefined;
  let untilMs: number | undefined;
  let now = Date.now();
  let weekStartsOn: Weekday = 1;
  try {
    timeZone = assertTimeZone(lastFlag(p, 'tz') ?? systemTimeZone());
    const since = lastFlag(p, 'since');
    sinceMs = since === undefined ? undefined : parseSince(since, timeZone);
    const until = lastFlag(p, 'until');
    if (until !== undefined) {
      const bareDate = /^\d{4}-?\d{2}-?\d{2}$/.test(until);
      // A bare date includes that whole local day: the range ends where the next day starts.
      untilMs = bareDate ? nextDayStart(until, timeZone) : parseSince(until, timeZone);
    }
    if (sinceMs !== undefined && untilMs !== undefined && untilMs <= sinceMs)
      throw new RangeError('--until must be after --since');
    const n = lastFlag(p, 'now');
    if (n !== undefined) now = parseSince(n, timeZone);
    weekStartsOn = parseWeekStart(lastFlag(p, 'week-start'));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  let prices: PriceTable;
  try {
    prices = loadPrices(lastFlag(p, 'prices'));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const project = lastFlag(p, 'project');
  return { timeZone, weekStartsOn, now, sinceMs, untilMs, project, prices };
}

/** `--week-start mon|sun|…` (any spelling starting with the day's three letters); Monday when absent. */
export function parseWeekStart(value: string | undefined): Weekday {
  if (value === undefined) return 1;
  const i = WEEKDAYS.indexOf(value.slice(0, 3).toLowerCase());
  if (i < 0 || !WEEKDAYS.some((d) => value.toLowerCase().startsWith(d)))
    throw new RangeError(`--week-start must be a weekday (mon, sun, …), got '${value}'`);
  return i as Weekday;
}

function nextDayStart(date: string, tz: string): number {
  const start = parseSince(date, tz);
  // 26 h later is always inside the next local day (days are 23–25 h long), whose start parseSince finds.
  const next = new Date(start + 26 * 3_600_000);
  const local = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(next);
  return parseSince(local, tz);
}
