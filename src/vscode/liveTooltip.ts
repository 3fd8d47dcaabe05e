import * as vscode from 'vscode';
import { formatElapsed, formatTokens, formatUsd } from '../core/live/liveFormat';
import type { TrackerHealth } from '../core/status/trackerHealth';
import { COMMANDS } from './ids';
import type { LiveView } from './liveSessions';

/**
 * The main item's tooltip. Trusted for our own command links only (`enabledCommands`); every value from a session
 * (path, branch, model ids, terminal name) goes in through appendText, so it is escaped, never rendered as Markdown.
 */
/** What the tooltip shows besides the live figures: the store's view of the session and the tracker's health. */
export interface TooltipExtras {
  health?: TrackerHealth;
  /** Privacy Guard findings in the stored session (counts per category); undefined before it is stored. */
  findings?: Readonly<Record<string, number>>;
}

export function liveTooltip(
  v: LiveView,
  now: number,
  openSessionAvailable: boolean,
  extras: TooltipExtras = {},
): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', true);
  md.isTrusted = { enabledCommands: [COMMANDS.revealTerminal, COMMANDS.goToNextWaiting, COMMANDS.openSession] };
  const line = (label: string, value: string) => {
    md.appendMarkdown(`**${escapeMarkdown(label)}** `);
    md.appendText(value);
    md.appendMarkdown('  \n');
  };
  if (extras.health?.error) appendHealthError(md, extras.health.error);
  md.appendMarkdown(`$(${stateIcon(v)}) **Claude Code**: `);
  md.appendText(stateLabel(v));
  md.appendMarkdown('\n\n');
  if (v.stalled) {
    md.appendMarkdown('$(warning) ');
    md.appendText(
      vscode.l10n.t(
        'Stalled? {0} has run for {1}, far longer than it usually takes (over {2}); quiet {3} min.',
        v.stalled.tool,
        formatElapsed(v.stalled.runningMs),
        formatElapsed(v.stalled.thresholdMs),
        v.stalled.quietMinutes,
      ),
    );
    md.appendMarkdown('\n\n');
  }
  line(vscode.l10n.t('Project:'), v.session.projectPath);
  line(vscode.l10n.t('Session:'), v.session.sessionId);
  const st = v.stats;
  if (st?.gitBranch) line(vscode.l10n.t('Branch:'), st.gitBranch);
  if (st && st.models.length > 0) line(vscode.l10n.t('Models:'), st.models.join(', '));
  if (st) {
    line(vscode.l10n.t('Turns:'), String(st.turns));
    line(
      vscode.l10n.t('Tokens:'),
      vscode.l10n.t(
        'in {0} · out {1} · cache write {2} · cache read {3}',
        formatTokens(st.tokens.input),
        formatTokens(st.tokens.output),
        formatTokens(st.tokens.cacheCreation),
        formatTokens(st.tokens.cacheRead),
      ),
    );
    const ours =
      st.costUsd === undefined
        ? vscode.l10n.t('{0} messages of unknown price', st.unpricedMessages)
        : vscode.l10n.t('{0} API-equivalent', formatUsd(st.costUsd));
    const theirs =
      st.claudeCostUsd === undefined ? '' : ` · ${vscode.l10n.t('Claude Code says {0}', formatUsd(st.claudeCostUsd))}`;
    line(vscode.l10n.t('Cost:'), `${ours}${theirs}`);
    if (st.lastTs) line(vscode.l10n.t('Last activity:'), vscode.l10n.t('{0} ago', formatElapsed(now - st.lastTs)));
  } else {
    md.appendText(vscode.l10n.t('No transcript line yet.'));
    md.appendMarkdown('  \n');
  }
  line(vscode.l10n.t('Runs in:'), whereItRuns(v));
  if (extras.health) line(vscode.l10n.t('Sync:'), syncText(extras.health.sync));
  if (extras.findings) line(vscode.l10n.t('Privacy:'), findingsText(extras.findings));
  const links: string[] = [];
  if (v.terminal) links.push(link(vscode.l10n.t('Reveal Terminal'), COMMANDS.revealTerminal, v.session.sessionId));
  if (openSessionAvailable) links.push(link(vscode.l10n.t('Open Session'), COMMANDS.openSession, v.session.sessionId));
  if (links.length) md.appendMarkdown(`\n${links.join(' · ')}`);
  return md;
}

