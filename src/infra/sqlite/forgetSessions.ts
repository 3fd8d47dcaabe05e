import * as path from 'node:path';
import { globToRegExp, isExcluded } from '../../core/sync/policy';
import { type DeleteTarget, deleteSessionRows, purgeFtsLeftovers } from './deleteSessions';
import type { SqlDriver } from './driver';
import { scrubFreedPages, withSecureDelete } from './secureDelete';
import { writeTombstone } from './tombstones';

export interface ForgetResult {
  /** The sessions forgotten (tombstoned; those the store held are deleted). */
  sessions: string[];
  /** Interactions deleted (prompts and responses). */
  interactions: number;
  /** Transcript files the tombstones name (own files skipped by scans, and files that carried copies). */
  files: string[];
  /** The WAL could not be truncated because another connection was reading: its old pages go at its next checkpoint. */
  checkpointBusy: boolean;
}

/**
 * Forget: deletes every row of each session (deleteSessionRows, with secure_delete), its diagnostics, drift samples
 * and file cursors, writes its tombstone, merges the FTS segments (so no term of the deleted text survives in the
 * index), rewrites the file (scrubFreedPages: VACUUM) and truncates the WAL, so the text's bytes are gone from the
 * store file, its WAL and its shm. A session the store does not hold (yet) can be forgotten too: its tombstone keeps
 * it out.
 */
export function forgetSessions(t: DeleteTarget, ids: readonly string[], now = Date.now()): ForgetResult {
  const unique = [...new Set(ids)];
  const files = new Set<string>();
  let interactions = 0;
  withSecureDelete(t.db, () => {
    t.db.transaction(() => {
      for (const id of unique) {
        const own = ownFiles(t.db, id);
        const carriers = carrierFiles(t.db, id).filter((f) => !own.includes(f));
        writeTombstone(
          t.db,
          id,
          [...own.map((p) => ({ path: p, whole: true })), ...carriers.map((p) => ({ path: p, whole: false }))],
          now,
        );
        for (const f of [...own, ...carriers]) files.add(f);
        interactions += deleteSessionRows(t, id, true);
        const delDiag = t.db.prepare('DELETE FROM ingest_diagnostics WHERE path = ?');
        const delSamples = t.db.prepare('DELETE FROM format_drift_samples WHERE path = ?');
        const delCursor = t.db.prepare('DELETE FROM file_cursors WHERE path = ?');
        for (const f of own) {
          delDiag.run([f]);
          delSamples.run([f]);
          delCursor.run([f]);
        }
      }
    });
    purgeFtsLeftovers(t);
  });
  // secure_delete zeroed what these deletes freed, but earlier versions of the same rows (ingest upserts that
  // rewrote a tool call with its result) may still sit in free space: rewrite the file and truncate the WAL.
  const scrub = scrubFreedPages(t.db, t.fts);
  return { sessions: unique, interactions, files: [...files].sort(), checkpointBusy: !scrub.walTruncated };
}

/** Session ids whose project path matches the glob (as sync's excludeProjects: `**`, `*`, `?`, `{a,b}`). */
export function sessionsOfProject(db: SqlDriver, glob: string): string[] {
  const re = [globToRegExp(glob)];
  return db
    .prepare('SELECT session_id, project_path FROM sessions ORDER BY last_ts DESC, session_id')
    .values()
    .filter(([, p]) => isExcluded(p === null ? null : String(p), re))
    .map(([id]) => String(id));
}

/**
 * The session's own transcript files: the main file is `<id>.jsonl`, its subagents live under `<id>/subagents/`
 * (TRANSCRIPTS.md §1). Found among the cursors and the rows' source files, by name.
 */
function ownFiles(db: SqlDriver, id: string): string[] {
  const known = db
    .prepare(
      `SELECT path FROM file_cursors UNION SELECT source_file FROM interactions WHERE session_id = ? AND source_file IS NOT NULL
       UNION SELECT subagent_file FROM tool_calls WHERE session_id = ? AND subagent_file IS NOT NULL`,
    )
    .values([id, id])
    .map((r) => String(r[0]));
  return known.filter((p) => isOwnFile(p, id)).sort();
}

export function isOwnFile(file: string, sessionId: string): boolean {
  const norm = file.replace(/\\/g, '/');
  return path.posix.basename(norm) === `${sessionId}.jsonl` || norm.includes(`/${sessionId}/`);
}

/** Files that hold lines of this session (its own, or a fork's copies of them), from the rows' source files. */
function carrierFiles(db: SqlDriver, id: string): string[] {
  return db
    .prepare(
      `SELECT source_file FROM interactions WHERE (session_id = ? OR origin_session = ?) AND source_file IS NOT NULL
       UNION SELECT source_file FROM api_messages WHERE (session_id = ? OR origin_session = ?) AND source_file IS NOT NULL`,
    )
    .values([id, id, id, id])
    .map((r) => String(r[0]));
}
