-- Team invitations (issue 14 §2): an owner/admin invites an email address; only the invitee (whose confirmed email
-- matches) sees, accepts or declines it; admins read only accepted members; nobody can rewrite a membership's
-- user_id or forge its acceptance; a member leaves; the last owner hands over before leaving.
begin;
select plan(61);

select tests.create_supabase_user('olga');   -- creates the team (owner)
select tests.create_supabase_user('ivan');   -- invited, accepts
select tests.create_supabase_user('sam');    -- invited later, declines; otherwise a stranger
select tests.create_supabase_user('mia');    -- accepted plain member

insert into public.claude_sessions (user_id, session_id, project_path, start_time, status)
values (tests.get_supabase_uid('ivan'), 'si', '/ivan/app', '2026-06-01T10:00:00Z', 'completed'),
       (tests.get_supabase_uid('sam'), 'ss', '/sam/app', '2026-06-01T10:00:00Z', 'completed');
insert into public.claude_interactions (user_id, session_id, message_uuid, message_type, occurred_at)
values (tests.get_supabase_uid('ivan'), 'si', gen_random_uuid(), 'user', '2026-06-01T10:00:05Z'),
       (tests.get_supabase_uid('sam'), 'ss', gen_random_uuid(), 'user', '2026-06-01T10:00:05Z');

-- ── structure ───────────────────────────────────────────────────────────────────────────────────────
select ok((select relrowsecurity from pg_class where oid = 'public.team_invites'::regclass), 'RLS is enabled on team_invites');
select policies_are('public', 'team_invites', array['team_invites: admins and the invitee can select', 'team_invites: admins can revoke',
  'team_invites: the invitee can delete']);
select table_privs_are('public', 'team_invites', 'authenticated', array['SELECT', 'DELETE'],
  'clients only read and revoke invitations; they are written by the RPCs');
select table_privs_are('public', 'team_invites', 'anon', array[]::text[], 'anon has no privilege on team_invites');
select ok(not has_table_privilege('authenticated', 'public.team_members', 'INSERT'), 'clients cannot insert memberships');
select ok(has_column_privilege('authenticated', 'public.team_members', 'role', 'UPDATE'), 'clients may update a membership''s role');
select ok(not has_column_privilege('authenticated', 'public.team_members', 'user_id', 'UPDATE')
  and not has_column_privilege('authenticated', 'public.team_members', 'team_id', 'UPDATE')
  and not has_column_privilege('authenticated', 'public.team_members', 'accepted_at', 'UPDATE'),
  'but never its user_id, team_id or accepted_at');
select is((select count(*)::int from pg_proc where pronamespace = 'public'::regnamespace and prosecdef
           and proname in ('invite_to_team', 'accept_team_invite', 'decline_team_invite', 'leave_team')), 0,
  'the public team RPCs are SECURITY INVOKER wrappers');
select is((select count(*)::int from pg_proc where pronamespace = 'private'::regnamespace and prosecdef
           and proname in ('invite_to_team', 'accept_team_invite', 'decline_team_invite', 'leave_team', 'my_invite')), 5,
  'their work is done by SECURITY DEFINER functions in the unexposed private schema');
select ok(not has_function_privilege('anon', 'public.invite_to_team(uuid, text, text)', 'execute')
  and not has_function_privilege('anon', 'public.accept_team_invite(uuid)', 'execute')
  and not has_function_privilege('anon', 'public.decline_team_invite(uuid)', 'execute')
  and not has_function_privilege('anon', 'public.leave_team(uuid)', 'execute'), 'anon cannot call the team RPCs');

-- ── invite ──────────────────────────────────────────────────────────────────────────────────────────
select tests.authenticate_as('olga');
insert into public.teams (id, name) values ('1a000000-0000-4000-8000-000000000001', 'core');
select results_eq($$ select role, accepted_at is not null from public.team_members $$, $$ values ('owner'::text, true) $$,
  'the creator is the team''s accepted owner');

create temp table replies (who text, reply jsonb) on commit drop;
grant all on replies to authenticated;
insert into replies select 'ivan', to_jsonb(public.invite_to_team('1a000000-0000-4000-8000-000000000001', ' Ivan@Test.Invalid'));
insert into replies select 'ghost', to_jsonb(public.invite_to_team('1a000000-0000-4000-8000-000000000001', 'ghost@test.invalid'));
select is((select reply ->> 'email' from replies where who = 'ivan'), 'ivan@test.invalid', 'the address is trimmed and lower-cased');
select is((select reply - 'id' - 'email' from replies where who = 'ivan'), (select reply - 'id' - 'email' from replies where who = 'ghost'),
  'inviting an address with an account and one without gives the same reply (no enumeration)');
select is((select reply ->> 'status' from replies where who = 'ghost'), 'pending', 'the invitation is pending');
select is((select (reply ->> 'id')::uuid from replies where who = 'ivan'),
  (select id from public.invite_to_team('1a000000-0000-4000-8000-000000000001', 'ivan@test.invalid')),
  'inviting the same address again renews the same pending invitation');
