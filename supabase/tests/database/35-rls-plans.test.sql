-- RLS must not turn the dashboard queries into scans of every user's rows: with the owner and team-admin
-- policies OR'ed, the user_id indexes must still be used.
begin;
select plan(4);

insert into auth.users (id, aud, role, email)
select gen_random_uuid(), 'authenticated', 'authenticated', 'plan' || g || '@test.invalid' from generate_series(1, 100) g;
insert into public.claude_sessions (user_id, session_id, start_time)
select u.id, 's' || g, now() - (g || ' minutes')::interval from auth.users u, generate_series(1, 50) g where u.email like 'plan%';
insert into public.claude_interactions (user_id, session_id, message_uuid, message_type, occurred_at)
select s.user_id, s.session_id, gen_random_uuid(), 'user', s.start_time + (g || ' seconds')::interval
from public.claude_sessions s, generate_series(1, 8) g;
analyze public.claude_sessions;
analyze public.claude_interactions;

create function pg_temp.plan_of(q text) returns text language plpgsql as $$
declare r text; out text := '';
begin
  for r in execute 'explain (costs off) ' || q loop out := out || r || E'\n'; end loop;
  return out;
end $$;

select set_config('request.jwt.claims', json_build_object('sub', (select id from auth.users where email = 'plan7@test.invalid'), 'role', 'authenticated')::text, true);
select set_config('role', 'authenticated', true);

select unalike(pg_temp.plan_of('select * from public.claude_sessions order by start_time desc limit 50'), '%Seq Scan on claude_sessions%',
  'recent sessions: no sequential scan of claude_sessions under RLS');
select unalike(pg_temp.plan_of($q$select * from public.claude_interactions where session_id = 's5' order by occurred_at$q$), '%Seq Scan on claude_interactions%',
  'a session timeline: no sequential scan of claude_interactions under RLS');
select matches(pg_temp.plan_of($q$select count(*) from public.claude_interactions where occurred_at > now() - interval '7 days'$q$),
  'Index (Only )?Scan|Bitmap Index Scan', 'usage over time is index-backed under RLS');
select unalike(pg_temp.plan_of('select * from public.claude_daily_usage'), '%Seq Scan on claude_interactions%',
  'the daily usage view reads only the caller''s interactions through the index');

select * from finish();
rollback;
