import * as vscode from 'vscode';
import { checkConnection } from '../core/sync/supabaseSettings';
import { Disposable } from '../shared/disposable';
import { SUPABASE_COMMANDS } from './ids';
import type { Logger } from './logger';
import { readSyncSettings, SECTION } from './settings';
import type { SupabaseController, SyncStatusReport } from './supabaseController';

const CALLBACK_PATH = '/auth-callback';

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Connect / sign in (email code, GitHub) / sign out / sync now / sync status / delete remote data. */
export class SupabaseCommands extends Disposable {
  constructor(
    private readonly controller: SupabaseController,
    private readonly context: vscode.ExtensionContext,
    private readonly log: Logger,
  ) {
    super();
    const register = (id: string, run: () => unknown) => this._register(vscode.commands.registerCommand(id, run));
    register(SUPABASE_COMMANDS.connect, () => this.connectProject());
    register(SUPABASE_COMMANDS.signIn, () => this.signInWithEmail());
    register(SUPABASE_COMMANDS.signInWithGitHub, () => this.signInWithGitHub());
    register(SUPABASE_COMMANDS.signOut, () => this.signOut());
    register(SUPABASE_COMMANDS.syncNow, () => controller.syncNow());
    register(SUPABASE_COMMANDS.showSyncStatus, () => this.showSyncStatus());
    register(SUPABASE_COMMANDS.deleteRemoteData, () => this.deleteRemoteData());
    this._register(vscode.window.registerUriHandler({ handleUri: (uri) => this.handleAuthCallback(uri) }));
  }

