import type { LifecycleState, SessionStateChange } from '../../core/live/sessionLifecycle';
import type { SqlDriver } from './driver';
import { num, str } from './sqlValues';

// The recorded lifecycle of live sessions (table session_states, schema v9).

export interface RecordedState {
  state: LifecycleState;
  at: number;
  pid: number | null;
  reason: string | null;
}

/**
 * Records a state change. Idempotent: windows that see the same registry update record the same (session, at, state)
 * once; an `ended` is kept once per session whoever saw it first (their clocks differ).
 */
export function recordSessionState(db: SqlDriver, c: SessionStateChange): void {
  if (c.to === 'ended') {
    db.prepare(
      `INSERT OR IGNORE INTO session_states (session_id, state, at, pid, reason)
       SELECT ?, 'ended', ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM session_states WHERE session_id = ? AND state = 'ended')`,
    ).run([c.sessionId, Math.round(c.at), c.pid, c.reason ?? null, c.sessionId]);
    return;
  }
  db.prepare('INSERT OR IGNORE INTO session_states (session_id, state, at, pid, reason) VALUES (?, ?, ?, ?, ?)').run([
    c.sessionId,
    c.to,
    Math.round(c.at),
    c.pid,
    c.reason ?? null,
  ]);
}

/** A session's recorded states, oldest first. */
export function sessionStates(db: SqlDriver, sessionId: string): RecordedState[] {
  return db
    .prepare('SELECT state, at, pid, reason FROM session_states WHERE session_id = ? ORDER BY at, state')
    .values([sessionId])
    .map((r) => ({ state: String(r[0]) as LifecycleState, at: num(r[1]) ?? 0, pid: num(r[2]), reason: str(r[3]) }));
}
