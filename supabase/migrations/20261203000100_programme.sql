-- The training programme: assignments with per-assignee state, certifications and who holds them,
-- and the company-wide leaderboard.
--
-- Each assignee's state is decided by ONE function, private.decide_assignee, from that person's
-- attempts (training sessions started with the assignment's id) and their feedback. Triggers call
-- it when such a session is created or changes status, when its feedback is written or a manager
-- overrides it, and when a manager edits the assignment; the sessions sweeper calls it for the
-- assignees whose due date passed (private.sweep_overdue_assignees). The rules, in order:
--   passed      : an attempt's overall (the manager's override when there is one) reaches the pass
--                 mark and every category minimum is met. The best attempt counts: a later, worse
--                 attempt never undoes a pass; a manager's override can.
--   failed      : the attempts are limited, all are used, none is still waiting for its grade, and
--                 none passed. A passed due date alone never fails anyone (it makes them overdue):
--                 with attempts left they can still pass late.
--   overdue     : the due date passed without a pass (and attempts are left or unlimited).
--   in_progress : at least one attempt was made.
--   assigned    : nothing yet.
-- An attempt is a session started for the assignment that did not fail to start (a voice call
-- Vapi refused is not an attempt). Feedback `insufficient` (too short to grade) is an attempt that
-- did not pass.
--
-- Every change of an assignee's status is written to public.assignment_transitions (the first row,
-- from null to `assigned`, when someone is assigned): the table to observe for notifications.
-- A certification holder row appears (certified_at set) when its holder passed every assignment of
-- the certification, and goes when that stops being true; inserts and updates of certified_at on
-- public.certification_holders are the "certified" events.

-- --- assignments -------------------------------------------------------------------------------

create table public.assignments (
  id uuid primary key default gen_random_uuid(),
  company_id uuid not null references public.companies (id) on delete cascade,
  title text check (char_length(btrim(title)) between 1 and 200),
  -- a persona, or "any active persona of this difficulty" (one of the two)
  persona_id uuid,
  difficulty text check (difficulty in ('easy', 'medium', 'hard')),
  mode text not null default 'text' check (mode in ('voice', 'text')),
  due_at timestamptz not null,
  pass_mark numeric(5, 2) not null check (pass_mark between 0 and 100),
  -- {"discovery": 60, ...}: the least each named category must score in the passing attempt
  category_minimums jsonb not null default '{}'::jsonb
    check (jsonb_typeof(category_minimums) = 'object'),
  -- null: unlimited (training); N: an exam with N attempts
  max_attempts integer check (max_attempts between 1 and 100),
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, company_id),
  check ((persona_id is null) <> (difficulty is null)),
  foreign key (persona_id, company_id) references public.personas (id, company_id)
);
create index assignments_company_due_idx on public.assignments (company_id, due_at);

create table public.assignment_assignees (
  assignment_id uuid not null,
  company_id uuid not null,
  user_id uuid not null,
  status text not null default 'assigned'
    check (status in ('assigned', 'in_progress', 'passed', 'failed', 'overdue')),
  attempts integer not null default 0,
  -- the attempt that decided the state (the best graded one) and its score
  session_id uuid references public.training_sessions (id) on delete set null,
  score numeric(5, 2),
  -- when the passing attempt was made (null unless passed)
  passed_at timestamptz,
  -- when the present status was reached
  decided_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (assignment_id, user_id),
  foreign key (assignment_id, company_id)
    references public.assignments (id, company_id) on delete cascade,
  foreign key (user_id, company_id) references public.profiles (id, company_id) on delete cascade
);
create index assignment_assignees_user_idx on public.assignment_assignees (company_id, user_id);
create index assignment_assignees_open_idx on public.assignment_assignees (status)
  where status in ('assigned', 'in_progress');

