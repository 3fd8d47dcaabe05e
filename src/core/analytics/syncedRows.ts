import * as z from 'zod';
import type { AnalyticsRows, PromptRow, SessionMeta, ToolCallRow, UsageRow } from './rows';

/**
 * The Supabase boundary of analytics: public.claude_sessions / public.claude_interactions rows as the sync wrote
 * them (src/core/sync/rows.ts, built by infra/sqlite/outboxRows.ts), validated, then mapped to the typed rows every
 * analytics function computes over. What the synced rows can and cannot tell (SYNCED_NOT_COMPUTED):
 *
 * - usage: one 'assistant' row per deduplicated ledger message, with its tokens; the 5m/1h cache-write split and
 *   the speed travel in performance_metrics (kept in both sync modes), so each row reprices exactly as the store
 *   does. A message the store had no time for carries its session's start time (the store leaves it out).
 * - prompts: the 'user' rows. The sidechain flag is in context_analysis, which metadata mode withholds: there,
 *   subagent instructions count as prompts (each also ends a timed turn) and subagent usage as main-thread usage
 *   (subagent cost share is 0).
 * - tool calls: tools_used on the assistant rows (name and masked input in full mode, names only in metadata mode).
 *   Tool results are never synced, so error rates and retries cannot be computed from Supabase.
 * - sessions: project path, start and end time, entrypoint (metadata.entrypoint); the title stays local.
 * - topics: the masked prompt texts in full mode; none in metadata mode.
 * - compactions: boundaries are not synced, so the rows carry none (unknown, reported as null, not 0); turn
 *   durations come from the user and assistant rows' times like first responses.
 */

/** numeric and bigint columns: PostgREST sends numbers (or strings for numerics it cannot hold exactly). */
const count = z
  .union([z.number(), z.string().regex(/^\d+$/)])
  .transform(Number)
  .pipe(z.number().int().nonnegative());
const money = z
  .union([z.number(), z.string().regex(/^\d+(\.\d+)?$/)])
  .transform(Number)
  .pipe(z.number().nonnegative());
const time = z.string().transform((s, ctx) => {
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) ctx.addIssue({ code: 'custom', message: `not a timestamp: ${s}` });
  return ms;
});
const jsonObject = z.record(z.string(), z.unknown());

/** The claude_sessions columns analytics reads (SYNCED_SESSION_COLUMNS). */
export const SyncedSessionSchema = z.object({
  user_id: z.string().min(1).max(100),
  session_id: z.string().min(1).max(200),
  project_path: z.string().nullable(),
  start_time: time,
  end_time: time.nullable(),
  metadata: jsonObject.nullable(),
});
export type SyncedSession = z.infer<typeof SyncedSessionSchema>;

/** The claude_interactions columns analytics reads (SYNCED_INTERACTION_COLUMNS). */
export const SyncedInteractionSchema = z.object({
  user_id: z.string().min(1).max(100),
  session_id: z.string().min(1).max(200),
  message_uuid: z.string().min(1).max(100),
  message_type: z.enum(['user', 'assistant', 'system', 'tool_use', 'tool_result', 'summary', 'other']),
  model: z.string().nullable(),
  input_tokens: count,
  output_tokens: count,
  cache_creation_input_tokens: count,
  cache_read_input_tokens: count,
  cost_usd: money.nullable(),
  occurred_at: time,
  performance_metrics: z.unknown(),
  context_analysis: z.unknown(),
  tools_used: z.unknown(),
  user_prompt: z.string().nullable(),
});
export type SyncedInteraction = z.infer<typeof SyncedInteractionSchema>;

export const SYNCED_SESSION_COLUMNS = Object.keys(SyncedSessionSchema.shape).join(',');
export const SYNCED_INTERACTION_COLUMNS = Object.keys(SyncedInteractionSchema.shape).join(',');

/** What analytics over synced rows cannot compute (added to the result's notComputed by the source's caller). */
export const SYNCED_NOT_COMPUTED = [
  'tool error rates and retries (tool results are not synced)',
  'subagent share and sidechain prompts in metadata sync mode (context_analysis is withheld; a subagent instruction there also ends a timed turn)',
  'topics in metadata sync mode (no prompt text)',
  'sessions that hit compaction (compaction boundaries are not synced)',
];

