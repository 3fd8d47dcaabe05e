import { firstResponseDelays, toolStats } from './efficiency';
import type { AnalyticsInput, AnalyticsRows, PromptRow, SessionFacts, ToolCallRow, UsageRow } from './rows';

/**
 * Per-session facts from one session's rows (or from many sessions' rows: they are grouped here). The store calls
 * this per changed session and caches the result; rows read from anywhere else go through it on every refresh.
 */
export function factsOfRows(
  usage: readonly UsageRow[],
  prompts: readonly PromptRow[],
  calls: readonly ToolCallRow[],
): SessionFacts[] {
  const by = new Map<string, { usage: UsageRow[]; prompts: PromptRow[]; calls: ToolCallRow[] }>();
  const of = (sid: string) => {
    let g = by.get(sid);
    if (!g) {
      g = { usage: [], prompts: [], calls: [] };
      by.set(sid, g);
    }
    return g;
  };
  for (const p of prompts) of(p.sessionId).prompts.push(p);
  for (const c of calls) of(c.sessionId).calls.push(c);
  // Only the usage times matter here (the first response after each prompt), so usage joins sessions that have prompts.
  for (const u of usage) by.get(u.sessionId)?.usage.push(u);
  const out: SessionFacts[] = [];
  for (const [sessionId, g] of by) {
    const priced = g.usage.map((row) => ({ row, costUsd: undefined, cacheReadSavedUsd: 0, cacheWritePremiumUsd: 0 }));
    out.push({
      sessionId,
      prompts: g.prompts.length,
      promptSpans: g.prompts.flatMap((p) => (p.ts === null ? [] : [p.ts, p.ts])),
      firstResponseMs: firstResponseDelays(g.prompts, priced),
      tools: toolStats(g.calls),
    });
  }
  return out;
}

/** The rows as analytics input (facts computed from them; usage stays row by row). */
export function inputOfRows(rows: AnalyticsRows): AnalyticsInput {
  return {
    sessions: rows.sessions,
    usage: rows.usage,
    facts: factsOfRows(rows.usage, rows.prompts, rows.toolCalls),
    topicDocs: rows.topicDocs,
  };
}
