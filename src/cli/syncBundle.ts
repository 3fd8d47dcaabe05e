import type { CliIo } from './command';

/** What `cct forget --remote` needs from the sync bundle (supabase-js), loaded only then. */
export interface SyncBundle {
  forgetRemote(sessionIds: readonly string[], io: CliIo): Promise<{ ok: boolean; message?: string }>;
}

/**
 * `./commands/sync.js` is external in the CLI bundle (dist/commands/sync.js, esbuild.mjs); from source (tsx) the same
 * path resolves to sync.ts. Same arrangement as registry.ts.
 */
export async function loadSyncBundle(): Promise<SyncBundle> {
  const m = (await import('./commands/sync.js')) as Partial<SyncBundle> & { default?: SyncBundle };
  return m.forgetRemote ? (m as SyncBundle) : m.default!;
}
