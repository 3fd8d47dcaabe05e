import * as vscode from 'vscode';
import { buildPrivacyReport, privacyRangeStartMs } from '../../core/privacy/buildPrivacyReport';
import type { Level } from '../../core/privacy/rule';
import { LocalCalendar } from '../../core/reports/timeBuckets';
import type { IDisposable } from '../../shared/disposable';
import { privacyOpenSettings, privacyReport } from '../../shared/protocol';
import { readSettings } from '../settings';
import type { DashboardStore } from './dashboardStore';
import { checkedZone } from './metricsHandlers';
import type { RequestRouter } from './requestRouter';

function settingsNow(): { level: Level; customRules: unknown[] } {
  const s = readSettings();
  return { level: s.privacyLevel, customRules: s.customRules };
}

export interface PrivacyHandlerDeps {
  store: DashboardStore;
  /** The masking configuration in force; default: claudeTracer.privacy.level and .customRules (validated). */
  privacySettings?: () => { level: Level; customRules: unknown[] };
  now?: () => number;
  openSettings?: () => Thenable<unknown>;
}

/** The Privacy view's methods: privacy/report from the local store and the settings; privacy/openSettings. */
export function registerPrivacyHandlers(router: RequestRouter, deps: PrivacyHandlerDeps): IDisposable {
  const now = deps.now ?? Date.now;
  const openSettings =
    deps.openSettings ??
    (() => vscode.commands.executeCommand('workbench.action.openSettings', 'claudeTracer.privacy'));
  const regs = [
    router.handle(privacyReport, async ({ range, timeZone }) => {
      const tz = checkedZone(timeZone);
      const at = now();
      const since = privacyRangeStartMs(range, new LocalCalendar(tz), at);
      const { level, customRules } = (deps.privacySettings ?? settingsNow)();
      const opts = { level, customRules, range, timeZone: tz, nowMs: at };
      const empty = { slots: [], rules: [], topSessions: [], topSessionsTotal: 0, remaskLast: null };
      const rows = (await deps.store.use((s) => s.privacyReportRows(since))) ?? empty;
      return buildPrivacyReport(rows, opts);
    }),
    router.handle(privacyOpenSettings, async () => {
      await openSettings();
      return { opened: true };
    }),
  ];
  return {
    dispose: () => {
      for (const r of regs) r.dispose();
    },
  };
}
