-- Extensions, the private helper schema and Portuguese full-text configuration.
-- Runs unchanged on Supabase: the `extensions` schema and roles already exist there.
create extension if not exists vector with schema extensions;
create extension if not exists unaccent with schema extensions;
create extension if not exists pg_trgm with schema extensions;

-- Helpers that policies call live outside the exposed `public` schema.
create schema if not exists private;
grant usage on schema private to authenticated, service_role;

create or replace function private.company_id() returns uuid
language sql stable set search_path = '' as $$
  select nullif((select auth.jwt()) ->> 'company_id', '')::uuid
$$;

create or replace function private.user_role() returns text
language sql stable set search_path = '' as $$
  select nullif((select auth.jwt()) ->> 'user_role', '')
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
