-- Persona secrets are for managers. A persona row holds what practice is about discovering:
-- objections, hidden facts and when they are revealed, end conditions, goals, pains, traits,
-- speaking style, the budget, current solution and decision process. Both salespeople and
-- managers are the `authenticated` role, so column privileges cannot tell them apart; rows can.
-- So `public.personas` is readable by managers only (its RLS policy), and:
--   * everyone in the company reads `public.persona_cards`: what a caller knows before the call
--     (name, role, seniority, the buyer company's segment, size and region, difficulty);
--   * the sessions function reads the whole persona of the session it starts through
--     `private.persona_for_session`, in the salesperson's own transaction (the private schema is
--     not exposed through the Data API).

-- The cards of the caller's company: salespeople the active personas, managers every one.
-- Security definer because salespeople cannot read the table; the WHERE clause is the wall.
create or replace function private.persona_cards()
returns table (
  id uuid, company_id uuid, name text, role text, seniority text, company_profile jsonb,
  difficulty text, locale text, status text, generator text, offline boolean,
  created_at timestamptz, updated_at timestamptz
)
language sql stable security definer set search_path = '' as $$
  select p.id, p.company_id, p.name, p.role, p.seniority,
         jsonb_strip_nulls(jsonb_build_object(
           'segment', p.company_profile -> 'segment',
           'size', p.company_profile -> 'size',
           'region', p.company_profile -> 'region')),
         p.difficulty, p.locale, p.status, p.generator, p.generator = 'offline',
         p.created_at, p.updated_at
    from public.personas p
   where p.company_id = (select private.company_id())
     and (p.status = 'active' or (select private.is_manager()))
$$;
revoke all on function private.persona_cards() from public, anon;
grant execute on function private.persona_cards() to authenticated, service_role;

-- The Data API's surface for cards. security_invoker: the view itself has no rights of its own;
-- what the caller may see is decided by the function above.
create or replace view public.persona_cards with (security_invoker = true) as
  select * from private.persona_cards();
revoke all on public.persona_cards from public, anon, authenticated;
grant select on public.persona_cards to authenticated, service_role;

-- The persona a session plays, secrets included: the chosen one (or a random active one when
-- p_persona_id is null) of the caller's present company. Salespeople get active personas only;
-- managers also an archived one, so the sessions function can say "archived" instead of 404.
create or replace function private.persona_for_session(p_persona_id uuid)
returns table (
  id uuid, name text, role text, seniority text, company_profile jsonb, traits jsonb,
  goals jsonb, pains jsonb, objections jsonb, hidden_facts jsonb, difficulty text,
  end_conditions jsonb, speaking_style text, voice_id text, first_message text, locale text,
  status text
)
language sql volatile security definer set search_path = '' as $$
  select p.id, p.name, p.role, p.seniority, p.company_profile, p.traits, p.goals, p.pains,
         p.objections, p.hidden_facts, p.difficulty, p.end_conditions, p.speaking_style,
         p.voice_id, p.first_message, p.locale, p.status
    from public.personas p
   where p.company_id = (select private.company_id())
     and case when p_persona_id is null then p.status = 'active'
              else p.id = p_persona_id
                   and (p.status = 'active' or (select private.is_manager())) end
   order by random()
   limit 1
$$;
revoke all on function private.persona_for_session(uuid) from public, anon;
grant execute on function private.persona_for_session(uuid) to authenticated, service_role;
