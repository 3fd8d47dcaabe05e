import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as z from 'zod';
import { type ProcessEntry, type ProcessTable, processTableOf } from '../../core/live/processTable';

/**
 * One line of /proc/<pid>/stat → pid, comm, ppid, starttime. The command name (field 2) may hold spaces and
 * parentheses, so fields after it are counted from the LAST ')'.
 */
export function parseProcStat(text: string): Omit<ProcessEntry, 'args'> | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  const rest = text.slice(close + 2).split(' ');
  const ppid = Number(rest[1]); // field 4
  const startTime = rest[19]; // field 22
  if (!Number.isInteger(pid) || !Number.isInteger(ppid) || startTime === undefined) return undefined;
  return { pid, ppid, comm: text.slice(open + 1, close), startTime };
}

/**
 * Linux: every `/proc/<pid>` (a process that exits mid-walk is skipped). `procRoot` is a parameter so the tests walk
 * a fake tree in a temp dir.
 */
export async function readLinuxProcessTable(procRoot = '/proc'): Promise<ProcessTable> {
  const names = (await fs.readdir(procRoot)).filter((n) => /^\d+$/.test(n));
  const entries = await Promise.all(
    names.map(async (n): Promise<ProcessEntry | undefined> => {
      try {
        const stat = parseProcStat(await fs.readFile(`${procRoot}/${n}/stat`, 'utf8'));
        if (!stat || stat.pid !== Number(n)) return undefined;
        const cmdline = await fs.readFile(`${procRoot}/${n}/cmdline`, 'utf8').catch(() => '');
        const args = cmdline.split('\0').filter((a, i, all) => a !== '' || i < all.length - 1);
        return { ...stat, args };
      } catch {
        return undefined; // gone between readdir and read
      }
    }),
  );
  return processTableOf(entries.filter((e): e is ProcessEntry => e !== undefined));
}

/** macOS / BSD: the output of `ps -A -o pid=,ppid=,comm=` (comm may hold spaces: a full path). */
export function parsePsOutput(text: string): ProcessTable {
  const entries: ProcessEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(.+?)\s*$/.exec(line);
    if (!m) continue;
    const comm = m[3]!;
    entries.push({ pid: Number(m[1]), ppid: Number(m[2]), comm: comm.slice(comm.lastIndexOf('/') + 1), args: [comm] });
  }
  return processTableOf(entries);
}

const CimProcess = z.looseObject({
  ProcessId: z.number().int().nonnegative(),
  ParentProcessId: z.number().int().nonnegative(),
  Name: z.string().nullish(),
});

/**
 * Windows: `Get-CimInstance Win32_Process | Select-Object ProcessId,ParentProcessId,Name | ConvertTo-Json -Compress`.
 * ConvertTo-Json gives an object instead of an array for a single process; rows that do not fit are skipped.
 */
export function parseCimJson(text: string): ProcessTable {
  const value: unknown = JSON.parse(text);
  const rows = Array.isArray(value) ? value : [value];
  const entries: ProcessEntry[] = [];
  for (const row of rows) {
    const r = CimProcess.safeParse(row);
    if (!r.success) continue;
    const name = r.data.Name ?? '';
    entries.push({ pid: r.data.ProcessId, ppid: r.data.ParentProcessId, comm: name.replace(/\.exe$/i, '') });
  }
  return processTableOf(entries);
}

const CIM_COMMAND =
  'Get-CimInstance Win32_Process | Select-Object ProcessId,ParentProcessId,Name | ConvertTo-Json -Compress';

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { maxBuffer: 32 * 1024 * 1024, timeout: 10_000, windowsHide: true }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    ),
  );
}

/** The process snapshot of this OS; rejects where it cannot be taken (the binder then falls back to folders). */
export async function readProcessTable(platform: NodeJS.Platform = process.platform): Promise<ProcessTable> {
  if (platform === 'linux') return readLinuxProcessTable();
  if (platform === 'win32') return parseCimJson(await run('powershell.exe', ['-NoProfile', '-Command', CIM_COMMAND]));
  return parsePsOutput(await run('ps', ['-A', '-o', 'pid=,ppid=,comm=']));
}
