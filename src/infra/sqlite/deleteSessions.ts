import type { FtsEngine, SqlDriver } from './driver';
import * as Q from './queries';
import type { UsageRollups } from './usageRollups';

/** What deleting a session touches besides its rows: the FTS index (if this backend maintains it) and the rollups. */
export interface DeleteTarget {
  db: SqlDriver;
  rollups: UsageRollups;
  fts: { engine: FtsEngine; writable: boolean };
}

/**
 * The one delete path for a session (Forget and retention): its texts and their FTS entries, interactions, usage
 * ledger, tool calls, compaction boundaries, privacy finding counts, rollup rows, dashboard stats, queued and dead-lettered sync entries, and the session.
 * With `copies`, rows another session holds as copies of this one's lines (a fork's `origin_session`) go too: they
 * are this session's text (Forget). Retention leaves them to the newer session that holds them. Call inside a
 * transaction, with secure_delete on (`withSecureDelete` in secureDelete.ts) so freed pages are zeroed.
 * Returns how many interactions went.
 */
export function deleteSessionRows({ db, rollups, fts }: DeleteTarget, id: string, copies = false): number {
  rollups.invalidate(); // the slot rollups hold sums over this session: rebuilt fully on the next refresh
  const mine = copies ? '(session_id = ?1 OR origin_session = ?1)' : 'session_id = ?1';
  const interactions = db
    .prepare(`SELECT id FROM interactions WHERE ${mine}`)
    .values([id])
    .map((r) => String(r[0]));
  const texts = db
    .prepare(`SELECT id, text FROM texts WHERE interaction_id IN (SELECT id FROM interactions WHERE ${mine})`)
    .values([id]);
  if (fts.writable) {
    // Before the content rows go: FTS5 needs the old text, FTS4 reads it from the content table.
    if (fts.engine === 'fts5') {
      const del = db.prepare(Q.DELETE_FTS5);
      for (const [tid, text] of texts) del.run([tid as number, text as string]);
    } else {
      const del = db.prepare(Q.DELETE_FTS4);
      for (const [tid] of texts) del.run([tid as number]);
    }
  } else if (texts.length > 0) {
    // This backend cannot maintain the file's index: mark it for a rebuild by the next backend that can.
    db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('fts_stale', '1')").run();
  }
  const delText = db.prepare('DELETE FROM texts WHERE id = ?');
  for (const [tid] of texts) delText.run([tid as number]);
  const delQueued = db.prepare("DELETE FROM sync_outbox WHERE entity = 'interaction' AND entity_id = ?");
  const delDead = db.prepare("DELETE FROM sync_dead_letters WHERE entity = 'interaction' AND entity_id = ?");
  for (const i of interactions) {
    delQueued.run([i]);
    delDead.run([i]);
  }
  // Sessions that held copies of this one's lines lose rows: drop their stats so the next refresh recomputes them.
  if (copies) {
    db.prepare(
      'DELETE FROM session_stats WHERE session_id IN (SELECT session_id FROM interactions WHERE origin_session = ?)',
    ).run([id]);
    db.prepare(
      'DELETE FROM analytics_sessions WHERE session_id IN (SELECT session_id FROM interactions WHERE origin_session = ?)',
    ).run([id]);
  }
  for (const table of ['interactions', 'api_messages', 'tool_calls', 'compactions']) {
    db.prepare(`DELETE FROM ${table} WHERE ${mine}`).run([id]);
  }
  db.prepare('DELETE FROM privacy_findings WHERE session_id = ?').run([id]);
  db.prepare('DELETE FROM privacy_rule_findings WHERE session_id = ?').run([id]);
  db.prepare('DELETE FROM session_stats WHERE session_id = ?').run([id]);
  db.prepare('DELETE FROM session_states WHERE session_id = ?').run([id]);
  for (const table of ['session_files', 'session_git', 'session_claude_lines', 'session_clears'])
    db.prepare(`DELETE FROM ${table} WHERE session_id = ?`).run([id]);
  db.prepare('DELETE FROM usage_rollup_session WHERE session_id = ?').run([id]);
  // Analytics rollups: sums, and topic terms (a copy of words of its masked text).
  db.prepare('DELETE FROM analytics_cells WHERE session_id = ?').run([id]);
  db.prepare('DELETE FROM analytics_sessions WHERE session_id = ?').run([id]);
  db.prepare("DELETE FROM sync_outbox WHERE entity = 'session' AND entity_id = ?").run([id]);
  db.prepare("DELETE FROM sync_dead_letters WHERE entity = 'session' AND entity_id = ?").run([id]);
  db.prepare('DELETE FROM sessions WHERE session_id = ?').run([id]);
  return interactions.length;
}

/**
 * FTS segments keep the terms of deleted rows (a delete only adds a marker) until they are merged: `optimize` merges
 * every segment into one without them. Costs a rewrite of the index, so only Forget calls it, not retention.
 */
export function purgeFtsLeftovers(t: DeleteTarget): void {
  if (t.fts.writable) {
    t.db.transaction(() => t.db.exec("INSERT INTO texts_fts(texts_fts) VALUES ('optimize')"));
    return;
  }
  // An FTS5 file on sql.js (no FTS5 there): the index cannot be updated, but its shadow tables are plain tables.
  // Empty them (the terms of the forgotten text are in there) and leave the rebuild to the next node:sqlite open.
  if (t.fts.engine !== 'fts5') return;
  t.db.transaction(() => {
    t.db.exec('DELETE FROM texts_fts_data; DELETE FROM texts_fts_idx; DELETE FROM texts_fts_docsize;');
    t.db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('fts_stale', '1')").run();
  });
}
