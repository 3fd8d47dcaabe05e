import type { ClearStartRow } from '../../core/collector/rows';
import type { SqlDriver } from './driver';

// `/clear` starts a new session (new id, new file) whose first lines are the clear command; nothing in it names the
// session it cleared. That one is taken to be the session of the same folder whose last activity is the latest at or
// before the clear (the same terminal was idle in between): a guess the relation's name says (clearedFrom/Into).

export function writeClearStarts(db: SqlDriver, rows: readonly ClearStartRow[]): void {
  if (rows.length === 0) return;
  const up = db.prepare(
    `INSERT INTO session_clears (session_id, ts) VALUES (?, ?)
     ON CONFLICT(session_id) DO UPDATE SET ts = CASE WHEN session_clears.ts IS NULL OR excluded.ts < session_clears.ts
                                                     THEN excluded.ts ELSE session_clears.ts END`,
  );
  for (const r of rows) up.run([r.sessionId, r.ts ?? null]);
}

/** The session a /clear-started session cleared: same folder, last activity latest at or before the clear. */
function clearedFrom(db: SqlDriver, sessionId: string): string | undefined {
  const r = db
    .prepare(
      `SELECT p.session_id FROM session_clears c JOIN sessions me ON me.session_id = c.session_id
       JOIN sessions p ON p.project_path = me.project_path AND p.session_id <> me.session_id
       WHERE c.session_id = ? AND c.ts IS NOT NULL AND p.last_ts <= c.ts
       ORDER BY p.last_ts DESC, p.session_id LIMIT 1`,
    )
    .get([sessionId]);
  return r ? String(r.session_id) : undefined;
}

/** The sessions linked to this one by /clear: the one it cleared, and the one that cleared it. */
export function clearLinksOf(
  db: SqlDriver,
  sessionId: string,
): { sessionId: string; relation: 'clearedFrom' | 'clearedInto' }[] {
  const out: { sessionId: string; relation: 'clearedFrom' | 'clearedInto' }[] = [];
  const from = clearedFrom(db, sessionId);
  if (from) out.push({ sessionId: from, relation: 'clearedFrom' });
  // The first /clear in this folder after this session's last activity, if this is the session it cleared.
  const next = db
    .prepare(
      `SELECT c.session_id FROM sessions me JOIN sessions n ON n.project_path = me.project_path
       JOIN session_clears c ON c.session_id = n.session_id
       WHERE me.session_id = ? AND n.session_id <> me.session_id AND c.ts >= me.last_ts
       ORDER BY c.ts, c.session_id LIMIT 1`,
    )
    .get([sessionId]);
  if (next && clearedFrom(db, String(next.session_id)) === sessionId)
    out.push({ sessionId: String(next.session_id), relation: 'clearedInto' });
  return out;
}
