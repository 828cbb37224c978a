"""readiness verify: running verify commands and recording their results."""
