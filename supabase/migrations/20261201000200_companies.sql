-- Companies and their members, and the claims every access token carries.
-- Composite foreign keys on (id, company_id) across the schema make it impossible for a row to
-- point at another company's row, whatever the caller. Grants are explicit: new Supabase projects
-- no longer grant tables to the API roles.

create table public.companies (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(btrim(name)) between 1 and 200),
  locale text not null default 'pt-BR' check (locale in ('pt-BR', 'en-US')),
  settings jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  company_id uuid not null references public.companies (id) on delete cascade,
  role text not null default 'salesperson' check (role in ('salesperson', 'manager', 'admin')),
  full_name text check (char_length(full_name) <= 200),
  email text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, company_id)
);
create index profiles_company_id_idx on public.profiles (company_id);

create trigger companies_touch before update on public.companies
  for each row execute function private.touch_updated_at();
create trigger profiles_touch before update on public.profiles
  for each row execute function private.touch_updated_at();

alter table public.companies enable row level security;
alter table public.profiles enable row level security;
revoke all on public.companies, public.profiles from anon, authenticated;
grant all on public.companies, public.profiles to service_role;

-- companies: members read their own; admins rename it.
grant select, update (name, locale, settings) on public.companies to authenticated;
create policy companies_select on public.companies for select to authenticated
  using (id = (select private.company_id()));
create policy companies_update on public.companies for update to authenticated
  using (id = (select private.company_id()) and (select private.is_admin()))
  with check (id = (select private.company_id()));

-- profiles: members see their team; admins change roles. New members arrive through the API.
grant select, update (role, full_name) on public.profiles to authenticated;
create policy profiles_select on public.profiles for select to authenticated
  using (company_id = (select private.company_id()));
create policy profiles_update on public.profiles for update to authenticated
  using (company_id = (select private.company_id()) and (select private.is_admin()))
  with check (company_id = (select private.company_id()));

-- Custom Access Token Hook: every access token carries company_id and user_role.
-- Enable it in the dashboard (Authentication > Hooks) or config.toml; docs/deploy.md says how.
create or replace function public.custom_access_token_hook(event jsonb) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  claims jsonb := coalesce(event -> 'claims', '{}'::jsonb);
  member record;
begin
  select p.company_id, p.role into member
    from public.profiles p
   where p.id = (event ->> 'user_id')::uuid;
  if found then
    claims := claims || jsonb_build_object('company_id', member.company_id,
                                           'user_role', member.role);
  else
    claims := claims - 'company_id' - 'user_role';
  end if;
  return jsonb_set(event, '{claims}', claims);
end
$$;

grant usage on schema public to supabase_auth_admin;
grant execute on function public.custom_access_token_hook(jsonb) to supabase_auth_admin;
revoke execute on function public.custom_access_token_hook(jsonb) from authenticated, anon, public;
grant select on public.profiles to supabase_auth_admin;
create policy profiles_auth_admin_read on public.profiles as permissive for select
  to supabase_auth_admin using (true);

-- Invitations: a manager asks someone to join; they join only when they accept.
--
-- One pending invitation per company and email (inviting again refreshes it: new token, new
-- expiry). The token travels only in the link sent to the invitee; the table keeps its SHA-256, so
-- reading the table never lets anyone accept. Accepting deletes the invitation (the membership is
-- the record), revoking deletes it too. Managers and admins see and manage their company's
-- invitations; the invitee never reads this table (accepting goes through the API, which checks
-- the verified email of the signed-in person).

create table public.invitations (
  id uuid primary key default gen_random_uuid(),
  company_id uuid not null references public.companies (id) on delete cascade,
  email text not null
    check (email = lower(btrim(email)) and char_length(email) between 3 and 320),
  role text not null default 'salesperson' check (role in ('salesperson', 'manager', 'admin')),
  full_name text check (char_length(full_name) between 1 and 200),
  token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
  invited_by uuid references auth.users (id) on delete set null,
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (company_id, email)
);
create index invitations_company_created_idx on public.invitations (company_id, created_at desc);

create trigger invitations_touch before update on public.invitations
  for each row execute function private.touch_updated_at();

alter table public.invitations enable row level security;
revoke all on public.invitations from anon, authenticated;
grant all on public.invitations to service_role;

-- Managers and admins of the company: read (never the token's hash), invite, refresh, revoke.
-- Only an admin may invite an admin; the inviter is whoever writes the row.
grant select (id, company_id, email, role, full_name, invited_by, expires_at, created_at,
              updated_at)
  on public.invitations to authenticated;
grant insert (company_id, email, role, full_name, token_hash, invited_by, expires_at)
  on public.invitations to authenticated;
grant update (role, full_name, token_hash, invited_by, expires_at)
  on public.invitations to authenticated;
grant delete on public.invitations to authenticated;

create policy invitations_select on public.invitations for select to authenticated
  using (company_id = (select private.company_id()) and (select private.is_manager()));
create policy invitations_insert on public.invitations for insert to authenticated
  with check (company_id = (select private.company_id()) and (select private.is_manager())
              and invited_by = (select auth.uid())
              and (role <> 'admin' or (select private.is_admin())));
create policy invitations_update on public.invitations for update to authenticated
  using (company_id = (select private.company_id()) and (select private.is_manager()))
  with check (company_id = (select private.company_id())
              and invited_by = (select auth.uid())
              and (role <> 'admin' or (select private.is_admin())));
create policy invitations_delete on public.invitations for delete to authenticated
  using (company_id = (select private.company_id()) and (select private.is_manager()));
