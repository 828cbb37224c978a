"""readiness commit: the digest of a source, the message (pure), the plan and its execution."""
