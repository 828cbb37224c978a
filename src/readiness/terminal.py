"""Text for the terminal: strings from the source made inert, bars, columns and whether to colour.

Every string that comes from the source file or the repository (titles, ids, file names,
git output about them) goes through ``safe`` (or ``safe_json`` in JSON) before it is
printed, so an escape sequence or a bidirectional override in it is shown, never acted on.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

_COLOURS = {"bold": "1", "dim": "2", "green": "32", "yellow": "33", "red": "31", "cyan": "36"}
# Lone surrogates stand for bytes that are not UTF-8 (a file name read with surrogateescape).
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# json.dumps escapes U+0000-U+001F itself; with ensure_ascii=False it leaves these alone.
_UNSAFE_IN_JSON = re.compile(r"[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def safe(text: str) -> str:
    """TEXT with control and bidirectional characters shown escaped, never acted on; a byte
    that is not UTF-8 (in a file name) as ``\\xNN``."""
    return _UNSAFE.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape's stand-in for the byte code - 0xDC00
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}"


def safe_json(text: str) -> str:
    """JSON text (from ``json.dumps``) with those characters as ``\\uXXXX``: the same JSON value."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def colour_wanted(terminal: bool, environ: Mapping[str, str]) -> bool:
    """Whether to colour the output: a ``NO_COLOR`` that is set and not empty says no
    (no-color.org), else a ``FORCE_COLOR`` that is set and not empty says yes (force-color.org),
    else only on a TERMINAL whose ``TERM`` is not ``dumb``. An empty variable counts as unset."""
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    return terminal and environ.get("TERM") != "dumb"


def bar(fraction: float, width: int = 20) -> str:
    """A progress bar of block characters."""
    filled = max(0, min(width, round(fraction * width)))
    return "█" * filled + "░" * (width - filled)


def width_of(text: str) -> int:
    """The columns TEXT takes in a terminal: two for a wide character (CJK, most emoji), none
    for a combining mark or a zero-width one, one for the rest."""
    return sum(0 if unicodedata.combining(c) or c in "\u200b\u200c\u200d\ufe0f"
               else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def padded(text: str, width: int) -> str:
    """TEXT followed by the spaces that make it WIDTH columns wide (str.ljust counts characters,
    so a column of CJK titles would not line up)."""
    return text + " " * max(0, width - width_of(text))
