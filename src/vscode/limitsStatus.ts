import { type FSWatcher, mkdirSync, watch } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type EstimatedLimits, estimateLimits } from '../core/live/limitsEstimate';
import { type LimitsView, limitsView } from '../core/live/limitsView';
import { OFFICIAL_LIMITS_STALE_MS, type OfficialLimits } from '../core/live/rateLimits';
import type { PriceTable } from '../core/pricing/priceTable';
import { dataDir } from '../infra/fs/dataDir';
import {
  installStatusLineBridge,
  isStatusLineBridgeInstalled,
  readOfficialLimits,
  removeStatusLineBridge,
} from '../infra/live/statusLineBridgeFiles';
import type { UsageWatchStore } from '../infra/sqlite/usageWatchStore';
import { Disposable, toDisposable } from '../shared/disposable';
import { COMMANDS, LIMITS_ITEM_ID } from './ids';
import type { Logger } from './logger';
import { readSettings } from './settings';

/**
 * The Status Line Bridge commands and the limits item: Claude Code's official 5-hour and 7-day usage, as its status
 * line last reported it through the bridge, and beside it (or alone, when no fresh official figure exists) the
 * estimate from local 5-hour blocks. Each says its source and age; an estimate is never presented as official.
 */
export class LimitsStatus extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private watcher: FSWatcher | undefined;
  private limits: OfficialLimits | undefined;
  private estimate: EstimatedLimits | undefined;
  private view: LimitsView = { kind: 'none', text: '', tooltip: [], officialWorstPercent: undefined };
  private readonly spoolDir = path.join(dataDir(), 'statusline');
  private readonly stateFile = path.join(dataDir(), 'statusline-bridge.json');

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly settingsFile: () => string,
    private readonly log: Logger,
    /** Where the estimate comes from (the store's recent usage, priced); none: official figures only. */
    private readonly estimateSource?: { store: UsageWatchStore; prices: PriceTable },
  ) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem(LIMITS_ITEM_ID, vscode.StatusBarAlignment.Left, 48));
    this.item.name = vscode.l10n.t('Claude Code usage limits');
    this._register(vscode.commands.registerCommand(COMMANDS.installStatusLineBridge, () => this.install()));
    this._register(vscode.commands.registerCommand(COMMANDS.removeStatusLineBridge, () => this.remove()));
    this._register(toDisposable(() => this.watcher?.close()));
    const tick = setInterval(() => this.refreshEstimate(), 60_000); // the ages and the burn rate shown
    tick.unref?.();
    this._register(toDisposable(() => clearInterval(tick)));
    this.watchSpool();
    this.reload();
    // After activation: the estimate opens the store connection and reads the ledger.
    const first = setTimeout(() => this.refreshEstimate(), 0);
    this._register(toDisposable(() => clearTimeout(first)));
  }

  /** The item's text ('' when hidden). */
  get text(): string {
    return this.view.kind === 'none' ? '' : this.item.text;
  }

  /** The official figures as the bridge last reported them (undefined: no bridge data); the Metrics view shows them. */
  get official(): OfficialLimits | undefined {
    return this.limits;
  }

  /** What the item shows: 'official', 'estimate', 'both' or 'none'. */
  get kind(): LimitsView['kind'] {
    return this.view.kind;
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

  /** Recomputes the estimate from local 5-hour blocks (after a scan wrote, and every minute for the burn rate). */
  refreshEstimate(): void {
    const now = Date.now();
    if (this.isDisposed) return;
    try {
      const rows = readSettings().limitsShow ? this.estimateSource?.store.recentUsage(now) : undefined;
      this.estimate = rows && this.estimateSource ? estimateLimits(rows, this.estimateSource.prices, now) : undefined;
    } catch (e) {
      this.log.debug(`limits: no estimate (${String(e)})`);
      this.estimate = undefined;
    }
    this.render();
  }

  private render(): void {
    const s = readSettings();
    const view = limitsView(
      {
        official: this.limits,
        estimate: this.estimate,
        now: Date.now(),
        staleMs: OFFICIAL_LIMITS_STALE_MS,
        locale: vscode.env.language,
      },
      vscode.l10n,
    );
    this.view = view;
    if (view.kind === 'none' || !s.limitsShow || !s.trackingEnabled) {
      this.item.hide();
      return;
    }
    this.item.text = view.text;
    const worst = view.officialWorstPercent;
    // Only fresh official figures are coloured: an estimate is not a quota and must not look like one.
    this.item.backgroundColor =
      worst === undefined
        ? undefined
        : worst >= s.limitsErrorPercent
          ? new vscode.ThemeColor('statusBarItem.errorBackground')
          : worst >= s.limitsWarnPercent
            ? new vscode.ThemeColor('statusBarItem.warningBackground')
            : undefined;
    const md = new vscode.MarkdownString('', true);
    view.tooltip.forEach((line, i) => {
      if (i === 0) md.appendMarkdown(`**${line.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, '\\$&')}**`);
      else md.appendText(line);
      md.appendMarkdown(i === 0 ? '\n\n' : '  \n');
    });
    this.item.tooltip = md;
    this.item.show();
  }
}