-- Every status change of an assignee, oldest first (from_status null: just assigned).
create table public.assignment_transitions (
  id bigint generated always as identity primary key,
  company_id uuid not null references public.companies (id) on delete cascade,
  assignment_id uuid not null,
  user_id uuid not null,
  from_status text,
  to_status text not null,
  session_id uuid,
  score numeric(5, 2),
  created_at timestamptz not null default now(),
  foreign key (assignment_id, company_id)
    references public.assignments (id, company_id) on delete cascade
);
create index assignment_transitions_user_idx
  on public.assignment_transitions (company_id, user_id, created_at);

alter table public.training_sessions
  add column assignment_id uuid,
  add constraint training_sessions_assignment_fk foreign key (assignment_id, company_id)
    references public.assignments (id, company_id) on delete set null (assignment_id);
create index training_sessions_assignment_idx
  on public.training_sessions (assignment_id, user_id) where assignment_id is not null;
grant select (assignment_id) on public.training_sessions to authenticated;

create trigger assignments_touch before update on public.assignments
  for each row execute function private.touch_updated_at();
create trigger assignment_assignees_touch before update on public.assignment_assignees
  for each row execute function private.touch_updated_at();

alter table public.assignments enable row level security;
alter table public.assignment_assignees enable row level security;
alter table public.assignment_transitions enable row level security;
revoke all on public.assignments, public.assignment_assignees, public.assignment_transitions
  from anon, authenticated;
grant all on public.assignments, public.assignment_assignees, public.assignment_transitions
  to service_role;

-- Managers write assignments and who they go to; a salesperson reads the assignments given to
-- them, and only their own state. States are written by private.decide_assignee alone.
grant select on public.assignments, public.assignment_assignees, public.assignment_transitions
  to authenticated;
grant insert (company_id, title, persona_id, difficulty, mode, due_at, pass_mark,
  category_minimums, max_attempts, created_by) on public.assignments to authenticated;
grant update (title, due_at, pass_mark, category_minimums, max_attempts)
  on public.assignments to authenticated;
grant delete on public.assignments to authenticated;
grant insert (assignment_id, company_id, user_id) on public.assignment_assignees to authenticated;
grant delete on public.assignment_assignees to authenticated;

create policy assignments_select on public.assignments for select to authenticated
  using (company_id = (select private.company_id())
         and ((select private.is_manager())
              or exists (select 1 from public.assignment_assignees aa
                          where aa.assignment_id = id and aa.user_id = (select auth.uid()))));
create policy assignments_insert on public.assignments for insert to authenticated
  with check (company_id = (select private.company_id()) and (select private.is_manager())
              and created_by = (select auth.uid()));
create policy assignments_update on public.assignments for update to authenticated
  using (company_id = (select private.company_id()) and (select private.is_manager()))
  with check (company_id = (select private.company_id()));
create policy assignments_delete on public.assignments for delete to authenticated
  using (company_id = (select private.company_id()) and (select private.is_manager()));

create policy assignees_select on public.assignment_assignees for select to authenticated
  using (company_id = (select private.company_id())
         and (user_id = (select auth.uid()) or (select private.is_manager())));
create policy assignees_insert on public.assignment_assignees for insert to authenticated
  with check (company_id = (select private.company_id()) and (select private.is_manager()));
create policy assignees_delete on public.assignment_assignees for delete to authenticated
  using (company_id = (select private.company_id()) and (select private.is_manager()));

create policy transitions_select on public.assignment_transitions for select to authenticated
  using (company_id = (select private.company_id())
         and (user_id = (select auth.uid()) or (select private.is_manager())));

-- --- certifications ----------------------------------------------------------------------------

create table public.certifications (
  id uuid primary key default gen_random_uuid(),
  company_id uuid not null references public.companies (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 200),
  -- days a certification stays valid after it was earned (null: it never expires)
  validity_days integer check (validity_days between 1 and 3650),
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, company_id)
);

create table public.certification_assignments (
  certification_id uuid not null,
  assignment_id uuid not null,
  company_id uuid not null,
  primary key (certification_id, assignment_id),
  foreign key (certification_id, company_id)
    references public.certifications (id, company_id) on delete cascade,
  foreign key (assignment_id, company_id)
    references public.assignments (id, company_id) on delete cascade
);
create index certification_assignments_assignment_idx
  on public.certification_assignments (assignment_id);

