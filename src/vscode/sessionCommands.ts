import { writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { quoteArg, resumeCommandLine, shellKindOf } from '../core/live/resumeCommand';
import { sessionCwdFromTranscript } from '../infra/live/sessionCwd';
import { Disposable } from '../shared/disposable';
import { type RequestEnvelope, type ResponseEnvelope, sessionGet } from '../shared/protocol';
import { requireDashboardData } from './dashboard/dashboardDataModule';
import type { DashboardStore } from './dashboard/dashboardStore';
import { pickSession } from './dashboard/openSessionPick';
import { COMMANDS } from './ids';
import type { LiveSessions } from './liveSessions';
import type { Logger } from './logger';
import { readSettings } from './settings';

/** Claude Code's own VS Code extension, which opens a session in its panel from a URI. */
export const CLAUDE_CODE_EXTENSION_ID = 'anthropic.claude-code';

export type ExportFormat = 'markdown' | 'json' | 'html';
const EXT: Record<ExportFormat, string> = { markdown: 'md', json: 'json', html: 'html' };

export interface SessionCommandsDeps {
  dbPath: string;
  log: Logger;
  live: LiveSessions;
  configRoots(): readonly string[];
  /** The dashboard's RPC (the session list of the quick pick, a session's header). */
  dispatch(r: RequestEnvelope): Promise<ResponseEnvelope>;
}

/**
 * Commands on one stored session, picked from the quick pick (live first) when not given: Open in Claude Code,
 * Export Session…, Copy Resume Command.
 */
export class SessionCommands extends Disposable {
  /** A read connection of its own, opened on the first export (the store code loads then). */
  private sessions: DashboardStore | undefined;

  constructor(private readonly deps: SessionCommandsDeps) {
    super();
    this._register({ dispose: () => this.sessions?.dispose() });
    const reg = (id: string, fn: (...a: unknown[]) => unknown) =>
      this._register(vscode.commands.registerCommand(id, fn));
    const sid = (a: unknown) => (typeof a === 'string' && a ? a : undefined);
    reg(COMMANDS.openInClaudeCode, (id) => this.openInClaudeCode(sid(id)));
    // (id, format, target file): each one left out is asked for
    reg(COMMANDS.exportSession, (id, format, target) =>
      this.exportSession(
        sid(id),
        isFormat(format) ? format : undefined,
        typeof target === 'string' ? vscode.Uri.file(target) : target instanceof vscode.Uri ? target : undefined,
      ),
    );
    reg(COMMANDS.copyResumeCommand, (id) => this.copyResumeCommand(sid(id)));
  }

  /** New data was committed by a scan (a sql.js connection must be reopened to see it). */
  invalidate(): void {
    this.sessions?.invalidate();
  }

  private pick(title: string): Promise<string | undefined> {
    return pickSession((r) => this.deps.dispatch(r), { title });
  }

  /**
   * Hands the session to Claude Code's VS Code extension (its URI handler opens it in its panel) when installed;
   * otherwise offers to resume it in a tracked terminal, saying why.
   */
  async openInClaudeCode(sessionId?: string): Promise<'handed' | 'terminal' | undefined> {
    const id = sessionId ?? (await this.pick(vscode.l10n.t('Open in Claude Code')));
    if (!id) return undefined;
    if (vscode.extensions.getExtension(CLAUDE_CODE_EXTENSION_ID)) {
      const uri = vscode.Uri.from({
        scheme: vscode.env.uriScheme,
        authority: CLAUDE_CODE_EXTENSION_ID,
        path: '/open',
        query: `session=${encodeURIComponent(id)}`,
      });
      await vscode.env.openExternal(uri);
      this.deps.log.info(`session ${id} handed to ${CLAUDE_CODE_EXTENSION_ID}`);
      return 'handed';
    }
    const resume = vscode.l10n.t('Resume in Terminal');
    const answer = await vscode.window.showInformationMessage(
      vscode.l10n.t(
        'The Claude Code extension ({0}) is not installed, so the session cannot open in its panel. Resume it with `claude --resume` in a terminal instead?',
        CLAUDE_CODE_EXTENSION_ID,
      ),
      resume,
    );
    if (answer !== resume) return undefined;
    return (await this.resumeInTerminal(id)) ? 'terminal' : undefined;
  }

  /** `claude --resume <id>` in a terminal opened in the session's folder, bound to the session at once. */
  async resumeInTerminal(sessionId: string): Promise<vscode.Terminal | undefined> {
    const cwd = await this.cwdOf(sessionId);
    if (!cwd) return undefined;
    const s = readSettings();
    const terminal = vscode.window.createTerminal({ name: 'Claude Code', cwd });
    this.deps.live.expect(terminal, sessionId);
    const shell = shellKindOf(vscode.env.shell, process.platform);
    terminal.sendText(
      [s.claudeCommand, '--resume', sessionId, ...s.startClaudeArgs].map((a) => quoteArg(a, shell)).join(' '),
      true,
    );
    terminal.show();
    this.deps.live.rebind('resumed in a tracked terminal');
    return terminal;
  }

  /** Copies `cd <cwd> && claude --resume <id>`, quoted for the shell of VS Code's terminal. */
  async copyResumeCommand(sessionId?: string): Promise<string | undefined> {
    const id = sessionId ?? (await this.pick(vscode.l10n.t('Copy Resume Command')));
    if (!id) return undefined;
    const cwd = await this.cwdOf(id);
    if (!cwd) return undefined;
    const line = resumeCommandLine(
      cwd,
      id,
      shellKindOf(vscode.env.shell, process.platform),
      readSettings().claudeCommand,
    );
    await vscode.env.clipboard.writeText(line);
    void vscode.window.showInformationMessage(vscode.l10n.t('Copied: {0}', line));
    return line;
  }

  /**
   * Export Session…: the session (picked), the format, where to save; then renders the masked conversation behind a
   * cancellable progress notification. Resolves with the file written, undefined when cancelled at any step.
   */
  async exportSession(sessionId?: string, format?: ExportFormat, target?: vscode.Uri): Promise<string | undefined> {
    const id = sessionId ?? (await this.pick(vscode.l10n.t('Export Session')));
    if (!id) return undefined;
    const fmt = format ?? (await pickFormat());
    if (!fmt) return undefined;
    const defaultUri = vscode.Uri.joinPath(
      vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir()),
      `claude-session-${id.slice(0, 8)}.${EXT[fmt]}`,
    );
    const file =
      target ??
      (await vscode.window.showSaveDialog({
        defaultUri,
        title: vscode.l10n.t('Export Session'),
        filters: { [fmt.toUpperCase()]: [EXT[fmt]] },
      }));
    if (!file) return undefined;
    return vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Claude Tracer: exporting the session'),
        cancellable: true,
      },
      async (progress, token) => {
        progress.report({ message: vscode.l10n.t('reading the store…') });
        const data = requireDashboardData();
        this.sessions ??= new data.DashboardStore(this.deps.dbPath, this.deps.log);
        const render = { markdown: data.exportMarkdown, json: data.exportJson, html: data.exportHtml }[fmt];
        const found = await this.sessions.use((s) => {
          const session = s.session(id);
          return session ? { session, items: s.conversation(id) } : undefined;
        });
        if (!found) {
          void vscode.window.showErrorMessage(vscode.l10n.t('Claude Tracer: no session {0} in the local store.', id));
          return undefined;
        }
        if (token.isCancellationRequested) return undefined;
        progress.report({
          increment: 50,
          message: vscode.l10n.t('{0} prompts and responses', found.items.length),
        });
        const text = render(found.session, found.items);
        if (token.isCancellationRequested) return undefined;
        await writeFile(file.fsPath, text, 'utf8');
        progress.report({ increment: 50 });
        const open = vscode.l10n.t('Open');
        void vscode.window
          .showInformationMessage(vscode.l10n.t('Claude Tracer: session exported to {0}', file.fsPath), open)
          .then((a) => (a === open ? vscode.commands.executeCommand('vscode.open', file) : undefined));
        return file.fsPath;
      },
    );
  }

  /**
   * The folder a session ran in: the live registry's for a running session, else the transcript's own `cwd`, else
   * the stored project path when it holds no mask. Says why when none is known.
   */
  private async cwdOf(sessionId: string): Promise<string | undefined> {
    const live = this.deps.live.view(sessionId)?.session.projectPath;
    if (live) return live;
    const stored = await this.deps
      .dispatch({ type: 'request', id: 0, method: sessionGet.name, params: { sessionId } })
      .then((r) => (r.ok ? sessionGet.result.parse(r.result).cwd : null))
      .catch(() => null);
    const fromTranscript = await sessionCwdFromTranscript(this.deps.configRoots(), sessionId, stored ?? '');
    const cwd = fromTranscript ?? (stored && !stored.includes('«') ? stored : undefined);
    if (!cwd)
      void vscode.window.showErrorMessage(
        vscode.l10n.t(
          'Claude Tracer: the folder session {0} ran in is unknown (its transcript is gone), so it cannot be resumed.',
          sessionId,
        ),
      );
    return cwd;
  }
}

function isFormat(f: unknown): f is ExportFormat {
  return f === 'markdown' || f === 'json' || f === 'html';
}

async function pickFormat(): Promise<ExportFormat | undefined> {
  const items: (vscode.QuickPickItem & { format: ExportFormat })[] = [
    { label: 'Markdown', description: '.md', format: 'markdown' },
    { label: 'JSON', description: '.json', format: 'json' },
    { label: 'HTML', description: '.html', format: 'html' },
  ];
  const chosen = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Export Session'),
    placeHolder: vscode.l10n.t('Format (the text is masked as stored)'),
  });
  return chosen?.format;
}
