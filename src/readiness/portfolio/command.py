"""``readiness portfolio``: read the members, aggregate them, and say what the command prints.

Exit codes: 0 when every member was read (and, with ``--ci``, every gated milestone passes);
1 when the gate fails; 3 (the code of an invalid source) when any member could not be read or
a pattern matched nothing, also when the gate fails as well: a gate cannot vouch for a project
it could not read. Every readable member is still shown, and its gate line still printed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from readiness.errors import GateFailed, ReadinessError, SourceError


class MembersInvalid(SourceError):
    """Some members of the portfolio could not be read (each is reported on its own line first)."""


@dataclass(frozen=True)
class Outcome:
    """What to print on standard output, the lines for standard error, and the error to exit with."""

    output: str
    messages: tuple[str, ...]
    error: ReadinessError | None


def run(patterns: Sequence[str], base: Path, *, fmt: str = "text", since: dt.date | None = None,
        milestone_id: str | None = None, gate: bool = False) -> Outcome:
    """The portfolio of PATTERNS (paths, globs, exports) under BASE, written as FMT."""
    from readiness.portfolio.aggregate import aggregate, portfolio_json
    from readiness.portfolio.overview import text_lines
    from readiness.portfolio.sources import read_members
    from readiness.terminal import safe, safe_json
    from readiness.words import plural

    members, unmatched = read_members(patterns, base)
    portfolio = aggregate(members, unmatched, milestone_id=milestone_id, since=since, gate=gate)
    if fmt == "json":
        output = safe_json(json.dumps(portfolio_json(portfolio), indent=2, ensure_ascii=False))
    else:
        output = "\n".join(safe(line) for line in text_lines(portfolio)) if portfolio.rows else ""
    messages = tuple(safe(problem) for problem in portfolio.problems)
    error: ReadinessError | None = None
    if portfolio.problems:
        gate_lines = tuple(safe(f"readiness: {line}") for line in portfolio.failures)
        messages += gate_lines
        error = MembersInvalid(f"{plural(len(portfolio.problems), 'source')} of the portfolio could not "
                               f"be read ({len(portfolio.rows)} read)")
    elif portfolio.failures:
        error = GateFailed(*portfolio.failures)
    return Outcome(output, messages, error)
