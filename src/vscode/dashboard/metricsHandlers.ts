import { PriceTable } from '../../core/pricing/priceTable';
import { assertTimeZone, type Weekday } from '../../core/reports/timeBuckets';
import type { IDisposable } from '../../shared/disposable';
import { exportSave, metricsGet } from '../../shared/protocol';
import type { DashboardStore } from './dashboardStore';
import { MetricsReportCache } from './metricsCache';
import { emptyReport, metricsFromStore } from './metricsFromStore';
import { type RequestRouter, RpcFailure } from './requestRouter';

/** The `claudeTracer.analytics.*` settings the Metrics view computes with. */
export interface AnalyticsViewSettings {
  /** An IANA zone; '' = the system's (as the webview reports it). */
  timeZone: string;
  weekStartsOn: Weekday;
}

export interface MetricsHandlerDeps {
  store: DashboardStore;
  prices?: PriceTable;
  now?: () => number;
  /** The time zone and week start settings, read on every request (so a change applies on the next refresh). */
  analyticsSettings?: () => AnalyticsViewSettings;
  /** Asks where to save and writes the file; false when the user cancels (exportSaveDialog.ts in VS Code). */
  saveFile: (suggestedName: string, format: 'csv' | 'json', content: string) => Promise<boolean>;
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
  const save = deps.saveFile;
  const cache = new MetricsReportCache();
  const regs = [
    router.handle(metricsGet, async ({ range, timeZone }) => {
      const settings = deps.analyticsSettings?.() ?? { timeZone: '', weekStartsOn: 1 };
      const tz = checkedZone(settings.timeZone || timeZone);
      const at = now();
      const report = await deps.store.use(async (s) => {
        const key = cache.key(s, { timeZone: tz, weekStartsOn: settings.weekStartsOn, nowMs: at });
        const hit = cache.get(range, key);
        if (hit) return hit;
        const r = await metricsFromStore(s, {
          range,
          timeZone: tz,
          weekStartsOn: settings.weekStartsOn,
          nowMs: at,
          prices,
        });
        cache.set(range, key, r);
        return r;
      });
      // No store yet (before the first scan): an empty report of the same shape.
      return (
        report ?? (await emptyReport({ range, timeZone: tz, weekStartsOn: settings.weekStartsOn, nowMs: at, prices }))
      );
    }),
    router.handle(exportSave, async ({ suggestedName, format, content }) => ({
      saved: await save(suggestedName, format, content),
    })),
  ];
  return {
    dispose: () => {
      cache.clear();
      for (const r of regs) r.dispose();
    },
  };
}
