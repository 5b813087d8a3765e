-- Diverse context for persona generation: farthest-point sampling over one company's chunk
-- embeddings, balanced across documents, so the model sees the breadth of the material (pricing,
-- contracts, product, support...) instead of the first rows of the largest file.
--
-- Only chunks of ready documents and of the active embedding model are candidates. The candidate
-- pool is bounded (p_pool), filled round-robin across documents in a fixed pseudo-random order, so
-- the cost stays flat for big tenants and the result is deterministic. Each pick takes, among
-- the documents with the fewest picks so far, the chunk farthest (cosine) from everything picked;
-- the first pick is the chunk nearest the pool's centroid (the most representative passage),
-- unless seeds are given (chunks the manager's focus retrieved), which are picked first.
-- SECURITY INVOKER: a user's call is filtered by RLS as well.

create or replace function public.diverse_chunks(
  p_company uuid,
  p_model text,
  p_count integer,
  p_seed_ids bigint[] default '{}',
  p_pool integer default 1500
)
returns table (
  id bigint, document_id uuid, filename text, chunk_index integer, content text,
  metadata jsonb, pick integer
)
language plpgsql stable security invoker
set search_path = public, extensions, pg_temp
as $$
declare
  ids bigint[];
  dix integer[];       -- document index of each candidate
  embs extensions.vector[];
  mind double precision[];  -- distance to the nearest picked chunk; -1 once picked
  dcount integer[];    -- picks per document index
  picked bigint[] := '{}';
  n integer;
  ndocs integer;
  best integer;
  best_count integer;
  best_dist double precision;
  i integer;
  centroid extensions.vector;
  seed bigint;
begin
  with candidates as (
    select kb.id, kb.document_id, kb.embedding,
           row_number() over (partition by kb.document_id order by md5(kb.id::text)) as rn
      from public.knowledge_base kb
      join public.documents d on d.id = kb.document_id and d.company_id = kb.company_id
     where kb.company_id = p_company and kb.embedding_model = p_model
       and kb.embedding is not null and d.status = 'ready'
  ), pool as (
    select c.id, c.document_id, c.embedding,
           dense_rank() over (order by c.document_id) as doc_index
      from candidates c
     order by c.rn, c.document_id
     limit greatest(p_pool, 1)
  )
  select array_agg(p.id order by p.id), array_agg(p.doc_index::integer order by p.id),
         array_agg(p.embedding order by p.id), max(p.doc_index)::integer, avg(p.embedding)
    into ids, dix, embs, ndocs, centroid
    from pool p;

  n := coalesce(array_length(ids, 1), 0);
  if n = 0 or p_count < 1 then
    return;
  end if;
  mind := array_fill('Infinity'::double precision, array[n]);
  dcount := array_fill(0, array[ndocs]);

  while coalesce(array_length(picked, 1), 0) < least(p_count, n) loop
    best := null;
    -- seeds first (those present in the pool), in the order given
    foreach seed in array coalesce(p_seed_ids, '{}') loop
      if not seed = any(picked) then
        best := array_position(ids, seed);
        exit when best is not null;
      end if;
    end loop;
    if best is null and coalesce(array_length(picked, 1), 0) = 0 then
      for i in 1..n loop
        if best is null or (embs[i] <=> centroid) < best_dist then
          best := i;
          best_dist := embs[i] <=> centroid;
        end if;
      end loop;
    elsif best is null then
      best_count := null;
      for i in 1..n loop
        continue when mind[i] < 0;
        if best is null or dcount[dix[i]] < best_count
           or (dcount[dix[i]] = best_count and mind[i] > best_dist) then
          best := i;
          best_count := dcount[dix[i]];
          best_dist := mind[i];
        end if;
      end loop;
    end if;
    exit when best is null;
    picked := picked || ids[best];
    dcount[dix[best]] := dcount[dix[best]] + 1;
    mind[best] := -1;
    for i in 1..n loop
      if mind[i] >= 0 then
        mind[i] := least(mind[i], embs[i] <=> embs[best]);
      end if;
    end loop;
  end loop;

  return query
    select kb.id, kb.document_id, d.filename, kb.chunk_index, kb.content, kb.metadata,
           p.ord::integer
      from unnest(picked) with ordinality as p(chunk_id, ord)
      join public.knowledge_base kb on kb.id = p.chunk_id
      join public.documents d on d.id = kb.document_id
     order by p.ord;
end
$$;

grant execute on function public.diverse_chunks(uuid, text, integer, bigint[], integer)
  to authenticated, service_role;
