-- Triggers that call the functions through pg_net (after commit, at most once).
-- URLs and the shared secret come from Vault: `onboarding_hook_url`, `grading_hook_url`,
-- `dojo_hook_secret`. A missing secret never fails the write that fired the trigger: the row stays
-- pending and the sweepers finish it.

insert into storage.buckets (id, name, public)
values ('documents', 'documents', false)
on conflict (id) do nothing;

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

-- A file landed in the documents bucket: create or refresh its documents row, then ask the
-- onboarding function to process it. Tenant and document come from the path, never from
-- auth.uid() (Storage commits the row as service_role).
create or replace function private.handle_document_object() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  company uuid := private.uuid_or_null(new.path_tokens[1]);
  document uuid := private.uuid_or_null(new.path_tokens[2]);
  doc_company uuid;
begin
  if company is null or document is null or array_length(new.path_tokens, 1) <> 3 then
    raise warning 'dojo: ignoring object outside {company}/{document}/{file}: %', new.name;
    return null;
  end if;
  if not exists (select 1 from public.companies c where c.id = company) then
    raise warning 'dojo: ignoring object for an unknown company: %', new.name;
    return null;
  end if;
  -- a deleted document's upload link is dead: refuse the object (the upload fails, nothing lands)
  if exists (select 1 from private.deleted_documents t where t.id = document) then
    raise exception 'dojo: document % was deleted; its upload link no longer works', document
      using errcode = 'object_not_in_prerequisite_state';
  end if;

  insert into public.documents as d
    (id, company_id, storage_object_id, storage_path, filename, mime, bytes, status, progress)
  values (
    document, company, new.id, new.name, new.path_tokens[3],
    new.metadata ->> 'mimetype', (new.metadata ->> 'size')::bigint, 'pending', 0
  )
  on conflict (id) do update
    set storage_object_id = excluded.storage_object_id,
        storage_path = excluded.storage_path,
        mime = coalesce(excluded.mime, d.mime),
        bytes = coalesce(excluded.bytes, d.bytes),
        status = 'pending', error = null, progress = 0
    where d.company_id = excluded.company_id
  returning d.company_id into doc_company;

  if doc_company is null then
    raise warning 'dojo: object % names a document of another company; ignored', new.name;
    return null;
  end if;

  perform private.dispatch_hook('onboarding', jsonb_build_object(
    'type', 'document.uploaded', 'document_id', document, 'company_id', company));
  return null;
end
$$;

create trigger dojo_document_uploaded
  after insert on storage.objects
  for each row when (new.bucket_id = 'documents')
  execute function private.handle_document_object();

-- A session ended: ask the grading function to grade it (exactly on the transition).
create or replace function private.handle_session_ended() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.dispatch_hook('grading', jsonb_build_object(
    'type', 'session.ended', 'session_id', new.id, 'company_id', new.company_id));
  return null;
end
$$;

create trigger dojo_session_ended
  after update of status on public.training_sessions
  for each row when (old.status is distinct from new.status and new.status = 'ended')
  execute function private.handle_session_ended();

create trigger dojo_session_created_ended
  after insert on public.training_sessions
  for each row when (new.status = 'ended')
  execute function private.handle_session_ended();
