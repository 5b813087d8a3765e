-- Feedback (one scorecard per session) and asynchronous regrades.
--
-- With the model grader (and several samples) a regrade can outlast API Gateway's 30 s cap, so
-- the API only records the request (`training_sessions.regrade_requested_at`, the pending marker)
-- and the grading hook runs it. The hook clears the marker once the regrade finished (graded, or
-- failed with the error recorded in grading_error); a delivery that finds no marker does nothing,
-- so a duplicated hook grades once. `regrade_attempts` counts dispatches of the current request;
-- the sweeper re-dispatches a lost one and gives up (clears the marker) after
-- grading_max_attempts.

create table public.feedback (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null unique,
  company_id uuid not null,
  user_id uuid not null,
  status text not null default 'graded' check (status in ('graded', 'insufficient')),
  overall numeric(5, 2) check (overall between 0 and 100),
  scores jsonb not null default '{}'::jsonb,
  strengths jsonb not null default '[]'::jsonb,
  improvements jsonb not null default '[]'::jsonb,
  recommendations jsonb not null default '[]'::jsonb,
  metrics jsonb not null default '{}'::jsonb,
  grader text not null,
  -- the grader as it described itself when it graded (functions/grading/grader.py): whether a
  -- language model was involved, and what people read about it per locale (empty: the name says it)
  grader_offline boolean not null default false,
  grader_label jsonb not null default '{}'::jsonb check (jsonb_typeof(grader_label) = 'object'),
  rubric_version text not null,
  removed_quotes integer not null default 0,
  override_scores jsonb,
  override_overall numeric(5, 2) check (override_overall between 0 and 100),
  override_note text check (char_length(override_note) <= 2000),
  overridden_by uuid references auth.users (id) on delete set null,
  overridden_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (session_id, company_id)
    references public.training_sessions (id, company_id) on delete cascade
);
create index feedback_company_user_idx on public.feedback (company_id, user_id, created_at);

create trigger feedback_touch before update on public.feedback
  for each row execute function private.touch_updated_at();

alter table public.feedback enable row level security;
revoke all on public.feedback from anon, authenticated;
grant all on public.feedback to service_role;

-- feedback: same visibility; only the grader writes scores; managers may set the override.
grant select on public.feedback to authenticated;
grant update (override_scores, override_overall, override_note, overridden_by, overridden_at)
  on public.feedback to authenticated;
create policy feedback_select on public.feedback for select to authenticated
  using (company_id = (select private.company_id())
         and (user_id = (select auth.uid()) or (select private.is_manager())));
create policy feedback_update on public.feedback for update to authenticated
  using (company_id = (select private.company_id()) and (select private.is_manager()))
  with check (company_id = (select private.company_id()));

-- Record a regrade request and dispatch it (after commit). A request already pending is not
-- dispatched again (a double click queues one regrade). True when a new request was recorded.
create or replace function private.request_regrade(p_session uuid, p_company uuid)
returns boolean
language plpgsql volatile security definer set search_path = '' as $$
begin
  update public.training_sessions s
     set regrade_requested_at = now(), regrade_attempts = 1
   where s.id = p_session and s.company_id = p_company and s.status = 'ended'
     and s.regrade_requested_at is null;
  if not found then
    return false;
  end if;
  perform private.dispatch_hook('grading', jsonb_build_object(
    'type', 'session.regrade', 'session_id', p_session, 'company_id', p_company));
  return true;
end
$$;
revoke all on function private.request_regrade(uuid, uuid) from public, authenticated, anon;
grant execute on function private.request_regrade(uuid, uuid) to service_role;

-- The sweeper's pass over regrade requests older than p_pending_seconds (private.sweep_queue):
-- give up on the ones out of attempts (marker cleared, outcome 'abandoned'), dispatch the others
-- again ('redispatched').
create or replace function private.sweep_regrades(
  p_pending_seconds integer, p_max_attempts integer, p_limit integer
)
returns table (id uuid, company_id uuid, outcome text, dispatched boolean)
language sql volatile security definer set search_path = '' as $$
  select * from private.sweep_queue(
    'public.training_sessions',
    format('q.regrade_requested_at < now() - make_interval(secs => %s)', p_pending_seconds),
    'regrade_attempts', 'q.regrade_requested_at',
    'regrade_requested_at = null',
    'regrade_requested_at = now(), regrade_attempts = q.regrade_attempts + 1',
    'abandoned', 'grading', 'session.regrade', 'session_id', p_max_attempts, p_limit)
$$;
revoke all on function private.sweep_regrades(integer, integer, integer)
  from public, authenticated, anon;
grant execute on function private.sweep_regrades(integer, integer, integer) to service_role;

