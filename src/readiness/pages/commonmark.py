"""The pages as CommonMark / GitHub-flavoured Markdown (pure): for sites without Material.

The templates write for MkDocs Material. This rewrites what only Material reads:

- ``!!! kind "Title"`` admonitions become blockquotes with the title in bold;
- ``??? kind "Title"`` collapsed blocks become HTML ``<details>`` with a ``<summary>``;
- ``{ #id }`` after a heading, and ``[](){ #id }`` anchors, become ``<a id="id"></a>``;
- each picture (inline SVG) becomes an SVG file beside its page, linked as an image;
- status icons (inline SVG beside a word that says the same) are left out.

Every SVG file starts with the generated marker (an XML comment is valid before the root
element), so ``readiness build`` may replace it like a page and never overwrites a file of
the user's.
"""

from __future__ import annotations

import html
import posixpath
import re

from readiness.pages.generated import MARKER
from readiness.pages.render import inline

_ADMONITION = re.compile(r'^(?P<kind>!!!|\?\?\?\+?) +(?P<type>[\w-]+)(?: +"(?P<title>[^"\n]*)")? *\n', re.M)
_HEADING_ID = re.compile(r"^(?P<heading>#{1,6} .*?) *\{ *#(?P<id>[A-Za-z0-9._-]+) *\}[ \t]*$", re.M)
_ANCHOR = re.compile(r"^\[\]\(\)\{ *#(?P<id>[A-Za-z0-9._-]+) *\}[ \t]*$", re.M)
_ICON = re.compile(r'<svg class="readiness-icon"[^>]*>.*?</svg> ?', re.S)
_PICTURE = re.compile(r'^<div class="readiness-picture" data-picture="(?P<name>[^"]+)"[^>]*>\n'
                      r"(?P<svg>.*?)\n</div>[ \t]*$", re.M | re.S)
_BARE_SVG = re.compile(r"^(?P<svg><svg\b[^\n]*</svg>)[ \t]*$", re.M)  # a chart on one line
_ARIA = re.compile(r'aria-label="([^"]*)"')
_ROOT_OPEN = re.compile(r"<svg\b[^>]*>")
_VIEWBOX = re.compile(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"')


def to_commonmark(pages: dict[str, str]) -> dict[str, str]:
    """PAGES ({path: Material Markdown}) as CommonMark, plus an SVG file for each picture."""
    out: dict[str, str] = {}
    for name, text in pages.items():
        out.update(_page(name, text))
    return out


def _page(name: str, text: str) -> dict[str, str]:
    folder, stem = posixpath.split(name)
    stem = stem.removesuffix(".md")
    files: dict[str, str] = {}
    text = _PICTURE.sub(lambda m: _picture(m.group("svg"), f"{stem}-{m.group('name')}", files), text)
    text = _ICON.sub("", text)
    text = _BARE_SVG.sub(lambda m: _picture(m.group("svg"), f"{stem}-score-history", files), text)
    text = _HEADING_ID.sub(lambda m: f'{m.group("heading")} <a id="{m.group("id")}"></a>', text)
    text = _ANCHOR.sub(lambda m: f'<a id="{m.group("id")}"></a>', text)
    return {name: _blocks(text)} | {posixpath.join(folder, file): svg for file, svg in files.items()}


def _picture(svg: str, base: str, files: dict[str, str]) -> str:
    """SVG added to FILES as BASE.svg (BASE-2.svg, ... when taken); the image link to it."""
    file = base + ".svg"
    count = 2
    while file in files:
        file = f"{base}-{count}.svg"
        count += 1
    files[file] = standalone(svg)
    label = _ARIA.search(svg)
    alt = inline(html.unescape(label.group(1))) if label else "Picture"
    return f"![{alt}]({file})"


def standalone(svg: str) -> str:
    """An inline SVG as a file of its own: the marker, a namespace, a size and a text colour.

    Pictures draw in ``currentColor`` (the page's text colour inline); as an image it is a
    grey that reads on light and dark backgrounds alike.
    """
    root = _ROOT_OPEN.match(svg.lstrip())
    if root is None:
        return f"{MARKER}\n{svg}\n"
    opening = root.group(0)
    size = _VIEWBOX.search(opening)
    attributes = re.sub(r'\s(?:width|height|style|xmlns)="[^"]*"', "", opening[4:-1])
    sized = f' width="{size.group(1)}" height="{size.group(2)}"' if size else ""
    new = f'<svg xmlns="http://www.w3.org/2000/svg"{attributes}{sized} style="color:#6e7781">'
    body = svg.lstrip()[len(opening):]
    return f"{MARKER}\n{new}{body}\n"


def _blocks(text: str) -> str:
    """Admonitions and collapsed blocks, with their indented bodies, as blockquotes and <details>."""
    lines = text.split("\n")
    result: list[str] = []
    index = 0
    while index < len(lines):
        found = _ADMONITION.match(lines[index] + "\n")
        if not found:
            result.append(lines[index])
            index += 1
            continue
        title = found.group("title")
        if title is None:
            title = found.group("type").capitalize()
        index += 1
        body: list[str] = []
        while index < len(lines) and (lines[index].startswith("    ") or not lines[index].strip()):
            body.append(lines[index][4:] if lines[index].startswith("    ") else "")
            index += 1
        while body and not body[-1].strip():  # the blank lines after the block stay outside it
            body.pop()
            index -= 1
        while body and not body[0].strip():
            body.pop(0)
        inner = _blocks("\n".join(body)).split("\n") if body else []
        if found.group("kind") == "!!!":
            result.append(f"> **{title}**" if title else ">")
            if inner:
                result.append(">")
                result.extend(f"> {line}" if line.strip() else ">" for line in inner)
        else:
            opened = " open" if found.group("kind").endswith("+") else ""
            result.append(f"<details{opened}><summary>{title}</summary>")
            result.append("")
            result.extend(inner)
            result.append("")
            result.append("</details>")
    return "\n".join(result)
