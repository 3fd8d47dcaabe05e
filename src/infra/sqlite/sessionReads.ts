import type { Masked } from '../../core/privacy/masker';
import type { SessionRecord } from '../../core/sessions/listSessions';
import type { SqlDriver, SqlValue } from './driver';
import { num, str } from './sqlValues';

// The reads of the session list (`cct sessions`, listSessions): sessions and their per-session counts.

const SESSION_COLS =
  'session_id, project_path, git_branch, cli_version, entrypoint, first_ts, last_ts, title, claude_cost_usd';

export function sessions(db: SqlDriver, filter: { sinceMs?: number; project?: string } = {}): SessionRecord[] {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filter.sinceMs !== undefined) {
    where.push('last_ts >= ?');
    params.push(filter.sinceMs);
  }
  if (filter.project) {
    where.push("instr(lower(coalesce(project_path, '')), lower(?)) > 0");
    params.push(filter.project);
  }
  const sql = `SELECT ${SESSION_COLS} FROM sessions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY first_ts, session_id`;
  return db.prepare(sql).values(params).map(sessionRecordOf);
}

export function session(db: SqlDriver, id: string): SessionRecord | undefined {
  const r = db.prepare(`SELECT ${SESSION_COLS} FROM sessions WHERE session_id = ?`).values([id])[0];
  return r ? sessionRecordOf(r) : undefined;
}

/** Real user prompts per session (sidechain prompts are subagent instructions, not the user's). */
export function promptCounts(db: SqlDriver): Map<string, number> {
  const m = new Map<string, number>();
  for (const [sid, n] of db
    .prepare(
      "SELECT session_id, count(*) AS n FROM interactions WHERE kind = 'prompt' AND is_sidechain = 0 GROUP BY session_id",
    )
    .values()) {
    m.set(String(sid), Number(n));
  }
  return m;
}

export function toolCounts(db: SqlDriver): Map<string, Record<string, number>> {
  const m = new Map<string, Record<string, number>>();
  // One row per session with its counts as a JSON object (integers only, so exact): a tenth of the rows of
  // one per (session, tool), and JSON.parse builds the object faster than setting its keys one by one.
  const sql = `SELECT session_id, json_group_object(name, n) FROM
    (SELECT session_id, name, count(*) AS n FROM tool_calls WHERE name IS NOT NULL GROUP BY session_id, name ORDER BY session_id, name)
    GROUP BY session_id`;
  for (const [sid, counts] of db.prepare(sql).values())
    m.set(String(sid), JSON.parse(String(counts)) as Record<string, number>);
  return m;
}

/** Tool calls per name for these sessions only (a page of the list). */
export function toolCountsFor(db: SqlDriver, ids: readonly string[]): Map<string, Record<string, number>> {
  const m = new Map<string, Record<string, number>>();
  if (ids.length === 0) return m;
  const sql = `SELECT session_id, json_group_object(name, n) FROM
    (SELECT session_id, name, count(*) AS n FROM tool_calls WHERE name IS NOT NULL AND session_id IN (${ids.map(() => '?').join(',')})
     GROUP BY session_id, name ORDER BY session_id, name)
    GROUP BY session_id`;
  for (const [sid, counts] of db.prepare(sql).values(ids))
    m.set(String(sid), JSON.parse(String(counts)) as Record<string, number>);
  return m;
}

/** Finding counts per category for a session (never values). */
export function privacyStatus(db: SqlDriver, sessionId: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of db
    .prepare('SELECT category, sum(count) AS n FROM privacy_findings WHERE session_id = ? GROUP BY category')
    .all([sessionId])) {
    out[String(r.category)] = Number(r.n);
  }
  return out;
}

/** A row of `SELECT ${SESSION_COLS}` as values. */
function sessionRecordOf(r: SqlValue[]): SessionRecord {
  return {
    sessionId: String(r[0]),
    projectPath: str(r[1]) as Masked | null,
    gitBranch: str(r[2]) as Masked | null,
    cliVersion: str(r[3]),
    entrypoint: str(r[4]),
    firstTs: num(r[5]),
    lastTs: num(r[6]),
    title: str(r[7]) as Masked | null,
    claudeCostUsd: num(r[8]),
  };
}
