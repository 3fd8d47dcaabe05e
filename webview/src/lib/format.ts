/** Pure display formatters for the dashboard: numbers, money, durations, times, paths. */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// Formatters are built once per (locale, options) and reused: toLocaleString with a locale builds a new Intl object
// on every call, which made each rendered list row cost tens of microseconds per figure while scrolling.
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>(
  key: string,
  make: () => T,
): T {
  let f = cache.get(key) as T | undefined;
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}
const numberFormat = (locale: string, maxFraction?: number) =>
  cached(`n|${locale}|${maxFraction ?? ''}`, () =>
    maxFraction === undefined
      ? new Intl.NumberFormat(locale)
      : new Intl.NumberFormat(locale, { maximumFractionDigits: maxFraction }),
  );
const usdFormat = (locale: string, digits: number) =>
  cached(
    `usd|${locale}|${digits}`,
    () =>
      new Intl.NumberFormat(locale, {
        style: 'currency',
        currency: 'USD',
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }),
  );

export function formatCount(n: number, locale: string): string {
  return numberFormat(locale).format(n);
}

/** 1234 → "1.2k", 4_500_000 → "4.5M": token counts read at a glance; the exact figure goes in a tooltip. */
export function formatTokens(n: number, locale: string): string {
  if (n < 1000) return numberFormat(locale).format(n);
  const units: [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (n >= size) {
      const v = n / size;
      return `${numberFormat(locale, v < 10 ? 1 : 0).format(v)}${suffix}`;
    }
  }
  return String(n);
}

/** USD with cents, or four decimals below a cent so a small cost never reads as $0.00. */
export function formatUsd(usd: number, locale: string): string {
  return usdFormat(locale, usd > 0 && usd < 0.01 ? 4 : 2).format(usd);
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '–';
  if (ms < SECOND) return `${Math.round(ms)} ms`;
  if (ms < MINUTE) return `${(ms / SECOND).toFixed(ms < 10 * SECOND ? 1 : 0)} s`;
  if (ms < HOUR)
    return `${Math.floor(ms / MINUTE)} min${ms % MINUTE >= SECOND ? ` ${Math.floor((ms % MINUTE) / SECOND)} s` : ''}`;
  const h = Math.floor(ms / HOUR);
  const m = Math.floor((ms % HOUR) / MINUTE);
  return m > 0 ? `${h} h ${m} min` : `${h} h`;
}

/** "3 min ago", "yesterday", "2 months ago" in the UI language. */
export function formatRelative(iso: string | number, now: number, locale: string): string {
  const t = typeof iso === 'number' ? iso : Date.parse(iso);
  if (!Number.isFinite(t)) return '–';
  const diff = t - now;
  const abs = Math.abs(diff);
  const rtf = cached(`rel|${locale}`, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
  if (abs < MINUTE) return rtf.format(Math.round(diff / SECOND), 'second');
  if (abs < HOUR) return rtf.format(Math.round(diff / MINUTE), 'minute');
  if (abs < DAY) return rtf.format(Math.round(diff / HOUR), 'hour');
  if (abs < 30 * DAY) return rtf.format(Math.round(diff / DAY), 'day');
  if (abs < 365 * DAY) return rtf.format(Math.round(diff / (30 * DAY)), 'month');
  return rtf.format(Math.round(diff / (365 * DAY)), 'year');
}

export function formatDateTime(iso: string | number, locale: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '–';
  return cached(
    `dt|${locale}`,
    () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }),
  ).format(d);
}

export function formatTime(iso: string | number, locale: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '–';
  return cached(
    `t|${locale}`,
    () => new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' }),
  ).format(d);
}

/** The last path segment: "/home/me/src/shop-api" → "shop-api" (Windows separators too). */
export function projectShortName(path: string): string {
  const parts = path.split(/[\\/]+/).filter((p) => p.length > 0);
  return parts[parts.length - 1] ?? path;
}

/** The first line of a prompt, whitespace collapsed, for one-line rows. */
export function firstLine(text: string | null | undefined, max = 200): string {
  if (!text) return '';
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Short model names: "claude-sonnet-4-5-20250929" → "sonnet-4-5". */
export function shortModel(model: string): string {
  return model.replace(/^claude-/, '').replace(/-\d{8}$/, '');
}
