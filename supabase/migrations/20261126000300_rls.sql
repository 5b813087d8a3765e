-- Row Level Security: the tenant wall. Claims come from the verified access token
-- (company_id and user_role are added by public.custom_access_token_hook).
-- Grants are explicit: new Supabase projects no longer grant tables to the API roles.

alter table public.companies enable row level security;
alter table public.profiles enable row level security;
alter table public.documents enable row level security;
alter table public.knowledge_base enable row level security;
alter table public.personas enable row level security;
alter table public.training_sessions enable row level security;
alter table public.feedback enable row level security;
alter table public.usage enable row level security;

revoke all on public.companies, public.profiles, public.documents, public.knowledge_base,
  public.personas, public.training_sessions, public.feedback, public.usage from anon, authenticated;
grant all on public.companies, public.profiles, public.documents, public.knowledge_base,
  public.personas, public.training_sessions, public.feedback, public.usage to service_role;
grant usage on all sequences in schema public to service_role;

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

-- documents and the knowledge base: members read (the persona and RAG tool need it),
-- managers and admins write.
grant select, insert, update, delete on public.documents to authenticated;
create policy documents_select on public.documents for select to authenticated
  using (company_id = (select private.company_id()));
create policy documents_insert on public.documents for insert to authenticated
  with check (company_id = (select private.company_id()) and (select private.is_manager()));
create policy documents_update on public.documents for update to authenticated
  using (company_id = (select private.company_id()) and (select private.is_manager()))
  with check (company_id = (select private.company_id()));
create policy documents_delete on public.documents for delete to authenticated
  using (company_id = (select private.company_id()) and (select private.is_manager()));

grant select, insert, update, delete on public.knowledge_base to authenticated;
create policy knowledge_base_select on public.knowledge_base for select to authenticated
  using (company_id = (select private.company_id()));
create policy knowledge_base_insert on public.knowledge_base for insert to authenticated
  with check (company_id = (select private.company_id()) and (select private.is_manager()));
create policy knowledge_base_update on public.knowledge_base for update to authenticated
  using (company_id = (select private.company_id()) and (select private.is_manager()))
  with check (company_id = (select private.company_id()));
create policy knowledge_base_delete on public.knowledge_base for delete to authenticated
  using (company_id = (select private.company_id()) and (select private.is_manager()));

-- personas: only managers read or write the table itself, since every row carries what the
-- persona hides (objections, hidden facts, end conditions, goals, pains, the budget). Salespeople
-- read `public.persona_cards` (what a caller knows before the call) and the sessions function
-- reads the whole persona for a session through `private.persona_for_session`
-- (20261203000500_persona_secrets.sql).
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

-- training sessions: a salesperson sees their own, managers the company's. Only the functions
-- write them (service role): nobody can write their own transcript through the Data API.
grant select on public.training_sessions to authenticated;
create policy training_sessions_select on public.training_sessions for select to authenticated
  using (company_id = (select private.company_id())
         and (user_id = (select auth.uid()) or (select private.is_manager())));

-- feedback: same visibility; only the grader writes scores; managers may set the override.
grant select on public.feedback to authenticated;
grant update (override_scores, override_overall, override_note, overridden_by, overridden_at)
  on public.feedback to authenticated;
create policy feedback_select on public.feedback for select to authenticated
  using (company_id = (select private.company_id())
         and (user_id = (select auth.uid()) or (select private.is_manager())));
create policy feedback_update on public.feedback for update to authenticated
  using (company_id = (select private.company_id()) and (select private.is_manager()))
  with check (company_id = (select private.company_id()));

-- usage: admins see what the product costs their company.
grant select on public.usage to authenticated;
create policy usage_select on public.usage for select to authenticated
  using (company_id = (select private.company_id()) and (select private.is_admin()));

-- Storage: the documents bucket is private; paths are {company_id}/{document_id}/{filename}.
create policy documents_objects_select on storage.objects for select to authenticated
  using (bucket_id = 'documents'
         and (storage.foldername(name))[1] = (select private.company_id())::text);
create policy documents_objects_insert on storage.objects for insert to authenticated
  with check (bucket_id = 'documents'
              and (storage.foldername(name))[1] = (select private.company_id())::text
              and (select private.is_manager()));
create policy documents_objects_delete on storage.objects for delete to authenticated
  using (bucket_id = 'documents'
         and (storage.foldername(name))[1] = (select private.company_id())::text
         and (select private.is_manager()));
