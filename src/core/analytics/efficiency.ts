import type { PricedUsage } from './pricedUsage';
import type { PromptRow, SessionFacts, ToolCallRow } from './rows';
import { sumUsage } from './totals';

export interface ToolStats {
  tool: string;
  calls: number;
  /** Calls with a recorded result (the error rate's denominator). */
  withResult: number;
  errors: number;
  /** errors ÷ withResult; null when no result was recorded. */
  errorRate: number | null;
  /** Calls repeating the same tool with the same input right after that call failed. */
  retries: number;
}

/** Sessions that went through at least one compaction (the context replaced by a summary), and what they cost. */
export interface CompactionStats {
  /** Sessions with at least one main-thread compaction boundary (manual /compact or auto). */
  sessions: number;
  /** ÷ the sessions in the input (with usage or a compaction). */
  shareOfSessions: number | null;
  /** All main-thread compaction boundaries. */
  compactions: number;
  /** What those sessions cost (priced usage); null when nothing was priced. */
  costUsd: number | null;
  shareOfCost: number | null;
}

export interface Efficiency {
  sessions: number;
  userPrompts: number;
  apiMessages: number;
  totalTokens: number;
  costUsd: number | null;
  tokensPerPrompt: number | null;
  costPerPrompt: number | null;
  tokensPerSession: number | null;
  costPerSession: number | null;
  /** Median over sessions with usage (a few huge sessions skew the mean). */
  medianCostPerSession: number | null;
  /** cache read ÷ (input + cache read + cache write). */
  cacheHitRatio: number | null;
  /** What cache reads saved over plain input, minus the premium paid to write the cache. */
  cacheSavings: { readSavedUsd: number; writePremiumUsd: number; netSavedUsd: number };
  /** output ÷ uncached input, and output ÷ every prompt token (input + cache read + cache write). */
  outputPerInput: number | null;
  outputPerPromptToken: number | null;
  toolCalls: number;
  /** Tool calls per assistant API message (a model turn) and per user prompt. */
  toolCallsPerTurn: number | null;
  toolCallsPerPrompt: number | null;
  tools: ToolStats[];
  retries: number;
  /** Cost of sidechain (subagent) messages ÷ all cost. */
  subagentCostShare: number | null;
  subagentCostUsd: number;
  /** Median time from a user prompt to the first API message after it in the same session, in ms. */
  medianFirstResponseMs: number | null;
  /**
   * Per-turn latency where timestamps allow: a turn runs from a main-thread prompt to the last API message before the
   * next prompt (that message's recorded time: its first line), in ms. Prompts without a time or an answer are not
   * turns here.
   */
  timedTurns: number;
  medianTurnMs: number | null;
  /** Nearest-rank 90th percentile. */
  p90TurnMs: number | null;
  /** null when the source has no compaction rows (synced rows): unknown, not none. */
  compaction: CompactionStats | null;
  /** What the stored rows cannot tell yet (so a reader does not take a missing metric for zero). */
  notComputed: string[];
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/** Nearest-rank percentile (q in (0, 1]): the smallest value with at least q of the values at or below it. */
export function percentile(xs: readonly number[], q: number): number | null {
  return percentileOfSorted(Float64Array.from(xs).sort(), q);
}

function percentileOfSorted(s: Float64Array, q: number): number | null {
  return s.length === 0 ? null : s[Math.max(0, Math.ceil(q * s.length) - 1)]!;
}

function medianOfSorted(s: Float64Array): number | null {
  if (s.length === 0) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Retries: within a session, in time order, a call whose tool and input equal an earlier call of the same session
 * whose result was an error, with no success of that same call in between.
 */
export function countRetries(calls: readonly ToolCallRow[]): Map<string, number> {
  const byTool = new Map<string, number>();
  const bySession = new Map<string, ToolCallRow[]>();
  for (const c of calls) {
    const l = bySession.get(c.sessionId);
    if (l) l.push(c);
    else bySession.set(c.sessionId, [c]);
  }
  for (const list of bySession.values()) {
    list.sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0) || a.id.localeCompare(b.id));
    const failed = new Set<string>();
    for (const c of list) {
      const key = `${c.name}\u0000${c.inputKey ?? ''}`;
      if (failed.has(key)) byTool.set(c.name, (byTool.get(c.name) ?? 0) + 1);
      if (c.isError === true) failed.add(key);
      else if (c.isError === false) failed.delete(key);
    }
  }
  return byTool;
}

