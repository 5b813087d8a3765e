-- Asynchronous regrade. With the model grader (and several samples) a regrade can outlast API
-- Gateway's 30 s cap, so the API only records the request here and the grading hook runs it.
--
-- `regrade_requested_at` is the pending marker: set by a manager's request, cleared by the hook
-- once the regrade finished (graded, or failed with the error recorded in grading_error). A
-- delivery that finds no marker does nothing, so a duplicated hook grades once.
-- `regrade_attempts` counts dispatches of the current request; the sweeper re-dispatches a lost
-- one and gives up (clears the marker) after grading_max_attempts.

alter table public.training_sessions
  add column regrade_requested_at timestamptz,
  add column regrade_attempts integer not null default 0;
create index training_sessions_regrade_idx
  on public.training_sessions (regrade_requested_at) where regrade_requested_at is not null;

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

-- The sweeper's pass over regrade requests older than p_pending_seconds: give up on the ones out
-- of attempts (marker cleared, outcome 'abandoned'), dispatch the others again ('redispatched';
-- `dispatched` is false when the hook is not configured and the sweeper must run it itself).
create or replace function private.sweep_regrades(
  p_pending_seconds integer, p_max_attempts integer, p_limit integer
)
returns table (id uuid, company_id uuid, outcome text, dispatched boolean)
language plpgsql volatile security definer set search_path = '' as $$
declare
  job record;
begin
  for job in
    update public.training_sessions s
       set regrade_requested_at = null
     where s.regrade_requested_at < now() - make_interval(secs => p_pending_seconds)
       and s.regrade_attempts >= p_max_attempts
    returning s.id, s.company_id
  loop
    id := job.id; company_id := job.company_id; outcome := 'abandoned'; dispatched := false;
    return next;
  end loop;

  for job in
    select s.id, s.company_id from public.training_sessions s
     where s.regrade_requested_at < now() - make_interval(secs => p_pending_seconds)
       and s.regrade_attempts < p_max_attempts
     order by s.regrade_requested_at
     limit p_limit
     for update skip locked
  loop
    update public.training_sessions s
       set regrade_requested_at = now(), regrade_attempts = s.regrade_attempts + 1
     where s.id = job.id;
    id := job.id; company_id := job.company_id; outcome := 'redispatched';
    dispatched := private.dispatch_hook('grading', jsonb_build_object(
      'type', 'session.regrade', 'session_id', job.id, 'company_id', job.company_id))
      is not null;
    return next;
  end loop;
end
$$;
revoke all on function private.sweep_regrades(integer, integer, integer)
  from public, authenticated, anon;
grant execute on function private.sweep_regrades(integer, integer, integer) to service_role;
