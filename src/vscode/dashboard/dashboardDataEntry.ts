import type { OfficialLimits } from '../../core/live/rateLimits';
import { machineId } from '../../infra/sqlite/machineId';
import { AnalyticsService } from '../../infra/worker/analyticsService';
import type { IDisposable } from '../../shared/disposable';
import type { StatusSnapshot } from '../../shared/protocol';
import type { Logger } from '../logger';
import { readSettings, weekStartsOn } from '../settings';
import { type CodeContextDeps, registerCodeContextHandlers } from './codeContextHandlers';
import { DashboardStore } from './dashboardStore';
import { saveWithDialog } from './exportSaveDialog';
import { registerMetricsHandlers } from './metricsHandlers';
import { registerPrivacyHandlers } from './privacyHandlers';
import { RemoteSearchHandlers } from './remoteHandlers';
import type { RemoteLink } from './remoteLink';
import { RemoteMetrics } from './remoteMetrics';
import type { RequestRouter } from './requestRouter';
import { registerSessionActionHandlers, type SessionActionDeps } from './sessionActionHandlers';
import { registerSessionsHandlers } from './sessionsHandlers';

export interface DashboardDataDeps {
  router: RequestRouter;
  dbPath: string;
  log: Logger;
  liveSessionIds(): string[];
  snapshot(): StatusSnapshot;
  /** The Session detail's actions in VS Code (save dialog, vscode.open); the controller supplies them. */
  actions: Omit<SessionActionDeps, 'store'> & Omit<CodeContextDeps, 'store'>;
  /** The Supabase connection once the sync bundle has loaded (remote search scopes, "sync not connected"). */
  remoteLink(): RemoteLink | undefined;
  /** The official rate limits the limits item last read (Status Line Bridge), shown beside the Metrics estimate. */
  officialLimits?: () => OfficialLimits | undefined;
}

export interface DashboardData extends IDisposable {
  store: DashboardStore;
  /** A scan wrote to the store: the analytics worker (if the Metrics view started it) recomputes its last request. */
  storeChanged(): void;
}

/**
 * Entry of dist/dashboardData.js: the store connection and the handlers of the data methods, registered on the
 * controller's router. A bundle of its own, loaded after activation (the store code is most of its weight).
 */
export function startDashboardData(deps: DashboardDataDeps): DashboardData {
  const store = new DashboardStore(deps.dbPath, deps.log.child('store'));
  // The Metrics view's analytics worker: started on the first metrics/get, kept (with the rollups it read) after.
  let analytics: AnalyticsService | undefined;
  const analyticsService = () => {
    analytics ??= new AnalyticsService(deps.dbPath);
    return analytics;
  };
  const remote = new RemoteSearchHandlers(deps.router, {
    link: deps.remoteLink,
    machine: () => store.use((s) => machineId(s.db)),
  });
  const handlers = registerSessionsHandlers(deps.router, {
    store,
    liveSessionIds: deps.liveSessionIds,
    snapshot: deps.snapshot,
    remote,
  });
  // The Metrics and Privacy views' methods (metricsHandlers.ts, privacyHandlers.ts).
  const metrics = registerMetricsHandlers(deps.router, {
    store,
    analytics: analyticsService,
    // the remote scopes: rows read from Supabase here, computed in the same analytics worker
    remote: new RemoteMetrics({
      link: deps.remoteLink,
      status: () => remote.status(),
      stream: (request) => analyticsService().metricsOfSynced(request),
    }),
    officialLimits: deps.officialLimits,
    limitThresholds: () => {
      const s = readSettings();
      return { warnPercent: s.limitsWarnPercent, errorPercent: s.limitsErrorPercent };
    },
    saveFile: saveWithDialog,
    analyticsSettings: () => {
      const s = readSettings();
      return { timeZone: s.analyticsTimeZone, weekStartsOn: weekStartsOn(s) };
    },
  });
  const privacy = registerPrivacyHandlers(deps.router, { store });
  const actions = registerSessionActionHandlers(deps.router, { store, ...deps.actions });
  const codeContext = registerCodeContextHandlers(deps.router, { store, ...deps.actions });
  return {
    store,
    storeChanged: () => {
      // Before the Metrics view asks again: the worker reloads the changed sessions now, and that request shares it.
      analytics
        ?.storeChanged()
        .catch((e: unknown) => deps.log.debug(`analytics recomputation after the scan failed: ${String(e)}`));
    },
    dispose: () => {
      analytics?.dispose();
      actions.dispose();
      codeContext.dispose();
      handlers.dispose();
      remote.dispose();
      metrics.dispose();
      privacy.dispose();
      store.dispose();
    },
  };
}

// Used by commands outside the dashboard, loaded on their first use (requireDashboardData): the store, the exporter
// and the guided privacy rule (which runs the Privacy Guard) stay out of extension.js.
export { draftRule, guessKeyword, previewRule } from '../../core/privacy/ruleDraft';
export { exportHtml, exportJson, exportMarkdown } from '../../core/reports/exportConversation';
export { DashboardStore } from './dashboardStore';
