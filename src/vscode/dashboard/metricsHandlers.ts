import type { OfficialLimits } from '../../core/live/rateLimits';
import { officialLimitsDto } from '../../core/metrics/officialLimitsDto';
import { PriceTable } from '../../core/pricing/priceTable';
import { assertTimeZone, type Weekday } from '../../core/reports/timeBuckets';
import type { AnalyticsService } from '../../infra/worker/analyticsService';
import type { IDisposable } from '../../shared/disposable';
import { exportSave, type MetricsReport, metricsGet } from '../../shared/protocol';
import type { DashboardStore } from './dashboardStore';
import { MetricsReportCache } from './metricsCache';
import { emptyReport, metricsFromStore, metricsFromWorker } from './metricsFromStore';
import type { RemoteMetrics } from './remoteMetrics';
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
  /** The remote scopes ('mine', 'team'); without it they answer 'unavailable'. */
  remote?: Pick<RemoteMetrics, 'report'>;
  /** Claude Code's official rate limits as the limits item last read them (Status Line Bridge); none: no bridge. */
  officialLimits?: () => OfficialLimits | undefined;
  /** The limits item's warning / error percentages (settings); default 75 / 90. */
  limitThresholds?: () => { warnPercent: number; errorPercent: number };
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
    router.handle(metricsGet, async ({ range, timeZone, scope = 'local' }) => {
      const settings = deps.analyticsSettings?.() ?? { timeZone: '', weekStartsOn: 1 };
      const tz = checkedZone(settings.timeZone || timeZone);
      const at = now();
      // Official limits are the signed-in account's own: beside this machine's or all my machines' estimate, never
      // beside a team's sum. Read on every request (the bridge writes independently of the store; never cached).
      const withLimits = (r: MetricsReport): MetricsReport => ({
        ...r,
        officialLimits:
          scope === 'team' ? null : officialLimitsDto(deps.officialLimits?.(), at, deps.limitThresholds?.()),
      });
      if (scope !== 'local') {
        if (!deps.remote) throw new RpcFailure('remote metrics are not available in this window', 'unavailable');
        return withLimits(
          await deps.remote.report({ scope, range, timeZone: tz, weekStartsOn: settings.weekStartsOn, nowMs: at }),
        );
      }
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
      return withLimits(
        report ?? (await emptyReport({ range, timeZone: tz, weekStartsOn: settings.weekStartsOn, nowMs: at, prices })),
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
