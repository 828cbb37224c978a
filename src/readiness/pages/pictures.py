"""The pages' pictures as inline SVG (pure): bars, a stacked status bar and a timeline.

Drawn for a phone first: a 360-unit-wide box that scales with the page (never wider than
23rem, so its 13-unit text reads at 11 to 17 px from a 360 px phone to a desktop). Labels
sit on their own line above their bar and wrap, so no label or number is cut; the numbers
sit at the right end of the label line. Colours come from Material's CSS variables with
fallbacks, and text is ``currentColor``: the pictures read in light and dark mode alike.
Each has role="img", an aria-label and a <title>; the pages hold the same figures in words
or a table. Text from the source is escaped as everywhere else (``render.inline``).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from readiness.figures.core import Figures, Group, Mark, Share, Timeline, number, whole_points
from readiness.figures.schedule import Week
from readiness.source.models import Milestone

WIDTH = 360
FONT = 13
LINE = 16  # height of a line of text
CHAR = 7.9  # a generous average width of a character at 13 units (DejaVu Sans is wide)
MAX_LINES = 3  # a label longer than this many lines ends in "…" (the whole text is its <title>)
FONT_FAMILY = "system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"
SIZED = "max-width:23rem;width:100%;height:auto;display:block"

PRIMARY = "var(--md-primary-fg-color,#4051b5)"
ACCENT = "var(--md-accent-fg-color,#526cfe)"
TRACK = "var(--md-default-fg-color--lightest,#8883)"
PENDING = "var(--md-default-fg-color--lighter,#8888)"
RED = "#e53935"
STATUS_FILL = {"done": PRIMARY, "in progress": ACCENT, "pending": PENDING, "blocked": RED}

Escape = Callable[[object], str]
_HOURS = re.compile(r"(\d) h\b")


@dataclass(frozen=True)
class Bar:
    """One row: a label, a value in words, the share of the bar (0-100) filled, and a target mark."""

    label: str
    value: str
    share: float
    projected: bool = False
    target: float | None = None


def _lines(text: str, room: float) -> tuple[list[str], bool]:
    """TEXT wrapped to ROOM units; the lines (at most MAX_LINES) and whether some were left out."""
    width = max(8, int(room / CHAR))
    lines = textwrap.wrap(" ".join(text.split()), width, break_long_words=True, break_on_hyphens=True) or [""]
    if len(lines) <= MAX_LINES:
        return lines, False
    kept = lines[:MAX_LINES]
    kept[-1] = kept[-1][: max(1, width - 1)].rstrip() + "…"
    return kept, True


def _text(x: float, y: float, lines: list[str], esc: Escape, *, bold: bool = False, anchor: str = "start",
          title: str | None = None) -> str:
    weight = ' font-weight="bold"' if bold else ""
    end = f' text-anchor="{anchor}"' if anchor != "start" else ""
    spans = "".join(f'<tspan x="{x:g}" dy="{0 if i == 0 else LINE}">{esc(line)}</tspan>'
                    for i, line in enumerate(lines))
    head = f"<title>{esc(title)}</title>" if title else ""
    return f'<text x="{x:g}" y="{y:g}" fill="currentColor" font-size="{FONT}"{weight}{end}>{head}{spans}</text>'


def _open(name: str, label: str, height: float, esc: Escape) -> list[str]:
    text = esc(label)
    return [f'<div class="readiness-picture" data-picture="{name}">',
            f'<svg role="img" aria-label="{text}" viewBox="0 0 {WIDTH} {height:g}" width="100%" '
            f'font-family="{FONT_FAMILY}" style="{SIZED}">',
            f"<title>{text}</title>"]


def _close(parts: list[str]) -> Markup:
    return Markup("\n".join([*parts, "</svg>", "</div>"]))


def bars(name: str, label: str, rows: Sequence[Bar], esc: Escape,
         legend: Sequence[tuple[str, str]] = ()) -> Markup:
    """Rows of labelled bars, each value at the right end of its label line.

    LEGEND: (kind, words) pairs drawn below the bars; kind is "now", "projected" or "target".
    """
    body: list[str] = []
    y = 0.0
    for row in rows:
        value_room = len(row.value) * CHAR + 10
        lines, cut = _lines(row.label, WIDTH - value_room)
        body.append(_text(0, y + FONT, lines, esc, title=row.label if cut else None))
        body.append(_text(WIDTH, y + FONT, [row.value], esc, bold=True, anchor="end"))
        bar_y = y + len(lines) * LINE + 4
        share = max(0.0, min(100.0, row.share))
        fill = f"fill:{PRIMARY}" + (";fill-opacity:0.45" if row.projected else "")
        body.append(f'<rect x="0" y="{bar_y:g}" width="{WIDTH}" height="14" rx="3" style="fill:{TRACK}"/>')
        body.append(f'<rect x="0" y="{bar_y:g}" width="{WIDTH * share / 100:.1f}" height="14" rx="3" '
                    f'style="{fill}"/>')
        if row.target is not None:
            x = WIDTH * max(0.0, min(100.0, row.target)) / 100
            body.append(f'<rect x="{min(x, WIDTH - 2.5) - 1:.1f}" y="{bar_y - 3:g}" width="2.5" height="20" '
                        f'fill="currentColor"/>')
        y = bar_y + 14 + 12
    if legend:
        x = 0.0
        for kind, words in legend:
            width = 12 + 6 + len(words) * CHAR + 18
            if x and x + width > WIDTH:
                x, y = 0.0, y + LINE + 6
            if kind == "target":
                body.append(f'<rect x="{x + 5:g}" y="{y:g}" width="2.5" height="14" fill="currentColor"/>')
            else:
                opacity = ";fill-opacity:0.45" if kind == "projected" else ""
                body.append(f'<rect x="{x:g}" y="{y + 1:g}" width="12" height="12" rx="2" '
                            f'style="fill:{PRIMARY}{opacity}"/>')
            body.append(_text(x + 18, y + 12, [words], esc))
            x += width
        y += LINE + 4
    return _close(_open(name, label, max(y, 1), esc) + body)


def status(name: str, label: str, shares: Sequence[Share], esc: Escape) -> Markup:
    """One stacked bar of task statuses, with a legend that wraps."""
    body = [f'<rect x="{WIDTH * s.start / 100:.1f}" y="0" width="{WIDTH * s.width / 100:.1f}" height="22" '
            f'style="fill:{STATUS_FILL.get(s.key, PENDING)}"/>' for s in shares]
    x, y = 0.0, 34.0
    for s in shares:
        words = f"{s.key.capitalize()}: {s.count}"
        width = 18 + len(words) * CHAR + 18
        if x and x + width > WIDTH:
            x, y = 0.0, y + LINE + 6
        body.append(f'<rect x="{x:g}" y="{y:g}" width="12" height="12" rx="2" '
                    f'style="fill:{STATUS_FILL.get(s.key, PENDING)}"/>')
        body.append(_text(x + 18, y + 11, [words], esc))
        x += width
    return _close(_open(name, label, y + LINE, esc) + body)


def timeline(name: str, label: str, marks: Sequence[Mark], start: str, end: str, esc: Escape) -> Markup:
    """Every marker on a row of its own: its date and name (wrapping), then its place on the axis.

    The as-of date is a red tick on every row's axis, so each marker reads against it.
    """
    body: list[str] = []
    y = 0.0
    rows: list[tuple[float, Mark]] = []
    for mark in marks:
        words = f"As of {mark.date}" if mark.kind == "as_of" else (
            f"{mark.date} · {mark.name or mark.title}" + (" (expected)" if mark.kind == "eta" else ""))
        lines, cut = _lines(words, WIDTH)
        body.append(_text(0, y + FONT, lines, esc, bold=mark.kind == "as_of",
                          title=words if cut else None))
        axis_y = y + len(lines) * LINE + 6
        rows.append((axis_y, mark))
        y = axis_y + 20
    as_of = next((m for m in marks if m.kind == "as_of"), None)
    pad = 8.0  # markers at either end stay whole inside the box
    span = WIDTH - 2 * pad
    for axis_y, mark in rows:
        x = pad + span * max(0.0, min(100.0, mark.offset)) / 100
        body.append(f'<rect x="{pad:g}" y="{axis_y + 5:g}" width="{span:g}" height="2" style="fill:{TRACK}"/>')
        if mark.kind == "eta":
            body.append(f'<rect x="{x - 6:.1f}" y="{axis_y:g}" width="12" height="12" style="fill:{ACCENT}"/>')
        elif mark.kind == "milestone":
            body.append(f'<circle cx="{x:.1f}" cy="{axis_y + 6:g}" r="6" style="fill:{PRIMARY}"/>')
    if as_of is not None:  # a red tick on every row's axis (never across the labels)
        x = pad + span * max(0.0, min(100.0, as_of.offset)) / 100
        for axis_y, _ in rows:
            body.append(f'<rect x="{x - 1:.1f}" y="{axis_y - 2:g}" width="2" height="16" style="fill:{RED}"/>')
    body.append(f'<rect x="{pad:g}" y="{y:g}" width="{span:g}" height="1" fill="currentColor"/>')
    body.append(_text(0, y + FONT + 4, [start], esc))
    body.append(_text(WIDTH, y + FONT + 4, [end], esc, anchor="end"))
    return _close(_open(name, label, y + FONT + 10, esc) + body)


class Drawer:
    """The pictures as the templates draw them (``draw.ladder(figures)``), escaping with ESC."""

    def __init__(self, esc: Escape) -> None:
        # "40 h" keeps its number and unit together, as the pages write hours
        self.esc: Escape = lambda value: _HOURS.sub("\\1\u00a0h", esc(value))

    def ladder(self, figures: Figures, milestones: Sequence[Milestone], name: str = "score-ladder") -> Markup:
        """The score now, and once every task of each priority is done, with milestones' targets."""
        rows = [Bar("Now", f"{whole_points(figures.score)}/100", figures.score)]
        said = [f"Now {whole_points(figures.score)}/100"]
        for p in figures.projections:
            aimed = [m for m in milestones if m.requires.priority == p.priority]
            notes = [m.title + ("" if m.target_score is None else f", target {whole_points(m.target_score)}")
                     for m in aimed]
            words = f"After {p.priority}" + "".join(f" · {note}" for note in notes)
            target = next((m.target_score for m in aimed if m.target_score is not None), None)
            rows.append(Bar(words, f"{whole_points(p.score)}/100", p.score, projected=True, target=target))
            said.append(f"After {p.priority} {whole_points(p.score)}/100"
                        + (f" ({'; '.join(notes)})" if notes else ""))
        legend = [("now", "Now"), ("projected", "Projected")]
        if any(row.target is not None for row in rows):
            legend.append(("target", "Milestone target"))
        return bars(name, "Score ladder: " + "; ".join(said), rows, self.esc, legend)

    def progress(self, groups: Sequence[Group], what: str, name: str) -> Markup:
        """Tasks done of each group (groups without tasks are left out: the tables list them)."""
        shown = [g for g in groups if g.tally.total]
        if not shown:
            return Markup("")
        rows = [Bar(g.title, f"{g.tally.done}/{g.tally.total}", g.tally.percent) for g in shown]
        label = f"Tasks done by {what}: " + "; ".join(
            f"{g.title} {g.tally.done} of {g.tally.total}" for g in shown)
        return bars(name, label, rows, self.esc)

    def schedule(self, weeks: Sequence[Week], name: str = "schedule") -> Markup:
        """Hours planned in each week against the team's capacity."""
        if not weeks:
            return Markup("")
        rows = [Bar(f"Week {w.number} · from {w.start}", f"{number(w.hours)} of {number(w.capacity)} h",
                    100 * w.hours / w.capacity if w.capacity else 0) for w in weeks]
        label = "Hours planned per week: " + "; ".join(
            f"week {w.number} {number(w.hours)} of {number(w.capacity)} h" for w in weeks)
        return bars(name, label, rows, self.esc)

    def status(self, shares: Sequence[Share], total: int, name: str = "task-status") -> Markup:
        if not total:
            return Markup("")
        noun = "task" if total == 1 else "tasks"
        label = f"Task status of {total} {noun}: " + "; ".join(f"{s.key} {s.count}" for s in shares)
        return status(name, label, shares, self.esc)

    def timeline(self, tl: Timeline, name: str = "timeline") -> Markup:
        label = f"Timeline from {tl.start} to {tl.end}: " + "; ".join(f"{m.title} {m.date}" for m in tl.marks)
        return timeline(name, label, tl.marks, str(tl.start), str(tl.end), self.esc)
