-- Retrieval over the knowledge base, always confined to one company. SECURITY INVOKER: a user's
-- call is also filtered by RLS. Rows of other embedding models are never compared.
--
-- Plans are made per call (force_custom_plan): whether the company has 20 rows or 60,000 decides
-- between the company index and the HNSW index, and a generic plan cannot know which.
--
-- Per-tenant recall: an HNSW scan filtered by company afterwards loses rows for small companies.
-- Small tenants get an exact scan (cheap at their size); large ones use pgvector 0.8's iterative
-- index scan, which keeps scanning until enough rows of the company are found.

-- How many chunks a company has for a model, counted no further than `p_cap` (an index-only
-- scan that stops early: the question is only ever "more than the exact-scan threshold?").
create or replace function private.company_chunk_count(p_company uuid, p_model text, p_cap bigint)
returns bigint language sql stable set search_path = '' as $$
  select count(*) from (
    select 1 from public.knowledge_base kb
     where kb.company_id = p_company and kb.embedding_model = p_model
     limit p_cap) s
$$;
grant execute on function private.company_chunk_count(uuid, text, bigint)
  to authenticated, service_role;

create or replace function public.match_documents(
  query_embedding extensions.vector(1536),
  match_threshold double precision,
  match_count integer,
  company_id uuid,
  embedding_model text default null,
  exact_below integer default 2000
)
returns table (
  id bigint, document_id uuid, chunk_index integer, content text, metadata jsonb,
  similarity double precision
)
language plpgsql stable security invoker
rows 20 -- a handful, not the 1,000 the planner assumes: it must not seq-scan the table to join
set search_path = public, extensions, pg_temp
set plan_cache_mode = 'force_custom_plan'
-- the big-tenant branch must walk the HNSW graph: sorting the tenant's rows by distance reads
-- every vector from TOAST (10x slower), which the cost model underrates with a raised ef_search
set enable_sort = off
set hnsw.iterative_scan = 'relaxed_order'
set hnsw.ef_search = 400
as $$
#variable_conflict use_variable
declare
  model text := coalesce(embedding_model, (
    select kb.embedding_model from public.knowledge_base kb
     where kb.company_id = company_id order by kb.id desc limit 1));
begin
  if private.company_chunk_count(company_id, model, exact_below + 1) <= exact_below then
    return query
      select c.id, c.document_id, c.chunk_index, c.content, c.metadata, c.similarity
        from (select kb.id, kb.document_id, kb.chunk_index, kb.content, kb.metadata,
                     1 - (kb.embedding <=> query_embedding) as similarity
                from public.knowledge_base kb
               where kb.company_id = company_id and kb.embedding_model = model
                 and kb.embedding is not null
              offset 0) c
       where c.similarity >= match_threshold
       order by c.similarity desc
       limit match_count;
  else
    return query
      select c.id, c.document_id, c.chunk_index, c.content, c.metadata, c.similarity
        from (select kb.id, kb.document_id, kb.chunk_index, kb.content, kb.metadata,
                     1 - (kb.embedding <=> query_embedding) as similarity
                from public.knowledge_base kb
               where kb.company_id = company_id and kb.embedding_model = model
               order by kb.embedding <=> query_embedding
               limit match_count * 4) c
       where c.similarity >= match_threshold
       order by c.similarity desc
       limit match_count;
  end if;
end
$$;

-- Hybrid search: vector and Portuguese full text, fused by reciprocal rank (RRF).
--
-- The text side is bounded so a company with 60,000 chunks costs what a small one does:
-- candidates are the chunks containing every query word (found through the GIN index, at most
-- `text_pool`) plus the vector candidates, and only those are ranked by how many query words they
-- hold and how close together (ts_rank_cd over the OR query). Ranking every chunk that shares one
-- common word with the question ("plano") would read most of a big tenant's rows.
create or replace function public.hybrid_search(
  query_text text,
  query_embedding extensions.vector(1536),
  match_count integer,
  company_id uuid,
  embedding_model text,
  full_text_weight double precision default 1.0,
  semantic_weight double precision default 1.0,
  rrf_k integer default 50
)
returns table (
  id bigint, document_id uuid, chunk_index integer, content text, metadata jsonb,
  score double precision, similarity double precision, vector_rank integer, text_rank integer
)
language plpgsql stable security invoker
rows 10
set search_path = public, extensions, pg_temp
set plan_cache_mode = 'force_custom_plan'
as $$
#variable_conflict use_variable
declare
  q_all tsquery := nullif(plainto_tsquery('public.pt_unaccent', query_text)::text, '')::tsquery;
  -- any word may match (OR), ranked by how many and how close: a question is not a boolean query
  q_any tsquery := nullif(replace(q_all::text, '&', '|'), '')::tsquery;
  text_pool integer := greatest(200, match_count * 20);
begin
  return query
  with semantic as (
    select m.id, m.similarity, row_number() over (order by m.similarity desc)::integer as rank
      from public.match_documents(query_embedding, -1.0, greatest(match_count * 2, 20),
                                  company_id, embedding_model) m
  ),
  text_candidates as (
    (select kb.id from public.knowledge_base kb
      where q_all is not null and kb.company_id = company_id
        and kb.embedding_model = embedding_model and kb.fts @@ q_all
      limit text_pool)
    union
    select s.id from semantic s
  ),
  full_text as (
    select kb.id,
           row_number() over (order by ts_rank_cd(kb.fts, q_any) desc, kb.id)::integer as rank
      from public.knowledge_base kb
      join text_candidates c on c.id = kb.id
     where q_any is not null and kb.fts @@ q_any
     order by ts_rank_cd(kb.fts, q_any) desc, kb.id
     limit match_count * 2
  )
  select kb.id, kb.document_id, kb.chunk_index, kb.content, kb.metadata,
         (coalesce(semantic_weight / (rrf_k + s.rank), 0.0)
          + coalesce(full_text_weight / (rrf_k + f.rank), 0.0))::double precision as score,
         s.similarity, s.rank, f.rank
    from semantic s
    full outer join full_text f on f.id = s.id
    join public.knowledge_base kb on kb.id = coalesce(s.id, f.id)
   order by score desc, kb.id
   limit match_count;
end
$$;

grant execute on function public.match_documents(extensions.vector, double precision, integer,
  uuid, text, integer) to authenticated, service_role;
grant execute on function public.hybrid_search(text, extensions.vector, integer, uuid, text,
  double precision, double precision, integer) to authenticated, service_role;
