import * as vscode from 'vscode';
import { Disposable } from '../shared/disposable';
import type * as FileSessionsRead from './fileSessionsRead';
import { COMMANDS } from './ids';
import type { Logger } from './logger';

/** Registered by the session-detail work when present: opens a session (by id) in the dashboard. */
export const OPEN_SESSION_COMMAND = 'claudeTracer.openSession';

export interface FileSessionItem extends vscode.QuickPickItem {
  sessionId: string;
  /** The timeline entry (`Turn.id`: the response whose tool call touched the file) the session opens at. */
  turnId: string | null;
}

/**
 * "Claude Tracer: Show Sessions for This File" (command palette, explorer and editor-title context menus): a quick
 * pick of the stored sessions whose tools touched the file (time, tool, the turn's prompt). Choosing one runs
 * `claudeTracer.openSession(sessionId, { turnId })` (CONTRACTS: the dashboard scrolls to that turn) when that command
 * exists, else opens the session's masked export as a Markdown document.
 */
export class FileSessionsCommand extends Disposable {
  constructor(private readonly deps: { dbPath: string; log: Logger }) {
    super();
    this._register(vscode.commands.registerCommand(COMMANDS.showSessionsForFile, (uri?: vscode.Uri) => this.run(uri)));
  }

  /** Returns the items offered (for tests), or undefined when there was no file or nothing stored. */
  async run(uri?: vscode.Uri, pick = showPick): Promise<FileSessionItem[] | undefined> {
    const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
    if (target?.scheme !== 'file') {
      void vscode.window.showInformationMessage(vscode.l10n.t('Claude Tracer: open a file first.'));
      return undefined;
    }
    const read = loadReader();
    const found = await read.readFileTouches(this.deps.dbPath, target.fsPath);
    if (!found) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Claude Tracer: nothing is stored yet.'));
      return undefined;
    }
    if (found.touches.length === 0) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Claude Tracer: no stored session touched {0}.', vscode.workspace.asRelativePath(target)),
      );
      return [];
    }
    const items: FileSessionItem[] = found.touches.map((t) => ({
      label: `${t.ts === null ? '?' : new Date(t.ts).toLocaleString()} · ${t.tool}`,
      description: `${t.sessionId.slice(0, 8)}${t.title ? ` · ${oneLine(t.title, 60)}` : ''}`,
      detail: t.prompt ? oneLine(t.prompt, 140) : undefined,
      sessionId: t.sessionId,
      turnId: t.timelineTurnId,
    }));
    const chosen = await pick(
      items,
      vscode.l10n.t('Sessions that touched {0}', vscode.workspace.asRelativePath(target)),
    );
    if (chosen) await this.open(chosen, read);
    return items;
  }

  private async open(item: FileSessionItem, read: typeof FileSessionsRead): Promise<void> {
    const commands = await vscode.commands.getCommands(true);
    if (commands.includes(OPEN_SESSION_COMMAND)) {
      await vscode.commands.executeCommand(
        OPEN_SESSION_COMMAND,
        item.sessionId,
        item.turnId ? { turnId: item.turnId } : undefined,
      );
      return;
    }
    const md = await read.sessionMarkdown(this.deps.dbPath, item.sessionId);
    if (md === undefined) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t('Claude Tracer: session {0} is no longer stored.', item.sessionId),
      );
      return;
    }
    const doc = await vscode.workspace.openTextDocument({ content: md, language: 'markdown' });
    await vscode.window.showTextDocument(doc, { preview: true });
  }
}

function showPick(items: FileSessionItem[], placeHolder: string): Thenable<FileSessionItem | undefined> {
  return vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true, matchOnDetail: true });
}

function oneLine(s: string, max: number): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** dist/fileSessions.js, next to extension.js (from source in tests, the module itself). */
function loadReader(): typeof FileSessionsRead {
  return require(`${__dirname}/fileSessions.js`) as typeof FileSessionsRead;
}
