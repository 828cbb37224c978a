"""readiness: one YAML file of production-readiness state, pages for each reader, safe housekeeping."""

from __future__ import annotations

__version__ = "0.2.0"
