"""readiness cleanup: the plan (pure), links, applying and undoing it, the report."""
