import type { AnalyticsFilter, AnalyticsInput as RowsOrCells } from '../core/analytics/rows';
import type { CliIo } from './command';

/** What `cct forget --remote` and `cct insights --remote` need from the sync bundle (supabase-js), loaded only then. */
export interface SyncBundle {
  forgetRemote(sessionIds: readonly string[], io: CliIo): Promise<{ ok: boolean; message?: string }>;
  remoteAnalyticsInput(
    io: CliIo,
    opts: { filter: AnalyticsFilter; team: boolean; topics: boolean },
  ): Promise<{ ok: true; input: RowsOrCells } | { ok: false; code: 1 | 3; message: string }>;
}

/**
 * `./commands/sync.js` is external in the CLI bundle (dist/commands/sync.js, esbuild.mjs); from source (tsx) the same
 * path resolves to sync.ts. Same arrangement as registry.ts.
 */
export async function loadSyncBundle(): Promise<SyncBundle> {
  const m = (await import('./commands/sync.js')) as Partial<SyncBundle> & { default?: SyncBundle };
  return m.forgetRemote ? (m as SyncBundle) : m.default!;
}