create table public.certification_holders (
  certification_id uuid not null,
  company_id uuid not null,
  user_id uuid not null,
  -- when the last required pass was made: the date the certification was earned
  certified_at timestamptz not null,
  expires_at timestamptz,
  -- [{assignment_id, session_id, score}]: the scorecards that proved it
  evidence jsonb not null default '[]'::jsonb,
  updated_at timestamptz not null default now(),
  primary key (certification_id, user_id),
  foreign key (certification_id, company_id)
    references public.certifications (id, company_id) on delete cascade,
  foreign key (user_id, company_id) references public.profiles (id, company_id) on delete cascade
);

create trigger certifications_touch before update on public.certifications
  for each row execute function private.touch_updated_at();

alter table public.certifications enable row level security;
alter table public.certification_assignments enable row level security;
alter table public.certification_holders enable row level security;
revoke all on public.certifications, public.certification_assignments,
  public.certification_holders from anon, authenticated;
grant all on public.certifications, public.certification_assignments,
  public.certification_holders to service_role;

-- Everyone in the company sees which certifications exist; managers define them; a salesperson
-- sees only their own holder row. Holders are written by private.decide_certification alone.
grant select on public.certifications, public.certification_assignments,
  public.certification_holders to authenticated;
grant insert (company_id, name, validity_days, created_by) on public.certifications
  to authenticated;
grant update (name, validity_days) on public.certifications to authenticated;
grant delete on public.certifications to authenticated;
grant insert (certification_id, assignment_id, company_id), delete
  on public.certification_assignments to authenticated;

create policy certifications_select on public.certifications for select to authenticated
  using (company_id = (select private.company_id()));
create policy certifications_insert on public.certifications for insert to authenticated
  with check (company_id = (select private.company_id()) and (select private.is_manager())
              and created_by = (select auth.uid()));
create policy certifications_update on public.certifications for update to authenticated
  using (company_id = (select private.company_id()) and (select private.is_manager()))
  with check (company_id = (select private.company_id()));
create policy certifications_delete on public.certifications for delete to authenticated
  using (company_id = (select private.company_id()) and (select private.is_manager()));

create policy cert_assignments_select on public.certification_assignments for select
  to authenticated using (company_id = (select private.company_id()));
create policy cert_assignments_insert on public.certification_assignments for insert
  to authenticated
  with check (company_id = (select private.company_id()) and (select private.is_manager()));
create policy cert_assignments_delete on public.certification_assignments for delete
  to authenticated
  using (company_id = (select private.company_id()) and (select private.is_manager()));

create policy holders_select on public.certification_holders for select to authenticated
  using (company_id = (select private.company_id())
         and (user_id = (select auth.uid()) or (select private.is_manager())));

-- --- the rules, as pure functions (tested over every state) ------------------------------------

-- A feedback's category scores as they count: the manager's override where there is one.
create or replace function private.effective_scores(p_scores jsonb, p_override jsonb)
returns jsonb
language sql immutable set search_path = '' as $$
  select coalesce(jsonb_object_agg(s.key, coalesce(p_override -> s.key, s.value -> 'score')),
                  '{}'::jsonb)
    from jsonb_each(coalesce(p_scores, '{}'::jsonb)) s
$$;

-- Whether an attempt passes: overall at or above the pass mark and every category minimum met
-- (a category without a score does not meet its minimum).
create or replace function private.attempt_passes(
  p_overall numeric, p_scores jsonb, p_pass_mark numeric, p_minimums jsonb
) returns boolean
language sql immutable set search_path = '' as $$
  select p_overall is not null and p_overall >= p_pass_mark
     and not exists (
       select 1 from jsonb_each_text(coalesce(p_minimums, '{}'::jsonb)) m
        where coalesce((p_scores ->> m.key)::numeric, -1) < m.value::numeric)
$$;

