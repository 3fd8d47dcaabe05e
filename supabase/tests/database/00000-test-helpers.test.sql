-- Test helpers shared by every pgTAP file (basejump "supabase_test_helpers" style).
-- This file runs first (files are run in name order) and COMMITS, so the helpers exist for the others.
-- They live in schema `tests`, which PostgREST never exposes (config.toml [api] schemas), and exist only
-- in test databases: nothing under supabase/migrations depends on them.
create schema if not exists tests;
grant usage on schema tests to anon, authenticated, service_role;

-- Create an auth user the way GoTrue does (what matters to RLS: a row in auth.users with an id); its email is
-- confirmed, as after an OTP/magic-link sign-in (team invitations need it). The identifier is kept in
-- raw_user_meta_data so tests refer to users by name.
create or replace function tests.create_supabase_user(identifier text, email text default null)
  returns uuid
  language plpgsql security definer set search_path = ''
as $$
declare
  uid uuid := gen_random_uuid();
begin
  insert into auth.users (id, aud, role, email, email_confirmed_at, raw_user_meta_data, raw_app_meta_data, created_at, updated_at)
  values (uid, 'authenticated', 'authenticated', coalesce(email, identifier || '@test.invalid'), now(),
          jsonb_build_object('test_identifier', identifier), '{"provider":"email","providers":["email"]}'::jsonb,
          now(), now());
  return uid;
end
$$;

create or replace function tests.get_supabase_uid(identifier text)
  returns uuid
  language plpgsql stable security definer set search_path = ''
as $$
declare
  uid uuid;
begin
  select id into uid from auth.users where raw_user_meta_data ->> 'test_identifier' = identifier;
  if uid is null then
    raise exception 'tests: no user with identifier %', identifier;
  end if;
  return uid;
end
$$;

-- Impersonate a signed-in user exactly as PostgREST (v12–v14 PreQuery) does at the start of each request:
-- transaction-local set_config of role and request.jwt.claims (+ method/path/headers/cookies).
create or replace function tests.authenticate_as(identifier text, method text default 'POST', path text default '/')
  returns void
  language plpgsql set search_path = ''
as $$
declare
  uid uuid := tests.get_supabase_uid(identifier);
  claims text := json_build_object(
      'aud', 'authenticated', 'exp', extract(epoch from now() + interval '1 hour')::bigint,
      'sub', uid, 'email', identifier || '@test.invalid', 'role', 'authenticated',
      'aal', 'aal1', 'session_id', gen_random_uuid(), 'is_anonymous', false)::text;
begin
  perform set_config('search_path', '"public", "extensions"', true),
          set_config('statement_timeout', '8s', true),
          set_config('role', 'authenticated', true),
          set_config('request.jwt.claims', claims, true),
          set_config('request.method', method, true),
          set_config('request.path', path, true),
          set_config('request.headers', '{"accept":"*/*","content-type":"application/json"}', true),
          set_config('request.cookies', '{}', true);
end
$$;

-- A request with only the publishable (anon) key: role anon, claims {"role":"anon"}.
create or replace function tests.authenticate_as_anon()
  returns void
  language plpgsql set search_path = ''
as $$
begin
  perform set_config('search_path', '"public", "extensions"', true),
          set_config('role', 'anon', true),
          set_config('request.jwt.claims', '{"role":"anon","iss":"supabase"}', true),
          set_config('request.method', 'GET', true),
          set_config('request.path', '/', true);
end
$$;

-- Back to the test's own role (postgres) with no claims.
create or replace function tests.clear_authentication()
  returns void
  language plpgsql set search_path = ''
as $$
begin
  perform set_config('role', 'none', true),
          set_config('request.jwt.claims', '', true),
          set_config('search_path', '"$user", public, extensions', true);
end
$$;

grant execute on all functions in schema tests to anon, authenticated, service_role;

select plan(4);
select has_function('tests', 'create_supabase_user', array['text', 'text'], 'tests.create_supabase_user() exists');
select has_function('tests', 'authenticate_as', array['text', 'text', 'text'], 'tests.authenticate_as() exists');
select is(current_user::text, 'postgres', 'tests run as postgres (the non-superuser migrations role), as supabase test db does');
select ok(not (select rolsuper from pg_roles where rolname = 'postgres'), 'postgres is not a superuser here, as on Supabase');
select * from finish();
