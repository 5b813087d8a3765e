-- Training sessions that nobody finished (issue 6): the sessions sweeper ends abandoned text
-- sessions and completes voice sessions whose end-of-call report never arrived (it asks Vapi
-- for the call instead). The report function no longer re-dispatches grading by hand: the grader
-- keeps the first feedback of a session, so a late transcript is graded by a manager's regrade.

create or replace function private.session_apply_call_report(
  p_call_id text,
  p_transcript jsonb,
  p_recording_url text,
  p_ended_reason text,
  p_cost numeric,
  p_duration numeric,
  p_started_at timestamptz,
  p_ended_at timestamptz
) returns table (session_id uuid, company_id uuid, applied boolean)
language plpgsql security definer set search_path = '' as $$
declare
  s public.training_sessions;
begin
  if jsonb_typeof(p_transcript) is distinct from 'array' then
    raise exception 'the transcript must be a JSON array' using errcode = '22023';
  end if;
  select * into s from public.training_sessions t where t.vapi_call_id = p_call_id for update;
  if not found then
    return;
  end if;
  if s.call_report_at is not null then
    return query select s.id, s.company_id, false;
    return;
  end if;

  update public.training_sessions t
     set transcript = p_transcript,
         recording_url = coalesce(p_recording_url, t.recording_url),
         ended_reason = coalesce(t.ended_reason, p_ended_reason),
         cost = p_cost,
         duration_seconds = p_duration,
         started_at = coalesce(t.started_at, p_started_at),
         ended_at = coalesce(p_ended_at, t.ended_at, now()),
         call_report_at = now(),
         status = 'ended'
   where t.id = s.id;

  if p_cost is not null or p_duration is not null then
    perform private.record_usage(s.company_id, 'vapi', 'vapi', null, 'call', 0, 0, 1,
                                 coalesce(p_duration, 0), p_cost, s.id);
  end if;
  return query select s.id, s.company_id, true;
end
$$;

-- Sessions the sweeper should look at, oldest first:
--   text  : active, untouched for `p_text_idle_seconds` (the salesperson left without ending);
--   voice : no report yet, and the call ended (or must have, by its maximum duration) more than
--           `p_voice_grace_seconds` ago; or created without a call id (the start never finished).
create or replace function private.stale_sessions(
  p_text_idle_seconds integer, p_voice_max_seconds integer, p_voice_grace_seconds integer,
  p_limit integer
) returns table (
  id uuid, company_id uuid, mode text, status text, vapi_call_id text, created_at timestamptz,
  age_seconds double precision
)
language sql stable set search_path = '' as $$
  select s.id, s.company_id, s.mode, s.status, s.vapi_call_id, s.created_at,
         extract(epoch from now() - s.created_at)::float8
    from public.training_sessions s
   where (s.mode = 'text' and s.status = 'active'
          and s.updated_at < now() - make_interval(secs => p_text_idle_seconds))
      or (s.mode = 'voice' and s.status in ('created', 'active') and s.call_report_at is null
          and coalesce(s.ended_at, s.created_at + make_interval(secs => p_voice_max_seconds))
              < now() - make_interval(secs => p_voice_grace_seconds))
   order by s.created_at
   limit p_limit
$$;

revoke all on function private.stale_sessions(integer, integer, integer, integer)
  from public, anon, authenticated;
grant execute on function private.stale_sessions(integer, integer, integer, integer)
  to service_role;
