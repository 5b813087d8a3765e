-- Extensions, the private helper schema and Portuguese full-text configuration.
-- Runs unchanged on Supabase: the `extensions` schema and roles already exist there.
create extension if not exists vector with schema extensions;
create extension if not exists unaccent with schema extensions;
create extension if not exists pg_trgm with schema extensions;

-- Helpers that policies call live outside the exposed `public` schema.
create schema if not exists private;
grant usage on schema private to authenticated, service_role;

-- The tenant wall reads present membership: the JWT proves who the caller is (`sub`); their
-- company and role come from their row in public.profiles, read on every statement that asks, so
-- a removal or a demotion takes effect on the next request. The token's company_id/user_role
-- claims (custom_access_token_hook) are hints for clients and never decide anything here.
-- Security definer (owned by the tables' owner, which RLS does not restrict): reading profiles
-- does not run profiles' own policies, which call these helpers (no recursion). plpgsql because
-- public.profiles is created by a later migration (a SQL body is checked when it is created).
-- Policies call them as `(select private.company_id())`: one read per statement (an initplan).
create or replace function private.company_id() returns uuid
language plpgsql stable security definer set search_path = '' as $$
begin
  return (select p.company_id from public.profiles p where p.id = (select auth.uid()));
end
$$;

create or replace function private.user_role() returns text
language plpgsql stable security definer set search_path = '' as $$
begin
  return (select p.role from public.profiles p where p.id = (select auth.uid()));
end
$$;

create or replace function private.is_manager() returns boolean
language sql stable set search_path = '' as $$
  select coalesce((select private.user_role()) in ('manager', 'admin'), false)
$$;

create or replace function private.is_admin() returns boolean
language sql stable set search_path = '' as $$
  select coalesce((select private.user_role()) = 'admin', false)
$$;

create or replace function private.uuid_or_null(str text) returns uuid
language plpgsql immutable set search_path = '' as $$
begin
  return str::uuid;
exception when invalid_text_representation then
  return null;
end
$$;

grant execute on all functions in schema private to authenticated, service_role;

-- Portuguese stemming over unaccented words: "preço" and "preco" match, as do "planos" and "plano".
do $$
begin
  if not exists (select 1 from pg_ts_config where cfgname = 'pt_unaccent') then
    create text search configuration public.pt_unaccent (copy = pg_catalog.portuguese);
    alter text search configuration public.pt_unaccent
      alter mapping for hword, hword_part, word with extensions.unaccent, portuguese_stem;
  end if;
end
$$;

create or replace function private.touch_updated_at() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  return new;
end
$$;

-- Triggers call the functions through pg_net (after commit, at most once). URLs and the shared
-- secret come from Vault: `<hook>_hook_url` and `dojo_hook_secret`. A missing secret never fails
-- the write that fired the trigger: the row stays pending and the sweepers finish it.
create or replace function private.dispatch_hook(hook text, body jsonb) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  hook_url text;
  secret text;
begin
  select decrypted_secret into hook_url from vault.decrypted_secrets
   where name = hook || '_hook_url';
  select decrypted_secret into secret from vault.decrypted_secrets
   where name = 'dojo_hook_secret';
  if hook_url is null or secret is null then
    raise warning 'dojo: the % hook is not configured in Vault; the sweeper will finish this', hook;
    return null;
  end if;
  return net.http_post(
    url := hook_url,
    body := body,
    headers := jsonb_build_object('Content-Type', 'application/json',
                                  'X-Dojo-Hook-Secret', secret),
    timeout_milliseconds := 5000
  );
end
$$;
revoke all on function private.dispatch_hook(text, jsonb) from public, authenticated, anon;

-- The sweep every hook-driven queue shares, written once. A queue row whose hook delivery was
-- lost (pg_net is at most once) or whose worker died is `due`; a due row that has used
-- `p_max_attempts` dispatches is given up (`p_give_up` is the SET clause that says so), the others
-- are dispatched again, oldest first (`p_retry` bumps their attempts); `p_gave_up` names the
-- outcome of a row given up. `skip locked` leaves rows
-- a worker holds right now to that worker. Each row touched comes back with what happened to it;
-- `dispatched` is false when the hook is not configured (the caller then runs the work itself).
-- The arguments are SQL fragments written by our own migrations, never by a caller (execute is
-- revoked from every API role).
create or replace function private.sweep_queue(
  p_table regclass, p_due text, p_attempts text, p_order text, p_give_up text, p_retry text,
  p_gave_up text, p_hook text, p_event text, p_key text, p_max_attempts integer,
  p_limit integer
)
returns table (id uuid, company_id uuid, outcome text, dispatched boolean)
language plpgsql volatile security definer set search_path = '' as $$
declare
  job record;
begin
  for job in execute format(
    'update %s q set %s where (%s) and q.%I >= $1 returning q.id, q.company_id',
    p_table, p_give_up, p_due, p_attempts) using p_max_attempts
  loop
    id := job.id; company_id := job.company_id; outcome := p_gave_up; dispatched := false;
    return next;
  end loop;

  for job in execute format(
    'select q.id, q.company_id from %s q where (%s) and q.%I < $1 order by %s limit $2'
    ' for update skip locked', p_table, p_due, p_attempts, p_order)
    using p_max_attempts, p_limit
  loop
    execute format('update %s q set %s where q.id = $1', p_table, p_retry) using job.id;
    id := job.id; company_id := job.company_id; outcome := 'redispatched';
    dispatched := private.dispatch_hook(p_hook, jsonb_build_object(
      'type', p_event, p_key, job.id, 'company_id', job.company_id)) is not null;
    return next;
  end loop;
end
$$;
revoke all on function private.sweep_queue(regclass, text, text, text, text, text, text, text,
  text, text, integer, integer) from public, authenticated, anon;
