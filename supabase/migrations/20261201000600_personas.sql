-- Personas, and the jobs that generate them.

create table public.personas (
  id uuid primary key default gen_random_uuid(),
  company_id uuid not null references public.companies (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 120),
  role text not null check (char_length(role) between 1 and 160),
  seniority text,
  company_profile jsonb not null default '{}'::jsonb,
  traits jsonb not null default '[]'::jsonb,
  goals jsonb not null default '[]'::jsonb,
  pains jsonb not null default '[]'::jsonb,
  objections jsonb not null default '[]'::jsonb,
  hidden_facts jsonb not null default '[]'::jsonb,
  difficulty text not null default 'medium' check (difficulty in ('easy', 'medium', 'hard')),
  end_conditions jsonb not null default '[]'::jsonb,
  speaking_style text not null default '',
  voice_id text,
  first_message text not null default '',
  locale text not null default 'pt-BR',
  status text not null default 'active' check (status in ('active', 'archived')),
  generation_id uuid,
  generator text not null default 'offline',
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, company_id)
);
create index personas_company_status_idx on public.personas (company_id, status);

create trigger personas_touch before update on public.personas
  for each row execute function private.touch_updated_at();

alter table public.personas enable row level security;
revoke all on public.personas from anon, authenticated;
grant all on public.personas to service_role;

-- personas: only managers read or write the table itself, since every row carries what the
-- persona hides (objections, hidden facts, end conditions, goals, pains, the budget). Salespeople
-- read `public.persona_cards` (what a caller knows before the call) and the sessions function
-- reads the whole persona for a session through `private.persona_for_session` (below).
grant select, insert, update, delete on public.personas to authenticated;
create policy personas_select on public.personas for select to authenticated
  using (company_id = (select private.company_id()) and (select private.is_manager()));
create policy personas_insert on public.personas for insert to authenticated
  with check (company_id = (select private.company_id()) and (select private.is_manager()));
create policy personas_update on public.personas for update to authenticated
  using (company_id = (select private.company_id()) and (select private.is_manager()))
  with check (company_id = (select private.company_id()));
create policy personas_delete on public.personas for delete to authenticated
  using (company_id = (select private.company_id()) and (select private.is_manager()));