select throws_ok($$ select public.invite_to_team('1a000000-0000-4000-8000-000000000001', 'not an address') $$, '22023', null,
  'an invalid address is refused');
select throws_ok($$ select public.invite_to_team('1a000000-0000-4000-8000-000000000001', 'x@test.invalid', 'owner') $$, '22023', null,
  'nobody is invited as owner');
select results_eq($$ select count(*)::int from public.team_invites $$, array[2], 'the owner sees her team''s invitations');
select is_empty($$ select 1 from public.claude_sessions where user_id <> (select auth.uid()) $$,
  'an invitation alone lets the owner read nothing of the invitee');

-- ── who sees it ─────────────────────────────────────────────────────────────────────────────────────
select tests.authenticate_as('sam');
select is_empty($$ select 1 from public.team_invites $$, 'a stranger sees no invitation');
select is_empty($$ select 1 from public.teams $$, 'nor the team');
select throws_ok(format($$ select public.accept_team_invite(%L) $$, (select reply ->> 'id' from replies where who = 'ivan')),
  'P0002', null, 'a stranger cannot accept someone else''s invitation');
select throws_ok(format($$ select public.decline_team_invite(%L) $$, (select reply ->> 'id' from replies where who = 'ivan')),
  'P0002', null, 'nor decline it');
select throws_ok($$ select public.invite_to_team('1a000000-0000-4000-8000-000000000001', 'sam@test.invalid') $$, '42501', null,
  'a non-member cannot invite');

select tests.clear_authentication();
update auth.users set email_confirmed_at = null where id = tests.get_supabase_uid('ivan');
select tests.authenticate_as('ivan');
select is_empty($$ select 1 from public.team_invites $$, 'an unconfirmed address sees no invitation');
select throws_ok(format($$ select public.accept_team_invite(%L) $$, (select reply ->> 'id' from replies where who = 'ivan')),
  'P0002', null, 'nor accepts one (the JWT email claim alone is not trusted)');
select tests.clear_authentication();
update auth.users set email_confirmed_at = now() where id = tests.get_supabase_uid('ivan');

select tests.authenticate_as('ivan');
select results_eq($$ select i.email, t.name from public.team_invites i join public.teams t on t.id = i.team_id $$,
  $$ values ('ivan@test.invalid'::text, 'core'::text) $$, 'the invitee sees his invitation and the team''s name, not others''');
select is_empty($$ select 1 from public.team_members where user_id <> (select auth.uid()) $$, 'but not the roster');

-- ── accept ──────────────────────────────────────────────────────────────────────────────────────────
select results_eq(format($$ select role, accepted_at is not null, user_id = (select auth.uid()) from public.accept_team_invite(%L) $$,
  (select reply ->> 'id' from replies where who = 'ivan')), $$ values ('member'::text, true, true) $$, 'the invitee accepts and is a member');
select throws_ok(format($$ select public.accept_team_invite(%L) $$, (select reply ->> 'id' from replies where who = 'ivan')),
  '55000', null, 'an invitation is answered once');
select results_eq($$ select count(*)::int from public.team_members $$, array[2], 'a member sees the roster');
select is_empty($$ select 1 from public.claude_sessions where user_id <> (select auth.uid()) $$, 'a plain member reads only his own rows');

select tests.authenticate_as('olga');
select results_eq($$ select session_id from public.claude_sessions $$, array['si'], 'the owner reads the accepted member''s sessions');
select results_eq($$ select count(*)::int from public.claude_interactions $$, array[1], 'and his interactions, nobody else''s');

-- ── a membership's user_id and acceptance cannot be rewritten ───────────────────────────────────────
select throws_ok(format($$ update public.team_members set user_id = %L where user_id = %L $$,
  tests.get_supabase_uid('sam'), tests.get_supabase_uid('ivan')), '42501', null,
  'the owner cannot move a consenting member''s row to a stranger');
select throws_ok(format($$ update public.team_members set accepted_at = now() where user_id = %L $$, tests.get_supabase_uid('ivan')),
  '42501', null, 'nor write accepted_at');
select throws_ok(format($$ insert into public.team_members (team_id, user_id, role, accepted_at)
  values ('1a000000-0000-4000-8000-000000000001', %L, 'member', now()) $$, tests.get_supabase_uid('sam')), '42501', null,
  'nor insert an accepted membership');
select is_empty($$ select 1 from public.claude_sessions where user_id = tests.get_supabase_uid('sam') $$, 'sam stays unreadable');

-- ── decline, expiry, revoke ─────────────────────────────────────────────────────────────────────────
insert into replies select 'sam', to_jsonb(public.invite_to_team('1a000000-0000-4000-8000-000000000001', 'sam@test.invalid'));
select tests.authenticate_as('sam');
select results_eq(format($$ select status, responded_at is not null from public.decline_team_invite(%L) $$,
  (select reply ->> 'id' from replies where who = 'sam')), $$ values ('declined'::text, true) $$, 'the invitee declines');
select throws_ok(format($$ select public.accept_team_invite(%L) $$, (select reply ->> 'id' from replies where who = 'sam')),
  '55000', null, 'a declined invitation cannot be accepted');
