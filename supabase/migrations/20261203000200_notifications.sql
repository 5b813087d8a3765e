-- Notifications that reach people: in the app (a bell) and by email (an outbox).
--
-- A notification is created in SQL where its event happens, by one function, private.notify(),
-- called from triggers (a scorecard ready, a manager's review) and from the scheduled pass
-- (reminders, the weekly digest). Each notification has a key (recipient + kind + subject_key):
-- the same event delivered twice, or a schedule run twice, notifies once.
--
-- When the person's preference for that kind wants email (their row in
-- notification_preferences, else the kind's default), the same statement queues one email row.
-- The scheduled pass (functions/onboarding/outbox.py) claims rows with a lease in one short
-- transaction, sends with no connection held and marks them in a second one (fenced by the
-- lease token). A row is sent at most once: a definite refusal is retried later (attempts,
-- backoff); a row whose sender vanished mid-send is marked `unknown`, never sent again.

create table public.notifications (
  id uuid primary key default gen_random_uuid(),
  company_id uuid not null,
  user_id uuid not null,
  kind text not null check (kind in (
    'scorecard_ready', 'manager_review', 'assigned', 'due_tomorrow', 'overdue', 'passed',
    'failed', 'certified', 'weekly_digest')),
  -- what the notification is about (ids and the few facts its text shows)
  subject jsonb not null default '{}'::jsonb check (jsonb_typeof(subject) = 'object'),
  subject_key text not null check (char_length(subject_key) between 1 and 200),
  -- where the web app shows what it is about: a path, never another origin
  link text not null check (link ~ '^/[^/]' and char_length(link) <= 500),
  read_at timestamptz,
  created_at timestamptz not null default now(),
  unique (user_id, kind, subject_key),
  foreign key (user_id, company_id) references public.profiles (id, company_id) on delete cascade
);
create index notifications_user_created_idx on public.notifications (user_id, created_at desc);
create index notifications_unread_idx on public.notifications (user_id) where read_at is null;

alter table public.notifications enable row level security;
revoke all on public.notifications from anon, authenticated;
grant all on public.notifications to service_role;

-- Each person reads their own and marks them read; only private.notify() creates them.
grant select, update (read_at) on public.notifications to authenticated;
create policy notifications_select on public.notifications for select to authenticated
  using (user_id = (select auth.uid()) and company_id = (select private.company_id()));
create policy notifications_update on public.notifications for update to authenticated
  using (user_id = (select auth.uid()) and company_id = (select private.company_id()))
  with check (user_id = (select auth.uid()) and company_id = (select private.company_id()));

-- Email preferences: one row per person and kind they changed; no row = the kind's default.
create table public.notification_preferences (
  user_id uuid not null,
  company_id uuid not null,
  kind text not null check (kind in (
    'scorecard_ready', 'manager_review', 'assigned', 'due_tomorrow', 'overdue', 'passed',
    'failed', 'certified', 'weekly_digest')),
  email boolean not null,
  updated_at timestamptz not null default now(),
  primary key (user_id, kind),
  foreign key (user_id, company_id) references public.profiles (id, company_id) on delete cascade
);

alter table public.notification_preferences enable row level security;
revoke all on public.notification_preferences from anon, authenticated;
grant all on public.notification_preferences to service_role;
grant select, insert, update (email, updated_at) on public.notification_preferences
  to authenticated;
create policy notification_preferences_select on public.notification_preferences for select
  to authenticated
  using (user_id = (select auth.uid()) and company_id = (select private.company_id()));
create policy notification_preferences_insert on public.notification_preferences for insert
  to authenticated
  with check (user_id = (select auth.uid()) and company_id = (select private.company_id()));
create policy notification_preferences_update on public.notification_preferences for update
  to authenticated
  using (user_id = (select auth.uid()) and company_id = (select private.company_id()))
  with check (user_id = (select auth.uid()) and company_id = (select private.company_id()));

-- Whether a kind goes by email when the person never said: a scorecard arrives while they are
-- in the app (the bell is enough); everything else is worth an email.
create or replace function private.email_by_default(p_kind text) returns boolean
language sql immutable set search_path = '' as $$
  select p_kind <> 'scorecard_ready'
$$;

-- The email outbox: only the service role (the scheduled pass) reads or writes it.
create table public.email_outbox (
  id uuid primary key default gen_random_uuid(),
  notification_id uuid not null unique references public.notifications (id) on delete cascade,
  company_id uuid not null,
  user_id uuid not null,
  status text not null default 'pending'
    check (status in ('pending', 'sending', 'sent', 'failed', 'unknown')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  lease_token uuid,
  leased_until timestamptz,
  last_error text,
  provider_message_id text,
  sent_at timestamptz,
  created_at timestamptz not null default now(),
  foreign key (user_id, company_id) references public.profiles (id, company_id) on delete cascade
);
create index email_outbox_due_idx on public.email_outbox (next_attempt_at)
  where status = 'pending';
create index email_outbox_leased_idx on public.email_outbox (leased_until)
  where status = 'sending';

alter table public.email_outbox enable row level security;
revoke all on public.email_outbox from anon, authenticated;
grant all on public.email_outbox to service_role;

-- The one way a notification is made. Returns its id, or null when it already existed (the
-- key) or the recipient is not a member. Queues its email when the recipient's preference
-- wants one and they have an address. A notification that cannot be made (a bad kind or link)
-- is a warning, never the failure of the event that asked for it (a scorecard, a decided state).
create or replace function private.notify(
  p_user uuid, p_kind text, p_subject jsonb, p_link text, p_key text
) returns uuid
language plpgsql volatile security definer set search_path = '' as $$
declare
  member record;
  made uuid;
  wants_email boolean;
begin
  select p.company_id, p.email into member from public.profiles p where p.id = p_user;
  if not found then
    return null;
  end if;
  insert into public.notifications (company_id, user_id, kind, subject, subject_key, link)
  values (member.company_id, p_user, p_kind, coalesce(p_subject, '{}'::jsonb), p_key, p_link)
  on conflict (user_id, kind, subject_key) do nothing
  returning id into made;
  if made is null then
    return null;
  end if;
  select coalesce(
    (select np.email from public.notification_preferences np
      where np.user_id = p_user and np.kind = p_kind),
    private.email_by_default(p_kind)) into wants_email;
  if wants_email and coalesce(member.email, '') <> '' then
    insert into public.email_outbox (notification_id, company_id, user_id)
    values (made, member.company_id, p_user);
  end if;
  return made;
exception when check_violation or not_null_violation or invalid_text_representation then
  raise warning 'dojo: no % notification for %: %', p_kind, p_user, sqlerrm;
  return null;
end
$$;
revoke all on function private.notify(uuid, text, jsonb, text, text)
  from public, authenticated, anon;
grant execute on function private.notify(uuid, text, jsonb, text, text) to service_role;

-- A scorecard is ready: tell the person who practised (once per session; a regrade updates the
-- row, which is not an insert, so it notifies nobody again).
create or replace function private.notify_feedback_ready() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.notify(
    new.user_id, 'scorecard_ready',
    jsonb_build_object(
      'session_id', new.session_id, 'status', new.status, 'overall', new.overall,
      'persona_name', (select s.persona_name from public.training_sessions s
                        where s.id = new.session_id)),
    '/sessions/view/?id=' || new.session_id, new.session_id::text);
  return null;
end
$$;
create trigger feedback_notify_ready after insert on public.feedback
  for each row execute function private.notify_feedback_ready();

-- A manager reviewed a scorecard (override and/or note): tell its owner, once per review (the
-- review's time is part of the key, so a later review notifies again and a replay does not).
create or replace function private.notify_feedback_review() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.overridden_at is null or new.overridden_at is not distinct from old.overridden_at then
    return null;
  end if;
  perform private.notify(
    new.user_id, 'manager_review',
    jsonb_build_object(
      'session_id', new.session_id, 'overall', coalesce(new.override_overall, new.overall),
      'note', left(coalesce(new.override_note, ''), 280),
      'persona_name', (select s.persona_name from public.training_sessions s
                        where s.id = new.session_id),
      'reviewer', (select p.full_name from public.profiles p where p.id = new.overridden_by)),
    '/sessions/view/?id=' || new.session_id,
    new.session_id::text || ':' || extract(epoch from new.overridden_at)::text);
  return null;
end
$$;
create trigger feedback_notify_review after update of overridden_at on public.feedback
  for each row execute function private.notify_feedback_review();

-- --- the programme's events (supabase/migrations/20261203000100_programme.sql) -------------
-- Every change of an assignee's status is a row of public.assignment_transitions; a certification
-- earned is a row of public.certification_holders. Both are watched here, so every path that
-- decides a state (a graded attempt, a manager's override, new terms, the overdue sweep) notifies
-- through the same triggers.

-- What an assignment notification shows (its words are chosen when it is read).
create or replace function private.assignment_subject(p_assignment uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object(
    'assignment_id', a.id, 'title', a.title, 'persona_name', p.name, 'difficulty', a.difficulty,
    'mode', a.mode, 'due_at', a.due_at, 'pass_mark', a.pass_mark,
    'max_attempts', a.max_attempts)
    from public.assignments a
    left join public.personas p on p.id = a.persona_id
   where a.id = p_assignment
$$;
revoke all on function private.assignment_subject(uuid) from public, authenticated, anon;

-- An assignment's due date as part of a key: a reminder or an overdue notice is per due date, so
-- a manager who moves the date gets the person reminded again, and nothing else does.
create or replace function private.due_key(p_assignment uuid, p_due timestamptz) returns text
language sql immutable set search_path = '' as $$
  select p_assignment::text || ':'
         || to_char(p_due at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
$$;

create or replace function private.notify_assignment_transition() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  what text;
  subject jsonb;
begin
  what := case when new.from_status is null then 'assigned'
               when new.to_status in ('passed', 'failed', 'overdue') then new.to_status end;
  if what is null then
    return null;
  end if;
  subject := private.assignment_subject(new.assignment_id)
             || jsonb_build_object('overall', new.score, 'session_id', new.session_id);
  perform private.notify(
    new.user_id, what, subject, '/tasks/?id=' || new.assignment_id,
    case when what = 'overdue'
         then private.due_key(new.assignment_id, (subject ->> 'due_at')::timestamptz)
         else new.assignment_id::text end);
  return null;
end
$$;
create trigger assignment_transitions_notify after insert on public.assignment_transitions
  for each row execute function private.notify_assignment_transition();

-- A certification earned, or renewed after it lapsed. A better pass of a held certification
-- moves its date (the proof changed) but earns nothing new: no notification.
create or replace function private.notify_certified() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'UPDATE' and (new.certified_at is not distinct from old.certified_at
                           or old.expires_at is null or old.expires_at > now()) then
    return null;
  end if;
  perform private.notify(
    new.user_id, 'certified',
    jsonb_build_object(
      'certification_id', new.certification_id, 'certified_at', new.certified_at,
      'expires_at', new.expires_at,
      'certification', (select c.name from public.certifications c
                         where c.id = new.certification_id)),
    '/progress/',
    new.certification_id::text || ':' || extract(epoch from new.certified_at)::text);
  return null;
end
$$;
create trigger certification_holders_notify
  after insert or update of certified_at on public.certification_holders
  for each row execute function private.notify_certified();

-- The scheduled reminder: everyone still working on an assignment due within p_hours is
-- reminded once per due date. How many reminders were made now.
create or replace function private.remind_due_soon(p_hours integer) returns integer
language sql volatile security definer set search_path = '' as $$
  select count(*)::integer from (
    select private.notify(
             aa.user_id, 'due_tomorrow', private.assignment_subject(a.id),
             '/tasks/?id=' || a.id, private.due_key(a.id, a.due_at)) as made
      from public.assignment_assignees aa
      join public.assignments a on a.id = aa.assignment_id
     where aa.status in ('assigned', 'in_progress')
       and a.due_at > now() and a.due_at <= now() + make_interval(hours => p_hours)
  ) reminders
   where made is not null
$$;
revoke all on function private.remind_due_soon(integer) from public, authenticated, anon;
grant execute on function private.remind_due_soon(integer) to service_role;

-- The scheduled pass, step 1 (one short transaction): rows whose sender vanished mid-send are
-- marked `unknown` (never sent again: nobody gets an email twice), then up to p_limit due rows are
-- leased to this pass with a fresh token, with what their email needs.
create or replace function private.claim_emails(p_limit integer, p_lease_seconds integer)
returns table (
  id uuid, lease_token uuid, attempts integer, to_address text, full_name text, locale text,
  company_name text, kind text, subject jsonb, link text, created_at timestamptz)
language plpgsql volatile security definer set search_path = '' as $$
begin
  update public.email_outbox o
     set status = 'unknown', last_error = 'the sender stopped before saying whether it was sent',
         lease_token = null
   where o.status = 'sending' and o.leased_until < now();

  return query
  with due as (
    select o.id from public.email_outbox o
     where o.status = 'pending' and o.next_attempt_at <= now()
     order by o.next_attempt_at
     limit p_limit
     for update skip locked
  ), leased as (
    update public.email_outbox o
       set status = 'sending', lease_token = gen_random_uuid(), attempts = o.attempts + 1,
           leased_until = now() + make_interval(secs => p_lease_seconds)
      from due where o.id = due.id
    returning o.id, o.lease_token, o.attempts, o.notification_id
  )
  select l.id, l.lease_token, l.attempts, p.email, p.full_name, c.locale, c.name, n.kind,
         n.subject, n.link, n.created_at
    from leased l
    join public.notifications n on n.id = l.notification_id
    join public.profiles p on p.id = n.user_id
    join public.companies c on c.id = n.company_id;
end
$$;
revoke all on function private.claim_emails(integer, integer) from public, authenticated, anon;
grant execute on function private.claim_emails(integer, integer) to service_role;

-- Step 2 (a second short transaction): the outcome of a leased row, fenced by its token (a row
-- whose lease was given up meanwhile changes no more). A transient refusal waits 60 s x
-- 2^attempts (at most 6 h) while attempts remain; anything else is final.
create or replace function private.finish_email(
  p_id uuid, p_token uuid, p_sent boolean, p_message_id text, p_error text, p_retry boolean,
  p_max_attempts integer
) returns text
language plpgsql volatile security definer set search_path = '' as $$
declare
  outcome text;
begin
  update public.email_outbox o
     set status = case when p_sent then 'sent'
                       when p_retry and o.attempts < p_max_attempts then 'pending'
                       else 'failed' end,
         provider_message_id = case when p_sent then p_message_id end,
         sent_at = case when p_sent then now() end,
         last_error = case when p_sent then null else left(p_error, 500) end,
         next_attempt_at = case when p_sent then o.next_attempt_at
                                else now() + make_interval(
                                  secs => least(21600, 60 * power(2, o.attempts))) end,
         lease_token = null, leased_until = null
   where o.id = p_id and o.lease_token = p_token and o.status = 'sending'
  returning o.status into outcome;
  return coalesce(outcome, 'lost_lease');
end
$$;
revoke all on function private.finish_email(uuid, uuid, boolean, text, text, boolean, integer)
  from public, authenticated, anon;
grant execute on function private.finish_email(uuid, uuid, boolean, text, text, boolean, integer)
  to service_role;

-- The bell is live in production: Supabase Realtime streams the caller's own notifications (RLS
-- decides who receives which row). Only where Supabase's publication exists, and only once.
do $$
begin
  if exists (select 1 from pg_catalog.pg_publication where pubname = 'supabase_realtime')
     and not exists (
       select 1 from pg_catalog.pg_publication_tables
        where pubname = 'supabase_realtime' and schemaname = 'public'
          and tablename = 'notifications') then
    alter publication supabase_realtime add table public.notifications;
  end if;
end
$$;
