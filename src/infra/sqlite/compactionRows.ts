import type { CompactionRow } from '../../core/collector/rows';
import type { SqlDriver } from './driver';

// Compaction boundaries (migration v14): one row per `system/compact_boundary` line. No text is kept (trigger and token
// counts only), so re-mask has nothing to rewrite here; deleteSessions.ts removes them with the session.

/** Same natural key and fork attribution as interactions (queries.ts REATTR): a copy moves to its original session. */
const UPSERT_COMPACTION = `
INSERT INTO compactions (id, session_id, origin_session, ts, trigger, pre_tokens, post_tokens, is_sidechain, agent_id,
  source_file, byte_offset)
VALUES (?,?,?,?,?,?,?,?,?,?,?)
ON CONFLICT(id) DO UPDATE SET
  session_id = CASE WHEN (compactions.session_id <> compactions.origin_session AND excluded.session_id = excluded.origin_session)
                    THEN excluded.session_id ELSE compactions.session_id END,
  ts = coalesce(compactions.ts, excluded.ts),
  trigger = coalesce(excluded.trigger, compactions.trigger),
  pre_tokens = coalesce(excluded.pre_tokens, compactions.pre_tokens),
  post_tokens = coalesce(excluded.post_tokens, compactions.post_tokens)`;

export function writeCompactions(db: SqlDriver, rows: readonly CompactionRow[]): void {
  if (rows.length === 0) return;
  const up = db.prepare(UPSERT_COMPACTION);
  for (const c of rows)
    up.run([
      c.id,
      c.sessionId,
      c.originSession,
      c.ts ?? null,
      c.trigger ?? null,
      c.preTokens ?? null,
      c.postTokens ?? null,
      c.isSidechain ? 1 : 0,
      c.agentId ?? null,
      c.sourceFile,
      c.byteOffset,
    ]);
}
