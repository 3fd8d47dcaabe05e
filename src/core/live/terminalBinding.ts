import type { LiveSessionRecord } from './liveSessionRecord';
import {
  childrenIndex,
  descendsFrom,
  findDescendants,
  isTmux,
  isTmuxServer,
  type ProcessTable,
  tmuxClientSession,
} from './processTable';

/** What the binder needs of a VS Code terminal (the adapter fills it from `vscode.Terminal`). */
export interface TerminalInfo {
  id: string;
  /** The shell's pid (`Terminal.processId`); undefined until the pty has started. */
  pid: number | undefined;
  /** The terminal's working directory (shell integration), or the folder it was opened in. */
  cwd: string | undefined;
}

/**
 * How a binding was found: `process` (the claude process descends from the terminal's shell), `tmux` (it runs in
 * the tmux session a client in the terminal attached to), `cwd` (a guess: the newest live session in the terminal's
 * folder, when the process tree could not tell).
 */
export type BindingSource = 'process' | 'tmux' | 'cwd';

export interface TerminalBinding {
  terminalId: string;
  pid: number;
  sessionId: string;
  source: BindingSource;
  /** True for `cwd`: shown as a guess, never as a certainty. */
  guess: boolean;
}

/** What the binder reads of a registry record (a `LiveSessionRecord`, or a live session mapped back to one). */
export type BindableRecord = Pick<
  LiveSessionRecord,
  'pid' | 'sessionId' | 'cwd' | 'procStart' | 'tmux' | 'updatedAt' | 'startedAt'
>;

/**
 * Registry records whose process is in the snapshot with the start time the record names: a record of a pid that is
 * gone (SIGKILL leaves the file) or reused by another program (different start time) is stale.
 */
export function liveRecordsIn<R extends BindableRecord>(table: ProcessTable, records: readonly R[]): R[] {
  return records.filter((r) => {
    const p = table.get(r.pid);
    if (!p) return false;
    return r.procStart === undefined || p.startTime === undefined || p.startTime === r.procStart;
  });
}

const recency = (r: BindableRecord) => r.updatedAt ?? r.startedAt ?? 0;
const newest = (rs: readonly BindableRecord[]) =>
  rs.reduce<BindableRecord | undefined>((a, b) => (a && recency(a) >= recency(b) ? a : b), undefined);

/**
 * Binds terminals to live Claude Code sessions. `table` null means no process snapshot could be taken (no /proc,
 * `ps` failed…): then every terminal falls back to its folder. `records` must already be the live ones.
 */
export function bindTerminals(
  terminals: readonly TerminalInfo[],
  table: ProcessTable | null,
  records: readonly BindableRecord[],
): TerminalBinding[] {
  const out: TerminalBinding[] = [];
  const taken = new Set<number>();
  const byPid = new Map(records.map((r) => [r.pid, r]));
  const unresolved: TerminalInfo[] = [];
  const index = table ? childrenIndex(table) : undefined;

  for (const t of terminals) {
    if (!table || t.pid === undefined || !table.has(t.pid)) {
      unresolved.push(t);
      continue;
    }
    const claude = newest(findDescendants(table, t.pid, (e) => byPid.has(e.pid), index).map((e) => byPid.get(e.pid)!));
    if (claude) {
      out.push(bound(t, claude, 'process'));
      taken.add(claude.pid);
      continue;
    }
    // tmux: the client is the terminal's descendant, the CLI the (daemonized) server's; the client's `-t`/`-s` names
    // the session the registry's `tmux` field starts with.
    const clients = findDescendants(table, t.pid, isTmux, index).filter((e) => !isTmuxServer(e));
    if (clients.length === 0) continue; // the tree answered: nothing runs in this terminal
    const names = new Set(clients.map(tmuxClientSession).filter((n): n is string => n !== undefined));
    const inTmux = records.filter((r) => r.tmux && descendsFrom(table, r.pid, isTmuxServer) && !taken.has(r.pid));
    const named = newest(inTmux.filter((r) => names.has(r.tmux!.split(':')[0]!)));
    if (named) {
      out.push(bound(t, named, 'tmux'));
      taken.add(named.pid);
    } else if (names.size === 0) unresolved.push(t); // a bare `tmux`: only the folder can tell
  }

  for (const t of unresolved) {
    if (!t.cwd) continue;
    const guess = newest(records.filter((r) => r.cwd === t.cwd && !taken.has(r.pid)));
    if (!guess) continue;
    out.push(bound(t, guess, 'cwd'));
    taken.add(guess.pid);
  }
  return out;
}

function bound(t: TerminalInfo, r: BindableRecord, source: BindingSource): TerminalBinding {
  return { terminalId: t.id, pid: r.pid, sessionId: r.sessionId, source, guess: source === 'cwd' };
}
