import * as z from 'zod';
import { modeRank, type SendMode } from '../../core/sync/rows';
import type { SqlDriver, SqlValue } from './driver';
import * as Q from './queries';

/**
 * Re-sending after a switch to a sync mode that sends more (metadata → full; OutboxPort.requeueForMode). Two meta
 * keys, so it survives restarts and works across connections (the extension and `cct sync push --mode` may drain
 * one store in different modes):
 *  - `sync_sent_mode`: the least mode rows were acknowledged in since the last re-send started (noteSentMode);
 *  - `sync_resend`: a running re-send: its mode and the last key examined, sessions first, then interactions.
 * Walking keys in order with a cursor keeps each step a short transaction on a big store, and ingest can run between
 * steps; rows acknowledged in a lesser mode meanwhile restart the walk from the beginning.
 */
const SENT_KEY = 'sync_sent_mode';
const CURSOR_KEY = 'sync_resend';

const SendModeSchema = z.enum(['metadata', 'full']);
const CursorSchema = z.object({ mode: SendModeSchema, kind: z.enum(['session', 'interaction']), after: z.string() });
type Cursor = z.infer<typeof CursorSchema>;

const NEXT_SESSIONS = 'SELECT session_id AS id, project_path FROM sessions WHERE session_id > ? ORDER BY session_id LIMIT ?';
const NEXT_INTERACTIONS = `SELECT i.id, s.project_path FROM interactions i LEFT JOIN sessions s ON s.session_id = i.session_id
  WHERE i.id > ? ORDER BY i.id LIMIT ?`;

/** Rows were acknowledged as sent in `sentAs`: remember the least such mode (call inside the ack's transaction). */
export function noteSentMode(db: SqlDriver, sentAs: SendMode): void {
  const current = readSent(db);
  if (current === undefined || modeRank(sentAs) < modeRank(current)) setMeta(db, SENT_KEY, sentAs);
}

/** One bounded step of the re-send `mode` calls for, if any (see OutboxPort.requeueForMode). */
export function requeueForMode(
  db: SqlDriver,
  mode: SendMode,
  limit: number,
  excluded: (projectPath: string | null) => boolean,
): { queued: number; more: boolean } {
  const lesser = (sent: SendMode | undefined) => sent !== undefined && modeRank(sent) < modeRank(mode);
  // none running, or paused while a lesser mode is on (what it sends is noted and restarts the walk later)
  const idle = (c: Cursor | undefined) => !c || modeRank(mode) < modeRank(c.mode);
  // the usual answer, nothing to do, comes from reads alone: no write lock (the scan worker may hold it a while)
  if (!lesser(readSent(db)) && idle(readCursor(db, mode))) return { queued: 0, more: false };
  return db.transaction(() => {
    let cursor = readCursor(db, mode);
    if (lesser(readSent(db))) {
      cursor = { mode, kind: 'session', after: '' };
      deleteMeta(db, SENT_KEY);
    }
    if (!cursor || idle(cursor)) return { queued: 0, more: false };
    const step = Math.max(1, Math.floor(limit));
    const rows = db.prepare(cursor.kind === 'session' ? NEXT_SESSIONS : NEXT_INTERACTIONS).all([cursor.after, step]);
    // a row still pending is built in the current mode when it is sent: leave its version alone
    const enqueue = db.prepare(Q.ENQUEUE_IF_ABSENT);
    const now = Date.now();
    let queued = 0;
    for (const r of rows) if (!excluded(str(r.project_path))) queued += enqueue.run([cursor.kind, String(r.id), now]).changes;
    if (rows.length === step) cursor = { ...cursor, after: String(rows.at(-1)!.id) };
    else if (cursor.kind === 'session') cursor = { mode: cursor.mode, kind: 'interaction', after: '' };
    else cursor = undefined;
    if (cursor) setMeta(db, CURSOR_KEY, JSON.stringify(cursor));
    else deleteMeta(db, CURSOR_KEY);
    return { queued, more: cursor !== undefined };
  });
}

function readSent(db: SqlDriver): SendMode | undefined {
  const v = getMeta(db, SENT_KEY);
  if (v === undefined) return undefined;
  const r = SendModeSchema.safeParse(v);
  return r.success ? r.data : 'metadata'; // unreadable: assume the least, a re-send is only extra traffic
}

function readCursor(db: SqlDriver, mode: SendMode): Cursor | undefined {
  const v = getMeta(db, CURSOR_KEY);
  if (v === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(v);
  } catch {
    json = undefined;
  }
  const r = CursorSchema.safeParse(json);
  return r.success ? r.data : { mode, kind: 'session', after: '' }; // unreadable: walk again from the start
}

function getMeta(db: SqlDriver, key: string): string | undefined {
  const v = db.prepare('SELECT value FROM meta WHERE key = ?').get([key])?.value;
  return v === undefined || v === null ? undefined : String(v);
}
function setMeta(db: SqlDriver, key: string, value: string): void {
  db.prepare('INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)').run([key, value]);
}
function deleteMeta(db: SqlDriver, key: string): void {
  db.prepare('DELETE FROM meta WHERE key = ?').run([key]);
}
function str(v: SqlValue | undefined): string | null {
  return v === null || v === undefined ? null : String(v);
}
