-- Call recordings kept in our own storage, their retention, and the admins' operations figures.
--
-- A report with a recording owes a copy (private.session_apply_call_report claims the first
-- attempt). The copy happens with no connection held: the worker downloads from Vapi and uploads
-- to the private `recordings` bucket between two short transactions, and the attempt number it
-- claimed fences its result (a worker that was taken over writes nothing). The sessions sweeper
-- claims copies that failed or whose worker died, and deletes recordings older than the
-- company's `settings.recording_retention_days` (the session keeps its transcript).

insert into storage.buckets (id, name, public)
values ('recordings', 'recordings', false)
on conflict (id) do nothing;

-- Copies owed whose last attempt is older than `p_stale_seconds` (failed, or its worker died),
-- with fewer than `p_max_attempts` attempts: each is claimed (attempt + 1) and returned.
create or replace function private.claim_recording_copies(
  p_stale_seconds integer, p_max_attempts integer, p_limit integer
) returns table (
  id uuid, company_id uuid, vapi_call_id text, recording_url text, attempt integer
)
language sql set search_path = '' as $$
  with due as (
    select s.id from public.training_sessions s
     where s.recording_copy_pending_at is not null
       and s.recording_copy_attempts < p_max_attempts
       and coalesce(s.recording_copy_claimed_at, s.recording_copy_pending_at)
           < now() - make_interval(secs => p_stale_seconds)
     order by s.recording_copy_pending_at
     limit p_limit
     for update skip locked
  )
  update public.training_sessions s
     set recording_copy_attempts = s.recording_copy_attempts + 1,
         recording_copy_claimed_at = now()
    from due
   where s.id = due.id
  returning s.id, s.company_id, s.vapi_call_id, s.recording_url, s.recording_copy_attempts
$$;

-- The copy of attempt `p_attempt` landed at `p_path`; false when another attempt took over.
create or replace function private.recording_copied(
  p_session uuid, p_attempt integer, p_path text
) returns boolean
language sql set search_path = '' as $$
  with done as (
    update public.training_sessions s
       set recording_path = p_path, recording_copied_at = now(),
           recording_copy_pending_at = null, recording_copy_claimed_at = null,
           recording_copy_error = null
     where s.id = p_session and s.recording_copy_attempts = p_attempt
       and s.recording_copy_pending_at is not null
    returning 1
  )
  select exists (select 1 from done)
$$;

-- Attempt `p_attempt` failed: say why (the copy stays owed; the sweeper tries again later).
create or replace function private.recording_copy_failed(
  p_session uuid, p_attempt integer, p_error text
) returns void
language sql set search_path = '' as $$
  update public.training_sessions s
     set recording_copy_error = left(p_error, 500)
   where s.id = p_session and s.recording_copy_attempts = p_attempt
$$;

-- How many copies are owed (still worth trying, and given up), for the sweeper's backlog metric.
create or replace function private.recording_copy_backlog(p_max_attempts integer)
returns table (owed bigint, given_up bigint)
language sql stable set search_path = '' as $$
  select count(*) filter (where s.recording_copy_attempts < p_max_attempts),
         count(*) filter (where s.recording_copy_attempts >= p_max_attempts)
    from public.training_sessions s
   where s.recording_copy_pending_at is not null
$$;

-- Kept recordings of calls that ended longer ago than their company keeps recordings
-- (`settings.recording_retention_days`, else `p_default_days`), oldest first.
create or replace function private.expired_recordings(p_default_days integer, p_limit integer)
returns table (id uuid, company_id uuid, recording_path text)
language sql stable set search_path = '' as $$
  select s.id, s.company_id, s.recording_path
    from public.training_sessions s
    join public.companies c on c.id = s.company_id
   where s.recording_path is not null
     and coalesce(s.ended_at, s.created_at) < now() - make_interval(days =>
           case when jsonb_typeof(c.settings -> 'recording_retention_days') = 'number'
                then (c.settings ->> 'recording_retention_days')::numeric::integer
                else p_default_days end)
   order by coalesce(s.ended_at, s.created_at)
   limit p_limit
