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

from readiness.figures.core import points
from readiness.history import sparkline_points


def score_chart_svg(series: Sequence[tuple[dt.datetime, float]], *, width: int = 320, height: int = 80,
                    label: str = "Readiness score over time") -> str:
    """An SVG line chart of SERIES ((time, score 0-100) oldest first), scaled 0 to 100."""
    pad = 4.0
    inner_w, inner_h = width - 2 * pad, height - 2 * pad
    if series:
        first, last = series[0], series[-1]
        summary = (f"{label}: {points(first[1])}/100 on {first[0].date().isoformat()} to "
                   f"{points(last[1])}/100 on {last[0].date().isoformat()}, {len(series)} commits")
    else:
        summary = f"{label}: no history yet"
    text = escape(summary, quote=True)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{text}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" class="readiness-history">',
        f"<title>{text}</title>",
        # Faint guides at 0, 50 and 100 give the line a scale without labels.
        *(f'<line x1="{pad:g}" x2="{width - pad:g}" y1="{_y(v, pad, inner_h):.1f}" '
          f'y2="{_y(v, pad, inner_h):.1f}" stroke="currentColor" stroke-opacity="0.15" stroke-width="1"/>'
          for v in (0, 50, 100)),
    ]
    drawn = [(pad + x * inner_w, _y(score, pad, inner_h)) for x, score in sparkline_points(series)]
    if len(drawn) > 1:
        # A step line: the score holds until the next commit changes it.
        path = [f"M{drawn[0][0]:.1f},{drawn[0][1]:.1f}"]
        for (_, y0), (x1, y1) in itertools.pairwise(drawn):
            path.append(f"L{x1:.1f},{y0:.1f}L{x1:.1f},{y1:.1f}")
        parts.append(f'<path d="{"".join(path)}" fill="none" stroke="currentColor" stroke-width="1.5" '
                     f'stroke-linejoin="round"/>')
    if drawn:
        x, y = drawn[-1]
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="currentColor"/>')
    parts.append("</svg>")
    return "".join(parts)


def _y(score: float, pad: float, inner_h: float) -> float:
    return pad + (1 - max(0.0, min(100.0, score)) / 100) * inner_h