select is_empty($$ select 1 from public.team_members where user_id = (select auth.uid()) $$, 'declining makes no membership');
select tests.authenticate_as('olga');
select is_empty($$ select 1 from public.claude_sessions where user_id = tests.get_supabase_uid('sam') $$,
  'the owner reads nothing of someone who declined');

insert into replies select 'sam2', to_jsonb(public.invite_to_team('1a000000-0000-4000-8000-000000000001', 'sam@test.invalid'));
select tests.clear_authentication();
update public.team_invites set expires_at = now() - interval '1 second', created_at = now() - interval '15 days'
where id = (select (reply ->> 'id')::uuid from replies where who = 'sam2');
select tests.authenticate_as('sam');
select throws_ok(format($$ select public.accept_team_invite(%L) $$, (select reply ->> 'id' from replies where who = 'sam2')),
  '55000', null, 'an expired invitation cannot be accepted');
select tests.authenticate_as('olga');
select results_eq($$ delete from public.team_invites where email = 'ghost@test.invalid' returning status $$, array['pending'],
  'an admin revokes a pending invitation');

-- mia joins as a plain member; a member can neither invite nor revoke
insert into replies select 'mia', to_jsonb(public.invite_to_team('1a000000-0000-4000-8000-000000000001', 'mia@test.invalid'));
select tests.authenticate_as('mia');
select lives_ok(format($$ select public.accept_team_invite(%L) $$, (select reply ->> 'id' from replies where who = 'mia')), 'mia accepts');
select throws_ok($$ select public.invite_to_team('1a000000-0000-4000-8000-000000000001', 'friend@test.invalid') $$, '42501', null,
  'a plain member cannot invite');
select is_empty($$ delete from public.team_invites where email <> 'mia@test.invalid' returning 1 $$,
  'nor revoke invitations (only her own, as an invitee)');

-- ── leave ───────────────────────────────────────────────────────────────────────────────────────────
select tests.authenticate_as('ivan');
select results_eq($$ select role from public.leave_team('1a000000-0000-4000-8000-000000000001') $$, array['member'], 'a member leaves');
select throws_ok($$ select public.leave_team('1a000000-0000-4000-8000-000000000001') $$, 'P0002', null, 'and is no longer a member');
select tests.authenticate_as('olga');
select is_empty($$ select 1 from public.claude_sessions where user_id <> (select auth.uid()) $$, 'after leaving, the owner reads 0 of his rows');

-- ── the last owner hands over before leaving ────────────────────────────────────────────────────────
select throws_ok($$ select public.leave_team('1a000000-0000-4000-8000-000000000001') $$, '55000', null, 'the last owner cannot leave');
select throws_ok($$ update public.team_members set role = 'member' where user_id = (select auth.uid()) $$, '55000', null,
  'nor stop being owner');
select throws_ok($$ delete from public.team_members where user_id = (select auth.uid()) $$, '55000', null,
  'nor delete her own row directly');
select lives_ok(format($$ update public.team_members set role = 'owner' where user_id = %L $$, tests.get_supabase_uid('mia')),
  'she makes an accepted member owner');
select results_eq($$ select role from public.leave_team('1a000000-0000-4000-8000-000000000001') $$, array['owner'], 'then leaves');
select tests.authenticate_as('mia');
select results_eq($$ select count(*)::int from public.team_members where role = 'owner' $$, array[1], 'the team has its new owner');

-- ── a membership from before consent was required (accepted_at null) ────────────────────────────────
select tests.clear_authentication();
insert into public.team_members (team_id, user_id, role) values ('1a000000-0000-4000-8000-000000000001', tests.get_supabase_uid('sam'), 'admin');
select tests.authenticate_as('sam');
select is_empty($$ select 1 from public.claude_sessions where user_id <> (select auth.uid()) $$,
  'an unaccepted admin row gives its holder no admin reads');
select tests.authenticate_as('mia');
select is_empty($$ select 1 from public.claude_sessions where user_id <> (select auth.uid()) $$,
  'and the team''s owner no reads of the unaccepted member');
insert into replies select 'sam3', to_jsonb(public.invite_to_team('1a000000-0000-4000-8000-000000000001', 'sam@test.invalid'));
select tests.authenticate_as('sam');
select results_eq(format($$ select role, accepted_at is not null from public.accept_team_invite(%L) $$,
  (select reply ->> 'id' from replies where who = 'sam3')), $$ values ('member'::text, true) $$,
  'accepting an invitation accepts that row, with the invitation''s role');

-- ── erasure: delete_my_data() removes the invitations to the caller's address ───────────────────────
select tests.authenticate_as('mia');
insert into replies select 'ivan2', to_jsonb(public.invite_to_team('1a000000-0000-4000-8000-000000000001', 'ivan@test.invalid'));
select tests.authenticate_as('ivan');
select is((public.delete_my_data() ->> 'invitations')::int, 2, 'delete_my_data erases every invitation to the caller''s address (answered or not)');
select tests.clear_authentication();
select is_empty($$ select 1 from public.team_invites where email = 'ivan@test.invalid' $$, 'none is left');

select * from finish();
rollback;
