-- Training sessions and Vapi's server messages.
--
-- Vapi's messages are applied by these functions, called by the webhooks function in a service
-- transaction. The session is always found by the Vapi call id bound at start (never by ids in
-- the message's metadata), and its row is locked, so duplicate or concurrent deliveries apply
-- once. A voice session becomes `ended` when the end-of-call report brings the transcript: the
-- grading trigger fires on that transition, so it grades the real conversation, exactly once.
-- The sessions sweeper ends abandoned text sessions and completes voice sessions whose report
-- never arrived (it asks Vapi for the call instead).

create table public.training_sessions (
  id uuid primary key default gen_random_uuid(),
  company_id uuid not null references public.companies (id) on delete cascade,
  user_id uuid not null,
  persona_id uuid,
  mode text not null check (mode in ('voice', 'text')),
  status text not null default 'created' check (status in ('created', 'active', 'ended', 'failed')),
  vapi_call_id text unique,
  -- the whole persona as it was at start, what it hides included: only the functions read it
  persona_snapshot jsonb not null default '{}'::jsonb,
  -- what anyone who sees the session may know of its persona
  persona_name text generated always as (persona_snapshot ->> 'name') stored,
  persona_role text generated always as (persona_snapshot ->> 'role') stored,
  persona_difficulty text generated always as (persona_snapshot ->> 'difficulty') stored,
  rubric_version text not null,
  started_at timestamptz,
  ended_at timestamptz,
  ended_reason text,
  transcript jsonb not null default '[]'::jsonb,
  -- Vapi's recording (only the functions read it; Vapi's URLs are not for the browser)
  recording_url text,
  -- our copy in the private `recordings` bucket, `<company_id>/<session_id>.<ext>`: null until
  -- copied, and again once the company's retention deleted it (the transcript stays)
  recording_path text,
  -- a copy is owed (set with the report, cleared when copied); attempts fence the workers
  recording_copy_pending_at timestamptz,
  recording_copy_claimed_at timestamptz,
  recording_copy_attempts integer not null default 0,
  recording_copy_error text,
  recording_copied_at timestamptz,
  recording_deleted_at timestamptz,
  -- the persona's response delays and interruptions, computed from the report (voice only)
  latency jsonb,
  duration_seconds numeric(10, 2),
  cost numeric(12, 6),
  grading_error text,
  -- grading's runs so far; each claim adds one, and the number is that run's fencing token
  grading_attempts integer not null default 0,
  -- grading's lease: when the running grader claimed the session (null: nobody is grading it)
  grading_claimed_at timestamptz,
  -- when the Vapi end-of-call report was applied (null: not yet; a later duplicate changes nothing)
  call_report_at timestamptz,
  -- a manager's pending regrade (grading's marker) and how often it was dispatched
  regrade_requested_at timestamptz,
  regrade_attempts integer not null default 0,
  -- a retry replays one persona turn (`from_turn`, 0-based) of an earlier session of the same
  -- salesperson: the link lets the original's scorecard list its retries
  retry_of uuid,
  from_turn integer check (from_turn >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, company_id),
  foreign key (user_id, company_id) references public.profiles (id, company_id) on delete cascade,
  foreign key (persona_id, company_id) references public.personas (id, company_id),
  foreign key (retry_of, company_id) references public.training_sessions (id, company_id)
    on delete set null (retry_of)
);
create index training_sessions_company_user_idx
  on public.training_sessions (company_id, user_id, created_at desc);
create index training_sessions_ended_idx
  on public.training_sessions (status, ended_at) where status = 'ended';
create index training_sessions_retry_idx
  on public.training_sessions (retry_of) where retry_of is not null;
create index training_sessions_regrade_idx
  on public.training_sessions (regrade_requested_at) where regrade_requested_at is not null;
create index training_sessions_recording_copy_idx
  on public.training_sessions (recording_copy_pending_at)
  where recording_copy_pending_at is not null;
create index training_sessions_recording_kept_idx
  on public.training_sessions (company_id, ended_at) where recording_path is not null;

create trigger training_sessions_touch before update on public.training_sessions
  for each row execute function private.touch_updated_at();

