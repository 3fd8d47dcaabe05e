/**
 * Write statements. Every write is an upsert on a natural key, so re-reading any line (crash + rerun,
 * truncation, rebuild) converges to the same rows.
 *
 * Fork attribution (REATTR): a fork copies history with the same ids into a new session, marking copies with
 * requestSessionId = the original. A row first seen as a copy moves to its original session when the original
 * line shows up; a row first seen in a sidechain moves to the main-thread copy. Otherwise first seen wins. An
 * interaction that changes session records the one it left (moved_from), whose synced totals must be sent again.
 */
const reattr = (t: string) =>
  `((${t}.session_id <> ${t}.origin_session AND excluded.session_id = excluded.origin_session) OR (${t}.is_sidechain = 1 AND excluded.is_sidechain = 0))`;

/**
 * A session row is created only by facts that carry a first time, which only user and assistant records give
 * (Normalizer.touch): titles, legacy summaries, Claude's cost-state and system records describe a session that
 * exists, and are dropped for one that does not, so a file holding only those is not counted as a session
 * (issue 14 §8). The row is a SELECT so the WHERE can decide; the parameters are those of a plain VALUES row.
 */
export const UPSERT_SESSION = `
INSERT INTO sessions (session_id, project_path, git_branch, cli_version, entrypoint, first_ts, last_ts, title, title_rank,
  claude_cost_usd, claude_cost_unknown, claude_model_usage, updated_at)
SELECT * FROM (SELECT ? AS session_id, ? AS project_path, ? AS git_branch, ? AS cli_version, ? AS entrypoint,
  ? AS first_ts, ? AS last_ts, ? AS title, ? AS title_rank, ? AS claude_cost_usd, ? AS claude_cost_unknown,
  ? AS claude_model_usage, ? AS updated_at) AS v
WHERE v.first_ts IS NOT NULL OR EXISTS (SELECT 1 FROM sessions s WHERE s.session_id = v.session_id)
ON CONFLICT(session_id) DO UPDATE SET
  project_path = coalesce(sessions.project_path, excluded.project_path),
  git_branch = CASE WHEN excluded.git_branch IS NOT NULL AND coalesce(excluded.last_ts, 0) >= coalesce(sessions.last_ts, 0)
                    THEN excluded.git_branch ELSE coalesce(sessions.git_branch, excluded.git_branch) END,
  cli_version = CASE WHEN excluded.cli_version IS NOT NULL AND coalesce(excluded.last_ts, 0) >= coalesce(sessions.last_ts, 0)
                     THEN excluded.cli_version ELSE coalesce(sessions.cli_version, excluded.cli_version) END,
  entrypoint = coalesce(sessions.entrypoint, excluded.entrypoint),
  first_ts = CASE WHEN sessions.first_ts IS NULL OR excluded.first_ts < sessions.first_ts THEN excluded.first_ts ELSE sessions.first_ts END,
  last_ts = CASE WHEN sessions.last_ts IS NULL OR excluded.last_ts > sessions.last_ts THEN excluded.last_ts ELSE sessions.last_ts END,
  title = CASE WHEN excluded.title IS NOT NULL AND excluded.title_rank >= sessions.title_rank THEN excluded.title ELSE sessions.title END,
  title_rank = max(sessions.title_rank, excluded.title_rank),
  claude_cost_usd = coalesce(excluded.claude_cost_usd, sessions.claude_cost_usd),
  claude_cost_unknown = coalesce(excluded.claude_cost_unknown, sessions.claude_cost_unknown),
  claude_model_usage = coalesce(excluded.claude_model_usage, sessions.claude_model_usage),
  updated_at = excluded.updated_at`;

export const UPSERT_INTERACTION = `
INSERT INTO interactions (id, session_id, origin_session, kind, ts, is_sidechain, agent_id, model, source_file, byte_offset, cc_version)
VALUES (?,?,?,?,?,?,?,?,?,?,?)
ON CONFLICT(id) DO UPDATE SET
  session_id = CASE WHEN ${reattr('interactions')} THEN excluded.session_id ELSE interactions.session_id END,
  is_sidechain = CASE WHEN ${reattr('interactions')} THEN excluded.is_sidechain ELSE interactions.is_sidechain END,
  ts = CASE WHEN interactions.ts IS NULL OR excluded.ts < interactions.ts THEN excluded.ts ELSE interactions.ts END,
  model = coalesce(excluded.model, interactions.model),
  moved_from = CASE WHEN ${reattr('interactions')} AND excluded.session_id <> interactions.session_id
                    THEN coalesce(interactions.moved_from, interactions.session_id) ELSE interactions.moved_from END`;

