-- Team membership needs the member's consent (issue 14 §2).
--
-- Before this migration a team's owner could insert any user id into team_members, and admins read every member
-- row's sessions and interactions: anyone could sign up, create a team, add a stranger's user id and read the
-- stranger's synced data. Now:
--   * clients cannot insert team_members rows at all. A membership row is created only by the team-creation
--     trigger (the creator, as owner) or by accept_team_invite(), which the invitee calls;
--   * invitations go to an email address (team_invites). Only a signed-in user whose CONFIRMED email address
--     (auth.users.email_confirmed_at) equals the invitation's can see it, accept or decline it. The JWT's
--     email claim alone is not trusted: with email confirmation off, anyone can sign up under any address;
--   * invite_to_team() never reads auth.users, so its reply is the same whether or not the address has an
--     account (no enumeration);
--   * team_members.accepted_at: admins read only members who accepted, and only while they accepted themselves;
--   * clients may update only team_members.role (column privilege): user_id, team_id and accepted_at cannot be
--     changed, so an admin can neither move a consenting member's row to someone else nor forge an acceptance;
--   * a team keeps at least one accepted owner: the last owner cannot leave or be demoted; they hand over
--     first (make another accepted member owner) or delete the team.
-- Existing memberships other than owners become NOT accepted, and each such member with an email address gets
-- a pending invitation (valid 30 days) so they can accept (or decline) with the same commands.
--
-- RPC pattern (as delete_my_data): the public functions are SECURITY INVOKER wrappers; the work happens in
-- SECURITY DEFINER functions in `private` (not exposed by PostgREST), each with `set search_path = ''`.

-- ── team_members: consent ──────────────────────────────────────────────────────────────────────────
alter table public.team_members add column accepted_at timestamptz;
comment on column public.team_members.accepted_at is
  'When the member accepted (owners: when they created the team). NULL = not accepted: grants nothing.';
update public.team_members set accepted_at = created_at where role = 'owner';