-- An assignee's status from what their attempts came to (the rules at the top of this file).
create or replace function private.assignee_status(
  p_passed boolean, p_attempts integer, p_open integer, p_max_attempts integer,
  p_due_at timestamptz, p_now timestamptz
) returns text
language sql immutable set search_path = '' as $$
  select case
    when p_passed then 'passed'
    when p_max_attempts is not null and p_attempts >= p_max_attempts and p_open = 0 then 'failed'
    when p_due_at < p_now then 'overdue'
    when p_attempts > 0 then 'in_progress'
    else 'assigned'
  end
$$;

-- --- deciding --------------------------------------------------------------------------------

-- Re-decide one certification for one person: they hold it when they passed every one of its
-- assignments (earned when the last of those passes was made); otherwise they do not.
create or replace function private.decide_certification(p_certification uuid, p_user uuid)
returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  c public.certifications;
  proof record;
begin
  select * into c from public.certifications where id = p_certification;
  if not found then
    return;
  end if;
  select count(*) as required,
         count(*) filter (where aa.status = 'passed') as passed,
         max(aa.passed_at) as earned,
         coalesce(jsonb_agg(jsonb_build_object('assignment_id', ca.assignment_id,
                                               'session_id', aa.session_id, 'score', aa.score)
                            order by aa.passed_at, ca.assignment_id), '[]'::jsonb) as evidence
    into proof
    from public.certification_assignments ca
    left join public.assignment_assignees aa
      on aa.assignment_id = ca.assignment_id and aa.user_id = p_user
   where ca.certification_id = p_certification;
  if proof.required = 0 or proof.passed < proof.required then
    delete from public.certification_holders h
     where h.certification_id = p_certification and h.user_id = p_user;
    return;
  end if;
  insert into public.certification_holders as h
    (certification_id, company_id, user_id, certified_at, expires_at, evidence)
  values (c.id, c.company_id, p_user, proof.earned,
          proof.earned + make_interval(days => c.validity_days), proof.evidence)
  on conflict (certification_id, user_id) do update
    set certified_at = excluded.certified_at, expires_at = excluded.expires_at,
        evidence = excluded.evidence, updated_at = now()
    where (h.certified_at, h.expires_at, h.evidence)
          is distinct from (excluded.certified_at, excluded.expires_at, excluded.evidence);
end
$$;

-- Re-decide a certification for everyone it may concern (its assignees and present holders).
create or replace function private.decide_certification_everyone(p_certification uuid)
returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  who uuid;
begin
  for who in
    select aa.user_id from public.certification_assignments ca
      join public.assignment_assignees aa on aa.assignment_id = ca.assignment_id
     where ca.certification_id = p_certification
    union
    select h.user_id from public.certification_holders h
     where h.certification_id = p_certification
  loop
    perform private.decide_certification(p_certification, who);
  end loop;
end
$$;

-- THE decision: one assignee's attempts, status and deciding attempt, from their sessions and
-- feedback now. Writes only when something changed; a status change is logged in
-- assignment_transitions, and the certifications that include the assignment are re-decided.
-- Returns the status (null when the person is not an assignee).
create or replace function private.decide_assignee(p_assignment uuid, p_user uuid)
returns text
language plpgsql volatile security definer set search_path = '' as $$
declare
  a public.assignments;
  cur public.assignment_assignees;
  n_attempts integer;
  n_open integer;
  best record;
  decided text;
  cert uuid;
