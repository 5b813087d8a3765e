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
