import type { SqlDriver } from './driver';
import * as Q from './queries';

// The sync queue as stored: `sync_outbox` (one pending row per entity; its `enqueued_at` is the entity's version,
// bumped on every re-enqueue, queries.ENQUEUE) and `sync_dead_letters` (what the server refused, with its reason).
// The ingest writer enqueues in the same transaction as the rows; SqliteOutbox drains through these operations.

/** A session counts as active while it wrote something in the last few minutes (same rule as `cct sessions`). */
export const ACTIVE_MS = 5 * 60_000;

/** A queued entity as read for sending: `version` is its enqueued_at then. */
export interface PendingEntry {
  seq: number;
  entityId: string;
  version: number;
  attempts: number;
}

export interface QueuedEntity {
  seq: number;
  entity: string;
  entityId: string;
}

/** Every pending entry in queue order, whatever its kind or back-off (what the ingest queued). */
export function pendingOutbox(db: SqlDriver, limit: number): QueuedEntity[] {
  return db
    .prepare('SELECT seq, entity, entity_id FROM sync_outbox ORDER BY seq LIMIT ?')
    .all([limit])
    .map((r) => ({ seq: Number(r.seq), entity: String(r.entity), entityId: String(r.entity_id) }));
}

/** Removes entries whatever their version. */
export function ackOutbox(db: SqlDriver, seqs: readonly number[]): void {
  db.transaction(() => {
    const st = db.prepare('DELETE FROM sync_outbox WHERE seq = ?');
    for (const s of seqs) st.run([s]);
  });
}

/** Up to `limit` entries of `kind` ready at `now` (not_before ≤ now), oldest first. */
export function readyEntries(db: SqlDriver, kind: string, now: number, limit: number): PendingEntry[] {
  return db
    .prepare(
      'SELECT seq, entity_id, enqueued_at, attempts FROM sync_outbox WHERE entity = ? AND not_before <= ? ORDER BY seq LIMIT ?',
    )
    .all([kind, now, limit])
    .map(
      (r): PendingEntry => ({
        seq: Number(r.seq),
        entityId: String(r.entity_id),
        version: Number(r.enqueued_at),
        attempts: Number(r.attempts),
      }),
    );
}

/** Deletes each entry if it still holds `version` (unconditionally when the version is unknown). */
export function removeIfVersion(db: SqlDriver, rows: readonly { seq: number; version: number | undefined }[]): void {
  const byVersion = db.prepare('DELETE FROM sync_outbox WHERE seq = ? AND enqueued_at = ?');
  const bySeq = db.prepare('DELETE FROM sync_outbox WHERE seq = ?');
  for (const r of rows) {
    if (r.version === undefined) bySeq.run([r.seq]);
    else byVersion.run([r.seq, r.version]);
  }
}

/** The interactions among these entries, read from the queue (for entries this process did not hand out). */
export function interactionIdsQueued(db: SqlDriver, seqs: readonly number[]): string[] {
  return db
    .prepare(
      "SELECT entity_id FROM sync_outbox WHERE seq IN (SELECT value FROM json_each(?)) AND +entity = 'interaction'",
    ) // by seq, not the entity index
    .all([JSON.stringify(seqs)])
    .map((r) => String(r.entity_id));
}

/** Delivered after all: an older refusal of the same entities no longer applies (call in the ack's transaction). */
export function clearDeadLettersOf(db: SqlDriver, seqs: readonly number[]): void {
  if (!db.prepare('SELECT 1 AS x FROM sync_dead_letters LIMIT 1').get()) return;
  const clearDead = db.prepare(
    'DELETE FROM sync_dead_letters WHERE (entity, entity_id) IN (SELECT entity, entity_id FROM sync_outbox WHERE seq = ?)',
  );
  for (const seq of seqs) clearDead.run([seq]);
}

/** Keeps the entries for a later attempt: attempts + 1, not before `notBefore`, with the reason. */
export function postpone(db: SqlDriver, seqs: readonly number[], notBefore: number, reason: string): void {
  db.transaction(() => {
    const st = db.prepare(
      'UPDATE sync_outbox SET attempts = attempts + 1, not_before = ?, last_error = ? WHERE seq = ?',
    );
    for (const seq of seqs) st.run([Math.max(0, Math.floor(notBefore)), reason.slice(0, 1000), seq]);
  });
}

/**
 * Records the server's refusal of these entries as dead letters (one per entity, the latest wins) and removes each
 * entry unless a newer version was enqueued since `versionOf` (that one gets its own chance). Returns the seqs removed.
 */
