import { parseRow, promptTuple, sessionTuple, toolCallTuple, usageTuple } from '../../core/analytics/rowSchemas';
import type { AnalyticsRows, PromptRow, SessionMeta, ToolCallRow, UsageRow } from '../../core/analytics/rows';
import type { SqlDriver, SqlValue } from './driver';

export interface AnalyticsFilter {
  /** Rows at or after this instant (ms). */
  sinceMs?: number;
  /** Rows before this instant (ms). */
  untilMs?: number;
  /** Sessions whose project path contains this (case-insensitive), as `cct sessions --project`. */
  project?: string;
}

/**
 * The rows analytics computes over, read from the store and validated (core/analytics/rowSchemas.ts). Ledger rows
 * without a timestamp belong to no day or block and are left out. Read-only: takes the store's driver (Store.db).
 */
export function readAnalyticsRows(db: SqlDriver, filter: AnalyticsFilter = {}): AnalyticsRows {
  const projectSql =
    "session_id IN (SELECT session_id FROM sessions WHERE instr(lower(coalesce(project_path, '')), lower(?)) > 0)";
  const where = (tsCol: string, requireTs: boolean) => {
    const w: string[] = [];
    const p: SqlValue[] = [];
    if (requireTs || filter.sinceMs !== undefined || filter.untilMs !== undefined) w.push(`${tsCol} IS NOT NULL`);
    if (filter.sinceMs !== undefined) {
      w.push(`${tsCol} >= ?`);
      p.push(filter.sinceMs);
    }
    if (filter.untilMs !== undefined) {
      w.push(`${tsCol} < ?`);
      p.push(filter.untilMs);
    }
    if (filter.project) {
      w.push(projectSql);
      p.push(filter.project);
    }
    return { sql: w.length ? ` AND ${w.join(' AND ')}` : '', params: p };
  };

  const u = where('ts', true);
  const usage: UsageRow[] = db
    .prepare(
      `SELECT session_id, ts, model, speed, input, output, cache_5m, cache_1h, cache_creation, cache_read, is_sidechain
       FROM api_messages WHERE 1 = 1${u.sql}`,
    )
    .values(u.params)
    .map((r, i) => {
      const [sessionId, ts, model, speed, input, output, cache5m, cache1h, cacheCreation, cacheRead, sc] = parseRow(
        usageTuple,
        r,
        'api_messages',
        i,
      );
      return {
        sessionId,
        ts,
        model,
        speed,
        input,
        output,
        cache5m,
        cache1h,
        cacheCreation,
        cacheRead,
        isSidechain: sc === 1,
      };
    });

  const pw = where('ts', false);
  const prompts: PromptRow[] = db
    .prepare(`SELECT session_id, ts FROM interactions WHERE kind = 'prompt' AND is_sidechain = 0${pw.sql}`)
    .values(pw.params)
    .map((r, i) => {
      const [sessionId, ts] = parseRow(promptTuple, r, 'interactions', i);
      return { sessionId, ts };
    });

  const tw = where('ts', false);
  const toolCalls: ToolCallRow[] = db
    .prepare(
      `SELECT id, session_id, name, input_json, ts, is_error, is_sidechain FROM tool_calls
       WHERE name IS NOT NULL AND session_id IS NOT NULL${tw.sql}`,
    )
    .values(tw.params)
    .map((r, i) => {
      const [id, sessionId, name, inputJson, ts, isError, sc] = parseRow(toolCallTuple, r, 'tool_calls', i);
      return {
        id,
        sessionId,
        name,
        inputJson,
        ts,
        isError: isError === null ? null : isError === 1,
        isSidechain: sc === 1,
      };
    });

  const sp: SqlValue[] = [];
  let sw = '';
  if (filter.project) {
    sw = " WHERE instr(lower(coalesce(project_path, '')), lower(?)) > 0";
    sp.push(filter.project);
  }
  const sessions: SessionMeta[] = db
    .prepare(
      `SELECT session_id, project_path, entrypoint, first_ts, last_ts, title FROM sessions${sw} ORDER BY session_id`,
    )
    .values(sp)
    .map((r, i) => {
      const [sessionId, projectPath, entrypoint, firstTs, lastTs, title] = parseRow(sessionTuple, r, 'sessions', i);
      return { sessionId, projectPath, entrypoint, firstTs, lastTs, title };
    });

  return { sessions, usage, prompts, toolCalls };
}
