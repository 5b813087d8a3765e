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
