-- Documents and the knowledge base: upload -> storage trigger -> onboarding hook -> chunks.
--
-- A document is processed by whoever claims it first: the claim is one UPDATE whose WHERE clause
-- only matches a claimable row, so two workers (a duplicated hook, the sweeper racing a hook)
-- serialise on the row lock and the second one finds nothing to claim. `attempts` doubles as a
-- fencing token: a worker only writes its result while the row still carries its attempt.
-- `error` is the message in the company's language, shown as is; the wording lives in one
-- catalog (functions/onboarding/messages.py), so SQL that fails a document receives the message
-- in every locale and picks the company's.

create table public.documents (
  id uuid primary key default gen_random_uuid(),
  company_id uuid not null references public.companies (id) on delete cascade,
  storage_object_id uuid,
  storage_path text not null unique,
  filename text not null check (char_length(filename) between 1 and 255),
  mime text,
  bytes bigint check (bytes >= 0),
  declared_bytes bigint check (declared_bytes >= 0), -- announced at upload: the most it may be
  sha256 text,
  status text not null default 'pending'
    check (status in ('pending', 'processing', 'ready', 'failed')),
  error text,
  -- stable code beside the message (empty_file, encrypted_pdf, ...): what clients branch on
  error_code text,
  -- failed for a passing reason (an outage): the sweeper tries again
  retryable boolean not null default false,
  pages integer check (pages >= 0),
  chunk_count integer not null default 0 check (chunk_count >= 0),
  embeddings_created integer not null default 0 check (embeddings_created >= 0),
  progress real not null default 0 check (progress between 0 and 1),
  attempts integer not null default 0,
  uploaded_by uuid references auth.users (id) on delete set null,
  processing_started_at timestamptz,
  processed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, company_id)
);
create index documents_company_status_idx on public.documents (company_id, status);
create index documents_company_sha_idx on public.documents (company_id, sha256);
create index documents_sweep_idx
  on public.documents (status, updated_at) where status in ('pending', 'processing', 'failed');

create table public.knowledge_base (
  id bigint generated always as identity primary key,
  company_id uuid not null,
  document_id uuid not null,
  chunk_index integer not null check (chunk_index >= 0),
  content text not null,
  metadata jsonb not null default '{}'::jsonb,
  content_hash text not null,
  embedding extensions.vector(1536),
  embedding_model text not null,
  fts tsvector generated always as (to_tsvector('public.pt_unaccent'::regconfig, content)) stored,
  created_at timestamptz not null default now(),
  unique (document_id, chunk_index),
  foreign key (document_id, company_id)
    references public.documents (id, company_id) on delete cascade
);
create index knowledge_base_company_idx on public.knowledge_base (company_id, embedding_model);
create index knowledge_base_hash_idx
  on public.knowledge_base (company_id, embedding_model, content_hash);
create index knowledge_base_embedding_idx
  on public.knowledge_base using hnsw (embedding extensions.vector_cosine_ops);
create index knowledge_base_fts_idx on public.knowledge_base using gin (fts);

create trigger documents_touch before update on public.documents
  for each row execute function private.touch_updated_at();

-- Whatever clears the message (a new claim, a reprocess, a re-upload) clears the code with it.
create or replace function private.clear_document_error_code() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.error is null then
    new.error_code := null;
  end if;
  return new;
end
$$;

create trigger documents_clear_error_code before update on public.documents
  for each row when (new.error is null and new.error_code is not null)
  execute function private.clear_document_error_code();

alter table public.documents enable row level security;
alter table public.knowledge_base enable row level security;
revoke all on public.documents, public.knowledge_base from anon, authenticated;
grant all on public.documents, public.knowledge_base to service_role;
grant usage on all sequences in schema public to service_role;

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

-- A deleted document stays deleted. A signed upload link naming it may outlive it (Storage's
-- links are valid for hours and cannot be revoked), so its id is remembered for as long as such
-- a link could be used, and the upload trigger refuses any object for it
-- (private.handle_document_object): the bytes never land, the document never comes back.
create table private.deleted_documents (
  id uuid primary key,
  company_id uuid not null,
  deleted_at timestamptz not null default now()
);
create index deleted_documents_deleted_at_idx on private.deleted_documents (deleted_at);

create or replace function private.remember_deleted_document() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into private.deleted_documents (id, company_id) values (old.id, old.company_id)
  on conflict (id) do nothing;
  return null;
end
$$;

create trigger documents_remember_deleted after delete on public.documents
  for each row execute function private.remember_deleted_document();

-- Forget deletions older than any upload link (the sweeper calls it).
create or replace function private.forget_deleted_documents(p_seconds integer)
returns integer
language sql volatile security definer set search_path = '' as $$
  with gone as (
    delete from private.deleted_documents t
     where t.deleted_at < now() - make_interval(secs => p_seconds)
    returning 1
  )
  select count(*)::integer from gone
$$;
revoke all on function private.forget_deleted_documents(integer) from public, authenticated, anon;
grant execute on function private.forget_deleted_documents(integer) to service_role;