-- Diverse context for persona generation: farthest-point sampling over one company's chunk
-- embeddings, balanced across documents, so the model sees the breadth of the material (pricing,
-- contracts, product, support...) instead of the first rows of the largest file.
--
-- Only chunks of ready documents and of the active embedding model are candidates. The candidate
-- pool is bounded (p_pool), filled round-robin across documents in a fixed pseudo-random order, so
-- the cost stays flat for big tenants and the result is deterministic. Each pick takes, among
-- the documents with the fewest picks so far, the chunk farthest (cosine) from everything picked;
-- the first pick is the chunk nearest the pool's centroid (the most representative passage),
-- unless seeds are given (chunks the manager's focus retrieved), which are picked first.
-- SECURITY INVOKER: a user's call is filtered by RLS as well.

create or replace function public.diverse_chunks(
  p_company uuid,
  p_model text,
  p_count integer,
  p_seed_ids bigint[] default '{}',
  p_pool integer default 1500
)
returns table (
  id bigint, document_id uuid, filename text, chunk_index integer, content text,
  metadata jsonb, pick integer
)
language plpgsql stable security invoker
set search_path = public, extensions, pg_temp
as $$
declare
  ids bigint[];
  dix integer[];       -- document index of each candidate
  embs extensions.vector[];
  mind double precision[];  -- distance to the nearest picked chunk; -1 once picked
  dcount integer[];    -- picks per document index
  picked bigint[] := '{}';
  n integer;
  ndocs integer;
  best integer;
  best_count integer;
  best_dist double precision;
  i integer;
  centroid extensions.vector;
  seed bigint;
begin
  with candidates as (
    select kb.id, kb.document_id, kb.embedding,
           row_number() over (partition by kb.document_id order by md5(kb.id::text)) as rn
      from public.knowledge_base kb
      join public.documents d on d.id = kb.document_id and d.company_id = kb.company_id
     where kb.company_id = p_company and kb.embedding_model = p_model
       and kb.embedding is not null and d.status = 'ready'
  ), pool as (
    select c.id, c.document_id, c.embedding,
           dense_rank() over (order by c.document_id) as doc_index
      from candidates c
     order by c.rn, c.document_id
     limit greatest(p_pool, 1)
  )
  select array_agg(p.id order by p.id), array_agg(p.doc_index::integer order by p.id),
         array_agg(p.embedding order by p.id), max(p.doc_index)::integer, avg(p.embedding)
    into ids, dix, embs, ndocs, centroid
    from pool p;

  n := coalesce(array_length(ids, 1), 0);
  if n = 0 or p_count < 1 then
    return;
  end if;
  mind := array_fill('Infinity'::double precision, array[n]);
  dcount := array_fill(0, array[ndocs]);

  while coalesce(array_length(picked, 1), 0) < least(p_count, n) loop
    best := null;
    -- seeds first (those present in the pool), in the order given
    foreach seed in array coalesce(p_seed_ids, '{}') loop
      if not seed = any(picked) then
        best := array_position(ids, seed);
        exit when best is not null;
      end if;
    end loop;
    if best is null and coalesce(array_length(picked, 1), 0) = 0 then
      for i in 1..n loop
        if best is null or (embs[i] <=> centroid) < best_dist then
          best := i;
          best_dist := embs[i] <=> centroid;
        end if;
      end loop;
    elsif best is null then
      best_count := null;
      for i in 1..n loop
        continue when mind[i] < 0;
        if best is null or dcount[dix[i]] < best_count
           or (dcount[dix[i]] = best_count and mind[i] > best_dist) then
          best := i;
          best_count := dcount[dix[i]];
          best_dist := mind[i];
        end if;
      end loop;
    end if;
    exit when best is null;
    picked := picked || ids[best];
    dcount[dix[best]] := dcount[dix[best]] + 1;
    mind[best] := -1;
    for i in 1..n loop
      if mind[i] >= 0 then
        mind[i] := least(mind[i], embs[i] <=> embs[best]);
      end if;
    end loop;
  end loop;

  return query
    select kb.id, kb.document_id, d.filename, kb.chunk_index, kb.content, kb.metadata,
           p.ord::integer
      from unnest(picked) with ordinality as p(chunk_id, ord)
      join public.knowledge_base kb on kb.id = p.chunk_id
      join public.documents d on d.id = kb.document_id
     order by p.ord;
end
$$;

grant execute on function public.diverse_chunks(uuid, text, integer, bigint[], integer)
  to authenticated, service_role;

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

-- The sweeper's pass (private.sweep_queue): fail the jobs that ran out of attempts, then
-- dispatch again the ones whose hook was lost (pending for a while) or whose worker died (running
-- past the stale timeout).
create or replace function private.sweep_persona_generations(
  p_pending_seconds integer, p_stale_seconds integer, p_max_attempts integer, p_limit integer
)
returns table (id uuid, company_id uuid, outcome text, dispatched boolean)
language sql volatile security definer set search_path = '' as $$
  select * from private.sweep_queue(
    'public.persona_generations',
    format('(q.status = ''pending'' and q.updated_at < now() - make_interval(secs => %s))'
           ' or (q.status = ''running'' and q.started_at < now() - make_interval(secs => %s))',
           p_pending_seconds, p_stale_seconds),
    'attempts', 'q.updated_at',
    'status = ''failed'', finished_at = now(), error_code = ''generation_abandoned'','
      ' error = ''the persona generation did not finish after '' || q.attempts'
      ' || '' attempts; nothing was saved. Try again in a few minutes.''',
    'updated_at = now()',
    'failed', 'personas', 'personas.requested', 'generation_id', p_max_attempts, p_limit)
$$;
revoke all on function private.sweep_persona_generations(integer, integer, integer, integer)
  from public, authenticated, anon;
grant execute on function private.sweep_persona_generations(integer, integer, integer, integer)
  to service_role;

-- Persona secrets are for managers. A persona row holds what practice is about discovering:
-- objections, hidden facts and when they are revealed, end conditions, goals, pains, traits,
-- speaking style, the budget, current solution and decision process. Both salespeople and
-- managers are the `authenticated` role, so column privileges cannot tell them apart; rows can.
-- So `public.personas` is readable by managers only (its RLS policy), and:
--   * everyone in the company reads `public.persona_cards`: what a caller knows before the call
--     (name, role, seniority, the buyer company's segment, size and region, difficulty);
--   * the sessions function reads the whole persona of the session it starts through
--     `private.persona_for_session`, in the salesperson's own transaction (the private schema is
--     not exposed through the Data API).

-- The cards of the caller's company: salespeople the active personas, managers every one.
-- Security definer because salespeople cannot read the table; the WHERE clause is the wall.
create or replace function private.persona_cards()
returns table (
  id uuid, company_id uuid, name text, role text, seniority text, company_profile jsonb,
  difficulty text, locale text, status text, generator text, offline boolean,
  created_at timestamptz, updated_at timestamptz
)
language sql stable security definer set search_path = '' as $$
  select p.id, p.company_id, p.name, p.role, p.seniority,
         jsonb_strip_nulls(jsonb_build_object(
           'segment', p.company_profile -> 'segment',
           'size', p.company_profile -> 'size',
           'region', p.company_profile -> 'region')),
         p.difficulty, p.locale, p.status, p.generator, p.generator = 'offline',
         p.created_at, p.updated_at
    from public.personas p
   where p.company_id = (select private.company_id())
     and (p.status = 'active' or (select private.is_manager()))
$$;
revoke all on function private.persona_cards() from public, anon;
grant execute on function private.persona_cards() to authenticated, service_role;

-- The Data API's surface for cards. security_invoker: the view itself has no rights of its own;
-- what the caller may see is decided by the function above.
create or replace view public.persona_cards with (security_invoker = true) as
  select * from private.persona_cards();
revoke all on public.persona_cards from public, anon, authenticated;
grant select on public.persona_cards to authenticated, service_role;

-- The persona a session plays, secrets included: the chosen one (or a random active one when
-- p_persona_id is null) of the caller's present company. Salespeople get active personas only;
-- managers also an archived one, so the sessions function can say "archived" instead of 404.
create or replace function private.persona_for_session(
  p_persona_id uuid, p_difficulty text default null
)
returns table (
  id uuid, name text, role text, seniority text, company_profile jsonb, traits jsonb,
  goals jsonb, pains jsonb, objections jsonb, hidden_facts jsonb, difficulty text,
  end_conditions jsonb, speaking_style text, voice_id text, first_message text, locale text,
  status text
)
language sql volatile security definer set search_path = '' as $$
  select p.id, p.name, p.role, p.seniority, p.company_profile, p.traits, p.goals, p.pains,
         p.objections, p.hidden_facts, p.difficulty, p.end_conditions, p.speaking_style,
         p.voice_id, p.first_message, p.locale, p.status
    from public.personas p
   where p.company_id = (select private.company_id())
     and case when p_persona_id is null
              then p.status = 'active' and (p_difficulty is null or p.difficulty = p_difficulty)
              else p.id = p_persona_id
                   and (p.status = 'active' or (select private.is_manager())) end
   order by random()
   limit 1
$$;
revoke all on function private.persona_for_session(uuid, text) from public, anon;
grant execute on function private.persona_for_session(uuid, text) to authenticated, service_role;
