"""Grading's public routes, one module per surface: `scorecards` (a session's scorecard, progress,
the team, regrade and override) and `analytics` (the manager's dashboard and the CSV exports)."""
