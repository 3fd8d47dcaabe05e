-- Code context of a session (issue 13): its repository, branch, HEAD at start and end, the commits made during it
-- and the pull requests containing them, synced with the session row so a team sees cost per pull request.
--
--  * Columns on claude_sessions, not a child table: they are one value per session, written by the same upsert
--    as the rest of the row, and the row's policies (owner, team-admin read) cover them unchanged.
--  * Every column is nullable: null = the session is not in a known repository (or an older client wrote the row;
--    PostgREST leaves columns outside `?columns=` untouched on merge).
--  * What leaves the machine is masked like the project path: the remote URL has its credentials stripped and is
--    masked by the Privacy Guard; the branch is masked text. No commit subject or pull request title is synced
--    (free text stays local in every sync mode).
--  * Checks keep the shapes the client sends: hex object names, arrays of pull request objects, bounded sizes.

alter table public.claude_sessions
  add column if not exists git_remote_url text check (git_remote_url is null or length(git_remote_url) <= 2048),
  add column if not exists git_branch text check (git_branch is null or length(git_branch) <= 1024),
  add column if not exists git_head_start text check (git_head_start is null or git_head_start ~ '^[0-9a-f]{40}([0-9a-f]{24})?$'),
  add column if not exists git_head_end text check (git_head_end is null or git_head_end ~ '^[0-9a-f]{40}([0-9a-f]{24})?$'),
  add column if not exists git_commit_shas text[] check (
    git_commit_shas is null
    or (cardinality(git_commit_shas) <= 5000
        and array_to_string(git_commit_shas, ',') ~ '^([0-9a-f]{40}([0-9a-f]{24})?(,|$))*$')),
  add column if not exists git_pull_requests jsonb check (
    git_pull_requests is null
    or (jsonb_typeof(git_pull_requests) = 'array' and jsonb_array_length(git_pull_requests) <= 500));

comment on column public.claude_sessions.git_remote_url is 'Remote of the session''s repository: credentials stripped, then masked by the Privacy Guard.';
comment on column public.claude_sessions.git_branch is 'Branch the session worked on (masked text); null on a detached HEAD or outside a repository.';
comment on column public.claude_sessions.git_head_start is 'HEAD (sha) when the session started.';
comment on column public.claude_sessions.git_head_end is 'HEAD (sha) when the session ended.';
comment on column public.claude_sessions.git_commit_shas is 'Commits made during the session on its branch (author or committer time in the window), oldest first.';
comment on column public.claude_sessions.git_pull_requests is 'Pull requests containing those commits: [{"number", "state", "url"}] (url masked; titles stay local).';

-- ── cost per pull request ───────────────────────────────────────────────────────────────────────────
-- security_invoker: the caller's RLS applies (their own sessions, and their members' as a team admin).
create view public.claude_pull_request_costs with (security_invoker = true) as
select
  s.user_id,
  s.git_remote_url,
  (pr ->> 'number')::integer                as pr_number,
  pr ->> 'url'                              as pr_url,
  count(*)::bigint                          as sessions,
  coalesce(sum(s.total_cost_usd), 0)::numeric(14, 6) as cost_usd,
  coalesce(sum(s.input_tokens), 0)::bigint  as input_tokens,
  coalesce(sum(s.output_tokens), 0)::bigint as output_tokens,
  min(s.start_time)                         as first_session_at,
  max(coalesce(s.end_time, s.start_time))   as last_session_at
from public.claude_sessions s
cross join lateral jsonb_array_elements(coalesce(s.git_pull_requests, '[]'::jsonb)) as pr
where jsonb_typeof(pr -> 'number') = 'number'
group by s.user_id, s.git_remote_url, (pr ->> 'number')::integer, pr ->> 'url';
comment on view public.claude_pull_request_costs is 'Per user / repository / pull request: sessions, API-equivalent cost and tokens. security_invoker: callers see only rows RLS lets them see.';

revoke all on public.claude_pull_request_costs from anon, authenticated;
grant select on public.claude_pull_request_costs to authenticated, service_role;
