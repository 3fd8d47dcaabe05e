import * as vscode from 'vscode';
import { DrainLoop, type DrainRun } from '../core/sync/drainLoop';
import type { OutboxPort } from '../core/sync/ports';
import { checkConnection } from '../core/sync/supabaseSettings';
import { type DrainReport, SyncEngine, type SyncStatus } from '../core/sync/syncEngine';
import { type AuthState, SupabaseAuth } from '../infra/supabase/auth';
import { type CctSupabaseClient, createSupabaseClient, DEFAULT_STORAGE_KEY } from '../infra/supabase/client';
import { type RemoteSessionChange, subscribeSessionChanges } from '../infra/supabase/realtime';
import { SupabaseSyncRemote } from '../infra/supabase/syncRemote';
import { Disposable, DisposableStore, toDisposable } from '../shared/disposable';
import { Emitter } from '../shared/event';
import type { RemoteLink } from './dashboard/remoteLink';
import { SUPABASE_COMMANDS } from './ids';
import type { Logger } from './logger';
import { readSyncSettings, SECTION, type SyncSettings } from './settings';
import { SecretStorageAuthStorage } from './supabaseSecretStorage';

export interface SupabaseControllerDeps {
  context: vscode.ExtensionContext;
  log: Logger;
  /** The SQLite store's outbox (see OutboxPort); without it sign-in works but nothing is synced. */
  outbox?: OutboxPort;
  /** Sessions changed on the server (other machines, team members): refresh the dashboard. */
  onRemoteSessionChange?: (c: RemoteSessionChange) => void;
  /** Records the effective `sync.excludeProjects` in the shared store for `cct sync push` (ExclusionRecorder). */
  recordExclusions?: (globs: readonly string[]) => void;
}

/** The connection to the configured Supabase project: the client and its auth (signed in or not). */
export interface SupabaseSession {
  readonly client: CctSupabaseClient;
  readonly auth: SupabaseAuth;
}

/** What the status bar, the dashboard and "Show Sync Status" say about sync. */
export interface SyncStatusReport extends SyncStatus {
  auth: AuthState | undefined;
  /** Rows waiting in the outbox and rows the server refused; undefined when the store cannot tell. */
  pending?: number;
  deadLetters?: number;
  lastReport: DrainReport | undefined;
}

/** One connection's parts; replaced whole when the Supabase settings change. */
interface Connection extends SupabaseSession {
  engine: SyncEngine | undefined;
  unsubscribeRealtime: (() => Promise<void>) | undefined;
  disposables: DisposableStore;
}

/**
 * The Supabase connection and background sync: connects from the settings (publishable key in SecretStorage),
 * keeps one SyncEngine over the store's outbox, runs it on the DrainLoop timer while signed in, follows
 * sign-ins of other windows, and subscribes to remote session changes. Commands live in SupabaseCommands.
 */
export class SupabaseController extends Disposable {
  private readonly _onDidChangeSyncStatus = this._register(new Emitter<SyncStatusReport>());
  readonly onDidChangeSyncStatus = this._onDidChangeSyncStatus.event;
  readonly storage: SecretStorageAuthStorage;
  private readonly log: Logger;
  private readonly loop: DrainLoop;
  private connection: Connection | undefined;
  private connecting: Promise<Connection | undefined> | undefined;
  private lastReport: DrainReport | undefined;

  constructor(private readonly deps: SupabaseControllerDeps) {
    super();
    this.log = deps.log;
    this.storage = new SecretStorageAuthStorage(deps.context.secrets);
    this._register(toDisposable(() => void this.disconnect()));
    // Timing policy (interval, retryAt, 5 s floor, backoff after a throw, no overlap) lives in core; see DrainLoop.
    this.loop = this._register(
      new DrainLoop({
        drain: (manual, signal) => this.drainOnce(manual, signal),
        settings: () => {
          const s = readSyncSettings();
          return { enabled: s.mode !== 'off', intervalMs: s.intervalSeconds * 1000 };
        },
        onError: (e, manual) => this.logDrainError(e, manual),
      }),
    );
    this._register(vscode.workspace.onDidChangeConfiguration((e) => void this.onConfigurationChanged(e)));
    deps.recordExclusions?.(readSyncSettings().excludeProjects);
    void this.connect()
      .then(async (c) => {
        if (c && (await c.auth.state()).signedIn) this.scheduleSync(Date.now());
      })
      .catch((e) => this.log.error(e instanceof Error ? e : String(e)));
  }

