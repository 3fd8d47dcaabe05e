import type { SqlDriver } from './driver';

// The reads behind a scan's report (`cct scan`, the status bar): what the store holds, and what was skipped.

export interface StoreCounts {
  sessions: number;
  interactions: number;
  apiMessages: number;
  /** Calls with a name (a result line alone does not make a call). */
  toolCalls: number;
  texts: number;
}

export interface DiagnosticCount {
  path: string;
  reason: string;
  count: number;
}

export function counts(db: SqlDriver): StoreCounts {
  const c = (t: string, where = '') => Number(db.prepare(`SELECT count(*) AS n FROM ${t} ${where}`).get()?.n ?? 0);
  return {
    sessions: c('sessions'),
    interactions: c('interactions'),
    apiMessages: c('api_messages'),
    toolCalls: c('tool_calls', 'WHERE name IS NOT NULL'),
    texts: c('texts'),
  };
}

/** Lines skipped per file and reason, as the ingest counted them. */
export function diagnostics(db: SqlDriver): DiagnosticCount[] {
  return db
    .prepare('SELECT path, reason, count FROM ingest_diagnostics ORDER BY path, reason')
    .all()
    .map((r) => ({ path: String(r.path), reason: String(r.reason), count: Number(r.count) }));
}
