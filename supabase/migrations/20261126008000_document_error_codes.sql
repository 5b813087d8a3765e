-- Document failures carry a stable code beside the message.
--
-- `error` is the message in the company's language, shown as is; `error_code` (empty_file,
-- encrypted_pdf, scanned_pdf, zip_bomb, too_many_pages, ...) is what clients may branch on.
-- The wording lives in one catalog (functions/onboarding/messages.py), so SQL that fails a
-- document receives the message in every locale and picks the company's.

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

-- Uploads announced (signed URL) but never arrived: fail them once the URL expired, in each
-- company's language (`p_messages` maps locale to message).
drop function if exists private.expire_abandoned_uploads(integer);
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