/** Parses one batch of rows; the error names the table and the first bad row (nothing is half-read). */
export function parseSynced<T>(schema: z.ZodType<T>, rows: unknown, table: string): T[] {
  if (!Array.isArray(rows)) throw new Error(`analytics: ${table}: expected an array of rows`);
  return rows.map((row, i) => {
    const r = schema.safeParse(row);
    if (!r.success)
      throw new Error(
        `analytics: unreadable ${table} row ${i}: ${r.error.issues.map((x) => `[${x.path.join('.')}] ${x.message}`).join('; ')}`,
      );
    return r.data;
  });
}

export interface SyncedRowsOptions {
  /**
   * How a synced session is keyed in the analytics rows. Session ids are unique per user only: one user's rows keep
   * the plain id (the default), a team admin's view over several users passes (user, session) => `${user}/${session}`.
   */
  keyOf?: (userId: string, sessionId: string) => string;
  /** Build topic documents from the masked prompt texts (full sync mode only has them). */
  topics?: boolean;
}

const obj = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
const nonNegInt = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);

/** The synced rows as analytics rows (pure: the e2e test maps the rows it synced with it too). */
export function analyticsRowsOfSynced(
  sessions: readonly SyncedSession[],
  interactions: readonly SyncedInteraction[],
  opts: SyncedRowsOptions = {},
): AnalyticsRows {
  const keyOf = opts.keyOf ?? ((_u: string, s: string) => s);
  const metas: SessionMeta[] = sessions.map((s) => {
    const md = obj(s.metadata);
    return {
      sessionId: keyOf(s.user_id, s.session_id),
      projectPath: s.project_path,
      entrypoint: typeof md?.entrypoint === 'string' ? md.entrypoint : null,
      firstTs: s.start_time,
      lastTs: s.end_time,
      title: null,
    };
  });
  const usage: UsageRow[] = [];
  const prompts: PromptRow[] = [];
  const toolCalls: ToolCallRow[] = [];
  const texts = new Map<string, string[]>();
  for (const i of interactions) {
    const sessionId = keyOf(i.user_id, i.session_id);
    const sidechain = obj(i.context_analysis)?.sidechain === true;
    if (i.message_type === 'user') {
      if (sidechain) continue;
      prompts.push({ sessionId, ts: i.occurred_at });
      if (opts.topics && i.user_prompt) {
        const list = texts.get(sessionId) ?? [];
        list.push(i.user_prompt);
        texts.set(sessionId, list);
      }
      continue;
    }
    if (i.message_type !== 'assistant') continue;
    const pm = obj(i.performance_metrics);
    const cache5m = nonNegInt(pm?.cache_creation_5m_tokens);
    const cache1h = nonNegInt(pm?.cache_creation_1h_tokens);
    const split = cache5m + cache1h === i.cache_creation_input_tokens;
    usage.push({
      sessionId,
      ts: i.occurred_at,
      model: i.model,
      speed: typeof pm?.speed === 'string' ? pm.speed : null,
      input: i.input_tokens,
      output: i.output_tokens,
      // A row whose split does not add up (an older client) is priced as the store prices an unsplit total: 5m.
      cache5m: split ? cache5m : i.cache_creation_input_tokens,
      cache1h: split ? cache1h : 0,
      cacheCreation: i.cache_creation_input_tokens,
      cacheRead: i.cache_read_input_tokens,
      isSidechain: sidechain,
    });
    if (Array.isArray(i.tools_used))
      i.tools_used.forEach((t, n) => {
        const o = obj(t);
        const name = typeof t === 'string' ? t : typeof o?.name === 'string' ? o.name : null;
        if (name === null) return;
        toolCalls.push({
          id: `${i.message_uuid}:${n}`,
          sessionId,
          name,
          inputKey: o && 'input' in o ? JSON.stringify(o.input) : null,
          ts: i.occurred_at,
          isError: null,
          isSidechain: sidechain,
        });
      });
  }
  const rows: AnalyticsRows = { sessions: metas, usage, prompts, toolCalls };
  if (opts.topics)
    rows.topicDocs = metas.map((s) => ({
      sessionId: s.sessionId,
      texts: texts.get(s.sessionId) ?? [],
      toolTargets: [],
    }));
  return rows;
}
