import { type MetricsRange, type MetricsReport, SESSION_LENGTH_BUCKETS } from '../../shared/protocol/metricsReport';
import type { PriceTable } from '../pricing/priceTable';
import { LocalCalendar } from '../reports/timeBuckets';
import { groupCost, priceGroups, type UsageGroupLike } from '../sessions/sessionSummary';
import type { MetricsRows } from './metricsRows';

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

/** Every local date from `from` to `to` inclusive. */
function dateSpan(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to && out.length < 100_000; d = addDays(d, 1)) out.push(d);
  return out;
}

/**
 * The Metrics view's numbers for one range, from the store's aggregates. Pure: the same rows, prices, zone and
 * `now` give the same report. Costs are priced per ledger group (model, speed, long-context tier, date) like
 * `cct report`; a model without a price leaves its cost out (null where nothing was priced) and is listed.
 */
export function buildMetrics(
  rows: MetricsRows,
  prices: PriceTable,
  opts: { range: MetricsRange; timeZone: string; nowMs: number },
): MetricsReport {
  const cal = new LocalCalendar(opts.timeZone);
  const today = cal.date(opts.nowMs);
  const since = rangeStartMs(opts.range, cal, opts.nowMs);
  const firstDay =
    since !== undefined ? cal.date(since) : rows.firstUsageMs === null ? today : cal.date(rows.firstUsageMs);

  const costs = new Map<UsageGroupLike, number | undefined>();
  const costOf = (g: UsageGroupLike) => {
    if (!costs.has(g)) costs.set(g, groupCost(g, prices));
    return costs.get(g);
  };
  const tokensOf = (g: UsageGroupLike) => g.input + g.output + g.cacheCreation + g.cacheRead;
  const addCost = (a: number | null, c: number | undefined) => (c === undefined ? a : (a ?? 0) + c);

  // cost and tokens per local day and model; cache use per day; weekday × hour activity
  const daily = new Map<
    string,
    { date: string; model: string; apiMessages: number; tokens: number; costUsd: number | null }
  >();
  const cacheDaily = new Map<
    string,
    { date: string; input: number; cacheRead: number; cacheCreation: number; netSavedUsd: number }
  >();
  const heat = Array.from({ length: 7 * 24 }, (_, i) => ({
    weekday: Math.floor(i / 24),
    hour: i % 24,
    apiMessages: 0,
    tokens: 0,
  }));
  const modelTokens = new Map<string, number>();
  let readSaved = 0;
  let writePremium = 0;
  let lastDay = today;
  for (const g of rows.slots) {
    const date = cal.date(g.slotMs);
    if (date > lastDay) lastDay = date;
    const model = g.model ?? '(unknown)';
    const key = `${date}\u0000${model}`;
    const d = daily.get(key) ?? { date, model, apiMessages: 0, tokens: 0, costUsd: null };
    d.apiMessages += g.messages;
    d.tokens += tokensOf(g);
    d.costUsd = addCost(d.costUsd, costOf(g));
    daily.set(key, d);
    modelTokens.set(model, (modelTokens.get(model) ?? 0) + tokensOf(g));

    const saving = cacheSaving(g, prices);
    readSaved += saving.readSaved;
    writePremium += saving.writePremium;
    const c = cacheDaily.get(date) ?? { date, input: 0, cacheRead: 0, cacheCreation: 0, netSavedUsd: 0 };
    c.input += g.input;
    c.cacheRead += g.cacheRead;
    c.cacheCreation += g.cacheCreation;
    c.netSavedUsd += saving.readSaved - saving.writePremium;
    cacheDaily.set(date, c);

    const p = cal.parts(g.slotMs);
    const cell = heat[p.weekday * 24 + p.hour]!;
    cell.apiMessages += g.messages;
    cell.tokens += tokensOf(g);
  }

  // per project (sessions with usage in the range)
  const projects = new Map<
    string,
    { project: string; sessions: Set<string>; apiMessages: number; tokens: number; costUsd: number | null }
  >();
  const sessions = new Set<string>();
  for (const g of rows.sessionDays) {
    sessions.add(g.sessionId);
    const project = rows.projectOf.get(g.sessionId) || '(no project)';
    const p = projects.get(project) ?? { project, sessions: new Set(), apiMessages: 0, tokens: 0, costUsd: null };
    p.sessions.add(g.sessionId);
    p.apiMessages += g.messages;
    p.tokens += tokensOf(g);
    p.costUsd = addCost(p.costUsd, groupCost(g, prices));
    projects.set(project, p);
  }

  const totals = priceGroups(rows.slots, prices, costOf);
  const t = totals.tokens;
  const promptTokens = t.input + t.cacheRead + t.cacheCreation;
  const days = dateSpan(firstDay, lastDay);
  const inRange = new Set(days);
  return {
    range: opts.range,
    timeZone: opts.timeZone,
    days,
    generatedAt: new Date(opts.nowMs).toISOString(),
    totals: {
      sessions: sessions.size,
      apiMessages: totals.apiMessages,
      tokens: { ...t, total: t.input + t.output + t.cacheCreation + t.cacheRead },
      costUsd: totals.costUsd,
      unpricedModels: totals.unpricedModels,
    },
    models: [...modelTokens.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([m]) => m),
    daily: [...daily.values()]
      .filter((d) => inRange.has(d.date))
      .sort((a, b) => a.date.localeCompare(b.date) || a.model.localeCompare(b.model)),
    projects: [...projects.values()]
      .map((p) => ({ ...p, sessions: p.sessions.size }))
      .sort(
        (a, b) => (b.costUsd ?? -1) - (a.costUsd ?? -1) || b.tokens - a.tokens || a.project.localeCompare(b.project),
      ),
    cache: {
      hitRatio: promptTokens > 0 ? t.cacheRead / promptTokens : null,
      input: t.input,
      cacheRead: t.cacheRead,
      cacheCreation: t.cacheCreation,
      readSavedUsd: readSaved,
      writePremiumUsd: writePremium,
      netSavedUsd: readSaved - writePremium,
      daily: [...cacheDaily.values()].filter((d) => inRange.has(d.date)).sort((a, b) => a.date.localeCompare(b.date)),
    },
    tools: rows.tools
      .map((r) => ({ ...r, errorRate: r.withResult > 0 ? r.errors / r.withResult : null }))
      .sort((a, b) => b.calls - a.calls || a.tool.localeCompare(b.tool)),
    sessionLengths: SESSION_LENGTH_BUCKETS.map((bucket) => ({ bucket, sessions: rows.sessionLengths[bucket] })),
    heatmap: heat,
  };
}

/**
 * What caching changed for one group at its price: reads paid at the cache-read rate instead of plain input
 * (saved), and writes paid at the cache-write rates instead of plain input (premium). 0 for unpriced models.
 * The same formula as src/core/analytics/pricedUsage.ts (per row there, per group here).
 */
export function cacheSaving(g: UsageGroupLike, prices: PriceTable): { readSaved: number; writePremium: number } {
  const p = prices.lookup({ model: g.model, ts: g.slotMs, speed: g.speed, promptAbove: g.promptAbove });
  if (!p.priced) return { readSaved: 0, writePremium: 0 };
  const r = p.rates;
  return {
    readSaved: ((g.cacheRead * (r.input - r.cacheRead)) / 1e6) * p.multiplier,
    writePremium:
      ((g.cache5m * (r.cacheWrite5m - r.input) + g.cache1h * (r.cacheWrite1h - r.input)) / 1e6) * p.multiplier,
  };
}
