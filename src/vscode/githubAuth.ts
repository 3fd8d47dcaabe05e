import * as vscode from 'vscode';
import { githubTarget } from '../core/codeContext/githubTarget';
import type { ScanJobInput } from '../infra/worker/protocol';
import { Disposable } from '../shared/disposable';
import { Emitter } from '../shared/event';
import type { Logger } from './logger';
import { onDidChangeSettings, readSettings } from './settings';

/** The `repo` scope: the commit → pull request endpoint needs it for private repositories. */
const SCOPES = ['repo'];

/**
 * The opt-in GitHub pull request lookup in the editor (`claudeTracer.github.enabled`, default off), signed in with
 * VS Code's built-in GitHub authentication. Scans ask `lookup()` silently (`createIfNone: false`); VS Code's
 * sign-in is asked for only when the user turns the setting on and confirms, or picks "Sign in" in the one-time
 * message shown when a scan finds no session. The token goes to the scan worker and GitHub; it is never logged.
 */
export class GitHubAuth extends Disposable {
  private readonly _onDidSignIn = this._register(new Emitter<void>());
  /** A GitHub session became available (a scan can look pull requests up now). */
  readonly onDidSignIn = this._onDidSignIn.event;
  private offered = false;
  private reportedUrl: string | undefined;
  private enabled = readSettings().githubEnabled;

  constructor(private readonly deps: { log: Logger }) {
    super();
    this._register(
      onDidChangeSettings((s) => {
        const turnedOn = s.githubEnabled && !this.enabled;
        this.enabled = s.githubEnabled;
        if (turnedOn) void this.confirmSignIn();
      }),
    );
    this._register(
      vscode.authentication.onDidChangeSessions((e) => {
        const t = this.target();
        if (this.enabled && t && e.provider.id === t.providerId) this._onDidSignIn.fire();
      }),
    );
  }

  /** What a scan sends to the worker: undefined when the lookup is off, misconfigured or not signed in. */
  async lookup(): Promise<ScanJobInput['github']> {
    if (!readSettings().githubEnabled) return undefined;
    const t = this.target();
    if (!t) return undefined;
    const session = await this.session(false);
    if (!session) {
      this.offerSignInOnce();
      return undefined;
    }
    return { apiBaseUrl: t.apiBaseUrl, webHosts: t.webHosts, token: session.accessToken };
  }

  private target() {
    const url = readSettings().githubEnterpriseUrl;
    const t = githubTarget(url);
    if ('error' in t) {
      if (this.reportedUrl !== url) {
        this.reportedUrl = url;
        this.deps.log.warn(`claudeTracer.github.enterpriseUrl: ${t.error}; pull requests are not looked up`);
        void vscode.window.showWarningMessage(
          vscode.l10n.t(
            'Claude Tracer: the GitHub Enterprise URL is not valid ({0}); pull requests are not looked up.',
            t.error,
          ),
        );
      }
      return undefined;
    }
    return t;
  }

  private async session(createIfNone: boolean): Promise<vscode.AuthenticationSession | undefined> {
    const t = this.target();
    if (!t) return undefined;
    try {
      return await vscode.authentication.getSession(t.providerId, SCOPES, { createIfNone });
    } catch (e) {
      // a refused or cancelled sign-in, or no such provider (GitHub Enterprise without github-enterprise.uri)
      this.deps.log.info(`GitHub sign-in not available: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  /** Turned on: signed in already, nothing to ask; else ask once whether to sign in now. */
  private async confirmSignIn(): Promise<void> {
    if (await this.session(false)) {
      this._onDidSignIn.fire();
      return;
    }
    const signIn = vscode.l10n.t('Sign in to GitHub');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t(
        'Claude Tracer: to look up the pull requests of your sessions, sign in to GitHub (read access to your repositories).',
      ),
      signIn,
    );
    if (choice === signIn) await this.signIn();
    else this.offered = true; // declined: the scans do not ask again this session
  }

  private offerSignInOnce(): void {
    if (this.offered) return;
    this.offered = true;
    const signIn = vscode.l10n.t('Sign in to GitHub');
    void vscode.window
      .showInformationMessage(
        vscode.l10n.t('Claude Tracer: GitHub pull requests are not looked up until you sign in to GitHub.'),
        signIn,
      )
      .then((choice) => (choice === signIn ? this.signIn() : undefined));
  }

  private async signIn(): Promise<void> {
    if (await this.session(true)) {
      this.deps.log.info('signed in to GitHub: pull requests are looked up after each scan');
      this._onDidSignIn.fire();
    }
  }
}
