"""The score-over-time picture: a self-contained inline SVG line chart (pure).

No script, font or link: it renders offline and in tests. It draws in ``currentColor``
so it takes the text colour of the page, in light and dark mode alike, and carries a
text alternative (``role="img"``, ``aria-label`` and ``<title>``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from html import escape

from readiness.figures.core import whole_points
from readiness.history import sparkline_points
from readiness.pages.pictures import FONT_FAMILY


def score_chart_svg(series: Sequence[tuple[dt.datetime, float]], *, width: int = 360, height: int = 150,
                    label: str = "Readiness score over time") -> str:
    """An SVG line chart of SERIES ((time, score 0-100) oldest first), on a 0 to 100 axis.

    The axis is labelled 0, 50 and 100; the first and last dates sit under the line, and the
    first and last scores beside their points, so the chart reads without its table.
    """
    left, right, top, bottom = 30.0, 12.0, 10.0, 24.0
    inner_w, inner_h = width - left - right, height - top - bottom
    if series:
        first, last = series[0], series[-1]
        summary = (f"{label}: {whole_points(first[1])}/100 on {first[0].date().isoformat()} to "
                   f"{whole_points(last[1])}/100 on {last[0].date().isoformat()}, {len(series)} commits")
    else:
        summary = f"{label}: no history yet"
    text = escape(summary, quote=True)

    def y_of(score: float) -> float:
        return top + (1 - max(0.0, min(100.0, score)) / 100) * inner_h

    def words(x: float, y: float, value: str, anchor: str = "start", bold: bool = False) -> str:
        weight = ' font-weight="bold"' if bold else ""
        return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="12" fill="currentColor" text-anchor="{anchor}"'
                f"{weight}>{escape(value)}</text>")

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{text}" '
        f'viewBox="0 0 {width} {height}" width="100%" font-family="{FONT_FAMILY}" '
        f'style="max-width:23rem;width:100%;height:auto;display:block" class="readiness-history">',
        f"<title>{text}</title>",
    ]
    for value in (0, 50, 100):  # the score axis: faint guides, labelled
        y = y_of(value)
        parts.append(f'<line x1="{left:g}" x2="{width - right:g}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="currentColor" stroke-opacity="{0.35 if value == 0 else 0.15}" '
                     'stroke-width="1"/>')
        parts.append(words(left - 6, y + 4, str(value), "end"))
    drawn = [(left + x * inner_w, y_of(score)) for x, score in sparkline_points(series)]
    if len(drawn) > 1:
        # A step line: the score holds until the next commit changes it.
        path = [f"M{drawn[0][0]:.1f},{drawn[0][1]:.1f}"]
        for (_, y0), (x1, y1) in itertools.pairwise(drawn):
            path.append(f"L{x1:.1f},{y0:.1f}L{x1:.1f},{y1:.1f}")
        parts.append(f'<path d="{"".join(path)}" fill="none" stroke="currentColor" stroke-width="1.5" '
                     f'stroke-linejoin="round"/>')
    if drawn:
        (x0, y0), (x1, y1) = drawn[0], drawn[-1]
        parts.append(f'<circle cx="{x0:.1f}" cy="{y0:.1f}" r="2.5" fill="currentColor"/>')
        parts.append(f'<circle cx="{x1:.1f}" cy="{y1:.1f}" r="3" fill="currentColor"/>')
        # the scores at either end, above their points (below when the point is at the top)
        above = [y - 8 if y - 8 > top + 4 else y + 16 for y in (y0, y1)]
        if len(drawn) > 1:
            parts.append(words(x0, above[0], str(whole_points(series[0][1])), "start"))
        parts.append(words(x1, above[1], str(whole_points(series[-1][1])), "end", bold=True))
        baseline = height - 6
        parts.append(words(left, baseline, series[0][0].date().isoformat(), "start"))
        if len(series) > 1:
            parts.append(words(width - right, baseline, series[-1][0].date().isoformat(), "end"))
    parts.append("</svg>")
    return "".join(parts)