begin
  select * into a from public.assignments where id = p_assignment;
  select * into cur from public.assignment_assignees
   where assignment_id = p_assignment and user_id = p_user for update;
  if a.id is null or cur.assignment_id is null then
    return null;
  end if;
  select count(*) filter (where s.status <> 'failed'),
         count(*) filter (where s.status in ('created', 'active')
                          or (s.status = 'ended' and f.id is null and s.grading_error is null))
    into n_attempts, n_open
    from public.training_sessions s
    left join public.feedback f on f.session_id = s.id
   where s.assignment_id = p_assignment and s.user_id = p_user;
  select s.id as session_id, coalesce(f.override_overall, f.overall) as score,
         coalesce(s.ended_at, f.created_at) as made_at,
         private.attempt_passes(coalesce(f.override_overall, f.overall),
                                private.effective_scores(f.scores, f.override_scores),
                                a.pass_mark, a.category_minimums) as passed
    into best
    from public.training_sessions s
    join public.feedback f on f.session_id = s.id
   where s.assignment_id = p_assignment and s.user_id = p_user
   order by 4 desc, 2 desc nulls last, 3, 1
   limit 1;
  decided := private.assignee_status(coalesce(best.passed, false), n_attempts, n_open,
                                     a.max_attempts, a.due_at, now());
  if (decided, n_attempts, best.session_id, best.score)
     is not distinct from (cur.status, cur.attempts, cur.session_id, cur.score) then
    return decided;
  end if;
  update public.assignment_assignees aa
     set status = decided, attempts = n_attempts, session_id = best.session_id,
         score = best.score,
         passed_at = case when decided = 'passed' then best.made_at end,
         decided_at = case when decided <> cur.status then now() else aa.decided_at end
   where aa.assignment_id = p_assignment and aa.user_id = p_user;
  if decided <> cur.status then
    insert into public.assignment_transitions
      (company_id, assignment_id, user_id, from_status, to_status, session_id, score)
    values (a.company_id, p_assignment, p_user, cur.status, decided, best.session_id, best.score);
  end if;
  if decided = 'passed' or cur.status = 'passed' then
    for cert in select ca.certification_id from public.certification_assignments ca
                 where ca.assignment_id = p_assignment loop
      perform private.decide_certification(cert, p_user);
    end loop;
  end if;
  return decided;
end
$$;

-- Everyone assigned to an assignment, re-decided (after a manager changed its terms).
create or replace function private.decide_assignment(p_assignment uuid) returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  who uuid;
begin
  for who in select aa.user_id from public.assignment_assignees aa
              where aa.assignment_id = p_assignment loop
    perform private.decide_assignee(p_assignment, who);
  end loop;
end
$$;

-- The sessions sweeper's pass: assignees still open whose due date passed are re-decided (they
-- become overdue, or failed). How many changed.
create or replace function private.sweep_overdue_assignees(p_limit integer) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  due record;
  changed integer := 0;
begin
  for due in
    select aa.assignment_id, aa.user_id, aa.status
      from public.assignment_assignees aa
      join public.assignments a on a.id = aa.assignment_id
     where aa.status in ('assigned', 'in_progress') and a.due_at < now()
     order by a.due_at
     limit p_limit
       for update of aa skip locked
  loop
    if private.decide_assignee(due.assignment_id, due.user_id) <> due.status then
      changed := changed + 1;
    end if;
  end loop;
  return changed;
end
$$;

-- The caller's own assignee row for a new attempt, locked until the session is inserted (two
-- starts at once cannot both take the last attempt). No row: not assigned to the caller.
create or replace function private.assignment_for_attempt(p_assignment uuid)
returns table (
  assignment_id uuid, persona_id uuid, difficulty text, mode text, max_attempts integer,
  attempts integer, status text
)
language sql volatile security definer set search_path = '' as $$
  select a.id, a.persona_id, a.difficulty, a.mode, a.max_attempts, aa.attempts, aa.status
    from public.assignment_assignees aa
    join public.assignments a on a.id = aa.assignment_id
   where aa.assignment_id = p_assignment and aa.user_id = (select auth.uid())
     and aa.company_id = (select private.company_id())
     for update of aa
$$;

-- --- triggers ----------------------------------------------------------------------------------

create or replace function private.on_assignment_session() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.decide_assignee(new.assignment_id, new.user_id);
  return null;
end
$$;

create trigger dojo_assignment_session_created
  after insert on public.training_sessions
  for each row when (new.assignment_id is not null)
  execute function private.on_assignment_session();

create trigger dojo_assignment_session_status
  after update of status, grading_error on public.training_sessions
  for each row when (new.assignment_id is not null
                     and (old.status, old.grading_error)
                         is distinct from (new.status, new.grading_error))
  execute function private.on_assignment_session();

