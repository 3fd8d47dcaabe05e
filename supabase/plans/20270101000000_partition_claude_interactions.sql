-- PLAN (not applied by default): monthly range partitioning of public.claude_interactions.
--
-- When: interactions pass tens of millions of rows, or retention must drop old months cheaply
-- (DETACH + DROP is instant; DELETE of millions of rows is not). Until then a plain table with the
-- (user_id, occurred_at) index is simpler and just as fast for the dashboards.
--
-- How to apply: copy this file into supabase/migrations/ (keep or renew its timestamp) and run
-- `supabase db push`. It runs in one transaction, takes an ACCESS EXCLUSIVE lock on claude_interactions
-- while it copies the rows (plan a quiet window; ~1 s per ~100k rows), and is proven by the db tier:
-- test/db/run-db-tests.mjs pushes it with the Supabase CLI onto a copy of the migrated test database
-- that holds fixture rows, then runs supabase/tests/partitioning/*.test.sql against the result.
--
-- What changes, and what stays correct:
--  * Uniqueness: PostgreSQL requires every unique key of a partitioned table to include the partition key,
--    so the idempotency key becomes unique (user_id, message_uuid, occurred_at) and the primary key
--    (id, occurred_at). The sync client then upserts with on_conflict=user_id,message_uuid,occurred_at
--    (SyncConfig.interactionConflictKey in src/core/sync). This stays exactly-once because occurred_at is the
--    transcript timestamp of the line, which never changes for a given message uuid (never now()).
--  * RLS: policies on the parent apply to queries through the parent. A partition queried directly is its
--    own table and would bypass them (on Supabase it would also be auto-granted to the API roles if it lived
--    in public). So partitions live in schema `partitions` (not exposed by PostgREST), have RLS enabled with
--    no policy (deny all), and all privileges revoked from anon/authenticated — checked by pgTAP.
--  * The composite FK (user_id, session_id) → claude_sessions and its cascade are kept; the updated_at
--    trigger, the owner and team-admin policies, grants and the security_invoker views are recreated.
--  * A DEFAULT partition catches rows outside the prepared months, so a sync never fails on a timestamp;
--    private.ensure_interactions_partition() moves such rows into the month's partition when it creates it.
--  * Maintenance (pg_cron, when the extension is enabled; jobs run as postgres without a JWT, hence
--    SECURITY DEFINER functions): create next month's partition daily, drop months past retention monthly.

create schema if not exists partitions;
revoke all on schema partitions from public;
comment on schema partitions is 'Monthly partitions of claude_interactions. Not exposed by PostgREST; every partition has RLS on and no API grants.';

-- ── the partitioned table ───────────────────────────────────────────────────────────────────────────
drop view public.claude_daily_usage_by_user;
drop view public.claude_daily_usage;
drop view public.claude_analytics_daily;
drop view public.claude_analytics_projects;

alter table public.claude_interactions rename to claude_interactions_unpartitioned;
alter table public.claude_interactions_unpartitioned rename constraint claude_interactions_pkey to claude_interactions_unpartitioned_pkey;
alter table public.claude_interactions_unpartitioned rename constraint claude_interactions_user_message_key to claude_interactions_unpartitioned_user_message_key;
alter table public.claude_interactions_unpartitioned rename constraint claude_interactions_session_fk to claude_interactions_unpartitioned_session_fk;
alter index public.claude_interactions_session_idx rename to claude_interactions_unpartitioned_session_idx;
alter index public.claude_interactions_user_time_idx rename to claude_interactions_unpartitioned_user_time_idx;

create table public.claude_interactions (
  id                  uuid not null default gen_random_uuid(),
  user_id             uuid not null default auth.uid() references auth.users (id) on delete cascade,
  session_id          text not null,
  message_uuid        uuid not null,
  message_type        text not null
                        check (message_type in ('user', 'assistant', 'system', 'tool_use', 'tool_result', 'summary', 'other')),
  user_prompt         text,
  claude_response     text,
  tools_used          jsonb,
  performance_metrics jsonb,
  context_analysis    jsonb,
  privacy_status      jsonb,
  model               text,
  input_tokens        bigint not null default 0 check (input_tokens >= 0),
  output_tokens       bigint not null default 0 check (output_tokens >= 0),
  cache_creation_input_tokens bigint not null default 0 check (cache_creation_input_tokens >= 0),
  cache_read_input_tokens     bigint not null default 0 check (cache_read_input_tokens >= 0),
  cost_usd            numeric(14, 6) check (cost_usd is null or cost_usd >= 0),
  occurred_at         timestamptz not null,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  constraint claude_interactions_pkey primary key (id, occurred_at),
  constraint claude_interactions_user_message_key unique (user_id, message_uuid, occurred_at),
  constraint claude_interactions_session_fk foreign key (user_id, session_id)
    references public.claude_sessions (user_id, session_id) on delete cascade
) partition by range (occurred_at);
comment on table public.claude_interactions is 'Masked transcript interactions, partitioned by month of occurred_at; upsert ignore-duplicates on (user_id, message_uuid, occurred_at).';
comment on column public.claude_interactions.message_uuid is 'The transcript line uuid: with occurred_at, the sync idempotency key.';
comment on column public.claude_interactions.occurred_at is 'Transcript time of the message (not server time); the partition key.';

create index claude_interactions_session_idx on public.claude_interactions (user_id, session_id, occurred_at);
create index claude_interactions_user_time_idx on public.claude_interactions (user_id, occurred_at desc);

create trigger claude_interactions_set_updated_at before update on public.claude_interactions
  for each row execute function public.set_updated_at();

-- ── partition management (SECURITY DEFINER: pg_cron runs without a JWT) ─────────────────────────────
create function private.harden_interactions_partition(p regclass) returns void
  language plpgsql security definer set search_path = ''
as $$
begin
  execute format('alter table %s enable row level security', p);
  execute format('revoke all on table %s from public, anon, authenticated', p);
  execute format('grant select, insert, update, delete on table %s to service_role', p);
end
$$;

create function private.ensure_interactions_partition(p_month date) returns regclass
  language plpgsql security definer set search_path = ''
as $$
declare
  lo date := date_trunc('month', p_month)::date;
  hi date := (date_trunc('month', p_month) + interval '1 month')::date;
  part text := format('claude_interactions_p%s', to_char(lo, 'YYYY_MM'));
  existing regclass := to_regclass(format('partitions.%I', part));
begin
  if existing is not null then
    return existing;
  end if;
  execute format('create table partitions.%I (like public.claude_interactions including defaults including constraints)', part);
  -- rows that landed in the default partition for this month move into the new one before it is attached
  execute format(
    'with moved as (delete from partitions.claude_interactions_default where occurred_at >= %L and occurred_at < %L returning *)
     insert into partitions.%I select * from moved', lo, hi, part);
  execute format('alter table public.claude_interactions attach partition partitions.%I for values from (%L) to (%L)', part, lo, hi);
  perform private.harden_interactions_partition(format('partitions.%I', part)::regclass);
  return format('partitions.%I', part)::regclass;
end
$$;

-- Drops whole months older than the retention (DETACH + DROP: instant, no vacuum debt).
create function private.drop_old_interaction_partitions(p_keep interval default interval '12 months') returns int
  language plpgsql security definer set search_path = ''
as $$
declare
  r record;
  n int := 0;
  cutoff date := date_trunc('month', now() - p_keep)::date;
begin
  for r in
    select c.oid::regclass as part, c.relname
    from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'public.claude_interactions'::regclass and c.relname ~ '^claude_interactions_p\d{4}_\d{2}$'
  loop
    if to_date(substring(r.relname from '(\d{4}_\d{2})$'), 'YYYY_MM') < cutoff then
      execute format('alter table public.claude_interactions detach partition %s', r.part);
      execute format('drop table %s', r.part);
      n := n + 1;
    end if;
  end loop;
  return n;
end
$$;

revoke all on function private.harden_interactions_partition(regclass), private.ensure_interactions_partition(date),
  private.drop_old_interaction_partitions(interval) from public, anon, authenticated;
grant execute on function private.ensure_interactions_partition(date), private.drop_old_interaction_partitions(interval) to service_role;

create table partitions.claude_interactions_default partition of public.claude_interactions default;
select private.harden_interactions_partition('partitions.claude_interactions_default');

-- every month that has rows, plus the current and the next two
do $$
declare
  m date;
  first_month date := coalesce((select date_trunc('month', min(occurred_at))::date from public.claude_interactions_unpartitioned),
                               date_trunc('month', now())::date);
begin
  m := least(first_month, date_trunc('month', now())::date);
  while m <= (date_trunc('month', now()) + interval '2 months')::date loop
    if m >= date_trunc('month', now())::date
       or exists (select 1 from public.claude_interactions_unpartitioned
                  where occurred_at >= m and occurred_at < (m + interval '1 month')) then
      perform private.ensure_interactions_partition(m);
    end if;
    m := (m + interval '1 month')::date;
  end loop;
end $$;

insert into public.claude_interactions (
  id, user_id, session_id, message_uuid, message_type, user_prompt, claude_response, tools_used, performance_metrics,
  context_analysis, privacy_status, model, input_tokens, output_tokens, cache_creation_input_tokens, cache_read_input_tokens,
  cost_usd, occurred_at, created_at, updated_at)
select
  id, user_id, session_id, message_uuid, message_type, user_prompt, claude_response, tools_used, performance_metrics,
  context_analysis, privacy_status, model, input_tokens, output_tokens, cache_creation_input_tokens, cache_read_input_tokens,
  cost_usd, occurred_at, created_at, updated_at
from public.claude_interactions_unpartitioned;

drop table public.claude_interactions_unpartitioned;

-- ── privileges and policies on the parent (identical to the unpartitioned table) ───────────────────
alter table public.claude_interactions enable row level security;
revoke all on public.claude_interactions from anon, authenticated;
grant select, insert, update, delete on public.claude_interactions to authenticated;
revoke truncate, references, trigger on public.claude_interactions from service_role;
grant select, insert, update, delete on public.claude_interactions to service_role;

create policy "interactions: owner can select" on public.claude_interactions
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "interactions: owner can insert" on public.claude_interactions
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "interactions: owner can update" on public.claude_interactions
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy "interactions: owner can delete" on public.claude_interactions
  for delete to authenticated using ((select auth.uid()) = user_id);
create policy "interactions: team admins can read" on public.claude_interactions
  for select to authenticated using (user_id = any (array(select private.admined_user_ids())));

-- ── views (recreated unchanged) ─────────────────────────────────────────────────────────────────────
create view public.claude_daily_usage with (security_invoker = true) as
select
  i.user_id,
  (i.occurred_at at time zone 'UTC')::date                      as day,
  s.project_path,
  coalesce(i.model, 'unknown')                                    as model,
  count(*)                                                        as interactions,
  count(distinct i.session_id)                                    as sessions,
  coalesce(sum(i.input_tokens), 0)::bigint                        as input_tokens,
  coalesce(sum(i.output_tokens), 0)::bigint                       as output_tokens,
  coalesce(sum(i.cache_creation_input_tokens), 0)::bigint         as cache_creation_input_tokens,
  coalesce(sum(i.cache_read_input_tokens), 0)::bigint             as cache_read_input_tokens,
  coalesce(sum(i.cost_usd), 0)::numeric(14, 6)                    as cost_usd
from public.claude_interactions i
join public.claude_sessions s on s.user_id = i.user_id and s.session_id = i.session_id
group by i.user_id, (i.occurred_at at time zone 'UTC')::date, s.project_path, coalesce(i.model, 'unknown');
comment on view public.claude_daily_usage is 'Per user / UTC day / project / model usage. security_invoker: callers see only rows RLS lets them see.';

create view public.claude_daily_usage_by_user with (security_invoker = true) as
select user_id, day, sum(interactions)::bigint as interactions, sum(input_tokens)::bigint as input_tokens,
       sum(output_tokens)::bigint as output_tokens, sum(cost_usd)::numeric(14, 6) as cost_usd
from public.claude_daily_usage
group by user_id, day;

revoke all on public.claude_daily_usage, public.claude_daily_usage_by_user from anon, authenticated;
grant select on public.claude_daily_usage, public.claude_daily_usage_by_user to authenticated, service_role;

-- the analytics pre-aggregates (20261206060000_analytics_views.sql), unchanged
create view public.claude_analytics_daily with (security_invoker = true) as
select
  i.user_id,
  (i.occurred_at at time zone 'UTC')::date                                     as day,
  coalesce(i.model, '(unknown)')                                                as model,
  count(distinct i.session_id)::bigint                                          as sessions,
  count(*)::bigint                                                              as api_messages,
  sum(i.input_tokens)::bigint                                                   as input_tokens,
  sum(i.output_tokens)::bigint                                                  as output_tokens,
  sum(i.cache_creation_input_tokens)::bigint                                    as cache_creation_input_tokens,
  sum(i.cache_read_input_tokens)::bigint                                        as cache_read_input_tokens,
  sum(i.input_tokens + i.output_tokens + i.cache_creation_input_tokens + i.cache_read_input_tokens)::bigint
                                                                                as total_tokens,
  sum(i.cost_usd)::numeric(16, 6)                                               as cost_usd,
  coalesce(sum(i.input_tokens + i.output_tokens + i.cache_creation_input_tokens + i.cache_read_input_tokens)
    filter (where i.cost_usd is null), 0)::bigint                               as unpriced_tokens
from public.claude_interactions i
where i.message_type = 'assistant'
group by i.user_id, (i.occurred_at at time zone 'UTC')::date, coalesce(i.model, '(unknown)');
comment on view public.claude_analytics_daily is 'Per user / UTC day / model: API messages, tokens, priced cost (NULL when nothing was priced) and unpriced tokens. security_invoker: callers see only rows RLS lets them see.';

create view public.claude_analytics_projects with (security_invoker = true) as
select
  i.user_id,
  coalesce(s.project_path, '(no project)')                                      as project_path,
  count(distinct i.session_id)::bigint                                          as sessions,
  count(*)::bigint                                                              as api_messages,
  sum(i.input_tokens)::bigint                                                   as input_tokens,
  sum(i.output_tokens)::bigint                                                  as output_tokens,
  sum(i.cache_creation_input_tokens)::bigint                                    as cache_creation_input_tokens,
  sum(i.cache_read_input_tokens)::bigint                                        as cache_read_input_tokens,
  sum(i.input_tokens + i.output_tokens + i.cache_creation_input_tokens + i.cache_read_input_tokens)::bigint
                                                                                as total_tokens,
  sum(i.cost_usd)::numeric(16, 6)                                               as cost_usd,
  coalesce(sum(i.input_tokens + i.output_tokens + i.cache_creation_input_tokens + i.cache_read_input_tokens)
    filter (where i.cost_usd is null), 0)::bigint                               as unpriced_tokens,
  min(i.occurred_at)                                                            as first_at,
  max(i.occurred_at)                                                            as last_at
from public.claude_interactions i
join public.claude_sessions s on s.user_id = i.user_id and s.session_id = i.session_id
where i.message_type = 'assistant'
group by i.user_id, coalesce(s.project_path, '(no project)');
comment on view public.claude_analytics_projects is 'Per user / project: sessions with usage, API messages, tokens, priced cost (NULL when nothing was priced) and unpriced tokens. security_invoker: callers see only rows RLS lets them see.';

revoke all on public.claude_analytics_daily, public.claude_analytics_projects from anon, authenticated;
grant select on public.claude_analytics_daily, public.claude_analytics_projects to authenticated, service_role;

-- ── maintenance jobs, when pg_cron is enabled (Dashboard → Database → Extensions) ──────────────────
do $$
begin
  if exists (select 1 from pg_extension where extname = 'pg_cron') then
    perform cron.schedule('cct-interactions-next-partition', '5 0 * * *',
      $job$select private.ensure_interactions_partition((now() + interval '1 month')::date)$job$);
    perform cron.schedule('cct-interactions-retention', '15 0 1 * *',
      $job$select private.drop_old_interaction_partitions(interval '12 months')$job$);
  else
    raise notice 'pg_cron is not enabled: schedule private.ensure_interactions_partition(next month) daily and private.drop_old_interaction_partitions() monthly';
  end if;
end $$;
