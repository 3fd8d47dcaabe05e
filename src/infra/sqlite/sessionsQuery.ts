import type { SessionStatsRow } from '../../core/sessions/pagedSessions';
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
  /** Exact repository: the masked remote URL, else the repository root (session_git). */
  repository?: string;
  /** Exact branch of the session's git context. */
  branch?: string;
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

/** core's SessionStatsRow (what `cct sessions` shapes) plus what the Sessions view shows besides. */
export interface SessionListRow extends SessionStatsRow {
  firstPrompt: string | null;
  durationMs: number | null;
  toolCalls: number;
  errors: number;
  findings: number;
  sync: 'pending' | 'failed' | 'clean';
}

/** Each key with the session_id of its own table: the ORDER BY must match its index (migration v9) to walk it. */
const ORDER: Record<SessionSortKey, { key: string; id: string; nullable: boolean }> = {
  time: { key: 's.first_ts', id: 's.session_id', nullable: true },
  duration: { key: '(s.last_ts - s.first_ts)', id: 's.session_id', nullable: true },
  cost: { key: 'st.cost_usd', id: 'st.session_id', nullable: true },
  tokens: { key: 'st.tokens', id: 'st.session_id', nullable: false },
};

/**
 * Unknown values (no cost: nothing priced; no time) last in both directions, ties by session id. Ascending walks the
 * `(key IS NULL), key, id` index forwards; descending walks `(key IS NOT NULL), key, id` backwards.
 */
function orderBy(by: SessionSortKey, dir: 'asc' | 'desc'): string {
  const { key, id, nullable } = ORDER[by];
  if (!nullable) return dir === 'asc' ? `${key}, ${id}` : `${key} DESC, ${id} DESC`;
  return dir === 'asc' ? `(${key} IS NULL), ${key}, ${id}` : `(${key} IS NOT NULL) DESC, ${key} DESC, ${id} DESC`;
}

const COLS = `s.session_id, s.project_path, s.title, s.git_branch, s.cli_version, s.entrypoint, st.first_prompt,
  s.first_ts, s.last_ts, coalesce(s.claude_cost_usd, st.legacy_cost_usd), st.prompts, st.api_messages, st.input, st.output, st.cache_write,
  st.cache_read, st.cost_usd, st.unpriced, st.models, st.tool_calls, st.tool_errors, st.findings,
  EXISTS (SELECT 1 FROM sync_outbox o WHERE o.entity = 'session' AND o.entity_id = s.session_id) AS pending,
  EXISTS (SELECT 1 FROM sync_dead_letters d WHERE d.entity = 'session' AND d.entity_id = s.session_id) AS failed,
  st.cache_5m, st.cache_1h`;

/** The WHERE of a filter over `sessions s` joined with `session_stats st` (shared with search). */
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
  if (f.repository !== undefined || f.branch !== undefined) {
    // IN (…) so the subquery walks session_git_repository / session_git_branch (migration v14), not every session.
    const git: string[] = [];
    if (f.repository !== undefined) {
      git.push('coalesce(g.remote_url, g.repo_root) = ?');
      params.push(f.repository);
    }
    if (f.branch !== undefined) {
      git.push('g.branch = ?');
      params.push(f.branch);
    }
    where.push(`s.session_id IN (SELECT g.session_id FROM session_git g WHERE ${git.join(' AND ')})`);
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

/**
 * Sessions with their stats (every session has a row once the scan that wrote it has refreshed them). Two steps: the
 * page's ids (a narrow index walk, or a sort of ids only), then the wide rows of those ids alone — a sort carrying
 * every column (and the sync-state lookups) for all 20,000 sessions was 5–10× slower.
 */
const FROM = 'FROM session_stats st JOIN sessions s ON s.session_id = st.session_id';

export function querySessions(db: SqlDriver, q: SessionsQuery): { rows: SessionListRow[]; total: number } {
  const { where, params } = sessionFilterSql(q.filters, q);
  const total = Number(db.prepare(`SELECT count(*) AS n ${FROM} ${where}`).get(params)?.n ?? 0);
  const ids = db
    .prepare(`SELECT s.session_id ${FROM} ${where} ORDER BY ${orderBy(q.sort.by, q.sort.dir)} LIMIT ? OFFSET ?`)
    .values([...params, q.limit, q.offset])
    .map((r) => String(r[0]));
  if (ids.length === 0) return { rows: [], total };
  const liveSince = q.now - q.liveWindowMs;
  const liveIds = new Set(q.liveIds ?? []);
  const byId = new Map<string, SessionListRow>();
  for (const r of db
    .prepare(`SELECT ${COLS} ${FROM} WHERE s.session_id IN (${ids.map(() => '?').join(',')})`)
    .values(ids))
    byId.set(String(r[0]), rowOf(r, liveSince, liveIds));
  return { rows: ids.flatMap((id) => byId.get(id) ?? []), total };
}

/** The query plan of a page (for the tests and the benchmark: the sorts must walk their index). */
export function explainSessionsPage(db: SqlDriver, q: SessionsQuery): string[] {
  const { where, params } = sessionFilterSql(q.filters, q);
  return db
    .prepare(
      `EXPLAIN QUERY PLAN SELECT s.session_id ${FROM} ${where} ORDER BY ${orderBy(q.sort.by, q.sort.dir)} LIMIT ? OFFSET ?`,
    )
    .all([...params, q.limit, q.offset])
    .map((r) => String(r.detail));
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
    cache5m: n(r[24]),
    cache1h: n(r[25]),
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
