-- Analytics pre-aggregates (issue 11): what the dashboard's Metrics view sums per user, computed by PostgreSQL so a
-- remote dashboard need not download every row. The TypeScript analytics (src/core/analytics) stays the one
-- implementation: test/db/e2e/analyticsViews.e2e.test.ts checks these views equal computeAnalytics over the same
-- synced rows (SupabaseAnalyticsSource), to the token and the cent.
--
-- Semantics, the same as src/core/analytics/totals.ts:
--   * an API message is a claude_interactions row of message_type 'assistant' (the sync sends one per deduplicated
--     ledger message; prompts are 'user' rows and are not usage);
--   * cost_usd sums the priced messages only and is NULL when none was priced (an unpriced model is never $0);
--     unpriced_tokens are the tokens of the messages without a price;
--   * days are UTC (a caller in another zone re-buckets from rows; the views serve UTC dashboards and checks).
-- security_invoker: the caller's RLS applies (their own rows, and their members' rows as a team admin).

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
