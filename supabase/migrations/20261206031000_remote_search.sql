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
-- match: the client computes snippet and highlight ranges itself (never HTML from transcript text).

create index if not exists claude_interactions_text_fts_idx on public.claude_interactions
  using gin (to_tsvector('simple'::regconfig, coalesce(user_prompt, '') || ' ' || coalesce(claude_response, '')));

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

  return query
  with hits as (
    select i.user_id, i.session_id, i.message_uuid::text as hit_id,
           case when i.message_type = 'user' then 'prompt' else 'response' end as role,
           i.occurred_at,
           coalesce(i.user_prompt, '') || case when i.user_prompt is not null and i.claude_response is not null
                                               then E'\n' else '' end || coalesce(i.claude_response, '') as body,
           case when v_scan then 0::real
                else ts_rank(to_tsvector('simple'::regconfig, coalesce(i.user_prompt, '') || ' ' || coalesce(i.claude_response, '')), v_tsq)
           end as rank
    from public.claude_interactions i
    where i.user_id = any (v_owners)
      and (v_project is null or exists (
            select 1 from public.claude_sessions ps where ps.user_id = i.user_id and ps.session_id = i.session_id
              and strpos(lower(coalesce(ps.project_path, '')), v_project) > 0))
      and (i.user_prompt is not null or i.claude_response is not null)
      and case when v_scan
               then not exists (select 1 from unnest(v_terms) t
                                where strpos(lower(coalesce(i.user_prompt, '') || ' ' || coalesce(i.claude_response, '')), t) = 0)
               else to_tsvector('simple'::regconfig, coalesce(i.user_prompt, '') || ' ' || coalesce(i.claude_response, '')) @@ v_tsq
          end
    union all
    select s.user_id, s.session_id, 'session:' || s.session_id, 'session', s.start_time,
           concat_ws(' · ', s.project_path, s.metadata ->> 'git_branch', s.model), 0::real
    from public.claude_sessions s
    where s.user_id = any (v_owners)
      and (v_project is null or strpos(lower(coalesce(s.project_path, '')), v_project) > 0)
      and not exists (select 1 from unnest(v_terms) t
                      where strpos(lower(concat_ws(' ', s.project_path, s.metadata ->> 'git_branch', s.model)), t) = 0)
  ), ranked as (
    select h.* from hits h order by h.rank desc, h.occurred_at desc limit v_limit
  )
  select s.user_id, s.user_id = me, s.session_id, s.project_path, s.start_time, s.end_time, s.total_cost_usd,
         nullif(s.metadata ->> 'machine', ''), r.hit_id, r.role, r.occurred_at,
         -- about 600 characters around the first matching word (the client cuts its own snippet from it)
         substr(r.body, greatest(1, coalesce((select min(nullif(strpos(lower(r.body), t), 0)) from unnest(v_terms) t), 1) - 200), 600),
         r.rank
  from ranked r
  join public.claude_sessions s on s.user_id = r.user_id and s.session_id = r.session_id
  order by r.rank desc, r.occurred_at desc;
end
$$;
comment on function public.search_synced(text, text, text, integer) is
  'Full-text search over the synced sessions and masked interaction texts the caller may read (RLS applies: SECURITY INVOKER). scope: mine | team.';

revoke all on function public.search_synced(text, text, text, integer) from public, anon, authenticated;
grant execute on function public.search_synced(text, text, text, integer) to authenticated, service_role;
