import type { SqlDriver, SqlValue } from './driver';
import { num, str } from './sqlValues';

// The Sessions view and `cct sessions --sort/--limit/--offset`: one page of sessions filtered, sorted and paged in
// SQL over sessions ⋈ session_stats (sessionStats.ts). Plans (EXPLAIN QUERY PLAN, 20,000 sessions): each sort walks
// its index (sessions_first_ts, sessions_duration, session_stats_cost, session_stats_tokens) and stops at the page.

export type SessionSortKey = 'time' | 'cost' | 'tokens' | 'duration';

export interface SessionsQueryFilter {
  /** Case-insensitive substring of the project path. */
  project?: string;
  /** Active in [sinceMs, untilMs): last activity ≥ since, first activity < until. */
  sinceMs?: number;
  untilMs?: number;
  /** A model the session used for at least one API message. */
  model?: string;
  status?: 'live' | 'ended';
  hasErrors?: boolean;
}

export interface SessionsQuery {
  filters: SessionsQueryFilter;
  sort: { by: SessionSortKey; dir: 'asc' | 'desc' };
  offset: number;
  limit: number;
  /** A session is live when it wrote in the last liveWindowMs before now, or is in liveIds (the live registry). */
  now: number;
  liveWindowMs: number;
  liveIds?: readonly string[];
}

export interface SessionListRow {
  sessionId: string;
  projectPath: string | null;
  title: string | null;
  gitBranch: string | null;
  cliVersion: string | null;
  entrypoint: string | null;
  firstPrompt: string | null;
  startMs: number | null;
  endMs: number | null;
  durationMs: number | null;
  claudeCostUsd: number | null;
  turns: number;
  apiMessages: number;
  tokens: { input: number; output: number; cacheWrite: number; cacheRead: number };
  costUsd: number | null;
  unpricedModels: string[];
  models: string[];
  toolCalls: number;
  errors: number;
  findings: number;
  live: boolean;
  sync: 'pending' | 'failed' | 'clean';
}

const ORDER: Record<SessionSortKey, string> = {
  time: 's.first_ts',
  duration: '(s.last_ts - s.first_ts)',
  cost: 'st.cost_usd',
  tokens: 'st.tokens',
};

const COLS = `s.session_id, s.project_path, s.title, s.git_branch, s.cli_version, s.entrypoint, st.first_prompt,
  s.first_ts, s.last_ts, s.claude_cost_usd, st.prompts, st.api_messages, st.input, st.output, st.cache_write,
  st.cache_read, st.cost_usd, st.unpriced, st.models, st.tool_calls, st.tool_errors, st.findings,
  EXISTS (SELECT 1 FROM sync_outbox o WHERE o.entity = 'session' AND o.entity_id = s.session_id) AS pending,
  EXISTS (SELECT 1 FROM sync_dead_letters d WHERE d.entity = 'session' AND d.entity_id = s.session_id) AS failed`;

