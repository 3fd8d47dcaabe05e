import type { LocalCalendar } from '../reports/timeBuckets';

/** The two budget periods: a local calendar day and a local calendar month of the user's zone. */
export type BudgetKind = 'daily' | 'monthly';

export interface BudgetSettings {
  /** USD per local day; 0 = no daily budget. */
  dailyUsd: number;
  /** USD per local month; 0 = no monthly budget. */
  monthlyUsd: number;
  /** Percentages of the budget that notify once each per period (e.g. 50, 80, 100). */
  thresholds: readonly number[];
}

/** One budget period: [startMs, endMs) in the zone, named by its local date (YYYY-MM-DD) or month (YYYY-MM). */
export interface BudgetPeriod {
  kind: BudgetKind;
  key: string;
  startMs: number;
  endMs: number;
}

/** API-equivalent spend in one period, as the store's ledger gives it (priced in core, see periodSpend). */
export interface PeriodSpend {
  /** Sum over priced usage (0 when nothing was spent). */
  costUsd: number;
  /** Some usage had no price: the figure is a lower bound. */
  unpriced: boolean;
  /** The session that spent most in the period (for "Open Session"), undefined without usage. */
  topSession: { sessionId: string; costUsd: number } | undefined;
}

export interface BudgetStatus {
  kind: BudgetKind;
  period: BudgetPeriod;
  budgetUsd: number;
  spend: PeriodSpend;
  /** spend ÷ budget × 100. */
  percent: number;
  /** The configured thresholds this spend has reached, ascending. */
  crossed: number[];
}

const SLOT_MS = 900_000;

/** YYYY-MM-DD plus n days (plain calendar arithmetic). */
function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The first day of the month after YYYY-MM-DD's month, as YYYY-MM-01. */
function nextMonthStart(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}

/**
 * The first instant whose local date is `date` or later. startOfDate gives it in one step for ordinary days; this
 * walks 15-minute slots (every real offset and transition lies on one) to correct a day whose midnight a DST
 * change skipped or repeated, so a period never loses or shares an instant with its neighbours.
 */
export function firstInstantOf(cal: LocalCalendar, date: string): number {
  let t = Math.floor(cal.startOfDate(date) / SLOT_MS) * SLOT_MS;
  for (let i = 0; i < 200 && cal.date(t) < date; i++) t += SLOT_MS;
  for (let i = 0; i < 200 && cal.date(t - SLOT_MS) >= date; i++) t -= SLOT_MS;
  return t;
}

/** The local day and the local month that contain `nowMs`. */
export function budgetPeriods(cal: LocalCalendar, nowMs: number): Record<BudgetKind, BudgetPeriod> {
  const today = cal.date(nowMs);
  const monthFirst = `${today.slice(0, 7)}-01`;
  return {
    daily: {
      kind: 'daily',
      key: today,
      startMs: firstInstantOf(cal, today),
      endMs: firstInstantOf(cal, addDays(today, 1)),
    },
    monthly: {
      kind: 'monthly',
      key: today.slice(0, 7),
      startMs: firstInstantOf(cal, monthFirst),
      endMs: firstInstantOf(cal, nextMonthStart(today)),
    },
  };
}

/** Thresholds as the settings give them: positive, finite, deduplicated, ascending. */
export function normalizeThresholds(thresholds: readonly number[]): number[] {
  return [...new Set(thresholds.filter((t) => Number.isFinite(t) && t > 0))].sort((a, b) => a - b);
}

/** Where each configured budget stands: its spend, percent and the thresholds reached. Budgets of 0 are off. */
export function evaluateBudgets(
  settings: BudgetSettings,
  periods: Record<BudgetKind, BudgetPeriod>,
  spend: Partial<Record<BudgetKind, PeriodSpend>>,
): BudgetStatus[] {
  const thresholds = normalizeThresholds(settings.thresholds);
  const out: BudgetStatus[] = [];
  for (const kind of ['daily', 'monthly'] as const) {
    const budgetUsd = kind === 'daily' ? settings.dailyUsd : settings.monthlyUsd;
    const s = spend[kind];
    if (!(budgetUsd > 0) || !s) continue;
    const percent = (s.costUsd / budgetUsd) * 100;
    // A small epsilon: $5.00 of a $10 budget is 50 % even after float sums.
    out.push({
      kind,
      period: periods[kind],
      budgetUsd,
      spend: s,
      percent,
      crossed: thresholds.filter((t) => percent + 1e-9 >= t),
    });
  }
  return out;
}

/**
 * The ledger key of one notification: at most one per budget kind, period and threshold, whatever the budget's
 * amount (raising the budget mid-period does not notify a threshold again in that period).
 */
export function ledgerKey(kind: BudgetKind, periodKey: string, threshold: number): string {
  return `budget_notified:${kind}:${periodKey}:${threshold}`;
}

/** The ledger keys of every crossed threshold, per budget. */
export function crossedKeys(statuses: readonly BudgetStatus[]): { status: BudgetStatus; keys: string[] }[] {
  return statuses
    .filter((s) => s.crossed.length > 0)
    .map((s) => ({ status: s, keys: s.crossed.map((t) => ledgerKey(s.kind, s.period.key, t)) }));
}

/** The threshold a claimed key stands for (the number after the last colon). */
export function thresholdOfKey(key: string): number {
  return Number(key.slice(key.lastIndexOf(':') + 1));
}
