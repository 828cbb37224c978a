"""Relative links in Markdown files and in mkdocs.yml: find them outside code, rewrite them.

No Markdown library installed here reports where a link sits in the source, so links are
found with regexes on a copy of the text in which code (fenced blocks, indented blocks,
inline code) is blanked out. Blanking keeps every offset and line number, so a link's
position in the copy is its position in the original.
"""

from __future__ import annotations

import posixpath
import re
from typing import NamedTuple
from urllib.parse import unquote

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<rest>.*)$")
_LIST_ITEM = re.compile(r"^[ ]{0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_BACKTICKS = re.compile(r"`+")
# Lines that start a block of their own, so a code span cannot reach across them: a list item
# (an ordered one from 1, or any number inside a list), an ATX heading, a thematic break or
# setext underline, a block quote; also a heading's own line ends its block.
_BLOCK_START = re.compile(r"[ ]*(?:[-*+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$))|[ ]{0,3}(?:#{1,6}(?:[ \t]|$)|>)")
_ORDERED = re.compile(r"[ ]*(\d{1,9})[.)]")
_MAY_START_BLOCK = frozenset("-*+#>_=0123456789\t\r\n")  # first characters of those lines (and blank ones)
_ONE_LINE_BLOCK = re.compile(r"[ ]{0,3}(?:#{1,6}(?:[ \t]|$)|([-*_])(?:[ \t]*\1){2,}[ \t]*$|=+[ \t]*$)")



def _inline(char: str) -> re.Pattern[str]:
    """`](dest` of an inline link or image: dest is <...>, or CHARs with balanced parens."""
    return re.compile(rf"\]\([ \t]*(?:<(?P<angle>[^<>\n]*)>|(?P<bare>{char}*(?:\({char}*\){char}*)*))"
                      r"(?=[\s)])")


_INLINE = _inline(r"(?:[^\s()<>\\]|\\[^\s])")  # a backslash escape counts as one: `p\(1\).md`
_INLINE_PLAIN = _inline(r"[^\s()<>]")  # the same where the text holds no backslash: twice as fast
# `[id]: dest` reference definitions, also inside block quotes and list items (`> [id]: dest`,
# `- [id]: dest`, and indented under an item; indented code is blanked before this runs).
_REFERENCE = re.compile(
    r"^(?:[ ]*(?:>[ ]?|[-*+][ \t]+|\d{1,9}[.)][ \t]+))*[ ]*\[(?:[^\]\\\n]|\\.)+\]:[ \t]*\n?"
    r"(?:[ ]{0,3}>[ ]?)*[ \t]*"
    r"(?:<(?P<angle>[^<>\n]*)>|(?P<bare>\S+))",
    re.MULTILINE,
)
# Block quote markers at the start of a line: `> `, `>> `, `> > `.
_QUOTE = re.compile(r"^(?:[ ]{0,3}>[ ]?)+")
# A backslash escape of ASCII punctuation, which Markdown reads as the character itself.
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# What a destination cannot hold as written, in any syntax: percent (the escape itself), the
# marks that start an anchor or a query, what starts a character reference or a backslash
# escape, the angle brackets that end <dest> or an HTML tag, and controls.
_UNSAFE_IN_PATH = re.compile(r"[%#?&\\<>\x00-\x1f\x7f]")
_TAG = re.compile(r"<[A-Za-z][A-Za-z0-9-]*\s[^<>]*>")
_ATTRIBUTE = re.compile(
    r"\s(?:href|src)[ \t]*=[ \t]*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<uq>[^\s\"'=<>`]+))",
    re.IGNORECASE,
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# mkdocs.yml nav entries: `- page.md` or `- Title: page.md`, optionally quoted.
_NAV_ENTRY = re.compile(
    r"^[ \t]*-[ \t]+(?:(?:\"[^\"\n]*\"|'[^'\n]*'|[^:#\n]*?):[ \t]+)?"
    r"(?P<q>[\"']?)(?P<path>[^\"'#\n]*?\.(?:md|markdown))(?P=q)[ \t]*(?:#.*)?$",
    re.MULTILINE | re.IGNORECASE,
)


class Link(NamedTuple):
    """One link destination in a document: where it is and what it says."""

    start: int  # offsets of the destination text (inside <...> or quotes, if any)
    end: int
    line: int
    destination: str
    kind: str  # "inline", "reference", "html" or "nav"
    angle: bool = False  # written as <dest>, where spaces need no escaping


