import * as vscode from 'vscode';
import * as z from 'zod';
import { DrainLoop, type DrainRun } from '../core/sync/drainLoop';
import type { OutboxPort } from '../core/sync/ports';
import { checkConnection } from '../core/sync/supabaseSettings';
import { type DrainReport, SyncEngine, type SyncStatus } from '../core/sync/syncEngine';
import { type AuthState, SupabaseAuth } from '../infra/supabase/auth';
import { type CctSupabaseClient, createSupabaseClient, DEFAULT_STORAGE_KEY } from '../infra/supabase/client';
import { type RemoteSessionChange, subscribeSessionChanges } from '../infra/supabase/realtime';
import { SupabaseSyncRemote } from '../infra/supabase/syncRemote';
import type { Logger } from './logger';
import { SecretStorageAuthStorage } from './supabaseSecretStorage';

/** Command ids (package.json contributions must list them; see the report of the Supabase issue). */
export const SUPABASE_COMMANDS = {
  connect: 'claudeTracer.supabase.connect',
  signIn: 'claudeTracer.supabase.signIn',
  signInWithGitHub: 'claudeTracer.supabase.signInWithGitHub',
  signOut: 'claudeTracer.supabase.signOut',
  syncNow: 'claudeTracer.supabase.syncNow',
  showSyncStatus: 'claudeTracer.supabase.showSyncStatus',
  deleteRemoteData: 'claudeTracer.supabase.deleteRemoteData',
} as const;

export const SyncSettingsSchema = z.object({
  url: z.string().catch(''),
  anonKey: z.string().catch(''),
  mode: z.enum(['off', 'metadata', 'full']).catch('off'),
  excludeProjects: z.array(z.string()).catch([]),
  intervalSeconds: z.number().int().min(15).max(86_400).catch(120),
  interactionConflictKey: z
    .enum(['user_id,message_uuid', 'user_id,message_uuid,occurred_at'])
    .catch('user_id,message_uuid'),
  // merge by default: the store's outbox re-enqueues an interaction that grew after it was sent (streamed blocks).
  interactionResolution: z.enum(['ignore', 'merge']).catch('merge'),
});
export type SyncSettings = z.infer<typeof SyncSettingsSchema>;

export function readSyncSettings(): SyncSettings {
  const c = vscode.workspace.getConfiguration('claudeTracer');
  return SyncSettingsSchema.parse({
    url: c.get('supabase.url'),
    anonKey: c.get('supabase.anonKey'),
    mode: c.get('sync.mode'),
    excludeProjects: c.get('sync.excludeProjects'),
    intervalSeconds: c.get('sync.intervalSeconds'),
    interactionConflictKey: c.get('sync.interactionConflictKey'),
    interactionResolution: c.get('sync.interactionResolution'),
  });
}

export interface SupabaseDeps {
  context: vscode.ExtensionContext;
  log: Logger;
  /** The SQLite store's outbox (see OutboxPort); without it sign-in works but nothing is synced. */
  outbox?: OutboxPort;
  /** Sessions changed on the server (other machines, team members): refresh the dashboard. */
  onRemoteSessionChange?: (c: RemoteSessionChange) => void;
  /** Sync status for the status bar / dashboard. */
  onSyncStatus?: (s: SyncStatus & { auth: AuthState; pending?: number; deadLetters?: number }) => void;
  /** Records the effective `sync.excludeProjects` in the shared store for `cct sync push` (ExclusionRecorder). */
  recordExclusions?: (globs: readonly string[]) => void;
}

interface Live {
  auth: SupabaseAuth;
  engine?: SyncEngine;
  unsubscribeRealtime?: () => Promise<void>;
  disposables: vscode.Disposable[];
}

/** What registerSupabase returns: its Disposable, and the signed-in client for other features (teams). */
export interface SupabaseRegistration extends vscode.Disposable {
  /** The live client when this window is signed in, else undefined (connects first if needed). */
  signedInClient(): Promise<CctSupabaseClient | undefined>;
}

