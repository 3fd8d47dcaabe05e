import type { MetricsRange } from '../../shared/protocol/metricsReport';
import type { LocalCalendar } from '../reports/timeBuckets';

const DAY_MS = 86_400_000;
const RANGE_DAYS: Record<Exclude<MetricsRange, 'all'>, number> = { '7d': 7, '30d': 30, '90d': 90 };

/** YYYY-MM-DD plus n calendar days (plain date arithmetic, no zone involved). */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + n * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The first instant of a range in the zone: the start of the local day `days - 1` days before today, so "7 days"
 * is today and the six local days before it, whatever DST did in between. undefined for "all".
 */
export function rangeStartMs(range: MetricsRange, cal: LocalCalendar, nowMs: number): number | undefined {
  if (range === 'all') return undefined;
  return cal.startOfDate(addDays(cal.date(nowMs), -(RANGE_DAYS[range] - 1)));
}