  /** The current connection, without connecting (undefined when none is open yet). */
  get session(): SupabaseSession | undefined {
    return this.connection;
  }

  /**
   * The connection to the configured project, opened on first use; undefined when no project is configured
   * (or its settings are refused). Signed in or not: check `auth.state()`.
   */
  connect(): Promise<SupabaseSession | undefined> {
    return this.open();
  }

  /** The live client when this window is signed in, else undefined (connects first if needed): for teams. */
  async signedInClient(): Promise<CctSupabaseClient | undefined> {
    const c = await this.connect();
    return c && (await c.auth.state()).signedIn ? c.auth.client : undefined;
  }

  /** The dashboard's view of this connection (remote search scopes, "sync not connected"). */
  remoteLink(): RemoteLink {
    return {
      current: async () => {
        const c = await this.connect();
        if (!c) return { state: 'notConfigured' };
        const st = await c.auth.state();
        return st.signedIn && st.userId
          ? { state: 'signedIn', userId: st.userId, client: c.auth.client }
          : { state: 'signedOut' };
      },
      syncMode: () => readSyncSettings().mode,
    };
  }

  /** Closes the connection, e.g. before the project settings change. */
  async disconnect(): Promise<void> {
    await this.connecting?.catch(() => undefined);
    const c = this.connection;
    if (!c) return;
    this.connection = undefined;
    c.engine?.dispose();
    await c.unsubscribeRealtime?.().catch(() => undefined);
    c.auth.dispose();
    c.disposables.dispose();
  }

  /** Plans the next background sync (now with `Date.now()`, else by the interval). */
  scheduleSync(at?: number): void {
    this.loop.schedule(at);
  }

  /** One sync right away ("Sync Now"); warnings go to the user, not only to the log. */
  syncNow(): Promise<void> {
    return this.loop.runNow();
  }

  /** Stops the timer and aborts a running drain (sign-out). */
  stopSync(): void {
    this.loop.stop();
  }

  async report(): Promise<SyncStatusReport> {
    const c = this.connection;
    const status = c?.engine?.getStatus() ?? { mode: readSyncSettings().mode, running: false, breaker: 'closed' };
    const stats = await this.deps.outbox?.stats().catch(() => undefined);
    return {
      ...status,
      auth: await c?.auth.state(),
      ...(stats ? { pending: stats.pending, deadLetters: stats.deadLetters } : {}),
      lastReport: this.lastReport,
    };
  }

