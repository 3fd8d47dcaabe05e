/**
 * Independent "truth" calculator for Claude Code transcript trees.
 *
 * Deliberately plain and slow: it reads whole files, imports NOTHING from src/, and implements the
 * transcript rules directly (docs/TRANSCRIPTS.md describes the format), so the engine can be checked against it.
 *
 * Rules (each one is a decision; where the format leaves a choice open it is marked "decision"):
 *  - Files: every `*.jsonl` under `<root>/projects` (or `<root>` if it is a projects dir), except
 *    workflow `journal.jsonl`. A file under `…/subagents/` (or named `agent-*.jsonl`) is a subagent
 *    sidechain; its lines carry the PARENT's sessionId, so its usage folds into the parent session.
 *  - Sessions: one per main (non-subagent) file, id = the file name (= the lines' sessionId).
 *  - API messages: `type:"assistant"` lines, skipping `message.model == "<synthetic>"` and
 *    `isApiErrorMessage`. Grouped GLOBALLY by `message.id + ":" + requestId` (or `message.id` when there
 *    is no requestId); usage comes once per group, from the line with the largest `output_tokens`
 *    (ties: the last one read).
 *  - Owner of a copied message (decision; `--fork-session` copies history with the same ids): the session of an
 *    occurrence WITHOUT `requestSessionId` (the original); if every occurrence is a copy, the
 *    `requestSessionId` when that session exists in the tree, else the copy's own session.
 *  - Tokens: input, output, cacheCreation (= cache_creation_input_tokens, or the 5m+1h breakdown when
 *    that is 0 and the breakdown is not), cacheRead.
 *  - Tool calls: `tool_use` blocks of counted API messages, unique by tool_use id, by name.
 *  - User prompts (decision): `type:"user"`, not sidechain, not isMeta, not isCompactSummary, not
 *    isVisibleInTranscriptOnly, no tool_result block, with text that is not a harness wrapper
 *    (`<command-name>`, `<local-command-…>`, `<task-notification>`, `[Request interrupted…`).
 *    Unique by uuid globally; a uuid present in a fork and in the session it was forked from (a
 *    `requestSessionId` of the fork) belongs to the original.
 *  - Models: the distinct `message.model` of the session's counted API messages (subagents included).
 *  - claudeCostUsd: `totalCostUSD` of the last `cost-state` line of the session (main file); for old
 *    files without cost-state, the sum of `costUSD` over the session's counted messages (kept lines);
 *    else null.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface TruthTokens {
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
}

export interface TruthSession {
  sessionId: string;
  projectPath: string | null;
  gitBranch: string | null;
  startTime: string | null;
  endTime: string | null;
  userPrompts: number;
  apiMessages: number;
  toolCalls: Record<string, number>;
  tokens: TruthTokens;
  models: string[];
  claudeCostUsd: number | null;
  files: string[];
}

export interface TruthResult {
  sessions: TruthSession[];
  totals: { userPrompts: number; apiMessages: number; tokens: TruthTokens };
  files: number;
  lines: number;
  unparsable: number;
  /** assistant lines skipped because synthetic / API error */
  syntheticOrError: number;
}

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}
function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function listJsonl(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listJsonl(full));
    else if (e.isFile() && e.name.endsWith('.jsonl') && e.name !== 'journal.jsonl') out.push(full);
  }
  return out.sort();
}

function projectsDir(root: string): string {
  const p = path.join(root, 'projects');
  return fs.existsSync(p) && fs.statSync(p).isDirectory() ? p : root;
}

function isSubagentFile(f: string): boolean {
  return f.split(path.sep).includes('subagents') || path.basename(f).startsWith('agent-');
}

const WRAPPER_PREFIXES = [
  '<command-name>',
  '<command-message>',
  '<local-command-',
  '<task-notification>',
  '[Request interrupted',
];

function promptText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return null;
  if (content.some((b) => isObj(b) && b.type === 'tool_result')) return null;
  const texts = content
    .filter((b) => isObj(b) && b.type === 'text' && typeof b.text === 'string')
    .map((b) => (b as Json).text as string);
  return texts.length ? texts.join('\n') : null;
}