/** The WHERE of a filter over `sessions s LEFT JOIN session_stats st` (shared with search). */
export function sessionFilterSql(
  f: SessionsQueryFilter,
  live: { now: number; liveWindowMs: number; liveIds?: readonly string[] },
): { where: string; params: SqlValue[] } {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (f.project) {
    where.push("instr(lower(coalesce(s.project_path, '')), lower(?)) > 0");
    params.push(f.project);
  }
  if (f.sinceMs !== undefined) {
    where.push('s.last_ts >= ?');
    params.push(f.sinceMs);
  }
  if (f.untilMs !== undefined) {
    where.push('s.first_ts < ?');
    params.push(f.untilMs);
  }
  if (f.model) {
    // api_messages_usage (session_id, model, …) answers this per session without touching the ledger rows.
    where.push('EXISTS (SELECT 1 FROM api_messages a WHERE a.session_id = s.session_id AND a.model = ?)');
    params.push(f.model);
  }
  if (f.hasErrors !== undefined) where.push(f.hasErrors ? 'st.tool_errors > 0' : 'coalesce(st.tool_errors, 0) = 0');
  if (f.status) {
    const ids = live.liveIds ?? [];
    const recent = `(s.last_ts >= ?${ids.length ? ` OR s.session_id IN (${ids.map(() => '?').join(',')})` : ''})`;
    where.push(f.status === 'live' ? recent : `NOT coalesce(${recent}, 0)`);
    params.push(live.now - live.liveWindowMs, ...ids);
  }
  return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

export function querySessions(db: SqlDriver, q: SessionsQuery): { rows: SessionListRow[]; total: number } {
  const { where, params } = sessionFilterSql(q.filters, q);
  const from = 'FROM sessions s LEFT JOIN session_stats st ON st.session_id = s.session_id';
  const total = Number(db.prepare(`SELECT count(*) AS n ${from} ${where}`).get(params)?.n ?? 0);
  const dir = q.sort.dir === 'asc' ? 'ASC' : 'DESC';
  // Unknown values (no cost: nothing priced; no time) go last whichever the direction, never read as $0.
  const order = `${ORDER[q.sort.by]} IS NULL, ${ORDER[q.sort.by]} ${dir}, s.session_id ${dir}`;
  const sql = `SELECT ${COLS} ${from} ${where} ORDER BY ${order} LIMIT ? OFFSET ?`;
  const liveSince = q.now - q.liveWindowMs;
  const liveIds = new Set(q.liveIds ?? []);
  const rows = db
    .prepare(sql)
    .values([...params, q.limit, q.offset])
    .map((r) => rowOf(r, liveSince, liveIds));
  return { rows, total };
}

/** Sessions whose id starts with `prefix` (the `cct` short ids and the quick pick), at most `limit`. */
export function sessionIdsByPrefix(db: SqlDriver, prefix: string, limit: number): string[] {
  return db
    .prepare('SELECT session_id FROM sessions WHERE session_id >= ? AND session_id < ? ORDER BY session_id LIMIT ?')
    .values([prefix, `${prefix}\uffff`, limit])
    .map((r) => String(r[0]));
}

/** One session's list row (the detail header builds on it); undefined when the id is unknown. */
export function sessionRow(
  db: SqlDriver,
  id: string,
  live: { now: number; liveWindowMs: number; liveIds?: readonly string[] },
): SessionListRow | undefined {
  const r = db
    .prepare(
      `SELECT ${COLS} FROM sessions s LEFT JOIN session_stats st ON st.session_id = s.session_id WHERE s.session_id = ?`,
    )
    .values([id])[0];
  return r ? rowOf(r, live.now - live.liveWindowMs, new Set(live.liveIds ?? [])) : undefined;
}

function jsonList(v: SqlValue): string[] {
  if (v === null) return [];
  try {
    const parsed: unknown = JSON.parse(String(v));
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

function rowOf(r: SqlValue[], liveSince: number, liveIds: ReadonlySet<string>): SessionListRow {
  const n = (v: SqlValue | undefined) => Number(v ?? 0);
  const id = String(r[0]);
  const first = num(r[7]);
  const last = num(r[8]);
  return {
    sessionId: id,
    projectPath: str(r[1]),
    title: str(r[2]),
    gitBranch: str(r[3]),
    cliVersion: str(r[4]),
    entrypoint: str(r[5]),
    firstPrompt: str(r[6]) ?? str(r[2]),
    startMs: first,
    endMs: last,
    durationMs: first !== null && last !== null ? Math.max(0, last - first) : null,
    claudeCostUsd: num(r[9]),
    turns: n(r[10]),
    apiMessages: n(r[11]),
    tokens: { input: n(r[12]), output: n(r[13]), cacheWrite: n(r[14]), cacheRead: n(r[15]) },
    costUsd: num(r[16]),
    unpricedModels: jsonList(r[17] ?? null),
    models: jsonList(r[18] ?? null),
    toolCalls: n(r[19]),
    errors: n(r[20]),
    findings: n(r[21]),
    live: (last !== null && last >= liveSince) || liveIds.has(id),
    sync: n(r[23]) ? 'failed' : n(r[22]) ? 'pending' : 'clean',
  };
}
