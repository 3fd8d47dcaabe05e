-- Search over synced rows for the dashboard's "All my machines" and "My team" scopes (issue 9, Search).
--
-- public.search_synced(query, scope, project, limit) is SECURITY INVOKER: it reads claude_sessions and
-- claude_interactions under the caller's own RLS, so it can never return more than the caller may already SELECT
-- (their rows; as an accepted owner/admin of a team, the accepted members' rows: the admin read policies of
-- 20261128230100 and 20261206030000). The scope only narrows that:
--   * 'mine': the caller's rows, from every machine that synced them;
--   * 'team': the rows of users the caller administers (private.admined_user_ids: accepted members of teams where
--     the caller is an accepted owner/admin; the caller included). Plain members get nothing.
-- Matching mirrors the local store's search: every word of the query (letters, digits, underscore; at most 16),
-- each as a prefix, through to_tsvector('simple') (GIN index below). A query with a word in a script the 'simple'
-- parser keeps as one long token (CJK and other non-ASCII text) is answered by a substring scan instead (strpos on
-- lower()), restricted to the caller's rows by the user_id indexes. Sessions also match on their project path,
-- branch and model (metadata sync mode has no interaction text). The reply carries an excerpt around the first
-- match: the client computes snippet and highlight ranges itself (never HTML from transcript text). Results come
-- newest first (rank is ts_rank of the returned rows, for information).

create index if not exists claude_interactions_text_fts_idx on public.claude_interactions
  using gin (to_tsvector('simple'::regconfig, coalesce(user_prompt, '') || ' ' || coalesce(claude_response, '')));

-- The matching interactions' ids, newest first, for search_synced. SECURITY DEFINER (owner postgres, BYPASSRLS) for
-- one reason: under RLS the planner may not use the GIN index (to_tsvector and @@ are not leakproof, so a security
-- barrier keeps them above the policy quals), and recomputing to_tsvector for every row of a user measured ~90 µs a
-- row (9 s for 100,000 interactions, past the 8 s statement_timeout). It derives whose rows to look at from
-- auth.uid() itself (never from an argument): the caller's, or for 'team' private.admined_user_ids(), the same helper
-- the admin read policies use. It returns ids only; search_synced reads every returned row again under the
-- caller's RLS, so what reaches the caller is still exactly what the policies allow.
create or replace function private.synced_text_candidates(
  p_scope text, p_tsq tsquery, p_terms text[], p_project text, p_limit integer
) returns table (id uuid, occurred_at timestamptz)
  language plpgsql stable security definer set search_path = ''
as $$
declare
  me uuid := auth.uid();
  v_owners uuid[];
begin
  if me is null then
    raise exception 'synced_text_candidates: not signed in' using errcode = '42501';
  end if;
  v_owners := case when p_scope = 'mine' then array[me] else array(select private.admined_user_ids()) end;
  if p_tsq is not null then
    return query
    select i.id, i.occurred_at from public.claude_interactions i
    where i.user_id = any (v_owners)
      and to_tsvector('simple'::regconfig, coalesce(i.user_prompt, '') || ' ' || coalesce(i.claude_response, '')) @@ p_tsq
      and (p_project is null or (i.user_id, i.session_id) in (
            select ps.user_id, ps.session_id from public.claude_sessions ps
            where ps.user_id = any (v_owners) and strpos(lower(coalesce(ps.project_path, '')), p_project) > 0))
    order by i.occurred_at desc limit p_limit;
  else
    -- words the 'simple' parser does not split (CJK…): a substring scan of the owners' rows (user_id indexes)
    return query
    select i.id, i.occurred_at from public.claude_interactions i
    where i.user_id = any (v_owners)
      and (i.user_prompt is not null or i.claude_response is not null)
      and not exists (select 1 from unnest(p_terms) t
                      where strpos(lower(coalesce(i.user_prompt, '') || ' ' || coalesce(i.claude_response, '')), t) = 0)
      and (p_project is null or (i.user_id, i.session_id) in (
            select ps.user_id, ps.session_id from public.claude_sessions ps
            where ps.user_id = any (v_owners) and strpos(lower(coalesce(ps.project_path, '')), p_project) > 0))
    order by i.occurred_at desc limit p_limit;
  end if;
end
$$;
revoke all on function private.synced_text_candidates(text, tsquery, text[], text, integer) from public, anon, authenticated;
grant execute on function private.synced_text_candidates(text, tsquery, text[], text, integer) to authenticated;

create or replace function public.search_synced(
  p_query text,
  p_scope text default 'mine',
  p_project text default null,
  p_limit integer default 100
) returns table (
  owner_id      uuid,
  mine          boolean,
  session_id    text,
  project_path  text,
  start_time    timestamptz,
  end_time      timestamptz,
  total_cost_usd numeric,
  machine       text,
  hit_id        text,
  role          text,
  occurred_at   timestamptz,
  excerpt       text,
  rank          real
)
  language plpgsql stable security invoker set search_path = ''
