import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { buildMetrics, rangeStartMs } from '../../core/metrics/buildMetrics';
import { PriceTable } from '../../core/pricing/priceTable';
import { assertTimeZone, LocalCalendar } from '../../core/reports/timeBuckets';
import type { IDisposable } from '../../shared/disposable';
import { exportSave, type MetricsReport, metricsGet } from '../../shared/protocol';
import type { DashboardStore } from './dashboardStore';
import { type RequestRouter, RpcFailure } from './requestRouter';

export interface MetricsHandlerDeps {
  store: DashboardStore;
  prices?: PriceTable;
  now?: () => number;
  /** Asks where to save and writes the file; false when the user cancels. The integration tests replace it. */
  saveFile?: (suggestedName: string, format: 'csv' | 'json', content: string) => Promise<boolean>;
}

/** A zone the webview sent: checked with Intl (the schema only bounds its characters). */
export function checkedZone(tz: string): string {
  try {
    return assertTimeZone(tz);
  } catch (e) {
    throw new RpcFailure((e as Error).message, 'invalidParams');
  }
}

/** The Metrics view's methods: metrics/get from the local store, and export/save for its CSV / JSON exports. */
export function registerMetricsHandlers(router: RequestRouter, deps: MetricsHandlerDeps): IDisposable {
  const prices = deps.prices ?? PriceTable.builtin();
  const now = deps.now ?? Date.now;
  const save = deps.saveFile ?? saveWithDialog;
  const regs = [
    router.handle(metricsGet, async ({ range, timeZone }) => {
      const tz = checkedZone(timeZone);
      const at = now();
      const since = rangeStartMs(range, new LocalCalendar(tz), at);
      const report = await deps.store.use((s) =>
        buildMetrics(s.metricsRows(since, prices.thresholds()), prices, { range, timeZone: tz, nowMs: at }),
      );
      // No store yet (before the first scan): an empty report of the same shape.
      return (report ??
        buildMetrics(
          {
            slots: [],
            sessionDays: [],
            projectOf: new Map(),
            tools: [],
            sessionLengths: { lt5m: 0, '5to15m': 0, '15to30m': 0, '30to60m': 0, '1to2h': 0, '2to4h': 0, ge4h: 0 },
            firstUsageMs: null,
          },
          prices,
          { range, timeZone: tz, nowMs: at },
        )) satisfies MetricsReport;
    }),
    router.handle(exportSave, async ({ suggestedName, format, content }) => ({
      saved: await save(suggestedName, format, content),
    })),
  ];
  return {
    dispose: () => {
      for (const r of regs) r.dispose();
    },
  };
}

async function saveWithDialog(suggestedName: string, format: 'csv' | 'json', content: string): Promise<boolean> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(folder, suggestedName),
    filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
    saveLabel: vscode.l10n.t('Save'),
  });
  if (!target) return false;
  if (target.scheme === 'file') await fs.writeFile(target.fsPath, content, 'utf8');
  else await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
  return true;
}
