import { firstResponseDelays, toolStats, turnDurations } from './efficiency';
import type {
  AnalyticsInput,
  AnalyticsRows,
  CompactionRow,
  PromptRow,
  SessionFacts,
  ToolCallRow,
  UsageRow,
} from './rows';

/**
 * Per-session facts from one session's rows (or from many sessions' rows: they are grouped here). The store calls
 * this per changed session and caches the result; rows read from anywhere else go through it on every refresh.
 * `compactions` absent: the source has none to give (each fact's compactions is then null, not 0).
 */
export function factsOfRows(
  usage: readonly UsageRow[],
  prompts: readonly PromptRow[],
  calls: readonly ToolCallRow[],
  compactions?: readonly CompactionRow[],
): SessionFacts[] {
  const by = new Map<string, { usage: UsageRow[]; prompts: PromptRow[]; calls: ToolCallRow[]; compactions: number }>();
  const of = (sid: string) => {
    let g = by.get(sid);
    if (!g) {
      g = { usage: [], prompts: [], calls: [], compactions: 0 };
      by.set(sid, g);
    }
    return g;
  };
  for (const p of prompts) of(p.sessionId).prompts.push(p);
  for (const c of calls) of(c.sessionId).calls.push(c);
  for (const c of compactions ?? []) of(c.sessionId).compactions++;
  // Every session with usage has facts, as every session has a rollup row: a source without compactions then says
  // so for each of them.
  for (const u of usage) of(u.sessionId).usage.push(u);
  const out: SessionFacts[] = [];
  for (const [sessionId, g] of by) {
    const priced = g.usage.map((row) => ({ row, costUsd: undefined, cacheReadSavedUsd: 0, cacheWritePremiumUsd: 0 }));
    out.push({
      sessionId,
      prompts: g.prompts.length,
      promptSpans: g.prompts.flatMap((p) => (p.ts === null ? [] : [p.ts, p.ts])),
      firstResponseMs: firstResponseDelays(g.prompts, priced),
      tools: toolStats(g.calls),
      compactions: compactions ? g.compactions : null,
      turnMs: turnDurations(g.prompts, priced),
    });
  }
  return out;
}

/** The rows as analytics input (facts computed from them; usage stays row by row). */
export function inputOfRows(rows: AnalyticsRows): AnalyticsInput {
  return {
    sessions: rows.sessions,
    usage: rows.usage,
    facts: factsOfRows(rows.usage, rows.prompts, rows.toolCalls, rows.compactions),
    topicDocs: rows.topicDocs,
  };
}
