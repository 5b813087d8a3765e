-- Training sessions that nobody finished (issue 6): the sessions sweeper ends abandoned text
-- sessions and completes voice sessions whose end-of-call report never arrived (it asks Vapi
-- for the call instead; the report is applied by private.session_apply_call_report, in
-- 20261126006100_sessions.sql).

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
