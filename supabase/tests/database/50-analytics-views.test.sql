-- Analytics pre-aggregates (issue 11): per UTC day and model, per project; API messages only; cost NULL when nothing
-- was priced (never $0); RLS through security_invoker: bob never sees alice's aggregates, a team admin sees her
-- members'. The cross-check against the TypeScript analytics is test/db/e2e/analyticsViews.e2e.test.ts.
begin;
select plan(18);

select tests.create_supabase_user('an_alice');
select tests.create_supabase_user('an_bob');
select tests.create_supabase_user('an_carol');  -- team owner: admin of alice

-- ── structure ───────────────────────────────────────────────────────────────────────────────────────
select has_view('public', 'claude_analytics_daily', 'claude_analytics_daily exists');
select has_view('public', 'claude_analytics_projects', 'claude_analytics_projects exists');
select ok((select 'security_invoker=true' = any(reloptions) from pg_class where oid = 'public.claude_analytics_daily'::regclass),
  'claude_analytics_daily is security_invoker (the caller''s RLS applies)');
select ok((select 'security_invoker=true' = any(reloptions) from pg_class where oid = 'public.claude_analytics_projects'::regclass),
  'claude_analytics_projects is security_invoker (the caller''s RLS applies)');
select table_privs_are('public', 'claude_analytics_daily', 'anon', array[]::text[], 'anon has no privilege on the daily view');
select table_privs_are('public', 'claude_analytics_projects', 'anon', array[]::text[], 'anon has no privilege on the project view');

-- ── alice: two days, two models, a prompt (not usage), an unpriced model ─────────────────────────────
select tests.authenticate_as('an_alice');
insert into public.claude_sessions (session_id, project_path, start_time) values
  ('an-a1', '/w/alpha', '2026-11-02T23:00:00Z'), ('an-a2', null, '2026-11-03T10:00:00Z');
insert into public.claude_interactions (session_id, message_uuid, message_type, model, input_tokens, output_tokens,
  cache_creation_input_tokens, cache_read_input_tokens, cost_usd, occurred_at) values
  ('an-a1', 'a0000000-0000-4000-8000-000000000001', 'user', null, 0, 0, 0, 0, null, '2026-11-02T23:00:00Z'),
  ('an-a1', 'a0000000-0000-4000-8000-000000000002', 'assistant', 'm-x', 100, 10, 1000, 5000, 0.25, '2026-11-02T23:59:59.999Z'),
  ('an-a1', 'a0000000-0000-4000-8000-000000000003', 'assistant', 'm-x', 50, 5, 0, 2000, 0.125, '2026-11-03T00:00:00Z'),
  ('an-a2', 'a0000000-0000-4000-8000-000000000004', 'assistant', 'm-x', 1, 2, 3, 4, 0.000001, '2026-11-03T10:00:00Z'),
  ('an-a2', 'a0000000-0000-4000-8000-000000000005', 'assistant', 'm-new', 7, 8, 0, 0, null, '2026-11-03T10:00:01Z');

select results_eq($$ select day::text, model, sessions, api_messages, input_tokens, output_tokens, cache_creation_input_tokens,
    cache_read_input_tokens, total_tokens, cost_usd, unpriced_tokens from public.claude_analytics_daily order by day, model $$,
  $$ values ('2026-11-02', 'm-x', 1::bigint, 1::bigint, 100::bigint, 10::bigint, 1000::bigint, 5000::bigint, 6110::bigint, 0.25::numeric, 0::bigint),
            ('2026-11-03', 'm-new', 1, 1, 7, 8, 0, 0, 15, null, 15),
            ('2026-11-03', 'm-x', 2, 2, 51, 7, 3, 2004, 2065, 0.125001, 0) $$,
  'per UTC day and model: the day boundary is UTC midnight, prompts are not usage, an unpriced model has a NULL cost');
select results_eq($$ select project_path, sessions, api_messages, total_tokens, cost_usd, unpriced_tokens from public.claude_analytics_projects order by project_path $$,
  $$ values ('(no project)', 1::bigint, 2::bigint, 25::bigint, 0.000001::numeric, 15::bigint),
            ('/w/alpha', 1, 2, 8165, 0.375, 0) $$,
  'per project: a session without a project is "(no project)"; cost sums priced messages only');
select results_eq($$ select distinct user_id from public.claude_analytics_daily $$, $$ values (tests.get_supabase_uid('an_alice')) $$,
  'alice''s daily aggregates are hers');

-- ── bob: his own rows only ──────────────────────────────────────────────────────────────────────────
select tests.authenticate_as('an_bob');
insert into public.claude_sessions (session_id, project_path, start_time) values ('an-b1', '/w/alpha', '2026-11-02T12:00:00Z');
insert into public.claude_interactions (session_id, message_uuid, message_type, model, input_tokens, output_tokens, cost_usd, occurred_at)
  values ('an-b1', 'b0000000-0000-4000-8000-000000000001', 'assistant', 'm-x', 9, 9, 1, '2026-11-02T12:00:00Z');
select results_eq($$ select day::text, api_messages, total_tokens, cost_usd from public.claude_analytics_daily $$,
  $$ values ('2026-11-02', 1::bigint, 18::bigint, 1::numeric) $$, 'bob''s daily view holds his one message, none of alice''s');
select results_eq($$ select project_path, api_messages from public.claude_analytics_projects $$,
  $$ values ('/w/alpha', 1::bigint) $$, 'bob''s project view: the same project path as alice''s, his rows only');
select is_empty(format($$ select 1 from public.claude_analytics_daily where user_id = %L $$, tests.get_supabase_uid('an_alice')),
  'bob never sees alice''s daily aggregates');
select is_empty(format($$ select 1 from public.claude_analytics_projects where user_id = %L $$, tests.get_supabase_uid('an_alice')),
  'bob never sees alice''s project aggregates');

-- ── alice again: bob's rows never reach her sums ────────────────────────────────────────────────────
select tests.authenticate_as('an_alice');
select results_eq($$ select sum(api_messages)::int, sum(cost_usd) from public.claude_analytics_daily $$,
  $$ values (4, 0.375001::numeric) $$, 'alice''s totals hold her four messages and not bob''s');

-- ── a team admin reads her member's aggregates, not a non-member's ─────────────────────────────────
select tests.authenticate_as('an_carol');
insert into public.teams (id, name) values ('7ea40000-0000-4000-8000-0000000000a1', 'analytics');
select public.invite_to_team('7ea40000-0000-4000-8000-0000000000a1', 'an_alice@test.invalid');
select tests.authenticate_as('an_alice');
select public.accept_team_invite(id) from public.team_invites where team_id = '7ea40000-0000-4000-8000-0000000000a1';
select tests.authenticate_as('an_carol');
select results_eq($$ select distinct user_id from public.claude_analytics_daily $$, $$ values (tests.get_supabase_uid('an_alice')) $$,
  'the team admin reads her member''s daily aggregates and not bob''s');
select results_eq($$ select sum(api_messages)::int from public.claude_analytics_projects $$, array[4],
  'the team admin''s project view sums her member''s messages only');

-- ── anonymous callers read nothing ──────────────────────────────────────────────────────────────────
select tests.authenticate_as_anon();
select throws_ok($$ select * from public.claude_analytics_daily $$, '42501', null, 'anon cannot read the daily view');
select throws_ok($$ select * from public.claude_analytics_projects $$, '42501', null, 'anon cannot read the project view');

select * from finish();
rollback;