export function toolStats(calls: readonly ToolCallRow[]): ToolStats[] {
  const retries = countRetries(calls);
  const byTool = new Map<string, ToolStats>();
  for (const c of calls) {
    let s = byTool.get(c.name);
    if (!s) {
      s = { tool: c.name, calls: 0, withResult: 0, errors: 0, errorRate: null, retries: 0 };
      byTool.set(c.name, s);
    }
    s.calls++;
    if (c.isError !== null) s.withResult++;
    if (c.isError === true) s.errors++;
  }
  for (const s of byTool.values()) {
    s.errorRate = ratio(s.errors, s.withResult);
    s.retries = retries.get(s.tool) ?? 0;
  }
  return [...byTool.values()].sort((a, b) => b.errors - a.errors || b.calls - a.calls || a.tool.localeCompare(b.tool));
}

/** Per-tool stats of several sessions summed, ordered as toolStats orders them (retries are per session already). */
export function mergeToolStats(lists: Iterable<readonly ToolStats[]>): ToolStats[] {
  const byTool = new Map<string, ToolStats>();
  for (const list of lists)
    for (const t of list) {
      const s = byTool.get(t.tool);
      if (!s) byTool.set(t.tool, { ...t });
      else {
        s.calls += t.calls;
        s.withResult += t.withResult;
        s.errors += t.errors;
        s.retries += t.retries;
      }
    }
  for (const s of byTool.values()) s.errorRate = s.withResult > 0 ? s.errors / s.withResult : null;
  return [...byTool.values()].sort((a, b) => b.errors - a.errors || b.calls - a.calls || a.tool.localeCompare(b.tool));
}

/** Time from each prompt to the first API message after it (same session, before the next prompt). */
export function firstResponseDelays(prompts: readonly PromptRow[], usage: readonly PricedUsage[]): number[] {
  const times = new Map<string, number[]>();
  for (const p of usage) {
    const l = times.get(p.row.sessionId);
    if (l) l.push(p.row.ts);
    else times.set(p.row.sessionId, [p.row.ts]);
  }
  for (const l of times.values()) l.sort((a, b) => a - b);
  const promptsBySession = new Map<string, number[]>();
  for (const p of prompts) {
    if (p.ts === null) continue;
    const l = promptsBySession.get(p.sessionId);
    if (l) l.push(p.ts);
    else promptsBySession.set(p.sessionId, [p.ts]);
  }
  const out: number[] = [];
  for (const [sid, ps] of promptsBySession) {
    const rs = times.get(sid);
    if (!rs) continue;
    ps.sort((a, b) => a - b);
    let j = 0;
    for (let i = 0; i < ps.length; i++) {
      while (j < rs.length && rs[j]! < ps[i]!) j++;
      const next = ps[i + 1];
      if (j < rs.length && (next === undefined || rs[j]! < next)) out.push(rs[j]! - ps[i]!);
    }
  }
  return out;
}

/**
 * Each turn's duration: from a prompt to the last API message at or after it and before the next prompt of the same
 * session (sidechain messages included: a subagent's work is part of the turn). Unanswered prompts give none.
 */
export function turnDurations(
  prompts: readonly PromptRow[],
  usage: readonly { row: { sessionId: string; ts: number } }[],
) {
  const times = new Map<string, number[]>();
  for (const p of usage) {
    const l = times.get(p.row.sessionId);
    if (l) l.push(p.row.ts);
    else times.set(p.row.sessionId, [p.row.ts]);
  }
  const promptsBySession = new Map<string, number[]>();
  for (const p of prompts) {
    if (p.ts === null) continue;
    const l = promptsBySession.get(p.sessionId);
    if (l) l.push(p.ts);
    else promptsBySession.set(p.sessionId, [p.ts]);
  }
  const out: number[] = [];
  for (const [sid, ps] of promptsBySession) {
    const rs = times.get(sid);
    if (!rs) continue;
    rs.sort((a, b) => a - b);
    ps.sort((a, b) => a - b);
    let j = 0;
    for (let i = 0; i < ps.length; i++) {
      while (j < rs.length && rs[j]! < ps[i]!) j++;
      const next = ps[i + 1] ?? Number.POSITIVE_INFINITY;
      let last: number | undefined;
      while (j < rs.length && rs[j]! < next) last = rs[j++];
      if (last !== undefined) out.push(last - ps[i]!);
    }
  }
  return out;
}

