import { type DeleteTarget, deleteSessionRows } from './deleteSessions';
import type { SqlDriver } from './driver';
import { withSecureDelete } from './secureDelete';

// Retention goes through Forget's delete path (deleteSessionRows, secure_delete on) but writes no tombstone: it removes
// what is old, not what the user took back. A deleted session's files keep their cursors, so a transcript still on disk
// is not re-read (and the session does not come back) unless the file changes: lines appended later are ingested
// again as a new, recent session, as before.

export type PruneTarget = DeleteTarget;

/** Deletes sessions whose last activity is older than `olderThanMs` (and all their rows). */
export function pruneOlderThan(t: PruneTarget, olderThanMs: number): number {
  return t.db.transaction(() => {
    const ids = t.db
      .prepare('SELECT session_id FROM sessions WHERE last_ts < ?')
      .all([olderThanMs])
      .map((r) => String(r.session_id));
    withSecureDelete(t.db, () => {
      for (const id of ids) deleteSessionRows(t, id);
    });
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
    withSecureDelete(t.db, () => t.db.transaction(() => deleteSessionRows(t, String(oldest.session_id))));
    removed++;
  }
  if (removed > 0) t.db.exec('PRAGMA incremental_vacuum');
  return removed;
}
