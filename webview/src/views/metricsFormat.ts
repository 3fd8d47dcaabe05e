import type { AnalyticsMessage } from '../../../src/shared/analyticsMessages';
import { formatAnalyticsMessage, textLanguageOf } from '../../../src/shared/analyticsText';
import { notComputedText } from '../../../src/shared/notComputedText';

/** Number formats of the Metrics and Privacy views, in the UI language. */
export function formatters(locale: string) {
  const usd = (n: number) =>
    n !== 0 && Math.abs(n) < 0.01
      ? n.toLocaleString(locale, { style: 'currency', currency: 'USD', maximumSignificantDigits: 2 })
      : n.toLocaleString(locale, {
          style: 'currency',
          currency: 'USD',
          minimumFractionDigits: 2,
          maximumFractionDigits: 2,
        });
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const int = new Intl.NumberFormat(locale);
  return {
    /** An insight's or anomaly's one line, from its messageId and params (the host's `message` is English). */
    message: (m: AnalyticsMessage) => formatAnalyticsMessage(m, locale),
    /** What analytics cannot tell yet (its own English line) in the UI language. */
    notComputed: (line: string) => notComputedText(line, textLanguageOf(locale)),
    usd,
    /** Axis ticks: $0, $1.5, $12 (no cents clutter). */
    usdTick: (n: number) =>
      n.toLocaleString(locale, { style: 'currency', currency: 'USD', maximumFractionDigits: n < 10 ? 2 : 0 }),
    tokens: (n: number) => compact.format(n),
    int: (n: number) => int.format(n),
    pct: (n: number) => n.toLocaleString(locale, { style: 'percent', maximumFractionDigits: 1 }),
    /** An instant in the report's time zone: "Nov 28, 23:40". */
    at: (ms: number, timeZone: string) =>
      new Date(ms).toLocaleString(locale, {
        timeZone,
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      }),
    /** Minutes as a short duration: "45 s", "12 min", "3.5 h". */
    minutes: (m: number) =>
      m < 1
        ? `${Math.round(m * 60)} s`
        : m < 120
          ? `${m.toLocaleString(locale, { maximumFractionDigits: 1 })} min`
          : `${(m / 60).toLocaleString(locale, { maximumFractionDigits: 1 })} h`,
    /** "2026-11-28" → "Nov 28" / "11月28日" (a local date: formatted in UTC so it never shifts). */
    day: (d: string) =>
      new Date(`${d}T00:00:00Z`).toLocaleDateString(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' }),
  };
}

/** The last path segment(s) of a project path, for labels; the full path stays in tables and tooltips. */
export function shortProject(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts.length <= 1 ? path : parts.slice(-2).join('/');
}

/**
 * Session ids short enough to read and still tell apart: their first 8 characters, or, where those collide (ids
 * generated in sequence), "…" and the shortest unique tail.
 */
export function shortIds(ids: readonly string[]): string[] {
  const heads = ids.map((id) => id.slice(0, 8));
  if (new Set(heads).size === heads.length) return heads;
  for (let n = 4; n < 36; n++) {
    const tails = ids.map((id) => id.slice(-n));
    if (new Set(tails).size === tails.length) return tails.map((x) => `…${x}`);
  }
  return [...ids];
}
