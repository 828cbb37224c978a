"""`python -m readiness` runs the command line."""

from __future__ import annotations

from readiness.cli.entry import main

main()