export function moveToDeadLetters(
  db: SqlDriver,
  seqs: readonly number[],
  reason: string,
  at: number,
  versionOf: (seq: number) => number | undefined,
): number[] {
  const removed: number[] = [];
  db.transaction(() => {
    const get = db.prepare('SELECT seq, entity, entity_id, enqueued_at, attempts FROM sync_outbox WHERE seq = ?');
    const drop = db.prepare('DELETE FROM sync_dead_letters WHERE entity = ? AND entity_id = ?');
    const ins = db.prepare(
      'INSERT OR REPLACE INTO sync_dead_letters (seq, entity, entity_id, reason, attempts, failed_at) VALUES (?,?,?,?,?,?)',
    );
    for (const seq of seqs) {
      const r = get.get([seq]);
      if (!r) continue;
      const expected = versionOf(seq);
      const [entity, entityId] = [String(r.entity), String(r.entity_id)];
      drop.run([entity, entityId]);
      ins.run([seq, entity, entityId, reason.slice(0, 1000), Number(r.attempts), at]);
      if (expected !== undefined && Number(r.enqueued_at) !== expected) continue;
      db.prepare('DELETE FROM sync_outbox WHERE seq = ?').run([seq]);
      removed.push(seq);
    }
  });
  return removed;
}

/** Queues the session again if the store knows it; false when it does not. */
export function enqueueKnownSession(db: SqlDriver, sessionId: string): boolean {
  const known = db.prepare('SELECT 1 AS x FROM sessions WHERE session_id = ?').get([sessionId]);
  if (!known) return false;
  db.prepare(Q.ENQUEUE).run(['session', sessionId, Date.now()]);
  return true;
}

export function outboxStats(db: SqlDriver): { pending: number; deadLetters: number } {
  const n = (sql: string) => Number(db.prepare(sql).get()?.n ?? 0);
  return {
    pending: n('SELECT count(*) AS n FROM sync_outbox'),
    deadLetters: n('SELECT count(*) AS n FROM sync_dead_letters'),
  };
}

export interface DeadLetter {
  seq: number;
  entity: string;
  entityId: string;
  reason: string;
  attempts: number;
  failedAt: number;
}

/** Refused entries with the server's reason, newest first. */
export function deadLetters(db: SqlDriver, limit: number): DeadLetter[] {
  return db
    .prepare('SELECT * FROM sync_dead_letters ORDER BY failed_at DESC, seq DESC LIMIT ?')
    .all([limit])
    .map((r) => ({
      seq: Number(r.seq),
      entity: String(r.entity),
      entityId: String(r.entity_id),
      reason: String(r.reason),
      attempts: Number(r.attempts),
      failedAt: Number(r.failed_at),
    }));
}

/** Puts every dead-lettered entity back in the queue; returns how many. */
export function requeueDeadLetters(db: SqlDriver): number {
  return db.transaction(() => {
    const rows = db.prepare('SELECT entity, entity_id FROM sync_dead_letters').all();
    const enq = db.prepare(Q.ENQUEUE);
    const now = Date.now();
    for (const r of rows) enq.run([r.entity as string, r.entity_id as string, now]);
    db.prepare('DELETE FROM sync_dead_letters').run();
    return rows.length;
  });
}

/**
 * Queues every session that went idle since the last check (its server row still says 'active'; sent again it reads
 * 'completed'). The check time persists in meta, so sessions that went idle while nothing ran are caught too.
 * Returns how many were queued, or undefined when no check was due (the first call only records the time).
 */
export function requeueGoneIdle(db: SqlDriver, now: number): number | undefined {
  const stored = db.prepare("SELECT value FROM meta WHERE key = 'sync_idle_checked_at'").get()?.value;
  const setChecked = (at: number) =>
    db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('sync_idle_checked_at', ?)").run([String(at)]);
  if (stored === undefined || stored === null) {
    setChecked(now); // a store migrated without the key: start watching from now
    return undefined;
  }
  const checked = Number(stored);
  if (now - checked < 1000) return undefined;
  return db.transaction(() => {
    const ids = db
      .prepare('SELECT session_id FROM sessions WHERE last_ts > ? AND last_ts <= ?')
      .all([checked - ACTIVE_MS, now - ACTIVE_MS])
      .map((r) => String(r.session_id));
    const enq = db.prepare(Q.ENQUEUE);
    for (const id of ids) enq.run(['session', id, now]);
    setChecked(now);
    return ids.length;
  });
}
