import type { FtsEngine, SqlDriver } from './driver';
import * as Q from './queries';
import type { UsageRollups } from './usageRollups';

/** What deleting a session touches besides its rows: the FTS index (if this backend maintains it) and the rollups. */
export interface PruneTarget {
  db: SqlDriver;
  rollups: UsageRollups;
  fts: { engine: FtsEngine; writable: boolean };
}

/** Deletes sessions whose last activity is older than `olderThanMs` (and all their rows). */
export function pruneOlderThan(t: PruneTarget, olderThanMs: number): number {
  return t.db.transaction(() => {
    const ids = t.db
      .prepare('SELECT session_id FROM sessions WHERE last_ts < ?')
      .all([olderThanMs])
      .map((r) => String(r.session_id));
    for (const id of ids) deleteSession(t, id);
    return ids.length;
  });
}

/** Bytes of live pages (what the file would shrink to). */
export function sizeBytes(db: SqlDriver): number {
  const n = (p: string) => Number(Object.values(db.prepare(`PRAGMA ${p}`).get() ?? {})[0] ?? 0);
  return (n('page_count') - n('freelist_count')) * n('page_size');
}

/**
 * Size cap: deletes the least recently active sessions until the live data fits in `maxBytes`, then returns
 * the freed pages to the file system. Returns how many sessions went.
 */
export function pruneToSize(t: PruneTarget, maxBytes: number): number {
  let removed = 0;
  while (sizeBytes(t.db) > maxBytes) {
    const oldest = t.db.prepare('SELECT session_id FROM sessions ORDER BY last_ts, session_id LIMIT 1').get();
    if (!oldest) break;
    t.db.transaction(() => deleteSession(t, String(oldest.session_id)));
    removed++;
  }
  if (removed > 0) t.db.exec('PRAGMA incremental_vacuum');
  return removed;
}

function deleteSession({ db, rollups, fts }: PruneTarget, id: string): void {
  rollups.invalidate(); // a deleted session's rows cannot be found by key: rebuild fully
  const texts = db
    .prepare('SELECT t.id, t.text FROM texts t JOIN interactions i ON i.id = t.interaction_id WHERE i.session_id = ?')
    .all([id]);
  if (fts.writable) {
    // Before the content rows go: FTS5 needs the old text, FTS4 reads it from the content table.
    if (fts.engine === 'fts5') {
      const del = db.prepare(Q.DELETE_FTS5);
      for (const t of texts) del.run([t.id as number, t.text as string]);
    } else {
      const del = db.prepare(Q.DELETE_FTS4);
      for (const t of texts) del.run([t.id as number]);
    }
  }
  db.prepare('DELETE FROM texts WHERE interaction_id IN (SELECT id FROM interactions WHERE session_id = ?)').run([id]);
  for (const table of [
    'interactions',
    'api_messages',
    'tool_calls',
    'privacy_findings',
    'session_files',
    'session_git',
    'session_claude_lines',
    'sessions',
  ]) {
    db.prepare(`DELETE FROM ${table} WHERE session_id = ?`).run([id]);
  }
}