insert into storage.buckets (id, name, public)
values ('documents', 'documents', false)
on conflict (id) do nothing;

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
  -- a deleted document's upload link is dead: refuse the object (the upload fails, nothing lands)
  if exists (select 1 from private.deleted_documents t where t.id = document) then
    raise exception 'dojo: document % was deleted; its upload link no longer works', document
      using errcode = 'object_not_in_prerequisite_state';
  end if;
  if not exists (select 1 from public.companies c where c.id = company) then
    raise warning 'dojo: ignoring object for an unknown company: %', new.name;
    return null;
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

create or replace function private.claim_document(
  p_document uuid, p_company uuid, p_stale_seconds integer
)
returns table (
  id uuid, company_id uuid, storage_path text, filename text, bytes bigint,
  declared_bytes bigint, attempts integer
)
language sql volatile security definer set search_path = '' as $$
  update public.documents d
     set status = 'processing', attempts = d.attempts + 1, processing_started_at = now(),
         progress = 0, error = null, retryable = false
   where d.id = p_document and d.company_id = p_company
     and d.storage_object_id is not null
     and (d.status = 'pending'
          or (d.status = 'failed' and d.retryable)
          or (d.status = 'processing'
              and d.processing_started_at < now() - make_interval(secs => p_stale_seconds)))
  returning d.id, d.company_id, d.storage_path, d.filename, d.bytes, d.declared_bytes, d.attempts
$$;
revoke all on function private.claim_document(uuid, uuid, integer) from public, authenticated, anon;
grant execute on function private.claim_document(uuid, uuid, integer) to service_role;

-- Ask for (re)processing of a document through the same hook the upload trigger uses.
create or replace function private.request_document_processing(p_document uuid)
returns boolean
language plpgsql volatile security definer set search_path = '' as $$
declare
  doc record;
begin
  update public.documents d
     set status = 'pending', error = null, retryable = false, progress = 0
   where d.id = p_document and d.status <> 'processing' and d.storage_object_id is not null
  returning d.id, d.company_id into doc;
  if doc.id is null then
    return false;
  end if;
  perform private.dispatch_hook('onboarding', jsonb_build_object(
    'type', 'document.uploaded', 'document_id', doc.id, 'company_id', doc.company_id));
  return true;
end
$$;
revoke all on function private.request_document_processing(uuid)
  from public, authenticated, anon;
grant execute on function private.request_document_processing(uuid) to service_role;

-- What the sweeper should look at: documents whose hook was lost, whose worker died, or which
-- failed for a passing reason (an outage), oldest first.
create or replace function private.documents_to_sweep(
  p_pending_seconds integer, p_stale_seconds integer, p_max_attempts integer, p_limit integer
)
returns table (id uuid, company_id uuid, status text, attempts integer)
language sql stable security definer set search_path = '' as $$
  select d.id, d.company_id, d.status, d.attempts
    from public.documents d
   where (d.status = 'pending' and d.storage_object_id is not null
          and d.updated_at < now() - make_interval(secs => p_pending_seconds))
      or (d.status = 'processing'
          and d.processing_started_at < now() - make_interval(secs => p_stale_seconds))
      or (d.status = 'failed' and d.retryable and d.attempts < p_max_attempts
          and d.updated_at < now() - make_interval(secs => least(3600, 30 * power(2, d.attempts))))
   order by d.updated_at
   limit p_limit
$$;
revoke all on function private.documents_to_sweep(integer, integer, integer, integer)
  from public, authenticated, anon;
grant execute on function private.documents_to_sweep(integer, integer, integer, integer)
  to service_role;

-- Uploads announced (signed URL) but never arrived: fail them once the URL expired, in each
-- company's language (`p_messages` maps locale to message).
create or replace function private.expire_abandoned_uploads(p_seconds integer, p_messages jsonb)
returns integer
language sql volatile security definer set search_path = '' as $$
  with expired as (
    update public.documents d
       set status = 'failed', retryable = false, error_code = 'upload_abandoned',
           error = coalesce(p_messages ->> c.locale, p_messages ->> 'pt-BR')
      from public.companies c
     where c.id = d.company_id
       and d.status = 'pending' and d.storage_object_id is null
       and d.created_at < now() - make_interval(secs => p_seconds)
    returning 1
  )
  select count(*)::integer from expired
$$;
revoke all on function private.expire_abandoned_uploads(integer, jsonb)
  from public, authenticated, anon;
grant execute on function private.expire_abandoned_uploads(integer, jsonb) to service_role;

-- The manager's overview: documents per status, chunks and embeddings (RLS applies).
create or replace function public.onboarding_status()
returns table (
  status text, documents bigint, chunks bigint, embeddings_created bigint, bytes bigint
)
language sql stable security invoker set search_path = '' as $$
  select s.status, count(d.id), coalesce(sum(d.chunk_count), 0)::bigint,
         coalesce(sum(d.embeddings_created), 0)::bigint, coalesce(sum(d.bytes), 0)::bigint
    from unnest(array['pending', 'processing', 'ready', 'failed']) as s (status)
    left join public.documents d on d.status = s.status
   group by s.status
   order by array_position(array['pending', 'processing', 'ready', 'failed'], s.status)
$$;
grant execute on function public.onboarding_status() to authenticated, service_role;
