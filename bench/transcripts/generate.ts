/**
 * Synthetic Claude Code history for the benchmark: many projects, sessions, subagents, forks, a few
 * legacy (1.0.x) sessions and API-error lines — in the line shapes the real CLI 2.1.332 writes.
 * Big metadata records (attachments, prompt_snapshot, api-request-shape, api-request…) are copied
 * from the committed real fixtures (test/fixtures/claude/cli) with ids, times and paths rewritten;
 * user/assistant/tool-result lines are built in the fixtures' exact key order.
 *
 * Deterministic for a (size, seed): a seeded PRNG drives everything. The tree goes to a cache dir
 * (default $TMPDIR/cct-bench), never into the repo; `expected.json` next to `projects/` holds the
 * totals by construction (unique API messages, tokens, prompts), a third opinion beside cct and ccusage.
 *
 *   node --import tsx bench/transcripts/generate.ts --size-mib 200 [--seed 1] [--dir DIR]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mulberry32 } from '../../src/core/random/mulberry32';

export const GENERATOR_VERSION = 3;
const REPO = path.resolve(__dirname, '../..');
const FIXTURE_TREE = path.join(REPO, 'test/fixtures/claude/cli/projects');

export interface Expected {
  generatorVersion: number;
  sizeMiB: number;
  seed: number;
  bytes: number;
  files: number;
  mainFiles: number;
  subagentFiles: number;
  projects: number;
  forks: number;
  /** [fork session id, the session it was forked from] */
  forkPairs: Array<[string, string]>;
  legacySessions: number;
  userPrompts: number;
  apiMessages: number;
  syntheticLines: number;
  tokens: { input: number; output: number; cacheCreation: number; cacheRead: number };
}

// ---------- PRNG ----------

