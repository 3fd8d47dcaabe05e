/**
 * A snapshot of the machine's processes, as the OS-specific readers (src/infra/live/processTableReader.ts) give it.
 * Pure data, so the tree logic below runs the same against /proc, `ps` output or a PowerShell CIM snapshot.
 */
export interface ProcessEntry {
  pid: number;
  ppid: number;
  /** The short command name (Linux `comm`, macOS `ps comm`, Windows `Name`). */
  comm: string;
  /** Full command line where the OS tells it (Linux /proc/<pid>/cmdline); used to spot tmux clients. */
  args?: readonly string[];
  /**
   * Start time in the same unit as the registry's `procStart` (Linux: clock ticks since boot, field 22 of
   * /proc/<pid>/stat); undefined where the reader cannot tell, and then never compared.
   */
  startTime?: string;
}

export type ProcessTable = ReadonlyMap<number, ProcessEntry>;

export function processTableOf(entries: Iterable<ProcessEntry>): ProcessTable {
  const m = new Map<number, ProcessEntry>();
  for (const e of entries) m.set(e.pid, e);
  return m;
}

/** Children of every pid, built once per snapshot. */
export function childrenIndex(table: ProcessTable): Map<number, ProcessEntry[]> {
  const idx = new Map<number, ProcessEntry[]>();
  for (const e of table.values()) {
    if (e.ppid === e.pid) continue; // pid 0 / idle entries that are their own parent
    const list = idx.get(e.ppid) ?? [];
    list.push(e);
    idx.set(e.ppid, list);
  }
  return idx;
}

/**
 * The descendants of `root` (not root itself) matching `match`, nearest first. A match is not descended into: a
 * `claude` started from inside another one's Bash tool belongs to that outer session's terminal only through it.
 */
export function findDescendants(
  table: ProcessTable,
  root: number,
  match: (e: ProcessEntry) => boolean,
  index = childrenIndex(table),
): ProcessEntry[] {
  const out: ProcessEntry[] = [];
  const seen = new Set<number>([root]);
  let level = index.get(root) ?? [];
  while (level.length > 0) {
    const next: ProcessEntry[] = [];
    for (const e of [...level].sort((a, b) => a.pid - b.pid)) {
      if (seen.has(e.pid)) continue; // a cycle in a torn snapshot must not loop forever
      seen.add(e.pid);
      if (match(e)) out.push(e);
      else next.push(...(index.get(e.pid) ?? []));
    }
    level = next;
  }
  return out;
}

/** True when `pid` descends from `ancestor` (walks parents; a torn snapshot's cycle ends the walk). */
export function descendsFrom(table: ProcessTable, pid: number, ancestor: (e: ProcessEntry) => boolean): boolean {
  const seen = new Set<number>();
  let cur = table.get(pid);
  while (cur && !seen.has(cur.pid)) {
    seen.add(cur.pid);
    const parent = table.get(cur.ppid);
    if (!parent || parent.pid === cur.pid) return false;
    if (ancestor(parent)) return true;
    cur = parent;
  }
  return false;
}

/** A tmux client or server process (`tmux`, `tmux: client`, `tmux: server`). */
export function isTmux(e: ProcessEntry): boolean {
  return /^tmux(:|$)/.test(e.comm) || (e.args?.[0] !== undefined && /(^|\/)tmux$/.test(e.args[0]));
}

export function isTmuxServer(e: ProcessEntry): boolean {
  return e.comm === 'tmux: server' || (isTmux(e) && e.args?.[0] === 'tmux: server');
}

/**
 * The tmux session a client names on its command line (`tmux attach -t work`, `tmux new -s work`, `tmux a -t
 * work:1`); undefined for a bare `tmux` (the session number is only known to the server).
 */
export function tmuxClientSession(e: ProcessEntry): string | undefined {
  const a = e.args ?? [];
  for (let i = 1; i < a.length - 1; i++) {
    if (a[i] === '-t' || a[i] === '-s') return a[i + 1]!.split(':')[0];
  }
  return undefined;
}
