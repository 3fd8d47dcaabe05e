-- Owner isolation on claude_sessions / claude_interactions, requests impersonated exactly as PostgREST
-- does (transaction-local set_config of role and request.jwt.claims; see tests.authenticate_as()).
begin;
select plan(44);

select tests.create_supabase_user('alice');
select tests.create_supabase_user('bob');

-- ── structure ───────────────────────────────────────────────────────────────────────────────────────
select ok((select relrowsecurity from pg_class where oid = 'public.claude_sessions'::regclass), 'RLS is enabled on claude_sessions');
select ok((select relrowsecurity from pg_class where oid = 'public.claude_interactions'::regclass), 'RLS is enabled on claude_interactions');
select policies_are('public', 'claude_sessions', array[
  'sessions: owner can select', 'sessions: owner can insert', 'sessions: owner can update', 'sessions: owner can delete',
  'sessions: team admins can read'], 'claude_sessions has exactly the owner policies and the team-admin read policy');
select policies_are('public', 'claude_interactions', array[
  'interactions: owner can select', 'interactions: owner can insert', 'interactions: owner can update', 'interactions: owner can delete',
  'interactions: team admins can read'], 'claude_interactions has exactly the owner policies and the team-admin read policy');
select col_is_unique('public', 'claude_sessions', array['user_id', 'session_id'], 'session_id is unique per user');
select col_is_unique('public', 'claude_interactions', array['user_id', 'message_uuid'], 'message_uuid is unique per user');
select isnt(
  (select count(*)::int from pg_constraint where conrelid = 'public.claude_sessions'::regclass and contype = 'u'
     and conkey = array[(select attnum from pg_attribute where attrelid = 'public.claude_sessions'::regclass and attname = 'session_id')]),
  1, 'session_id alone is NOT globally unique (one user must not block or probe another''s ids)');
select fk_ok('public', 'claude_interactions', array['user_id', 'session_id'], 'public', 'claude_sessions', array['user_id', 'session_id'],
  'interactions reference their session through (user_id, session_id)');
