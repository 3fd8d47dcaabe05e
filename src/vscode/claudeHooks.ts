import { type FSWatcher, mkdirSync, watch } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type HookHints, hookEventTime, parseHookSpoolLine } from '../core/live/hookEvents';
import { dataDir } from '../infra/fs/dataDir';
import {
  claudeHooksInstalled,
  HookSpoolReader,
  type HooksOutcome,
  installClaudeHooks,
  installHookScript,
  removeClaudeHooks,
} from '../infra/live/claudeHooksFiles';
import { Disposable, toDisposable } from '../shared/disposable';
import { COMMANDS } from './ids';
import type { Logger } from './logger';

/** Where the hooks go: Claude Code's user settings, or one workspace folder's `.claude/settings.local.json`. */
export type HooksTarget = 'user' | 'workspace';

/**
 * "Install / Remove Claude Code Hooks", and the spool the installed hooks append to: each new line becomes a typed
 * hook event for the live monitor (an accelerator; the registry and the transcripts stay the source of truth).
 */
export class ClaudeHooks extends Disposable {
  private watcher: FSWatcher | undefined;
  private readonly spoolDir = path.join(dataDir(), 'hooks');
  private readonly reader = new HookSpoolReader(this.spoolDir);
  private rejected = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly userSettingsFile: () => string,
    private readonly hints: HookHints,
    private readonly log: Logger,
  ) {
    super();
    this._register(vscode.commands.registerCommand(COMMANDS.installClaudeHooks, (t) => this.install(asTarget(t))));
    this._register(vscode.commands.registerCommand(COMMANDS.removeClaudeHooks, () => this.remove()));
    this._register(toDisposable(() => this.watcher?.close()));
    this.watchSpool();
    this.refreshScript();
  }

  private get shippedScript(): string {
    return vscode.Uri.joinPath(this.extensionUri, 'resources', 'claude-tracer-hook.sh').fsPath;
  }

  /** Where hooks are installed, the copy of the script they run is brought up to this version's. */
  private refreshScript(): void {
    if (!this.candidates().some((c) => claudeHooksInstalled(c.file).length > 0)) return;
    try {
      installHookScript(this.shippedScript, this.spoolDir);
    } catch (e) {
      this.log.warn(`hooks: the hook script could not be refreshed (${String(e)})`);
    }
  }

  /** The settings files the hooks can live in: the user's, then each workspace folder's local settings. */
  private candidates(): { target: HooksTarget; file: string }[] {
    return [
      { target: 'user', file: this.userSettingsFile() },
      ...(vscode.workspace.workspaceFolders ?? []).map((f) => ({
        target: 'workspace' as const,
        file: path.join(f.uri.fsPath, '.claude', 'settings.local.json'),
      })),
    ];
  }

  private async pickFile(target: HooksTarget | undefined): Promise<string | undefined> {
    const all = this.candidates();
    if (target) return all.find((c) => c.target === target)?.file;
    const pick = await vscode.window.showQuickPick(
      all.map((c) => ({
        label:
          c.target === 'user'
            ? vscode.l10n.t('All my Claude Code sessions (user settings)')
            : vscode.l10n.t('Only this workspace (.claude/settings.local.json)'),
        description: c.file,
        file: c.file,
      })),
      { placeHolder: vscode.l10n.t('Install the Claude Code hooks where?') },
    );
    return pick?.file;
  }

  async install(target?: HooksTarget): Promise<HooksOutcome | 'cancelled' | 'error'> {
    const settingsFile = await this.pickFile(target);
    if (!settingsFile) return 'cancelled';
    try {
      const script = installHookScript(this.shippedScript, this.spoolDir);
      const r = installClaudeHooks({ settingsFile, script, spoolDir: this.spoolDir });
      this.log.info(`claude hooks: ${r} in ${settingsFile}`);
      this.watchSpool();
      void vscode.window.showInformationMessage(
        r === 'installed'
          ? vscode.l10n.t(
              'Claude Code hooks installed in {0}. Sessions that start from now on report their state changes at once.',
              settingsFile,
            )
          : vscode.l10n.t('The Claude Code hooks are already installed in {0}.', settingsFile),
      );
      return r;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.log.error(`claude hooks: ${msg}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not install the Claude Code hooks: {0}', msg));
      return 'error';
    }
  }

  /** Removes our hooks from every settings file that has them (user and workspace folders). */
  async remove(): Promise<HooksOutcome | 'error'> {
    const files = this.candidates().filter((c) => claudeHooksInstalled(c.file).length > 0);
    const errors: string[] = [];
    const removed: string[] = [];
    for (const c of files) {
      try {
        if (removeClaudeHooks(c.file) === 'removed') removed.push(c.file);
      } catch (e) {
        errors.push(e instanceof Error ? e.message : String(e));
      }
    }
    this.log.info(`claude hooks: removed from ${removed.join(', ') || 'nowhere'}`);
    if (errors.length > 0) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t('Could not remove the Claude Code hooks: {0}', errors.join('; ')),
      );
      return 'error';
    }
    void vscode.window.showInformationMessage(
      removed.length > 0
        ? vscode.l10n.t('Claude Code hooks removed from {0}.', removed.join(', '))
        : vscode.l10n.t('The Claude Code hooks are not installed.'),
    );
    return removed.length > 0 ? 'removed' : 'not installed';
  }

  private watchSpool(): void {
    if (this.watcher) return;
    try {
      mkdirSync(this.spoolDir, { recursive: true, mode: 0o700 });
      this.watcher = watch(this.spoolDir, { persistent: false }, () => this.readSpool());
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch (e) {
      this.log.debug(`hooks: spool not watched (${String(e)})`);
    }
  }

  /** New spool lines → hook events. A line that does not fit the schema is skipped and counted. */
  readSpool(): void {
    let lines: string[];
    try {
      lines = this.reader.readNew();
    } catch (e) {
      this.log.debug(`hooks: spool unreadable (${String(e)})`);
      return;
    }
    const now = Date.now();
    for (const line of lines) {
      const e = parseHookSpoolLine(line);
      if (e) this.hints.accept({ ...e, at: hookEventTime(e, now) });
      else if (this.rejected++ < 5) this.log.warn(`hooks: a spool line of ${line.length} chars was not understood`);
    }
  }
}

function asTarget(t: unknown): HooksTarget | undefined {
  return t === 'user' || t === 'workspace' ? t : undefined;
}
