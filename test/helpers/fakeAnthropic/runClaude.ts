/**
 * Run the real Claude Code CLI (npm @anthropic-ai/claude-code) offline against the fake API.
 * The environment is built from scratch: a temp HOME, the fake base URL and key, and the switches
 * that keep the CLI from phoning home or updating itself (DISABLE_AUTOUPDATER is mandatory:
 * without it the CLI may `npm install -g` itself). The child runs in its own process group and is
 * killed by group id on timeout.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const CLAUDE_BIN = path.join(REPO_ROOT, 'node_modules/.bin/claude');

/** The key handed to the CLI. Not a secret: the fake server accepts anything. */
export const FAKE_API_KEY = 'sk-ant-fake-test-key-not-real';

export function claudeVersion(): string {
  const pkg = JSON.parse(
    fs.readFileSync(path.join(REPO_ROOT, 'node_modules/@anthropic-ai/claude-code/package.json'), 'utf8'),
  ) as { version: string };
  return pkg.version;
}

export function claudeEnv(home: string, baseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    TERM: process.env.TERM ?? 'xterm-256color',
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: FAKE_API_KEY,
    DISABLE_TELEMETRY: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_ERROR_REPORTING: '1',
    ...extra,
  };
}

/** Pre-write ~/.claude.json so the CLI skips onboarding and trusts the given project dirs. */
export function writeClaudeJson(home: string, trustedDirs: string[]): void {
  const projects: Record<string, unknown> = {};
  for (const d of trustedDirs) {
    projects[d] = { allowedTools: [], hasTrustDialogAccepted: true, hasCompletedProjectOnboarding: true };
  }
  const json = {
    hasCompletedOnboarding: true,
    lastOnboardingVersion: claudeVersion(),
    numStartups: 1,
    theme: 'dark',
    bypassPermissionsModeAccepted: true,
    // interactive mode asks "Detected a custom API key … use it?" unless its last 20 chars are approved
    customApiKeyResponses: { approved: [FAKE_API_KEY.slice(-20)], rejected: [] },
    projects,
  };
  fs.writeFileSync(path.join(home, '.claude.json'), JSON.stringify(json, null, 2));
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export async function runClaude(opts: {
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
}): Promise<RunResult> {
  const child = spawn(CLAUDE_BIN, opts.args, {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }, opts.timeoutMs ?? 90_000);
  try {
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (c, s) => resolve([c, s]));
    });
    return { code, signal, stdout, stderr, timedOut };
  } finally {
    clearTimeout(timer);
    // leave no stray children of the CLI behind (tool shells, etc.)
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* group already empty */
    }
  }
}
