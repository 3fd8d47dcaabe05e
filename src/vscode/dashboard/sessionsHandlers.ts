import { PriceTable } from '../../core/pricing/priceTable';
import { groupHits } from '../../core/search/groupHits';
import { toTurn } from '../../core/sessions/timelineTurns';
import type { IDisposable } from '../../shared/disposable';
import {
  type SessionHeader,
  type StatusSnapshot,
  search,
  sessionGet,
  sessionsQuery,
  sessionToolCall,
  sessionTurnIndex,
  sessionTurns,
  statusGet,
} from '../../shared/protocol';
import type { DashboardStore } from './dashboardStore';
import type { RemoteSearchHandlers } from './remoteHandlers';
import { type RequestRouter, RpcFailure } from './requestRouter';

/** A session counts as live while it wrote in the last few minutes (as `cct sessions` and listSessions say). */
export const LIVE_WINDOW_MS = 5 * 60_000;

export interface SessionsHandlerDeps {
  store: DashboardStore;
  /** Sessions the live registry reports running (live even when quiet for longer than the window). */
  liveSessionIds(): string[];
  snapshot(): StatusSnapshot;
  now?: () => number;
  prices?: PriceTable;
  /** The remote search scopes ('mine', 'team'); without it they answer 'unavailable'. */
  remote?: Pick<RemoteSearchHandlers, 'search' | 'notConnected'>;
}

/** The Sessions, Session detail, Search and Status methods, answered from the local store. */
export function registerSessionsHandlers(router: RequestRouter, deps: SessionsHandlerDeps): IDisposable {
  const prices = deps.prices ?? PriceTable.builtin();
  const now = deps.now ?? Date.now;
  const live = () => ({ now: now(), liveWindowMs: LIVE_WINDOW_MS, liveIds: deps.liveSessionIds() });
  const notFound = (id: string) => new RpcFailure(`no session ${id} in the local store`, 'notFound');
  const regs = [
    router.handle(sessionsQuery, async (p) => {
      const r = await deps.store.use((s) =>
        s.querySessions({ filters: p.filters, sort: p.sort, offset: p.offset, limit: p.limit, ...live() }),
      );
      if (!r) return { rows: [], total: 0 };
      // Rows wait in the outbox while no project is connected: that is "not connected", not an upload pending.
      if (r.rows.some((x) => x.sync === 'pending') && (await deps.remote?.notConnected()))
        return { ...r, rows: r.rows.map((x) => (x.sync === 'pending' ? { ...x, sync: 'notConnected' as const } : x)) };
      return r;
    }),
    router.handle(sessionGet, async ({ sessionId }) => {
      const header = await deps.store.use((s): SessionHeader | undefined => {
        const row = s.sessionRow(sessionId, live());
        if (!row) return undefined;
        const { claudeCostUsd, title, gitBranch, cliVersion, entrypoint, toolCalls, ...listed } = row;
        return {
          ...listed,
          title,
          gitBranch,
          cwd: row.projectPath,
          cliVersion,
          entrypoint,
          claudeCostUsd,
          toolCalls,
          findingsByCategory: s.privacyStatus(sessionId),
          timelineItems: s.timelineCount(sessionId),
          related: s.relatedSessions(sessionId),
        };
      });
      if (!header) throw notFound(sessionId);
      if (header.sync === 'pending' && (await deps.remote?.notConnected()))
        return { ...header, sync: 'notConnected' as const };
      return header;
    }),
    router.handle(sessionTurns, async (p) => {
      const r = await deps.store.use((s) => {
        const total = s.timelineCount(p.sessionId, p.agentId);
        if (total === 0 && !s.sessionRow(p.sessionId, live())) return undefined;
        return { total, turns: s.timelinePage(p).map((e) => toTurn(e, prices)) };
      });
      if (!r) throw notFound(p.sessionId);
      return r;
    }),
    router.handle(sessionTurnIndex, async (p) => {
      const r = await deps.store.use((s) => {
        if (!s.sessionRow(p.sessionId, live())) return undefined;
        return { index: s.timelineIndexOf(p.sessionId, p.turnId) ?? null };
      });
      if (!r) throw notFound(p.sessionId);
      return r;
    }),
    router.handle(sessionToolCall, async (p) => {
      const call = await deps.store.use((s) => s.toolCall(p.sessionId, p.toolCallId));
      if (!call) throw new RpcFailure(`no tool call ${p.toolCallId} in session ${p.sessionId}`, 'notFound');
      return call;
    }),
    router.handle(search, async (p) => {
      if (p.scope === 'mine' || p.scope === 'team') {
        if (!deps.remote) throw new RpcFailure('remote search is not available in this window', 'unavailable');
        return deps.remote.search({ ...p, scope: p.scope });
      }
      const r = await deps.store.use((s) =>
        s.searchTexts({ query: p.query, filters: p.filters, limit: p.limit, ...live() }),
      );
      return r ? { engine: r.engine, groups: groupHits(r.matches, p.query) } : { engine: 'scan' as const, groups: [] };
    }),
    router.handle(statusGet, async () => {
      const snapshot = deps.snapshot();
      const details = await deps.store.use((s) => ({
        store: { sizeBytes: s.sizeBytes(), schemaVersion: s.schemaVersion(), fts: s.ftsStatus() },
        skipped: s.skippedByReason(),
        unpricedModels: s.unpricedModels(),
        sync: s.syncQueueStatus(),
      }));
      return details
        ? { snapshot, ...details }
        : { snapshot, store: null, skipped: [], unpricedModels: [], sync: { pending: 0, deadLetters: [] } };
    }),
  ];
  return {
    dispose: () => {
      for (const r of regs) r.dispose();
    },
  };
}
