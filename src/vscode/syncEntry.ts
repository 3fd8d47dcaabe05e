/**
 * Entry of the separately bundled sync module (dist/sync.js): supabase-js, the store's second connection and
 * the outbox only load when the extension starts sync, after activation, so the main bundle stays small.
 */
import type * as vscode from 'vscode';
import { DeferredOutbox } from '../core/sync/deferredOutbox';
import { ExclusionRecorder } from '../core/sync/exclusions';
import { SqliteOutbox } from '../infra/sqlite/sqliteOutbox';
import { Store } from '../infra/sqlite/store';
import { writeStoredExclusions } from '../infra/sqlite/syncExclusions';
import { ForgetCommands } from './forgetCommands';
import type { Logger } from './logger';
import { SupabaseCommands } from './supabaseCommands';
import { SupabaseController } from './supabaseController';
import { TeamCommands } from './teamCommands';

export interface SyncModule {
  disposable: vscode.Disposable;
  /** The Supabase connection, auth and sync loop (team commands reach the signed-in client through it). */
  supabase: SupabaseController;
  /** Opens the host's own connection to the store for the outbox (node:sqlite only, see below). */
  attachStore(dbPath: string, backend: string | null): Promise<void>;
}

export function startSync(deps: {
  context: vscode.ExtensionContext;
  log: Logger;
  onRemoteSessionChange: () => void;
  /** For Forget / Unforget / Save Drift Sample (forgetCommands.ts), which this bundle carries with the store. */
  dbPath: string;
  version: string;
  requestScan: () => void;
  /** After a Forget (the dashboard and status bar refresh). */
  onDidForget: () => void;
}): SyncModule {
  const outbox = new DeferredOutbox();
  let store: Store | undefined;
  let opening = false;
  let disposed = false;
  // the effective sync.excludeProjects, written to the store for `cct sync push` (once the store is attached)
  const exclusions = new ExclusionRecorder((e) =>
    deps.log.warn(`recording the sync exclusions for cct failed: ${e instanceof Error ? e.message : String(e)}`),
  );
  const supabase = new SupabaseController({
    context: deps.context,
    log: deps.log,
    outbox,
    onRemoteSessionChange: deps.onRemoteSessionChange,
    recordExclusions: (g) => exclusions.record(g),
  });
  const commands = new SupabaseCommands(supabase, deps.context, deps.log);
  const teams = new TeamCommands({ signedInClient: () => supabase.signedInClient(), log: deps.log.child('teams') });
  const forget = new ForgetCommands({
    dbPath: deps.dbPath,
    version: deps.version,
    log: deps.log.child('forget'),
    signedInClient: () => supabase.signedInClient(),
    requestScan: deps.requestScan,
  });
  forget.onDidForget(() => deps.onDidForget());
  return {
    supabase,
    disposable: {
      dispose() {
        disposed = true;
        exclusions.detach();
        teams.dispose();
        forget.dispose();
        commands.dispose();
        supabase.dispose();
        store?.close();
        store = undefined;
      },
    },
    async attachStore(dbPath, backend) {
      if (store || opening || disposed) return;
      if (backend !== 'node:sqlite') {
        // sql.js keeps a private in-memory copy per connection: a second writer would overwrite the scanner's work.
        outbox.unavailable(`sync needs node:sqlite; this editor's runtime only has ${backend ?? 'no SQLite'}`);
        return;
      }
      opening = true;
      try {
        const s = await Store.open(dbPath, 'node:sqlite');
        if (disposed) return s.close();
        store = s;
        outbox.attach(new SqliteOutbox(s));
        exclusions.attach((g) => writeStoredExclusions(s, g));
      } catch (e) {
        deps.log.error(`opening the store for sync failed: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        opening = false;
      }
    },
  };
}
