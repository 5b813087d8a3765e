"""Onboarding's public routes, one module per surface: `auth` (who am I, companies, members,
invitations), `documents` (uploads, documents, knowledge-base search) and `usage`."""
