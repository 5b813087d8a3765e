-- The data model (DESIGN.md §3). Composite foreign keys on (id, company_id) make it impossible
-- for a row to point at another company's row, whatever the caller.

create table public.companies (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(btrim(name)) between 1 and 200),
  locale text not null default 'pt-BR' check (locale in ('pt-BR', 'en-US')),
  settings jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  company_id uuid not null references public.companies (id) on delete cascade,
  role text not null default 'salesperson' check (role in ('salesperson', 'manager', 'admin')),
  full_name text check (char_length(full_name) <= 200),
  email text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, company_id)
);
create index profiles_company_id_idx on public.profiles (company_id);

create table public.documents (
  id uuid primary key default gen_random_uuid(),
  company_id uuid not null references public.companies (id) on delete cascade,
  storage_object_id uuid,
  storage_path text not null unique,
  filename text not null check (char_length(filename) between 1 and 255),
  mime text,
  bytes bigint check (bytes >= 0),
  declared_bytes bigint check (declared_bytes >= 0), -- announced at upload: the most it may be
  sha256 text,
  status text not null default 'pending'
    check (status in ('pending', 'processing', 'ready', 'failed')),
  error text,
  pages integer check (pages >= 0),
  chunk_count integer not null default 0 check (chunk_count >= 0),
  embeddings_created integer not null default 0 check (embeddings_created >= 0),
  progress real not null default 0 check (progress between 0 and 1),
  attempts integer not null default 0,
  uploaded_by uuid references auth.users (id) on delete set null,
  processing_started_at timestamptz,
  processed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, company_id)
);
create index documents_company_status_idx on public.documents (company_id, status);
create index documents_company_sha_idx on public.documents (company_id, sha256);

create table public.knowledge_base (
  id bigint generated always as identity primary key,
  company_id uuid not null,
  document_id uuid not null,
  chunk_index integer not null check (chunk_index >= 0),
  content text not null,
  metadata jsonb not null default '{}'::jsonb,
  content_hash text not null,
  embedding extensions.vector(1536),
  embedding_model text not null,
  fts tsvector generated always as (to_tsvector('public.pt_unaccent'::regconfig, content)) stored,
  created_at timestamptz not null default now(),
  unique (document_id, chunk_index),
  foreign key (document_id, company_id)
    references public.documents (id, company_id) on delete cascade
);
create index knowledge_base_company_idx on public.knowledge_base (company_id, embedding_model);
create index knowledge_base_hash_idx
  on public.knowledge_base (company_id, embedding_model, content_hash);
create index knowledge_base_embedding_idx
  on public.knowledge_base using hnsw (embedding extensions.vector_cosine_ops);
create index knowledge_base_fts_idx on public.knowledge_base using gin (fts);

create table public.personas (
  id uuid primary key default gen_random_uuid(),
  company_id uuid not null references public.companies (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 120),
  role text not null check (char_length(role) between 1 and 160),
  seniority text,
  company_profile jsonb not null default '{}'::jsonb,
  traits jsonb not null default '[]'::jsonb,
  goals jsonb not null default '[]'::jsonb,
  pains jsonb not null default '[]'::jsonb,
  objections jsonb not null default '[]'::jsonb,
  hidden_facts jsonb not null default '[]'::jsonb,
  difficulty text not null default 'medium' check (difficulty in ('easy', 'medium', 'hard')),
  end_conditions jsonb not null default '[]'::jsonb,
  speaking_style text not null default '',
  voice_id text,
  first_message text not null default '',
  locale text not null default 'pt-BR',
  status text not null default 'active' check (status in ('active', 'archived')),
  generation_id uuid,
  generator text not null default 'offline',
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, company_id)
);
create index personas_company_status_idx on public.personas (company_id, status);

create table public.training_sessions (
  id uuid primary key default gen_random_uuid(),
  company_id uuid not null references public.companies (id) on delete cascade,
  user_id uuid not null,
  persona_id uuid,
  mode text not null check (mode in ('voice', 'text')),
  status text not null default 'created' check (status in ('created', 'active', 'ended', 'failed')),
  vapi_call_id text unique,
  persona_snapshot jsonb not null default '{}'::jsonb,
  rubric_version text not null,
  started_at timestamptz,
  ended_at timestamptz,
  ended_reason text,
  transcript jsonb not null default '[]'::jsonb,
  recording_url text,
  duration_seconds numeric(10, 2),
  cost numeric(12, 6),
  grading_error text,
  grading_attempts integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, company_id),
  foreign key (user_id, company_id) references public.profiles (id, company_id) on delete cascade,
  foreign key (persona_id, company_id) references public.personas (id, company_id)
);
create index training_sessions_company_user_idx
  on public.training_sessions (company_id, user_id, created_at desc);
create index training_sessions_ended_idx
  on public.training_sessions (status, ended_at) where status = 'ended';

create table public.feedback (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null unique,
  company_id uuid not null,
  user_id uuid not null,
  status text not null default 'graded' check (status in ('graded', 'insufficient')),
  overall numeric(5, 2) check (overall between 0 and 100),
  scores jsonb not null default '{}'::jsonb,
  strengths jsonb not null default '[]'::jsonb,
  improvements jsonb not null default '[]'::jsonb,
  recommendations jsonb not null default '[]'::jsonb,
  metrics jsonb not null default '{}'::jsonb,
  grader text not null,
  rubric_version text not null,
  removed_quotes integer not null default 0,
  override_scores jsonb,
  override_overall numeric(5, 2) check (override_overall between 0 and 100),
  override_note text check (char_length(override_note) <= 2000),
  overridden_by uuid references auth.users (id) on delete set null,
  overridden_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (session_id, company_id)
    references public.training_sessions (id, company_id) on delete cascade
);
create index feedback_company_user_idx on public.feedback (company_id, user_id, created_at);

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

create trigger companies_touch before update on public.companies
  for each row execute function private.touch_updated_at();
create trigger profiles_touch before update on public.profiles
  for each row execute function private.touch_updated_at();
create trigger documents_touch before update on public.documents
  for each row execute function private.touch_updated_at();
create trigger personas_touch before update on public.personas
  for each row execute function private.touch_updated_at();
create trigger training_sessions_touch before update on public.training_sessions
  for each row execute function private.touch_updated_at();
create trigger feedback_touch before update on public.feedback
  for each row execute function private.touch_updated_at();
