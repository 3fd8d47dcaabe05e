-- The sync client's writes, run exactly as PostgREST (v12.2.12 QueryBuilder; byte-identical in v13/v14)
-- runs them for supabase-js:
--   sessions:     upsert(rows, {onConflict: 'user_id,session_id'})                       → merge-duplicates
--   interactions: upsert(rows, {onConflict: 'user_id,message_uuid', ignoreDuplicates})   → ignore-duplicates
-- inside one transaction whose prelude is the PostgREST set_config() statement (tests.authenticate_as).
-- Rows are complete and homogeneous (every column the client sends is in ?columns=), as the sync engine sends them.
begin;
select plan(18);

select tests.create_supabase_user('alice');
select tests.create_supabase_user('bob');

-- POST /rest/v1/claude_sessions?on_conflict=user_id,session_id&columns=… ; Prefer: resolution=merge-duplicates
prepare upsert_sessions(json) as
WITH pgrst_source AS (
  INSERT INTO "public"."claude_sessions"("session_id", "project_path", "start_time", "end_time", "status", "total_interactions", "total_cost_usd", "model", "input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens", "metadata")
  SELECT "pgrst_body"."session_id", "pgrst_body"."project_path", "pgrst_body"."start_time", "pgrst_body"."end_time", "pgrst_body"."status", "pgrst_body"."total_interactions", "pgrst_body"."total_cost_usd", "pgrst_body"."model", "pgrst_body"."input_tokens", "pgrst_body"."output_tokens", "pgrst_body"."cache_creation_input_tokens", "pgrst_body"."cache_read_input_tokens", "pgrst_body"."metadata"
  FROM (SELECT $1 AS json_data) pgrst_payload,
  LATERAL (SELECT "session_id", "project_path", "start_time", "end_time", "status", "total_interactions", "total_cost_usd", "model", "input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens", "metadata"
           FROM json_to_recordset(pgrst_payload.json_data) AS _("session_id" text, "project_path" text, "start_time" timestamp with time zone, "end_time" timestamp with time zone, "status" text, "total_interactions" integer, "total_cost_usd" numeric, "model" text, "input_tokens" bigint, "output_tokens" bigint, "cache_creation_input_tokens" bigint, "cache_read_input_tokens" bigint, "metadata" jsonb)) pgrst_body
  WHERE set_config('pgrst.inserted', (coalesce(nullif(current_setting('pgrst.inserted', true), '')::int, 0) + 1)::text, true) <> '0'
  ON CONFLICT("user_id", "session_id") DO UPDATE SET "session_id" = EXCLUDED."session_id", "project_path" = EXCLUDED."project_path", "start_time" = EXCLUDED."start_time", "end_time" = EXCLUDED."end_time", "status" = EXCLUDED."status", "total_interactions" = EXCLUDED."total_interactions", "total_cost_usd" = EXCLUDED."total_cost_usd", "model" = EXCLUDED."model", "input_tokens" = EXCLUDED."input_tokens", "output_tokens" = EXCLUDED."output_tokens", "cache_creation_input_tokens" = EXCLUDED."cache_creation_input_tokens", "cache_read_input_tokens" = EXCLUDED."cache_read_input_tokens", "metadata" = EXCLUDED."metadata"
  WHERE set_config('pgrst.inserted', (coalesce(nullif(current_setting('pgrst.inserted', true), '')::int, 0) - 1)::text, true) <> '-1'
  RETURNING 1)
SELECT '' AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, array[]::text[] AS header, ''::text AS body,
       nullif(current_setting('response.headers', true), '') AS response_headers,
       nullif(current_setting('response.status', true), '') AS response_status,
       nullif(current_setting('pgrst.inserted', true),'')::int AS response_inserted
FROM (SELECT * FROM pgrst_source) _postgrest_t;