  private async open(): Promise<Connection | undefined> {
    if (this.connection) return this.connection;
    // concurrent callers share one attempt: two would build two clients racing for the same stored session
    this.connecting ??= this.create().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async create(): Promise<Connection | undefined> {
    const conn = await this.projectSettings();
    if (!conn || this.isDisposed) return undefined;
    const s = readSyncSettings();
    const client = createSupabaseClient(conn, { storage: this.storage, storageKey: DEFAULT_STORAGE_KEY });
    const auth = new SupabaseAuth(client, this.storage);
    const c: Connection = {
      client,
      auth,
      engine: this.deps.outbox ? this.createEngine(this.deps.outbox, client, s) : undefined,
      unsubscribeRealtime: undefined,
      disposables: new DisposableStore(),
    };
    if (c.engine) c.disposables.add(c.engine.onDidChangeStatus(() => void this.publish()));
    c.disposables.add(this.storage.onDidChangeAuth((key) => void this.adoptSessionOfAnotherWindow(key, auth)));
    c.disposables.add(
      auth.onDidChange((st, event) => {
        this.log.info(`auth: ${event} (${st.signedIn ? 'signed in' : 'signed out'})`);
        this.loop.setSignedIn(st.signedIn); // e.g. another window signed in: start the timer here too
        void this.resubscribe(st);
        void this.publish();
      }),
    );
    this.connection = c;
    return c;
  }

  private createEngine(outbox: OutboxPort, client: CctSupabaseClient, s: SyncSettings): SyncEngine {
    const remote = new SupabaseSyncRemote(client, {
      interactionConflictKey: s.interactionConflictKey,
      interactionResolution: s.interactionResolution,
    });
    return new SyncEngine(outbox, remote, { mode: s.mode, excludeProjects: s.excludeProjects });
  }

  /** URL and publishable key (settings, else SecretStorage), checked; undefined when incomplete or refused. */
  private async projectSettings(): Promise<{ url: string; anonKey: string } | undefined> {
    const s = readSyncSettings();
    const anonKey = s.anonKey || (await this.storage.getAnonKey()) || '';
    if (!s.url || !anonKey) return undefined;
    const check = checkConnection(s.url, anonKey);
    if (!check.ok || !check.url) {
      this.log.warn(`supabase settings refused: ${check.error}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Claude Code Tracer: {0}', check.error ?? ''));
      return undefined;
    }
    return { url: check.url, anonKey };
  }

  private async adoptSessionOfAnotherWindow(key: string, auth: SupabaseAuth): Promise<void> {
    if (key !== DEFAULT_STORAGE_KEY) return;
    try {
      const r = await auth.adoptStoredSession();
      if (r !== 'unchanged') this.log.info(`auth: ${r} the session written by another window`);
    } catch (e) {
      this.log.warn(`adopting the session of another window failed: ${String(e)}`);
    }
  }

  private async resubscribe(st: AuthState): Promise<void> {
    const c = this.connection;
    if (!c) return;
    await c.unsubscribeRealtime?.().catch(() => undefined);
    c.unsubscribeRealtime = undefined;
    const onChange = this.deps.onRemoteSessionChange;
    if (!st.signedIn || !onChange) return;
    c.unsubscribeRealtime = subscribeSessionChanges(c.auth.client, onChange, (status, err) =>
      this.log.debug(`realtime claude_sessions: ${status}${err ? ` ${err.message}` : ''}`),
    );
  }

  private async publish(): Promise<void> {
    if (!this.connection || this.isDisposed) return;
    this._onDidChangeSyncStatus.fire(await this.report());
  }

  /** One drain for the loop; `interactive` (Sync Now) shows the warnings a background run keeps to the log. */
  private async drainOnce(interactive: boolean, signal: AbortSignal): Promise<DrainRun> {
    const c = await this.open();
    if (!c?.engine) {
      if (interactive)
        void vscode.window.showWarningMessage(
          vscode.l10n.t('Claude Code Tracer: connect a Supabase project first (and the local store must be ready).'),
        );
      return { idle: true };
    }
    if (!(await c.auth.state()).signedIn) {
      if (interactive)
        void vscode.window.showWarningMessage(vscode.l10n.t('Claude Code Tracer: sign in to Supabase first.'));
      return { idle: true };
    }
    const r = await c.engine.drain(signal); // aborted by loop.stop() (sign-out) and loop.dispose()
    this.lastReport = r;
    const lastError = r.lastError ? `, last error ${r.lastError}` : '';
    const counts = `${r.acked} acknowledged, ${r.requests} requests, ${r.deadLettered} dead-lettered`;
    this.log.info(`sync: ${r.outcome} — ${counts}${lastError}`);
    if (r.outcome === 'auth-required') this.askToSignInAgain();
    if (interactive && r.deadLettered)
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          'Claude Code Tracer: {0} row(s) were refused by the server; see "Show Sync Status".',
          r.deadLettered,
        ),
      );
    return { retryAt: r.retryAt };
  }

  private askToSignInAgain(): void {
    const signIn = vscode.l10n.t('Sign In');
    void vscode.window
      .showWarningMessage(
        vscode.l10n.t('Claude Code Tracer: the Supabase session expired. Sign in again to resume syncing.'),
        signIn,
      )
      .then((a) => a === signIn && vscode.commands.executeCommand(SUPABASE_COMMANDS.signIn));
  }

  private logDrainError(e: unknown, manual: boolean): void {
    const next = this.loop.nextRunAt;
    const retry = next === undefined ? '' : `, next try in ${Math.max(0, Math.round((next - Date.now()) / 1000))} s`;
    const what = e instanceof Error ? (e.stack ?? e.message) : String(e);
    this.log.error(`sync${manual ? ' (Sync Now)' : ''} failed${retry}: ${what}`);
  }

  private async onConfigurationChanged(e: vscode.ConfigurationChangeEvent): Promise<void> {
    if (e.affectsConfiguration(`${SECTION}.supabase`)) {
      await this.disconnect();
      await this.open();
    } else if (e.affectsConfiguration(`${SECTION}.sync`)) {
      const s = readSyncSettings();
      this.deps.recordExclusions?.(s.excludeProjects);
      this.connection?.engine?.updateConfig({ mode: s.mode, excludeProjects: s.excludeProjects });
      this.scheduleSync();
    }
  }
}
