-- Onboarding pipeline state: who may process a document, when, and what to retry.
--
-- A document is processed by whoever claims it first: the claim is one UPDATE whose WHERE clause
-- only matches a claimable row, so two workers (a duplicated hook, the sweeper racing a hook)
-- serialise on the row lock and the second one finds nothing to claim. `attempts` doubles as a
-- fencing token: a worker only writes its result while the row still carries its attempt.

alter table public.documents
  add column if not exists retryable boolean not null default false;

-- Document failures carry a stable code beside the message. `error` is the message in the
-- company's language, shown as is; `error_code` (empty_file, encrypted_pdf, scanned_pdf,
-- zip_bomb, too_many_pages, ...) is what clients may branch on. The wording lives in one catalog
-- (functions/onboarding/messages.py), so SQL that fails a document receives the message in every
-- locale and picks the company's.
alter table public.documents add column if not exists error_code text;

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

create index if not exists documents_sweep_idx
  on public.documents (status, updated_at) where status in ('pending', 'processing', 'failed');

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
