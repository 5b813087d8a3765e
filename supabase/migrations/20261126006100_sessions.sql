-- Training sessions and Vapi's server messages (issue 6).
--
-- Vapi's messages are applied by these functions, called by the webhooks function in a service
-- transaction. The session is always found by the Vapi call id bound at start (never by ids in
-- the message's metadata), and its row is locked, so duplicate or concurrent deliveries apply
-- once. A voice session becomes `ended` when the end-of-call report brings the transcript: the
-- grading trigger fires on that transition, so it grades the real conversation, exactly once.

alter table public.training_sessions
  add column if not exists call_report_at timestamptz;

comment on column public.training_sessions.call_report_at is
  'when the Vapi end-of-call report was applied (null: not yet; a later duplicate changes nothing)';

-- status-update: `in-progress` activates a created session; `ended` records when and why (the
-- report that follows carries the transcript and ends the session). Returns the session's status
-- afterwards, or null when no session is bound to the call.
create or replace function private.session_call_status(
  p_call_id text, p_status text, p_ended_reason text
) returns text
language plpgsql set search_path = '' as $$
declare
  s public.training_sessions;
begin
  select * into s from public.training_sessions t where t.vapi_call_id = p_call_id for update;
  if not found then
    return null;
  end if;
  if p_status = 'in-progress' and s.status = 'created' then
    update public.training_sessions t
       set status = 'active', started_at = coalesce(t.started_at, now())
     where t.id = s.id;
    return 'active';
  end if;
  if p_status = 'ended' and s.status in ('created', 'active') and s.call_report_at is null then
    update public.training_sessions t
       set ended_at = coalesce(t.ended_at, now()),
           ended_reason = coalesce(t.ended_reason, p_ended_reason)
     where t.id = s.id;
  end if;
  return s.status;
end
$$;

-- end-of-call-report: saves transcript, recording, reason, cost and duration once, ends the
-- session and records the call's cost. A later copy of the report returns applied = false.
-- Returns no row when no session is bound to the call. Grading follows from the trigger on the
-- transition to `ended`; a session ended before its report (the salesperson hung up a call that
-- never went live) is not graded again by hand: the grader keeps a session's first feedback, so
-- a late transcript is graded by a manager's regrade.
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

revoke all on function private.session_call_status(text, text, text) from public, anon, authenticated;
revoke all on function private.session_apply_call_report(text, jsonb, text, text, numeric, numeric,
  timestamptz, timestamptz) from public, anon, authenticated;
grant execute on function private.session_call_status(text, text, text) to service_role;
grant execute on function private.session_apply_call_report(text, jsonb, text, text, numeric,
  numeric, timestamptz, timestamptz) to service_role;
