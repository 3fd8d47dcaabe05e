/**
 * Calendar buckets in a named IANA time zone. The store aggregates by 15-minute UTC slots — every real zone
 * offset is a multiple of 15 minutes — so mapping a slot to a local date is exact, DST included.
 */
export type Period = 'daily' | 'weekly' | 'monthly';
/** Every bucket size analytics uses; hourly keys carry the zone offset, so a repeated DST hour stays two buckets. */
export type BucketUnit = 'hourly' | Period;
/** 0 = Sunday … 6 = Saturday (Date.getUTCDay numbering). */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** The local wall clock of an instant in one zone. */
export interface LocalParts {
  /** YYYY-MM-DD */
  date: string;
  /** 0–23 */
  hour: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: Weekday;
  /** Zone offset from UTC in minutes (+540 for Asia/Tokyo). */
  offsetMin: number;
}

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
  private readonly partsCache = new Map<number, LocalParts>();
  private readonly dates = new Map<string, string>();
  private partsFmt: Intl.DateTimeFormat | undefined;
  /** UTC day → the zone's offset (minutes) all day, or per quarter-hour on a day it changes. */
  private readonly dayOffsets = new Map<number, number | number[]>();
  /** Local date → the date its week starts (a few thousand dates at most). */
  private readonly weekOf = new Map<string, string>();
  private readonly utc: boolean;
  /** Weeks start on this day (default Monday, ISO). */
  readonly weekStartsOn: Weekday;

  constructor(
    readonly timeZone: string,
    opts: { weekStartsOn?: Weekday } = {},
  ) {
    this.weekStartsOn = opts.weekStartsOn ?? 1;
    if (!Number.isInteger(this.weekStartsOn) || this.weekStartsOn < 0 || this.weekStartsOn > 6)
      throw new RangeError(`weekStartsOn must be 0 (Sunday) to 6 (Saturday), got ${opts.weekStartsOn}`);
    this.utc = UTC_NAMES.has(assertTimeZone(timeZone));
    // UTC dates straight from the ISO string; other zones' dates come from parts() (offset per slot).
    this.fmt = { format: (d: Date) => d.toISOString().slice(0, 10) };
  }

  /** YYYY-MM-DD of an instant in this zone (en-CA formats dates as YYYY-MM-DD). */
  date(ms: number): string {
    // Every zone offset is a multiple of 15 minutes, so one lookup per 15-minute slot is exact.
    // Other zones read it from parts(): one cache per slot, not two.
    if (!this.utc) return this.parts(ms).date;
    const slot = Math.floor(ms / 900_000);
    let d = this.cache.get(slot);
    if (d === undefined) {
      d = this.dateString(this.fmt.format(new Date(slot * 900_000)));
      if (this.cache.size > 200_000) this.cache.clear();
      this.cache.set(slot, d);
    }
    return d;
  }

  /** One string per local date (a year of quarter-hour slots names ~365 dates 35,000 times). */
  private dateString(d: string): string {
    const had = this.dates.get(d);
    if (had !== undefined) return had;
    if (this.dates.size > 100_000) this.dates.clear();
    this.dates.set(d, d);
    return d;
  }

  /** Local date, hour, weekday and offset of an instant (one Intl call per 15-minute slot, like date()). */
  parts(ms: number): LocalParts {
    const slot = Math.floor(ms / 900_000);
    let p = this.partsCache.get(slot);
    if (p === undefined) {
      const at = slot * 900_000;
      if (this.utc) {
        const d = new Date(at);
        p = {
          date: this.dateString(d.toISOString().slice(0, 10)),
          hour: d.getUTCHours(),
          weekday: d.getUTCDay() as Weekday,
          offsetMin: 0,
        };
      } else {
        // The local wall time from the zone's offset at this slot: no Intl call per slot (analytics over a year
        // of quarter-hour cells asks for ~35,000 slots).
        const offsetMin = this.slotOffsetMin(slot);
        const wall = new Date(at + offsetMin * 60_000);
        p = {
          date: this.dateString(wall.toISOString().slice(0, 10)),
          hour: wall.getUTCHours(),
          weekday: wall.getUTCDay() as Weekday,
          offsetMin,
        };
      }
      if (this.partsCache.size > 200_000) this.partsCache.clear();
      this.partsCache.set(slot, p);
    }
    return p;
  }

  /**
   * The bucket key of an instant: YYYY-MM-DD (daily; weekly = the date its week starts), YYYY-MM (monthly), or
   * YYYY-MM-DDTHH:00±HH:MM (hourly: the offset keeps the two 01:00 hours of a DST fall-back apart).
   */
  bucket(ms: number, period: BucketUnit): string {
    if (period === 'hourly') {
      const p = this.parts(ms);
      const off = Math.abs(p.offsetMin);
      const sign = p.offsetMin < 0 ? '-' : '+';
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${p.date}T${pad(p.hour)}:00${sign}${pad(Math.floor(off / 60))}:${pad(off % 60)}`;
    }
    const d = this.date(ms);
    if (period === 'daily') return d;
    if (period === 'monthly') return d.slice(0, 7);
    return this.weekStartOf(d);
  }

  /** The local date (YYYY-MM-DD) the week of a local date starts (weekStartsOn): the weekly bucket's key. */
  weekStartOf(d: string): string {
    // Labelled by the date its week starts (Monday by default: ISO weeks); one computation per date.
    let w = this.weekOf.get(d);
    if (w === undefined) {
      const [y, m, day] = d.split('-').map(Number) as [number, number, number];
      const utc = Date.UTC(y, m - 1, day);
      const back = (new Date(utc).getUTCDay() - this.weekStartsOn + 7) % 7;
      w = new Date(utc - back * 86_400_000).toISOString().slice(0, 10);
      this.weekOf.set(d, w);
    }
    return w;
  }

  /**
   * The zone's offset (minutes) during a quarter-hour slot. Asked of Intl twice per UTC day (its first and last slot):
   * equal, the whole day has that offset (no zone changes its offset and back within a day); different, each of
   * that day's 96 slots is asked (a DST day, twice a year).
   */
  private slotOffsetMin(slot: number): number {
    const day = Math.floor(slot / 96);
    let o = this.dayOffsets.get(day);
    if (o === undefined) {
      const first = this.intlOffsetMin(day * 96 * 900_000);
      const last = this.intlOffsetMin((day * 96 + 95) * 900_000);
      o = first === last ? first : Array.from({ length: 96 }, (_, i) => this.intlOffsetMin((day * 96 + i) * 900_000));
      if (this.dayOffsets.size > 20_000) this.dayOffsets.clear();
      this.dayOffsets.set(day, o);
    }
    return typeof o === 'number' ? o : o[slot - day * 96]!;
  }

  /** The offset at an instant (a multiple of 15 minutes), from Intl's wall time there. */
  private intlOffsetMin(at: number): number {
    this.partsFmt ??= new Intl.DateTimeFormat('en-US', {
      timeZone: this.timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    const f = Object.fromEntries(this.partsFmt.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
    const wall = Date.UTC(Number(f.year), Number(f.month) - 1, Number(f.day), Number(f.hour), Number(f.minute));
    return Math.round((wall - at) / 60_000);
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
