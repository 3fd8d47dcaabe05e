-- Teams (admin reads members' rows, never writes them), security_invoker views, delete_my_data().
begin;
select plan(38);

select tests.create_supabase_user('alice');   -- team member
select tests.create_supabase_user('bob');     -- not in the team
select tests.create_supabase_user('carol');   -- team owner (admin rights)
select tests.create_supabase_user('dave');    -- team member, plain

-- data for alice, bob, dave written as postgres (BYPASSRLS), the way a fixture is
insert into public.claude_sessions (user_id, session_id, project_path, start_time, status)
values (tests.get_supabase_uid('alice'), 'sa', '/alice/app', '2026-06-01T10:00:00Z', 'completed'),
       (tests.get_supabase_uid('bob'), 'sb', '/bob/app', '2026-06-01T10:00:00Z', 'completed'),
       (tests.get_supabase_uid('dave'), 'sd', '/dave/app', '2026-06-01T10:00:00Z', 'active');
insert into public.claude_interactions (user_id, session_id, message_uuid, message_type, occurred_at, model, input_tokens, output_tokens, cost_usd)
values (tests.get_supabase_uid('alice'), 'sa', gen_random_uuid(), 'assistant', '2026-06-01T10:00:05Z', 'claude-sonnet-4-5', 100, 10, 0.5),
       (tests.get_supabase_uid('alice'), 'sa', gen_random_uuid(), 'assistant', '2026-06-01T10:01:05Z', 'claude-sonnet-4-5', 200, 20, 0.25),
       (tests.get_supabase_uid('alice'), 'sa', gen_random_uuid(), 'assistant', '2026-06-02T09:00:00Z', 'claude-opus-4-1', 50, 5, 1),
       (tests.get_supabase_uid('bob'), 'sb', gen_random_uuid(), 'assistant', '2026-06-01T10:00:05Z', 'claude-sonnet-4-5', 999, 99, 9),
       (tests.get_supabase_uid('dave'), 'sd', gen_random_uuid(), 'user', '2026-06-01T11:00:00Z', null, 0, 0, null);

-- ── structure ───────────────────────────────────────────────────────────────────────────────────────
select ok((select relrowsecurity from pg_class where oid = 'public.teams'::regclass), 'RLS is enabled on teams');
select ok((select relrowsecurity from pg_class where oid = 'public.team_members'::regclass), 'RLS is enabled on team_members');
select policies_are('public', 'teams', array['teams: members can select', 'teams: creator can insert', 'teams: admins can update', 'teams: owners can delete']);
select policies_are('public', 'team_members', array['team_members: members can select',
  'team_members: admins can update', 'team_members: admins remove, members leave']);
select policy_cmd_is('public', 'claude_sessions', 'sessions: team admins can read', 'select', 'the team-admin policy on sessions is SELECT-only');
select policy_cmd_is('public', 'claude_interactions', 'interactions: team admins can read', 'select', 'the team-admin policy on interactions is SELECT-only');
select is((select bool_and(prosecdef) from pg_proc where pronamespace = 'private'::regnamespace
           and proname in ('my_team_ids', 'team_role', 'is_team_admin', 'admined_user_ids')), true, 'team helpers are SECURITY DEFINER');
select is((select count(*)::int from pg_proc where pronamespace = 'private'::regnamespace
           and not (proconfig @> array['search_path=""'])), 0, 'every private helper pins search_path = ''''');
select schema_privs_are('private', 'anon', array[]::text[], 'anon has no access to the private schema');
select ok(not has_function_privilege('anon', 'public.delete_my_data()', 'execute'), 'anon cannot execute delete_my_data()');
select ok((select 'security_invoker=true' = any(reloptions) from pg_class where oid = 'public.claude_daily_usage'::regclass), 'claude_daily_usage is security_invoker');
select ok((select 'security_invoker=true' = any(reloptions) from pg_class where oid = 'public.claude_daily_usage_by_user'::regclass), 'claude_daily_usage_by_user is security_invoker');
select table_privs_are('public', 'claude_daily_usage', 'anon', array[]::text[], 'anon has no privilege on the usage view');

-- ── carol creates a team: she becomes its owner; adds alice and dave ────────────────────────────────
select tests.authenticate_as('carol');
select lives_ok($$ insert into public.teams (id, name) values ('7ea40000-0000-4000-8000-000000000001', 'platform') $$, 'a user creates a team');
select results_eq($$ select role from public.team_members where team_id = '7ea40000-0000-4000-8000-000000000001' $$, array['owner'],
  'the creator became its owner');
select lives_ok($$ select public.invite_to_team('7ea40000-0000-4000-8000-000000000001', 'alice@test.invalid');
  select public.invite_to_team('7ea40000-0000-4000-8000-000000000001', 'DAVE@test.invalid ') $$, 'the owner invites members');
select tests.authenticate_as('alice');
select public.accept_team_invite(id) from public.team_invites;
select tests.authenticate_as('dave');
select public.accept_team_invite(id) from public.team_invites;
select tests.authenticate_as('carol');

-- ── the admin reads members' rows, but not non-members', and cannot write any ──────────────────────
select results_eq($$ select session_id from public.claude_sessions order by session_id $$, array['sa', 'sd'],
  'team admin reads her members'' sessions and not bob''s');
select results_eq($$ select count(*)::int from public.claude_interactions $$, array[4], 'team admin reads her members'' interactions only');
select is_empty($$ update public.claude_sessions set status = 'error' returning 1 $$, 'team admin cannot update members'' sessions');
select is_empty($$ delete from public.claude_interactions returning 1 $$, 'team admin cannot delete members'' interactions');
select throws_ok(format($$ insert into public.claude_interactions (user_id, session_id, message_uuid, message_type, occurred_at)
  values (%L, 'sa', gen_random_uuid(), 'user', now()) $$, tests.get_supabase_uid('alice')), '42501', null,
  'team admin cannot insert rows as a member');
select results_eq($$ select user_id, sum(cost_usd)::numeric from public.claude_daily_usage group by user_id order by 2 $$,
  format($$ values (%L::uuid, 0::numeric), (%L::uuid, 1.75::numeric) $$, tests.get_supabase_uid('dave'), tests.get_supabase_uid('alice')),
  'the usage view gives the admin her members'' totals');

-- ── plain member: sees own rows only, and the roster; cannot escalate ──────────────────────────────
select tests.authenticate_as('dave');
select results_eq($$ select session_id from public.claude_sessions $$, array['sd'], 'a plain member does not read teammates'' sessions');
select results_eq($$ select count(*)::int from public.team_members $$, array[3], 'a member sees the team roster');
select is_empty($$ update public.team_members set role = 'admin' where user_id = (select auth.uid()) returning 1 $$,
  'a member cannot promote himself');
select throws_ok(format($$ insert into public.team_members (team_id, user_id, role) values ('7ea40000-0000-4000-8000-000000000001', %L, 'member') $$,
  tests.get_supabase_uid('bob')), '42501', null, 'a member cannot add people to the team');

-- ── views do not leak ───────────────────────────────────────────────────────────────────────────────
select tests.authenticate_as('bob');
select results_eq($$ select distinct user_id from public.claude_daily_usage $$, format($$ values (%L::uuid) $$, tests.get_supabase_uid('bob')),
  'bob sees only his own usage in the view');
select results_eq($$ select sum(cost_usd)::numeric from public.claude_daily_usage_by_user $$, array[9::numeric], 'bob''s totals are only his');
select is_empty($$ select * from public.teams $$, 'bob does not see a team he is not in');
select tests.authenticate_as('alice');
select results_eq($$ select day, model, interactions, input_tokens, cost_usd::numeric from public.claude_daily_usage order by day, model $$,
  $$ values ('2026-06-01'::date, 'claude-sonnet-4-5'::text, 2::bigint, 300::bigint, 0.75::numeric), ('2026-06-02'::date, 'claude-opus-4-1'::text, 1::bigint, 50::bigint, 1::numeric) $$,
  'alice''s usage is aggregated per day and model');
select tests.authenticate_as_anon();
select throws_ok($$ select * from public.claude_daily_usage $$, '42501', null, 'anon cannot read the usage view');

-- a plain (non-invoker) view would leak: prove the pitfall the option prevents
select tests.clear_authentication();
create view public.leaky_usage as select user_id, count(*) from public.claude_interactions group by user_id;
grant select on public.leaky_usage to authenticated;
select tests.authenticate_as('bob');
select isnt((select count(*)::int from public.leaky_usage), 1, 'a view without security_invoker shows bob other users'' rows (the pitfall)');
select tests.clear_authentication();
drop view public.leaky_usage;

-- ── delete_my_data removes only the caller's rows ──────────────────────────────────────────────────
select tests.authenticate_as_anon();
select throws_ok($$ select public.delete_my_data() $$, '42501', null, 'anon cannot call delete_my_data');
select tests.authenticate_as('alice');
select is(public.delete_my_data(), '{"interactions": 3, "sessions": 1, "teams": 0, "memberships": 1, "invitations": 1}'::jsonb,
  'delete_my_data reports what it removed for alice');
select tests.clear_authentication();
select results_eq($$ select count(*)::int from public.claude_sessions where user_id = tests.get_supabase_uid('alice') $$, array[0],
  'alice has no sessions left');
select results_eq($$ select count(*)::int from public.claude_interactions where user_id <> tests.get_supabase_uid('alice') $$, array[2],
  'bob''s and dave''s interactions are untouched');
select tests.authenticate_as('carol');
select is(public.delete_my_data() ->> 'teams', '1', 'the owner''s erasure deletes the team she owns');
select tests.clear_authentication();
select results_eq($$ select count(*)::int from public.team_members $$, array[0], 'and with it every membership of that team');

select * from finish();
rollback;