/**
 * Connect / sign in / sign out / sync / delete remote data, the auth URI handler and the sync timer.
 * Returns one Disposable for the composition root (src/app.ts).
 */
export function registerSupabase(deps: SupabaseDeps): SupabaseRegistration {
  const { context, log } = deps;
  const storage = new SecretStorageAuthStorage(context.secrets);
  const callbackPath = '/auth-callback';
  const signInLabel = vscode.l10n.t('Sign In');
  let live: Live | undefined;
  let lastReport: DrainReport | undefined;
  const subs: vscode.Disposable[] = [];
  deps.recordExclusions?.(readSyncSettings().excludeProjects);

  async function connection(): Promise<{ url: string; anonKey: string } | undefined> {
    const s = readSyncSettings();
    const anonKey = s.anonKey || (await storage.getAnonKey()) || '';
    if (!s.url || !anonKey) return undefined;
    const check = checkConnection(s.url, anonKey);
    if (!check.ok) {
      log.warn(`supabase settings refused: ${check.error}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Claude Code Tracer: {0}', check.error ?? ''));
      return undefined;
    }
    return { url: check.url!, anonKey };
  }

  async function teardown(): Promise<void> {
    if (!live) return;
    const l = live;
    live = undefined;
    l.engine?.dispose();
    await l.unsubscribeRealtime?.().catch(() => undefined);
    l.auth.dispose();
    for (const d of l.disposables) d.dispose();
  }

  async function start(): Promise<Live | undefined> {
    if (live) return live;
    const conn = await connection();
    if (!conn) return undefined;
    const s = readSyncSettings();
    const client = createSupabaseClient(conn, { storage, storageKey: DEFAULT_STORAGE_KEY });
    const auth = new SupabaseAuth(client, storage);
    const l: Live = { auth, disposables: [] };
    if (deps.outbox) {
      l.engine = new SyncEngine(
        deps.outbox,
        new SupabaseSyncRemote(client, {
          interactionConflictKey: s.interactionConflictKey,
          interactionResolution: s.interactionResolution,
        }),
        {
          mode: s.mode,
          excludeProjects: s.excludeProjects,
        },
      );
      const sub = l.engine.onDidChangeStatus((st) => void publish(st));
      l.disposables.push(new vscode.Disposable(() => sub.dispose()));
    }
    l.disposables.push(
      storage.onDidChangeAuth(async (key) => {
        if (key !== DEFAULT_STORAGE_KEY) return;
        const r = await auth
          .adoptStoredSession()
          .catch((e) => (log.warn(`adopting the session of another window failed: ${e}`), 'unchanged'));
        if (r !== 'unchanged') log.info(`auth: ${r} the session written by another window`);
      }),
    );
    const d = auth.onDidChange((st, event) => {
      log.info(`auth: ${event} (${st.signedIn ? 'signed in' : 'signed out'})`);
      loop.setSignedIn(st.signedIn); // e.g. another window signed in: start the timer here too
      void resubscribe(st);
      void publish();
    });
    l.disposables.push(new vscode.Disposable(() => d.dispose()));
    live = l;
    return l;
  }

  async function resubscribe(st: AuthState): Promise<void> {
    const l = live;
    if (!l) return;
    await l.unsubscribeRealtime?.().catch(() => undefined);
    l.unsubscribeRealtime = undefined;
    if (st.signedIn && deps.onRemoteSessionChange) {
      l.unsubscribeRealtime = subscribeSessionChanges(l.auth.client, deps.onRemoteSessionChange, (status, err) =>
        log.debug(`realtime claude_sessions: ${status}${err ? ` ${err.message}` : ''}`),
      );
    }
  }

  async function publish(st?: SyncStatus): Promise<void> {
    if (!deps.onSyncStatus || !live) return;
    const status = st ??
      live.engine?.getStatus() ?? { mode: readSyncSettings().mode, running: false, breaker: 'closed' as const };
    const stats = await deps.outbox?.stats().catch(() => undefined);
    deps.onSyncStatus({
      ...status,
      auth: await live.auth.state(),
      ...(stats ? { pending: stats.pending, deadLetters: stats.deadLetters } : {}),
    });
  }

  /** One drain for the loop; `interactive` (Sync Now) shows the warnings a background run keeps to the log. */
  async function syncOnce(interactive: boolean, signal: AbortSignal): Promise<DrainRun> {
    const l = await start();
    if (!l?.engine) {
      if (interactive)
        void vscode.window.showWarningMessage(
          vscode.l10n.t('Claude Code Tracer: connect a Supabase project first (and the local store must be ready).'),
        );
      return { idle: true };
    }
    if (!(await l.auth.state()).signedIn) {
      if (interactive)
        void vscode.window.showWarningMessage(vscode.l10n.t('Claude Code Tracer: sign in to Supabase first.'));
      return { idle: true };
    }
    const r = await l.engine.drain(signal); // aborted by loop.stop() (sign-out) and loop.dispose()
    lastReport = r;
    log.info(
      `sync: ${r.outcome} — ${r.acked} acknowledged, ${r.requests} requests, ${r.deadLettered} dead-lettered${r.lastError ? `, last error ${r.lastError}` : ''}`,
    );
    if (r.outcome === 'auth-required')
      void vscode.window
        .showWarningMessage(
          vscode.l10n.t('Claude Code Tracer: the Supabase session expired. Sign in again to resume syncing.'),
          signInLabel,
        )
        .then((a) => a === signInLabel && vscode.commands.executeCommand(SUPABASE_COMMANDS.signIn));
    if (interactive && r.deadLettered)
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          'Claude Code Tracer: {0} row(s) were refused by the server; see "Show Sync Status".',
          r.deadLettered,
        ),
      );
    return { retryAt: r.retryAt };
  }

  // Timing policy (interval, retryAt, 5 s floor, backoff after a throw, no overlap) lives in core; see DrainLoop.
  const loop = new DrainLoop({
    drain: syncOnce,
    settings: () => {
      const s = readSyncSettings();
      return { enabled: s.mode !== 'off', intervalMs: s.intervalSeconds * 1000 };
    },
    onError: (e, manual) => {
      const next = loop.nextRunAt;
      const retry = next === undefined ? '' : `, next try in ${Math.max(0, Math.round((next - Date.now()) / 1000))} s`;
      log.error(
        `sync${manual ? ' (Sync Now)' : ''} failed${retry}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
    },
  });
  const schedule = (at?: number) => loop.schedule(at);

  subs.push(
    vscode.commands.registerCommand(SUPABASE_COMMANDS.connect, async () => {
      const cur = readSyncSettings();
      const url = await vscode.window.showInputBox({
        title: vscode.l10n.t('Supabase project URL'),
        value: cur.url,
        placeHolder: 'https://<project-ref>.supabase.co',
        ignoreFocusOut: true,
      });
      if (!url) return;
      const key = await vscode.window.showInputBox({
        title: vscode.l10n.t('Supabase publishable key'),
        prompt: vscode.l10n.t(
          'The publishable (sb_publishable_…) or legacy anon key. Never the secret / service-role key.',
        ),
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) =>
          v ? (checkConnection(url, v).ok ? undefined : checkConnection(url, v).error) : undefined,
      });
      if (!key) return;
      const check = checkConnection(url, key);
      if (!check.ok)
        return void vscode.window.showErrorMessage(vscode.l10n.t('Claude Code Tracer: {0}', check.error ?? ''));
      await teardown();
      await vscode.workspace
        .getConfiguration('claudeTracer')
        .update('supabase.url', check.url, vscode.ConfigurationTarget.Global);
      await storage.storeAnonKey(key);
      if (cur.mode === 'off') {
        const pick = await vscode.window.showQuickPick(
          [
            {
              label: 'metadata',
              description: vscode.l10n.t('sessions, tokens, costs, tool names — no prompt or response text'),
            },
            { label: 'full', description: vscode.l10n.t('also the masked prompt and response text') },
          ],
          { title: vscode.l10n.t('What should be synced?') },
        );
        if (pick)
          await vscode.workspace
            .getConfiguration('claudeTracer')
            .update('sync.mode', pick.label, vscode.ConfigurationTarget.Global);
      }
      await start();
      void vscode.window
        .showInformationMessage(
          vscode.l10n.t('Claude Code Tracer: Supabase connected. Sign in to start syncing.'),
          signInLabel,
        )
        .then((a) => a === signInLabel && vscode.commands.executeCommand(SUPABASE_COMMANDS.signIn));
    }),
    vscode.commands.registerCommand(SUPABASE_COMMANDS.signIn, async () => {
      const l = await start();
      if (!l)
        return void vscode.window.showWarningMessage(
          vscode.l10n.t('Claude Code Tracer: connect a Supabase project first.'),
        );
      const email = await vscode.window.showInputBox({
        title: vscode.l10n.t('Sign in to Supabase'),
        prompt: vscode.l10n.t('Your email: a one-time code will be sent to it'),
        ignoreFocusOut: true,
        validateInput: (v) => (/^\S+@\S+\.\S+$/.test(v) ? undefined : vscode.l10n.t('an email address')),
      });
      if (!email) return;
      try {
        await l.auth.sendEmailCode(email);
        const code = await vscode.window.showInputBox({
          title: vscode.l10n.t('Code sent to {0}', email),
          prompt: vscode.l10n.t('Enter the code from the email'),
          ignoreFocusOut: true,
          validateInput: (v) => (/^\s*\d{6,10}\s*$/.test(v) ? undefined : vscode.l10n.t('the digits from the email')),
        });
        if (!code) return;
        const st = await l.auth.verifyEmailCode(email, code);
        void vscode.window.showInformationMessage(
          vscode.l10n.t('Claude Code Tracer: signed in as {0}.', st.email ?? email),
        );
        schedule(Date.now());
      } catch (e) {
        void vscode.window.showErrorMessage(
          vscode.l10n.t('Claude Code Tracer: sign-in failed: {0}', e instanceof Error ? e.message : String(e)),
        );
      }
    }),
    vscode.commands.registerCommand(SUPABASE_COMMANDS.signInWithGitHub, async () => {
      const l = await start();
      if (!l)
        return void vscode.window.showWarningMessage(
          vscode.l10n.t('Claude Code Tracer: connect a Supabase project first.'),
        );
      const callback = await vscode.env.asExternalUri(
        vscode.Uri.parse(`${vscode.env.uriScheme}://${context.extension.id}${callbackPath}`),
      );
      const url = await l.auth.githubAuthorizeUrl(callback.toString(true));
      await vscode.env.openExternal(vscode.Uri.parse(url));
    }),
    vscode.window.registerUriHandler({
      handleUri: async (uri) => {
        if (uri.path !== callbackPath) return;
        const q = new URLSearchParams(uri.query);
        const err = q.get('error_description') ?? q.get('error');
        if (err)
          return void vscode.window.showErrorMessage(
            vscode.l10n.t('Claude Code Tracer: GitHub sign-in failed: {0}', err),
          );
        const code = q.get('code');
        const l = await start();
        if (!code || !l) return;
        try {
          const st = await l.auth.exchangeCode(code);
          void vscode.window.showInformationMessage(
            st.email
              ? vscode.l10n.t('Claude Code Tracer: signed in as {0}.', st.email)
              : vscode.l10n.t('Claude Code Tracer: signed in.'),
          );
          schedule(Date.now());
        } catch (e) {
          void vscode.window.showErrorMessage(
            vscode.l10n.t('Claude Code Tracer: sign-in failed: {0}', e instanceof Error ? e.message : String(e)),
          );
        }
      },
    }),
    vscode.commands.registerCommand(SUPABASE_COMMANDS.signOut, async () => {
      const l = await start();
      await l?.auth.signOut();
      loop.stop();
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Claude Code Tracer: signed out of Supabase (this device).'),
      );
    }),
    vscode.commands.registerCommand(SUPABASE_COMMANDS.syncNow, () => loop.runNow()),
    vscode.commands.registerCommand(SUPABASE_COMMANDS.showSyncStatus, async () => {
      const l = await start();
      const st = l?.engine?.getStatus();
      const auth = await l?.auth.state();
      const stats = await deps.outbox?.stats().catch(() => undefined);
      const lines = [
        vscode.l10n.t('Mode: {0}', readSyncSettings().mode),
        vscode.l10n.t('Signed in: {0}', auth?.signedIn ? (auth.email ?? auth.userId ?? '') : vscode.l10n.t('no')),
        vscode.l10n.t(
          'Pending rows: {0}, refused (dead letters): {1}',
          stats?.pending ?? 'n/a',
          stats?.deadLetters ?? 'n/a',
        ),
        vscode.l10n.t('Circuit: {0}', st?.breaker ?? 'n/a'),
        lastReport
          ? vscode.l10n.t(
              'Last sync: {0}, {1} acknowledged, {2} requests',
              lastReport.outcome,
              lastReport.acked,
              lastReport.requests,
            ) + (lastReport.lastError ? vscode.l10n.t(', last error: {0}', lastReport.lastError) : '')
          : vscode.l10n.t('Last sync: never'),
      ];
      await vscode.window.showInformationMessage(lines.join('\n'), { modal: true });
    }),
    vscode.commands.registerCommand(SUPABASE_COMMANDS.deleteRemoteData, async () => {
      const l = await start();
      if (!l || !(await l.auth.state()).signedIn)
        return void vscode.window.showWarningMessage(vscode.l10n.t('Claude Code Tracer: sign in to Supabase first.'));
      const yes = vscode.l10n.t('Delete everything');
      const a = await vscode.window.showWarningMessage(
        vscode.l10n.t(
          'Delete all your sessions, interactions and owned teams from the Supabase project? This cannot be undone. Your local store is not touched.',
        ),
        { modal: true },
        yes,
      );
      if (a !== yes) return;
      try {
        const n = await l.auth.deleteMyRemoteData();
        void vscode.window.showInformationMessage(
          vscode.l10n.t(
            'Claude Code Tracer: deleted {0} sessions and {1} interactions from Supabase.',
            n.sessions,
            n.interactions,
          ),
        );
      } catch (e) {
        void vscode.window.showErrorMessage(
          vscode.l10n.t(
            'Claude Code Tracer: deleting remote data failed: {0}',
            e instanceof Error ? e.message : String(e),
          ),
        );
      }
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('claudeTracer.supabase')) {
        await teardown();
        await start();
      } else if (e.affectsConfiguration('claudeTracer.sync')) {
        const s = readSyncSettings();
        deps.recordExclusions?.(s.excludeProjects);
        live?.engine?.updateConfig({ mode: s.mode, excludeProjects: s.excludeProjects });
        schedule();
      }
    }),
  );

  void start()
    .then(async (l) => {
      if (l && (await l.auth.state()).signedIn) schedule(Date.now());
    })
    .catch((e) => log.error(e instanceof Error ? e : String(e)));

  const registration = new vscode.Disposable(() => {
    loop.dispose();
    for (const d of subs) d.dispose();
    void teardown();
  });
  return Object.assign(registration, {
    async signedInClient() {
      const l = await start();
      return l && (await l.auth.state()).signedIn ? l.auth.client : undefined;
    },
  });
}
