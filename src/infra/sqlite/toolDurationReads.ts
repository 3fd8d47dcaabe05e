import { existsSync } from 'node:fs';
import { type UsualDurations, usualDurations } from '../../core/live/toolStall';
import type { SqlDriver } from './driver';
import { loadNodeSqlite } from './nodeSqliteDriver';

/** The newest finished tool calls (name, ms from call to result) since `sinceMs`, at most `limit`. */
export const TOOL_DURATIONS_SQL = `
SELECT name, result_ts - ts AS duration_ms FROM tool_calls
WHERE ts >= ? AND name IS NOT NULL AND result_ts IS NOT NULL AND result_ts >= ts
ORDER BY ts DESC LIMIT ?`;

export interface ToolDurationQuery {
  sinceMs: number;
  limit: number;
}

export function readToolDurations(db: Pick<SqlDriver, 'prepare'>, q: ToolDurationQuery): UsualDurations {
  const rows = db.prepare(TOOL_DURATIONS_SQL).all([q.sinceMs, q.limit]);
  return usualDurations(rows.map((r) => ({ name: String(r.name), durationMs: Number(r.duration_ms) })));
}

/**
 * The same from the extension host: a short read-only connection (never waits on a scan's lock for long, never
 * migrates). Undefined where the store or node:sqlite is missing: the stalled rule then uses its fixed allowance.
 */
export function readToolDurationsFromFile(file: string, q: ToolDurationQuery): UsualDurations | undefined {
  if (!existsSync(file)) return undefined;
  const mod = loadNodeSqlite();
  if (!mod) return undefined;
  const db = new mod.DatabaseSync(file, { readOnly: true, timeout: 200 });
  try {
    const rows = db.prepare(TOOL_DURATIONS_SQL).all(q.sinceMs, q.limit) as { name: unknown; duration_ms: unknown }[];
    return usualDurations(rows.map((r) => ({ name: String(r.name), durationMs: Number(r.duration_ms) })));
  } finally {
    db.close();
  }
}
