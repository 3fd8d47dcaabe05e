import { type FSWatcher, mkdirSync, watch } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatElapsed } from '../core/live/liveFormat';
import type { LimitWindow, OfficialLimits } from '../core/live/rateLimits';
import { dataDir } from '../infra/fs/dataDir';
import {
  installStatusLineBridge,
  isStatusLineBridgeInstalled,
  readOfficialLimits,
  removeStatusLineBridge,
} from '../infra/live/statusLineBridgeFiles';
import { Disposable, toDisposable } from '../shared/disposable';
import { COMMANDS, LIMITS_ITEM_ID } from './ids';
import type { Logger } from './logger';
import { readSettings } from './settings';

/** Official figures older than this are shown as possibly out of date. */
const STALE_MS = 10 * 60_000;

/**
 * The Status Line Bridge commands and the limits item: Claude Code's official 5-hour and 7-day usage, as its status
 * line last reported it through the bridge. Never an estimate presented as official: without bridge data the item
 * is hidden.
 */
export class LimitsStatus extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private watcher: FSWatcher | undefined;
  private limits: OfficialLimits | undefined;
  private readonly spoolDir = path.join(dataDir(), 'statusline');
  private readonly stateFile = path.join(dataDir(), 'statusline-bridge.json');

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly settingsFile: () => string,
    private readonly log: Logger,
  ) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem(LIMITS_ITEM_ID, vscode.StatusBarAlignment.Left, 48));
    this.item.name = vscode.l10n.t('Claude Code usage limits');
    this._register(vscode.commands.registerCommand(COMMANDS.installStatusLineBridge, () => this.install()));
    this._register(vscode.commands.registerCommand(COMMANDS.removeStatusLineBridge, () => this.remove()));
    this._register(toDisposable(() => this.watcher?.close()));
    const tick = setInterval(() => this.render(), 60_000); // the age shown
    tick.unref?.();
    this._register(toDisposable(() => clearInterval(tick)));
    this.watchSpool();
    this.reload();
  }

  get text(): string {
    return this.limits ? this.item.text : '';
  }

  get tooltip(): string {
    const t = this.item.tooltip;
    return typeof t === 'string' ? t : (t?.value ?? '');
  }

  async install(): Promise<string> {
    const paths = {
      settingsFile: this.settingsFile(),
      script: vscode.Uri.joinPath(this.extensionUri, 'resources', 'statusline-bridge.sh').fsPath,
      spoolDir: this.spoolDir,
      stateFile: this.stateFile,
    };
    try {
      const r = installStatusLineBridge(paths);
      this.log.info(`status line bridge: ${r} in ${paths.settingsFile}`);
      this.watchSpool();
      void vscode.window.showInformationMessage(
        r === 'installed'
          ? vscode.l10n.t(
              'Status Line Bridge installed in {0}. Your previous status line keeps running behind it.',
              paths.settingsFile,
            )
          : vscode.l10n.t('The Status Line Bridge is already installed in {0}.', paths.settingsFile),
      );
      return r;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.log.error(`status line bridge: ${msg}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not install the Status Line Bridge: {0}', msg));
      return 'error';
    }
  }

  async remove(): Promise<string> {
    try {
      const r = removeStatusLineBridge({ settingsFile: this.settingsFile(), stateFile: this.stateFile });
      this.log.info(`status line bridge: ${r}`);
      void vscode.window.showInformationMessage(
        r === 'removed'
          ? vscode.l10n.t('Status Line Bridge removed: your previous status line is back.')
          : vscode.l10n.t('The Status Line Bridge is not installed.'),
      );
      return r;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not remove the Status Line Bridge: {0}', msg));
      return 'error';
    }
  }

  get installed(): boolean {
    return isStatusLineBridgeInstalled(this.settingsFile());
  }

  private watchSpool(): void {
    if (this.watcher) return;
    try {
      mkdirSync(this.spoolDir, { recursive: true, mode: 0o700 });
      this.watcher = watch(this.spoolDir, { persistent: false }, () => this.reload());
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch (e) {
      this.log.debug(`limits: spool not watched (${String(e)})`);
    }
  }

  reload(): void {
    try {
      this.limits = readOfficialLimits(this.spoolDir);
    } catch (e) {
      this.log.debug(`limits: spool unreadable (${String(e)})`);
    }
    this.render();
  }

  private render(): void {
    const s = readSettings();
    const l = this.limits;
    if (!l || !s.limitsShow) {
      this.item.hide();
      return;
    }
    const now = Date.now();
    const age = now - l.observedAt;
    const stale = age > STALE_MS;
    const pct = (w: LimitWindow | undefined) => (w ? `${Math.round(w.usedPercent)}%` : '—');
    this.item.text = `$(${stale ? 'history' : 'dashboard'}) 5h ${pct(l.fiveHour)} · 7d ${pct(l.sevenDay)}`;
    const worst = Math.max(l.fiveHour?.usedPercent ?? 0, l.sevenDay?.usedPercent ?? 0);
    this.item.backgroundColor =
      worst >= s.limitsErrorPercent
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : worst >= s.limitsWarnPercent
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    const md = new vscode.MarkdownString('', true);
    md.appendMarkdown(`**${vscode.l10n.t('Claude Code usage limits')}** — `);
    md.appendText(vscode.l10n.t('official, from Claude Code’s status line, {0} old', formatElapsed(age)));
    md.appendMarkdown('\n\n');
    const row = (label: string, w: LimitWindow | undefined) => {
      if (!w) return;
      const reset = w.resetsAt ? new Date(w.resetsAt).toLocaleString(vscode.env.language) : '?';
      md.appendText(vscode.l10n.t('{0}: {1}% used, resets {2}', label, w.usedPercent.toFixed(0), reset));
      md.appendMarkdown('  \n');
    };
    row(vscode.l10n.t('5 hours'), l.fiveHour);
    row(vscode.l10n.t('7 days'), l.sevenDay);
    md.appendMarkdown('\n');
    md.appendText(
      stale
        ? vscode.l10n.t(
            'These figures may be out of date: Claude Code updates them only while a session runs in its terminal UI (not in its VS Code panel).',
          )
        : vscode.l10n.t(
            'Claude Code reports these only while a session runs in its terminal UI (not in its VS Code panel).',
          ),
    );
    this.item.tooltip = md;
    this.item.show();
  }
}
