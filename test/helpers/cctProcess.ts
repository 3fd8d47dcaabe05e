import { spawn } from 'node:child_process';
import * as path from 'node:path';

export interface CctProcessResult {
  /** null when the harness had to kill the process (it did not finish within `killAfterMs`) */
  code: number | null;
  out: string;
  err: string;
  killed: boolean;
}

const MAIN = path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts');

/**
 * Runs `cct` from source in a child process, killed (SIGKILL) after `killAfterMs`: for tests that must show a
 * command FINISHES (a hang would otherwise block the test run). A hang bound, not a speed target.
 */
export function runCctProcess(
  argv: string[],
  opts: { env?: Record<string, string>; stdin?: string; killAfterMs: number },
): Promise<CctProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...argv], {
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let killed = false;
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, opts.killAfterMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err, killed });
    });
    child.stdin.end(opts.stdin ?? '');
  });
}
