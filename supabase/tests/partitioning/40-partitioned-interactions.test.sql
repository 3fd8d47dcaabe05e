-- Runs against the test database AFTER supabase/plans/*_partition_claude_interactions.sql was pushed onto it
-- (with test/db/partition-fixture.sql rows present before). Proves uniqueness, RLS and partition hardening.
begin;
select plan(28);

-- ── shape ───────────────────────────────────────────────────────────────────────────────────────────
select is((select relkind::text from pg_class where oid = 'public.claude_interactions'::regclass), 'p', 'claude_interactions is partitioned');
select is((select pg_get_partkeydef('public.claude_interactions'::regclass)), 'RANGE (occurred_at)', 'by range of occurred_at');
select ok((select count(*) from pg_inherits where inhparent = 'public.claude_interactions'::regclass) >= 5,
  'partitions exist: fixture months, current month, next two, default');
select is((select count(*)::int from pg_inherits i join pg_class c on c.oid = i.inhrelid
           where i.inhparent = 'public.claude_interactions'::regclass and c.relnamespace <> 'partitions'::regnamespace), 0,
  'every partition lives in the unexposed partitions schema');
select is((select count(*)::int from pg_inherits i join pg_class c on c.oid = i.inhrelid
           where i.inhparent = 'public.claude_interactions'::regclass and not c.relrowsecurity), 0, 'RLS is enabled on every partition');
select is((select count(*)::int from pg_inherits i join pg_class c on c.oid = i.inhrelid
           where i.inhparent = 'public.claude_interactions'::regclass
             and (has_table_privilege('authenticated', c.oid, 'select') or has_table_privilege('anon', c.oid, 'select')
                  or has_table_privilege('authenticated', c.oid, 'insert'))), 0, 'no partition is granted to anon or authenticated');
select col_is_unique('public', 'claude_interactions', array['user_id', 'message_uuid', 'occurred_at'], 'the idempotency key includes the partition key');
select fk_ok('public', 'claude_interactions', array['user_id', 'session_id'], 'public', 'claude_sessions', array['user_id', 'session_id'],
  'the composite FK to the session survived');
select policies_are('public', 'claude_interactions', array['interactions: owner can select', 'interactions: owner can insert',
  'interactions: owner can update', 'interactions: owner can delete', 'interactions: team admins can read'], 'the policies were recreated');
select table_privs_are('public', 'claude_interactions', 'anon', array[]::text[], 'anon has nothing on the parent');
select ok(to_regclass('public.claude_interactions_unpartitioned') is null, 'the old table is gone');
select ok((select 'security_invoker=true' = any(reloptions) from pg_class where oid = 'public.claude_daily_usage'::regclass), 'the usage view is still security_invoker');
select ok((select bool_and('security_invoker=true' = any(reloptions)) from pg_class
  where oid in ('public.claude_analytics_daily'::regclass, 'public.claude_analytics_projects'::regclass)),
  'the analytics views are recreated, still security_invoker');

-- ── the rows that existed before were copied into their months ─────────────────────────────────────
select is((select count(*)::int from public.claude_interactions), 3, 'all 3 pre-existing interactions were copied');
select is((select count(*)::int from partitions.claude_interactions_p2025_11), 2, 'November rows are in the November partition');
select is((select count(*)::int from partitions.claude_interactions_p2025_12), 1, 'December row is in the December partition');

-- ── owner upserts with the new conflict key, retries are idempotent ────────────────────────────────
select set_config('pgrst.inserted', '', true);
select tests.authenticate_as('pa', 'POST', '/claude_interactions');
prepare ins(json) as
WITH pgrst_source AS (
  INSERT INTO "public"."claude_interactions"("session_id", "message_uuid", "message_type", "occurred_at")
  SELECT "pgrst_body"."session_id", "pgrst_body"."message_uuid", "pgrst_body"."message_type", "pgrst_body"."occurred_at"
  FROM (SELECT $1 AS json_data) pgrst_payload,
  LATERAL (SELECT "session_id", "message_uuid", "message_type", "occurred_at"
           FROM json_to_recordset(pgrst_payload.json_data) AS _("session_id" text, "message_uuid" uuid, "message_type" text, "occurred_at" timestamp with time zone)) pgrst_body
  WHERE set_config('pgrst.inserted', (coalesce(nullif(current_setting('pgrst.inserted', true), '')::int, 0) + 1)::text, true) <> '0'
  ON CONFLICT("user_id", "message_uuid", "occurred_at") DO NOTHING
  RETURNING 1)
SELECT pg_catalog.count(_postgrest_t) AS page_total FROM (SELECT * FROM pgrst_source) _postgrest_t;
select results_eq($$ execute ins('[{"session_id":"old-a","message_uuid":"aaaaaaaa-0000-4000-8000-000000000002","message_type":"assistant","occurred_at":"2025-11-30T23:59:59Z"},
                                   {"session_id":"old-a","message_uuid":"aaaaaaaa-0000-4000-8000-000000000003","message_type":"user","occurred_at":"2025-11-30T23:59:59.5Z"}]') $$,
  array[1::bigint], 'a retried batch inserts only the new row (on_conflict=user_id,message_uuid,occurred_at)');
select results_eq($$ execute ins('[{"session_id":"old-a","message_uuid":"aaaaaaaa-0000-4000-8000-000000000004","message_type":"user","occurred_at":"2031-01-01T00:00:00Z"}]') $$,
  array[1::bigint], 'a row far outside the prepared months lands in the default partition instead of failing the sync');
select results_eq($$ select count(*)::int from public.claude_interactions $$, array[4], 'the owner reads her 4 rows through the parent');

create function pg_temp.plan_of(q text) returns text language plpgsql as $$
declare r text; out text := '';
begin
  for r in execute 'explain (costs off) ' || q loop out := out || r || E'\n'; end loop;
  return out;
end $$;
select unalike(pg_temp.plan_of($q$select count(*) from public.claude_interactions where occurred_at >= '2025-11-01' and occurred_at < '2025-12-01'$q$),
  '%claude_interactions_p2025_12%', 'a one-month query is pruned to that month''s partition (under RLS)');

-- ── RLS through the parent, and partitions are closed to the API roles ─────────────────────────────
select tests.authenticate_as('pb');
select results_eq($$ select count(*)::int from public.claude_interactions $$, array[1], 'another user reads only his own row through the parent');
select is_empty($$ delete from public.claude_interactions where user_id <> (select auth.uid()) returning 1 $$, 'and cannot delete hers');
select throws_ok($$ select * from partitions.claude_interactions_p2025_11 $$, '42501', null,
  'selecting a partition directly is denied (it would bypass the parent''s policies)');
select throws_ok(format($$ insert into public.claude_interactions (user_id, session_id, message_uuid, message_type, occurred_at)
  values (%L, 'old-a', gen_random_uuid(), 'user', '2025-11-05T00:00:00Z') $$, tests.get_supabase_uid('pa')), '42501', null,
  'inserting as another user is still refused');
select tests.authenticate_as_anon();
select throws_ok($$ select * from public.claude_interactions $$, '42501', null, 'anon is refused');

-- ── maintenance functions ──────────────────────────────────────────────────────────────────────────
select tests.clear_authentication();
select is(private.ensure_interactions_partition('2031-01-15')::text, 'partitions.claude_interactions_p2031_01',
  'creating a month moves its rows out of the default partition');
select is((select count(*)::int from partitions.claude_interactions_default), 0, 'the default partition is empty again');
select is(private.drop_old_interaction_partitions(interval '3 months') >= 2, true, 'retention drops the old months');

select * from finish();
rollback;
