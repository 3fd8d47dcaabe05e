import * as vscode from 'vscode';
import { DisposableStore, type IDisposable } from '../../shared/disposable';
import { COMMANDS } from '../ids';
import { onDidChangeSettings, readSettings } from '../settings';
import type { DashboardController } from './dashboardController';
import { registerMetricsHandlers } from './metricsHandlers';
import { registerPrivacyHandlers } from './privacyHandlers';

/**
 * The Metrics and Privacy views' host side: their handlers on the dashboard's router, "Show Privacy Report" (opens
 * the dashboard's Privacy view), and a privacy refresh when the masking settings change (the report shows them).
 */
export function registerMetricsAndPrivacy(
  dashboard: Pick<DashboardController, 'router' | 'data' | 'openView' | 'notifyDataChanged'>,
): IDisposable {
  const d = new DisposableStore();
  d.add(registerMetricsHandlers(dashboard.router, { store: dashboard.data }));
  d.add(
    registerPrivacyHandlers(dashboard.router, {
      store: dashboard.data,
      privacySettings: () => {
        const s = readSettings();
        return { level: s.privacyLevel, customRules: s.customRules };
      },
    }),
  );
  d.add(vscode.commands.registerCommand(COMMANDS.showPrivacyReport, () => dashboard.openView({ view: 'privacy' })));
  d.add(onDidChangeSettings(() => dashboard.notifyDataChanged(['privacy'])));
  return d;
}
