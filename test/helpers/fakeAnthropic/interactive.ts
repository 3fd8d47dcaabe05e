/**
 * Drive the real CLI in INTERACTIVE mode inside a private tmux server (its own socket, killed in
 * `finally`), to produce what `-p` cannot: a prompt, `/clear`, another prompt in the same process —
 * two sessions, the second one starting with the `/clear` command records. Progress is detected from
 * the transcript files (not by scraping the screen), except for the initial "ready" check.
 *
 * Needs `tmux` on PATH and ~/.claude.json pre-written by writeClaudeJson() (onboarding done, project
 * trusted, the fake API key approved — otherwise a "Detected a custom API key" dialog blocks).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLAUDE_BIN } from './runClaude';

export interface InteractiveClearResult {
  ok: boolean;
  note: string;
  prompts: string[];
  newSessionId: string | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Claude Code's project-dir name for a cwd (non-alphanumerics → '-'; short paths only). */
export function projectDirName(cwd: string): string {
  return cwd.replace(/[^A-Za-z0-9]/g, '-');
}

export async function runInteractiveClear(o: {
  home: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  sessionId: string;
  prompts: [string, string];
  /** `/rename <name>` in the first session (custom-title + agent-name records) */
  rename?: string;
  timeoutMs?: number;
}): Promise<InteractiveClearResult> {
  const socket = `cct-fx-${process.pid}`;
  const tmux = (...a: string[]) =>
    execFileSync('tmux', ['-L', socket, ...a], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const projDir = path.join(o.home, '.claude', 'projects', projectDirName(o.cwd));
  const firstFile = path.join(projDir, `${o.sessionId}.jsonl`);
  const deadline = Date.now() + (o.timeoutMs ?? 90_000);
  const waitFor = async (what: string, pred: () => boolean) => {
    while (!pred()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(200);
    }
  };
  const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');
  const typeLine = async (text: string) => {
    tmux('send-keys', '-t', 'fx', '-l', text);
    await sleep(600); // let the slash-command menu / input settle
    tmux('send-keys', '-t', 'fx', 'Enter');
  };

  const envArgs = Object.entries(o.env)
    .filter((e): e is [string, string] => typeof e[1] === 'string')
    .map(([k, v]) => `${k}=${shq(v)}`)
    .join(' ');
  const script = path.join(o.home, 'run-interactive.sh');
  fs.writeFileSync(
    script,
    `#!/bin/sh\ncd ${shq(o.cwd)} || exit 1\nexec env -i ${envArgs} ${shq(CLAUDE_BIN)} --session-id ${shq(o.sessionId)}\n`,
    { mode: 0o755 },
  );

  let newSessionId: string | null = null;
  try {
    tmux('new-session', '-d', '-s', 'fx', '-x', '160', '-y', '45', script);
    await waitFor('the input prompt', () => {
      const screen = tmux('capture-pane', '-p', '-t', 'fx');
      return /^❯[\s\u00a0]*$/m.test(screen) && !/Do you want/.test(screen);
    });

    await typeLine(o.prompts[0]);
    await waitFor('the first turn to end', () => read(firstFile).includes('"subtype":"turn_duration"'));

    if (o.rename) {
      await typeLine(`/rename ${o.rename}`);
      await waitFor('/rename to write a custom-title record', () => read(firstFile).includes('"type":"custom-title"'));
    }

    const before = new Set(fs.readdirSync(projDir));
    await typeLine('/clear');
    await waitFor('/clear to start a new session file', () =>
      fs.readdirSync(projDir).some((f) => f.endsWith('.jsonl') && !before.has(f)),
    );
    const created = fs.readdirSync(projDir).find((f) => f.endsWith('.jsonl') && !before.has(f));
    newSessionId = created ? created.replace(/\.jsonl$/, '') : null;
    const secondFile = path.join(projDir, created ?? 'missing');

    await typeLine(o.prompts[1]);
    await waitFor('the second turn to end', () => read(secondFile).includes('"subtype":"turn_duration"'));

    await typeLine('/exit');
    await waitFor('the CLI to exit', () => {
      try {
        tmux('has-session', '-t', 'fx');
        return false;
      } catch {
        return true;
      }
    });
    return {
      ok: true,
      note: `interactive session in tmux: prompt, ${o.rename ? '/rename, ' : ''}/clear, prompt, /exit`,
      prompts: [...o.prompts],
      newSessionId,
    };
  } catch (e) {
    let screen = '';
    try {
      screen = tmux('capture-pane', '-p', '-t', 'fx');
    } catch {
      /* gone */
    }
    return {
      ok: false,
      note: `${e instanceof Error ? e.message : String(e)}\n${screen}`,
      prompts: [...o.prompts],
      newSessionId,
    };
  } finally {
    try {
      tmux('kill-server');
    } catch {
      /* already stopped */
    }
  }
}
