import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { SessionStateChange } from '../core/live/sessionLifecycle';
import { Disposable } from '../shared/disposable';
import { COMMANDS, CONTEXT_KEYS } from './ids';
import type { LiveSessions, LiveView } from './liveSessions';
import { onDidChangeSettings, readSettings, SECTION } from './settings';

const PAUSED_KEY = 'claudeTracer.trackingPaused';

/** Quotes one argument for the terminal's shell (POSIX shells and PowerShell both take '…' literally). */
export function shellQuote(arg: string): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return process.platform === 'win32' ? `'${arg.replace(/'/g, "''")}'` : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * The live-session commands (Start Claude in Tracked Terminal, Reveal Terminal, Go to Next Waiting Session,
 * Pause / Resume Tracking), their context keys, and the optional notification when a session starts waiting.
 */
export class LiveCommands extends Disposable {
  private nextWaiting = 0;

  constructor(
    private readonly live: LiveSessions,
    private readonly state: vscode.Memento,
  ) {
    super();
    const reg = (id: string, fn: (...a: unknown[]) => unknown) =>
      this._register(vscode.commands.registerCommand(id, fn));
    reg(COMMANDS.startClaudeInTerminal, () => this.startClaude());
    reg(COMMANDS.revealTerminal, (id) => this.reveal(typeof id === 'string' ? id : undefined));
    reg(COMMANDS.goToNextWaiting, () => this.goToNextWaiting());
    reg(COMMANDS.pauseTracking, () => this.setTracking(false));
    reg(COMMANDS.resumeTracking, () => this.setTracking(true));
    // Pause was a window-wide flag in globalState before `claudeTracer.tracking.enabled`: carried over once.
    if (state.get<boolean>(PAUSED_KEY, false)) {
      void state.update(PAUSED_KEY, undefined);
      void this.setTracking(false);
    }
    live.setPaused(!readSettings().trackingEnabled);
    this._register(onDidChangeSettings((s) => this.applyTracking(s.trackingEnabled)));
    this._register(live.onDidChange(() => this.updateContext()));
    this._register(live.lifecycle.onDidChangeSession((c) => void this.notifyWaiting(c)));
    this.updateContext();
  }

  private lastContext = '';

  private updateContext(): void {
    const views = this.live.views();
    const values: [string, boolean][] = [
      [CONTEXT_KEYS.hasLiveSession, views.length > 0],
      [CONTEXT_KEYS.hasWaitingSession, views.some((v) => v.state === 'waiting')],
      [CONTEXT_KEYS.hasBoundTerminal, views.some((v) => v.terminal !== undefined)],
      [CONTEXT_KEYS.trackingPaused, this.live.isPaused],
    ];
    const key = JSON.stringify(values);
    if (key === this.lastContext) return;
    this.lastContext = key;
    for (const [k, v] of values) void vscode.commands.executeCommand('setContext', k, v);
  }

  /**
   * Pause / Resume Tracking switch `claudeTracer.tracking.enabled` where it is set (a workspace value wins over the
   * user's, so that one is changed when present), so the settings page and the commands always agree.
   */
  private async setTracking(enabled: boolean): Promise<void> {
    const config = vscode.workspace.getConfiguration(SECTION);
    const inspected = config.inspect<boolean>('tracking.enabled');
    const target =
      inspected?.workspaceFolderValue !== undefined
        ? vscode.ConfigurationTarget.WorkspaceFolder
        : inspected?.workspaceValue !== undefined
          ? vscode.ConfigurationTarget.Workspace
          : vscode.ConfigurationTarget.Global;
    // true is the default: resuming removes the user's value instead of writing it
    const value = enabled && target === vscode.ConfigurationTarget.Global ? undefined : enabled;
    await config.update('tracking.enabled', value, target);
    this.applyTracking(enabled);
  }

  private applyTracking(enabled: boolean): void {
    this.live.setPaused(!enabled);
    this.updateContext();
  }

  /** A terminal in the active workspace folder running `claude --session-id <new id> <args>`, bound from the start. */
  async startClaude(): Promise<vscode.Terminal> {
    const s = readSettings();
    const folder =
      (vscode.window.activeTextEditor &&
        vscode.workspace.getWorkspaceFolder(vscode.window.activeTextEditor.document.uri)) ??
      vscode.workspace.workspaceFolders?.[0];
    const sessionId = randomUUID();
    const terminal = vscode.window.createTerminal({ name: 'Claude Code', cwd: folder?.uri });
    this.live.expect(terminal, sessionId);
    const cmd = [s.claudeCommand, '--session-id', sessionId, ...s.startClaudeArgs].map(shellQuote).join(' ');
    terminal.sendText(cmd, true);
    terminal.show();
    this.live.rebind('tracked terminal started');
    return terminal;
  }

  /** Shows the terminal of a session (the given one, else the status bar's, else a pick among bound ones). */
  async reveal(sessionId?: string): Promise<boolean> {
    let v: LiveView | undefined = sessionId ? this.live.view(sessionId) : this.live.current();
    if (!v?.terminal) {
      const bound = this.live.views().filter((x) => x.terminal);
      if (sessionId || bound.length === 0) {
        void vscode.window.showInformationMessage(
          vscode.l10n.t('This Claude Code session does not run in a terminal of this window.'),
        );
        return false;
      }
      const pick = await vscode.window.showQuickPick(
        bound.map((x) => ({ label: x.terminal!.name, description: x.session.projectPath, view: x })),
        { placeHolder: vscode.l10n.t('Terminal of which Claude Code session?') },
      );
      v = pick?.view;
    }
    if (!v?.terminal) return false;
    v.terminal.show();
    return true;
  }

  /** Cycles through the sessions waiting for the user, oldest wait first. */
  async goToNextWaiting(): Promise<string | undefined> {
    const waiting = this.live.waiting();
    if (waiting.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No Claude Code session is waiting for you.'));
      return undefined;
    }
    const v = waiting[this.nextWaiting++ % waiting.length]!;
    if (v.terminal) v.terminal.show();
    else
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'A Claude Code session is waiting for you in {0} (not in a terminal of this window).',
          v.session.projectPath,
        ),
      );
    return v.session.sessionId;
  }

  /** One notification per wait, unless that session's terminal is the one in front of the user. */
  private async notifyWaiting(c: SessionStateChange): Promise<void> {
    if (c.to !== 'waiting' || !readSettings().notifyWhenWaiting) return;
    const v = this.live.view(c.sessionId);
    if (v?.terminal && v.terminal === vscode.window.activeTerminal && vscode.window.state.focused) return;
    const go = vscode.l10n.t('Show');
    const answer = await vscode.window.showInformationMessage(
      vscode.l10n.t('Claude Code is waiting for you in {0}.', c.projectPath),
      go,
    );
    if (answer === go) await this.reveal(c.sessionId);
  }
}
