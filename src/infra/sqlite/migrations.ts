import type { FtsEngine, SqlDriver } from './driver';

/**
 * Forward-only migrations, tracked with PRAGMA user_version. Index i holds the step from version i to i+1.
 * The same SQL runs on both backends; only the FTS module name differs (sql.js has no FTS5).
 */
type Migration = (fts: FtsEngine, db: SqlDriver) => string;

/** ALTER TABLE … ADD COLUMN unless the column is there (SQLite has no IF NOT EXISTS for it): replayable. */
function addColumn(db: SqlDriver, table: string, column: string, type: string): string {
  const has = db.prepare('SELECT 1 AS x FROM pragma_table_info(?) WHERE name = ?').get([table, column]);
  return has ? '' : `ALTER TABLE ${table} ADD COLUMN ${column} ${type};`;
}

/** v8: a session row no message made: no time, and no interaction, API message or tool call. */
const METADATA_ONLY_SESSION = `first_ts IS NULL AND last_ts IS NULL
  AND NOT EXISTS (SELECT 1 FROM interactions i WHERE i.session_id = sessions.session_id)
  AND NOT EXISTS (SELECT 1 FROM api_messages a WHERE a.session_id = sessions.session_id)
  AND NOT EXISTS (SELECT 1 FROM tool_calls t WHERE t.session_id = sessions.session_id)`;

/** v8: an unknown_type reason whose type is not `[a-z][a-z0-9_-]{0,38}` (parseLine.ts typeNameOrMark). */
const SUSPECT_TYPE_REASON = `reason LIKE 'unknown_type:%' AND reason <> 'unknown_type:?' AND (length(reason) > 13 + 39
  OR substr(reason, 14, 1) NOT GLOB '[a-z]' OR substr(reason, 15) GLOB '*[^a-z0-9_-]*')`;

