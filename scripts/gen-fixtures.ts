/**
 * Regenerates test/fixtures/claude/cli/ — transcripts written by the REAL Claude Code CLI
 * (node_modules/.bin/claude) running offline against the scripted fake Messages API in
 * test/helpers/fakeAnthropic/ — plus test/fixtures/claude/manifest.json.
 *
 *   node_modules/.bin/node --import tsx scripts/gen-fixtures.ts [--only tools,agent] [--keep] [--out DIR] [--check]
 *
 * --check regenerates into a temp dir and compares ids, usage, file list and secret locations with the
 * committed manifest (exit 1 on a difference) — reproducibility proof without touching the repo.
 *
 * Deterministic where the CLI lets us be: fixed HOME (/tmp/cct-fixture-home), fixed project dirs,
 * fixed session ids (--session-id), fixed message/request/tool ids and usage from the fake server.
 * Not deterministic: record uuids, timestamps, durations (the CLI makes those up). The CLI's bytes
 * are committed untouched; nothing is rewritten.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fakeSecrets, secretsEnvFile, secretValue } from '../test/helpers/fakeAnthropic/fakeSecrets';
import { runInteractiveClear } from '../test/helpers/fakeAnthropic/interactive';
import {
  claudeEnv,
  claudeVersion,
  REPO_ROOT,
  type RunResult,
  runClaude,
  writeClaudeJson,
} from '../test/helpers/fakeAnthropic/runClaude';
import { FIXTURE_SCENARIOS } from '../test/helpers/fakeAnthropic/scenarios';
import { type EmittedResponse, startFakeAnthropic } from '../test/helpers/fakeAnthropic/server';

export const FIXTURE_HOME = '/tmp/cct-fixture-home';
const ALPHA = path.join(FIXTURE_HOME, 'work', 'alpha');
const BETA = path.join(FIXTURE_HOME, 'work', 'beta');
const GAMMA = path.join(FIXTURE_HOME, 'work', 'gamma');
const COMMITTED_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'claude');
let OUT_DIR = COMMITTED_DIR;
let OUT_TREE = path.join(OUT_DIR, 'cli');

export const SESSION_IDS = {
  tools: 'cc7f0000-0000-4000-8000-000000000001',
  parallel: 'cc7f0000-0000-4000-8000-000000000002',
  agent: 'cc7f0000-0000-4000-8000-000000000003',
  fail: 'cc7f0000-0000-4000-8000-000000000004',
  apierror: 'cc7f0000-0000-4000-8000-000000000005',
  resume: 'cc7f0000-0000-4000-8000-000000000006',
  fork: 'cc7f0000-0000-4000-8000-000000000007',
  clear: 'cc7f0000-0000-4000-8000-000000000008',
  bgagent: 'cc7f0000-0000-4000-8000-000000000009',
  compact: 'cc7f0000-0000-4000-8000-000000000010',
  denied: 'cc7f0000-0000-4000-8000-000000000011',
} as const;

const ALLOWED_TOOLS = 'Bash,Read,Write,Edit,Agent';

interface RunSpec {
  label: string;
  fixture: keyof typeof SESSION_IDS;
  cwd: string;
  args: string[];
  /** what this run is meant to show */
  purpose: string;
  expectExit?: number;
}

interface RunRecord {
  label: string;
  fixture: string;
  cwd: string;
  args: string[];
  purpose: string;
  exitCode: number | null;
  /** `--output-format json` result of -p runs: the CLI's own view of the run */
  cliResult: unknown;
}

function p(
  label: string,
  fixture: keyof typeof SESSION_IDS,
  cwd: string,
  prompt: string,
  purpose: string,
  extra: string[] = [],
  expectExit = 0,
): RunSpec {
  return {
    label,
    fixture,
    cwd,
    purpose,
    expectExit,
    args: ['-p', prompt, '--output-format', 'json', '--allowedTools', ALLOWED_TOOLS, ...extra],
  };
}

