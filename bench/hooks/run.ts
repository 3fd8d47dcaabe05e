// Claude Code hooks: (1) what the hook script costs Claude Code per event, against an empty hook, for small and large
// payloads (a 40 KiB prompt or last message); (2) from the hook writing its line to the live monitor holding the event
// (fs.watch on the spool dir → reader → zod → HookHints), the path the extension runs.
// npm run bench:hooks   (targets: hook p95 added ≤ 50 ms, the Status Line Bridge's budget; event → monitor p95 ≤ 250 ms)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, watch } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hookCommand } from '../../src/core/live/claudeHooksSettings';
import { HookHints, hookEventTime, parseHookSpoolLine } from '../../src/core/live/hookEvents';
import { HookSpoolReader } from '../../src/infra/live/claudeHooksFiles';

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const script = path.join(__dirname, '../../resources/claude-tracer-hook.sh');
const dir = mkdtempSync(path.join(os.tmpdir(), 'cct-hookbench-'));
const spool = path.join(dir, 'hooks');
const env = {
  ...process.env,
  CLAUDE_PID: String(process.pid),
  CLAUDE_CODE_SESSION_ID: 'c46d3a3e-1111-2222-3333-444455556666',
};
const q = (xs: number[], p: number) =>
  [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const f = (x: number) => x.toFixed(1);

const payloads = {
  'Notification (small)': {
    event: 'Notification',
    input: JSON.stringify({
      session_id: 'x',
      hook_event_name: 'Notification',
      notification_type: 'permission_prompt',
      message: 'Claude needs your permission to use Bash',
    }),
  },
  'UserPromptSubmit (40 KiB prompt)': {
    event: 'UserPromptSubmit',
    input: JSON.stringify({ session_id: 'x', hook_event_name: 'UserPromptSubmit', prompt: 'p'.repeat(40 * 1024) }),
  },
  'Stop (40 KiB last message)': {
    event: 'Stop',
    input: JSON.stringify({ session_id: 'x', hook_event_name: 'Stop', last_assistant_message: 'm'.repeat(40 * 1024) }),
  },
} as const;

const time = (cmd: string, input: string) => {
  const t = performance.now();
  spawnSync('sh', ['-c', cmd], { input, env });
  return performance.now() - t;
};

console.log(`hook overhead, ${RUNS} runs each (Claude Code runs every hook as sh -c <command> with the JSON on stdin)`);
for (const [name, p] of Object.entries(payloads)) {
  const empty: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    empty.push(time('cat >/dev/null', p.input));
    ours.push(time(hookCommand(script, spool, p.event as 'Stop'), p.input));
  }
  console.log(
    `  ${name}: empty hook median ${f(q(empty, 0.5))} p95 ${f(q(empty, 0.95))} ms; ours median ${f(q(ours, 0.5))} p95 ${f(q(ours, 0.95))} ms; added p95 ${f(q(ours, 0.95) - q(empty, 0.95))} ms (target ≤ 50 ms)`,
  );
}

async function latency(): Promise<number[]> {
  const reader = new HookSpoolReader(spool);
  const hints = new HookHints();
  const out: number[] = [];
  let started = 0;
  let resolve: (() => void) | undefined;
  hints.onDidReceive(() => {
    out.push(performance.now() - started);
    resolve?.();
  });
  const w = watch(spool, { persistent: false }, () => {
    for (const line of reader.readNew()) {
      const e = parseHookSpoolLine(line);
      if (e) hints.accept({ ...e, at: hookEventTime(e, Date.now()) });
    }
  });
  const cmd = hookCommand(script, spool, 'Stop');
  for (let i = 0; i < Math.min(RUNS, 100); i++) {
    const got = new Promise<void>((r) => {
      resolve = r;
    });
    started = performance.now();
    spawnSync('sh', ['-c', cmd], { input: '{"session_id":"x"}', env });
    // measured from the hook's start, so its own run time is inside the figure
    await Promise.race([got, new Promise((r) => setTimeout(r, 2000))]);
  }
  w.close();
  hints.dispose();
  return out;
}

void latency().then((l) => {
  console.log(
    `hook event → live monitor (from the hook's start): ${l.length} events, median ${f(q(l, 0.5))} p95 ${f(q(l, 0.95))} ms (target p95 ≤ 250 ms)`,
  );
  rmSync(dir, { recursive: true, force: true });
});
