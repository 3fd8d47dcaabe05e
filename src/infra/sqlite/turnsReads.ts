import type { TimelineEntry } from '../../core/sessions/timelineTurns';
import { clearLinksOf } from './clearLinks';
import type { SqlDriver, SqlRow, SqlValue } from './driver';
import { num, str } from './sqlValues';

// The Session detail timeline: one page of a session's interactions (the main conversation, or one subagent's run)
// with their texts, tool calls and ledger tokens. Paged in SQL over interactions_session (session_id, ts) and
// interactions_agent, so a 2,000-turn session sends 100 rows at a time.

/** Previews are cut here; "show more" asks for the whole (toolCall). */
export const TEXT_PREVIEW_CHARS = 20_000;
export const TOOL_PREVIEW_CHARS = 2_000;
/** "Show more" still stops somewhere: a tool result can be megabytes. */
export const TOOL_FULL_CHARS = 1_048_576;

export interface TimelineText {
  kind: 'text' | 'thinking';
  text: string;
  truncated: boolean;
  fullLength: number;
}

export interface TimelineToolCall {
  id: string;
  name: string | null;
  input: string | null;
  inputTruncated: boolean;
  result: string | null;
  resultTruncated: boolean;
  isError: boolean;
  durationMs: number | null;
  subagent: { agentId: string; type: string | null; items: number } | null;
}

/** One ledger row of an entry, as core's timeline shaping reads it. */
export type TimelineUsage = TimelineEntry['usage'][number];

/** What a compaction boundary recorded (compactionRows.ts); null fields were not in the line. */
export interface TimelineCompaction {
  trigger: 'manual' | 'auto' | null;
  preTokens: number | null;
  postTokens: number | null;
}

export interface TimelineItem {
  id: string;
  index: number;
  kind: 'prompt' | 'response' | 'compaction';
  ts: number | null;
  model: string | null;
  isSidechain: boolean;
  agentId: string | null;
  texts: TimelineText[];
  toolCalls: TimelineToolCall[];
  /** The ledger row(s) of this API message (responses; several when a response was re-keyed), summed by the caller. */
  usage: TimelineUsage[];
  /** ts of the entry before this one in the same timeline (for latency), null when none or unknown. */
  previousTs: number | null;
  /** Compaction boundaries only. */
  compaction: TimelineCompaction | null;
}

/** The main conversation (agentId undefined: not a subagent's sidechain) or one subagent's run. */
function scope(sessionId: string, agentId: string | undefined): { where: string; params: SqlValue[] } {
  return agentId === undefined
    ? { where: 'session_id = ? AND is_sidechain = 0', params: [sessionId] }
    : { where: 'session_id = ? AND agent_id = ?', params: [sessionId, agentId] };
}

/**
 * The rows of a timeline in their order: interactions and compaction boundaries (v14) together, so paging, the count
 * and a turn's index agree. Both sides walk their (session_id, ts) index.
 */
function timelineRows(sessionId: string, agentId: string | undefined): { sql: string; params: SqlValue[] } {
  const s = scope(sessionId, agentId);
  return {
    sql: `SELECT id, kind, ts, model, is_sidechain, agent_id, byte_offset, NULL AS trigger, NULL AS pre_tokens,
            NULL AS post_tokens FROM interactions WHERE ${s.where}
          UNION ALL
          SELECT id, 'compaction', ts, NULL, is_sidechain, agent_id, byte_offset, trigger, pre_tokens, post_tokens
            FROM compactions WHERE ${s.where}`,
    params: [...s.params, ...s.params],
  };
}

/** The timeline's order (stable: ties by byte offset, then id). */
const TIMELINE_ORDER = 'ORDER BY ts, byte_offset, id';

export function timelineCount(db: SqlDriver, sessionId: string, agentId?: string): number {
  const t = timelineRows(sessionId, agentId);
  return Number(db.prepare(`SELECT count(*) AS n FROM (${t.sql})`).get(t.params)?.n ?? 0);
}

/**
 * The 0-based index of one entry in its timeline (the position paging puts it at), or undefined when the session's
 * main conversation has no such entry. A subagent's entry answers with the index of the tool call's turn that
 * started its run, so a deep link into a subagent lands on the turn that holds it.
 */
