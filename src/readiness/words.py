"""Counts and lists in words, as every message and page writes them ("1 file", "a, b and c").

Standard library only, so that the light commands (cleanup, commit) can use it without
loading the models or the templates.
"""

from __future__ import annotations

from collections.abc import Sequence


def plural(number: int, noun: str, nouns: str | None = None) -> str:
    """NUMBER and NOUN agreeing: "1 file", "2 files"; NOUNS for a plural that is not NOUN + "s"."""
    return f"{number} {noun if number == 1 else nouns or noun + 's'}"


def joined(items: Sequence[str]) -> str:
    """ITEMS as a list in words: "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
