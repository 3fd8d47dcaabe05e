import * as vscode from 'vscode';
import { formatElapsed, formatTokens, formatUsd } from '../core/live/liveFormat';
import { Disposable } from '../shared/disposable';
import type { StatusSnapshot } from '../shared/protocol';
import { COMMANDS, STATUS_ITEM_ID, WAITING_ITEM_ID } from './ids';
import type { LiveView } from './liveSessions';
import {
  appendHealthError,
  healthErrorText,
  liveTooltip,
  stateIcon,
  stateLabel,
  syncText,
  type TooltipExtras,
  whereItRuns,
} from './liveTooltip';

/** What the status bar shows besides the store's snapshot. */
export interface LiveStatus {
  paused: boolean;
  current: LiveView | undefined;
  waiting: readonly LiveView[];
  /** Whether the dashboard's `claudeTracer.openSession` is registered (the click then opens that session). */
  openSessionAvailable: boolean;
}

/**
 * The main item (the live session of the active terminal or workspace, else the store's state) and the "waiting for
 * you" count. Clicking the main item opens that session in the dashboard where it can, else the dashboard.
 */
export class StatusBarController extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly waitingItem: vscode.StatusBarItem;
  /** The `claudeTracer.statusBar.enabled` setting. */
  private enabled = false;
  /** Tracking paused (`claudeTracer.tracking.enabled` off): the status bar shows nothing. */
  private paused = false;
  private waitingEnabled = true;

  constructor() {
    super();
    this.item = this._register(vscode.window.createStatusBarItem(STATUS_ITEM_ID, vscode.StatusBarAlignment.Left, 50));
    this.item.name = 'Claude Code Tracer';
    this.item.command = COMMANDS.showDashboard;
    this.waitingItem = this._register(
      vscode.window.createStatusBarItem(WAITING_ITEM_ID, vscode.StatusBarAlignment.Left, 49),
    );
    this.waitingItem.name = vscode.l10n.t('Claude Code sessions waiting for you');
    this.waitingItem.command = COMMANDS.goToNextWaiting;
  }

  get visible(): boolean {
    return this.shown;
  }

  private get shown(): boolean {
    return this.enabled && !this.paused;
  }

  /** Whether the main item shows its error state (ingest or sync failing). */
  get inError(): boolean {
    return this.item.backgroundColor !== undefined;
  }

  get text(): string {
    return this.item.text;
  }

  /** The tooltip's Markdown source (plain text tooltips as they are). */
  get tooltip(): string {
    const t = this.item.tooltip;
    return typeof t === 'string' ? t : (t?.value ?? '');
  }

  get accessibilityLabel(): string {
    return this.item.accessibilityInformation?.label ?? '';
  }

  get waitingText(): string {
    return this.shown && this.waitingEnabled && this.waitingCount > 0 ? this.waitingItem.text : '';
  }

  private waitingCount = 0;

  setVisible(visible: boolean, waitingCount = this.waitingEnabled): void {
    this.enabled = visible;
    this.waitingEnabled = waitingCount;
    this.show();
  }

  private show(): void {
    if (this.shown) this.item.show();
    else this.item.hide();
    if (this.shown && this.waitingEnabled && this.waitingCount > 0) this.waitingItem.show();
    else this.waitingItem.hide();
  }

  update(s: StatusSnapshot, live?: LiveStatus, extras: TooltipExtras = {}): void {
    this.paused = live?.paused ?? false;
    this.waitingCount = live?.paused ? 0 : (live?.waiting.length ?? 0);
    this.waitingItem.text = `$(bell-dot) ${this.waitingCount}`;
    this.waitingItem.tooltip = vscode.l10n.t(
      '{0} Claude Code session(s) waiting for you: go to the next',
      this.waitingCount,
    );
    this.show();
    this.item.command = COMMANDS.showDashboard;
    this.item.accessibilityInformation = undefined;
    const p = s.ingest.state === 'scanning' ? s.ingest.progress : null;
    const pct = p && p.bytesTotal > 0 ? Math.floor((100 * p.bytesDone) / p.bytesTotal) : null;
    const v = live?.current;
    const error = extras.health?.error;
    this.item.backgroundColor = error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.color = error ? new vscode.ThemeColor('statusBarItem.errorForeground') : undefined;
    if (live?.paused) {
      // nothing is shown while tracking is paused (the item is hidden); Resume Tracking is in the palette
      this.item.text = '';
      this.item.tooltip = undefined;
    } else if (v) {
      // the error state keeps the session's figures, with a distinct icon in front of them
      this.item.text = `${error ? '$(error) ' : ''}${liveText(v, Date.now())}`;
      this.item.tooltip = liveTooltip(v, Date.now(), live.openSessionAvailable, extras);
      // what a screen reader says, and what the E2E test reads: the session and where it runs
      this.item.accessibilityInformation = {
        label: vscode.l10n.t(
          'Claude Code session {0}: {1}; runs in {2}',
          v.session.sessionId,
          stateLabel(v),
          whereItRuns(v),
        ),
      };
      if (live.openSessionAvailable)
        this.item.command = { title: '', command: COMMANDS.openSession, arguments: [v.session.sessionId] };
    } else if (s.liveSession) {
      // the registry's session before the lifecycle has seen it (first read)
      this.item.text = `$(pulse) ${vscode.l10n.t('Claude: {0}', stateLabel({ state: 'idle', session: s.liveSession }))}`;
      this.item.tooltip = vscode.l10n.t('Live Claude Code session in {0}', s.liveSession.projectPath);
      // A deep link: the live session's timeline, not just the dashboard.
      this.item.command = {
        command: COMMANDS.openSession,
        title: vscode.l10n.t('Open this session in the dashboard'),
        arguments: [s.liveSession.sessionId],
      };
    } else if (pct !== null && p) {
      this.item.text = `$(sync~spin) ${vscode.l10n.t('Claude Tracer {0}%', pct)}`;
      this.item.tooltip = vscode.l10n.t(
        'Scanning Claude Code transcripts: {0} of {1} files',
        p.filesDone,
        p.filesTotal,
      );
    } else if (error) {
      this.item.text = `$(error) ${vscode.l10n.t('Claude Tracer')}`;
      const md = new vscode.MarkdownString('', true);
      appendHealthError(md, error);
      if (extras.health) md.appendText(`${vscode.l10n.t('Sync:')} ${syncText(extras.health.sync)}`);
      this.item.tooltip = md;
      this.item.accessibilityInformation = { label: vscode.l10n.t('Claude Tracer: {0}', healthErrorText(error)) };
      this.item.command = COMMANDS.showLog;
    } else {
      this.item.text = `$(history) ${vscode.l10n.t('Claude Tracer')}`;
      const found = s.roots.filter((r) => r.exists).length;
      const base = s.totals
        ? vscode.l10n.t('{0} sessions in the local store', s.totals.sessions)
        : vscode.l10n.t('No live Claude Code session. {0} of {1} config folders found.', found, s.roots.length);
      this.item.tooltip = extras.health ? `${base}\n${vscode.l10n.t('Sync:')} ${syncText(extras.health.sync)}` : base;
    }
  }
}

/** `$(loading~spin) Claude: busy · 12m · 3 turns · 45.2k tok · $0.42` */
export function liveText(v: LiveView, now: number): string {
  const parts = [`$(${stateIcon(v)}) ${vscode.l10n.t('Claude: {0}', stateLabel(v))}`];
  if (v.stalled) parts.push(vscode.l10n.t('quiet {0} min', v.stalled.quietMinutes));
  const st = v.stats;
  if (st) {
    if (st.firstTs) parts.push(formatElapsed(now - st.firstTs));
    parts.push(st.turns === 1 ? vscode.l10n.t('1 turn') : vscode.l10n.t('{0} turns', st.turns));
    const t = st.tokens;
    parts.push(vscode.l10n.t('{0} tok', formatTokens(t.input + t.output + t.cacheCreation + t.cacheRead)));
    parts.push(formatUsd(st.costUsd));
  }
  return parts.join(' · ');
}