function runs(): RunSpec[] {
  const s = secretValue;
  return [
    p(
      't1',
      'tools',
      ALPHA,
      `SCENARIO:tools check my setup. My GitHub token is ${s('github-pat')} and my Anthropic key is ${s('anthropic-key')}; mail me at ${s('email')} (or ${s('email-example-domain')}).`,
      'Bash (secret in output only) → Read secrets.env → Write (JWT in content) → Edit → text',
      ['--session-id', SESSION_IDS.tools],
    ),
    p(
      'p1',
      'parallel',
      ALPHA,
      'SCENARIO:parallel run two things at once',
      'thinking + text + 2×Bash in one API message, on a dated model id',
      ['--session-id', SESSION_IDS.parallel, '--model', 'claude-sonnet-4-5-20250929'],
    ),
    p(
      'a1',
      'agent',
      BETA,
      'SCENARIO:agent delegate a small job',
      'Agent tool → subagent (haiku) runs Bash → sidechain file under <sid>/subagents/',
      ['--session-id', SESSION_IDS.agent],
    ),
    p(
      'b1',
      'bgagent',
      BETA,
      'SCENARIO:bgagent start something in the background',
      'Agent tool in the background (default): async_launched result, subagent file, then a <task-notification> user line and one more turn',
      ['--session-id', SESSION_IDS.bgagent],
    ),
    p('m1', 'compact', BETA, 'SCENARIO:compact a turn to compact later', 'first run of the compacted session', [
      '--session-id',
      SESSION_IDS.compact,
    ]),
    p(
      'm2',
      'compact',
      BETA,
      '/compact',
      '-p "/compact" --resume: compact_boundary, compact summary and command records; the summary call is not written as an assistant line',
      ['--resume', SESSION_IDS.compact],
    ),
    p('m3', 'compact', BETA, 'one more turn after compaction', 'a turn after the compaction', [
      '--resume',
      SESSION_IDS.compact,
    ]),
    p(
      'f1',
      'fail',
      BETA,
      'SCENARIO:fail try things that break',
      'Bash exit 2 and Read of a missing file: is_error tool results',
      ['--session-id', SESSION_IDS.fail],
    ),
    {
      label: 'd1',
      fixture: 'denied',
      cwd: BETA,
      purpose: 'a Write the run does not allow (-p, --allowedTools Bash,Read): permission denied tool result',
      expectExit: 0,
      args: [
        '-p',
        'SCENARIO:denied try to write a file',
        '--output-format',
        'json',
        '--allowedTools',
        'Bash,Read',
        '--session-id',
        SESSION_IDS.denied,
      ],
    },
    p(
      'e1',
      'apierror',
      BETA,
      'SCENARIO:apierror this will hit an API error',
      'one good turn, then HTTP 400 → <synthetic> isApiErrorMessage line',
      ['--session-id', SESSION_IDS.apierror],
      1,
    ),
    p(
      'r1',
      'resume',
      ALPHA,
      `SCENARIO:resume first prompt (db password is ${s('postgres-password')})`,
      'first run of the resumed session',
      ['--session-id', SESSION_IDS.resume],
    ),
    p('r2', 'resume', ALPHA, 'second prompt: run a command', '--resume: appends to the same file', [
      '--resume',
      SESSION_IDS.resume,
    ]),
    p(
      'k1',
      'fork',
      ALPHA,
      'third prompt, on a fork',
      '--resume --fork-session: new file, history copied with the same message/request ids',
      ['--resume', SESSION_IDS.resume, '--fork-session', '--session-id', SESSION_IDS.fork],
    ),
  ];
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out.sort();
}

