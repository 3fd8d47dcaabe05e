import { readFileSync } from 'node:fs';

/**
 * Field 22 (starttime) of /proc/<pid>/stat. The command name (field 2) may contain spaces and parentheses,
 * so fields are counted after the LAST ')'.
 */
export function procStartTime(pid: number, procRoot = '/proc'): string | undefined {
  try {
    const stat = readFileSync(`${procRoot}/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[19]; // fields 3.. start at index 0, so field 22 is index 19
  } catch {
    return undefined;
  }
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/** True when the pid runs and, where /proc can tell, is the same process that wrote the registry entry. */
export function isProcessAlive(pid: number, procStart: string | undefined): boolean {
  if (!pidExists(pid)) return false;
  if (procStart === undefined || process.platform !== 'linux') return true;
  const actual = procStartTime(pid);
  return actual === undefined || actual === procStart;
}