/**
 * The sessions rows were moved away from (UPSERT_INTERACTION's moved_from) lose interactions and, with their ledger
 * rows, tokens and cost: queue them (ENQUEUE's rule), then clear the marks. Both read only the partial index.
 * A response's api_messages row moves with its interaction (same REATTR rule, same incoming row), so marking
 * interactions is enough.
 */
export const ENQUEUE_MOVED_FROM = `INSERT INTO sync_outbox (entity, entity_id, enqueued_at)
SELECT DISTINCT 'session', moved_from, ? FROM interactions WHERE moved_from IS NOT NULL
ON CONFLICT(entity, entity_id) DO UPDATE SET enqueued_at = max(excluded.enqueued_at, sync_outbox.enqueued_at + 1)`;
export const CLEAR_MOVED_FROM = `UPDATE interactions SET moved_from = NULL WHERE moved_from IS NOT NULL`;

const usageCols = [
  'model',
  'speed',
  'input',
  'output',
  'cache_5m',
  'cache_1h',
  'cache_creation',
  'cache_read',
  'line_uuid',
  'legacy_cost_usd',
];
/** Usage comes from the line with the largest output_tokens; ties go to the later line. Whole line, not per field. */
export const UPSERT_API_MESSAGE = `
INSERT INTO api_messages (key, message_id, request_id, session_id, origin_session, ts, model, speed, input, output, cache_5m, cache_1h,
  cache_creation, cache_read, is_sidechain, agent_id, line_uuid, source_file, byte_offset, cc_version, entrypoint, legacy_cost_usd)
VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
ON CONFLICT(key) DO UPDATE SET
  ${usageCols.map((c) => `${c} = CASE WHEN excluded.output >= api_messages.output THEN excluded.${c} ELSE api_messages.${c} END`).join(',\n  ')},
  session_id = CASE WHEN ${reattr('api_messages')} THEN excluded.session_id ELSE api_messages.session_id END,
  agent_id = CASE WHEN ${reattr('api_messages')} THEN excluded.agent_id ELSE api_messages.agent_id END,
  is_sidechain = CASE WHEN ${reattr('api_messages')} THEN excluded.is_sidechain ELSE api_messages.is_sidechain END,
  ts = CASE WHEN api_messages.ts IS NULL OR excluded.ts < api_messages.ts THEN excluded.ts ELSE api_messages.ts END`;

export const INSERT_TEXT = `INSERT INTO texts (key, interaction_id, ord, kind, text) VALUES (?,?,?,?,?) ON CONFLICT(key) DO NOTHING`;
export const INSERT_FTS = `INSERT INTO texts_fts (rowid, text) VALUES (?, ?)`;
export const DELETE_FTS5 = `INSERT INTO texts_fts (texts_fts, rowid, text) VALUES ('delete', ?, ?)`;
export const DELETE_FTS4 = `DELETE FROM texts_fts WHERE docid = ?`;

/** What a call line updates in an existing tool_calls row (a result line may have created it first, without a name). */
const TOOL_CALL_SET = `
  session_id = CASE WHEN tool_calls.name IS NULL OR ${reattr('tool_calls')} THEN excluded.session_id ELSE tool_calls.session_id END,
  is_sidechain = CASE WHEN tool_calls.name IS NULL OR ${reattr('tool_calls')} THEN excluded.is_sidechain ELSE tool_calls.is_sidechain END,
  origin_session = excluded.origin_session,
  interaction_id = excluded.interaction_id,
  name = excluded.name,
  input_json = excluded.input_json,
  agent_id = coalesce(tool_calls.agent_id, excluded.agent_id),
  ts = CASE WHEN tool_calls.ts IS NULL OR excluded.ts < tool_calls.ts THEN excluded.ts ELSE tool_calls.ts END`;

