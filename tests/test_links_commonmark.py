"""Links found by ``readiness.cleanup.links`` are the links a CommonMark parser (markdown-it-py) finds.

Generated documents mix what confuses a hand-written scanner: code spans with backslashes
and backticks inside, lone and escaped backticks, list items, blank lines, fenced code,
inline links and images (also ``<dest>``), and reference definitions. For the link forms
the module handles (inline links and images, reference definitions), the destinations it
finds outside code must be exactly those markdown-it-py finds.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

markdown_it = pytest.importorskip("markdown_it")
from markdown_it.common.utils import unescapeAll  # noqa: E402

from readiness.cleanup.links import find_links  # noqa: E402

PARSER = markdown_it.MarkdownIt("commonmark")

words = st.sampled_from(["text", "a", "see", "the guide", "x y", "$", "{}", "()", "ok."])
destination = st.one_of(
    st.from_regex(r"[a-z][a-z0-9_./-]{0,12}", fullmatch=True),
    st.sampled_from(["p\\(1\\).md", "p(1).md", "a\\_b.md", "docs/x.md#part", "x.md?q=1", "../up.md",
                     "a&amp;b.md", "%20x.md"]),
)
code_text = st.text(alphabet="ab \\`${}()/", min_size=0, max_size=10)


@st.composite
def code_span(draw: st.DrawFn) -> str:
    opening = "`" * draw(st.integers(1, 3))
    closing = draw(st.sampled_from([opening, "`", "``", ""]))
    return opening + draw(code_text) + closing


@st.composite
def inline_link(draw: st.DrawFn) -> str:
    target = draw(destination)
    form = draw(st.sampled_from(["plain", "angle", "image", "title"]))
    text = draw(words)
    if form == "angle":
        return f"[{text}](<{target.replace('(', '').replace(')', '')} x>)"
    if form == "image":
        return f"![{text}]({target})"
    if form == "title":
        return f'[{text}]({target} "a title")'
    return f"[{text}]({target})"


piece = st.one_of(words, words, code_span(), inline_link(), st.sampled_from(["`", "``", "\\`", "\\", "\\\\`"]),
                  st.builds(lambda ref: f"[see][{ref}]", st.sampled_from(["r1", "r2"])))


@st.composite
def line(draw: st.DrawFn) -> str:
    # A word first: a line that starts with three backticks opens a fence in CommonMark, also
    # in a list item's first line, where Python-Markdown (MkDocs) sees none: not compared.
    return " ".join([draw(words), *draw(st.lists(piece, min_size=0, max_size=5))])


@st.composite
def block(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["paragraph", "list", "fence", "definition", "heading"]))
    if kind == "paragraph":
        return "\n".join(draw(st.lists(line(), min_size=1, max_size=3)))
    if kind == "list":
        marker = draw(st.sampled_from(["-", "*", "1."]))
        items = []
        for item in draw(st.lists(st.lists(line(), min_size=1, max_size=2), min_size=1, max_size=3)):
            pad = " " * (len(marker) + 1)
            lazy = draw(st.booleans())
            items.append(f"{marker} {item[0]}" + "".join(f"\n{'' if lazy else pad}{rest}" for rest in item[1:]))
        return "\n".join(items)
    if kind == "fence":
        return "```\n" + "\n".join(draw(st.lists(line(), max_size=2))) + "\n```"
    if kind == "definition":  # each gets a label of its own: the first of two is used
        where = draw(st.sampled_from(["", "", "- ", "> ", "1. "]))
        return f"{where}[@]: {draw(destination)}"
    return "# " + draw(line())


@st.composite
def document(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(block(), min_size=1, max_size=6))
    # A definition stands after a blank line: Python-Markdown (MkDocs), whose reading links.py
    # follows, also takes one that continues a paragraph; CommonMark does not.
    text = ""
    labels = iter(range(1, 100))
    for item in blocks:
        definition = "[@]:" in item
        if definition:
            item = item.replace("[@]:", f"[r{next(labels)}]:")
            text += "\n" if text else ""
        text += item + ("\n\n" if draw(st.booleans()) or definition else "\n")
    return text


def commonmark_destinations(text: str) -> set[str]:
    env: dict[str, object] = {}
    tokens = PARSER.parse(text, env)
    found: set[str] = set()
    for token in tokens:
        for child in token.children or []:
            if child.type == "link_open":
                found.add(str(child.attrs["href"]))
            elif child.type == "image":
                found.add(str(child.attrs["src"]))
    references = env.get("references", {})
    assert isinstance(references, dict)
    found.update(str(ref["href"]) for ref in references.values())
    return found


def our_destinations(text: str) -> set[str]:
    return {PARSER.normalizeLink(unescapeAll(link.destination)) for link in find_links(text)
            if link.kind in ("inline", "reference")}


@settings(max_examples=400, deadline=None)
@given(document())
def test_links_found_are_the_links_commonmark_finds(text: str) -> None:
    assert our_destinations(text) == commonmark_destinations(text), text


CASES = [
    # a backslash before a closing backtick escapes nothing inside a code span
    "- use `fetch(\\`${url}/api\\`, ...)` here\n- see [the guide](guide.md)\n- and `x` there\n",
    # an unbalanced backtick does not pair with one in the next list item
    "- a ` b\n- [c](c.md)\n- d ` e\n",
    "1. a ` b\n2. [c](c.md)\n3. d ` e\n",
    # nor across a heading, a blank line, or a fence
    "# a `\n[c](c.md) `\n",
    "a `\n\n[c](c.md) `\n",
    "a `\n```\nx\n```\n[c](c.md) `\n",
    # but a code span spans the lines of one paragraph
    "a `b\n[c](c.md)` d [e](e.md)\n",
    # an escaped backslash does not escape the backtick after it
    "\\\\`[c](c.md)` [e](e.md)\n",
    "\\``[c](c.md)` [e](e.md)\n",
]


@pytest.mark.parametrize("text", CASES)
def test_known_cases(text: str) -> None:
    assert our_destinations(text) == commonmark_destinations(text)


def test_cleanup_rewrites_the_links_after_a_backslash_in_a_code_span(tmp_path: object) -> None:
    """In a real repository: the links between an unbalanced backtick and one in a later list
    item are links, so cleanup rewrites them when it moves the files they point at."""
    from pathlib import Path

    from tests.support.cleanup import make_repo, working_links

    assert isinstance(tmp_path, Path)
    repo = make_repo(tmp_path)
    repo.write("README.md", "# Project\n\n[notes](NOTES.md)\n")
    repo.write("NOTES.md", (
        "# Notes\n\n"
        "- call `fetch(\\`${url}/api\\`, ...)` first\n"
        "- then read [the plan](PLAN.md) and [the guide](docs/guide.md)\n"
        "- `done` at last\n"))
    repo.write("PLAN.md", "# Plan\n\n[notes](NOTES.md)\n")
    repo.write("docs/guide.md", "# Guide\n")
    repo.commit()
    before = working_links(repo)
    result = repo.run("cleanup", "--yes")
    assert result.returncode == 0, result.stderr
    notes = repo.read("docs/archive/NOTES.md")
    assert "[the guide](../guide.md)" in notes
    assert "[the plan](PLAN.md)" in notes
    after = working_links(repo)
    assert sum(len(v) for v in after.values()) == sum(len(v) for v in before.values())