-- Analytics (the manager's dashboard, the team report and the CSV exports).
--
-- Every view and function below runs with the caller's rights (security_invoker / SECURITY
-- INVOKER), so Row Level Security on feedback and training_sessions decides whose rows count: a
-- salesperson's call sees their own sessions, a manager's the company's. Each also names the
-- company, so the service role gets the same rows. A session counts at the moment it ended
-- (`coalesce(ended_at, feedback.created_at)`); a period is the half-open range [p_from, p_to)
-- (p_from null: since the beginning). The score counted is the one people read: a manager's
-- override where set, else the grader's.

-- One row per graded session and rubric category, with what the dashboard filters by.
create view private.feedback_category_scores with (security_invoker = true) as
select f.session_id, f.company_id, f.user_id, s.persona_id, s.mode,
       coalesce(s.ended_at, f.created_at) as at, k.category,
       coalesce((f.override_scores ->> k.category)::numeric,
                (f.scores -> k.category ->> 'score')::numeric) as score
  from public.feedback f
  join public.training_sessions s on s.id = f.session_id and s.company_id = f.company_id
 cross join lateral jsonb_object_keys(f.scores || coalesce(f.override_scores, '{}'::jsonb))
       as k(category)
 where f.status = 'graded';

-- One row per graded session and measured conversation metric (value null: not measured, e.g.
-- a per-minute rate in text mode), with its band status as the scorecard showed it.
create view private.feedback_metric_values with (security_invoker = true) as
select f.session_id, f.company_id, f.user_id, s.persona_id, s.mode,
       coalesce(s.ended_at, f.created_at) as at, m.key as metric,
       (m.value ->> 'value')::numeric as value, m.value ->> 'status' as status
  from public.feedback f
  join public.training_sessions s on s.id = f.session_id and s.company_id = f.company_id
 cross join lateral jsonb_each(f.metrics) as m(key, value)
 where f.status = 'graded' and jsonb_typeof(m.value) = 'object' and m.value ? 'value';

grant select on private.feedback_category_scores, private.feedback_metric_values
  to authenticated, service_role;

-- Per person: the number of graded sessions and the average score per category, and the
-- average overall (category 'overall'), in the period and filters.
create or replace function private.analytics_cells(
  p_company uuid, p_from timestamptz, p_to timestamptz,
  p_user uuid, p_persona uuid, p_mode text
)
returns table (user_id uuid, category text, sessions integer, average numeric)
language sql stable security invoker set search_path = '' as $$
  select c.user_id, c.category, count(*)::integer, round(avg(c.score), 2)
    from private.feedback_category_scores c
   where c.company_id = p_company and c.score is not null
     and (p_from is null or c.at >= p_from) and c.at < p_to
     and (p_user is null or c.user_id = p_user)
     and (p_persona is null or c.persona_id = p_persona)
     and (p_mode is null or c.mode = p_mode)
   group by c.user_id, c.category
  union all
  select f.user_id, 'overall', count(*)::integer,
         round(avg(coalesce(f.override_overall, f.overall)), 2)
    from public.feedback f
    join public.training_sessions s on s.id = f.session_id and s.company_id = f.company_id
   where f.company_id = p_company and f.status = 'graded'
     and coalesce(f.override_overall, f.overall) is not null
     and (p_from is null or coalesce(s.ended_at, f.created_at) >= p_from)
     and coalesce(s.ended_at, f.created_at) < p_to
     and (p_user is null or f.user_id = p_user)
     and (p_persona is null or s.persona_id = p_persona)
     and (p_mode is null or s.mode = p_mode)
   group by f.user_id
$$;

-- Per person and category, the period's scores in time order with the moving average of the
-- last p_window sessions up to each one.
create or replace function private.analytics_trend(
  p_company uuid, p_from timestamptz, p_to timestamptz,
  p_user uuid, p_persona uuid, p_mode text, p_window integer
)
returns table (user_id uuid, category text, session_id uuid, at timestamptz,
               score double precision, moving_average double precision)
language sql stable security invoker set search_path = '' as $$
  select c.user_id, c.category, c.session_id, c.at, c.score::double precision,
         round(avg(c.score) over (partition by c.user_id, c.category order by c.at, c.session_id
                                  rows between p_window - 1 preceding and current row), 2)
           ::double precision
    from private.feedback_category_scores c
   where c.company_id = p_company and c.score is not null
     and (p_from is null or c.at >= p_from) and c.at < p_to
     and (p_user is null or c.user_id = p_user)
     and (p_persona is null or c.persona_id = p_persona)
     and (p_mode is null or c.mode = p_mode)
   order by c.user_id, c.category, c.at, c.session_id