def mask_code(text: str) -> str:
    """TEXT with fenced code, indented code and inline code replaced by spaces (newlines kept).

    Also inside block quotes (``> ```…``), where a fence ends with the quote; inside a list
    item, a line is indented code from 8 columns on, where Python-Markdown (MkDocs) and
    CommonMark (GitHub) agree that it is.
    """
    lines = text.splitlines(keepends=True)
    masked: list[str] = []
    fence: str | None = None
    fence_depth = 0  # how many block quotes the open fence is inside
    in_indented = False
    in_list = False
    previous_blank = True
    for line in lines:
        body = line.rstrip("\r\n")
        quote = _QUOTE.match(body) if ">" in body[:8] else None
        depth = quote.group().count(">") if quote else 0
        inner = body[quote.end():] if quote else body
        blank = not inner.strip()
        if fence is not None:
            if depth >= fence_depth:
                masked.append(_blank(line))
                stripped = inner.strip()
                if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                    fence = None
                continue
            fence = None  # the block quote holding the fence ended, and the fence with it
        indent = len(inner.expandtabs(4)) - len(inner.expandtabs(4).lstrip(" "))
        if in_list and previous_blank and body[:1] not in ("", " ", "\t") and not _LIST_ITEM.match(body):
            in_list = False  # a paragraph, fence or quote at the margin after a blank ends the list
        opening = _FENCE.match(inner)
        if opening and not (opening["fence"][0] == "`" and "`" in opening["rest"]):
            fence, fence_depth = opening["fence"], depth
            masked.append(_blank(line))
            previous_blank = False
            continue
        if not blank and indent >= (8 if in_list else 4) and (in_indented or previous_blank):
            in_indented = True
            masked.append(_blank(line))
            previous_blank = False
            continue
        if not blank:
            in_indented = False
            if _LIST_ITEM.match(inner):
                in_list = True
            elif indent == 0 and previous_blank:
                in_list = False
        masked.append(line)
        previous_blank = blank
    if not any("`" in line for line in masked):
        return "".join(masked)
    return "".join(_mask_code_spans(block) for block in _blocks(masked))


def _blocks(lines: list[str]) -> list[str]:
    """LINES (fenced and indented code already blanked) grouped into the blocks whose inline
    text a code span may span: a paragraph, a list item's paragraph, a heading. A blank line,
    and a line that starts a list item, heading, thematic break or block quote, ends a block;
    other lines (also lazy continuation lines) continue it."""
    blocks: list[str] = []
    current: list[str] = []
    in_list = False
    depth = 0
    for line in lines:
        first = line.lstrip(" ")[:1]
        if first not in _MAY_START_BLOCK and not depth and current:
            current.append(line)  # the common case: a line that continues a paragraph
            continue
        body = line.rstrip("\r\n")
        quote = _QUOTE.match(body) if ">" in body[:8] else None
        inner = body[quote.end():] if quote else body
        now_depth = quote.group().count(">") if quote else 0
        if not inner.strip():
            if current:
                blocks.append("".join(current))
                current = []
            blocks.append(line)
            depth = now_depth
            continue
        starts = _BLOCK_START.match(inner) is not None
        ordered = _ORDERED.match(inner)
        if starts and ordered and not in_list and int(ordered.group(1)) != 1 and current:
            starts = False  # "1986. A year" inside a paragraph does not start a list
        empty_item = starts and not ordered and not inner.lstrip()[1:].strip()
        if empty_item and current and not quote:
            starts = False  # an empty list item cannot interrupt a paragraph
        if starts or now_depth != depth or _ONE_LINE_BLOCK.match(inner):
            if current:
                blocks.append("".join(current))
            current = []
            if _LIST_ITEM.match(inner) or (ordered and starts):
                in_list = True
        elif not current and not body.startswith((" ", "\t")):
            in_list = False  # a paragraph at the margin after a blank line ends the list
        current.append(line)
        depth = now_depth
        if _ONE_LINE_BLOCK.match(inner):
            blocks.append("".join(current))
            current = []
    if current:
        blocks.append("".join(current))
    return blocks


def _mask_code_spans(block: str) -> str:
    """BLOCK with its code spans blanked, as CommonMark reads them.

    A backtick run opens a span unless a backslash outside code escapes its first backtick;
    the span closes at the next run of exactly the same length, whatever precedes it (inside
    code a backslash escapes nothing); a run that finds none is literal text.
    """
    if "`" not in block:
        return block
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(block)]
    spans: list[tuple[int, int]] = []
    consumed = 0  # the end of the last span: backslashes inside it escape nothing after it
    index = 0
    while index < len(runs):
        start, end = runs[index]
        index += 1
        slashes = 0
        while start - slashes - 1 >= consumed and block[start - slashes - 1] == "\\":
            slashes += 1
        if slashes % 2:
            start += 1  # the first backtick is escaped: the rest of the run may still open
            if start == end:
                continue
        length = end - start
        for later in range(index, len(runs)):
            close_start, close_end = runs[later]
            if close_end - close_start == length:
                spans.append((start, close_end))
                consumed = close_end
                index = later + 1
                break
    if not spans:
        return block
    pieces = []
    previous = 0
    for start, end in spans:
        pieces.append(block[previous:start])
        pieces.append(_blank(block[start:end]))
        previous = end
    pieces.append(block[previous:])
    return "".join(pieces)


def _blank(text: str) -> str:
    return re.sub(r"[^\r\n]", " ", text)


