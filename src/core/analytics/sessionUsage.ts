import type { LocalCalendar } from '../reports/timeBuckets';
import type { PricedUsage } from './pricedUsage';
import { lastTsOf, messagesOf } from './rows';
import { addUsage, emptyTotals, type UsageTotals } from './totals';

/** A session's usage on one local day (and, in `dayModels`, of one model that day). */
export interface DayUsage extends UsageTotals {
  date: string;
  /** What caching saved that day: cache-read savings minus the cache-write premium. */
  cacheNetSavedUsd: number;
}

export interface DayModelUsage extends DayUsage {
  model: string;
}

/** A session's usage of one model. */
export interface ModelUsage extends UsageTotals {
  model: string;
  /** Sum of the priced rows' cost (0 when none was priced: insights' per-model share). */
  pricedCostUsd: number;
  /** Tokens of the priced rows (insights compare models per priced token). */
  pricedTokens: number;
}

/** A session's usage in one local hour of the week (index weekday × 24 + hour, weekday 0 = Sunday). */
export interface HourOfWeekUsage {
  index: number;
  apiMessages: number;
  totalTokens: number;
  costUsd: number;
}

/**
 * One session's priced usage reduced to what every analytics view sums (per local day, day × model, model, hour of
 * the week) in one calendar. Every view merges these instead of walking the cells again, so a refresh after one new
 * session digests that session only and merges ~20,000 small records (analyticsIndex.ts keeps the rest).
 */
export interface SessionUsage {
  sessionId: string;
  totals: UsageTotals;
  cacheReadSavedUsd: number;
  cacheWritePremiumUsd: number;
  /** Cost of the sidechain (subagent) rows. */
  sidechainCostUsd: number;
  /** First and last message instant (a cell's `ts` and `lastTs`). */
  firstTs: number;
  lastTs: number;
  days: DayUsage[];
  dayModels: DayModelUsage[];
  models: ModelUsage[];
  hours: HourOfWeekUsage[];
  /** The local dates of every message instant counted (first and last of each cell): active days. */
  activeDates: string[];
}

/** One session's priced rows (plain rows or rollup cells, any order) as its SessionUsage in `cal`. */
export function sessionUsageOf(sessionId: string, rows: readonly PricedUsage[], cal: LocalCalendar): SessionUsage {
  const totals = emptyTotals();
  const days = new Map<string, DayUsage>();
  const dayModels = new Map<string, DayModelUsage>();
  const models = new Map<string, ModelUsage>();
  const hours = new Map<number, HourOfWeekUsage>();
  const active = new Set<string>();
  let saved = 0;
  let premium = 0;
  let sidechain = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const p of rows) {
    const r = p.row;
    const net = p.cacheReadSavedUsd - p.cacheWritePremiumUsd;
    const tokens = r.input + r.output + r.cacheCreation + r.cacheRead;
    addUsage(totals, p);
    saved += p.cacheReadSavedUsd;
    premium += p.cacheWritePremiumUsd;
    if (r.isSidechain) sidechain += p.costUsd ?? 0;
    const end = lastTsOf(r);
    if (r.ts < first) first = r.ts;
    if (end > last) last = end;
    const local = cal.parts(r.ts);
    active.add(local.date);
    active.add(cal.date(end));
    let d = days.get(local.date);
    if (!d) {
      d = {
        date: local.date,
        cacheNetSavedUsd: 0,
        ...emptyTotals(),
      };
      days.set(local.date, d);
    }
    addUsage(d, p);
    d.cacheNetSavedUsd += net;
    const model = r.model ?? '(unknown)';
    const dmKey = `${local.date}\u0000${model}`;
    let dm = dayModels.get(dmKey);
    if (!dm) {
      dm = {
        date: local.date,
        model,
        cacheNetSavedUsd: 0,
        ...emptyTotals(),
      };
      dayModels.set(dmKey, dm);
    }
    addUsage(dm, p);
    dm.cacheNetSavedUsd += net;
    let m = models.get(model);
    if (!m) {
      m = {
        model,
        pricedCostUsd: 0,
        pricedTokens: 0,
        ...emptyTotals(),
      };
      models.set(model, m);
    }
    addUsage(m, p);
    if (p.costUsd !== undefined) {
      m.pricedCostUsd += p.costUsd;
      m.pricedTokens += tokens;
    }
    const index = local.weekday * 24 + local.hour;
    let h = hours.get(index);
    if (!h) {
      h = { index, apiMessages: 0, totalTokens: 0, costUsd: 0 };
      hours.set(index, h);
    }
    h.apiMessages += messagesOf(r);
    h.totalTokens += tokens;
    h.costUsd += p.costUsd ?? 0;
  }
  return {
    sessionId,
    totals,
    cacheReadSavedUsd: saved,
    cacheWritePremiumUsd: premium,
    sidechainCostUsd: sidechain,
    firstTs: first,
    lastTs: last,
    days: [...days.values()],
    dayModels: [...dayModels.values()],
    models: [...models.values()],
    hours: [...hours.values()],
    activeDates: [...active],
  };
}
