import type { SqlDriver } from './driver';

// The Status view: what the store knows about its own health (skipped lines per reason, unpriced models, the sync
// queue). Counts and codes only, never transcript text.

export interface SkippedByReason {
  reason: string;
  lines: number;
  files: number;
}

export function skippedByReason(db: SqlDriver): SkippedByReason[] {
  return db
    .prepare(
      'SELECT reason, sum(count) AS lines, count(*) AS files FROM ingest_diagnostics GROUP BY reason ORDER BY lines DESC, reason',
    )
    .all()
    .map((r) => ({ reason: String(r.reason), lines: Number(r.lines), files: Number(r.files) }));
}

/** Models with usage and no known price (from session_stats: as of the last refresh). */
export function unpricedModels(db: SqlDriver): string[] {
  return db
    .prepare('SELECT DISTINCT j.value FROM session_stats, json_each(session_stats.unpriced) j ORDER BY 1')
    .values()
    .map((r) => String(r[0]));
}

export interface SyncQueueStatus {
  pending: number;
  deadLetters: { entity: string; entityId: string; reason: string; attempts: number; failedAt: number }[];
}

export function syncQueueStatus(db: SqlDriver, deadLetterLimit = 100): SyncQueueStatus {
  return {
    pending: Number(db.prepare('SELECT count(*) AS n FROM sync_outbox').get()?.n ?? 0),
    deadLetters: db
      .prepare(
        'SELECT entity, entity_id, reason, attempts, failed_at FROM sync_dead_letters ORDER BY failed_at DESC LIMIT ?',
      )
      .all([deadLetterLimit])
      .map((r) => ({
        entity: String(r.entity),
        entityId: String(r.entity_id),
        reason: String(r.reason).slice(0, 500),
        attempts: Number(r.attempts),
        failedAt: Number(r.failed_at),
      })),
  };
}

export function schemaVersion(db: SqlDriver): number {
  return Number(db.prepare('PRAGMA user_version').get()?.user_version ?? 0);
}
