-- After 20261206030000 on the fixture's rows: memberships added without consent are not accepted and grant no
-- reads; their members (with an email) have a pending invitation that restores the membership when accepted.
begin;
select plan(11);

create function pg_temp.as_user(uid uuid) returns void language sql as $$
  select set_config('role', 'authenticated', true),
         set_config('request.jwt.claims', json_build_object('sub', uid, 'role', 'authenticated')::text, true);
$$;
create function pg_temp.as_postgres() returns void language sql as $$
  select set_config('role', 'none', true), set_config('request.jwt.claims', '', true);
$$;

select results_eq($$ select user_id::text, role, accepted_at is not null from public.team_members order by role desc, user_id $$,
  $$ values ('0e000000-0000-4000-8000-00000000000a', 'owner', true),
            ('0e000000-0000-4000-8000-00000000000c', 'member', false),
            ('0e000000-0000-4000-8000-00000000000d', 'member', false),
            ('0e000000-0000-4000-8000-00000000000b', 'admin', false) $$,
  'the owner stays accepted; every membership the owner added is not accepted');
select results_eq($$ select email, role, invited_by::text, status from public.team_invites order by email $$,
  $$ values ('added.admin@upgrade.test', 'admin', '0e000000-0000-4000-8000-00000000000a', 'pending'),
            ('added.member@upgrade.test', 'member', '0e000000-0000-4000-8000-00000000000a', 'pending') $$,
  'each not-accepted member with an email got a pending invitation (address lower-cased, role kept, from the creator)');
select ok((select bool_and(expires_at > now() + interval '29 days') from public.team_invites), 'valid for 30 days');

select pg_temp.as_user('0e000000-0000-4000-8000-00000000000a');
select is_empty($$ select 1 from public.claude_sessions $$, 'the owner reads none of the sessions of members who never accepted');
select is_empty($$ select 1 from public.claude_daily_usage $$, 'nor their usage');
select pg_temp.as_user('0e000000-0000-4000-8000-00000000000b');
select results_eq($$ select session_id from public.claude_sessions $$, array['admin-s'],
  'the unaccepted admin reads only her own sessions');
select results_eq($$ select count(*)::int from public.team_invites $$, array[1], 'she sees her invitation');
select results_eq($$ select name from public.teams $$, array['old team'], 'and the team''s name');

select pg_temp.as_user('0e000000-0000-4000-8000-00000000000c');
select results_eq($$ select role, accepted_at is not null from public.accept_team_invite(
    (select id from public.team_invites where email = 'added.member@upgrade.test')) $$,
  $$ values ('member'::text, true) $$, 'the member accepts his invitation');
select pg_temp.as_user('0e000000-0000-4000-8000-00000000000a');
select results_eq($$ select session_id from public.claude_sessions $$, array['member-s'],
  'from then on the owner reads his sessions, and only his');
select pg_temp.as_user('0e000000-0000-4000-8000-00000000000d');
select lives_ok($$ select public.leave_team('7e000000-0000-4000-8000-000000000001') $$,
  'a member without email address leaves the team he never joined');
select pg_temp.as_postgres();

select * from finish();
rollback;