export function whereItRuns(v: LiveView): string {
  if (v.terminal) {
    const name = v.terminal.name;
    return v.binding?.guess
      ? vscode.l10n.t('terminal "{0}" (a guess from its folder)', name)
      : vscode.l10n.t('terminal "{0}"', name);
  }
  if (v.session.entrypoint === 'claude-vscode') return vscode.l10n.t('the Claude Code panel');
  return vscode.l10n.t('outside this window (pid {0})', v.session.pid);
}

function link(label: string, command: string, sessionId: string): string {
  return `[${escapeMarkdown(label)}](command:${command}?${encodeURIComponent(JSON.stringify([sessionId]))})`;
}

function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/** Codicon per state: spinning while working, a bell while waiting for the user. */
export function stateIcon(
  v: Pick<LiveView, 'state'> & { session: { status: string }; stalled?: LiveView['stalled'] },
): string {
  if (v.stalled) return 'warning';
  switch (v.state) {
    case 'active':
      return 'loading~spin';
    case 'waiting':
      return 'bell-dot';
    case 'abandoned':
      return 'clock';
    default:
      return v.session.status === 'starting' ? 'loading~spin' : 'circle-large-outline';
  }
}

/** The state in the UI language; a registry status this version does not know is shown as it is. */
export function stateLabel(v: Pick<LiveView, 'state'> & { session: { status: string } }): string {
  if (v.state === 'abandoned') return vscode.l10n.t('idle (abandoned)');
  switch (v.session.status) {
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
      return v.session.status;
  }
}

/** The error state's reason, first in a tooltip. */
export function appendHealthError(md: vscode.MarkdownString, e: NonNullable<TrackerHealth['error']>): void {
  md.appendMarkdown(`$(error) **${escapeMarkdown(vscode.l10n.t('Problem:'))}** `);
  md.appendText(healthErrorText(e));
  md.appendMarkdown('\n\n');
}

export function healthErrorText(e: NonNullable<TrackerHealth['error']>): string {
  const what =
    e.code === 'scan-failed'
      ? vscode.l10n.t('reading the transcripts failed')
      : e.code === 'auth-required'
        ? vscode.l10n.t('sync stopped: sign in to Supabase again')
        : e.code === 'gave-up'
          ? vscode.l10n.t('sync stopped: the server refused a batch too often')
          : vscode.l10n.t('sync stopped: the Supabase server does not answer');
  return e.detail ? `${what} (${e.detail})` : what;
}

export function syncText(s: TrackerHealth['sync']): string {
  switch (s.state) {
    case 'off':
      return vscode.l10n.t('off (nothing leaves this machine)');
    case 'signed-out':
      return vscode.l10n.t('on, not signed in');
    case 'synced':
      return vscode.l10n.t('up to date');
    case 'pending':
      return vscode.l10n.t('{0} rows waiting to be sent', s.pending ?? 0);
    default:
      return vscode.l10n.t('failing');
  }
}

/** `3 masked (api_key 2, email 1)`, or none; counts only, never a value. */
export function findingsText(byCategory: Readonly<Record<string, number>>): string {
  const entries = Object.entries(byCategory)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const total = entries.reduce((a, [, n]) => a + n, 0);
  if (total === 0) return vscode.l10n.t('nothing masked');
  return vscode.l10n.t('{0} masked ({1})', total, entries.map(([c, n]) => `${c} ${n}`).join(', '));
}
