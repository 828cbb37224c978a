"""`python -m readiness` runs the command line."""

from __future__ import annotations

from readiness.entry import main

main()