const MIGRATIONS: Migration[] = [
  (fts) => `
CREATE TABLE sessions (
  session_id TEXT PRIMARY KEY,
  project_path TEXT,
  git_branch TEXT,
  cli_version TEXT,
  entrypoint TEXT,
  first_ts INTEGER,
  last_ts INTEGER,
  title TEXT,
  title_rank INTEGER NOT NULL DEFAULT 0,
  claude_cost_usd REAL,
  claude_cost_unknown INTEGER,
  claude_model_usage TEXT,
  updated_at INTEGER
);
CREATE INDEX sessions_last_ts ON sessions(last_ts);

-- One row per real user prompt (p:<uuid>) or assistant API message (r:<dedupe key>). Text lives in texts.
CREATE TABLE interactions (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL,
  origin_session TEXT,
  kind TEXT NOT NULL,
  ts INTEGER,
  is_sidechain INTEGER NOT NULL DEFAULT 0,
  agent_id TEXT,
  model TEXT,
  source_file TEXT,
  byte_offset INTEGER,
  cc_version TEXT
);
CREATE INDEX interactions_session ON interactions(session_id, ts);

-- Masked text pieces (a prompt, or one text/thinking block of a response), keyed by line uuid + block index,
-- so re-reading a line never duplicates text and streaming blocks merge per API message at read time.
CREATE TABLE texts (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  interaction_id TEXT NOT NULL,
  ord INTEGER NOT NULL,
  kind TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX texts_interaction ON texts(interaction_id, ord);
CREATE VIRTUAL TABLE texts_fts USING ${fts}(text, content='texts'${fts === 'fts5' ? ", content_rowid='id'" : ''});

-- The usage ledger: one row per API message, deduplicated globally by message.id:requestId.
CREATE TABLE api_messages (
  key TEXT PRIMARY KEY,
  message_id TEXT,
  request_id TEXT,
  session_id TEXT NOT NULL,
  origin_session TEXT,
  ts INTEGER,
  model TEXT,
  speed TEXT,
  input INTEGER NOT NULL DEFAULT 0,
  output INTEGER NOT NULL DEFAULT 0,
  cache_5m INTEGER NOT NULL DEFAULT 0,
  cache_1h INTEGER NOT NULL DEFAULT 0,
  cache_creation INTEGER NOT NULL DEFAULT 0,
  cache_read INTEGER NOT NULL DEFAULT 0,
  is_sidechain INTEGER NOT NULL DEFAULT 0,
  agent_id TEXT,
  line_uuid TEXT,
  source_file TEXT,
  byte_offset INTEGER,
  cc_version TEXT,
  entrypoint TEXT,
  legacy_cost_usd REAL
);
CREATE INDEX api_messages_session ON api_messages(session_id);
CREATE INDEX api_messages_ts ON api_messages(ts);

CREATE TABLE tool_calls (
  id TEXT PRIMARY KEY,
  session_id TEXT,
  origin_session TEXT,
  interaction_id TEXT,
  name TEXT,
  input_json TEXT,
  ts INTEGER,
  result TEXT,
  is_error INTEGER,
  result_ts INTEGER,
  is_sidechain INTEGER NOT NULL DEFAULT 0,
  agent_id TEXT,
  subagent_id TEXT,
  subagent_type TEXT,
  subagent_file TEXT
);
CREATE INDEX tool_calls_session ON tool_calls(session_id);

CREATE TABLE file_cursors (
  path TEXT PRIMARY KEY,
  dev TEXT,
  ino TEXT,
  offset INTEGER NOT NULL,
  size INTEGER NOT NULL,
  mtime_ms REAL,
  present INTEGER NOT NULL DEFAULT 1,
  updated_at INTEGER
);

CREATE TABLE ingest_diagnostics (
  path TEXT NOT NULL,
  reason TEXT NOT NULL,
  count INTEGER NOT NULL,
  last_detail TEXT,
  PRIMARY KEY (path, reason)
);

-- Per-row, per-category finding counts (never the values): idempotent on re-read.
CREATE TABLE privacy_findings (
  row_key TEXT NOT NULL,
  session_id TEXT,
  category TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (row_key, category)
);

-- Changes waiting for the Supabase sync; one pending row per entity (re-enqueue coalesces).
CREATE TABLE sync_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  enqueued_at INTEGER NOT NULL,
  UNIQUE (entity, entity_id)
);

CREATE TABLE lease (
  name TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  heartbeat_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);

CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
`,
  // v2: covering indexes for the report queries (index-only scans instead of reading wide ledger rows).
  () => `
CREATE INDEX api_messages_usage ON api_messages(session_id, model, speed, ts, input, output, cache_5m, cache_1h, cache_creation, cache_read, legacy_cost_usd);
CREATE INDEX tool_calls_name ON tool_calls(session_id, name);
CREATE INDEX interactions_prompts ON interactions(kind, is_sidechain, session_id);
`,
  // v3: the sync outbox drained by SqliteOutbox (src/infra/sqlite/sqliteOutbox.ts, contract in core/sync/ports.ts):
  // delivery attempts and not-before survive restarts; refused rows move to a dead-letter list the user can see.
  // enqueued_at doubles as the entity's version (ENQUEUE bumps it), so an ack deletes only the snapshot it sent.
  () => `
ALTER TABLE sync_outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_outbox ADD COLUMN not_before INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_outbox ADD COLUMN last_error TEXT;
CREATE INDEX sync_outbox_drain ON sync_outbox(entity, seq);
CREATE TABLE sync_dead_letters (
  seq INTEGER PRIMARY KEY,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  failed_at INTEGER NOT NULL
);
CREATE INDEX sync_dead_letters_entity ON sync_dead_letters(entity, entity_id);
CREATE INDEX tool_calls_interaction ON tool_calls(interaction_id);
-- sessions that go idle after this point are re-sent once with status 'completed' (SqliteOutbox.requeueGoneIdle)
INSERT OR REPLACE INTO meta(key, value) VALUES ('sync_idle_checked_at', CAST(strftime('%s', 'now') AS INTEGER) * 1000);
`,
  // v4: usage rollups, rebuilt after each scan that wrote (Store.refreshRollups) and used only while fresh,
  // so reports and session lists read ~1k rows instead of grouping the whole ledger.
  () => `
CREATE TABLE usage_rollup_session (
  session_id TEXT NOT NULL, model TEXT, speed TEXT, prompt_above INTEGER NOT NULL, slot INTEGER NOT NULL,
  n INTEGER NOT NULL, input INTEGER NOT NULL, output INTEGER NOT NULL, c5 INTEGER NOT NULL, c1 INTEGER NOT NULL,
  cc INTEGER NOT NULL, cr INTEGER NOT NULL, legacy REAL
);
CREATE TABLE usage_rollup_slot (
  model TEXT, speed TEXT, prompt_above INTEGER NOT NULL, slot INTEGER NOT NULL,
  n INTEGER NOT NULL, input INTEGER NOT NULL, output INTEGER NOT NULL, c5 INTEGER NOT NULL, c1 INTEGER NOT NULL,
  cc INTEGER NOT NULL, cr INTEGER NOT NULL, legacy REAL
);
CREATE INDEX usage_rollup_slot_slot ON usage_rollup_slot(slot);
INSERT OR REPLACE INTO meta(key, value) VALUES ('rollup_stale', '1');
`,
  // v5: a fork move (queries.ts REATTR) takes an interaction, and its ledger row, away from a session the batch never
  // names; that session's synced totals must be sent again. UPSERT_INTERACTION notes the session a row left in
  // moved_from and Store.writeBatch queues those sessions at the end of the batch, then clears the mark; the partial
  // index holds marked rows only. (A column, not a trigger: a trigger on these tables slowed plain inserts by
  // 15–25 % in a 30k-row micro-benchmark.)
  () => `
ALTER TABLE interactions ADD COLUMN moved_from TEXT;
CREATE INDEX interactions_moved_from ON interactions(moved_from) WHERE moved_from IS NOT NULL;
`,
  // v6: acks now record the sync mode rows were sent in (meta sync_sent_mode, modeResend.ts), so a switch from
  // metadata to full re-sends them. Rows delivered before this version were sent in an unknown mode: assume metadata
  // (a full-mode user re-sends once, merged on the server) where anything was delivered — a session left the outbox.
  () => `
INSERT OR IGNORE INTO meta(key, value) SELECT 'sync_sent_mode', 'metadata'
WHERE EXISTS (SELECT 1 FROM sessions s WHERE NOT EXISTS (SELECT 1 FROM sync_outbox o WHERE o.entity = 'session' AND o.entity_id = s.session_id));
`,
  // v7: the sync mode is kept per interaction instead of per store (modeResend.ts): sent_mode = modeRank of the mode
  // the server's copy went out in (1 metadata, 2 full), NULL = nothing to re-send (never acknowledged, or its re-send
  // already queued). Ack sets it; a switch to full re-sends exactly the rows at 1, read through the partial index.
  // Sessions are projected the same in every mode and carry no mark.
  // Rows acknowledged before this version: v6 kept one flag for the store. Where it says a lesser mode may have been
  // used — meta sync_sent_mode other than 'full', or a re-send still running (sync_resend: the interactions after its
  // cursor, all of them while it was still on sessions or unreadable) — every delivered interaction (not pending, not
  // dead-lettered) is assumed sent in metadata: a full-mode user may re-send those rows once (merged on the server),
  // as v6 would have. Otherwise nothing is marked. The two meta keys are gone after this.
  () => `
ALTER TABLE interactions ADD COLUMN sent_mode INTEGER;
UPDATE interactions SET sent_mode = 1
WHERE NOT EXISTS (SELECT 1 FROM sync_outbox o WHERE o.entity = 'interaction' AND o.entity_id = interactions.id)
  AND NOT EXISTS (SELECT 1 FROM sync_dead_letters d WHERE d.entity = 'interaction' AND d.entity_id = interactions.id)
  AND (EXISTS (SELECT 1 FROM meta WHERE key = 'sync_sent_mode' AND value IS NOT 'full')
    OR EXISTS (SELECT 1 FROM meta WHERE key = 'sync_resend' AND CASE
         WHEN json_valid(value) AND json_extract(value, '$.kind') = 'interaction' THEN interactions.id > json_extract(value, '$.after')
         ELSE 1 END));
DELETE FROM meta WHERE key IN ('sync_sent_mode', 'sync_resend');
CREATE INDEX interactions_sent_metadata ON interactions(id) WHERE sent_mode = 1;
`,
  // v8: diagnostics hold positions and reasons, never transcript text (issue 14 §6, parseLine.ts). Before, last_detail
  // kept JSON.parse messages, which quote the bad line (a short one whole), and unknown_type reasons kept up to 40
  // characters of a line's `type`: either could be a secret. Details are cleared; a reason whose type is not a
  // lower-case kebab/snake word under 40 characters becomes unknown_type:? (counts merged). secure_delete zeroes the
  // freed bytes, so the text leaves the file at the next checkpoint instead of lingering in free space.
  // Also (issue 14 §8): sessions only metadata created (a file holding a summary, titles or a cost-state and no
  // message: no time, no rows) are removed; queries.ts UPSERT_SESSION no longer creates them. Like retention, this
  // leaves any copy already synced to Supabase.
  () => `
PRAGMA secure_delete = ON;
UPDATE ingest_diagnostics SET last_detail = NULL WHERE last_detail IS NOT NULL;
INSERT INTO ingest_diagnostics (path, reason, count, last_detail)
  SELECT path, 'unknown_type:?', sum(count), NULL FROM ingest_diagnostics
  WHERE ${SUSPECT_TYPE_REASON} GROUP BY path
  ON CONFLICT(path, reason) DO UPDATE SET count = ingest_diagnostics.count + excluded.count;
DELETE FROM ingest_diagnostics WHERE ${SUSPECT_TYPE_REASON};
PRAGMA secure_delete = OFF;
DELETE FROM privacy_findings WHERE session_id IN (SELECT session_id FROM sessions WHERE ${METADATA_ONLY_SESSION});
DELETE FROM sessions WHERE ${METADATA_ONLY_SESSION};
`,
  // v9 (issue 12, Forget and Format drift): tombstones keep a forgotten session out of later scans while its
  // transcript still exists (forgetSessions.ts): by session id, and by file path (whole = 1: the session's own files,
  // skipped unread; whole = 0: a file that carried copies of its lines, a fork or resume, whose cursor Unforget resets).
  // Format drift (formatDrift.ts): lines ingest could not read, counted by reason and Claude Code version, with a
  // bounded sample of positions (never text) that "Save Drift Sample" re-reads; warned once per version and surface.
  () => `
CREATE TABLE IF NOT EXISTS forgotten_sessions (
  session_id TEXT PRIMARY KEY,
  forgotten_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS forgotten_files (
  path TEXT NOT NULL,
  session_id TEXT NOT NULL,
  whole INTEGER NOT NULL,
  PRIMARY KEY (path, session_id)
);
CREATE INDEX IF NOT EXISTS forgotten_files_session ON forgotten_files(session_id);
CREATE TABLE IF NOT EXISTS format_drift (
  reason TEXT NOT NULL,
  cc_version TEXT NOT NULL,
  count INTEGER NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  PRIMARY KEY (reason, cc_version)
);
CREATE TABLE IF NOT EXISTS format_drift_samples (
  reason TEXT NOT NULL,
  cc_version TEXT NOT NULL,
  path TEXT NOT NULL,
  byte_offset INTEGER NOT NULL,
  PRIMARY KEY (reason, cc_version, path, byte_offset)
);
CREATE INDEX IF NOT EXISTS format_drift_samples_path ON format_drift_samples(path);
CREATE TABLE IF NOT EXISTS format_drift_warned (
  cc_version TEXT NOT NULL,
  surface TEXT NOT NULL,
  warned_at INTEGER NOT NULL,
  PRIMARY KEY (cc_version, surface)
);
`,
  // v10 (issue 9, the dashboard): per-session figures the Sessions view sorts and filters on in SQL (cost needs the
  // price table, so it cannot be a plain aggregate), rebuilt for the sessions a scan touched (sessionStats.ts, stale
  // when sessions.updated_at passes computed_at). Indexes chosen from EXPLAIN QUERY PLAN of sessionsQuery.ts: each
  // sort key has an index walked forwards for ascending (unknown values last) and one walked backwards for descending
  // (unknown values last too), so the first page reads ~100 index entries instead of sorting every session;
  // findings per session had no index at all. IF NOT EXISTS: re-running it (tests that replay an earlier version) is harmless.
  () => `
CREATE TABLE IF NOT EXISTS session_stats (
  session_id TEXT PRIMARY KEY,
  computed_at INTEGER NOT NULL,
  prompts INTEGER NOT NULL,
  api_messages INTEGER NOT NULL,
  input INTEGER NOT NULL,
  output INTEGER NOT NULL,
  cache_write INTEGER NOT NULL,
  cache_read INTEGER NOT NULL,
  cache_5m INTEGER NOT NULL,
  cache_1h INTEGER NOT NULL,
  tokens INTEGER NOT NULL,
  cost_usd REAL,
  legacy_cost_usd REAL,
  unpriced TEXT NOT NULL,
  models TEXT NOT NULL,
  tool_calls INTEGER NOT NULL,
  tool_errors INTEGER NOT NULL,
  findings INTEGER NOT NULL,
  first_prompt TEXT
);
CREATE INDEX IF NOT EXISTS session_stats_cost_nulls_last ON session_stats((cost_usd IS NULL), cost_usd, session_id);
CREATE INDEX IF NOT EXISTS session_stats_cost_nulls_first ON session_stats((cost_usd IS NOT NULL), cost_usd, session_id);
CREATE INDEX IF NOT EXISTS session_stats_tokens ON session_stats(tokens, session_id);
CREATE INDEX IF NOT EXISTS sessions_time_nulls_last ON sessions((first_ts IS NULL), first_ts, session_id);
CREATE INDEX IF NOT EXISTS sessions_time_nulls_first ON sessions((first_ts IS NOT NULL), first_ts, session_id);
CREATE INDEX IF NOT EXISTS sessions_duration_nulls_last ON sessions((last_ts - first_ts IS NULL), (last_ts - first_ts), session_id);
CREATE INDEX IF NOT EXISTS sessions_duration_nulls_first ON sessions((last_ts - first_ts IS NOT NULL), (last_ts - first_ts), session_id);
CREATE INDEX IF NOT EXISTS privacy_findings_session ON privacy_findings(session_id);
`,
  // v11 (IF NOT EXISTS throughout, as v9 and v10: tests re-run v8 by stepping user_version back to 7).
  // The dashboard's Metrics view counts tool calls and errors per tool in a time range (metricsReads.ts): a covering
  // index on (ts, name, is_error) makes that a range search instead of a scan of every call with its input and result.
  // The privacy report (issue 12) shows top rules: privacy_findings counts per category only (what sync sends), so
  // the same findings are also counted per category and rule id (never values). Rows stored before v11 have no rule
  // split; the report counts them under their category only.
  () => `
CREATE INDEX IF NOT EXISTS tool_calls_ts ON tool_calls(ts, name, is_error);
CREATE TABLE IF NOT EXISTS privacy_rule_findings (
  row_key TEXT NOT NULL,
  session_id TEXT,
  category TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (row_key, category, rule_id)
);
CREATE INDEX IF NOT EXISTS privacy_rule_findings_session ON privacy_rule_findings(session_id);
`,
  // v12: the lifecycle of live sessions (issue 10): one row per state a session entered (active, waiting, idle,
  // abandoned, ended), timed by Claude Code's registry where it says. Every open window may record the same change:
  // the key makes the second insert a no-op. No foreign key: a live session is recorded before its first scan.
  () => `
CREATE TABLE IF NOT EXISTS session_states (
  session_id TEXT NOT NULL,
  state TEXT NOT NULL,
  at INTEGER NOT NULL,
  pid INTEGER,
  reason TEXT,
  PRIMARY KEY (session_id, at, state)
) WITHOUT ROWID;
`,
  // v13 (issue 13, code context): the files each session's tool calls touched (sessionFiles.ts: written at ingest; rows
  // stored before this version are back-filled once from tool_calls, in JS, while meta session_files_backfill exists),
  // the git context computed after a scan (codeContextStore.ts, off the ingest path) and Claude Code's own line counts.
  // New tables only, IF NOT EXISTS: running it twice changes nothing.
  // path = normalized absolute path (masked text as stored), path_key = the comparison form, rel_path = relative to
  // the repository root once the git context knows it.
  () => `
CREATE TABLE IF NOT EXISTS session_files (
  tool_call_id TEXT NOT NULL,
  path TEXT NOT NULL,
  path_key TEXT NOT NULL,
  session_id TEXT NOT NULL,
  interaction_id TEXT,
  tool TEXT NOT NULL,
  ts INTEGER,
  rel_path TEXT,
  PRIMARY KEY (tool_call_id, path)
);
CREATE INDEX IF NOT EXISTS session_files_key ON session_files(path_key);
CREATE INDEX IF NOT EXISTS session_files_session ON session_files(session_id);
CREATE TABLE IF NOT EXISTS session_git (
  session_id TEXT PRIMARY KEY,
  window_first_ts INTEGER,
  window_last_ts INTEGER,
  computed_at INTEGER NOT NULL,
  missing INTEGER NOT NULL DEFAULT 0,
  repo_root TEXT,
  worktree TEXT,
  remote_url TEXT,
  branch TEXT,
  head_start TEXT,
  head_end TEXT,
  commits_json TEXT,
  lines_added INTEGER,
  lines_removed INTEGER,
  github_repo TEXT
);
-- GitHub pull requests per commit (opt-in lookup, infra/github): ETag kept so a revalidation that gets 304 costs no quota.
CREATE TABLE IF NOT EXISTS github_commit_prs (
  repo TEXT NOT NULL,
  sha TEXT NOT NULL,
  prs_json TEXT NOT NULL,
  etag TEXT,
  fetched_at INTEGER NOT NULL,
  PRIMARY KEY (repo, sha)
);
CREATE TABLE IF NOT EXISTS session_claude_lines (
  session_id TEXT PRIMARY KEY,
  added INTEGER,
  removed INTEGER
);
INSERT OR REPLACE INTO meta(key, value) VALUES ('session_files_backfill', '0');
`,
  // v14 (issues 9 + 13, dashboard detail): compaction boundaries (`system/compact_boundary` lines) with their trigger
  // and token counts, shown as dividers in the Session detail timeline (compactionRows.ts); sessions begun by /clear
  // (clearLinks.ts); and indexes for the
  // Sessions filters by repository and branch (session_git). Sessions ingested before this version get their
  // boundaries from "Rebuild Index" (the lines were not kept). IF NOT EXISTS everywhere: running it twice changes nothing.
  () => `
CREATE TABLE IF NOT EXISTS compactions (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL,
  origin_session TEXT,
  ts INTEGER,
  trigger TEXT,
  pre_tokens INTEGER,
  post_tokens INTEGER,
  is_sidechain INTEGER NOT NULL DEFAULT 0,
  agent_id TEXT,
  source_file TEXT,
  byte_offset INTEGER
);
CREATE INDEX IF NOT EXISTS compactions_session ON compactions(session_id, ts);
-- Sessions that began with /clear (clearLinks.ts): the Session detail links them to the session they cleared.
CREATE TABLE IF NOT EXISTS session_clears (
  session_id TEXT PRIMARY KEY,
  ts INTEGER
);
CREATE INDEX IF NOT EXISTS session_git_repository ON session_git(coalesce(remote_url, repo_root), branch);
CREATE INDEX IF NOT EXISTS session_git_branch ON session_git(branch);
`,
  // v15 (issue 11, analytics at scale): rollups analytics computes over instead of every API message
  // (analyticsRollups.ts): the ledger per session x UTC quarter-hour x model x speed x long-context tier x sidechain,
  // and per session the facts that need its rows in order (prompt count and times, first responses, tool stats with
  // retries, topic terms). Refreshed for the sessions written since (sessions.updated_at > computed_at).
  // New tables only, IF NOT EXISTS: running it twice changes nothing.
  () => `
CREATE TABLE IF NOT EXISTS analytics_cells (
  session_id TEXT NOT NULL,
  slot INTEGER NOT NULL,
  model TEXT,
  speed TEXT,
  prompt_above INTEGER NOT NULL,
  is_sidechain INTEGER NOT NULL,
  n INTEGER NOT NULL,
  first_ts INTEGER NOT NULL,
  last_ts INTEGER NOT NULL,
  input INTEGER NOT NULL,
  output INTEGER NOT NULL,
  cache_5m INTEGER NOT NULL,
  cache_1h INTEGER NOT NULL,
  cache_creation INTEGER NOT NULL,
  cache_read INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS analytics_cells_session ON analytics_cells(session_id);
CREATE TABLE IF NOT EXISTS analytics_sessions (
  session_id TEXT PRIMARY KEY,
  computed_at INTEGER NOT NULL,
  prompts INTEGER NOT NULL,
  prompt_spans TEXT NOT NULL,
  first_response_ms TEXT NOT NULL,
  tools TEXT NOT NULL,
  terms TEXT
);
`,
  // v16 (issue 11, efficiency): per session, its main-thread compaction count and turn durations (prompt to the last
  // API message before the next prompt, JSON like first_response_ms), analyticsRollups.ts. Columns added only where
  // missing (replayable); every session's rollups are marked stale so the next refresh fills them (until then
  // analytics reads the rows), never a default 0 read as measured.
  (_fts, db) => `
${addColumn(db, 'analytics_sessions', 'compactions', 'INTEGER NOT NULL DEFAULT 0')}
${addColumn(db, 'analytics_sessions', 'turn_ms', "TEXT NOT NULL DEFAULT '[]'")}
UPDATE analytics_sessions SET computed_at = 0;
`,
  // v17 (issue 11, incremental refresh): after every scan the analytics reader asks which rollups were refreshed since
  // it last read (computed_at > ?), the newest refresh (max(computed_at)) and which sessions are stale (written after
  // their rollups): table scans and row lookups through the rows' JSON, 27 and 54 ms at 20,000 sessions; with these
  // indexes (the staleness check reads the two covering ones only) a lookup and 7 ms.
  () => `
CREATE INDEX IF NOT EXISTS analytics_sessions_computed_at ON analytics_sessions(computed_at);
CREATE INDEX IF NOT EXISTS analytics_sessions_fresh ON analytics_sessions(session_id, computed_at);
CREATE INDEX IF NOT EXISTS sessions_updated ON sessions(session_id, updated_at);
`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Refuses a store written by a newer build. The drivers call this right after opening, before they change
 * anything in the file (journal mode, permissions), so a refused store stays byte for byte as it was.
 */
export function refuseNewerSchema(found: number, file: string): void {
  if (found > SCHEMA_VERSION)
    throw new Error(
      `store ${file} has schema v${found}, newer than this build (v${SCHEMA_VERSION}); update the extension and cct; the file was not changed`,
    );
}

export function migrate(db: SqlDriver): { from: number; to: number } {
  const from = Number(db.prepare('PRAGMA user_version').get()?.user_version ?? 0);
  refuseNewerSchema(from, db.path);
  // Only possible while the file is empty: lets the size cap give pages back (PRAGMA incremental_vacuum).
  if (from === 0) db.exec('PRAGMA auto_vacuum = INCREMENTAL');
  for (let v = from; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!(db.fts, db));
      db.exec(`PRAGMA user_version = ${v + 1}`);
    });
  }
  if (from === 0) db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('fts', ?)").run([db.fts]);
  return { from, to: SCHEMA_VERSION };
}
