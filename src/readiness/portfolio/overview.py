"""The portfolio written out: terminal lines, the overview page (Markdown) and its picture (SVG).

States are always written as words; colour only repeats them. Strings from the members
(names, titles, task ids) are data: escaped for the terminal, Markdown and SVG.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from readiness.portfolio.aggregate import NO_MILESTONE, RISK_ORDER, Portfolio, Row

# One colour per state, each dark enough for white text on it (contrast 4.5:1 or more).
STATE_COLOURS = {
    "missed": "#b71c1c", "blocked": "#b71c1c", "cannot be verified": "#880e4f", "out of reach": "#880e4f",
    "at risk": "#a84300", "awaiting verification": "#6a1b9a", "awaiting sign-off": "#6a1b9a",
    "unknown": "#616161", "no date": "#616161", "on track": "#0d47a1", "reached": "#1b5e20",
    NO_MILESTONE: "#616161",
}
RISK_WORDS = ", ".join(RISK_ORDER)


def _colour(state: str) -> str:
    return STATE_COLOURS.get(state, STATE_COLOURS["unknown"])


def _verified(row: Row) -> str:
    if not row.done:
        return "—"
    return f"{round(100 * row.verified / row.done)} % ({row.verified}/{row.done})"


def _change(row: Row) -> str:
    change = row.change
    if change is None:
        return ""
    if change.then is None:
        return f"— ({change.note})" if change.note else "—"
    delta = change.now - change.then
    return f"{change.then} → {change.now} ({delta:+d})"


def _milestone(row: Row) -> str:
    if row.milestone is None:
        return "—"
    date = row.milestone.get("date")
    return f"{row.milestone['title']}" + (f" ({date})" if date else "")


def _eta(row: Row) -> str:
    if not row.eta:
        return "—"
    return row.eta if not row.eta_late or row.eta_late == row.eta else f"{row.eta} to {row.eta_late}"


def text_lines(portfolio: Portfolio) -> list[str]:
    """A header and one line per project, worst first (the caller escapes them for the terminal)."""
    since = portfolio.since
    headers = ["project", "score", "milestone", "state", "decision", "ETA", "top blocker", "verified",
               "as of"] + ([f"since {since.isoformat()}"] if since else []) + ["source"]
    table = [headers]
    for row in portfolio.rows:
        cells = [_clip(row.name, 32), f"{row.score}/100", _clip(_milestone(row), 32), row.state,
                 row.decision or "—", _eta(row), row.top_blocker or "—", _verified(row),
                 row.as_of + (" (stale)" if row.stale else "")]
        if since:
            cells.append(_change(row))
        cells.append(row.member.display)
        table.append(cells)
    widths = [max(len(line[i]) for line in table) for i in range(len(headers))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
            for line in table]


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


# --- the overview page ------------------------------------------------------------------------

def _md(text: object) -> str:
    """TEXT as inline Markdown that shows exactly its characters, also inside a table cell."""
    from readiness.pages.render import inline

    return inline(str(text)).replace("|", "&#124;")


def state_badge(state: str) -> str:
    """The state as a word on its colour (inline HTML: no stylesheet needed)."""
    return (f'<span class="readiness-state" style="background:{_colour(state)};color:#fff;'
            f'padding:0 .35em;border-radius:.2em;white-space:nowrap">{_md(state)}</span>')


def overview_markdown(portfolio: Portfolio, pages: dict[str, str]) -> str:
    """The overview page: the picture, then the table sortable by each column, then the members
    that could not be read. PAGES maps a row's slug to its project's first page (relative link)."""
    from readiness.words import plural

    rows = portfolio.rows
    shown = "the milestone " + _md(portfolio.milestone_id) if portfolio.milestone_id else "its next milestone"
    lines = [
        "# Portfolio readiness",
        "",
        f"{plural(len(rows), 'project')}, each against {shown}, the riskiest first "
        f"(states in this order: {RISK_WORDS}; then the earliest ETA). "
        "Each project's figures are those of `readiness check --format json` run on it alone; "
        "press a column's header to sort by it.",
        "",
    ]
    if portfolio.problems:
        lines += ["!!! warning \"" + plural(len(portfolio.problems), "source") + " could not be read\"", ""]
        lines += [f"    - {_md(problem)}" for problem in portfolio.problems]
        lines.append("")
    if rows:
        lines += ["## Where each project stands", "",
                  "Each bar is the score now, in the colour of its milestone's state (named above the bar); "
                  "the upright mark is the score the milestone needs.", "",
                  standing_svg(rows), "", "## Projects", ""]
        since = portfolio.since
        head = ["Risk", "Project", "Score", "Milestone", "State", "Decision", "ETA", "Top blocker",
                "Verified", "As of"] + ([f"Since {since.isoformat()}"] if since else [])
        lines += ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
        for rank, row in enumerate(rows, start=1):
            name = _md(row.name)
            link = pages.get(row.slug or "")
            cells = [str(rank), f"[{name}]({link})" if link else name, f"{row.score}/100", _md(_milestone(row)),
                     state_badge(row.state), _md(row.decision or "—"), _md(_eta(row)),
                     _md(row.top_blocker or "—"), _md(_verified(row)),
                     _md(row.as_of + (" (stale)" if row.stale else ""))]
            if since:
                cells.append(_md(_change(row)))
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
        exports = sum(1 for row in rows if row.member.kind == "export")
        if exports:
            lines += [f"{plural(exports, 'project')} read from a CI export "
                      "(`readiness check --format json`) without its source: no pages of its own.", ""]
    else:
        lines += ["No project could be read.", ""]
    return "\n".join(lines)


# --- the picture ------------------------------------------------------------------------------

WIDTH = 360  # drawn for a phone's width, so its text stays at least 11 px without scrolling
ROW = 38
FONT = 12.5


def esc(text: str) -> str:
    """TEXT for an SVG attribute or text node, with Markdown's link brackets as references too
    (a site with md_in_html must not read them as a link)."""
    return html.escape(text).replace("[", "&#91;").replace("]", "&#93;")


def standing_svg(rows: Sequence[Row]) -> str:
    """Each project's score on a 0-100 bar in its state's colour, its milestone's target marked,
    and its name and state in words above the bar; inline SVG, no network."""
    label = "; ".join(f"{row.name}: {row.score}/100, {_milestone(row)} {row.state}" for row in rows)
    parts = ['<div class="readiness-picture" data-picture="portfolio">',
             f'<svg role="img" aria-label="{esc(_clip(label, 2000))}" viewBox="0 0 {WIDTH} {len(rows) * ROW}" '
             f'width="100%" style="max-width:26rem;display:block">',
             "<title>Where each project stands against its milestone</title>"]
    for index, row in enumerate(rows):
        y = index * ROW
        target = None if row.milestone is None else row.milestone.get("target_score")
        words = f"{row.name} · {row.score}/100 · " + (
            f"{row.milestone['title']}: {row.state}" if row.milestone is not None else row.state)
        parts.append(f'<text x="0" y="{y + 13}" font-size="{FONT}" fill="currentColor">'
                     f"<title>{esc(words)}</title>{esc(_clip(words, 50))}</text>")
        parts.append(f'<rect x="0" y="{y + 18}" width="{WIDTH}" height="12" rx="2" '
                     f'style="fill:var(--md-default-fg-color--lightest,#8883)"/>')
        width = WIDTH * max(0, min(100, row.score)) / 100
        parts.append(f'<rect x="0" y="{y + 18}" width="{width:.1f}" height="12" rx="2" '
                     f'fill="{_colour(row.state)}"/>')
        if isinstance(target, int | float) and 0 <= target <= 100:
            x = WIDTH * target / 100
            parts.append(f'<rect x="{max(0.0, x - 1.5):.1f}" y="{y + 15}" width="3" height="18" '
                         f'fill="currentColor"><title>target {target:g}/100</title></rect>')
    parts += ["</svg>", "</div>"]
    return "".join(parts)