alter table public.training_sessions enable row level security;
revoke all on public.training_sessions from anon, authenticated;
grant all on public.training_sessions to service_role;

-- training sessions: a salesperson sees their own, managers the company's. Only the functions
-- write them (service role): nobody can write their own transcript through the Data API.
-- Every column but the persona snapshot, which carries what the persona hides (its secrets are for
-- managers, and a salesperson reads their own sessions): the sessions function reads it for the
-- caller's own session through private.session_persona.
grant select (id, company_id, user_id, persona_id, mode, status, vapi_call_id, persona_name,
  persona_role, persona_difficulty, rubric_version, started_at, ended_at, ended_reason, transcript,
  recording_path, recording_copied_at, latency, duration_seconds, cost,
  grading_error, grading_attempts, call_report_at, regrade_requested_at, regrade_attempts,
  retry_of, from_turn, created_at, updated_at)
  on public.training_sessions to authenticated;
create policy training_sessions_select on public.training_sessions for select to authenticated
  using (company_id = (select private.company_id())
         and (user_id = (select auth.uid()) or (select private.is_manager())));

-- A session ended: ask the grading function to grade it (exactly on the transition).
create or replace function private.handle_session_ended() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.dispatch_hook('grading', jsonb_build_object(
    'type', 'session.ended', 'session_id', new.id, 'company_id', new.company_id));
  return null;
end
$$;

create trigger dojo_session_ended
  after update of status on public.training_sessions
  for each row when (old.status is distinct from new.status and new.status = 'ended')
  execute function private.handle_session_ended();

create trigger dojo_session_created_ended
  after insert on public.training_sessions
  for each row when (new.status = 'ended')
  execute function private.handle_session_ended();

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

-- end-of-call-report: saves transcript, recording, latency, reason, cost and duration once, ends
-- the session and records the call's cost. A later copy of the report returns applied = false.
-- Returns no row when no session is bound to the call. It never re-dispatches grading by hand:
-- the grader keeps the first feedback of a session, so a late transcript is graded by a
-- manager's regrade. A report with a recording owes a copy of it: the caller, which applies the
-- report, claims that copy at once (attempt 1) and makes it after this transaction commits.
create or replace function private.session_apply_call_report(
  p_call_id text,
  p_transcript jsonb,
  p_recording_url text,
  p_ended_reason text,
  p_cost numeric,
  p_duration numeric,
  p_started_at timestamptz,
  p_ended_at timestamptz,
  p_latency jsonb
) returns table (session_id uuid, company_id uuid, applied boolean, copy_attempt integer)
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
    return query select s.id, s.company_id, false, null::integer;
    return;
  end if;

  update public.training_sessions t
     set transcript = p_transcript,
         recording_url = coalesce(p_recording_url, t.recording_url),
         recording_copy_pending_at = case when p_recording_url is not null then now() end,
         recording_copy_claimed_at = case when p_recording_url is not null then now() end,
         recording_copy_attempts = case when p_recording_url is not null then 1 else 0 end,
         latency = p_latency,
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
  return query select s.id, s.company_id, true,
    case when p_recording_url is not null then 1 end;
end
$$;

revoke all on function private.session_call_status(text, text, text) from public, anon, authenticated;
revoke all on function private.session_apply_call_report(text, jsonb, text, text, numeric, numeric,
  timestamptz, timestamptz, jsonb) from public, anon, authenticated;
grant execute on function private.session_call_status(text, text, text) to service_role;
grant execute on function private.session_apply_call_report(text, jsonb, text, text, numeric,
  numeric, timestamptz, timestamptz, jsonb) to service_role;

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

-- The persona of the caller's own session, as it was frozen at start (the persona's next text
-- turn needs what it hides). Security definer: nobody else can select the snapshot column.
create or replace function private.session_persona(p_session uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select s.persona_snapshot from public.training_sessions s
   where s.id = p_session and s.user_id = (select auth.uid())
     and s.company_id = (select private.company_id())
$$;
revoke all on function private.session_persona(uuid) from public, anon;
grant execute on function private.session_persona(uuid) to authenticated, service_role;
