"""The portfolio as rows sorted by risk, the ``--since`` change, the ``--ci`` gate and its JSON.

Every verdict shown here (a milestone's state, go or no-go, its blockers) is read from the
member's check JSON as it is; this module only chooses which milestone a row shows, sorts the
rows and counts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from readiness.figures.states import ON_TRACK, REACHED, STATES, UNKNOWN
from readiness.portfolio.sources import Member
from readiness.settings import STALE_AFTER_DAYS, build_date

# The portfolio's own JSON schema (``readiness portfolio --format json``), not check's.
PORTFOLIO_SCHEMA_VERSION = 1

# Milestone states, worst first: the order of the rows (then the ETA, then the name). A state
# this list does not know (from a newer export) sorts with "unknown".
RISK_ORDER = STATES  # worst first
NO_MILESTONE = "no milestones"  # a project without milestones sorts last
# The states a milestone may be in for ``--ci --milestone ID`` to pass; every other state fails.
PASSING = (ON_TRACK, REACHED)


@dataclass(frozen=True)
class Change:
    """The score on the --since date (from the source's git history) against the score now."""

    since: dt.date
    then: int | None  # None: no version of the source on or before that date is known
    now: int
    note: str  # why there is no score then ("" when there is)

    @property
    def delta(self) -> int | None:
        return None if self.then is None else self.now - self.then


@dataclass(frozen=True)
class Row:
    """One project as the portfolio shows it: read from its check JSON, nothing decided here."""

    member: Member
    name: str
    score: int
    as_of: str
    milestone: dict[str, Any] | None  # the milestone shown (the next one not reached, or --milestone)
    top_blocker: str | None
    verified: int
    done: int  # done tasks, each verified, claimed but unverified, or unchecked
    stale: bool  # the as-of date is more than STALE_AFTER_DAYS before the day of the run
    change: Change | None = None
    slug: str | None = None  # the project's folder on the site (sources only)

    @property
    def state(self) -> str:
        return NO_MILESTONE if self.milestone is None else str(self.milestone["state"])

    @property
    def decision(self) -> str | None:
        return None if self.milestone is None else str(self.milestone.get("decision", ""))

    @property
    def eta(self) -> str | None:
        return None if self.milestone is None else self.milestone.get("eta")

    @property
    def eta_late(self) -> str | None:
        return None if self.milestone is None else self.milestone.get("eta_late")


def risk_rank(state: str) -> int:
    if state == NO_MILESTONE:
        return len(RISK_ORDER)
    return RISK_ORDER.index(state) if state in RISK_ORDER else RISK_ORDER.index(UNKNOWN)


def shown_milestone(data: dict[str, Any], milestone_id: str | None = None) -> dict[str, Any] | None:
    """MILESTONE_ID's entry when given (None when the project has none by that id); else the first
    milestone whose state is not "reached", else the last one; None without milestones."""
    milestones: list[dict[str, Any]] = data["milestones"]
    if milestone_id is not None:
        return next((m for m in milestones if m["id"] == milestone_id), None)
    return next((m for m in milestones if m["state"] != "reached"), milestones[-1] if milestones else None)


def row_of(member: Member, *, milestone_id: str | None = None, today: dt.date,
           stale_after_days: int) -> Row:
    """MEMBER (a valid one) as a row."""
    data = member.data
    assert data is not None
    milestone = shown_milestone(data, milestone_id)
    blockers = [] if milestone is None else list(milestone.get("blockers") or [])
    verification = data["verification"]
    verified = int(verification.get("verified", 0))
    done = verified + int(verification.get("claimed_but_unverified", 0)) + int(verification.get("unchecked", 0))
    try:
        stale = (today - dt.date.fromisoformat(data["as_of"])).days > stale_after_days
    except ValueError:
        stale = False
    return Row(member, str(data["project"]), int(data["score"]), str(data["as_of"]), milestone,
               blockers[0] if blockers else None, verified, done, stale)


def sort_key(row: Row) -> tuple[int, str, str, str, str]:
    """Worst state first; then the earliest ETA (none last), then the name and the file."""
    return (risk_rank(row.state), row.eta or "9999-99-99", row.eta_late or "9999-99-99",
            row.name.casefold(), row.member.display)


@dataclass(frozen=True)
class Portfolio:
    """The rows sorted by risk, the members that could not be read, and the gate's failures."""

    rows: tuple[Row, ...]
    problems: tuple[str, ...]  # one line per invalid member or pattern that matched nothing
    invalid: tuple[Member, ...]
    milestone_id: str | None = None
    since: dt.date | None = None
    failures: tuple[str, ...] = ()  # --ci: one line per project whose milestone fails
    gated: bool = False  # --ci was asked for

    @property
    def sources(self) -> int:
        return len(self.rows) + len(self.invalid)


def aggregate(members: Sequence[Member], unmatched: Sequence[str] = (), *, milestone_id: str | None = None,
              since: dt.date | None = None, gate: bool = False, today: dt.date | None = None,
              slugs: dict[Path, str] | None = None) -> Portfolio:
    """The portfolio of MEMBERS: rows sorted by risk, problems in the order found.

    With GATE, the milestone MILESTONE_ID of every valid member must be in a PASSING state (a
    project without it fails too: a gate cannot vouch for a milestone nobody defined)."""
    today = today or build_date()
    rows = []
    for member in members:
        if not member.valid:
            continue
        row = row_of(member, milestone_id=milestone_id, today=today, stale_after_days=STALE_AFTER_DAYS)
        change = score_change(member, since) if since is not None else None
        slug = (slugs or {}).get(member.path)
        if change is not None or slug is not None:
            row = dataclasses.replace(row, change=change, slug=slug)
        rows.append(row)
    rows.sort(key=sort_key)
    failures: list[str] = []
    if gate and milestone_id is not None:
        for row in rows:
            if row.milestone is None:
                failures.append(f"{row.name} ({row.member.display}): no milestone {milestone_id!r}")
            elif row.state not in PASSING:
                failures.append(f"{row.name} ({row.member.display}): {row.milestone['title']} is "
                                f"{row.state} ({row.decision})")
    invalid = tuple(m for m in members if not m.valid)
    problems = tuple(list(unmatched) + [m.problem or m.display for m in invalid])
    return Portfolio(tuple(rows), problems, invalid, milestone_id, since, tuple(failures),
                     gate and milestone_id is not None)


def score_change(member: Member, since: dt.date) -> Change:
    """The member's score at the last commit on or before SINCE (its source's git history)."""
    from readiness.errors import ReadinessError
    from readiness.portfolio.history import score_on

    assert member.data is not None
    now = int(member.data["score"])
    if member.kind != "source":
        return Change(since, None, now, "an export has no history")
    try:
        then = score_on(member.path, since)
    except ReadinessError as error:
        return Change(since, None, now, str(error))
    if then is None:
        return Change(since, None, now, f"no commit of the source on or before {since.isoformat()}")
    return Change(since, then, now, "")


def portfolio_json(portfolio: Portfolio) -> dict[str, Any]:
    """The aggregate for other tools: each project's row and its full check JSON, worst first."""

    def change(row: Row) -> dict[str, Any] | None:
        c = row.change
        if c is None:
            return None
        return {"since": c.since.isoformat(), "score_then": c.then, "score_now": c.now,
                "delta": c.delta, "note": c.note or None}

    return {
        "schema_version": PORTFOLIO_SCHEMA_VERSION,
        "risk_order": list(RISK_ORDER),
        "milestone": portfolio.milestone_id,
        "since": None if portfolio.since is None else portfolio.since.isoformat(),
        "projects": [
            {
                "rank": index,
                "source": row.member.display,
                "kind": row.member.kind,
                "project": row.name,
                "score": row.score,
                "as_of": row.as_of,
                "stale": row.stale,
                "milestone": None if row.milestone is None else row.milestone["id"],
                "state": row.state,
                "decision": row.decision,
                "eta": row.eta,
                "eta_late": row.eta_late,
                "top_blocker": row.top_blocker,
                "verified": row.verified,
                "done": row.done,
                "change": change(row),
                "data": row.member.data,
            }
            for index, row in enumerate(portfolio.rows, start=1)
        ],
        "invalid": [{"source": m.display, "kind": m.kind, "problem": m.problem} for m in portfolio.invalid],
        "gate": None if not portfolio.gated else {
            "milestone": portfolio.milestone_id, "passing_states": list(PASSING),
            "failures": list(portfolio.failures)},
    }
