-- Rows written under the migrations before 20261206030000 (the teams of 20261128230100, when an owner could add
-- anyone): applied by run-db-tests.mjs as postgres, then the consent migration is pushed onto them.
\set ON_ERROR_STOP on
insert into auth.users (id, aud, role, email, email_confirmed_at) values
  ('0e000000-0000-4000-8000-00000000000a', 'authenticated', 'authenticated', 'owner@upgrade.test', now()),
  ('0e000000-0000-4000-8000-00000000000b', 'authenticated', 'authenticated', 'Added.Admin@Upgrade.test', now()),
  ('0e000000-0000-4000-8000-00000000000c', 'authenticated', 'authenticated', 'added.member@upgrade.test', now()),
  ('0e000000-0000-4000-8000-00000000000d', 'authenticated', 'authenticated', null, null);  -- phone user, no email
insert into public.teams (id, name, created_by)
values ('7e000000-0000-4000-8000-000000000001', 'old team', '0e000000-0000-4000-8000-00000000000a');
-- the owner row came from the creation trigger; these were added by the owner, without consent
insert into public.team_members (team_id, user_id, role) values
  ('7e000000-0000-4000-8000-000000000001', '0e000000-0000-4000-8000-00000000000b', 'admin'),
  ('7e000000-0000-4000-8000-000000000001', '0e000000-0000-4000-8000-00000000000c', 'member'),
  ('7e000000-0000-4000-8000-000000000001', '0e000000-0000-4000-8000-00000000000d', 'member');
insert into public.claude_sessions (user_id, session_id, start_time) values
  ('0e000000-0000-4000-8000-00000000000b', 'admin-s', now()),
  ('0e000000-0000-4000-8000-00000000000c', 'member-s', now()),
  ('0e000000-0000-4000-8000-00000000000d', 'phone-s', now());
