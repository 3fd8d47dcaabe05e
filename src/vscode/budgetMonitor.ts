import * as vscode from 'vscode';
import {
  type BudgetKind,
  type BudgetStatus,
  budgetPeriods,
  crossedKeys,
  evaluateBudgets,
  type PeriodSpend,
  thresholdOfKey,
} from '../core/analytics/budgets';
import { periodSpend } from '../core/analytics/periodSpend';
import { formatUsd } from '../core/live/liveFormat';
import type { PriceTable } from '../core/pricing/priceTable';
import { LocalCalendar, systemTimeZone } from '../core/reports/timeBuckets';
import type { UsageGroupLike } from '../core/sessions/sessionSummary';
import type { UsageWatchStore } from '../infra/sqlite/usageWatchStore';
import { Disposable, toDisposable } from '../shared/disposable';
import { Emitter } from '../shared/event';
import { BUDGET_ITEM_ID, COMMANDS } from './ids';
import type { Logger } from './logger';
import { onDidChangeSettings, readSettings, type Settings } from './settings';

/** Evaluations closer together than this are merged (scans can finish every second while Claude writes). */
const MIN_INTERVAL_MS = 5_000;
/** Re-evaluates this often without any scan: a new day or month starts, a busy store frees up. */
const TICK_MS = 60_000;
/** How long the month's days before today are reused before being read again. */
const MONTH_CACHE_MS = 5 * 60_000;

export interface BudgetMonitorDeps {
  store: UsageWatchStore;
  prices: PriceTable;
  log: Logger;
  openMetrics(): unknown;
  openSession(sessionId: string): unknown;
  /** Whether this window has focus (default: vscode.window.state.focused). */
  focused?(): boolean;
}

/** A notification this window showed (tests read them through the API). */
export interface BudgetNotice {
  kind: BudgetKind;
  periodKey: string;
  threshold: number;
  message: string;
}

/**
 * Daily and monthly budgets: a status-bar item with today's and this month's API-equivalent spend against them,
 * and one notification per threshold per period. Which window notifies is decided by the store's ledger
 * (UsageWatchStore.claim): every window evaluates, the first to claim a (period, threshold) shows it. A window
 * that is unfocused while the user asked for no unfocused notifications does not claim, so a focused window (or
 * this one, once focused) notifies instead.
 */
