"""`python -m dojo_local` runs the CLI."""

from dojo_local.cli import main

main()
