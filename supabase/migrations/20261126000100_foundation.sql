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
