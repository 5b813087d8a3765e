-- Persona generation jobs. Every generation is a job (the API answers 202 with it). With a real
-- model one generation takes 40-60 s, past API Gateway's 30 s cap, so the request only records
-- the job and the personas function's hook runs it; a fast provider (offline) runs it within the
-- request, claimed from the start.
--
-- A job is run by whoever claims it first: the claim is one UPDATE whose WHERE clause only
-- matches a claimable row, so a duplicated hook, or the sweeper racing a hook, serialise on the
-- row lock and the second finds nothing to claim. `attempts` is the fencing token: a worker only
-- finishes the job while the row still carries its attempt, in the same transaction that stores
-- the personas, so a worker that lost its claim rolls its personas back.
-- Managers and admins of the company read their jobs; only the service role writes them.

create table public.persona_generations (
  id uuid primary key default gen_random_uuid(),
  company_id uuid not null references public.companies (id) on delete cascade,
  requested_by uuid references auth.users (id) on delete set null,
  kind text not null check (kind in ('generate', 'regenerate')),
  request jsonb not null default '{}'::jsonb,
  status text not null default 'pending'
    check (status in ('pending', 'running', 'done', 'failed')),
  error text,
  error_code text,
  error_details jsonb,
  attempts integer not null default 0,
  persona_count integer,
  result jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create index persona_generations_company_idx
  on public.persona_generations (company_id, created_at desc);
create index persona_generations_sweep_idx
  on public.persona_generations (status, updated_at) where status in ('pending', 'running');
-- one unfinished generation per company: a double click cannot start two
create unique index persona_generations_one_open_idx
  on public.persona_generations (company_id) where status in ('pending', 'running');

create trigger persona_generations_touch before update on public.persona_generations
  for each row execute function private.touch_updated_at();

alter table public.persona_generations enable row level security;
revoke all on public.persona_generations from anon, authenticated;
grant select on public.persona_generations to authenticated;
grant select, insert, update, delete on public.persona_generations to service_role;
create policy persona_generations_select on public.persona_generations for select
  to authenticated
  using (company_id = (select private.company_id()) and (select private.is_manager()));

-- A job was recorded: ask the personas function to run it (after commit, at most once; the
-- sweeper re-dispatches a lost one). A job recorded already running was claimed by the request
-- that records it (a fast provider finishes it before answering): nothing to dispatch.
create or replace function private.handle_persona_generation_requested() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.dispatch_hook('personas', jsonb_build_object(
    'type', 'personas.requested', 'generation_id', new.id, 'company_id', new.company_id));
  return null;
end
$$;

create trigger dojo_persona_generation_requested
  after insert on public.persona_generations
  for each row when (new.status = 'pending')
  execute function private.handle_persona_generation_requested();

-- Claim a job to run it: pending, or running past the stale timeout (its worker died), and not
-- out of attempts. Returns nothing when there is nothing to do.
create or replace function private.claim_persona_generation(
  p_generation uuid, p_company uuid, p_stale_seconds integer, p_max_attempts integer
)
returns table (
  id uuid, company_id uuid, requested_by uuid, kind text, request jsonb, attempts integer
)
language sql volatile security definer set search_path = '' as $$
  update public.persona_generations g
     set status = 'running', attempts = g.attempts + 1, started_at = now(),
         error = null, error_code = null, error_details = null
   where g.id = p_generation and g.company_id = p_company and g.attempts < p_max_attempts
     and (g.status = 'pending'
          or (g.status = 'running'
              and g.started_at < now() - make_interval(secs => p_stale_seconds)))
  returning g.id, g.company_id, g.requested_by, g.kind, g.request, g.attempts
$$;
revoke all on function private.claim_persona_generation(uuid, uuid, integer, integer)
  from public, authenticated, anon;
grant execute on function private.claim_persona_generation(uuid, uuid, integer, integer)
  to service_role;

-- Finish a claimed job (done with its summary, or failed with a reason), only while the row still
-- carries the caller's attempt. False: the claim was lost, the caller must roll back.
create or replace function private.finish_persona_generation(
  p_generation uuid, p_attempt integer, p_status text, p_persona_count integer,
  p_result jsonb, p_error text, p_error_code text, p_error_details jsonb
)
returns boolean
language sql volatile security definer set search_path = '' as $$
  with finished as (
    update public.persona_generations g
       set status = p_status, persona_count = p_persona_count, result = p_result,
           error = p_error, error_code = p_error_code, error_details = p_error_details,
           finished_at = now()
     where g.id = p_generation and g.attempts = p_attempt and g.status = 'running'
       and p_status in ('done', 'failed')
    returning 1
  )
  select exists (select 1 from finished)
$$;
revoke all on function
  private.finish_persona_generation(uuid, integer, text, integer, jsonb, text, text, jsonb)
  from public, authenticated, anon;
grant execute on function
  private.finish_persona_generation(uuid, integer, text, integer, jsonb, text, text, jsonb)
  to service_role;

-- The sweeper's pass: fail the jobs that ran out of attempts, then dispatch again the ones whose
-- hook was lost (pending for a while) or whose worker died (running past the stale timeout).
-- Returns each job touched with what happened to it; `dispatched` is false when the hook is not
-- configured (the sweeper then runs the job itself).
create or replace function private.sweep_persona_generations(
  p_pending_seconds integer, p_stale_seconds integer, p_max_attempts integer, p_limit integer
)
returns table (id uuid, company_id uuid, outcome text, dispatched boolean)
language plpgsql volatile security definer set search_path = '' as $$
declare
  job record;
begin
  for job in
    update public.persona_generations g
       set status = 'failed', finished_at = now(), error_code = 'generation_abandoned',
           error = 'the persona generation did not finish after ' || g.attempts
                   || ' attempts; nothing was saved. Try again in a few minutes.'
     where g.attempts >= p_max_attempts
       and ((g.status = 'pending' and g.updated_at < now() - make_interval(secs => p_pending_seconds))
            or (g.status = 'running'
                and g.started_at < now() - make_interval(secs => p_stale_seconds)))
    returning g.id, g.company_id
  loop
    id := job.id; company_id := job.company_id; outcome := 'failed'; dispatched := false;
    return next;
  end loop;

  for job in
    select g.id, g.company_id from public.persona_generations g
     where g.attempts < p_max_attempts
       and ((g.status = 'pending' and g.updated_at < now() - make_interval(secs => p_pending_seconds))
            or (g.status = 'running'
                and g.started_at < now() - make_interval(secs => p_stale_seconds)))
     order by g.updated_at
     limit p_limit
     for update skip locked
  loop
    update public.persona_generations g set updated_at = now() where g.id = job.id;
    id := job.id; company_id := job.company_id; outcome := 'redispatched';
    dispatched := private.dispatch_hook('personas', jsonb_build_object(
      'type', 'personas.requested', 'generation_id', job.id, 'company_id', job.company_id))
      is not null;
    return next;
  end loop;
end
$$;
revoke all on function private.sweep_persona_generations(integer, integer, integer, integer)
  from public, authenticated, anon;
grant execute on function private.sweep_persona_generations(integer, integer, integer, integer)
  to service_role;
