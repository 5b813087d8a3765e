-- Retrieval over the knowledge base, always confined to one company. SECURITY INVOKER: a user's
-- call is also filtered by RLS. Rows of other embedding models are never compared.
--
-- Per-tenant recall: an HNSW scan filtered by company afterwards loses rows for small companies.
-- Small tenants get an exact scan (cheap at their size); large ones use pgvector 0.8's iterative
-- index scan, which keeps scanning until enough rows of the company are found.

create or replace function private.company_chunk_count(p_company uuid, p_model text)
returns bigint language sql stable set search_path = '' as $$
  select count(*) from public.knowledge_base kb
   where kb.company_id = p_company and kb.embedding_model = p_model
$$;
grant execute on function private.company_chunk_count(uuid, text) to authenticated, service_role;

create or replace function public.match_documents(
  query_embedding extensions.vector(1536),
  match_threshold double precision,
  match_count integer,
  company_id uuid,
  embedding_model text default null,
  exact_below integer default 20000
)
returns table (
  id bigint, document_id uuid, chunk_index integer, content text, metadata jsonb,
  similarity double precision
)
language plpgsql stable security invoker
set search_path = public, extensions, pg_temp
set hnsw.iterative_scan = 'relaxed_order'
set hnsw.ef_search = 100
as $$
#variable_conflict use_variable
declare
  model text := coalesce(embedding_model, (
    select kb.embedding_model from public.knowledge_base kb
     where kb.company_id = company_id order by kb.id desc limit 1));
begin
  if private.company_chunk_count(company_id, model) <= exact_below then
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
set search_path = public, extensions, pg_temp
as $$
#variable_conflict use_variable
declare
  -- any word may match (OR), ranked by how many and how close: a question is not a boolean query
  q tsquery := nullif(replace(plainto_tsquery('public.pt_unaccent', query_text)::text, '&', '|'),
                      '')::tsquery;
begin
  return query
  with semantic as (
    select m.id, m.similarity, row_number() over (order by m.similarity desc)::integer as rank
      from public.match_documents(query_embedding, -1.0, match_count * 2, company_id,
                                  embedding_model) m
  ),
  full_text as (
    select kb.id,
           row_number() over (order by ts_rank_cd(kb.fts, q) desc, kb.id)::integer as rank
      from public.knowledge_base kb
     where q is not null and kb.company_id = company_id
       and kb.embedding_model = embedding_model and kb.fts @@ q
     order by ts_rank_cd(kb.fts, q) desc, kb.id
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