as $$
#variable_conflict use_column
declare
  me uuid := auth.uid();
  v_terms text[];
  v_scan boolean;
  v_tsq tsquery;
  v_limit integer := least(greatest(coalesce(p_limit, 100), 1), 500);
  v_project text := nullif(lower(btrim(coalesce(p_project, ''))), '');
  v_owners uuid[];
begin
  if me is null then
    raise exception 'search_synced: not signed in' using errcode = '42501';
  end if;
  if p_scope is null or p_scope not in ('mine', 'team') then
    raise exception 'search_synced: scope must be mine or team' using errcode = '22023';
  end if;
  if length(p_query) > 500 then
    raise exception 'search_synced: query longer than 500 characters' using errcode = '22023';
  end if;
  -- words: runs of ASCII letters, digits, underscore and any non-ASCII character, lower-cased, unique, in order
  -- (so no tsquery operator or quote survives)
  select coalesce(array_agg(w order by first_at), '{}') into v_terms
  from (select w, min(o) as first_at
        from regexp_split_to_table(lower(coalesce(p_query, '')), '[^0-9a-z_\u0080-\U0010ffff]+') with ordinality as t(w, o)
        where w <> '' group by w order by min(o) limit 16) words;
  if cardinality(v_terms) = 0 then
    return;
  end if;
  v_scan := exists (select 1 from unnest(v_terms) t where t ~ '[^\x01-\x7f]');
  if not v_scan then
    v_tsq := to_tsquery('simple', (select string_agg(quote_literal(t) || ':*', ' & ') from unnest(v_terms) t));
  end if;
  v_owners := case when p_scope = 'mine' then array[me] else array(select private.admined_user_ids()) end;

  -- Newest first. The matching interactions are found first (ids only, limited: synced_text_candidates), and only
  -- those rows' texts are then cut into excerpts and ranked: a common word must not make the server rank every match
  -- of a year of sessions.
  return query
  with matched as (
    select c.id from private.synced_text_candidates(p_scope, v_tsq, v_terms, v_project, v_limit) c
  ), hits as (
    select i.user_id, i.session_id, i.message_uuid::text as hit_id,
           case when i.message_type = 'user' then 'prompt' else 'response' end as role,
           i.occurred_at,
           coalesce(i.user_prompt, '') || case when i.user_prompt is not null and i.claude_response is not null
                                               then E'\n' else '' end || coalesce(i.claude_response, '') as body,
           case when v_scan then 0::real
                else ts_rank(to_tsvector('simple'::regconfig, coalesce(i.user_prompt, '') || ' ' || coalesce(i.claude_response, '')), v_tsq)
           end as rank
    -- read again under the caller's RLS: only rows the policies let the caller SELECT come back
    from matched m join public.claude_interactions i on i.id = m.id
    union all
    (select s.user_id, s.session_id, 'session:' || s.session_id, 'session', s.start_time,
            concat_ws(' · ', s.project_path, s.metadata ->> 'git_branch', s.model), 0::real
     from public.claude_sessions s
     where s.user_id = any (v_owners)
       and (v_project is null or strpos(lower(coalesce(s.project_path, '')), v_project) > 0)
       and not exists (select 1 from unnest(v_terms) t
                       where strpos(lower(concat_ws(' ', s.project_path, s.metadata ->> 'git_branch', s.model)), t) = 0)
     order by s.start_time desc limit v_limit)
  ), ranked as (
    select h.* from hits h order by h.occurred_at desc, h.hit_id limit v_limit
  )
  select s.user_id, s.user_id = me, s.session_id, s.project_path, s.start_time, s.end_time, s.total_cost_usd,
         nullif(s.metadata ->> 'machine', ''), r.hit_id, r.role, r.occurred_at,
         -- about 600 characters around the first matching word (the client cuts its own snippet from it)
         substr(r.body, greatest(1, coalesce((select min(nullif(strpos(lower(r.body), t), 0)) from unnest(v_terms) t), 1) - 200), 600),
         r.rank
  from ranked r
  join public.claude_sessions s on s.user_id = r.user_id and s.session_id = r.session_id
  order by r.occurred_at desc, r.hit_id;
end
$$;
comment on function public.search_synced(text, text, text, integer) is
  'Full-text search over the synced sessions and masked interaction texts the caller may read (RLS applies: SECURITY INVOKER). scope: mine | team.';

revoke all on function public.search_synced(text, text, text, integer) from public, anon, authenticated;
grant execute on function public.search_synced(text, text, text, integer) to authenticated, service_role;