def find_links(text: str, masked: str | None = None) -> list[Link]:
    """Every link destination in Markdown TEXT outside code, in order of position."""
    source = mask_code(text) if masked is None else masked
    spans: list[tuple[int, int, str, bool]] = []  # start, end, kind, angle
    inline = _INLINE if "\\" in source else _INLINE_PLAIN
    for pattern, kind, marker in ((inline, "inline", "]("), (_REFERENCE, "reference", "]:")):
        if marker not in source:
            continue  # a substring test is much cheaper than a regex scan
        for match in pattern.finditer(source):
            group = "angle" if match["angle"] is not None else "bare"
            spans.append((match.start(group), match.end(group), kind, group == "angle"))
    if "<" in source:
        for tag in _TAG.finditer(source):
            for attribute in _ATTRIBUTE.finditer(tag.group(0)):
                group = "dq" if attribute["dq"] is not None else "sq" if attribute["sq"] is not None else "uq"
                spans.append((tag.start() + attribute.start(group), tag.start() + attribute.end(group),
                              "html", False))
    spans.sort()
    found = []
    line, counted = 1, 0  # line numbers counted once through the text, not from the start each time
    for start, end, kind, angle in spans:
        line += text.count("\n", counted, start)
        counted = start
        found.append(Link(start, end, line, text[start:end], kind, angle))
    return found


def find_nav_links(text: str) -> list[Link]:
    """The page paths of the ``nav:`` section of an mkdocs.yml."""
    nav = re.search(r"^nav:[ \t]*(?:#.*)?\n(?P<body>(?:(?:[ \t-].*|[ \t]*)(?:\n|$))*)",
                    text, re.MULTILINE)
    if nav is None:
        return []
    links = []
    for match in _NAV_ENTRY.finditer(text, nav.start("body"), nav.end("body")):
        start, end = match.start("path"), match.end("path")
        links.append(Link(start, end, text.count("\n", 0, start) + 1, match["path"], "nav"))
    return links


def docs_dir_of(mkdocs_yml: str) -> str:
    """The docs_dir an mkdocs.yml names (``docs`` when it names none)."""
    match = re.search(r"^docs_dir:[ \t]*[\"']?([^\"'#\n]*?)[\"']?[ \t]*(?:#.*)?$", mkdocs_yml,
                      re.MULTILINE)
    return match.group(1).strip() if match and match.group(1).strip() else "docs"


def relative_target(destination: str) -> tuple[str, str] | None:
    """(decoded path, ``#anchor``/``?query`` suffix) of a relative link, None for the rest."""
    try:
        return _TARGETS[destination]
    except KeyError:
        if len(_TARGETS) > 100_000:
            _TARGETS.clear()
        found = _TARGETS[destination] = _relative_target(destination)
        return found


# The same destinations come back document after document (a repository's README, its index).
_TARGETS: dict[str, tuple[str, str] | None] = {}


def _relative_target(destination: str) -> tuple[str, str] | None:
    # Backslash escapes and character references (`&#40;`, `&amp;`) are read before the
    # destination is a URL, as Markdown and a browser read them.
    if "\\" in destination:
        destination = _ESCAPE.sub(r"\1", destination)
    if "&" in destination:
        import html

        destination = html.unescape(destination)
    if not destination or destination[0] in "#/\\" or (":" in destination and _SCHEME.match(destination)):
        return None
    cut = len(destination)
    for mark in "#?":
        index = destination.find(mark)
        if 0 <= index < cut:
            cut = index
    if not cut:
        return None
    path = destination[:cut]
    return unquote(path) if "%" in path else path, destination[cut:]


def resolve(document: str, path: str) -> str | None:
    """The repository path a link PATH in DOCUMENT points at; None when it leaves the repository."""
    folder = document.rpartition("/")[0]
    if folder != "." and "./" not in path and "//" not in path and not path.endswith((".", "/")):
        return f"{folder}/{path}" if folder else path  # nothing to normalise: the common case
    joined = posixpath.normpath(posixpath.join(folder, path))
    if joined == ".." or joined.startswith("../"):
        return None
    return joined


def relative_link(target: str, from_folder: str, keep_slash: bool) -> str:
    """A relative path from FROM_FOLDER to TARGET (both normalised repository paths).

    Computed on the parts rather than with ``posixpath.relpath``, which asks the
    operating system for the current folder on every call.
    """
    to_parts = [] if target in ("", ".") else target.split("/")
    from_parts = [] if from_folder in ("", ".") else from_folder.split("/")
    common = 0
    for a, b in zip(to_parts, from_parts, strict=False):
        if a != b:
            break
        common += 1
    result = "/".join([".."] * (len(from_parts) - common) + to_parts[common:]) or "."
    return result + "/" if keep_slash and not result.endswith("/") else result


def encode(path: str, link: Link) -> str:
    """PATH written so that it reads back the same in the link's syntax (``relative_target``
    decodes it): percent-encoded where a character would end, cut or change it."""
    if link.kind == "nav":
        return path  # a file path in YAML, not a URL
    path = _UNSAFE_IN_PATH.sub(_percent, path)
    if link.angle:
        return path
    path = path.replace(" ", "%20")
    if link.kind == "html":
        return path.replace('"', "%22").replace("'", "%27")
    return path.replace("(", "%28").replace(")", "%29")


def _percent(match: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group().encode())
