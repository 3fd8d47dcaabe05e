import { PriceTable } from '../../core/pricing/priceTable';
import { assertTimeZone, type Weekday } from '../../core/reports/timeBuckets';
import type { AnalyticsService } from '../../infra/worker/analyticsService';
import type { IDisposable } from '../../shared/disposable';
import { exportSave, metricsGet } from '../../shared/protocol';
import type { DashboardStore } from './dashboardStore';
import { MetricsReportCache } from './metricsCache';
import { emptyReport, metricsFromStore, metricsFromWorker } from './metricsFromStore';
import { type RequestRouter, RpcFailure } from './requestRouter';

/** The `claudeTracer.analytics.*` settings the Metrics view computes with. */
export interface AnalyticsViewSettings {
  /** An IANA zone; '' = the system's (as the webview reports it). */
  timeZone: string;
  weekStartsOn: Weekday;
}

export interface MetricsHandlerDeps {
  store: DashboardStore;
  /**
   * The analytics worker, created on the first call (the extension's one AnalyticsService). Without it, or over the
   * sql.js fallback, or with `prices` of its own, the analytics run in this thread.
   */
  analytics?: () => AnalyticsService;
  /** A price table for in-thread analytics (tests); the worker prices with the built-in one. */
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

/**
 * The Metrics view's methods: metrics/get from the local store (analytics in the worker when given), and export/save
 * for its CSV / JSON exports.
 */
export function registerMetricsHandlers(router: RequestRouter, deps: MetricsHandlerDeps): IDisposable {
  const prices = deps.prices ?? PriceTable.builtin();
  const analytics = deps.prices ? undefined : deps.analytics;
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
        const o = { range, timeZone: tz, weekStartsOn: settings.weekStartsOn, nowMs: at };
        // The worker opens its own node:sqlite connection, which sees the scans' commits (WAL) and keeps the rollups
        // it read, so a later request reloads only the sessions changed since. A sql.js store is a copy in memory
        // that a worker could not keep current: the sql.js fallback computes in this thread, as before.
        const r =
          analytics && s.backend === 'node:sqlite'
            ? await metricsFromWorker(analytics(), o)
            : await metricsFromStore(s, { ...o, prices });
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
