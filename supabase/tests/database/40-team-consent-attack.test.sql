-- Issue 14 §2: membership must be consented to. The attack on the first teams migration: anyone signs up,
-- creates a team (becoming its owner), adds a stranger's user id to it and reads the stranger's synced
-- sessions and interactions through the "team admins can read" policies. Every read below must be empty.
begin;
select plan(7);

select tests.create_supabase_user('mallory');  -- the attacker: any signed-up user
select tests.create_supabase_user('victim');   -- a stranger who never agreed to join anything

insert into public.claude_sessions (user_id, session_id, project_path, start_time, status)
values (tests.get_supabase_uid('victim'), 'victim-s', '/victim/secret', '2026-06-01T10:00:00Z', 'completed');
insert into public.claude_interactions (user_id, session_id, message_uuid, message_type, occurred_at)
values (tests.get_supabase_uid('victim'), 'victim-s', gen_random_uuid(), 'user', '2026-06-01T10:00:05Z');

select tests.authenticate_as('mallory');
select lives_ok($$ insert into public.teams (id, name) values ('a77ac000-0000-4000-8000-000000000001', 'trap') $$,
  'anyone can create a team (and owns it)');
select throws_ok(format($$ insert into public.team_members (team_id, user_id, role)
  values ('a77ac000-0000-4000-8000-000000000001', %L, 'member') $$, tests.get_supabase_uid('victim')),
  '42501', null, 'the owner cannot add a stranger''s user id to her team');
select is_empty($$ select 1 from public.claude_sessions where user_id <> (select auth.uid()) $$,
  'after the attempt, the attacker reads none of the stranger''s sessions');
select is_empty($$ select 1 from public.claude_interactions where user_id <> (select auth.uid()) $$,
  'nor any of the stranger''s interactions');
select is_empty($$ select 1 from public.claude_daily_usage where user_id <> (select auth.uid()) $$,
  'nor the stranger''s usage through the view');

-- A membership row that exists without the member's consent (e.g. one added before this fix, which the
-- migration marks not accepted) grants the team's admins nothing.
select tests.clear_authentication();
insert into public.team_members (team_id, user_id, role)
values ('a77ac000-0000-4000-8000-000000000001', tests.get_supabase_uid('victim'), 'member') on conflict do nothing;
select tests.authenticate_as('mallory');
select is_empty($$ select 1 from public.claude_sessions where user_id <> (select auth.uid()) $$,
  'an unaccepted membership row lets the owner read none of the member''s sessions');
select is_empty($$ select 1 from public.claude_interactions where user_id <> (select auth.uid()) $$,
  'nor the member''s interactions');

select * from finish();
rollback;