async function main() {
  const argv = process.argv.slice(2);
  const only = argv.includes('--only') ? (argv[argv.indexOf('--only') + 1] ?? '').split(',') : null;
  const keep = argv.includes('--keep');
  const skipInteractive = argv.includes('--no-interactive');
  // --check: generate into a temp dir and compare the deterministic parts with the committed manifest
  const check = argv.includes('--check');
  if (check || argv.includes('--out')) {
    OUT_DIR = check
      ? fs.mkdtempSync(path.join(os.tmpdir(), 'cct-fixture-check-'))
      : path.resolve(argv[argv.indexOf('--out') + 1] ?? '.');
    OUT_TREE = path.join(OUT_DIR, 'cli');
  }

  fs.rmSync(FIXTURE_HOME, { recursive: true, force: true });
  for (const d of [ALPHA, BETA, GAMMA]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(ALPHA, 'secrets.env'), secretsEnvFile());
  fs.writeFileSync(path.join(ALPHA, 'README.md'), '# alpha\nA fixture project.\n');
  // a git repo for alpha so gitBranch is a real branch name; beta and gamma stay plain dirs ("HEAD")
  execFileSync('git', ['init', '-q', '-b', 'feature/fixtures', ALPHA]);
  writeClaudeJson(FIXTURE_HOME, [ALPHA, BETA, GAMMA]);

  const requestLog: string[] = [];
  const server = await startFakeAnthropic({
    scenarios: FIXTURE_SCENARIOS,
    onRequest: (p, h, b) =>
      requestLog.push(
        `${p} agent=${h['x-claude-code-agent-id'] ?? '-'} model=${b?.model ?? '-'} msgs=${b?.messages?.length ?? '-'}`,
      ),
  });
  const records: RunRecord[] = [];
  let interactive: Awaited<ReturnType<typeof runInteractiveClear>> | null = null;
  try {
    const env = claudeEnv(FIXTURE_HOME, server.url, { CCT_FAKE_SLACK_TOKEN: secretValue('slack-bot-token') });
    for (const spec of runs()) {
      if (only && !only.includes(spec.fixture)) continue;
      server.setRun({ label: spec.label, cwd: spec.cwd });
      const r: RunResult = await runClaude({ args: spec.args, cwd: spec.cwd, env });
      let cliResult: unknown = null;
      try {
        cliResult = JSON.parse(r.stdout);
      } catch {
        cliResult = { unparsedStdout: r.stdout.slice(0, 2000) };
      }
      console.log(`[${spec.label}] ${spec.fixture}: exit ${r.code}${r.timedOut ? ' (TIMEOUT)' : ''}`);
      if (r.code !== (spec.expectExit ?? 0) || r.timedOut) {
        console.error(r.stdout.slice(0, 4000), r.stderr.slice(0, 4000));
        throw new Error(`run ${spec.label} exited ${r.code}, expected ${spec.expectExit ?? 0}`);
      }
      records.push({
        label: spec.label,
        fixture: spec.fixture,
        cwd: spec.cwd,
        args: spec.args,
        purpose: spec.purpose,
        exitCode: r.code,
        cliResult,
      });
    }
    if (!skipInteractive && (!only || only.includes('clear'))) {
      server.setRun({ label: 'c1', cwd: GAMMA });
      interactive = await runInteractiveClear({
        home: FIXTURE_HOME,
        cwd: GAMMA,
        env,
        sessionId: SESSION_IDS.clear,
        prompts: ['SCENARIO:clearA hello there', 'SCENARIO:clearB hello again after clear'],
        rename: 'fixture-before-clear',
      });
      console.log(`[c1] clear: ${interactive.ok ? 'ok' : 'FAILED'} ${interactive.note}`);
      if (!interactive.ok) throw new Error(`interactive /clear run failed: ${interactive.note}`);
    }
  } finally {
    await server.close();
  }

  // copy the CLI's projects/ tree, byte for byte
  const src = path.join(FIXTURE_HOME, '.claude', 'projects');
  fs.rmSync(OUT_TREE, { recursive: true, force: true });
  fs.mkdirSync(OUT_TREE, { recursive: true });
  fs.cpSync(src, path.join(OUT_TREE, 'projects'), { recursive: true });

  const files = walk(path.join(OUT_TREE, 'projects')).map((f) => path.relative(OUT_DIR, f));
  const secrets = fakeSecrets().map((sec) => {
    const foundIn: Record<string, number> = {};
    /** record type (attachment: `attachment/<kind>`, system: `system/<subtype>`) → lines holding it */
    const recordTypes: Record<string, number> = {};
    for (const f of files) {
      const content = fs.readFileSync(path.join(OUT_DIR, f), 'utf8');
      const n = content.split(sec.value).length - 1;
      if (n > 0) foundIn[f] = n;
      if (!f.endsWith('.jsonl')) continue;
      for (const line of content.split('\n')) {
        if (!line.includes(sec.value)) continue;
        const o = JSON.parse(line) as { type?: string; subtype?: string; attachment?: { type?: string } };
        const t =
          o.type === 'attachment'
            ? `attachment/${o.attachment?.type}`
            : o.type === 'system'
              ? `system/${o.subtype}`
              : String(o.type);
        recordTypes[t] = (recordTypes[t] ?? 0) + 1;
      }
    }
    return { ...sec, foundIn, recordTypes };
  });

  const sessionFiles: Record<string, string[]> = {};
  for (const f of files) {
    const m = /([0-9a-f-]{36})(?:\.jsonl|\/)/.exec(f);
    const id = m?.[1];
    if (!id) continue;
    const list = sessionFiles[id] ?? [];
    list.push(f);
    sessionFiles[id] = list;
  }

  const manifest = {
    about:
      'Generated by scripts/gen-fixtures.ts with the real Claude Code CLI against test/helpers/fakeAnthropic. Do not edit by hand; regenerate.',
    cliVersion: claudeVersion(),
    home: FIXTURE_HOME,
    root: 'cli',
    projects: { alpha: ALPHA, beta: BETA, gamma: GAMMA },
    sessionIds: { ...SESSION_IDS, clearAfter: interactive?.newSessionId ?? null },
    files,
    sessionFiles,
    runs: records,
    interactive: interactive
      ? {
          label: 'c1',
          cwd: GAMMA,
          prompts: interactive.prompts,
          note: interactive.note,
          newSessionId: interactive.newSessionId,
        }
      : null,
    /** every answer the fake server gave, in order: the ground truth of emitted usage */
    emitted: server.emitted.map((e: EmittedResponse) => e),
    secrets,
  };
  fs.writeFileSync(path.join(OUT_DIR, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  if (keep) fs.writeFileSync(path.join(FIXTURE_HOME, 'requests.log'), `${requestLog.join('\n')}\n`);
  console.log(`wrote ${files.length} files under ${path.relative(REPO_ROOT, OUT_TREE)} and manifest.json`);
  if (!keep) fs.rmSync(FIXTURE_HOME, { recursive: true, force: true });
  if (check) {
    const committed = JSON.parse(fs.readFileSync(path.join(COMMITTED_DIR, 'manifest.json'), 'utf8')) as typeof manifest;
    const stable = (m: typeof manifest) => ({
      sessionIds: { ...m.sessionIds, clearAfter: null },
      emitted: m.emitted
        .map(
          (e) =>
            `${e.kind} ${e.scenario} ${e.status} ${e.messageId} ${e.requestId} ${e.model} ${JSON.stringify(e.usage)}`,
        )
        .sort(),
      // subagent ids and the /clear session id are the CLI's own random ids
      files: m.files
        .map((f) => f.replace(/agent-a[0-9a-f]+/, 'agent-<id>').replace(m.sessionIds.clearAfter ?? '-', '<clearAfter>'))
        .sort(),
      secrets: m.secrets.map(
        (x) =>
          `${x.id} ${Object.keys(x.foundIn)
            .map((f) => f.replace(m.sessionIds.clearAfter ?? '-', '<clearAfter>'))
            .sort()
            .join(',')}`,
      ),
    });
    const a = JSON.stringify(stable(committed), null, 1).split('\n');
    const b = JSON.stringify(stable(manifest), null, 1).split('\n');
    const diff = a
      .filter((l) => !b.includes(l))
      .map((l) => `- ${l}`)
      .concat(b.filter((l) => !a.includes(l)).map((l) => `+ ${l}`));
    console.log(
      diff.length === 0
        ? 'check: the regenerated fixtures match the committed ones (ids, usage, files, secrets)'
        : `check: DIFFERENT\n${diff.join('\n')}`,
    );
    fs.rmSync(OUT_DIR, { recursive: true, force: true });
    if (diff.length) process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
