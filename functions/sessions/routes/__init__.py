"""The sessions function's public routes, one module per surface: `sessions` (start, turns, end)."""
