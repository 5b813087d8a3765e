"""The local runtime and the `dojo` CLI (embedded database, gateway, dispatcher, demo).

Never deployed: nothing under `functions/` or `shared/` imports it.
"""