select table_privs_are('public', 'claude_sessions', 'anon', array[]::text[], 'anon has no privilege on claude_sessions');
select table_privs_are('public', 'claude_interactions', 'anon', array[]::text[], 'anon has no privilege on claude_interactions');
select table_privs_are('public', 'claude_sessions', 'authenticated', array['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  'authenticated: select/insert/update/delete on claude_sessions, no TRUNCATE/REFERENCES/TRIGGER');
select table_privs_are('public', 'claude_interactions', 'authenticated', array['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  'authenticated: select/insert/update/delete on claude_interactions, no TRUNCATE/REFERENCES/TRIGGER');

select ok(exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'claude_sessions'),
  'claude_sessions is in the supabase_realtime publication');
select ok(not exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and tablename = 'claude_interactions'),
  'claude_interactions (large, high volume) is not published');
select is((select relreplident::text from pg_class where oid = 'public.claude_sessions'::regclass), 'f',
  'claude_sessions has replica identity full (old values on UPDATE/DELETE events)');

-- ── the owner: insert / select / update / delete ─────────────────────────────────────────────────────
select tests.authenticate_as('alice');
select lives_ok($$ insert into public.claude_sessions (session_id, project_path, start_time, status)
                   values ('s-alice-1', '/home/alice/proj', '2026-06-01T10:00:00Z', 'active') $$,
  'owner can insert a session without sending user_id (default auth.uid())');
select is((select user_id from public.claude_sessions where session_id = 's-alice-1'), tests.get_supabase_uid('alice'),
  'user_id was filled from the JWT sub');
select lives_ok($$ insert into public.claude_interactions (session_id, message_uuid, message_type, occurred_at, input_tokens, output_tokens)
                   values ('s-alice-1', '00000000-0000-4000-8000-00000000a001', 'user', '2026-06-01T10:00:01Z', 0, 0),
                          ('s-alice-1', '00000000-0000-4000-8000-00000000a002', 'assistant', '2026-06-01T10:00:05Z', 1200, 300) $$,
  'owner can insert interactions into their session');
select results_eq($$ select count(*)::int from public.claude_interactions $$, array[2], 'owner sees their interactions');
select lives_ok($$ update public.claude_sessions set status = 'completed', end_time = '2026-06-01T11:00:00Z' where session_id = 's-alice-1' $$,
  'owner can update their session');
select is((select status from public.claude_sessions where session_id = 's-alice-1'), 'completed', 'the update took effect');
select ok((select updated_at >= created_at from public.claude_sessions where session_id = 's-alice-1'), 'updated_at maintained by the trigger');
select throws_ok($$ insert into public.claude_sessions (session_id, start_time, status) values ('s-bad', now(), 'weird') $$,
  '23514', null, 'status is checked');

-- ── another user ────────────────────────────────────────────────────────────────────────────────────
select tests.authenticate_as('bob');
select is_empty($$ select * from public.claude_sessions $$, 'bob cannot read alice''s sessions');
select is_empty($$ select * from public.claude_interactions $$, 'bob cannot read alice''s interactions');
select is_empty($$ update public.claude_sessions set status = 'error' where session_id = 's-alice-1' returning 1 $$,
  'bob''s update of alice''s session touches no row');
select is_empty($$ delete from public.claude_sessions where session_id = 's-alice-1' returning 1 $$,
  'bob''s delete of alice''s session touches no row');
select is_empty($$ delete from public.claude_interactions returning 1 $$, 'bob''s delete of interactions touches none of alice''s');
select throws_ok(format($$ insert into public.claude_sessions (user_id, session_id, start_time) values (%L, 's-forged', now()) $$,
  tests.get_supabase_uid('alice')), '42501', 'new row violates row-level security policy for table "claude_sessions"',
  'bob cannot insert a session as alice');
select lives_ok($$ insert into public.claude_sessions (session_id, start_time) values ('s-alice-1', '2026-06-02T09:00:00Z') $$,
  'bob can use the same Claude session id as alice (unique per user, no cross-tenant collision)');
select throws_ok(format($$ insert into public.claude_interactions (user_id, session_id, message_uuid, message_type, occurred_at)
                          values (%L, 's-alice-1', gen_random_uuid(), 'user', now()) $$, tests.get_supabase_uid('alice')),
  '42501', null, 'bob cannot insert an interaction as alice');
select throws_ok($$ insert into public.claude_interactions (session_id, message_uuid, message_type, occurred_at)
                   values ('s-only-alice-has', gen_random_uuid(), 'user', now()) $$,
  '23503', null, 'bob cannot attach an interaction to a session he does not own (composite FK)');
select throws_ok($$ update public.claude_sessions set user_id = (select tests.get_supabase_uid('alice')) where session_id = 's-alice-1' $$,
  '42501', null, 'bob cannot move his own session to alice');
select throws_ok($$ truncate public.claude_interactions $$, '42501', null, 'TRUNCATE (which ignores RLS) is not granted');

-- ── anon (publishable key, no user) ─────────────────────────────────────────────────────────────────
select tests.authenticate_as_anon();
select throws_ok($$ select * from public.claude_sessions $$, '42501', null, 'anon cannot read claude_sessions');
select throws_ok($$ select * from public.claude_interactions $$, '42501', null, 'anon cannot read claude_interactions');
select throws_ok($$ insert into public.claude_sessions (session_id, start_time) values ('s-anon', now()) $$, '42501', null,
  'anon cannot insert');

-- ── service_role bypasses RLS (it must never ship in the client) ────────────────────────────────────
select tests.clear_authentication();
select set_config('role', 'service_role', true);
select results_eq($$ select count(*)::int from public.claude_sessions $$, array[2], 'service_role sees every user''s sessions');

-- ── owner delete, and cascade ───────────────────────────────────────────────────────────────────────
select tests.clear_authentication();
select tests.authenticate_as('alice');
select is((select count(*)::int from public.claude_sessions), 1, 'alice still sees exactly her one session');
select lives_ok($$ delete from public.claude_interactions where message_uuid = '00000000-0000-4000-8000-00000000a001' $$,
  'owner can delete an interaction');
select lives_ok($$ delete from public.claude_sessions where session_id = 's-alice-1' $$, 'owner can delete their session');
select is_empty($$ select * from public.claude_interactions $$, 'deleting the session cascaded to its interactions');
select tests.clear_authentication();
select is((select count(*)::int from public.claude_sessions where session_id = 's-alice-1'), 1,
  'bob''s session with the same Claude id survived alice''s delete');
delete from auth.users where id = tests.get_supabase_uid('bob');
select is((select count(*)::int from public.claude_sessions), 0, 'deleting the auth user cascades to their sessions');

select * from finish();
rollback;