-- ── invitations ────────────────────────────────────────────────────────────────────────────────────
create table public.team_invites (
  id           uuid primary key default gen_random_uuid(),
  team_id      uuid not null references public.teams (id) on delete cascade,
  email        text not null check (email = lower(btrim(email)) and length(email) <= 320
                                    and email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
  role         text not null default 'member' check (role in ('admin', 'member')),
  invited_by   uuid references auth.users (id) on delete set null,
  status       text not null default 'pending' check (status in ('pending', 'accepted', 'declined')),
  created_at   timestamptz not null default now(),
  expires_at   timestamptz not null default now() + interval '14 days',
  responded_at timestamptz,
  constraint team_invites_responded check ((status = 'pending') = (responded_at is null))
);
comment on table public.team_invites is
  'An invitation of an email address to a team. Only the invitee (confirmed email) accepts or declines it.';
create unique index team_invites_one_pending_idx on public.team_invites (team_id, email) where status = 'pending';
create index team_invites_email_idx on public.team_invites (email) where status = 'pending';

-- Existing non-owner memberships were never consented to: they stay as unaccepted rows (granting nothing)
-- and their members get an invitation to accept or decline.
insert into public.team_invites (team_id, email, role, invited_by, expires_at)
select m.team_id, lower(btrim(u.email)), m.role, t.created_by, now() + interval '30 days'
from public.team_members m
join public.teams t on t.id = m.team_id
join auth.users u on u.id = m.user_id
where m.accepted_at is null and m.role in ('admin', 'member')
  and length(lower(btrim(u.email))) <= 320 and lower(btrim(u.email)) ~ '^[^@[:space:]]+@[^@[:space:]]+$'
on conflict do nothing;

-- ── helpers (SECURITY DEFINER, not exposed): only accepted memberships count ──────────────────────
create or replace function private.my_team_ids() returns setof uuid
  language sql stable security definer set search_path = ''
as $$
  select m.team_id from public.team_members m where m.user_id = auth.uid() and m.accepted_at is not null
$$;

create or replace function private.team_role(p_team_id uuid) returns text
  language sql stable security definer set search_path = ''
as $$
  select m.role from public.team_members m
  where m.team_id = p_team_id and m.user_id = auth.uid() and m.accepted_at is not null
$$;

create or replace function private.admined_user_ids() returns setof uuid
  language sql stable security definer set search_path = ''
as $$
  select them.user_id
  from public.team_members me
  join public.team_members them on them.team_id = me.team_id
  where me.user_id = auth.uid() and me.role in ('owner', 'admin') and me.accepted_at is not null
    and them.accepted_at is not null
$$;

-- The caller's email address if GoTrue confirmed it; NULL otherwise (and for anonymous users).
create function private.my_verified_email() returns text
  language sql stable security definer set search_path = ''
as $$
  select lower(btrim(u.email)) from auth.users u
  where u.id = auth.uid() and u.email_confirmed_at is not null and not u.is_anonymous
$$;

-- Teams with a live invitation for the caller (so the invitee can read the team's name).
create function private.my_invited_team_ids() returns setof uuid
  language sql stable security definer set search_path = ''
as $$
  select i.team_id from public.team_invites i
  where i.status = 'pending' and i.expires_at > now() and i.email = private.my_verified_email()
$$;

create or replace function private.add_team_creator_as_owner() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.team_members (team_id, user_id, role, accepted_at) values (new.id, new.created_by, 'owner', now());
  return new;
end
$$;

-- A team keeps an accepted owner. Deletions of the team itself (cascade) and requests without a user (account
-- erasure by GoTrue or the service role, whose cascades also remove the team) are not blocked.
create function private.keep_a_team_owner() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  if old.role <> 'owner' or old.accepted_at is null or (tg_op = 'UPDATE' and new.role = 'owner')
     or auth.uid() is null
     or not exists (select 1 from public.teams t where t.id = old.team_id)
     or exists (select 1 from public.team_members m where m.team_id = old.team_id and m.user_id <> old.user_id
                and m.role = 'owner' and m.accepted_at is not null) then
    return case when tg_op = 'DELETE' then old else new end;
  end if;
  raise exception 'the last owner cannot leave or stop being owner of team %', old.team_id
    using errcode = '55000',
          hint = 'Make another member (who accepted) an owner first, or delete the team.';
end
$$;
create trigger team_members_keep_an_owner before update of role or delete on public.team_members
  for each row execute function private.keep_a_team_owner();

-- ── RPC implementations (SECURITY DEFINER, not exposed) ───────────────────────────────────────────
-- Same reply whether or not an account uses the address: auth.users is never read here.
create function private.invite_to_team(p_team_id uuid, p_email text, p_role text) returns public.team_invites
  language plpgsql security definer set search_path = ''
as $$
declare
  v_email text := lower(btrim(p_email));
  r public.team_invites;
begin
  if auth.uid() is null then
    raise exception 'invite_to_team: not signed in' using errcode = '42501';
  end if;
  if not private.is_team_admin(p_team_id) then
    raise exception 'invite_to_team: only an owner or admin of the team can invite' using errcode = '42501';
  end if;
  if p_role is null or p_role not in ('admin', 'member') then
    raise exception 'invite_to_team: role must be admin or member' using errcode = '22023';
  end if;
  if v_email is null or length(v_email) > 320 or v_email !~ '^[^@[:space:]]+@[^@[:space:]]+$' then
    raise exception 'invite_to_team: not an email address' using errcode = '22023';
  end if;
  -- inviting again renews the pending invitation
  update public.team_invites i set role = p_role, invited_by = auth.uid(), expires_at = now() + interval '14 days'
  where i.team_id = p_team_id and i.email = v_email and i.status = 'pending'
  returning * into r;
  if not found then
    insert into public.team_invites (team_id, email, role, invited_by)
    values (p_team_id, v_email, p_role, auth.uid())
    returning * into r;
  end if;
  return r;
end
$$;

-- The caller's invitation, locked; raises P0002 for anything else (absent, someone else's, unconfirmed email).
create function private.my_invite(p_invite_id uuid) returns public.team_invites
  language plpgsql security definer set search_path = ''
as $$
declare
  v_email text := private.my_verified_email();
  r public.team_invites;
begin
  if auth.uid() is null then
    raise exception 'not signed in' using errcode = '42501';
  end if;
  select * into r from public.team_invites i where i.id = p_invite_id and i.email = v_email for update;
  if not found then
    raise exception 'no invitation % for your confirmed email address', p_invite_id using errcode = 'P0002';
  end if;
  if r.status <> 'pending' then
    raise exception 'invitation % was already %', p_invite_id, r.status using errcode = '55000';
  end if;
  return r;
end
$$;

create function private.accept_team_invite(p_invite_id uuid) returns public.team_members
  language plpgsql security definer set search_path = ''
as $$
declare
  inv public.team_invites := private.my_invite(p_invite_id);
  m public.team_members;
begin
  if inv.expires_at <= now() then
    raise exception 'invitation % expired at %', p_invite_id, inv.expires_at using errcode = '55000',
      hint = 'Ask a team admin to invite you again.';
  end if;
  update public.team_invites set status = 'accepted', responded_at = now() where id = inv.id;
  -- an existing accepted membership keeps its role; an unaccepted one takes the invitation's
  insert into public.team_members (team_id, user_id, role, accepted_at)
  values (inv.team_id, auth.uid(), inv.role, now())
  on conflict (team_id, user_id) do update
    set accepted_at = coalesce(public.team_members.accepted_at, excluded.accepted_at),
        role = case when public.team_members.accepted_at is null then excluded.role else public.team_members.role end
  returning * into m;
  return m;
end
$$;

create function private.decline_team_invite(p_invite_id uuid) returns public.team_invites
  language plpgsql security definer set search_path = ''
as $$
declare
  inv public.team_invites := private.my_invite(p_invite_id);
  r public.team_invites;
begin
  update public.team_invites set status = 'declined', responded_at = now() where id = inv.id returning * into r;
  -- a membership row the caller never accepted (one from before consent was required) goes too
  delete from public.team_members where team_id = inv.team_id and user_id = auth.uid() and accepted_at is null;
  return r;
end
$$;

create function private.leave_team(p_team_id uuid) returns public.team_members
  language plpgsql security definer set search_path = ''
as $$
declare
  m public.team_members;
begin
  if auth.uid() is null then
    raise exception 'leave_team: not signed in' using errcode = '42501';
  end if;
  delete from public.team_members where team_id = p_team_id and user_id = auth.uid() returning * into m;
  if not found then
    raise exception 'leave_team: you are not a member of team %', p_team_id using errcode = 'P0002';
  end if;
  return m;
end
$$;

revoke all on all functions in schema private from public, anon, authenticated;
grant execute on function private.my_team_ids(), private.team_role(uuid), private.is_team_admin(uuid),
  private.admined_user_ids(), private.my_verified_email(), private.my_invited_team_ids(),
  private.invite_to_team(uuid, text, text), private.my_invite(uuid), private.accept_team_invite(uuid),
  private.decline_team_invite(uuid), private.leave_team(uuid) to authenticated;

-- ── public RPCs (SECURITY INVOKER wrappers) ───────────────────────────────────────────────────────
create function public.invite_to_team(p_team_id uuid, p_email text, p_role text default 'member')
  returns public.team_invites
  language sql security invoker set search_path = ''
as $$ select * from private.invite_to_team(p_team_id, p_email, p_role) $$;
comment on function public.invite_to_team(uuid, text, text) is
  'Owner/admin invites an email address (role admin or member). Same reply whether or not the address has an account.';

create function public.accept_team_invite(p_invite_id uuid) returns public.team_members
  language sql security invoker set search_path = ''
as $$ select * from private.accept_team_invite(p_invite_id) $$;
comment on function public.accept_team_invite(uuid) is 'The invitee (confirmed email) joins the team.';

create function public.decline_team_invite(p_invite_id uuid) returns public.team_invites
  language sql security invoker set search_path = ''
as $$ select * from private.decline_team_invite(p_invite_id) $$;
comment on function public.decline_team_invite(uuid) is 'The invitee (confirmed email) declines.';

create function public.leave_team(p_team_id uuid) returns public.team_members
  language sql security invoker set search_path = ''
as $$ select * from private.leave_team(p_team_id) $$;
comment on function public.leave_team(uuid) is 'The caller leaves the team. The last owner cannot leave.';

revoke all on function public.invite_to_team(uuid, text, text), public.accept_team_invite(uuid),
  public.decline_team_invite(uuid), public.leave_team(uuid) from public, anon, authenticated;
grant execute on function public.invite_to_team(uuid, text, text), public.accept_team_invite(uuid),
  public.decline_team_invite(uuid), public.leave_team(uuid) to authenticated, service_role;

-- ── privileges and policies ────────────────────────────────────────────────────────────────────────
-- team_members: no INSERT for clients; UPDATE of `role` only.
drop policy "team_members: admins can insert" on public.team_members;
revoke insert, update on public.team_members from authenticated;
grant update (role) on public.team_members to authenticated;

drop policy "team_members: members can select" on public.team_members;
create policy "team_members: members can select" on public.team_members
  for select to authenticated using (team_id in (select private.my_team_ids()) or user_id = (select auth.uid()));

drop policy "team_members: admins can update" on public.team_members;
create policy "team_members: admins can update" on public.team_members
  for update to authenticated
  using (accepted_at is not null and (select private.is_team_admin(team_id))
         and (role <> 'owner' or (select private.team_role(team_id)) = 'owner'))
  with check (accepted_at is not null and (select private.is_team_admin(team_id))
              and (role <> 'owner' or (select private.team_role(team_id)) = 'owner'));

drop policy "teams: members can select" on public.teams;
create policy "teams: members can select" on public.teams
  for select to authenticated
  using (id in (select private.my_team_ids()) or created_by = (select auth.uid())
         or id in (select private.my_invited_team_ids()));

alter table public.team_invites enable row level security;
revoke all on public.team_invites from anon, authenticated;
grant select, delete on public.team_invites to authenticated;
grant select, insert, update, delete on public.team_invites to service_role;

create policy "team_invites: admins and the invitee can select" on public.team_invites
  for select to authenticated
  using ((select private.is_team_admin(team_id)) or email = (select private.my_verified_email()));
create policy "team_invites: admins can revoke" on public.team_invites
  for delete to authenticated using ((select private.is_team_admin(team_id)));
-- The invitee may delete invitations to their address (delete_my_data erases them; an address is personal data).
create policy "team_invites: the invitee can delete" on public.team_invites
  for delete to authenticated using (email = (select private.my_verified_email()));

-- ── GDPR: delete_my_data() also erases the invitations addressed to the caller ─────────────────────
create or replace function public.delete_my_data() returns jsonb
  language plpgsql security invoker set search_path = ''
as $$
declare
  me uuid := auth.uid();
  n_interactions bigint;
  n_sessions bigint;
  n_teams bigint;
  n_memberships bigint;
  n_invitations bigint;
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
  delete from public.team_invites where email = (select private.my_verified_email());
  get diagnostics n_invitations = row_count;
  return jsonb_build_object('interactions', n_interactions, 'sessions', n_sessions, 'teams', n_teams,
                            'memberships', n_memberships, 'invitations', n_invitations);
end
$$;
comment on function public.delete_my_data() is 'Deletes every row the caller owns (sessions, interactions, owned teams, memberships, invitations to their address). Call: rpc(''delete_my_data'').';
