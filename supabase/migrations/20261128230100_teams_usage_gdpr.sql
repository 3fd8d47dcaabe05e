-- Teams (admins read their members' sessions, never write them), daily-usage views that cannot leak,
-- and delete_my_data() for GDPR erasure by the caller.
--
-- Helpers that read team_members are SECURITY DEFINER (owned by postgres, which has BYPASSRLS) so the
-- policies on team_members can use them without recursing into their own RLS. They live in `private`,
-- a schema PostgREST does not expose (config.toml [api] schemas = public, graphql_public), so clients
-- cannot call them as RPCs. Each has `set search_path = ''` and fully qualified names.

create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to authenticated, service_role;

-- ── tables ──────────────────────────────────────────────────────────────────────────────────────────
create table public.teams (
  id         uuid primary key default gen_random_uuid(),
  name       text not null check (length(btrim(name)) between 1 and 100),
  created_by uuid not null default auth.uid() references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.teams is 'A group whose admins can read the members'' synced sessions and interactions.';

create table public.team_members (
  team_id    uuid not null references public.teams (id) on delete cascade,
  user_id    uuid not null references auth.users (id) on delete cascade,
  role       text not null default 'member' check (role in ('owner', 'admin', 'member')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (team_id, user_id)
);
create index team_members_user_idx on public.team_members (user_id);

create trigger teams_set_updated_at before update on public.teams
  for each row execute function public.set_updated_at();
create trigger team_members_set_updated_at before update on public.team_members
  for each row execute function public.set_updated_at();

-- ── helpers (SECURITY DEFINER, not exposed) ────────────────────────────────────────────────────────
create function private.my_team_ids() returns setof uuid
  language sql stable security definer set search_path = ''
as $$
  select m.team_id from public.team_members m where m.user_id = auth.uid()
$$;

create function private.team_role(p_team_id uuid) returns text
  language sql stable security definer set search_path = ''
as $$
  select m.role from public.team_members m where m.team_id = p_team_id and m.user_id = auth.uid()
$$;

create function private.is_team_admin(p_team_id uuid) returns boolean
  language sql stable security definer set search_path = ''
as $$
  select coalesce(private.team_role(p_team_id) in ('owner', 'admin'), false)
$$;

-- Every user whose rows the caller may read as an admin (owner/admin) of a team they share.
create function private.admined_user_ids() returns setof uuid
  language sql stable security definer set search_path = ''
as $$
  select them.user_id
  from public.team_members me
  join public.team_members them on them.team_id = me.team_id
  where me.user_id = auth.uid() and me.role in ('owner', 'admin')
$$;

-- The creator of a team becomes its owner.
create function private.add_team_creator_as_owner() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.team_members (team_id, user_id, role) values (new.id, new.created_by, 'owner');
  return new;
end
$$;
create trigger teams_add_creator_as_owner after insert on public.teams
  for each row execute function private.add_team_creator_as_owner();

revoke all on all functions in schema private from public, anon, authenticated;
grant execute on function private.my_team_ids(), private.team_role(uuid), private.is_team_admin(uuid),
  private.admined_user_ids() to authenticated;

-- ── privileges and policies ─────────────────────────────────────────────────────────────────────────
alter table public.teams enable row level security;
alter table public.team_members enable row level security;
revoke all on public.teams, public.team_members from anon, authenticated;
grant select, insert, update, delete on public.teams, public.team_members to authenticated;
revoke truncate, references, trigger on public.teams, public.team_members from service_role;
grant select, insert, update, delete on public.teams, public.team_members to service_role;

create policy "teams: members can select" on public.teams
  for select to authenticated using (id in (select private.my_team_ids()) or created_by = (select auth.uid()));
create policy "teams: creator can insert" on public.teams
  for insert to authenticated with check (created_by = (select auth.uid()));
create policy "teams: admins can update" on public.teams
  for update to authenticated using ((select private.is_team_admin(id))) with check ((select private.is_team_admin(id)));
create policy "teams: owners can delete" on public.teams
  for delete to authenticated using ((select private.team_role(id)) = 'owner');

create policy "team_members: members can select" on public.team_members
  for select to authenticated using (team_id in (select private.my_team_ids()));
-- only an owner may create or touch an owner row; admins manage admins and members
create policy "team_members: admins can insert" on public.team_members
  for insert to authenticated
  with check ((select private.is_team_admin(team_id)) and (role <> 'owner' or (select private.team_role(team_id)) = 'owner'));
create policy "team_members: admins can update" on public.team_members
  for update to authenticated
  using ((select private.is_team_admin(team_id)) and (role <> 'owner' or (select private.team_role(team_id)) = 'owner'))
  with check ((select private.is_team_admin(team_id)) and (role <> 'owner' or (select private.team_role(team_id)) = 'owner'));
create policy "team_members: admins remove, members leave" on public.team_members
  for delete to authenticated
  using (user_id = (select auth.uid())
         or ((select private.is_team_admin(team_id)) and (role <> 'owner' or (select private.team_role(team_id)) = 'owner')));

-- Additive, SELECT-only: a team admin reads members' sessions and interactions; writes stay owner-only.
-- `= any (array(select …))` (an InitPlan array), not `in (select …)` (a hashed SubPlan): OR'ed with the owner
-- policy, only the former lets the planner use the user_id indexes (BitmapOr) instead of a sequential scan of
-- every user's rows on each dashboard query (pgTAP 35-rls-plans proves the plans).
create policy "sessions: team admins can read" on public.claude_sessions
  for select to authenticated using (user_id = any (array(select private.admined_user_ids())));
create policy "interactions: team admins can read" on public.claude_interactions
  for select to authenticated using (user_id = any (array(select private.admined_user_ids())));

-- ── daily usage views (security_invoker: the caller's RLS applies; a default view would run as its owner,
--    postgres, which bypasses RLS and leaks every user's rows) ────────────────────────────────────────
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

-- ── GDPR: the caller erases everything they synced ─────────────────────────────────────────────────
-- SECURITY INVOKER: it can only ever delete what the caller's own policies allow, i.e. their rows.
-- Teams the caller owns are deleted with them (and with them other members' memberships of those teams,
-- never other members' sessions); memberships in other teams are removed.
create function public.delete_my_data() returns jsonb
  language plpgsql security invoker set search_path = ''
as $$
declare
  me uuid := auth.uid();
  n_interactions bigint;
  n_sessions bigint;
  n_teams bigint;
  n_memberships bigint;
begin
  if me is null then
    raise exception 'delete_my_data: not signed in' using errcode = '42501';
  end if;
  delete from public.claude_interactions where user_id = me;
  get diagnostics n_interactions = row_count;
  delete from public.claude_sessions where user_id = me;
  get diagnostics n_sessions = row_count;
  delete from public.teams t where t.id in (select m.team_id from public.team_members m where m.user_id = me and m.role = 'owner');
  get diagnostics n_teams = row_count;
  delete from public.team_members where user_id = me;
  get diagnostics n_memberships = row_count;
  return jsonb_build_object('interactions', n_interactions, 'sessions', n_sessions, 'teams', n_teams, 'memberships', n_memberships);
end
$$;
comment on function public.delete_my_data() is 'Deletes every row the caller owns (sessions, interactions, owned teams, memberships). Call: rpc(''delete_my_data'').';
revoke all on function public.delete_my_data() from public, anon, authenticated;
grant execute on function public.delete_my_data() to authenticated;
