import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main';

export interface CctResult {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs `cct` in-process (src/cli/main.ts) with captured stdout/stderr. `stdin`: text to read, then end of input;
 * without it stdin stays open (commands that must not read it would hang, which the test then shows).
 */
export async function runCct(
  argv: string[],
  env: Record<string, string | undefined> = {},
  stdin?: string,
): Promise<CctResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const input = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  if (stdin !== undefined) input.end(stdin);
  const code = await main(argv, { stdout, stderr, stdin: input, env });
  return { code, out, err };
}

/** Runs `cct` in a child process (real exit code, real process.env), from source through tsx. */
export function runCctProcess(argv: string[], env: Record<string, string | undefined> = {}): Promise<CctResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'cctEntry.ts'), ...argv], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), out, err }));
  });
}
