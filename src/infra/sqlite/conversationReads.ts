import type { Masked } from '../../core/privacy/masker';
import type { ExportItem } from '../../core/reports/exportConversation';
import type { SqlDriver } from './driver';

// The reads of one conversation: its items in order (`cct export`), and full-text search over stored text.

/** A session's prompts and responses in transcript order, each with its texts and tool calls. */
export function conversation(db: SqlDriver, sessionId: string): ExportItem[] {
  const items = new Map<string, ExportItem>();
  for (const r of db
    .prepare('SELECT * FROM interactions WHERE session_id = ? ORDER BY ts, byte_offset')
    .all([sessionId])) {
    items.set(String(r.id), {
      id: String(r.id),
      kind: r.kind === 'prompt' ? 'prompt' : 'response',
      ts: r.ts === null ? null : Number(r.ts),
      isSidechain: Number(r.is_sidechain) === 1,
      agentId: r.agent_id === null ? null : String(r.agent_id),
      model: r.model === null ? null : String(r.model),
      texts: [],
      toolCalls: [],
    });
  }
  for (const r of db
    .prepare(
      'SELECT t.interaction_id, t.kind, t.text FROM texts t JOIN interactions i ON i.id = t.interaction_id WHERE i.session_id = ? ORDER BY t.interaction_id, t.ord, t.id',
    )
    .all([sessionId])) {
    items.get(String(r.interaction_id))?.texts.push({ kind: String(r.kind), text: r.text as Masked });
  }
  for (const r of db.prepare('SELECT * FROM tool_calls WHERE session_id = ? ORDER BY ts, id').all([sessionId])) {
    items.get(String(r.interaction_id))?.toolCalls.push({
      id: String(r.id),
      name: r.name === null ? null : String(r.name),
      inputJson: r.input_json as Masked | null,
      result: r.result as Masked | null,
      isError: Number(r.is_error) === 1,
      durationMs: r.ts !== null && r.result_ts !== null ? Number(r.result_ts) - Number(r.ts) : null,
      subagentId: r.subagent_id === null ? null : String(r.subagent_id),
    });
  }
  return [...items.values()];
}

export interface SearchHit {
  interactionId: string;
  sessionId: string;
  text: Masked;
}

/**
 * Full-text search over masked prompt/response text: the FTS index where this backend maintains it, else a
 * substring scan. No command calls it yet (the dashboard will); the store tests keep it and the index honest.
 */
export function search(db: SqlDriver, ftsWritable: boolean, query: string, limit = 50): SearchHit[] {
  const rows = ftsWritable
    ? db
        .prepare(
          `SELECT t.interaction_id, i.session_id, t.text FROM texts_fts f JOIN texts t ON t.id = f.rowid JOIN interactions i ON i.id = t.interaction_id WHERE texts_fts MATCH ? LIMIT ?`,
        )
        .all([query, limit])
    : db
        .prepare(
          `SELECT t.interaction_id, i.session_id, t.text FROM texts t JOIN interactions i ON i.id = t.interaction_id WHERE instr(t.text, ?) > 0 LIMIT ?`,
        )
        .all([query, limit]);
  return rows.map((r) => ({
    interactionId: String(r.interaction_id),
    sessionId: String(r.session_id),
    text: r.text as Masked,
  }));
}
