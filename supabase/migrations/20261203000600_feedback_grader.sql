-- What the scorecard says about the grader of a feedback, as the grader described itself when it
-- graded (see functions/grading/grader.py): whether a language model was involved, and what
-- people read about it per locale (empty: the grader's name says it all).
alter table public.feedback
  add column grader_offline boolean not null default false,
  add column grader_label jsonb not null default '{}'::jsonb
    check (jsonb_typeof(grader_label) = 'object');
