-- Recreates, on a plain PostgreSQL 15 cluster, what a hosted Supabase project provides before any of
-- our migrations run. Applied by test/db/run-db-tests.mjs as `supabase_admin` (the bootstrap superuser:
-- the cluster is initdb'd with `-U supabase_admin`, exactly like Supabase's own images), before
-- `supabase db push` applies supabase/migrations as `postgres`.
--
-- Sources (the Supabase repositories):
--   supabase/postgres migrations/db/init-scripts/00000000000000-initial-schema.sql,
--   00000000000001-auth-schema.sql, 10000000000000_demote-postgres.sql,
--   20230201083204_grant_auth_roles_to_postgres.sql, 20230529180330_alter_api_roles_for_inherit.sql,
--   supabase/auth migrations/20240624145325_recreate_auth_functions.up.sql.
--
-- What matters for the RLS tests: `postgres` is NOT a superuser (but has BYPASSRLS and is a member of
-- the API roles), and every table created in `public` is auto-granted (ALL, including TRUNCATE) to
-- anon/authenticated/service_role through default privileges — so a policy test can only pass because
-- of RLS or an explicit REVOKE in our migrations, never because the test DB forgot a grant.
\set ON_ERROR_STOP on
set client_min_messages = warning;

do $$
begin
  if not (select rolsuper from pg_roles where rolname = current_user) then
    raise exception 'bootstrap must run as the bootstrap superuser (initdb -U supabase_admin), not %', current_user;
  end if;
  if current_user <> 'supabase_admin' then
    raise exception 'initdb the test cluster with -U supabase_admin (connected as %): `postgres` must be a non-superuser as on Supabase', current_user;
  end if;
end $$;

-- ── roles ────────────────────────────────────────────────────────────────────────────────────────────
-- Passwords exist only for this throwaway loopback cluster (pg_hba: scram-sha-256 over TCP).
create role postgres with login createdb createrole replication bypassrls nosuperuser password 'postgres';
create role anon nologin noinherit;
create role authenticated nologin noinherit;
create role service_role nologin noinherit bypassrls;
create role authenticator with login noinherit password 'authenticator';
create role supabase_auth_admin with login noinherit createrole password 'supabase_auth_admin';

-- 20230529180330_alter_api_roles_for_inherit.sql
alter role anon inherit;
alter role authenticated inherit;
alter role service_role inherit;

grant anon, authenticated, service_role to authenticator;
-- 20230201083204_grant_auth_roles_to_postgres.sql (postgres can SET ROLE to the API roles)
grant anon, authenticated, service_role to postgres;

-- per-role settings PostgREST applies with set_config(…, true) on each request
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
alter role authenticator set statement_timeout = '8s';
alter role authenticator set lock_timeout = '8s';
-- (hosted Supabase also sets session_preload_libraries = safeupdate for authenticator; the pg-safeupdate
--  module is not packaged for Debian's PostgreSQL 15, and nothing here relies on it.)

alter role postgres set search_path = "$user", public, extensions;
alter role supabase_admin set search_path = "$user", public, extensions;

-- ── database and schemas ────────────────────────────────────────────────────────────────────────────
-- `postgres` creates schemas (private, supabase_migrations) and owns what migrations create.
grant all on database postgres to postgres;
grant all on schema public to postgres;
grant usage on schema public to anon, authenticated, service_role;

create schema if not exists extensions;
grant usage on schema extensions to postgres, anon, authenticated, service_role;
create extension if not exists pgcrypto with schema extensions;
create extension if not exists "uuid-ossp" with schema extensions;
-- pgTAP the way `supabase test db` installs it (pgtap.control has superuser = false)
create extension if not exists pgtap with schema extensions;

-- Everything created in public is exposed to the API roles (this is what makes REVOKE in migrations matter).
alter default privileges for role postgres in schema public grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on sequences to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public grant all on sequences to postgres, anon, authenticated, service_role;

-- ── auth schema (GoTrue's) ──────────────────────────────────────────────────────────────────────────
create schema auth authorization supabase_admin;
grant usage on schema auth to anon, authenticated, service_role, postgres;
grant all on schema auth to supabase_auth_admin;
-- 20211115181400_update-auth-permissions.sql: postgres gets ALL on what supabase_auth_admin creates
alter default privileges for role supabase_auth_admin in schema auth grant all on tables to postgres;
alter default privileges for role supabase_auth_admin in schema auth grant all on sequences to postgres;
alter default privileges for role supabase_auth_admin in schema auth grant all on functions to postgres;

set role supabase_auth_admin;

create table auth.users (
  instance_id uuid null,
  id uuid not null primary key,
  aud varchar(255) null,
  "role" varchar(255) null,
  email varchar(255) null,
  encrypted_password varchar(255) null,
  email_confirmed_at timestamptz null,
  invited_at timestamptz null,
  confirmation_token varchar(255) null,
  confirmation_sent_at timestamptz null,
  recovery_token varchar(255) null,
  recovery_sent_at timestamptz null,
  email_change_token_new varchar(255) null,
  email_change varchar(255) null,
  email_change_sent_at timestamptz null,
  last_sign_in_at timestamptz null,
  raw_app_meta_data jsonb null,
  raw_user_meta_data jsonb null,
  is_super_admin bool null,
  created_at timestamptz null,
  updated_at timestamptz null,
  phone text null unique default null,
  phone_confirmed_at timestamptz null default null,
  phone_change text null default '',
  phone_change_token varchar(255) null default '',
  phone_change_sent_at timestamptz null default null,
  confirmed_at timestamptz generated always as (least(email_confirmed_at, phone_confirmed_at)) stored,
  email_change_token_current varchar(255) null default '',
  email_change_confirm_status smallint null default 0 check (email_change_confirm_status >= 0 and email_change_confirm_status <= 2),
  banned_until timestamptz null,
  reauthentication_token varchar(255) null default '',
  reauthentication_sent_at timestamptz null default null,
  is_sso_user boolean not null default false,
  deleted_at timestamptz null,
  is_anonymous boolean not null default false
);
create index users_instance_id_idx on auth.users using btree (instance_id);
create index users_instance_id_email_idx on auth.users using btree (instance_id, lower((email)::text));
create unique index users_email_partial_key on auth.users (email) where (is_sso_user = false);
comment on table auth.users is 'Auth: Stores user login data within a secure schema.';

-- supabase/auth migrations/20240624145325_recreate_auth_functions.up.sql (verbatim semantics)
create or replace function auth.uid() returns uuid
  language sql stable set search_path = ''
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;
comment on function auth.uid() is 'Deprecated. Use auth.jwt() -> ''sub'' instead.';

create or replace function auth.role() returns text
  language sql stable set search_path = ''
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;
comment on function auth.role() is 'Deprecated. Use auth.jwt() -> ''role'' instead.';

create or replace function auth.email() returns text
  language sql stable set search_path = ''
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
  )::text
$$;
comment on function auth.email() is 'Deprecated. Use auth.jwt() -> ''email'' instead.';

create or replace function auth.jwt() returns jsonb
  language sql stable set search_path = ''
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

reset role;

-- API roles may call the helpers (default PUBLIC execute stays, as on Supabase) but read no auth table.
grant execute on function auth.uid(), auth.role(), auth.email(), auth.jwt() to anon, authenticated, service_role, postgres;

-- ── realtime publication (starts empty; migrations add tables) ──────────────────────────────────────
create publication supabase_realtime with (publish = 'insert, update, delete, truncate');
alter publication supabase_realtime owner to postgres;
