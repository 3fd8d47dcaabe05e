-- Rows that exist BEFORE the partitioning plan is pushed (committed), so the plan's copy step is proven.
-- Applied by run-db-tests.mjs to the copy database, as postgres, before `supabase db push` of the plan.
\set ON_ERROR_STOP on
select tests.create_supabase_user('pa');
select tests.create_supabase_user('pb');
insert into public.claude_sessions (user_id, session_id, project_path, start_time, status)
values (tests.get_supabase_uid('pa'), 'old-a', '/pa/app', '2025-11-03T10:00:00Z', 'completed'),
       (tests.get_supabase_uid('pb'), 'old-b', '/pb/app', '2025-12-24T10:00:00Z', 'completed');
insert into public.claude_interactions (user_id, session_id, message_uuid, message_type, occurred_at, model, input_tokens, cost_usd)
values (tests.get_supabase_uid('pa'), 'old-a', 'aaaaaaaa-0000-4000-8000-000000000001', 'user', '2025-11-03T10:00:01Z', null, 0, null),
       (tests.get_supabase_uid('pa'), 'old-a', 'aaaaaaaa-0000-4000-8000-000000000002', 'assistant', '2025-11-30T23:59:59Z', 'claude-sonnet-4-5', 100, 0.1),
       (tests.get_supabase_uid('pb'), 'old-b', 'bbbbbbbb-0000-4000-8000-000000000001', 'assistant', '2025-12-24T10:00:05Z', 'claude-opus-4-1', 300, 2.5);