-- A scorecard written, regraded or overridden: its session's assignee is re-decided.
create or replace function private.on_assignment_feedback() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  s record;
begin
  select t.assignment_id, t.user_id into s
    from public.training_sessions t where t.id = new.session_id;
  if s.assignment_id is not null then
    perform private.decide_assignee(s.assignment_id, s.user_id);
  end if;
  return null;
end
$$;

create trigger dojo_assignment_feedback
  after insert or update on public.feedback
  for each row execute function private.on_assignment_feedback();

create or replace function private.on_assignment_terms() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.decide_assignment(new.id);
  return null;
end
$$;

create trigger dojo_assignment_terms
  after update of due_at, pass_mark, category_minimums, max_attempts on public.assignments
  for each row execute function private.on_assignment_terms();

-- Someone was assigned: the first transition (null -> assigned).
create or replace function private.on_assignee_added() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.assignment_transitions
    (company_id, assignment_id, user_id, from_status, to_status)
  values (new.company_id, new.assignment_id, new.user_id, null, new.status);
  return null;
end
$$;

create trigger dojo_assignee_added
  after insert on public.assignment_assignees
  for each row execute function private.on_assignee_added();

create or replace function private.on_certification_set() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'DELETE' then
    perform private.decide_certification_everyone(old.certification_id);
  elsif tg_table_name = 'certifications' then
    perform private.decide_certification_everyone(new.id);
  else
    perform private.decide_certification_everyone(new.certification_id);
  end if;
  return null;
end
$$;

create trigger dojo_certification_assignments
  after insert or delete on public.certification_assignments
  for each row execute function private.on_certification_set();

create trigger dojo_certification_validity
  after update of validity_days on public.certifications
  for each row execute function private.on_certification_set();

-- --- the leaderboard ---------------------------------------------------------------------------

-- Graded sessions since p_since per person of the caller's company: how many, and their mean
-- score in p_category ('overall' or a rubric key), the manager's override counting. Everyone who
-- practised is listed, and every salesperson (with 0 sessions). Nothing when the company has not
-- switched the leaderboard on (companies.settings.leaderboard_enabled). Security definer: a
-- salesperson sees their colleagues' aggregates here, never their rows.
create or replace function private.leaderboard(p_since timestamptz, p_category text)
returns table (user_id uuid, full_name text, sessions integer, score numeric)
language sql stable security definer set search_path = '' as $$
  select p.id, coalesce(p.full_name, split_part(p.email, '@', 1)),
         count(x.score)::integer, round(avg(x.score), 1)
    from public.profiles p
    join public.companies c on c.id = p.company_id
    left join public.feedback f
      on f.user_id = p.id and f.company_id = p.company_id and f.status = 'graded'
    left join public.training_sessions s on s.id = f.session_id
    left join lateral (
      select case when p_category = 'overall' then coalesce(f.override_overall, f.overall)
                  else coalesce((f.override_scores ->> p_category)::numeric,
                                (f.scores -> p_category ->> 'score')::numeric) end as score
       where coalesce(s.ended_at, f.created_at) >= p_since
    ) x on true
   where p.company_id = (select private.company_id())
     and coalesce((c.settings ->> 'leaderboard_enabled')::boolean, false)
   group by p.id, p.full_name, p.email, p.role
  having p.role = 'salesperson' or count(x.score) > 0
$$;

revoke all on function private.decide_assignee(uuid, uuid), private.decide_assignment(uuid),
  private.decide_certification(uuid, uuid), private.decide_certification_everyone(uuid),
  private.sweep_overdue_assignees(integer) from public, anon, authenticated;
grant execute on function private.sweep_overdue_assignees(integer) to service_role;
revoke all on function private.assignment_for_attempt(uuid), private.leaderboard(timestamptz, text)
  from public, anon;
grant execute on function private.assignment_for_attempt(uuid),
  private.leaderboard(timestamptz, text) to authenticated, service_role;