$$;

-- Practice per person and ISO week (weeks start on Monday, UTC): ended sessions, graded or not,
-- minutes practised (the call's duration, else end minus start) and how many by voice and text.
create or replace function private.analytics_activity(
  p_company uuid, p_from timestamptz, p_to timestamptz,
  p_user uuid, p_persona uuid, p_mode text
)
returns table (user_id uuid, week_start date, iso_week text, sessions integer, minutes numeric,
               voice integer, text integer)
language sql stable security invoker set search_path = '' as $$
  select s.user_id,
         date_trunc('week', coalesce(s.ended_at, s.created_at) at time zone 'UTC')::date,
         to_char(coalesce(s.ended_at, s.created_at) at time zone 'UTC', 'IYYY-"W"IW'),
         count(*)::integer,
         round(coalesce(sum(coalesce(s.duration_seconds,
                                     extract(epoch from s.ended_at - s.started_at))), 0) / 60, 1),
         (count(*) filter (where s.mode = 'voice'))::integer,
         (count(*) filter (where s.mode = 'text'))::integer
    from public.training_sessions s
   where s.company_id = p_company and s.status = 'ended'
     and (p_from is null or coalesce(s.ended_at, s.created_at) >= p_from)
     and coalesce(s.ended_at, s.created_at) < p_to
     and (p_user is null or s.user_id = p_user)
     and (p_persona is null or s.persona_id = p_persona)
     and (p_mode is null or s.mode = p_mode)
   group by 1, 2, 3
   order by 1, 2
$$;

-- The distribution of each metric in p_keys over the period's graded sessions: quantiles, the
-- count below/within/above its band (as each scorecard showed it) and a histogram of p_bins equal
-- bins between the smallest and the largest value.
create or replace function private.analytics_metric_distribution(
  p_company uuid, p_from timestamptz, p_to timestamptz,
  p_user uuid, p_persona uuid, p_mode text, p_keys text[], p_bins integer
)
returns table (metric text, sessions integer, mean numeric, minimum numeric, maximum numeric,
               quantiles double precision[], below integer, within integer, above integer,
               histogram integer[])
language sql stable security invoker set search_path = '' as $$
  with v as (
    select m.metric, m.value, m.status
      from private.feedback_metric_values m
     where m.company_id = p_company and m.value is not null and m.metric = any (p_keys)
       and (p_from is null or m.at >= p_from) and m.at < p_to
       and (p_user is null or m.user_id = p_user)
       and (p_persona is null or m.persona_id = p_persona)
       and (p_mode is null or m.mode = p_mode)
  ), stats as (
    select v.metric, count(*)::integer as n, round(avg(v.value), 3) as mean,
           min(v.value) as lo, max(v.value) as hi,
           percentile_cont(array[0.1, 0.25, 0.5, 0.75, 0.9]) within group (order by v.value)
             as quantiles,
           (count(*) filter (where v.status = 'below'))::integer as below,
           (count(*) filter (where v.status = 'within'))::integer as within,
           (count(*) filter (where v.status = 'above'))::integer as above
      from v group by v.metric
  ), bins as (
    select v.metric,
           least(greatest(case when s.hi = s.lo then 1
                               else width_bucket(v.value, s.lo, s.hi, p_bins) end, 1), p_bins) as b,
           count(*)::integer as n
      from v join stats s on s.metric = v.metric
     group by 1, 2
  )
  select s.metric, s.n, s.mean, s.lo, s.hi, s.quantiles, s.below, s.within, s.above,
         array(select coalesce(b.n, 0) from generate_series(1, p_bins) as i
                 left join bins b on b.metric = s.metric and b.b = i
                order by i)
    from stats s
   order by s.metric
$$;

revoke all on function
  private.analytics_cells(uuid, timestamptz, timestamptz, uuid, uuid, text),
  private.analytics_trend(uuid, timestamptz, timestamptz, uuid, uuid, text, integer),
  private.analytics_activity(uuid, timestamptz, timestamptz, uuid, uuid, text),
  private.analytics_metric_distribution(
    uuid, timestamptz, timestamptz, uuid, uuid, text, text[], integer)
  from public, anon;
grant execute on function
  private.analytics_cells(uuid, timestamptz, timestamptz, uuid, uuid, text),
  private.analytics_trend(uuid, timestamptz, timestamptz, uuid, uuid, text, integer),
  private.analytics_activity(uuid, timestamptz, timestamptz, uuid, uuid, text),
  private.analytics_metric_distribution(
    uuid, timestamptz, timestamptz, uuid, uuid, text, text[], integer)
  to authenticated, service_role;