class Rng {
  private next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  f(): number {
    return this.next();
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  /** log-uniform between lo and hi */
  logu(lo: number, hi: number): number {
    return Math.round(Math.exp(Math.log(lo) + this.next() * (Math.log(hi) - Math.log(lo))));
  }
  hex(n: number): string {
    let s = '';
    while (s.length < n)
      s += Math.floor(this.next() * 0x100000000)
        .toString(16)
        .padStart(8, '0');
    return s.slice(0, n);
  }
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

// ---------- templates from the real fixtures ----------
interface Templates {
  header: string[]; // attachments etc. between the first prompt and the first API call
  shape: string; // api-request-shape
  blob: string; // api-request-blob
  apiRequest: string;
  snapshot: string; // attachment/prompt_snapshot (mid-session copy)
}

const PH = { sid: '@@SID@@', cwd: '@@CWD@@', uuid: '@@UUID@@', parent: '@@PARENT@@', ts: '@@TS@@' };

function loadTemplates(): Templates {
  const dir = fs.readdirSync(FIXTURE_TREE).find((d) => d.endsWith('work-alpha'));
  if (!dir) throw new Error(`fixtures missing under ${FIXTURE_TREE}; run scripts/gen-fixtures.ts`);
  const file = path.join(FIXTURE_TREE, dir, 'cc7f0000-0000-4000-8000-000000000001.jsonl');
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const sid = 'cc7f0000-0000-4000-8000-000000000001';
  const cwd = '/tmp/cct-fixture-home/work/alpha';
  const templ = (raw: string) => {
    const o = JSON.parse(raw) as Record<string, unknown>;
    let s = raw.split(sid).join(PH.sid).split(cwd).join(PH.cwd);
    if (typeof o.uuid === 'string') s = s.split(o.uuid).join(PH.uuid);
    if (typeof o.parentUuid === 'string') s = s.split(o.parentUuid).join(PH.parent);
    if (typeof o.timestamp === 'string') s = s.split(o.timestamp).join(PH.ts);
    return s;
  };
  const parsed = lines.map((l) => JSON.parse(l) as { type: string; attachment?: { type: string } });
  const firstAssistant = parsed.findIndex((o) => o.type === 'assistant');
  const header: string[] = [];
  for (let i = 0; i < firstAssistant; i++) {
    const o = parsed[i]!;
    if (o.type === 'attachment' || o.type === 'atis-latch' || o.type === 'api-request-blob')
      header.push(templ(lines[i]!));
  }
  const find = (pred: (o: { type: string; attachment?: { type: string } }) => boolean) => {
    const i = parsed.findIndex(pred);
    if (i < 0) throw new Error('template missing');
    return templ(lines[i]!);
  };
  return {
    header,
    shape: find((o) => o.type === 'api-request-shape'),
    blob: find((o) => o.type === 'api-request-blob'),
    apiRequest: find((o) => o.type === 'api-request'),
    snapshot: find((o) => o.type === 'attachment' && o.attachment?.type === 'prompt_snapshot'),
  };
}

function fill(t: string, v: { sid: string; cwd: string; uuid: string; parent: string | null; ts: string }): string {
  return t
    .split(PH.sid)
    .join(v.sid)
    .split(PH.cwd)
    .join(v.cwd)
    .split(PH.uuid)
    .join(v.uuid)
    .split(`"${PH.parent}"`)
    .join(v.parent === null ? 'null' : `"${v.parent}"`)
    .split(PH.parent)
    .join(v.parent ?? '')
    .split(PH.ts)
    .join(v.ts);
}

// ---------- text pool ----------
const WORDS =
  'the a to of and in is it for on that with as this be are by from at or an not function const return if else import export class interface type async await new string number boolean error result value data file path line test expect assert session token usage model cache input output request response stream buffer offset cursor parser schema record message tool user assistant project branch commit diff patch'.split(
    ' ',
  );

function textPool(rng: Rng, bytes: number): string {
  const parts: string[] = [];
  let n = 0;
  while (n < bytes) {
    const line: string[] = [];
    const k = rng.int(4, 14);
    for (let i = 0; i < k; i++) line.push(rng.pick(WORDS));
    const s = (rng.f() < 0.3 ? '  ' : '') + line.join(' ') + (rng.f() < 0.2 ? ';' : '');
    parts.push(s);
    n += s.length + 1;
  }
  return parts.join('\n');
}

// ---------- generation ----------
const MODELS = [
  'claude-opus-5-5',
  'claude-sonnet-4-5-20250929',
  'claude-opus-4-1-20250805',
  'claude-haiku-4-5-20251001',
];
const SUB_MODEL = 'claude-haiku-5-5';
const BASE_TIME = Date.UTC(2026, 8, 1); // 2026-09-01
const SPAN_MS = 85 * 86_400_000;

interface Usage {
  input: number;
  output: number;
  cw5: number;
  cw1: number;
  cr: number;
}

export function defaultDir(sizeMiB: number, seed: number): string {
  const root = process.env.CCT_BENCH_DIR ?? path.join(os.tmpdir(), 'cct-bench');
  return path.join(root, `tree-${sizeMiB}mib-s${seed}-v${GENERATOR_VERSION}`);
}

export function generateTree(opts: {
  sizeMiB: number;
  seed: number;
  dir: string;
  log?: (s: string) => void;
}): Expected {
  const rng = new Rng(opts.seed);
  const T = loadTemplates();
  const pool = textPool(rng, 2 * 1024 * 1024);
  const slice = (len: number) => {
    const start = rng.int(0, pool.length - len - 1);
    return pool.slice(start, start + len);
  };
  const target = opts.sizeMiB * 1024 * 1024;
  fs.rmSync(opts.dir, { recursive: true, force: true });
  const projectsDir = path.join(opts.dir, 'projects');
  fs.mkdirSync(projectsDir, { recursive: true });

  const nProjects = Math.max(3, Math.min(60, Math.round(opts.sizeMiB / 4)));
  const projects = Array.from({ length: nProjects }, (_, i) => {
    const cwd = `/home/bench/code/${rng.pick(['api', 'web', 'infra', 'tools', 'mobile', 'data'])}-${String(i).padStart(2, '0')}`;
    return {
      cwd,
      dir: path.join(projectsDir, cwd.replace(/[^A-Za-z0-9]/g, '-')),
      branch: rng.pick(['main', 'dev', 'feature/x', 'HEAD']),
    };
  });
  for (const p of projects) fs.mkdirSync(p.dir, { recursive: true });

  const exp: Expected = {
    generatorVersion: GENERATOR_VERSION,
    sizeMiB: opts.sizeMiB,
    seed: opts.seed,
    bytes: 0,
    files: 0,
    mainFiles: 0,
    subagentFiles: 0,
    projects: nProjects,
    forks: 0,
    forkPairs: [],
    legacySessions: 0,
    userPrompts: 0,
    apiMessages: 0,
    syntheticLines: 0,
    tokens: { input: 0, output: 0, cacheCreation: 0, cacheRead: 0 },
  };
  const count = (u: Usage) => {
    exp.apiMessages++;
    exp.tokens.input += u.input;
    exp.tokens.output += u.output;
    exp.tokens.cacheCreation += u.cw5 + u.cw1;
    exp.tokens.cacheRead += u.cr;
  };
  const usage = (): Usage => ({
    input: rng.logu(3, 4000),
    output: rng.logu(5, 3000),
    cw5: rng.f() < 0.7 ? rng.logu(10, 20000) : 0,
    cw1: rng.f() < 0.1 ? rng.logu(10, 5000) : 0,
    cr: rng.f() < 0.9 ? rng.logu(1000, 150000) : 0,
  });
  const usageJson = (u: Usage) => ({
    input_tokens: u.input,
    cache_creation_input_tokens: u.cw5 + u.cw1,
    cache_read_input_tokens: u.cr,
    output_tokens: u.output,
    output_tokens_details: { thinking_tokens: 0 },
    server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
    service_tier: 'standard',
    cache_creation: { ephemeral_1h_input_tokens: u.cw1, ephemeral_5m_input_tokens: u.cw5 },
    inference_geo: '',
    iterations: [],
    speed: 'standard',
    fallback_credit: null,
  });

  let msgSeq = 0;
  let lastSession: { sid: string; lines: string[]; project: (typeof projects)[number] } | null = null;

  while (exp.bytes < target) {
    const roll = rng.f();
    const legacy = roll < 0.02;
    const fork: boolean = !legacy && roll < 0.05 && lastSession !== null;
    const project: (typeof projects)[number] = fork && lastSession ? lastSession.project : rng.pick(projects);
    const sid = rng.uuid();
    let t = BASE_TIME + Math.floor(rng.f() * SPAN_MS);
    const ts = () => {
      t += rng.int(200, 20_000);
      return new Date(t).toISOString();
    };
    const lines: string[] = [];
    const env = {
      userType: 'external',
      entrypoint: 'cli',
      cwd: project.cwd,
      sessionId: sid,
      version: '2.1.332',
      gitBranch: project.branch,
    };
    let parent: string | null = null;
    const model = rng.pick(MODELS);

    if (fork && lastSession) {
      // --fork-session: the whole history copied first, same uuids and message/request ids
      exp.forks++;
      const orig = lastSession.sid;
      exp.forkPairs.push([sid, orig]);
      for (const l of lastSession.lines) {
        let c = l.split(orig).join(sid);
        // a fork of a fork keeps the session the request was really made in
        if (c.includes('"type":"assistant"') && c.includes('"requestId":') && !c.includes('"requestSessionId":'))
          c = c.replace('"requestId":', `"requestSessionId":"${orig}","requestId":`);
        lines.push(c);
      }
    }

    if (legacy) {
      exp.legacySessions++;
      env.version = '1.0.8';
      env.entrypoint = 'cli';
    }

    const subagents: Array<{ agentId: string; lines: string[]; meta: string }> = [];
    const prompts = rng.int(1, 8);
    for (let p = 0; p < prompts; p++) {
      const promptUuid = rng.uuid();
      if (!legacy) {
        lines.push(
          JSON.stringify({
            type: 'queue-operation',
            operation: 'enqueue',
            timestamp: ts(),
            sessionId: sid,
            content: slice(rng.logu(20, 600)),
          }),
        );
      }
      const promptTs = ts();
      lines.push(
        JSON.stringify({
          parentUuid: parent,
          isSidechain: false,
          promptId: rng.uuid(),
          type: 'user',
          message: { role: 'user', content: slice(rng.logu(20, 1500)) },
          uuid: promptUuid,
          timestamp: promptTs,
          permissionMode: 'default',
          promptSource: 'typed',
          turnOrigin: 'human',
          ...env,
        }),
      );
      exp.userPrompts++;
      parent = promptUuid;
      if (!legacy && p === 0 && !fork) {
        for (const h of T.header) {
          const u = rng.uuid();
          lines.push(fill(h, { sid, cwd: project.cwd, uuid: u, parent, ts: ts() }));
          parent = u;
        }
        lines.push(fill(T.shape, { sid, cwd: project.cwd, uuid: rng.uuid(), parent: null, ts: ts() }));
      }
      const calls = rng.int(1, 12);
      for (let c = 0; c < calls; c++) {
        const last = c === calls - 1;
        if (!legacy) {
          lines.push(fill(T.apiRequest, { sid, cwd: project.cwd, uuid: rng.uuid(), parent: null, ts: ts() }));
          if (rng.f() < 0.15)
            lines.push(fill(T.blob, { sid, cwd: project.cwd, uuid: rng.uuid(), parent: null, ts: ts() }));
          if (rng.f() < 0.04)
            lines.push(fill(T.snapshot, { sid, cwd: project.cwd, uuid: rng.uuid(), parent, ts: ts() }));
        }
        // API error instead of an answer (the CLI writes a <synthetic> line)
        if (!legacy && last && rng.f() < 0.02) {
          const u = rng.uuid();
          lines.push(
            JSON.stringify({
              parentUuid: parent,
              isSidechain: false,
              type: 'assistant',
              uuid: u,
              timestamp: ts(),
              message: {
                id: rng.uuid(),
                container: null,
                model: '<synthetic>',
                role: 'assistant',
                stop_reason: 'stop_sequence',
                stop_sequence: '',
                type: 'message',
                usage: usageJson({ input: 0, output: 0, cw5: 0, cw1: 0, cr: 0 }),
                content: [
                  {
                    type: 'text',
                    text: 'API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
                  },
                ],
              },
              requestId: `req_bench_err_${msgSeq++}`,
              error: 'unknown',
              isApiErrorMessage: true,
              apiErrorStatus: 529,
              ...env,
            }),
          );
          exp.syntheticLines++;
          parent = u;
          continue;
        }
        const msgId = `msg_bench_${opts.seed}_${(msgSeq++).toString(36).padStart(8, '0')}`;
        const reqId = `req_bench_${opts.seed}_${msgSeq.toString(36).padStart(8, '0')}`;
        const u = usage();
        count(u);
        type Block =
          | { type: 'text'; text: string }
          | { type: 'thinking'; thinking: string; signature: string }
          | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };
        const blocks: Block[] = [];
        const shape = rng.f();
        const tool = (): Block => {
          const name =
            rng.f() < 0.015 && !legacy ? 'Agent' : rng.pick(['Bash', 'Bash', 'Read', 'Read', 'Edit', 'Write', 'Grep']);
          const id = `toolu_bench_${msgSeq}_${blocks.length}`;
          const file = `${project.cwd}/src/${rng.pick(WORDS)}/${rng.pick(WORDS)}.ts`;
          const input: Record<string, unknown> =
            name === 'Bash'
              ? { command: `npm test -- ${rng.pick(WORDS)}`, description: 'Run tests' }
              : name === 'Read'
                ? { file_path: file }
                : name === 'Edit'
                  ? {
                      file_path: file,
                      old_string: slice(rng.logu(10, 400)),
                      new_string: slice(rng.logu(10, 400)),
                      replace_all: false,
                    }
                  : name === 'Write'
                    ? { file_path: file, content: slice(rng.logu(200, 8000)) }
                    : name === 'Grep'
                      ? { pattern: rng.pick(WORDS), path: project.cwd }
                      : {
                          description: 'Sub task',
                          prompt: slice(rng.logu(50, 800)),
                          subagent_type: 'general-purpose',
                          run_in_background: false,
                        };
          return { type: 'tool_use', id, name, input };
        };
        if (last) blocks.push({ type: 'text', text: slice(rng.logu(20, 2500)) });
        else if (shape < 0.55) blocks.push({ type: 'text', text: slice(rng.logu(20, 600)) }, tool());
        else if (shape < 0.8) blocks.push(tool());
        else
          blocks.push(
            { type: 'thinking', thinking: slice(rng.logu(50, 2000)), signature: rng.hex(120) },
            { type: 'text', text: slice(rng.logu(20, 300)) },
            tool(),
            tool(),
          );
        const toolUses: Array<{ id: string; name: string; input: Record<string, unknown>; uuid: string }> = [];
        blocks.forEach((b, i) => {
          const uuid = rng.uuid();
          const isLast = i === blocks.length - 1;
          const placeholder = legacy && !isLast;
          const line: Record<string, unknown> = {
            parentUuid: parent,
            isSidechain: false,
            message: {
              id: msgId,
              type: 'message',
              role: 'assistant',
              model,
              content: [b],
              stop_reason: placeholder ? null : last ? 'end_turn' : 'tool_use',
              stop_sequence: null,
              usage: placeholder ? { ...usageJson(u), output_tokens: 1 } : usageJson(u),
              stop_details: null,
            },
          };
          if (legacy) {
            Object.assign(line, {
              type: 'assistant',
              uuid,
              timestamp: ts(),
              costUSD: Math.round(u.output * 0.000015 * 1e6) / 1e6,
              durationMs: rng.int(300, 9000),
              ...env,
            });
          } else {
            Object.assign(line, {
              apiBlockIndex: i,
              requestId: reqId,
              requestRef: rng.uuid(),
              requestedModel: model,
              promptCacheRequested: '5m',
              type: 'assistant',
              uuid,
              timestamp: ts(),
              effort: 'medium',
              perTurnEffort: 'medium',
              madeBy: 'model',
              ...env,
            });
          }
          lines.push(JSON.stringify(line));
          parent = uuid;
          if (b.type === 'tool_use') toolUses.push({ id: b.id, name: b.name, input: b.input, uuid });
        });
        for (const tu of toolUses) {
          let content: string;
          let toolUseResult: unknown;
          const isError = rng.f() < 0.05;
          if (tu.name === 'Agent') {
            const agentId = `a${rng.hex(16)}`;
            const sub = subagentLines(agentId);
            subagents.push(sub);
            content = slice(rng.logu(100, 2000));
            toolUseResult = {
              status: 'completed',
              prompt: tu.input.prompt,
              agentId,
              content: [{ type: 'text', text: content }],
              totalDurationMs: rng.int(2000, 60000),
              totalTokens: 0,
              totalToolUseCount: 1,
            };
          } else if (tu.name === 'Read') {
            const body = slice(rng.logu(300, 40_000));
            content = body;
            toolUseResult = {
              type: 'text',
              file: {
                filePath: tu.input.file_path,
                content: body,
                numLines: body.split('\n').length,
                startLine: 1,
                totalLines: body.split('\n').length,
              },
            };
          } else if (tu.name === 'Bash') {
            const out =
              slice(rng.logu(10, 20_000)) +
              (rng.f() < 0.02 ? `\nAWS_ACCESS_KEY_ID=AKIA${rng.hex(16).toUpperCase()}` : '');
            content = isError ? `Error: Exit code 1\n${out}` : out;
            toolUseResult = isError
              ? content
              : { stdout: out, stderr: '', interrupted: false, isImage: false, noOutputExpected: false };
          } else {
            content = isError
              ? 'Error: File has not been read yet.'
              : `The file ${String(tu.input.file_path)} has been updated successfully.`;
            toolUseResult = isError
              ? content
              : {
                  filePath: tu.input.file_path,
                  oldString: tu.input.old_string ?? null,
                  newString: tu.input.new_string ?? null,
                  originalFile: slice(rng.logu(200, 12000)),
                  structuredPatch: [],
                  userModified: false,
                  replaceAll: false,
                };
          }
          const uuid = rng.uuid();
          lines.push(
            JSON.stringify({
              parentUuid: parent,
              isSidechain: false,
              promptId: promptUuid,
              type: 'user',
              message: {
                role: 'user',
                content: [{ tool_use_id: tu.id, type: 'tool_result', content, is_error: isError }],
              },
              uuid,
              timestamp: ts(),
              toolUseResult,
              sourceToolAssistantUUID: tu.uuid,
              ...env,
            }),
          );
          parent = uuid;
        }
      }
      if (!legacy) {
        lines.push(JSON.stringify({ type: 'last-prompt', lastPrompt: slice(40), leafUuid: parent, sessionId: sid }));
        lines.push(
          JSON.stringify({
            parentUuid: parent,
            isSidechain: false,
            type: 'system',
            subtype: 'turn_duration',
            durationMs: rng.int(1000, 300000),
            messageCount: calls,
            timestamp: ts(),
            uuid: rng.uuid(),
            isMeta: false,
            ...env,
          }),
        );
      }
    }
    if (!legacy) {
      lines.push(
        JSON.stringify({
          type: 'cost-state',
          sessionId: sid,
          totalCostUSD: Math.round(rng.f() * 5e6) / 1e6,
          totalAPIDuration: rng.int(1000, 900000),
          totalToolDuration: rng.int(100, 90000),
          totalLinesAdded: rng.int(0, 500),
          totalLinesRemoved: rng.int(0, 300),
          totalDuration: rng.int(10000, 9000000),
          startTime: t,
          modelUsage: {},
          hasUnknownModelCost: false,
        }),
      );
    }

    const data = `${lines.join('\n')}\n`;
    fs.writeFileSync(path.join(project.dir, `${sid}.jsonl`), data);
    exp.bytes += Buffer.byteLength(data);
    exp.files++;
    exp.mainFiles++;
    if (subagents.length) {
      const sdir = path.join(project.dir, sid, 'subagents');
      fs.mkdirSync(sdir, { recursive: true });
      for (const s of subagents) {
        const d = `${s.lines.join('\n')}\n`;
        fs.writeFileSync(path.join(sdir, `agent-${s.agentId}.jsonl`), d);
        fs.writeFileSync(path.join(sdir, `agent-${s.agentId}.meta.json`), s.meta);
        exp.bytes += Buffer.byteLength(d);
        exp.files++;
        exp.subagentFiles++;
      }
    }
    lastSession = legacy ? null : { sid, lines, project };

    function subagentLines(agentId: string) {
      const out: string[] = [];
      let par: string | null = null;
      const { ...senv } = env;
      const first = rng.uuid();
      out.push(
        JSON.stringify({
          parentUuid: null,
          isSidechain: true,
          promptId: rng.uuid(),
          agentId,
          type: 'user',
          message: { role: 'user', content: slice(rng.logu(50, 800)) },
          uuid: first,
          timestamp: ts(),
          ...senv,
        }),
      );
      par = first;
      const n = rng.int(2, 6);
      for (let i = 0; i < n; i++) {
        const id = `msg_bench_${opts.seed}_${(msgSeq++).toString(36).padStart(8, '0')}`;
        const rq = `req_bench_${opts.seed}_${msgSeq.toString(36).padStart(8, '0')}`;
        const u = usage();
        count(u);
        const isLast = i === n - 1;
        const uuid = rng.uuid();
        const block = isLast
          ? { type: 'text', text: slice(rng.logu(50, 1500)) }
          : {
              type: 'tool_use',
              id: `toolu_bench_sub_${msgSeq}`,
              name: 'Bash',
              input: { command: `ls ${rng.pick(WORDS)}`, description: 'List' },
            };
        out.push(
          JSON.stringify({
            parentUuid: par,
            isSidechain: true,
            agentId,
            message: {
              id,
              type: 'message',
              role: 'assistant',
              model: SUB_MODEL,
              content: [block],
              stop_reason: isLast ? 'end_turn' : 'tool_use',
              stop_sequence: null,
              usage: usageJson(u),
              stop_details: null,
            },
            apiBlockIndex: 0,
            requestId: rq,
            requestRef: rng.uuid(),
            requestedModel: SUB_MODEL,
            attributionAgent: 'general-purpose',
            type: 'assistant',
            uuid,
            timestamp: ts(),
            ...senv,
          }),
        );
        par = uuid;
        if (!isLast) {
          const ru = rng.uuid();
          const o = slice(rng.logu(10, 5000));
          out.push(
            JSON.stringify({
              parentUuid: par,
              isSidechain: true,
              agentId,
              type: 'user',
              message: {
                role: 'user',
                content: [
                  { tool_use_id: (block as { id: string }).id, type: 'tool_result', content: o, is_error: false },
                ],
              },
              uuid: ru,
              timestamp: ts(),
              toolUseResult: { stdout: o, stderr: '', interrupted: false, isImage: false, noOutputExpected: false },
              ...senv,
            }),
          );
          par = ru;
        }
      }
      const meta = JSON.stringify({
        agentType: 'general-purpose',
        isBuiltIn: true,
        description: 'Sub task',
        spawnDepth: 1,
        model: SUB_MODEL,
        finished: true,
      });
      return { agentId, lines: out, meta };
    }
  }
  fs.writeFileSync(path.join(opts.dir, 'expected.json'), `${JSON.stringify(exp, null, 2)}\n`);
  fs.writeFileSync(path.join(opts.dir, '.complete'), String(Date.now()));
  return exp;
}

/** The cached tree for (size, seed), generated if missing or incomplete. */
export function ensureTree(
  sizeMiB: number,
  seed: number,
  dir = defaultDir(sizeMiB, seed),
  log: (s: string) => void = () => {},
): { dir: string; expected: Expected; generatedMs: number | null } {
  const done = path.join(dir, '.complete');
  if (fs.existsSync(done)) {
    return {
      dir,
      expected: JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected,
      generatedMs: null,
    };
  }
  log(`generating ${sizeMiB} MiB synthetic history (seed ${seed}) into ${dir} …`);
  const t0 = performance.now();
  const expected = generateTree({ sizeMiB, seed, dir });
  return { dir, expected, generatedMs: performance.now() - t0 };
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const arg = (name: string, def: string) => (argv.includes(name) ? (argv[argv.indexOf(name) + 1] ?? def) : def);
  const size = Number(arg('--size-mib', '200'));
  const seed = Number(arg('--seed', '1'));
  const dir = arg('--dir', defaultDir(size, seed));
  const t0 = performance.now();
  const exp = generateTree({ sizeMiB: size, seed, dir });
  console.log(JSON.stringify({ dir, ms: Math.round(performance.now() - t0), ...exp }, null, 2));
}
