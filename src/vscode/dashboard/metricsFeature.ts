import * as vscode from 'vscode';
import { DisposableStore, type IDisposable } from '../../shared/disposable';
import { COMMANDS } from '../ids';
import { onDidChangeSettings, SECTION } from '../settings';
import type { DashboardController } from './dashboardController';

/**
 * The Metrics and Privacy views in the extension bundle: "Show Privacy Report" (opens the dashboard's Privacy view)
 * a privacy refresh when the masking settings change (the report shows them), and a metrics refresh when the
 * analytics time zone or week start change. Their data methods are registered
 * with the other data handlers in dist/dashboardData.js (dashboardDataEntry.ts).
 */
export function registerMetricsAndPrivacy(
  dashboard: Pick<DashboardController, 'openView' | 'notifyDataChanged'>,
): IDisposable {
  const d = new DisposableStore();
  d.add(vscode.commands.registerCommand(COMMANDS.showPrivacyReport, () => dashboard.openView({ view: 'privacy' })));
  d.add(onDidChangeSettings(() => dashboard.notifyDataChanged(['privacy'])));
  // The time zone and week start re-bucket every chart: the Metrics view asks again (the handler reads them live).
  d.add(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.analytics`)) dashboard.notifyDataChanged(['metrics']);
    }),
  );
  return d;
}
