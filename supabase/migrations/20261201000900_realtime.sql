-- Live status in the web app: document processing and feedback arrival reach the browser through
-- Supabase Realtime, which streams changes of the tables in the `supabase_realtime` publication;
-- Row Level Security still decides which rows each subscriber receives. Supabase owns and creates
-- that publication, the local stand-ins do not (the web app polls locally), so tables are added
-- only where it exists, and only once.
do $$
declare
  wanted text;
begin
  if not exists (select 1 from pg_catalog.pg_publication where pubname = 'supabase_realtime') then
    return;
  end if;
  foreach wanted in array array['documents', 'feedback'] loop
    if not exists (
      select 1 from pg_catalog.pg_publication_tables
       where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = wanted
    ) then
      execute format('alter publication supabase_realtime add table public.%I', wanted);
    end if;
  end loop;
end
$$;
