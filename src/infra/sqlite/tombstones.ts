import type { IngestBatch } from '../../core/collector/rows';
import type { SqlDriver } from './driver';

// Tombstones (`forgotten_sessions`, `forgotten_files`, schema v9): what Forget leaves behind so a later scan does not
// bring a forgotten session back while its transcript is still on disk. Two guards: the collector skips the
// session's own files unread (by path, or by the session id their name carries), and the ingest writer drops any row
// of a forgotten session another file carries (a fork or resume copies history with `requestSessionId` pointing at
// the original), noting that file so Unforget can re-read it.

/** Forgotten session ids, and the paths of their own files (skipped whole by the scan). */
export interface Forgotten {
  sessions: ReadonlySet<string>;
  paths: ReadonlySet<string>;
}

export interface Tombstone {
  sessionId: string;
  forgottenAt: number;
  /** Its own transcript files (skipped whole), and files that carried copies of its lines. */
  files: string[];
}

export function readForgotten(db: SqlDriver): Forgotten {
  return {
    sessions: new Set(
      db
        .prepare('SELECT session_id FROM forgotten_sessions')
        .values()
        .map((r) => String(r[0])),
    ),
    paths: new Set(
      db
        .prepare('SELECT path FROM forgotten_files WHERE whole = 1')
        .values()
        .map((r) => String(r[0])),
    ),
  };
}

export function listTombstones(db: SqlDriver): Tombstone[] {
  const files = new Map<string, string[]>();
  for (const [path, sid] of db.prepare('SELECT path, session_id FROM forgotten_files ORDER BY path').values()) {
    const list = files.get(String(sid)) ?? [];
    list.push(String(path));
    files.set(String(sid), list);
  }
  return db
    .prepare('SELECT session_id, forgotten_at FROM forgotten_sessions ORDER BY forgotten_at, session_id')
    .values()
    .map(([sid, at]) => ({ sessionId: String(sid), forgottenAt: Number(at), files: files.get(String(sid)) ?? [] }));
}

export function writeTombstone(
  db: SqlDriver,
  sessionId: string,
  files: readonly { path: string; whole: boolean }[],
  now: number,
): void {
  db.prepare('INSERT OR REPLACE INTO forgotten_sessions (session_id, forgotten_at) VALUES (?, ?)').run([
    sessionId,
    now,
  ]);
  for (const f of files) noteTombstoneFile(db, sessionId, f.path, f.whole);
}

/** A file the tombstone names: `whole` = the session's own (skipped unread), else one that carried copies. */
export function noteTombstoneFile(db: SqlDriver, sessionId: string, path: string, whole: boolean): void {
  db.prepare(
    `INSERT INTO forgotten_files (path, session_id, whole) VALUES (?,?,?)
     ON CONFLICT(path, session_id) DO UPDATE SET whole = max(whole, excluded.whole)`,
  ).run([path, sessionId, whole ? 1 : 0]);
}

/**
 * Removes the tombstone and the cursors of every file it names, so the next scan reads them from the start and
 * ingests the session again. Returns the files whose cursors went (undefined when there was no tombstone).
 */
export function removeTombstone(db: SqlDriver, sessionId: string): string[] | undefined {
  return db.transaction(() => {
    if (!db.prepare('SELECT 1 AS x FROM forgotten_sessions WHERE session_id = ?').get([sessionId])) return undefined;
    const files = db
      .prepare('SELECT path FROM forgotten_files WHERE session_id = ?')
      .values([sessionId])
      .map((r) => String(r[0]));
    const delCursor = db.prepare('DELETE FROM file_cursors WHERE path = ?');
    for (const f of files) delCursor.run([f]);
    db.prepare('DELETE FROM forgotten_files WHERE session_id = ?').run([sessionId]);
    db.prepare('DELETE FROM forgotten_sessions WHERE session_id = ?').run([sessionId]);
    return files;
  });
}

/**
 * The batch without the rows of forgotten sessions (by the row's session or the session its line was copied from).
 * Returns the forgotten sessions it dropped rows of, so the writer can note the file that carried them.
 */
export function dropForgottenRows(batch: IngestBatch, forgotten: ReadonlySet<string>): Set<string> {
  const hit = new Set<string>();
  if (forgotten.size === 0) return hit;
  const gone = (r: { sessionId: string; originSession?: string }) => {
    const s = forgotten.has(r.sessionId)
      ? r.sessionId
      : r.originSession && forgotten.has(r.originSession)
        ? r.originSession
        : undefined;
    if (s) hit.add(s);
    return s !== undefined;
  };
  for (const id of [...batch.sessions.keys()]) {
    if (forgotten.has(id)) {
      batch.sessions.delete(id);
      hit.add(id);
    }
  }
  const droppedInteractions = new Set<string>();
  batch.prompts = batch.prompts.filter((p) => !(gone(p) && droppedInteractions.add(p.id)));
  batch.apiMessages = batch.apiMessages.filter((m) => !(gone(m) && droppedInteractions.add(m.interactionId)));
  batch.texts = batch.texts.filter((t) => !droppedInteractions.has(t.interactionId));
  batch.toolCalls = batch.toolCalls.filter((c) => !gone(c) && !droppedInteractions.has(c.interactionId));
  batch.toolResults = batch.toolResults.filter((r) => !gone(r));
  batch.findings = batch.findings.filter((f) => !gone(f));
  batch.compactions = batch.compactions.filter((c) => !gone(c));
  batch.clearStarts = batch.clearStarts.filter((c) => !gone(c));
  return hit;
}