-- POST /rest/v1/claude_interactions?on_conflict=user_id,message_uuid&columns=… ; Prefer: resolution=ignore-duplicates
prepare upsert_interactions(json) as
WITH pgrst_source AS (
  INSERT INTO "public"."claude_interactions"("session_id", "message_uuid", "message_type", "user_prompt", "claude_response", "tools_used", "performance_metrics", "context_analysis", "privacy_status", "model", "input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens", "cost_usd", "occurred_at")
  SELECT "pgrst_body"."session_id", "pgrst_body"."message_uuid", "pgrst_body"."message_type", "pgrst_body"."user_prompt", "pgrst_body"."claude_response", "pgrst_body"."tools_used", "pgrst_body"."performance_metrics", "pgrst_body"."context_analysis", "pgrst_body"."privacy_status", "pgrst_body"."model", "pgrst_body"."input_tokens", "pgrst_body"."output_tokens", "pgrst_body"."cache_creation_input_tokens", "pgrst_body"."cache_read_input_tokens", "pgrst_body"."cost_usd", "pgrst_body"."occurred_at"
  FROM (SELECT $1 AS json_data) pgrst_payload,
  LATERAL (SELECT "session_id", "message_uuid", "message_type", "user_prompt", "claude_response", "tools_used", "performance_metrics", "context_analysis", "privacy_status", "model", "input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens", "cost_usd", "occurred_at"
           FROM json_to_recordset(pgrst_payload.json_data) AS _("session_id" text, "message_uuid" uuid, "message_type" text, "user_prompt" text, "claude_response" text, "tools_used" jsonb, "performance_metrics" jsonb, "context_analysis" jsonb, "privacy_status" jsonb, "model" text, "input_tokens" bigint, "output_tokens" bigint, "cache_creation_input_tokens" bigint, "cache_read_input_tokens" bigint, "cost_usd" numeric, "occurred_at" timestamp with time zone)) pgrst_body
  WHERE set_config('pgrst.inserted', (coalesce(nullif(current_setting('pgrst.inserted', true), '')::int, 0) + 1)::text, true) <> '0'
  ON CONFLICT("user_id", "message_uuid") DO NOTHING
  RETURNING 1)
SELECT '' AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, array[]::text[] AS header, ''::text AS body,
       nullif(current_setting('response.headers', true), '') AS response_headers,
       nullif(current_setting('response.status', true), '') AS response_status,
       nullif(current_setting('pgrst.inserted', true),'')::int AS response_inserted
FROM (SELECT * FROM pgrst_source) _postgrest_t;

-- Each "request" is its own transaction in PostgREST; here each is a savepoint-free step inside the test
-- transaction, so pgrst.inserted is reset before each one as a fresh transaction would have it.
create function pg_temp.fresh_request(who text, path text) returns void language sql as $$
  select set_config('pgrst.inserted', '', true);
  select tests.authenticate_as(who, 'POST', path);
$$;

