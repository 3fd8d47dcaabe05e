-- Claude Code Tracer: the two synced tables of the seed data model, made safe for many users.
--
-- Changes from the seed (claude_sessions / claude_interactions), and why:
--  * session_id is unique PER USER: unique (user_id, session_id). A global key lets one user block or
--    probe another's ids (merge upsert → 42501, ignore-duplicates → silently dropped, insert → 23505).
--  * user_id not null default auth.uid() … on delete cascade: clients never send user_id; WITH CHECK
--    still enforces it; deleting the auth user removes everything (GDPR).
--  * interactions carry user_id and message_uuid (the transcript line uuid) with
--    unique (user_id, message_uuid): the idempotency key of the sync (upsert … ignore-duplicates).
--  * interactions reference their session through the composite key (user_id, session_id) — the
--    Claude Code session id the client already knows, so no round trip for a server uuid — which makes
--    it impossible to attach a row to another user's session (23503, even with a leaked id).
--  * occurred_at (transcript time) beside created_at (server time); updated_at maintained by trigger.
--  * checks on status / message_type; token and cost columns the dashboards aggregate.
--  * RLS on, REVOKE ALL from the API roles (Supabase auto-grants ALL incl. TRUNCATE, which ignores RLS),
--    then only the grants needed; four owner policies per table with (select auth.uid()) so the uid is
--    evaluated once per statement (Supabase RLS performance guide).

create table public.claude_sessions (
  id                 uuid primary key default gen_random_uuid(),
  user_id            uuid not null default auth.uid() references auth.users (id) on delete cascade,
  session_id         text not null check (length(session_id) between 1 and 200),
  project_path       text,
  start_time         timestamptz not null,
  end_time           timestamptz,
  total_interactions integer not null default 0 check (total_interactions >= 0),
  total_cost_usd     numeric(14, 6) not null default 0 check (total_cost_usd >= 0),
  status             text not null default 'active'
                       check (status in ('active', 'completed', 'abandoned', 'error')),
  model              text,
  input_tokens       bigint not null default 0 check (input_tokens >= 0),
  output_tokens      bigint not null default 0 check (output_tokens >= 0),
  cache_creation_input_tokens bigint not null default 0 check (cache_creation_input_tokens >= 0),
  cache_read_input_tokens     bigint not null default 0 check (cache_read_input_tokens >= 0),
  metadata           jsonb not null default '{}'::jsonb,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  constraint claude_sessions_user_session_key unique (user_id, session_id),
  constraint claude_sessions_time_order check (end_time is null or end_time >= start_time)
);
comment on table public.claude_sessions is 'One row per Claude Code session per user; upserted on (user_id, session_id).';
comment on column public.claude_sessions.session_id is 'The Claude Code session uuid (transcript sessionId). Unique per user only.';

create table public.claude_interactions (
  id                  uuid primary key default gen_random_uuid(),
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
  constraint claude_interactions_user_message_key unique (user_id, message_uuid),
  constraint claude_interactions_session_fk foreign key (user_id, session_id)
    references public.claude_sessions (user_id, session_id) on delete cascade
);
comment on table public.claude_interactions is 'Masked transcript interactions; append-only from the client (upsert ignore-duplicates on (user_id, message_uuid)).';
comment on column public.claude_interactions.message_uuid is 'The transcript line uuid: the sync idempotency key.';
comment on column public.claude_interactions.occurred_at is 'Transcript time of the message (not server time).';

-- dashboard queries: a user''s sessions by recency, a session''s timeline, a user''s usage over time
create index claude_sessions_user_start_idx on public.claude_sessions (user_id, start_time desc);
create index claude_interactions_session_idx on public.claude_interactions (user_id, session_id, occurred_at);
create index claude_interactions_user_time_idx on public.claude_interactions (user_id, occurred_at desc);

create function public.set_updated_at() returns trigger
  language plpgsql set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;
revoke all on function public.set_updated_at() from public, anon, authenticated;

create trigger claude_sessions_set_updated_at before update on public.claude_sessions
  for each row execute function public.set_updated_at();
create trigger claude_interactions_set_updated_at before update on public.claude_interactions
  for each row execute function public.set_updated_at();

-- ── privileges ──────────────────────────────────────────────────────────────────────────────────────
alter table public.claude_sessions enable row level security;
alter table public.claude_interactions enable row level security;

revoke all on public.claude_sessions, public.claude_interactions from anon, authenticated;
grant select, insert, update, delete on public.claude_sessions, public.claude_interactions to authenticated;
revoke truncate, references, trigger on public.claude_sessions, public.claude_interactions from service_role;
grant select, insert, update, delete on public.claude_sessions, public.claude_interactions to service_role;

-- ── owner policies ──────────────────────────────────────────────────────────────────────────────────
create policy "sessions: owner can select" on public.claude_sessions
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "sessions: owner can insert" on public.claude_sessions
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "sessions: owner can update" on public.claude_sessions
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy "sessions: owner can delete" on public.claude_sessions
  for delete to authenticated using ((select auth.uid()) = user_id);

create policy "interactions: owner can select" on public.claude_interactions
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "interactions: owner can insert" on public.claude_interactions
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "interactions: owner can update" on public.claude_interactions
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy "interactions: owner can delete" on public.claude_interactions
  for delete to authenticated using ((select auth.uid()) = user_id);

-- ── realtime: sessions from other machines show up live (old values on UPDATE/DELETE need FULL) ──────
alter table public.claude_sessions replica identity full;
alter publication supabase_realtime add table public.claude_sessions;
