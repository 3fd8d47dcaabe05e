import { execFile } from 'node:child_process';

/** What one git run returned: its output, or why it failed (exit status, timeout, git missing). */
export type GitResult = { ok: true; stdout: string } | { ok: false; code: number | string | null; stderr: string };

const ENV_OVERRIDES = {
  GIT_TERMINAL_PROMPT: '0', // never ask for credentials
  GIT_OPTIONAL_LOCKS: '0', // reading must not take the index lock another git holds
  LC_ALL: 'C',
};

/**
 * Runs `git` with fixed arguments, no shell, in `cwd`, killed after `timeoutMs`. Config that could run programs on
 * a read (fsmonitor, pagers) is turned off for the run.
 */
export function runGit(
  cwd: string,
  args: readonly string[],
  timeoutMs = 10_000,
  /** Written to git's stdin (e.g. a patch for `git patch-id`). */
  input?: string,
): Promise<GitResult> {
  return new Promise((resolve) => {
    const child = execFile(
      'git',
      ['-c', 'core.fsmonitor=false', '-c', 'core.pager=cat', '--no-pager', ...args],
      {
        cwd,
        timeout: timeoutMs,
        maxBuffer: 32 * 1024 * 1024,
        env: { ...process.env, ...ENV_OVERRIDES },
        windowsHide: true,
      },
      (err, stdout, stderr) => {
        if (!err) resolve({ ok: true, stdout: String(stdout) });
        else
          resolve({
            ok: false,
            code: (err as NodeJS.ErrnoException).code ?? (err.killed ? 'timeout' : null),
            stderr: String(stderr ?? ''),
          });
      },
    );
    if (input !== undefined) {
      child.stdin?.on('error', () => undefined); // git exiting early closes the pipe: its exit status says why
      child.stdin?.end(input);
    }
  });
}
