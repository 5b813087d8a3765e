-- What every model, embedding and Vapi call used, per company (the customer's bill).
create table public.usage (
  id bigint generated always as identity primary key,
  company_id uuid not null references public.companies (id) on delete cascade,
  kind text not null check (kind in ('llm', 'embeddings', 'vapi')),
  provider text not null,
  model text,
  operation text not null,
  input_tokens integer not null default 0,
  output_tokens integer not null default 0,
  inputs integer not null default 0,
  seconds numeric(10, 2) not null default 0,
  cost_usd numeric(12, 6),
  ref_id uuid,
  created_at timestamptz not null default now()
);
create index usage_company_created_idx on public.usage (company_id, created_at);

alter table public.usage enable row level security;
revoke all on public.usage from anon, authenticated;
grant all on public.usage to service_role;
grant usage on all sequences in schema public to service_role;

-- usage: admins see what the product costs their company.
grant select on public.usage to authenticated;
create policy usage_select on public.usage for select to authenticated
  using (company_id = (select private.company_id()) and (select private.is_admin()));

-- Usage recording: functions write what each model, embedding and Vapi call used. Callers in a
-- tenant transaction can only record for their own company; nobody edits or deletes usage.
create or replace function private.record_usage(
  p_company uuid, p_kind text, p_provider text, p_model text, p_operation text,
  p_input_tokens integer default 0, p_output_tokens integer default 0, p_inputs integer default 0,
  p_seconds numeric default 0, p_cost_usd numeric default null, p_ref_id uuid default null
) returns void
language plpgsql security definer set search_path = '' as $$
begin
  if (select auth.role()) is distinct from 'service_role'
     and p_company is distinct from (select private.company_id()) then
    raise exception 'usage can only be recorded for your own company' using errcode = '42501';
  end if;
  insert into public.usage (company_id, kind, provider, model, operation, input_tokens,
                            output_tokens, inputs, seconds, cost_usd, ref_id)
  values (p_company, p_kind, p_provider, p_model, p_operation, coalesce(p_input_tokens, 0),
          coalesce(p_output_tokens, 0), coalesce(p_inputs, 0), coalesce(p_seconds, 0),
          p_cost_usd, p_ref_id);
end
$$;
revoke all on function private.record_usage(uuid, text, text, text, text, integer, integer,
  integer, numeric, numeric, uuid) from public, anon;
grant execute on function private.record_usage(uuid, text, text, text, text, integer, integer,
  integer, numeric, numeric, uuid) to authenticated, service_role;

-- What the product cost a company: usage summed by month and kind. SECURITY INVOKER, so the
-- usage table's RLS decides what is summed (admins of the caller's company see their own rows;
-- anyone else sums nothing). Months are calendar months in UTC.
create or replace function private.usage_summary(p_since timestamptz)
returns table (
  month date,
  kind text,
  calls bigint,
  input_tokens bigint,
  output_tokens bigint,
  inputs bigint,
  seconds numeric,
  cost_usd numeric,
  unpriced_calls bigint
)
language sql stable security invoker set search_path = '' as $$
  select (date_trunc('month', u.created_at at time zone 'UTC'))::date as month,
         u.kind,
         count(*) as calls,
         coalesce(sum(u.input_tokens), 0)::bigint as input_tokens,
         coalesce(sum(u.output_tokens), 0)::bigint as output_tokens,
         coalesce(sum(u.inputs), 0)::bigint as inputs,
         coalesce(sum(u.seconds), 0) as seconds,
         coalesce(sum(u.cost_usd), 0) as cost_usd,
         count(*) filter (where u.cost_usd is null) as unpriced_calls
    from public.usage u
   where u.created_at >= p_since
   group by 1, 2
   order by 1 desc, 2
$$;
revoke all on function private.usage_summary(timestamptz) from public, anon;
grant execute on function private.usage_summary(timestamptz) to authenticated, service_role;
