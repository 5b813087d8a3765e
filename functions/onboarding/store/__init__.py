"""All of onboarding's SQL, by what it is about: plain functions over a `dojo.db` Connection.

- `company`: companies, members, invitations, usage (the `/api/v1/auth` surface);
- `documents`: documents as the API shows and changes them;
- `pipeline`: the ingestion pipeline and its sweeper (service role);
- `notifications`: a person's notifications and email preferences (the `/api/v1/notifications`
  surface);
- `outbox`, `reminders`, `digest`: the scheduled notifications pass (service role): the email
  outbox, due-date reminders and the weekly manager digest.

A caller's tenant transaction lets RLS decide what exists; functions meant for the service role
say so. Logic modules call these; they never build SQL themselves.
"""
