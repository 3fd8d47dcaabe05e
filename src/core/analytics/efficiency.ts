import type { IndexedUsage } from './analyticsIndex';
import type { PricedUsage } from './pricedUsage';
import type { PromptRow, ToolCallRow } from './rows';
import { totalsOf } from './usageAggregates';

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
  const s = Float64Array.from(xs).sort();
  return s.length === 0 ? null : s[Math.max(0, Math.ceil(q * s.length) - 1)]!;
}

export function median(xs: ArrayLike<number>): number | null {
  if (xs.length === 0) return null;
  // Selection on a typed copy, not a sort: analytics takes the median of hundreds of thousands of delays.
  const a = Float64Array.from(xs);
  const m = a.length >> 1;
  const hi = select(a, m);
  if (a.length % 2) return hi;
  // After select, a[0..m) holds the m smallest: the lower middle is their largest.
  let lo = a[0]!;
  for (let i = 1; i < m; i++) if (a[i]! > lo) lo = a[i]!;
  return (lo + hi) / 2;
}

/** The k-th smallest of `a` (Hoare's selection, middle pivot), leaving the k smallest in a[0..k). */
function select(a: Float64Array, k: number): number {
  let left = 0;
  let right = a.length - 1;
  while (right > left) {
    const pivot = a[(left + right) >> 1]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return a[k]!;
}

/** The median of values already sorted (either direction), read through `value`. */
export function sortedMedian<T>(s: readonly T[], value: (x: T) => number): number | null {
  if (s.length === 0) return null;
  const m = s.length >> 1;
  return s.length % 2 ? value(s[m]!) : (value(s[m - 1]!) + value(s[m]!)) / 2;
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

/** Per-tool sums (UsageAggregates.tools) as the list toolStats gives: error rates set, most errors first. */
export function toolList(sums: Iterable<ToolStats>): ToolStats[] {
  return [...sums]
    .map((s) => ({ ...s, errorRate: s.withResult > 0 ? s.errors / s.withResult : null }))
    .sort((a, b) => b.errors - a.errors || b.calls - a.calls || a.tool.localeCompare(b.tool));
}

/**
 * Per session, its timed prompts and its API message times, each ascending: what the per-turn figures walk in step
 * (only sessions with both).
 */
function promptsAndMessages(
  prompts: readonly PromptRow[],
  usage: readonly { row: { sessionId: string; ts: number } }[],
): { prompts: number[]; messages: number[] }[] {
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
  const out: { prompts: number[]; messages: number[] }[] = [];
  for (const [sid, ps] of promptsBySession) {
    const rs = times.get(sid);
    if (!rs) continue;
    out.push({ prompts: ps.sort((a, b) => a - b), messages: rs.sort((a, b) => a - b) });
  }
  return out;
}

/** Time from each prompt to the first API message after it (same session, before the next prompt). */
export function firstResponseDelays(prompts: readonly PromptRow[], usage: readonly PricedUsage[]): number[] {
  const out: number[] = [];
  for (const { prompts: ps, messages: rs } of promptsAndMessages(prompts, usage)) {
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
): number[] {
  const out: number[] = [];
  for (const { prompts: ps, messages: rs } of promptsAndMessages(prompts, usage)) {
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

export function efficiency(usage: Pick<IndexedUsage, 'aggregates' | 'bySession'>): Efficiency {
  const agg = usage.aggregates;
  const t = totalsOf(agg.totals);
  const readSaved = agg.cacheReadSavedUsd;
  const writePremium = agg.cacheWritePremiumUsd;
  const subagent = agg.sidechainCostUsd;
  const sessions = agg.usageSessions;
  const tools = toolList(agg.tools.values());
  const prompts = agg.prompts;
  const calls = agg.toolCalls;
  const compaction = agg.compaction;
  const compactedSessions = compaction.sessions;
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
    // bySession is sorted by cost, most expensive first: its middle is the median.
    medianCostPerSession: t.costUsd === null ? null : sortedMedian(usage.bySession, (g) => g.costUsd ?? 0),
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
    medianFirstResponseMs: agg.firstResponseMs.median(),
    timedTurns: agg.turnMs.size,
    medianTurnMs: agg.turnMs.median(),
    p90TurnMs: agg.turnMs.quantile(0.9),
    compaction:
      compaction.unknown === 0
        ? {
            sessions: compactedSessions,
            shareOfSessions: ratio(compactedSessions, sessions + compaction.sessionsWithoutUsage),
            compactions: compaction.compactions,
            costUsd: t.costUsd === null ? null : compaction.costUsd,
            shareOfCost: t.costUsd === null ? null : ratio(compaction.costUsd, t.costUsd),
          }
        : null,
    notComputed: [],
  };
}