export function timelineIndexOf(db: SqlDriver, sessionId: string, entryId: string): number | undefined {
  const t = timelineRows(sessionId, undefined);
  const target = resolveMainEntry(db, sessionId, entryId);
  if (target === undefined) return undefined;
  const r = db
    .prepare(
      `WITH tl AS (${t.sql}), me AS (SELECT ts, byte_offset, id FROM tl WHERE id = ?)
       SELECT count(*) AS n FROM tl, me
       WHERE (tl.ts IS NOT me.ts AND (tl.ts IS NULL OR (me.ts IS NOT NULL AND tl.ts < me.ts)))
          OR (tl.ts IS me.ts AND (tl.byte_offset IS NOT me.byte_offset
               AND (tl.byte_offset IS NULL OR (me.byte_offset IS NOT NULL AND tl.byte_offset < me.byte_offset))))
          OR (tl.ts IS me.ts AND tl.byte_offset IS me.byte_offset AND tl.id < me.id)`,
    )
    .get([...t.params, target]);
  return r === undefined ? undefined : Number(r.n);
}

/** The entry itself when it is in the main conversation, else the main-conversation turn whose tool call started it. */
function resolveMainEntry(db: SqlDriver, sessionId: string, entryId: string): string | undefined {
  const seen = new Set<string>();
  let id = entryId;
  while (!seen.has(id)) {
    seen.add(id);
    const row =
      db
        .prepare('SELECT is_sidechain, agent_id FROM interactions WHERE id = ? AND session_id = ?')
        .get([id, sessionId]) ??
      db.prepare('SELECT is_sidechain, agent_id FROM compactions WHERE id = ? AND session_id = ?').get([id, sessionId]);
    if (!row) return undefined;
    if (Number(row.is_sidechain) === 0) return id;
    const parent = db
      .prepare('SELECT interaction_id FROM tool_calls WHERE session_id = ? AND subagent_id = ? LIMIT 1')
      .get([sessionId, str(row.agent_id)]);
    if (!parent) return undefined;
    id = String(parent.interaction_id);
  }
  return undefined;
}

export function timelinePage(
  db: SqlDriver,
  q: { sessionId: string; agentId?: string; offset: number; limit: number },
): TimelineItem[] {
  const t = timelineRows(q.sessionId, q.agentId);
  // One row before the page as well, for the first item's latency.
  const from = Math.max(0, q.offset - 1);
  const rows = db
    .prepare(`${t.sql} ${TIMELINE_ORDER} LIMIT ? OFFSET ?`)
    .all([...t.params, q.limit + (q.offset - from), from]);
  const before = q.offset > 0 ? rows.shift() : undefined;
  if (rows.length === 0) return [];
  const ids = rows.map((r) => String(r.id));
  const marks = ids.map(() => '?').join(',');
  const texts = groupBy(
    db
      .prepare(
        `SELECT interaction_id, kind, substr(text, 1, ${TEXT_PREVIEW_CHARS}) AS text, length(text) AS len FROM texts
         WHERE interaction_id IN (${marks}) ORDER BY interaction_id, ord, id`,
      )
      .all(ids),
  );
  const tools = groupBy(
    db
      .prepare(
        `SELECT t.interaction_id, t.id, t.name, substr(t.input_json, 1, ${TOOL_PREVIEW_CHARS}) AS input,
           length(t.input_json) AS input_len, substr(t.result, 1, ${TOOL_PREVIEW_CHARS}) AS result,
           length(t.result) AS result_len, t.is_error, t.ts, t.result_ts, t.subagent_id, t.subagent_type,
           (SELECT count(*) FROM interactions a WHERE a.session_id = t.session_id AND a.agent_id = t.subagent_id) AS sub_items
         FROM tool_calls t WHERE t.interaction_id IN (${marks}) ORDER BY t.interaction_id, t.ts, t.id`,
      )
      .all(ids),
  );
  // Response interaction ids are `r:<ledger key>`.
  const keys = ids.filter((id) => id.startsWith('r:')).map((id) => id.slice(2));
  const usage = new Map<string, TimelineUsage[]>();
  if (keys.length) {
    for (const r of db
      .prepare(
        `SELECT key, model, speed, ts, input, output, cache_5m, cache_1h, cache_creation, cache_read FROM api_messages
         WHERE key IN (${keys.map(() => '?').join(',')})`,
      )
      .all(keys)) {
      const id = `r:${String(r.key)}`;
      const u: TimelineUsage = {
        model: str(r.model),
        speed: str(r.speed),
        ts: num(r.ts),
        input: Number(r.input),
        output: Number(r.output),
        cache5m: Number(r.cache_5m),
        cache1h: Number(r.cache_1h),
        cacheCreation: Number(r.cache_creation),
        cacheRead: Number(r.cache_read),
      };
      const list = usage.get(id);
      if (list) list.push(u);
      else usage.set(id, [u]);
    }
  }
  let prevTs = before ? num(before.ts) : null;
  return rows.map((r, i) => {
    const id = String(r.id);
    const ts = num(r.ts);
    const kind = r.kind === 'prompt' ? 'prompt' : r.kind === 'compaction' ? 'compaction' : 'response';
    const item: TimelineItem = {
      id,
      index: q.offset + i,
      kind,
      ts,
      model: str(r.model),
      isSidechain: Number(r.is_sidechain) === 1,
      agentId: str(r.agent_id),
      texts: (texts.get(id) ?? [])
        .filter((t) => t.kind !== 'prompt' || r.kind === 'prompt')
        .map((t) => ({
          kind: t.kind === 'thinking' ? 'thinking' : 'text',
          text: String(t.text),
          truncated: Number(t.len) > TEXT_PREVIEW_CHARS,
          fullLength: Number(t.len),
        })),
      toolCalls: (tools.get(id) ?? []).map((t) => toolCallOf(t)),
      usage: usage.get(id) ?? [],
      previousTs: prevTs,
      compaction:
        kind === 'compaction'
          ? {
              trigger: r.trigger === 'manual' || r.trigger === 'auto' ? r.trigger : null,
              preTokens: num(r.pre_tokens),
              postTokens: num(r.post_tokens),
            }
          : null,
    };
    prevTs = ts;
    return item;
  });
}

