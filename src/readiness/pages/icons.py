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
}

STATUS_ICONS = {"done": "check", "in progress": "progress", "pending": "clock", "blocked": "blocked"}


def icon(name: str) -> Markup:
    """The icon NAME (check, warning, clock, progress, blocked) as inline SVG, one line high."""
    path, fill = _ICONS[name]
    return Markup(f'<svg class="readiness-icon" data-icon="{name}" viewBox="0 0 24 24" width="1.15em" '
                  f'height="1.15em" aria-hidden="true" focusable="false" '
                  f'style="vertical-align:-0.2em;fill:{fill}"><path d="{path}"/></svg>')
