/**
 * Calendar buckets in a named IANA time zone. The store aggregates by 15-minute UTC slots — every real zone
 * offset is a multiple of 15 minutes — so mapping a slot to a local date is exact, DST included.
 */
export type Period = 'daily' | 'weekly' | 'monthly';

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT']);

export function assertTimeZone(tz: string): string {
  if (UTC_NAMES.has(tz)) return tz; // no ICU needed (its first use costs ~20 ms of a 100 ms report)
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new RangeError(`unknown time zone '${tz}'`);
  }
  return tz;
}

/**
 * The zone's offset when it never changes (UTC and its aliases), else undefined. With a fixed offset the local
 * date of an instant is plain arithmetic, so the store can group a calendar report by day instead of by slot.
 */
export function fixedOffsetMs(tz: string): number | undefined {
  return UTC_NAMES.has(tz) ? 0 : undefined;
}

export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export class LocalCalendar {
  private readonly fmt: { format(d: Date): string };
  private readonly cache = new Map<number, string>();
  private readonly utc: boolean;

  constructor(readonly timeZone: string) {
    this.utc = UTC_NAMES.has(assertTimeZone(timeZone));
    this.fmt = this.utc
      ? { format: (d: Date) => d.toISOString().slice(0, 10) }
      : new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  /** YYYY-MM-DD of an instant in this zone (en-CA formats dates as YYYY-MM-DD). */
  date(ms: number): string {
    // Every zone offset is a multiple of 15 minutes, so one lookup per 15-minute slot is exact.
    const slot = Math.floor(ms / 900_000);
    let d = this.cache.get(slot);
    if (d === undefined) {
      d = this.fmt.format(new Date(slot * 900_000));
      if (this.cache.size > 200_000) this.cache.clear();
      this.cache.set(slot, d);
    }
    return d;
  }

  bucket(ms: number, period: Period): string {
    const d = this.date(ms);
    if (period === 'daily') return d;
    if (period === 'monthly') return d.slice(0, 7);
    // ISO week, labelled by its Monday.
    const [y, m, day] = d.split('-').map(Number) as [number, number, number];
    const utc = Date.UTC(y, m - 1, day);
    const dow = (new Date(utc).getUTCDay() + 6) % 7;
    return new Date(utc - dow * 86_400_000).toISOString().slice(0, 10);
  }

  /** The instant a local calendar date (YYYY-MM-DD) starts in this zone. */
  startOfDate(date: string): number {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    // Start from UTC midnight and correct by the zone's offset at that time (twice, for DST edges).
    let guess = Date.UTC(y, m - 1, d);
    for (let i = 0; i < 2; i++) guess = Date.UTC(y, m - 1, d) - this.offsetMs(guess);
    return guess;
  }

  private offsetMs(ms: number): number {
    if (this.utc) return 0;
    const f = new Intl.DateTimeFormat('en-US', {
      timeZone: this.timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    const asUtc = Date.UTC(
      Number(p.year),
      Number(p.month) - 1,
      Number(p.day),
      Number(p.hour),
      Number(p.minute),
      Number(p.second),
    );
    return asUtc - Math.floor(ms / 1000) * 1000;
  }
}

/** `--since` values: YYYY-MM-DD or YYYYMMDD (start of that day in `tz`), or a full ISO timestamp. */
export function parseSince(value: string, tz: string): number {
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  const date = compact
    ? `${compact[1]}-${compact[2]}-${compact[3]}`
    : /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? value
      : undefined;
  if (date) {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    const check = new Date(Date.UTC(y, m - 1, d));
    if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d)
      throw new RangeError(`invalid date '${value}'`);
    return new LocalCalendar(tz).startOfDate(date);
  }
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || !Number.isFinite(t))
    throw new RangeError(`invalid date '${value}' (use YYYY-MM-DD, YYYYMMDD or an ISO timestamp)`);
  return t;
}
