import type { CostAnomalyMessage } from '../../shared/analyticsMessages';
import type { LocalCalendar } from '../reports/timeBuckets';
import type { IndexedUsage } from './analyticsIndex';
import { median } from './efficiency';
import { costOf, type UsageAggregates } from './usageAggregates';

export interface DayPoint {
  /** Local date YYYY-MM-DD. */
  date: string;
  costUsd: number;
  totalTokens: number;
  apiMessages: number;
  sessions: number;
  /** Trailing means over 7 and 28 calendar days ending here (idle days count as 0); null until that much history. */
  rolling7CostUsd: number | null;
  rolling28CostUsd: number | null;
}

export interface WeekPoint {
  /** The local date the week starts (LocalCalendar.weekStartsOn). */
  week: string;
  costUsd: number;
  totalTokens: number;
  /** Change in cost against the week before; null for the first week or after a $0 week. */
  changeVsPreviousWeek: number | null;
}

export interface Anomaly {
  date: string;
  costUsd: number;
  /** The day's usual cost: median of the days with usage in the 28 days before it. */
  baselineCostUsd: number;
  /** The flag line: median + k · 1.4826 · MAD (MAD floored at 10 % of the median). */
  thresholdUsd: number;
  ratio: number;
  /** In English; messageId and params say the same for formatAnalyticsMessage (src/shared/analyticsText.ts). */
  explanation: string;
  messageId: CostAnomalyMessage['messageId'];
  params: CostAnomalyMessage['params'];
  evidence: { sessionIds: string[]; project: string | null; projectShare: number };
}

export interface SeriesOptions {
  /** Anomaly sensitivity (default 3). */
  k?: number;
  /** Days with usage needed before a day can be judged (default 5). */
  minHistoryDays?: number;
  /** Session → project label, for explanations. */
  projectOf?: (sessionId: string) => string | null;
}

const DAY = 86_400_000;

