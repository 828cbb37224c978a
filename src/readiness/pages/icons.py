"""Small status icons as inline SVG (Material Design Icons paths, as Material for MkDocs bundles
them): they need no emoji font, no network and no Markdown extension, and take the colour set
here in light and dark mode alike. Each is decorative (aria-hidden): a word beside it says the same.
"""

from __future__ import annotations

from markupsafe import Markup

# name: (path in a 24 x 24 box, fill)
_ICONS = {
    "check": (
        "M12 2C6.5 2 2 6.5 2 12s4.5 10 10 10 10-4.5 10-10S17.5 2 12 2m-2 15-5-5 1.41-1.41"
        "L10 14.17l7.59-7.59L19 8z",
        "#2e9d48"),
    "warning": (
        "M13 14h-2V9h2m0 9h-2v-2h2M1 21h22L12 2z",
        "#e8710a"),
    "clock": (
        "M12 20a8 8 0 0 0 8-8 8 8 0 0 0-8-8 8 8 0 0 0-8 8 8 8 0 0 0 8 8m0-18a10 10 0 0 1 "
        "10 10 10 10 0 0 1-10 10C6.47 22 2 17.5 2 12A10 10 0 0 1 12 2m.5 5v5.25l4.5 2.67-"
        ".75 1.23L11 13V7z",
        "currentColor"),
    "progress": (
        "M12 6v3l4-4-4-4v3a8 8 0 0 0-8 8c0 1.57.46 3.03 1.24 4.26L6.7 14.8A5.9 5.9 0 0 1 "
        "6 12a6 6 0 0 1 6-6m6.76 1.74L17.3 9.2c.44.84.7 1.8.7 2.8a6 6 0 0 1-6 6v-3l-4 4 4"
        " 4v-3a8 8 0 0 0 8-8c0-1.57-.46-3.03-1.24-4.26",
        "var(--md-accent-fg-color,#526cfe)"),
    "blocked": (
        "M17 13H7v-2h10m-5-9A10 10 0 0 0 2 12a10 10 0 0 0 10 10 10 10 0 0 0 10-10A10 10 0"
        " 0 0 12 2",
        "#e53935"),
    # what changed since the previous state (the executive summary)
    "reopened": (
        "M13 3a9 9 0 0 0-9 9H1l3.89 3.89.07.14L9 12H6a7 7 0 0 1 7-7 7 7 0 0 1 7 7 7 7 0 0 1-7 7c-1.93 0"
        "-3.68-.79-4.94-2.06l-1.42 1.42A8.9 8.9 0 0 0 13 21a9 9 0 0 0 9-9 9 9 0 0 0-9-9",
        "#e8710a"),
    "added": (
        "M17 13h-4v4h-2v-4H7v-2h4V7h2v4h4m-5-9A10 10 0 0 0 2 12a10 10 0 0 0 10 10 10 10 0 0 0 10-10A10 10"
        " 0 0 0 12 2",
        "currentColor"),
    "removed": (
        "M17 13H7v-2h10m-5-9A10 10 0 0 0 2 12a10 10 0 0 0 10 10 10 10 0 0 0 10-10A10 10 0 0 0 12 2",
        "currentColor"),
    "up": (
        "m16 6 2.29 2.29-4.88 4.88-4-4L2 16.59 3.41 18l6-6 4 4 6.3-6.29L22 12V6z",
        "#2e9d48"),
    "down": (
        "m16 18 2.29-2.29-4.88-4.88-4 4L2 7.41 3.41 6l6 6 4-4 6.3 6.29L22 12v6z",
        "#e53935"),
    "later": (
        "M6 1v2H5c-1.11 0-2 .89-2 2v14a2 2 0 0 0 2 2h14c1.11 0 2-.89 2-2V5a2 2 0 0 0-2-2h-1V1h-2v2H8V1zM5"
        " 8h14v11H5zm6 1v5h2V9zm0 7v2h2v-2z",
        "#e8710a"),
    "earlier": (
        "M19 19H5V8h14m0-5h-1V1h-2v2H8V1H6v2H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V5a2 2 0 0"
        " 0-2-2m-2.47 8.06L15.47 10l-4.88 4.88-2.12-2.12-1.06 1.06L10.59 17z",
        "#2e9d48"),
    "date": (
        "M19 3h-1V1h-2v2H8V1H6v2H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h5v-2H5V8h14v1h2V5a2 2 0 0 0-2-2m2.7 "
        "10.35-1 1-2.05-2 1-1c.2-.21.54-.22.77 0l1.28 1.28c.19.2.19.52 0 .72M12 18.94l6.07-6.06 2.05 2"
        "L14.06 21H12z",
        "currentColor"),
}

STATUS_ICONS = {"done": "check", "in progress": "progress", "pending": "clock", "blocked": "blocked"}


def icon(name: str) -> Markup:
    """The icon NAME as inline SVG, one line high: check, warning, clock, progress, blocked (task
    states); reopened, added, removed, up, down, later, earlier, date (what changed)."""
    path, fill = _ICONS[name]
    return Markup(f'<svg class="readiness-icon" data-icon="{name}" viewBox="0 0 24 24" width="1.15em" '
                  f'height="1.15em" aria-hidden="true" focusable="false" '
                  f'style="vertical-align:-0.2em;fill:{fill}"><path d="{path}"/></svg>')
