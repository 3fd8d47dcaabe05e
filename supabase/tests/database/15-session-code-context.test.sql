-- Code context columns on claude_sessions and the cost-per-pull-request view (issue 13): the shapes are checked,
-- RLS is unchanged (the same policies; another user reads neither the columns nor the view's rows).
begin;
select plan(20);

select tests.create_supabase_user('alice');
select tests.create_supabase_user('bob');

-- ── structure ───────────────────────────────────────────────────────────────────────────────────────
select has_column('public', 'claude_sessions', c, format('claude_sessions has %s', c))
from unnest(array['git_remote_url', 'git_branch', 'git_head_start', 'git_head_end', 'git_commit_shas', 'git_pull_requests']) c;
select col_type_is('public', 'claude_sessions', 'git_commit_shas', 'text[]', 'commit shas are a text array');
select col_type_is('public', 'claude_sessions', 'git_pull_requests', 'jsonb', 'pull requests are jsonb');
select policies_are('public', 'claude_sessions', array[
  'sessions: owner can select', 'sessions: owner can insert', 'sessions: owner can update', 'sessions: owner can delete',
  'sessions: team admins can read'], 'RLS unchanged: the same policies on claude_sessions');
select ok((select 'security_invoker=true' = any(reloptions) from pg_class where oid = 'public.claude_pull_request_costs'::regclass),
  'claude_pull_request_costs is security_invoker (the caller''s RLS applies)');
select table_privs_are('public', 'claude_pull_request_costs', 'anon', array[]::text[], 'anon has no privilege on the view');

-- ── alice writes her code context ───────────────────────────────────────────────────────────────────
select tests.authenticate_as('alice');
select lives_ok($$
  insert into public.claude_sessions (session_id, start_time, status, total_cost_usd, git_remote_url, git_branch,
    git_head_start, git_head_end, git_commit_shas, git_pull_requests)
  values ('s-pr-1', '2026-11-02T10:00:00Z', 'completed', 1.5, 'https://github.com/acme/widgets.git', 'feature/pr',
    repeat('a', 40), repeat('b', 40), array[repeat('b', 40)],
    '[{"number": 42, "state": "open", "url": "https://github.com/acme/widgets/pull/42"}]'),
         ('s-pr-2', '2026-11-02T11:00:00Z', 'completed', 0.25, 'https://github.com/acme/widgets.git', 'feature/pr',
    repeat('b', 40), repeat('c', 64), array[repeat('c', 64)],
    '[{"number": 42, "state": "open", "url": "https://github.com/acme/widgets/pull/42"}]') $$,
  'the owner writes remote, branch, HEADs (SHA-1 and SHA-256), commits and pull requests');
select results_eq($$ select pr_number, sessions, cost_usd from public.claude_pull_request_costs $$,
  $$ values (42, 2::bigint, 1.75::numeric(14, 6)) $$, 'cost per pull request: both sessions of PR 42');
select throws_ok($$ insert into public.claude_sessions (session_id, start_time, git_head_start) values ('s-bad-1', now(), 'HEAD') $$,
  '23514', null, 'a HEAD that is not a full hex sha is refused');
select throws_ok($$ insert into public.claude_sessions (session_id, start_time, git_commit_shas) values ('s-bad-2', now(), array['abc', 'def']) $$,
  '23514', null, 'commit shas that are not full hex shas are refused');
select throws_ok($$ insert into public.claude_sessions (session_id, start_time, git_pull_requests) values ('s-bad-3', now(), '{"number": 1}') $$,
  '23514', null, 'pull requests must be a JSON array');
select lives_ok($$ insert into public.claude_sessions (session_id, start_time) values ('s-no-repo', now()) $$,
  'a session outside any repository leaves the columns null');

-- ── another user ────────────────────────────────────────────────────────────────────────────────────
select tests.authenticate_as('bob');
select is_empty($$ select git_remote_url, git_commit_shas, git_pull_requests from public.claude_sessions $$,
  'bob cannot read alice''s code context');
select is_empty($$ select * from public.claude_pull_request_costs $$, 'bob sees no row of alice''s pull request costs');
select is_empty($$ update public.claude_sessions set git_pull_requests = '[]' where session_id = 's-pr-1' returning 1 $$,
  'bob cannot change alice''s pull requests');

select * from finish();
rollback;