-- ── sessions: merge-duplicates ──────────────────────────────────────────────────────────────────────
select pg_temp.fresh_request('alice', '/claude_sessions');
select results_eq($$ execute upsert_sessions('[
  {"session_id":"s-1","project_path":"/a/p","start_time":"2026-06-01T10:00:00Z","end_time":null,"status":"active","total_interactions":1,"total_cost_usd":0.01,"model":"claude-sonnet-4-5","input_tokens":10,"output_tokens":5,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"metadata":{}},
  {"session_id":"s-2","project_path":"/a/q","start_time":"2026-06-01T12:00:00Z","end_time":null,"status":"active","total_interactions":0,"total_cost_usd":0,"model":null,"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"metadata":{}}]') $$,
  $$ values ('', 2::bigint, array[]::text[], '', null::text, null::text, 2) $$,
  'a batch of 2 new sessions: page_total 2, response_inserted 2 (HTTP 201)');
select pg_temp.fresh_request('alice', '/claude_sessions');
select results_eq($$ execute upsert_sessions('[
  {"session_id":"s-1","project_path":"/a/p","start_time":"2026-06-01T10:00:00Z","end_time":"2026-06-01T11:00:00Z","status":"completed","total_interactions":7,"total_cost_usd":0.42,"model":"claude-sonnet-4-5","input_tokens":700,"output_tokens":350,"cache_creation_input_tokens":5,"cache_read_input_tokens":9,"metadata":{"v":2}}]') $$,
  $$ values ('', 1::bigint, array[]::text[], '', null::text, null::text, 0) $$,
  'the same session again merges: response_inserted 0 (an update), no duplicate');
select tests.clear_authentication();
select results_eq($$ select status, total_interactions, total_cost_usd, metadata from public.claude_sessions where session_id = 's-1' $$,
  $$ values ('completed'::text, 7, 0.420000::numeric(14,6), '{"v":2}'::jsonb) $$, 'the merge updated the snapshot columns');
select is((select count(*)::int from public.claude_sessions where user_id = tests.get_supabase_uid('alice')), 2, 'alice has exactly 2 sessions');

select pg_temp.fresh_request('bob', '/claude_sessions');
select results_eq($$ execute upsert_sessions('[
  {"session_id":"s-1","project_path":"/b/p","start_time":"2026-06-03T10:00:00Z","end_time":null,"status":"active","total_interactions":0,"total_cost_usd":0,"model":null,"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"metadata":{}}]') $$,
  $$ values ('', 1::bigint, array[]::text[], '', null::text, null::text, 1) $$,
  'bob upserting the same Claude session id inserts his own row (no cross-tenant merge, no 42501)');
select tests.clear_authentication();
select results_eq($$ select project_path, status from public.claude_sessions where user_id = tests.get_supabase_uid('alice') and session_id = 's-1' $$,
  $$ values ('/a/p'::text, 'completed'::text) $$, 'alice''s row was not touched by bob''s upsert');

-- ── interactions: ignore-duplicates ─────────────────────────────────────────────────────────────────
select pg_temp.fresh_request('alice', '/claude_interactions');
select results_eq($$ execute upsert_interactions('[
  {"session_id":"s-1","message_uuid":"11111111-0000-4000-8000-000000000001","message_type":"user","user_prompt":"[masked]","claude_response":null,"tools_used":null,"performance_metrics":null,"context_analysis":null,"privacy_status":{"masked":1},"model":null,"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cost_usd":null,"occurred_at":"2026-06-01T10:00:01Z"},
  {"session_id":"s-1","message_uuid":"11111111-0000-4000-8000-000000000002","message_type":"assistant","user_prompt":null,"claude_response":"ok","tools_used":["Read"],"performance_metrics":{"ms":900},"context_analysis":null,"privacy_status":{"masked":0},"model":"claude-sonnet-4-5","input_tokens":1200,"output_tokens":300,"cache_creation_input_tokens":0,"cache_read_input_tokens":100,"cost_usd":0.0081,"occurred_at":"2026-06-01T10:00:05Z"},
  {"session_id":"s-1","message_uuid":"11111111-0000-4000-8000-000000000003","message_type":"tool_result","user_prompt":null,"claude_response":null,"tools_used":null,"performance_metrics":null,"context_analysis":null,"privacy_status":null,"model":null,"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cost_usd":null,"occurred_at":"2026-06-01T10:00:06Z"}]') $$,
  $$ values ('', 3::bigint, array[]::text[], '', null::text, null::text, 3) $$, 'a batch of 3 interactions is inserted');
select pg_temp.fresh_request('alice', '/claude_interactions');
select results_eq($$ execute upsert_interactions('[
  {"session_id":"s-1","message_uuid":"11111111-0000-4000-8000-000000000001","message_type":"user","user_prompt":"CHANGED","claude_response":null,"tools_used":null,"performance_metrics":null,"context_analysis":null,"privacy_status":null,"model":null,"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cost_usd":null,"occurred_at":"2026-06-01T10:00:01Z"},
  {"session_id":"s-1","message_uuid":"11111111-0000-4000-8000-000000000002","message_type":"assistant","user_prompt":null,"claude_response":"ok","tools_used":null,"performance_metrics":null,"context_analysis":null,"privacy_status":null,"model":null,"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cost_usd":null,"occurred_at":"2026-06-01T10:00:05Z"},
  {"session_id":"s-1","message_uuid":"11111111-0000-4000-8000-000000000003","message_type":"tool_result","user_prompt":null,"claude_response":null,"tools_used":null,"performance_metrics":null,"context_analysis":null,"privacy_status":null,"model":null,"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cost_usd":null,"occurred_at":"2026-06-01T10:00:06Z"},
  {"session_id":"s-1","message_uuid":"11111111-0000-4000-8000-000000000004","message_type":"assistant","user_prompt":null,"claude_response":"done","tools_used":null,"performance_metrics":null,"context_analysis":null,"privacy_status":null,"model":"claude-sonnet-4-5","input_tokens":50,"output_tokens":20,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cost_usd":0.0005,"occurred_at":"2026-06-01T10:00:09Z"}]') $$,
  $$ values ('', 1::bigint, array[]::text[], '', null::text, null::text, 4) $$,
  'a retried batch (3 old + 1 new) inserts only the new row (page_total 1; pgrst.inserted counts source rows): retries are free');
select tests.clear_authentication();
select is((select count(*)::int from public.claude_interactions where user_id = tests.get_supabase_uid('alice')), 4, 'exactly 4 interactions, no duplicates');
select is((select user_prompt from public.claude_interactions where message_uuid = '11111111-0000-4000-8000-000000000001'), '[masked]',
  'ignore-duplicates never overwrites a stored interaction');

-- interaction whose session was not synced yet → 23503 (HTTP 409): the client requeues it after the parent
select pg_temp.fresh_request('alice', '/claude_interactions');
select throws_ok($$ execute upsert_interactions('[
  {"session_id":"s-not-yet","message_uuid":"11111111-0000-4000-8000-000000000099","message_type":"user","user_prompt":null,"claude_response":null,"tools_used":null,"performance_metrics":null,"context_analysis":null,"privacy_status":null,"model":null,"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cost_usd":null,"occurred_at":"2026-06-01T10:00:01Z"}]') $$,
  '23503', null, 'missing parent session: 23503 (PostgREST answers 409)');

-- bob replays alice's message uuid under his own session: his own row, hers untouched
select tests.clear_authentication();
select pg_temp.fresh_request('bob', '/claude_interactions');
select results_eq($$ execute upsert_interactions('[
  {"session_id":"s-1","message_uuid":"11111111-0000-4000-8000-000000000001","message_type":"user","user_prompt":"bob","claude_response":null,"tools_used":null,"performance_metrics":null,"context_analysis":null,"privacy_status":null,"model":null,"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cost_usd":null,"occurred_at":"2026-06-03T10:00:01Z"}]') $$,
  $$ values ('', 1::bigint, array[]::text[], '', null::text, null::text, 1) $$,
  'bob''s row with the same message uuid is his own (the key is per user)');
select results_eq($$ select count(*)::int from public.claude_interactions $$, array[1], 'bob sees only his one interaction');

-- anon (publishable key only): the upsert is refused outright
select tests.clear_authentication();
select tests.authenticate_as_anon();
select throws_ok($$ execute upsert_sessions('[
  {"session_id":"s-x","project_path":null,"start_time":"2026-06-01T10:00:00Z","end_time":null,"status":"active","total_interactions":0,"total_cost_usd":0,"model":null,"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"metadata":{}}]') $$,
  '42501', 'permission denied for table claude_sessions', 'anon cannot upsert sessions (PostgREST: 401)');

-- ── the ?columns= pitfall: a missing key is NULL, not the default; the merge would NULL stored values ──
select tests.clear_authentication();
select pg_temp.fresh_request('alice', '/claude_sessions');
select throws_ok($$ execute upsert_sessions('[{"session_id":"s-1","start_time":"2026-06-01T10:00:00Z"}]') $$,
  '23502', null, 'an incomplete row (keys missing from the union) fails NOT NULL: the client must send complete rows');

-- ── a SELECT policy is required for ON CONFLICT: without the owner's select policy the upsert fails ──
select tests.clear_authentication();
select is((select count(*)::int from pg_policies where tablename = 'claude_interactions' and cmd = 'SELECT'), 2,
  'claude_interactions keeps SELECT policies (ON CONFLICT needs one that passes for the new row)');

-- ── merge on an existing row needs the UPDATE policy: prove it by dropping it inside this transaction ──
drop policy "sessions: owner can update" on public.claude_sessions;
select pg_temp.fresh_request('alice', '/claude_sessions');
select throws_ok($$ execute upsert_sessions('[
  {"session_id":"s-2","project_path":"/a/q","start_time":"2026-06-01T12:00:00Z","end_time":null,"status":"active","total_interactions":0,"total_cost_usd":0,"model":null,"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"metadata":{}}]') $$,
  '42501', null, 'without an UPDATE policy a merge upsert of an existing row fails: the policy is load-bearing');
select tests.clear_authentication();

-- on_conflict naming columns without a unique constraint → 42P10 (HTTP 400)
select throws_ok($$ insert into public.claude_sessions (session_id, start_time) values ('x', now()) on conflict (session_id) do nothing $$,
  '42P10', null, 'on_conflict=session_id alone is rejected (no global unique key exists)');

select * from finish();
rollback;