export class BudgetMonitor extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastRun = 0;
  private loggedUnavailable: string | undefined;
  private monthBefore: { key: string; at: number; groups: UsageGroupLike[] } | undefined;
  private statuses: BudgetStatus[] = [];
  private readonly notices: BudgetNotice[] = [];
  private readonly onDidNotifyEmitter = this._register(new Emitter<BudgetNotice>());
  readonly onDidNotify = this.onDidNotifyEmitter.event;
  private readonly onDidEvaluateEmitter = this._register(new Emitter<readonly BudgetStatus[]>());
  readonly onDidEvaluate = this.onDidEvaluateEmitter.event;

  constructor(private readonly deps: BudgetMonitorDeps) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem(BUDGET_ITEM_ID, vscode.StatusBarAlignment.Left, 47));
    this.item.name = vscode.l10n.t('Claude Code budget');
    // registered by App (one command, however many monitors)
    this.item.command = { title: vscode.l10n.t('Open Metrics'), command: COMMANDS.openBudgetMetrics };
    this._register(onDidChangeSettings(() => this.request(true)));
    this._register(vscode.window.onDidChangeWindowState((s) => s.focused && this.request(true)));
    const tick = setInterval(() => this.request(), TICK_MS);
    tick.unref?.();
    this._register(toDisposable(() => clearInterval(tick)));
    this._register(toDisposable(() => this.timer && clearTimeout(this.timer)));
    this.request(true);
  }

  /** The item's text ('' when hidden). */
  get text(): string {
    return this.statuses.length ? this.item.text : '';
  }

  get tooltip(): string {
    const t = this.item.tooltip;
    return typeof t === 'string' ? t : (t?.value ?? '');
  }

  /** Why the spend cannot be read now (no store yet, no node:sqlite, the last error), undefined when it can. */
  get unavailable(): string | undefined {
    return this.error ?? this.deps.store.unavailable;
  }

  private error: string | undefined;

  /** Notifications this window showed since activation. */
  get shown(): readonly BudgetNotice[] {
    return this.notices;
  }

  /** New data (a scan wrote) or a reason to look again: evaluates soon, at most every few seconds. */
  request(now = false): void {
    if (this.isDisposed) return;
    if (this.timer) clearTimeout(this.timer);
    const wait = now ? 0 : Math.max(0, this.lastRun + MIN_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.evaluate();
    }, wait);
  }

  /** Reads the spend, updates the item and notifies crossed thresholds this window claims. */
  evaluate(nowMs = Date.now()): readonly BudgetStatus[] {
    this.lastRun = Date.now();
    const s = readSettings();
    try {
      this.statuses = this.compute(s, nowMs);
      this.error = undefined;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      this.deps.log.warn(`budgets: could not read the spend: ${this.error}`);
      this.statuses = [];
    }
    this.render();
    this.notify(s, nowMs);
    this.onDidEvaluateEmitter.fire(this.statuses);
    return this.statuses;
  }

  private compute(s: Settings, nowMs: number): BudgetStatus[] {
    const settings = { dailyUsd: s.budgetDailyUsd, monthlyUsd: s.budgetMonthlyUsd, thresholds: s.budgetThresholds };
    if (!(settings.dailyUsd > 0) && !(settings.monthlyUsd > 0)) return [];
    const periods = budgetPeriods(new LocalCalendar(systemTimeZone()), nowMs);
    const spend: Partial<Record<BudgetKind, PeriodSpend>> = {};
    const thresholds = this.deps.prices.thresholds();
    // Today is read on every evaluation; the month's earlier days (the big read) are kept a few minutes, since new
    // usage lands today (an older transcript found by a scan shows within MONTH_CACHE_MS).
    const today = this.deps.store.periodGroups(periods.daily.startMs, periods.daily.endMs, thresholds);
    if (!today) {
      // No store yet, or no node:sqlite (sql.js fallback): hidden rather than a $0 that is not known.
      const why = this.deps.store.unavailable ?? 'unknown';
      if (why !== this.loggedUnavailable) this.deps.log.info(`budgets: spend not readable: ${why}`);
      this.loggedUnavailable = why;
      return [];
    }
    this.loggedUnavailable = undefined;
    if (settings.dailyUsd > 0) spend.daily = periodSpend(today, this.deps.prices);
    if (settings.monthlyUsd > 0) {
      const key = `${periods.monthly.key}/${periods.daily.key}`;
      if (
        this.monthBefore?.key !== key ||
        nowMs - this.monthBefore.at > MONTH_CACHE_MS ||
        nowMs < this.monthBefore.at
      ) {
        const groups = this.deps.store.periodGroups(periods.monthly.startMs, periods.daily.startMs, thresholds);
        this.monthBefore = groups && { key, at: nowMs, groups };
      }
      spend.monthly = periodSpend([...(this.monthBefore?.groups ?? []), ...today], this.deps.prices);
    }
    this.deps.store.prune([`daily:${periods.daily.key}`, `monthly:${periods.monthly.key}`]);
    return evaluateBudgets(settings, periods, spend);
  }

  private render(): void {
    if (!this.statuses.length) {
      this.item.hide();
      return;
    }
    const label = (st: BudgetStatus) => (st.kind === 'daily' ? vscode.l10n.t('today') : vscode.l10n.t('this month'));
    const figure = (st: BudgetStatus) =>
      `${formatUsd(st.spend.costUsd)}${st.spend.unpriced ? '+' : ''}/${formatUsd(st.budgetUsd)}`;
    this.item.text = `$(credit-card) ${this.statuses.map((st) => `${figure(st)} ${label(st)}`).join(' · ')}`;
    const worst = Math.max(...this.statuses.map((st) => st.percent));
    this.item.backgroundColor =
      worst >= 100
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : worst >= 80
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    const md = new vscode.MarkdownString('', true);
    md.appendMarkdown(`**${vscode.l10n.t('Claude Code budget')}**\n\n`);
    for (const st of this.statuses) {
      md.appendText(
        st.kind === 'daily'
          ? vscode.l10n.t(
              'Today ({0}): {1} of {2} ({3}%)',
              st.period.key,
              formatUsd(st.spend.costUsd),
              formatUsd(st.budgetUsd),
              Math.round(st.percent),
            )
          : vscode.l10n.t(
              'This month ({0}): {1} of {2} ({3}%)',
              st.period.key,
              formatUsd(st.spend.costUsd),
              formatUsd(st.budgetUsd),
              Math.round(st.percent),
            ),
      );
      md.appendMarkdown('  \n');
    }
    md.appendMarkdown('\n');
    md.appendText(
      vscode.l10n.t(
        'API-equivalent cost of the Claude Code use in local transcripts, in time zone {0}; not a bill.',
        systemTimeZone(),
      ),
    );
    if (this.statuses.some((st) => st.spend.unpriced)) {
      md.appendMarkdown('\n\n');
      md.appendText(vscode.l10n.t('Some models have no price: the cost is a lower bound.'));
    }
    this.item.tooltip = md;
    this.item.show();
  }

  private notify(s: Settings, nowMs: number): void {
    const due = crossedKeys(this.statuses);
    if (!due.length) return;
    // Unfocused and told not to: leave the thresholds unclaimed, for a focused window or for our focus to come back.
    const focused = this.deps.focused ? this.deps.focused() : vscode.window.state.focused;
    if (!focused && !s.budgetNotifyWhenUnfocused) return;
    for (const { status, keys } of due) {
      const won = this.deps.store.claim(keys, nowMs);
      if (won === undefined) {
        // The store is busy: try again shortly.
        this.request();
        continue;
      }
      if (!won.length) continue;
      // Several thresholds at once (a jump, or the first look at a period): one notification, for the highest.
      this.show(status, Math.max(...won.map(thresholdOfKey)));
    }
  }

  private show(st: BudgetStatus, threshold: number): void {
    const spent = `${formatUsd(st.spend.costUsd)}${st.spend.unpriced ? '+' : ''}`;
    const message =
      st.kind === 'daily'
        ? vscode.l10n.t(
            'Claude Code spend today reached {0}% of your daily budget: {1} of {2} (API-equivalent cost).',
            threshold,
            spent,
            formatUsd(st.budgetUsd),
          )
        : vscode.l10n.t(
            'Claude Code spend this month reached {0}% of your monthly budget: {1} of {2} (API-equivalent cost).',
            threshold,
            spent,
            formatUsd(st.budgetUsd),
          );
    const notice: BudgetNotice = { kind: st.kind, periodKey: st.period.key, threshold, message };
    this.notices.push(notice);
    this.deps.log.info(`budgets: ${st.kind} ${st.period.key} reached ${threshold}%`);
    this.onDidNotifyEmitter.fire(notice);
    const openMetrics = vscode.l10n.t('Open Metrics');
    const openSession = vscode.l10n.t('Open Session');
    const top = st.spend.topSession;
    const actions = top ? [openMetrics, openSession] : [openMetrics];
    const show = threshold >= 100 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(message, ...actions).then((pick) => {
      if (pick === openMetrics) void this.deps.openMetrics();
      else if (pick === openSession && top) void this.deps.openSession(top.sessionId);
    });
  }
}
