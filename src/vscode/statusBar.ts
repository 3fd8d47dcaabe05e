import * as vscode from 'vscode';
import { Disposable } from '../shared/disposable';
import type { StatusSnapshot } from '../shared/protocol';
import { COMMANDS, STATUS_ITEM_ID } from './ids';

/** The status-bar indicator of the live session; clicking it opens that session in the dashboard (else the dashboard). */
export class StatusBarController extends Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    super();
    this.item = this._register(vscode.window.createStatusBarItem(STATUS_ITEM_ID, vscode.StatusBarAlignment.Left, 50));
    this.item.name = 'Claude Code Tracer';
    this.item.command = COMMANDS.showDashboard;
  }

  private shown = false;

  get visible(): boolean {
    return this.shown;
  }

  get text(): string {
    return this.item.text;
  }

  setVisible(visible: boolean): void {
    this.shown = visible;
    if (visible) this.item.show();
    else this.item.hide();
  }

  update(s: StatusSnapshot): void {
    this.item.command = COMMANDS.showDashboard;
    const p = s.ingest.state === 'scanning' ? s.ingest.progress : null;
    const pct = p && p.bytesTotal > 0 ? Math.floor((100 * p.bytesDone) / p.bytesTotal) : null;
    if (s.liveSession) {
      this.item.text = `$(pulse) ${vscode.l10n.t('Claude: {0}', statusLabel(s.liveSession.status))}`;
      this.item.tooltip = vscode.l10n.t('Live Claude Code session in {0}', s.liveSession.projectPath);
      // A deep link: the live session's timeline, not just the dashboard.
      this.item.command = {
        command: COMMANDS.openSession,
        title: vscode.l10n.t('Open this session in the dashboard'),
        arguments: [s.liveSession.sessionId],
      };
      return;
    }
    if (pct !== null && p) {
      this.item.text = `$(sync~spin) ${vscode.l10n.t('Claude Tracer {0}%', pct)}`;
      this.item.tooltip = vscode.l10n.t(
        'Scanning Claude Code transcripts: {0} of {1} files',
        p.filesDone,
        p.filesTotal,
      );
    } else {
      this.item.text = `$(history) ${vscode.l10n.t('Claude Tracer')}`;
      const found = s.roots.filter((r) => r.exists).length;
      this.item.tooltip = s.totals
        ? vscode.l10n.t('{0} sessions in the local store', s.totals.sessions)
        : vscode.l10n.t('No live Claude Code session. {0} of {1} config folders found.', found, s.roots.length);
    }
  }
}

/** Claude Code's registry status in the UI language; a value this version does not know is shown as it is. */
function statusLabel(status: string): string {
  switch (status) {
    case 'busy':
      return vscode.l10n.t('busy');
    case 'idle':
      return vscode.l10n.t('idle');
    case 'waiting':
      return vscode.l10n.t('waiting for you');
    case 'shell':
      return vscode.l10n.t('running a shell command');
    case 'starting':
      return vscode.l10n.t('starting');
    default:
      return status;
  }
}
