-- Local stand-ins for pg_net and Vault.
-- pg_net: `net.http_post` queues the request; real pg_net sends it after commit, at most once.
-- Locally the `dojo` dispatcher drains this queue and POSTs it over real HTTP.
create table if not exists net.http_request_queue (
  id bigserial primary key,
  method text not null,
  url text not null,
  headers jsonb,
  body bytea,
  timeout_milliseconds integer not null,
  created_at timestamptz not null default now()
);

create table if not exists net._http_response (
  id bigint,
  status_code integer,
  content_type text,
  headers jsonb,
  content text,
  timed_out boolean,
  error_msg text,
  created timestamptz not null default now()
);

create or replace function net.http_post(
  url text,
  body jsonb default '{}'::jsonb,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{"Content-Type": "application/json"}'::jsonb,
  timeout_milliseconds integer default 5000
) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  request_id bigint;
  full_url text := url;
begin
  if url is null then
    raise exception 'null value in column "url" of relation "http_request_queue"';
  end if;
  if params is not null and params <> '{}'::jsonb then
    select url || '?' || string_agg(format('%s=%s', key, value), '&')
      into full_url from jsonb_each_text(params);
  end if;
  insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
  values ('POST', full_url, headers, convert_to(body::text, 'UTF8'), timeout_milliseconds)
  returning id into request_id;
  return request_id;
end
$$;

grant all on all tables in schema net to postgres, service_role;
grant usage on all sequences in schema net to postgres, service_role;
grant execute on function net.http_post(text, jsonb, jsonb, jsonb, integer) to public;

-- Vault: named secrets readable through `vault.decrypted_secrets` (no encryption locally).
create table if not exists vault.secrets (
  id uuid primary key default gen_random_uuid(),
  name text unique,
  description text not null default '',
  secret text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create or replace view vault.decrypted_secrets as
  select id, name, description, secret, secret as decrypted_secret, created_at, updated_at
  from vault.secrets;

create or replace function vault.create_secret(
  new_secret text, new_name text default null, new_description text default ''
) returns uuid
language plpgsql security definer set search_path = '' as $$
declare rec_id uuid;
begin
  insert into vault.secrets (secret, name, description)
  values (new_secret, new_name, new_description)
  returning id into rec_id;
  return rec_id;
end
$$;

create or replace function vault.update_secret(
  secret_id uuid, new_secret text default null, new_name text default null,
  new_description text default null
) returns void
language plpgsql security definer set search_path = '' as $$
begin
  update vault.secrets set
    secret = coalesce(new_secret, secret),
    name = coalesce(new_name, name),
    description = coalesce(new_description, description),
    updated_at = now()
  where id = secret_id;
end
$$;
revoke all on vault.secrets, vault.decrypted_secrets from public;
