-- The test cluster behaves like a hosted Supabase project where our migrations rely on it (test/db/bootstrap.sql).
-- If these fail, every RLS test below could pass or fail for the wrong reason.
begin;
select plan(14);

select ok((select rolbypassrls and not rolsuper from pg_roles where rolname = 'postgres'), 'postgres: BYPASSRLS, not a superuser');
select ok(pg_has_role('postgres', 'anon', 'member') and pg_has_role('postgres', 'authenticated', 'member') and pg_has_role('postgres', 'service_role', 'member'),
  'postgres can SET ROLE to the API roles');
select ok((select not rolinherit and rolcanlogin from pg_roles where rolname = 'authenticator'), 'authenticator: LOGIN, NOINHERIT');
select ok(pg_has_role('authenticator', 'authenticated', 'member') and pg_has_role('authenticator', 'anon', 'member'), 'authenticator can switch to anon/authenticated');
select ok((select rolbypassrls from pg_roles where rolname = 'service_role'), 'service_role bypasses RLS');
select ok((select not rolbypassrls from pg_roles where rolname = 'authenticated'), 'authenticated does not bypass RLS');

-- default privileges: a new public table is exposed to the API roles, TRUNCATE included (so REVOKE in migrations matters)
create table public.__probe (x int);
select ok(has_table_privilege('anon', 'public.__probe', 'select') and has_table_privilege('authenticated', 'public.__probe', 'truncate'),
  'a new public table is auto-granted to anon/authenticated, TRUNCATE included, as on Supabase');
drop table public.__probe;

select ok(not has_table_privilege('authenticated', 'auth.users', 'select'), 'API roles cannot read auth.users');
select ok(has_table_privilege('postgres', 'auth.users', 'insert'), 'postgres can write auth.users (FKs, test users)');

-- auth.uid()/role()/email()/jwt(): Supabase's definitions, both claim forms
select set_config('request.jwt.claims', '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated","email":"a@b.c"}', true);
select is(auth.uid(), '11111111-1111-4111-8111-111111111111'::uuid, 'auth.uid() reads request.jwt.claims ->> sub');
select is(auth.role() || '|' || auth.email() || '|' || (auth.jwt() ->> 'sub'), 'authenticated|a@b.c|11111111-1111-4111-8111-111111111111',
  'auth.role(), auth.email(), auth.jwt()');
select set_config('request.jwt.claim.sub', '22222222-2222-4222-8222-222222222222', true);
select is(auth.uid(), '22222222-2222-4222-8222-222222222222'::uuid, 'the legacy per-claim setting wins when both are set');
select set_config('request.jwt.claim.sub', '', true), set_config('request.jwt.claims', '', true);
select is(auth.uid(), null, 'no claims (empty after a commit): auth.uid() is null, owner policies deny');

select ok(exists (select 1 from pg_publication where pubname = 'supabase_realtime' and pubinsert and pubupdate and pubdelete),
  'the supabase_realtime publication exists');

select * from finish();
rollback;