export function efficiency(usage: readonly PricedUsage[], facts: readonly SessionFacts[]): Efficiency {
  const t = sumUsage(usage);
  const perSession = new Map<string, { cost: number; tokens: number }>();
  let readSaved = 0;
  let writePremium = 0;
  let subagent = 0;
  for (const p of usage) {
    const s = perSession.get(p.row.sessionId) ?? { cost: 0, tokens: 0 };
    s.cost += p.costUsd ?? 0;
    s.tokens += p.row.input + p.row.output + p.row.cacheCreation + p.row.cacheRead;
    perSession.set(p.row.sessionId, s);
    readSaved += p.cacheReadSavedUsd;
    writePremium += p.cacheWritePremiumUsd;
    if (p.row.isSidechain) subagent += p.costUsd ?? 0;
  }
  const sessions = perSession.size;
  const tools = mergeToolStats(facts.map((f) => f.tools));
  let prompts = 0;
  let calls = 0;
  const delays: number[] = [];
  let nTurns = 0;
  for (const f of facts) nTurns += f.turnMs.length;
  // One numeric sort for both figures (20,000 sessions hold hundreds of thousands of turns).
  const turns = new Float64Array(nTurns);
  nTurns = 0;
  let compactionsKnown = true;
  let compactions = 0;
  const compacted: string[] = [];
  for (const f of facts) {
    prompts += f.prompts;
    for (const t of f.tools) calls += t.calls;
    for (const d of f.firstResponseMs) delays.push(d);
    for (const d of f.turnMs) turns[nTurns++] = d;
    if (f.compactions === null) compactionsKnown = false;
    else if (f.compactions > 0) {
      compactions += f.compactions;
      compacted.push(f.sessionId);
    }
  }
  const inputSessions = new Set([...perSession.keys(), ...compacted]).size;
  let compactedCost = 0;
  for (const sid of compacted) compactedCost += perSession.get(sid)?.cost ?? 0;
  const promptTokens = t.input + t.cacheRead + t.cacheCreation;
  return {
    sessions,
    userPrompts: prompts,
    apiMessages: t.apiMessages,
    totalTokens: t.totalTokens,
    costUsd: t.costUsd,
    tokensPerPrompt: ratio(t.totalTokens, prompts),
    costPerPrompt: t.costUsd === null ? null : ratio(t.costUsd, prompts),
    tokensPerSession: ratio(t.totalTokens, sessions),
    costPerSession: t.costUsd === null ? null : ratio(t.costUsd, sessions),
    medianCostPerSession: t.costUsd === null ? null : median([...perSession.values()].map((s) => s.cost)),
    cacheHitRatio: ratio(t.cacheRead, promptTokens),
    cacheSavings: { readSavedUsd: readSaved, writePremiumUsd: writePremium, netSavedUsd: readSaved - writePremium },
    outputPerInput: ratio(t.output, t.input),
    outputPerPromptToken: ratio(t.output, promptTokens),
    toolCalls: calls,
    toolCallsPerTurn: ratio(calls, t.apiMessages),
    toolCallsPerPrompt: ratio(calls, prompts),
    tools,
    retries: tools.reduce((n, s) => n + s.retries, 0),
    subagentCostShare: t.costUsd === null ? null : ratio(subagent, t.costUsd),
    subagentCostUsd: subagent,
    medianFirstResponseMs: median(delays),
    timedTurns: turns.length,
    medianTurnMs: medianOfSorted(turns.sort()),
    p90TurnMs: percentileOfSorted(turns, 0.9),
    compaction: compactionsKnown
      ? {
          sessions: compacted.length,
          shareOfSessions: ratio(compacted.length, inputSessions),
          compactions,
          costUsd: t.costUsd === null ? null : compactedCost,
          shareOfCost: t.costUsd === null ? null : ratio(compactedCost, t.costUsd),
        }
      : null,
    notComputed: [],
  };
}