/** The local dates from a to b inclusive (YYYY-MM-DD; calendar arithmetic, independent of any zone). */
export function datesBetween(a: string, b: string): string[] {
  const out: string[] = [];
  const toMs = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
  for (let t = toMs(a); t <= toMs(b); t += DAY) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** Per local day, every day from the first to the last usage (or the range given) present, idle days as zero. */
export function dailySeries(agg: UsageAggregates, range: { from?: string; to?: string } = {}): DayPoint[] {
  const byDate = new Map<string, { cost: number; tokens: number; n: number; sessions: number }>();
  for (const [date, d] of agg.days)
    byDate.set(date, { cost: costOf(d), tokens: d.totalTokens, n: d.apiMessages, sessions: d.sessions });
  const keys = [...byDate.keys()].sort();
  const last = keys[keys.length - 1];
  const from = range.from ?? keys[0];
  // Usage after the range's end (a clock ahead of "now") extends the series rather than vanishing from it.
  const to = range.to !== undefined && (last === undefined || range.to >= last) ? range.to : last;
  if (!from || !to) return [];
  const days = datesBetween(from, to);
  const costs = days.map((d) => byDate.get(d)?.cost ?? 0);
  const trailing = (i: number, w: number) => {
    if (i + 1 < w) return null;
    let s = 0;
    for (let j = i - w + 1; j <= i; j++) s += costs[j]!;
    return s / w;
  };
  return days.map((date, i) => {
    const b = byDate.get(date);
    return {
      date,
      costUsd: b?.cost ?? 0,
      totalTokens: b?.tokens ?? 0,
      apiMessages: b?.n ?? 0,
      sessions: b?.sessions ?? 0,
      rolling7CostUsd: trailing(i, 7),
      rolling28CostUsd: trailing(i, 28),
    };
  });
}

/** Cost per local week and its change against the week before. */
export function weeklySeries(agg: UsageAggregates, cal: LocalCalendar): WeekPoint[] {
  const byWeek = new Map<string, { cost: number; tokens: number }>();
  for (const [date, d] of agg.days) {
    const w = cal.weekStartOf(date);
    const b = byWeek.get(w) ?? { cost: 0, tokens: 0 };
    b.cost += costOf(d);
    b.tokens += d.totalTokens;
    byWeek.set(w, b);
  }
  const keys = [...byWeek.keys()].sort();
  if (keys.length === 0) return [];
  // Every week from the first to the last, idle weeks as zero (the change is against the calendar week before).
  const out: WeekPoint[] = [];
  for (const d of datesBetween(keys[0]!, keys[keys.length - 1]!).filter((_, i) => i % 7 === 0)) {
    const b = byWeek.get(d) ?? { cost: 0, tokens: 0 };
    const prev = out[out.length - 1];
    out.push({
      week: d,
      costUsd: b.cost,
      totalTokens: b.tokens,
      changeVsPreviousWeek: prev && prev.costUsd > 0 ? (b.cost - prev.costUsd) / prev.costUsd : null,
    });
  }
  return out;
}

/**
 * Days whose cost is beyond median + k·MAD of the days with usage in the 28 days before, each with a one-line
 * explanation naming the project and sessions that made most of it.
 */
export function costAnomalies(
  series: readonly DayPoint[],
  usage: Pick<IndexedUsage, 'aggregates'>,
  opts: SeriesOptions = {},
): Anomaly[] {
  const k = opts.k ?? 3;
  const minHistory = opts.minHistoryDays ?? 5;
  const out: Anomaly[] = [];
  const flagged: { i: number; baseline: number; threshold: number; baseTokens: number }[] = [];
  for (let i = 0; i < series.length; i++) {
    const history = series.slice(Math.max(0, i - 28), i).filter((d) => d.apiMessages > 0);
    if (history.length < minHistory) continue;
    const costs = history.map((d) => d.costUsd);
    const m = median(costs)!;
    const mad = median(costs.map((c) => Math.abs(c - m)))!;
    const threshold = m + k * Math.max(1.4826 * mad, 0.1 * m);
    const day = series[i]!;
    if (day.costUsd > threshold && day.costUsd > 0)
      flagged.push({ i, baseline: m, threshold, baseTokens: median(history.map((d) => d.totalTokens))! });
  }
  if (flagged.length === 0) return out;
  const dates = new Set(flagged.map((f) => series[f.i]!.date));
  // Per flagged day: cost and tokens by project, and its sessions.
  const perDay = new Map<string, Map<string, { cost: number; tokens: number; sessions: Map<string, number> }>>();
  for (const date of dates)
    for (const [sid, d] of usage.aggregates.sessionDays.get(date) ?? []) {
      const project = opts.projectOf?.(sid) ?? '(no project)';
      let byProject = perDay.get(date);
      if (!byProject) {
        byProject = new Map();
        perDay.set(date, byProject);
      }
      let b = byProject.get(project);
      if (!b) {
        b = { cost: 0, tokens: 0, sessions: new Map() };
        byProject.set(project, b);
      }
      b.cost += d.cost;
      b.tokens += d.tokens;
      b.sessions.set(sid, (b.sessions.get(sid) ?? 0) + d.cost);
    }
  for (const f of flagged) {
    const day = series[f.i]!;
    const [project, top] = [...(perDay.get(day.date) ?? new Map()).entries()].sort((a, b) => b[1].cost - a[1].cost)[0]!;
    // Ties (sessions of equal cost, $0 ones) by id: the order must not depend on the order the rows came in.
    const sessionIds = [...top.sessions.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([s]) => s);
    const ratio = f.baseline > 0 ? day.costUsd / f.baseline : Number.POSITIVE_INFINITY;
    const tokenRatio = f.baseTokens > 0 ? top.tokens / f.baseTokens : null;
    const share = day.costUsd > 0 ? top.cost / day.costUsd : 0;
    const n = sessionIds.length;
    const explanation =
      `${day.date}: $${day.costUsd.toFixed(2)}, ${fmtRatio(ratio)} your usual day ($${f.baseline.toFixed(2)}); ` +
      `${n} session${n === 1 ? '' : 's'} on ${project} made ${Math.round(share * 100)} %` +
      (tokenRatio === null ? '' : ` and used ${fmtRatio(tokenRatio)} your usual daily tokens`);
    out.push({
      date: day.date,
      costUsd: day.costUsd,
      baselineCostUsd: f.baseline,
      thresholdUsd: f.threshold,
      ratio,
      explanation,
      messageId: 'cost_anomaly',
      params: {
        date: day.date,
        costUsd: day.costUsd,
        baselineCostUsd: f.baseline,
        ratio: Number.isFinite(ratio) ? ratio : null,
        sessions: n,
        project: project === '(no project)' ? null : project,
        projectShare: share,
        tokenRatio,
      },
      evidence: { sessionIds, project: project === '(no project)' ? null : project, projectShare: share },
    });
  }
  return out;
}

const fmtRatio = (r: number) => (Number.isFinite(r) ? `${r.toFixed(1)}×` : 'far above');