export function isRealUserPrompt(o: Json): boolean {
  if (o.type !== 'user') return false;
  if (
    o.isSidechain === true ||
    o.isMeta === true ||
    o.isCompactSummary === true ||
    o.isVisibleInTranscriptOnly === true
  )
    return false;
  const msg = o.message;
  if (!isObj(msg)) return false;
  const t = promptText(msg.content);
  if (t === null) return false;
  const trimmed = t.trimStart();
  if (trimmed === '') return false;
  return !WRAPPER_PREFIXES.some((p) => trimmed.startsWith(p));
}

interface Line {
  o: Json;
  file: string;
  sessionId: string;
}

export function computeTruth(roots: string[]): TruthResult {
  const files: string[] = [];
  for (const r of roots) files.push(...listJsonl(projectsDir(r)));

  const sessionIds = new Set<string>();
  for (const f of files) if (!isSubagentFile(f)) sessionIds.add(path.basename(f, '.jsonl'));

  let lines = 0;
  let unparsable = 0;
  const all: Line[] = [];
  const filesBySession = new Map<string, string[]>();
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    const fileSession = isSubagentFile(f) ? null : path.basename(f, '.jsonl');
    for (const raw of text.split('\n')) {
      if (raw.trim() === '') continue;
      lines++;
      let o: unknown;
      try {
        o = JSON.parse(raw);
      } catch {
        unparsable++;
        continue;
      }
      if (!isObj(o)) {
        unparsable++;
        continue;
      }
      // a main file's lines belong to the file's session; a subagent's lines name their parent
      const sid = fileSession ?? str(o.sessionId) ?? path.basename(path.dirname(path.dirname(f)));
      all.push({ o, file: f, sessionId: sid });
    }
    const owner = fileSession ?? all.at(-1)?.sessionId ?? null;
    if (owner) {
      const list = filesBySession.get(owner) ?? [];
      list.push(f);
      filesBySession.set(owner, list);
    }
  }

  // fork relation: session → sessions it copied history from
  const forkParents = new Map<string, Set<string>>();
  for (const l of all) {
    const rs = str(l.o.requestSessionId);
    if (rs && rs !== l.sessionId) {
      const s = forkParents.get(l.sessionId) ?? new Set<string>();
      s.add(rs);
      forkParents.set(l.sessionId, s);
    }
  }

  // --- API messages ---
  interface Group {
    kept: Line;
    lines: Line[];
  }
  const groups = new Map<string, Group>();
  let syntheticOrError = 0;
  for (const l of all) {
    if (l.o.type !== 'assistant') continue;
    const msg = l.o.message;
    if (!isObj(msg)) continue;
    if (msg.model === '<synthetic>' || l.o.isApiErrorMessage === true) {
      syntheticOrError++;
      continue;
    }
    const id = str(msg.id);
    if (!id) continue;
    const rid = str(l.o.requestId);
    const key = rid ? `${id}:${rid}` : id;
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { kept: l, lines: [l] });
      continue;
    }
    g.lines.push(l);
    const out = num(isObj(msg.usage) ? msg.usage.output_tokens : 0);
    const keptMsg = g.kept.o.message as Json;
    const keptOut = num(isObj(keptMsg.usage) ? keptMsg.usage.output_tokens : 0);
    if (out >= keptOut) g.kept = l;
  }

  interface Acc {
    userPrompts: number;
    apiMessages: number;
    toolCalls: Record<string, number>;
    tokens: TruthTokens;
    models: Set<string>;
    costUsd: number | null;
  }
  const acc = new Map<string, Acc>();
  const accOf = (sid: string): Acc => {
    let a = acc.get(sid);
    if (!a) {
      a = {
        userPrompts: 0,
        apiMessages: 0,
        toolCalls: {},
        tokens: { input: 0, output: 0, cacheCreation: 0, cacheRead: 0 },
        models: new Set(),
        costUsd: null,
      };
      acc.set(sid, a);
    }
    return a;
  };

  const seenToolIds = new Set<string>();
  for (const g of groups.values()) {
    const original = g.lines.find((l) => !str(l.o.requestSessionId));
    let owner: string;
    if (original) owner = original.sessionId;
    else {
      const rs = str(g.kept.o.requestSessionId);
      owner = rs && sessionIds.has(rs) ? rs : g.kept.sessionId;
    }
    const a = accOf(owner);
    const msg = g.kept.o.message as Json;
    const u = isObj(msg.usage) ? msg.usage : {};
    a.apiMessages++;
    a.tokens.input += num(u.input_tokens);
    a.tokens.output += num(u.output_tokens);
    let cc = num(u.cache_creation_input_tokens);
    if (cc === 0 && isObj(u.cache_creation))
      cc = num(u.cache_creation.ephemeral_5m_input_tokens) + num(u.cache_creation.ephemeral_1h_input_tokens);
    a.tokens.cacheCreation += cc;
    a.tokens.cacheRead += num(u.cache_read_input_tokens);
    const model = str(msg.model);
    if (model) a.models.add(model);
    if (typeof g.kept.o.costUSD === 'number') a.costUsd = (a.costUsd ?? 0) + g.kept.o.costUSD;
    for (const l of g.lines) {
      const content = (l.o.message as Json).content;
      if (!Array.isArray(content)) continue;
      for (const b of content) {
        if (!isObj(b) || b.type !== 'tool_use') continue;
        const tid = str(b.id);
        const name = str(b.name) ?? '?';
        if (tid) {
          if (seenToolIds.has(tid)) continue;
          seenToolIds.add(tid);
        }
        a.toolCalls[name] = (a.toolCalls[name] ?? 0) + 1;
      }
    }
  }

  // --- user prompts, unique by uuid; forks give copied prompts back to the original ---
  const promptOccurrences = new Map<string, Set<string>>();
  let anon = 0;
  for (const l of all) {
    if (!isRealUserPrompt(l.o)) continue;
    const uuid = str(l.o.uuid) ?? `${l.file}:${anon++}`;
    const s = promptOccurrences.get(uuid) ?? new Set<string>();
    s.add(l.sessionId);
    promptOccurrences.set(uuid, s);
  }
  for (const occ of promptOccurrences.values()) {
    const list = [...occ].sort();
    const owner = list.find((s) => !list.some((t) => t !== s && (forkParents.get(s)?.has(t) ?? false))) ?? list[0]!;
    accOf(owner).userPrompts++;
  }

  // --- per-session metadata ---
  const sessions: TruthSession[] = [];
  for (const sid of [...sessionIds].sort()) {
    const own = all.filter((l) => l.sessionId === sid);
    const main = own.filter((l) => !isSubagentFile(l.file));
    const firstCwd = main.map((l) => str(l.o.cwd)).find((c) => c !== null) ?? null;
    const firstBranch = main.map((l) => str(l.o.gitBranch)).find((c) => c !== null) ?? null;
    const stamps = own
      .map((l) => str(l.o.timestamp))
      .filter((t): t is string => t !== null)
      .sort();
    const costs = main.filter((l) => l.o.type === 'cost-state' && typeof l.o.totalCostUSD === 'number');
    const a = accOf(sid);
    sessions.push({
      sessionId: sid,
      projectPath: firstCwd,
      gitBranch: firstBranch,
      startTime: stamps[0] ?? null,
      endTime: stamps.at(-1) ?? null,
      userPrompts: a.userPrompts,
      apiMessages: a.apiMessages,
      toolCalls: Object.fromEntries(Object.entries(a.toolCalls).sort(([x], [y]) => x.localeCompare(y))),
      tokens: { ...a.tokens },
      models: [...a.models].sort(),
      claudeCostUsd: costs.length ? (costs.at(-1)!.o.totalCostUSD as number) : a.costUsd,
      files: (filesBySession.get(sid) ?? []).slice().sort(),
    });
  }

  const totals = { userPrompts: 0, apiMessages: 0, tokens: { input: 0, output: 0, cacheCreation: 0, cacheRead: 0 } };
  for (const a of acc.values()) {
    totals.userPrompts += a.userPrompts;
    totals.apiMessages += a.apiMessages;
    totals.tokens.input += a.tokens.input;
    totals.tokens.output += a.tokens.output;
    totals.tokens.cacheCreation += a.tokens.cacheCreation;
    totals.tokens.cacheRead += a.tokens.cacheRead;
  }
  return { sessions, totals, files: files.length, lines, unparsable, syntheticOrError };
}
