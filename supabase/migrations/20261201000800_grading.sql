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

-- Grading runs under a lease, as documents and persona jobs do, so no connection or row lock
-- waits on the model (20-60 s): a worker claims the session in one short transaction
-- (`grading_claimed_at`, and `grading_attempts` + 1 as its fencing token), grades with no
-- connection checked out, then writes the feedback in a second short transaction that first
-- releases the lease, which only succeeds while the row still carries the worker's token. A claim
-- older than p_stale_seconds (well above the function's timeout) belongs to a dead worker and may
-- be taken over, by the sweeper or another delivery; the dead worker's late write then finds
-- another token and writes nothing. The claim refuses a session held by a live worker.
create or replace function private.claim_grading(
  p_session uuid, p_company uuid, p_stale_seconds integer
)
returns table (
  id uuid, company_id uuid, user_id uuid, mode text, transcript jsonb, persona_snapshot jsonb,
  rubric_version text, locale text, token integer
)
language sql volatile security definer set search_path = '' as $$
  update public.training_sessions s
     set grading_claimed_at = now(), grading_attempts = s.grading_attempts + 1
    from public.companies c
   where s.id = p_session and (p_company is null or s.company_id = p_company)
     and c.id = s.company_id and s.status = 'ended'
     and (s.grading_claimed_at is null
          or s.grading_claimed_at < now() - make_interval(secs => p_stale_seconds))
  returning s.id, s.company_id, s.user_id, s.mode, s.transcript, s.persona_snapshot,
            s.rubric_version, c.locale, s.grading_attempts
$$;
revoke all on function private.claim_grading(uuid, uuid, integer)
  from public, authenticated, anon;
grant execute on function private.claim_grading(uuid, uuid, integer) to service_role;

-- Give the lease back with the run's error (null: it graded). True only while the session still
-- carries the caller's token; false means the run was taken over and must write nothing.
create or replace function private.release_grading(p_session uuid, p_token integer, p_error text)
returns boolean
language sql volatile security definer set search_path = '' as $$
  with released as (
    update public.training_sessions s
       set grading_claimed_at = null, grading_error = p_error
     where s.id = p_session and s.grading_attempts = p_token and s.grading_claimed_at is not null
    returning 1
  )
  select exists (select 1 from released)
$$;
revoke all on function private.release_grading(uuid, integer, text)
  from public, authenticated, anon;
grant execute on function private.release_grading(uuid, integer, text) to service_role;

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