  private async connectProject(): Promise<void> {
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
      validateInput: (v) => (v ? checkConnection(url, v).error : undefined),
    });
    if (!key) return;
    const check = checkConnection(url, key);
    if (!check.ok) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Claude Code Tracer: {0}', check.error ?? ''));
      return;
    }
    await this.controller.disconnect();
    const config = vscode.workspace.getConfiguration(SECTION);
    await config.update('supabase.url', check.url, vscode.ConfigurationTarget.Global);
    await this.controller.storage.storeAnonKey(key);
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
      if (pick) await config.update('sync.mode', pick.label, vscode.ConfigurationTarget.Global);
    }
    await this.controller.connect();
    const signIn = vscode.l10n.t('Sign In');
    void vscode.window
      .showInformationMessage(
        vscode.l10n.t('Claude Code Tracer: Supabase connected. Sign in to start syncing.'),
        signIn,
      )
      .then((a) => a === signIn && vscode.commands.executeCommand(SUPABASE_COMMANDS.signIn));
  }

  private async signInWithEmail(): Promise<void> {
    const session = await this.connectedOrWarn();
    if (!session) return;
    const email = await vscode.window.showInputBox({
      title: vscode.l10n.t('Sign in to Supabase'),
      prompt: vscode.l10n.t('Your email: a one-time code will be sent to it'),
      ignoreFocusOut: true,
      validateInput: (v) => (/^\S+@\S+\.\S+$/.test(v) ? undefined : vscode.l10n.t('an email address')),
    });
    if (!email) return;
    try {
      await session.auth.sendEmailCode(email);
      const code = await vscode.window.showInputBox({
        title: vscode.l10n.t('Code sent to {0}', email),
        prompt: vscode.l10n.t('Enter the code from the email'),
        ignoreFocusOut: true,
        validateInput: (v) => (/^\s*\d{6,10}\s*$/.test(v) ? undefined : vscode.l10n.t('the digits from the email')),
      });
      if (!code) return;
      const st = await session.auth.verifyEmailCode(email, code);
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Claude Code Tracer: signed in as {0}.', st.email ?? email),
      );
      this.controller.scheduleSync(Date.now());
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Claude Code Tracer: sign-in failed: {0}', errorText(e)));
    }
  }

  private async signInWithGitHub(): Promise<void> {
    const session = await this.connectedOrWarn();
    if (!session) return;
    const callback = await vscode.env.asExternalUri(
      vscode.Uri.parse(`${vscode.env.uriScheme}://${this.context.extension.id}${CALLBACK_PATH}`),
    );
    const url = await session.auth.githubAuthorizeUrl(callback.toString(true));
    await vscode.env.openExternal(vscode.Uri.parse(url));
  }

  /** The browser comes back here after the GitHub sign-in (PKCE code exchange). */
  private async handleAuthCallback(uri: vscode.Uri): Promise<void> {
    if (uri.path !== CALLBACK_PATH) return;
    const q = new URLSearchParams(uri.query);
    const err = q.get('error_description') ?? q.get('error');
    if (err) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Claude Code Tracer: GitHub sign-in failed: {0}', err));
      return;
    }
    const code = q.get('code');
    const session = await this.controller.connect();
    if (!code || !session) return;
    try {
      const st = await session.auth.exchangeCode(code);
      void vscode.window.showInformationMessage(
        st.email
          ? vscode.l10n.t('Claude Code Tracer: signed in as {0}.', st.email)
          : vscode.l10n.t('Claude Code Tracer: signed in.'),
      );
      this.controller.scheduleSync(Date.now());
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Claude Code Tracer: sign-in failed: {0}', errorText(e)));
    }
  }

  private async signOut(): Promise<void> {
    const session = await this.controller.connect();
    await session?.auth.signOut();
    this.controller.stopSync();
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Claude Code Tracer: signed out of Supabase (this device).'),
    );
  }

  /** Shows the status in a modal and resolves with its text (without waiting for the modal to close). */
  private async showSyncStatus(): Promise<string> {
    await this.controller.connect();
    const text = syncStatusLines(readSyncSettings().mode, await this.controller.report()).join('\n');
    vscode.window.showInformationMessage(text, { modal: true }).then(undefined, (e: unknown) =>
      // VS Code refuses dialogs in its own extension tests; the text is still returned
      this.log.debug(`sync status dialog not shown: ${errorText(e)}`),
    );
    return text;
  }

  private async deleteRemoteData(): Promise<void> {
    const session = await this.controller.connect();
    if (!session || !(await session.auth.state()).signedIn) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Claude Code Tracer: sign in to Supabase first.'));
      return;
    }
    const yes = vscode.l10n.t('Delete everything');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        'Delete all your sessions, interactions and owned teams from the Supabase project? This cannot be undone. Your local store is not touched.',
      ),
      { modal: true },
      yes,
    );
    if (answer !== yes) return;
    try {
      const n = await session.auth.deleteMyRemoteData();
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'Claude Code Tracer: deleted {0} sessions and {1} interactions from Supabase.',
          n.sessions,
          n.interactions,
        ),
      );
    } catch (e) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t('Claude Code Tracer: deleting remote data failed: {0}', errorText(e)),
      );
    }
  }

  private async connectedOrWarn() {
    const session = await this.controller.connect();
    if (!session)
      void vscode.window.showWarningMessage(vscode.l10n.t('Claude Code Tracer: connect a Supabase project first.'));
    return session;
  }
}

/**
 * The lines of "Show Sync Status". With sync off nothing leaves the machine, and the outbox count would read as
 * data waiting to be sent: it is only shown while sync is on.
 */
function syncStatusLines(mode: string, r: SyncStatusReport): string[] {
  const who = r.auth?.signedIn ? (r.auth.email ?? r.auth.userId ?? '') : vscode.l10n.t('no');
  if (mode === 'off')
    return [
      vscode.l10n.t('Sync is off: nothing leaves this machine.'),
      vscode.l10n.t('Turn it on with the setting claudeTracer.sync.mode (metadata or full).'),
      vscode.l10n.t('Signed in: {0}', who),
    ];
  const last = r.lastReport;
  return [
    vscode.l10n.t('Sync: on ({0})', mode),
    vscode.l10n.t('Signed in: {0}', who),
    vscode.l10n.t(
      'Waiting to be sent: {0} rows; refused by the server (dead letters): {1}',
      r.pending ?? 'n/a',
      r.deadLetters ?? 'n/a',
    ),
    vscode.l10n.t('Circuit: {0}', r.breaker),
    last
      ? vscode.l10n.t('Last sync: {0}, {1} acknowledged, {2} requests', last.outcome, last.acked, last.requests) +
        (last.lastError ? vscode.l10n.t(', last error: {0}', last.lastError) : '')
      : vscode.l10n.t('Last sync: never'),
  ];
}
