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
