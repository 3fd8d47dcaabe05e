-- search_synced (issue 9, the dashboard's remote search scopes): RLS decides what it can return. A user's
-- "mine" search sees their sessions from every machine and never another user's; a team admin's "team" search
-- sees accepted members only (not a member who has not accepted, not a stranger); a plain member sees nobody
-- else's; anon cannot call it. Words match as prefixes (to_tsvector 'simple'), CJK words by substring.
begin;
select plan(26);

select tests.create_supabase_user('ada');    -- two machines; owner of team "t"
select tests.create_supabase_user('bob');    -- a stranger
select tests.create_supabase_user('cy');     -- accepted member of "t"
select tests.create_supabase_user('dee');    -- in "t" but never accepted (a pre-consent row)

insert into public.claude_sessions (user_id, session_id, project_path, start_time, status, model, metadata, total_cost_usd)
values (tests.get_supabase_uid('ada'), 'a-laptop', '/ada/alpha', '2026-06-01T10:00:00Z', 'completed', 'claude-opus-4-5', '{"machine":"laptop"}', 1.5),
       (tests.get_supabase_uid('ada'), 'a-desk', '/ada/beta', '2026-06-02T10:00:00Z', 'completed', 'claude-opus-4-5', '{"machine":"desk"}', 2),
       (tests.get_supabase_uid('ada'), 'a-meta', '/ada/kubernetes-gamma', '2026-06-03T10:00:00Z', 'completed', null, '{}', 0),
       (tests.get_supabase_uid('bob'), 'b-1', '/bob/alpha', '2026-06-01T10:00:00Z', 'completed', null, '{"machine":"bobs"}', 9),
       (tests.get_supabase_uid('cy'), 'c-1', '/cy/alpha', '2026-06-01T10:00:00Z', 'completed', null, '{"machine":"cys"}', 3),
       (tests.get_supabase_uid('dee'), 'd-1', '/dee/alpha', '2026-06-01T10:00:00Z', 'completed', null, '{}', 4);
insert into public.claude_interactions (user_id, session_id, message_uuid, message_type, user_prompt, claude_response, occurred_at)
values (tests.get_supabase_uid('ada'), 'a-laptop', gen_random_uuid(), 'user', 'please refactor the kubernetes deployment', null, '2026-06-01T10:00:05Z'),
       (tests.get_supabase_uid('ada'), 'a-desk', gen_random_uuid(), 'assistant', null, 'The Kubernetes manifests are fixed. 設定ファイルを更新しました', '2026-06-02T10:00:05Z'),
       (tests.get_supabase_uid('bob'), 'b-1', gen_random_uuid(), 'user', 'kubernetes secrets of bob', null, '2026-06-01T10:00:05Z'),
       (tests.get_supabase_uid('cy'), 'c-1', gen_random_uuid(), 'user', 'kubernetes for cy', null, '2026-06-01T10:00:05Z'),
       (tests.get_supabase_uid('dee'), 'd-1', gen_random_uuid(), 'user', 'kubernetes for dee', null, '2026-06-01T10:00:05Z');

-- ── structure ───────────────────────────────────────────────────────────────────────────────────────
select is((select prosecdef from pg_proc where oid = 'public.search_synced(text, text, text, integer)'::regprocedure), false,
  'search_synced is SECURITY INVOKER: the caller''s RLS applies');
select ok((select proconfig @> array['search_path=""'] from pg_proc where oid = 'public.search_synced(text, text, text, integer)'::regprocedure),
  'search_synced pins an empty search_path');
select ok(not has_function_privilege('anon', 'public.search_synced(text, text, text, integer)', 'execute'), 'anon cannot call search_synced');
select ok(has_function_privilege('authenticated', 'public.search_synced(text, text, text, integer)', 'execute'), 'signed-in users can');
select has_index('public', 'claude_interactions', 'claude_interactions_text_fts_idx', 'the interaction texts have a full-text index');
select is((select prosecdef from pg_proc where oid = 'private.synced_text_candidates(text, tsquery, text[], text, integer)'::regprocedure), true,
  'its candidate finder (ids only, re-read under RLS) is SECURITY DEFINER in the unexposed private schema');
select ok(not has_function_privilege('anon', 'private.synced_text_candidates(text, tsquery, text[], text, integer)', 'execute'),
  'anon cannot call the candidate finder');

-- ── mine ────────────────────────────────────────────────────────────────────────────────────────────
select tests.authenticate_as('ada');
select results_eq($$ select distinct session_id, machine from public.search_synced('kube', 'mine') where role <> 'session' order by 1 $$,
  $$ values ('a-desk'::text, 'desk'::text), ('a-laptop', 'laptop') $$,
  'ada''s "mine" search finds her prompt and response from both machines (prefix match, case-insensitive)');
select is((select count(*)::int from public.search_synced('kubernetes', 'mine') where not mine), 0, 'and never another user''s row');
select is((select count(*)::int from public.search_synced('secrets bob', 'mine')), 0, 'bob''s words find nothing for ada');
select results_eq($$ select session_id, role from public.search_synced('gamma', 'mine') $$, $$ values ('a-meta'::text, 'session'::text) $$,
  'a session without synced text matches on its project path');
select results_eq($$ select session_id from public.search_synced('設定', 'mine') $$, $$ values ('a-desk'::text) $$,
  'a CJK word matches by substring');
select results_eq($$ select session_id from public.search_synced('kubernetes', 'mine', 'ALPHA') where role <> 'session' $$,
  $$ values ('a-laptop'::text) $$, 'the project filter is a case-insensitive substring');
select ok((select excerpt like '%kubernetes deployment%' from public.search_synced('deployment', 'mine') limit 1),
  'the reply carries an excerpt around the match');
select is((select count(*)::int from public.search_synced('kubernetes & !the | (', 'mine') where role <> 'session'), 2,
  'tsquery operators in the query are plain separators');
select is((select count(*)::int from public.search_synced('  ', 'mine')), 0, 'a query without words finds nothing');
select throws_ok($$ select * from public.search_synced('x', 'everyone') $$, '22023', null, 'an unknown scope is refused');

select tests.authenticate_as('bob');
select is((select count(*)::int from private.synced_text_candidates('mine', to_tsquery('simple', 'kubernetes:*'), array['kubernetes'], null, 100)), 1,
  'the candidate finder looks at the caller''s own rows only (bob: his one prompt of five that match)');
select is((select count(*)::int from private.synced_text_candidates('team', to_tsquery('simple', 'kubernetes:*'), array['kubernetes'], null, 100)), 0,
  'and at nobody''s for "team" when the caller administers no team');

-- ── team ────────────────────────────────────────────────────────────────────────────────────────────
select tests.clear_authentication();
insert into public.teams (id, name, created_by) values ('4a000000-0000-4000-8000-000000000001', 't', tests.get_supabase_uid('ada'));
insert into public.team_members (team_id, user_id, role, accepted_at)
values ('4a000000-0000-4000-8000-000000000001', tests.get_supabase_uid('cy'), 'member', now()),
       ('4a000000-0000-4000-8000-000000000001', tests.get_supabase_uid('dee'), 'member', null);

select tests.authenticate_as('ada');
select results_eq($$ select distinct session_id from public.search_synced('kubernetes', 'team') where role <> 'session' order by 1 $$,
  $$ values ('a-desk'::text), ('a-laptop'), ('c-1') $$,
  'the owner''s "team" search sees herself and the accepted member, not the unaccepted one nor the stranger');
select results_eq($$ select distinct mine, total_cost_usd from public.search_synced('kubernetes', 'team') where session_id = 'c-1' $$,
  $$ values (false, 3::numeric) $$, 'a member''s hit is marked as not the caller''s and carries the session cost');
select is((select count(*)::int from public.search_synced('kubernetes', 'mine') where session_id = 'c-1'), 0,
  '"mine" stays the caller''s own rows even for an admin');

select tests.authenticate_as('cy');
select is((select count(*)::int from public.search_synced('kubernetes', 'team')), 0,
  'a plain member administers nobody: their "team" search is empty');

select tests.authenticate_as('dee');
select is((select count(*)::int from public.search_synced('kubernetes', 'team')), 0,
  'so is the search of a member who never accepted');

select tests.authenticate_as_anon();
select throws_ok($$ select * from public.search_synced('kubernetes', 'mine') $$, '42501', null, 'anon is refused');

select tests.clear_authentication();
select throws_ok($$ select * from public.search_synced('kubernetes', 'mine') $$, '42501', null,
  'without claims (no user) it is refused');

select * from finish();
rollback;