export const UPSERT_TOOL_CALL = `
INSERT INTO tool_calls (id, session_id, origin_session, interaction_id, name, input_json, ts, is_sidechain, agent_id)
VALUES (?,?,?,?,?,?,?,?,?)
ON CONFLICT(id) DO UPDATE SET${TOOL_CALL_SET}`;

/** A call and its result from the same batch, in one row write (the result is usually the next line). */
export const UPSERT_TOOL_CALL_WITH_RESULT = `
INSERT INTO tool_calls (id, session_id, origin_session, interaction_id, name, input_json, ts, is_sidechain, agent_id, result, is_error, result_ts)
VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
ON CONFLICT(id) DO UPDATE SET${TOOL_CALL_SET},
  result = excluded.result,
  is_error = excluded.is_error,
  result_ts = CASE WHEN tool_calls.result_ts IS NULL OR excluded.result_ts < tool_calls.result_ts THEN excluded.result_ts ELSE tool_calls.result_ts END`;

export const UPSERT_TOOL_RESULT = `
INSERT INTO tool_calls (id, session_id, origin_session, result, is_error, result_ts) VALUES (?,?,?,?,?,?)
ON CONFLICT(id) DO UPDATE SET
  result = excluded.result,
  is_error = excluded.is_error,
  result_ts = CASE WHEN tool_calls.result_ts IS NULL OR excluded.result_ts < tool_calls.result_ts THEN excluded.result_ts ELSE tool_calls.result_ts END`;

export const UPSERT_SUBAGENT_LINK = `
INSERT INTO tool_calls (id, subagent_id, subagent_type, subagent_file) VALUES (?,?,?,?)
ON CONFLICT(id) DO UPDATE SET subagent_id = excluded.subagent_id, subagent_type = excluded.subagent_type, subagent_file = excluded.subagent_file`;

export const UPSERT_FINDING = `
INSERT INTO privacy_findings (row_key, session_id, category, count) VALUES (?,?,?,?)
ON CONFLICT(row_key, category) DO UPDATE SET count = excluded.count, session_id = excluded.session_id`;

export const UPSERT_RULE_FINDING = `
INSERT INTO privacy_rule_findings (row_key, session_id, category, rule_id, count) VALUES (?,?,?,?,?)
ON CONFLICT(row_key, category, rule_id) DO UPDATE SET count = excluded.count, session_id = excluded.session_id`;

export const UPSERT_DIAGNOSTIC = `
INSERT INTO ingest_diagnostics (path, reason, count, last_detail) VALUES (?,?,?,?)
ON CONFLICT(path, reason) DO UPDATE SET count = ingest_diagnostics.count + excluded.count, last_detail = coalesce(excluded.last_detail, ingest_diagnostics.last_detail)`;

export const UPSERT_CURSOR = `
INSERT INTO file_cursors (path, dev, ino, offset, size, mtime_ms, present, updated_at) VALUES (?,?,?,?,?,?,1,?)
ON CONFLICT(path) DO UPDATE SET dev = excluded.dev, ino = excluded.ino, offset = excluded.offset, size = excluded.size,
  mtime_ms = excluded.mtime_ms, present = 1, updated_at = excluded.updated_at`;

/**
 * One pending row per entity. A re-enqueue keeps the row's place (seq) but bumps enqueued_at, which is the
 * entity's version: SqliteOutbox.ack deletes only the version it sent, so a change made while an older snapshot
 * was in flight stays queued (core/sync/ports.ts). `+ 1` makes the bump strict within one millisecond.
 */
export const ENQUEUE = `INSERT INTO sync_outbox (entity, entity_id, enqueued_at) VALUES (?,?,?)
ON CONFLICT(entity, entity_id) DO UPDATE SET enqueued_at = max(excluded.enqueued_at, sync_outbox.enqueued_at + 1)`;

/** Queues an entity that is not pending; a pending one keeps its place and version (re-sends after a mode switch). */
export const ENQUEUE_IF_ABSENT = `INSERT INTO sync_outbox (entity, entity_id, enqueued_at) VALUES (?,?,?)
ON CONFLICT(entity, entity_id) DO NOTHING`;

/** Any ledger change makes the usage rollups stale until Store.refreshRollups runs. */
export const MARK_ROLLUP_STALE = `INSERT OR REPLACE INTO meta (key, value) VALUES ('rollup_stale', '1')`;