/** One tool call whole (up to TOOL_FULL_CHARS of input and of result), for "show more". */
export function toolCallFull(db: SqlDriver, sessionId: string, toolCallId: string): TimelineToolCall | undefined {
  const r = db
    .prepare(
      `SELECT t.interaction_id, t.id, t.name, substr(t.input_json, 1, ${TOOL_FULL_CHARS}) AS input,
         length(t.input_json) AS input_len, substr(t.result, 1, ${TOOL_FULL_CHARS}) AS result,
         length(t.result) AS result_len, t.is_error, t.ts, t.result_ts, t.subagent_id, t.subagent_type,
         (SELECT count(*) FROM interactions a WHERE a.session_id = t.session_id AND a.agent_id = t.subagent_id) AS sub_items
       FROM tool_calls t WHERE t.id = ? AND t.session_id = ?`,
    )
    .get([toolCallId, sessionId]);
  return r ? toolCallOf(r, TOOL_FULL_CHARS) : undefined;
}

function toolCallOf(r: SqlRow, cut = TOOL_PREVIEW_CHARS): TimelineToolCall {
  const sub = str(r.subagent_id);
  return {
    id: String(r.id),
    name: str(r.name),
    input: str(r.input),
    inputTruncated: Number(r.input_len ?? 0) > cut,
    result: str(r.result),
    resultTruncated: Number(r.result_len ?? 0) > cut,
    isError: Number(r.is_error) === 1,
    durationMs: r.ts !== null && r.result_ts !== null ? Math.max(0, Number(r.result_ts) - Number(r.ts)) : null,
    subagent: sub === null ? null : { agentId: sub, type: str(r.subagent_type), items: Number(r.sub_items ?? 0) },
  };
}

function groupBy(rows: SqlRow[]): Map<string, SqlRow[]> {
  const m = new Map<string, SqlRow[]>();
  for (const r of rows) {
    const k = String(r.interaction_id);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

export type SessionRelation = 'origin' | 'derived' | 'clearedFrom' | 'clearedInto';

/** Sessions sharing interactions with this one (resume / fork copies, from origin_session), and /clear neighbours. */
export function relatedSessions(db: SqlDriver, sessionId: string): { sessionId: string; relation: SessionRelation }[] {
  const out: { sessionId: string; relation: SessionRelation }[] = [...clearLinksOf(db, sessionId)];
  for (const r of db
    .prepare(
      `SELECT DISTINCT origin_session FROM interactions WHERE session_id = ? AND origin_session IS NOT NULL AND origin_session <> session_id LIMIT 20`,
    )
    .values([sessionId]))
    out.push({ sessionId: String(r[0]), relation: 'origin' });
  return out;
}