$$;

-- The recording at `p_path` was deleted from storage: the session forgets it.
create or replace function private.forget_recording(p_session uuid, p_path text)
returns void
language sql set search_path = '' as $$
  update public.training_sessions s
     set recording_path = null, recording_deleted_at = now()
   where s.id = p_session and s.recording_path = p_path
$$;

revoke all on function private.claim_recording_copies(integer, integer, integer),
  private.recording_copied(uuid, integer, text),
  private.recording_copy_failed(uuid, integer, text),
  private.recording_copy_backlog(integer),
  private.expired_recordings(integer, integer),
  private.forget_recording(uuid, text)
  from public, anon, authenticated;
grant execute on function private.claim_recording_copies(integer, integer, integer),
  private.recording_copied(uuid, integer, text),
  private.recording_copy_failed(uuid, integer, text),
  private.recording_copy_backlog(integer),
  private.expired_recordings(integer, integer),
  private.forget_recording(uuid, text)
  to service_role;

-- The operations figures per UTC day of the last `p_days` days (today included): voice calls
-- started (a call was bound) and those that reached a report, their average duration, Vapi cost
-- and persona response delay p95 (over every response of the day's calls), and what the language
-- and embedding models used. SECURITY INVOKER: RLS decides what is summed (usage is visible to
-- admins only, so the route is for admins).
create or replace function private.operations_daily(p_days integer)
returns table (
  day date,
  calls_started bigint,
  calls_reported bigint,
  avg_duration_seconds double precision,
  avg_cost_usd double precision,
  latency_p95_ms double precision,
  model_input_tokens bigint,
  model_output_tokens bigint,
  model_cost_usd double precision
)
language sql stable security invoker set search_path = '' as $$
  with bounds as (
    select ((now() at time zone 'UTC')::date - (p_days - 1)) as first_day,
           (((now() at time zone 'UTC')::date - (p_days - 1))::timestamp at time zone 'UTC') as since
  ),
  days as (
    select g::date as day
      from bounds b,
           generate_series(b.first_day, (now() at time zone 'UTC')::date, interval '1 day') g
  ),
  calls as (
    select (s.created_at at time zone 'UTC')::date as day, s.call_report_at, s.duration_seconds,
           s.cost, s.latency
      from public.training_sessions s
     where s.mode = 'voice' and s.vapi_call_id is not null
       and s.created_at >= (select since from bounds)
  ),
  per_call as (
    select c.day, count(*) as started,
           count(*) filter (where c.call_report_at is not null) as reported,
           avg(c.duration_seconds) filter (where c.call_report_at is not null)::float8 as dur,
           avg(c.cost) filter (where c.call_report_at is not null)::float8 as cost
      from calls c group by c.day
  ),
  delays as (
    select c.day, percentile_cont(0.95) within group (order by d.ms::float8) as p95
      from calls c
     cross join lateral jsonb_array_elements_text(
       case when jsonb_typeof(c.latency -> 'delays_ms') = 'array'
            then c.latency -> 'delays_ms' else '[]'::jsonb end) as d(ms)
     group by c.day
  ),
  models as (
    select (u.created_at at time zone 'UTC')::date as day,
           sum(u.input_tokens)::bigint as input_tokens,
           sum(u.output_tokens)::bigint as output_tokens,
           coalesce(sum(u.cost_usd), 0)::float8 as cost
      from public.usage u
     where u.kind in ('llm', 'embeddings')
       and u.created_at >= (select since from bounds)
     group by 1
  )
  select d.day, coalesce(p.started, 0), coalesce(p.reported, 0), p.dur, p.cost, l.p95,
         coalesce(m.input_tokens, 0), coalesce(m.output_tokens, 0), coalesce(m.cost, 0)
    from days d
    left join per_call p on p.day = d.day
    left join delays l on l.day = d.day
    left join models m on m.day = d.day
   order by d.day
$$;
revoke all on function private.operations_daily(integer) from public, anon;
grant execute on function private.operations_daily(integer) to authenticated, service_role;
