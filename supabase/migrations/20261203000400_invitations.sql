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
