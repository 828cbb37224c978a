"""Finding and rewriting links in Markdown and mkdocs.yml, without a repository."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import markdown
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from readiness.cleanup.links import (
    Link,
    docs_dir_of,
    encode,
    find_links,
    find_nav_links,
    mask_code,
    relative_link,
    relative_target,
)
from readiness.cleanup.plan import Move, plan_rewrites


def destinations(text: str) -> list[str]:
    return [link.destination for link in find_links(text)]


def test_finds_inline_reference_and_html_links() -> None:
    text = ('[a](A.md) ![i](img/x.png "title")\n'
            '[ref]: B.md\n'
            '  [other]: <C D.md> "t"\n'
            '<a href="E.md">e</a> <img alt=x src=\'F.png\'> <a class=x href=G.md>\n')
    assert destinations(text) == ["A.md", "img/x.png", "B.md", "C D.md", "E.md", "F.png", "G.md"]


def test_links_in_code_are_ignored() -> None:
    text = ("```md\n[a](A.md)\n```\n\n"
            "~~~~\n[b](B.md)\n~~~\n~~~~\n\n"
            "    [c](C.md) indented code\n\n"
            "text `[d](D.md)` and ``[e](E.md) ` x`` and [f](F.md)\n")
    assert destinations(text) == ["F.md"]


def test_indented_lines_in_lists_are_not_code() -> None:
    text = "- item\n\n    [a](A.md) continues the item\n\nplain\n\n    [b](B.md)\n"
    assert destinations(text) == ["A.md"]


def test_unclosed_fence_runs_to_the_end() -> None:
    assert destinations("[a](A.md)\n```\n[b](B.md)\n") == ["A.md"]


def test_masking_keeps_offsets_and_lines() -> None:
    text = "a `code` b\r\n```\nx\n```\n"
    masked = mask_code(text)
    assert len(masked) == len(text)
    assert masked.count("\n") == text.count("\n")


@pytest.mark.parametrize(("destination", "expected"), [
    ("A.md", ("A.md", "")),
    ("A.md#part", ("A.md", "#part")),
    ("My%20Notes.md?x=1#y", ("My Notes.md", "?x=1#y")),
    ("#anchor", None),
    ("https://example.com/A.md", None),
    ("mailto:a@b.c", None),
    ("/abs/A.md", None),
    ("", None),
])
def test_relative_target(destination: str, expected: tuple[str, str] | None) -> None:
    assert relative_target(destination) == expected


def test_nav_entries_of_mkdocs_yml() -> None:
    text = ("site_name: x\ndocs_dir: site-docs  # here\nnav:\n  - Home: index.md\n"
            "  - 'Old plan': ../PLAN.md\n  - Section:\n      - sub/page.md\n      - \"q.md\"\n"
            "theme:\n  name: material\n  custom: x.md\n")
    assert [link.destination for link in find_nav_links(text)] == [
        "index.md", "../PLAN.md", "sub/page.md", "q.md"]
    assert docs_dir_of(text) == "site-docs"
    assert docs_dir_of("site_name: x\n") == "docs"


def rewrite(documents: dict[str, str], moves: dict[str, str],
            existing: set[str] | None = None) -> dict[str, str]:
    files = set(documents) | set(moves) | (existing or set())
    folders = {"."} | {"/".join(p.split("/")[:i])
                       for p in files for i in range(1, p.count("/") + 1)}
    plan_moves = [Move(source, destination, True) for source, destination in moves.items()]
    rewrites, _ = plan_rewrites(plan_moves, documents, (files | folders).__contains__)
    return {r.new_path: r.after for r in rewrites}


def test_links_into_and_out_of_moved_files() -> None:
    documents = {
        "NOTES.md": "[p](PLAN.md#a) [g](docs/g.md) [r](README.md) [w](https://x.org) [s](#s)\n",
        "PLAN.md": "[n](./NOTES.md)\n",
        "README.md": "[n](NOTES.md) [l](LICENSE)\n",
        "docs/g.md": "[n](../NOTES.md) [img](../img/a.png)\n",
    }
    result = rewrite(documents, {"NOTES.md": "docs/archive/NOTES.md",
                                 "PLAN.md": "docs/archive/PLAN.md"},
                     {"LICENSE", "img/a.png"})
    assert result == {
        "docs/archive/NOTES.md":
            "[p](PLAN.md#a) [g](../g.md) [r](../../README.md) [w](https://x.org) [s](#s)\n",
        "README.md": "[n](docs/archive/NOTES.md) [l](LICENSE)\n",
        "docs/g.md": "[n](archive/NOTES.md) [img](../img/a.png)\n",
    }  # PLAN.md links to ./NOTES.md, which still works after both move together


def test_encoding_follows_the_link_syntax() -> None:
    documents = {"README.md": "[a](My%20Notes.md) [b](<My Notes.md>) <a href=\"My Notes.md\">\n"
                              "[c]: My%20Notes.md\n"}
    result = rewrite(documents, {"My Notes.md": "docs/archive/My Notes.md"})
    assert result["README.md"] == (
        "[a](docs/archive/My%20Notes.md) [b](<docs/archive/My Notes.md>) "
        "<a href=\"docs/archive/My%20Notes.md\">\n[c]: docs/archive/My%20Notes.md\n")


def test_broken_links_are_reported_not_fixed() -> None:
    documents = {"NOTES.md": "[x](missing.md) [y](docs/gone.md)\n", "README.md": "[z](GONE.md)\n"}
    rewrites, broken = plan_rewrites([Move("NOTES.md", "docs/archive/NOTES.md", True)],
                                     documents, {"NOTES.md", "README.md", "."}.__contains__)
    assert rewrites == []
    assert [(b.path, b.line, b.destination) for b in broken] == [
        ("NOTES.md", 1, "missing.md"), ("NOTES.md", 1, "docs/gone.md"), ("README.md", 1, "GONE.md")]


def test_mkdocs_nav_is_rewritten_relative_to_docs_dir() -> None:
    documents = {"mkdocs.yml": "docs_dir: .\nnav:\n  - Home: README.md\n  - Plan: PLAN.md\n"}
    result = rewrite(documents, {"PLAN.md": "docs/archive/PLAN.md"}, {"README.md"})
    assert result["mkdocs.yml"] == (
        "docs_dir: .\nnav:\n  - Home: README.md\n  - Plan: docs/archive/PLAN.md\n")


def test_code_and_anchors_are_left_alone() -> None:
    documents = {"README.md": "```\n[n](NOTES.md)\n```\n`[n](NOTES.md)` [n](NOTES.md#top)\n"}
    result = rewrite(documents, {"NOTES.md": "docs/archive/NOTES.md"})
    assert result["README.md"] == (
        "```\n[n](NOTES.md)\n```\n`[n](NOTES.md)` [n](docs/archive/NOTES.md#top)\n")


@given(st.lists(st.sampled_from(["a", "b", "docs", "x y"]), max_size=4),
       st.lists(st.sampled_from(["a", "b", "docs", "x y"]), max_size=4))
def test_relative_link_agrees_with_relpath(target: list[str], folder: list[str]) -> None:
    target_path, folder_path = "/".join(target) or ".", "/".join(folder) or "."
    assert relative_link(target_path, folder_path, False) == posixpath.relpath(
        target_path, folder_path)


# ---------------------------------------------------------------- names and forms Markdown reads its own way


class _Hrefs(HTMLParser):
    """The href values of HTML, as a browser reads them (character references decoded)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [value or "" for name, value in attrs if name == "href"]


def rendered_targets(text: str) -> list[str]:
    """The file each link of Markdown TEXT leads to, as Python-Markdown (MkDocs) renders it
    and a browser follows it: the href's path, percent-decoded."""
    parser = _Hrefs()
    parser.feed(markdown.markdown(text))
    return [unquote(urlsplit(href).path) for href in parser.found]


ODD = "ab #?%&()<>\\'\"\t[]!é"


@given(st.text(alphabet=ODD, min_size=1, max_size=8).filter(lambda s: s.strip(" \t") == s),
       st.sampled_from(["inline", "angle", "reference", "html"]))
def test_rewritten_links_lead_where_markdown_says_they_do(stem: str, form: str) -> None:
    name = f"{stem}.md"
    written = encode(name, Link(0, 0, 1, "", "html" if form == "html" else "inline", form == "angle"))
    line = {"inline": f"[n]({written})\n", "angle": f"[n](<{written}>)\n",
            "reference": f"[n][r]\n\n[r]: {written}\n", "html": f'<a href="{written}">n</a>\n'}[form]
    assume(rendered_targets(line) == [name])  # the original link works as Markdown reads it
    result = rewrite({"README.md": line}, {name: f"docs/archive/{name}"})
    assert rendered_targets(result["README.md"]) == [f"docs/archive/{name}"]


def test_escaped_and_character_reference_forms_are_followed() -> None:
    documents = {"README.md": "[e](p\\(1\\).md) [h](p&#40;1&#41;.md) [a](a&amp;b.md)\n"}
    result = rewrite(documents, {"p(1).md": "docs/archive/p(1).md", "a&b.md": "docs/archive/a&b.md"})
    assert result["README.md"] == ("[e](docs/archive/p%281%29.md) [h](docs/archive/p%281%29.md) "
                                   "[a](docs/archive/a%26b.md)\n")


def test_reference_definitions_in_block_quotes_are_rewritten() -> None:
    documents = {"README.md": "> see [a][q]\n>\n> [q]: notes.md\n>> [r]: <notes.md>\n"}
    result = rewrite(documents, {"notes.md": "docs/archive/notes.md"})
    assert result["README.md"] == ("> see [a][q]\n>\n> [q]: docs/archive/notes.md\n"
                                   ">> [r]: <docs/archive/notes.md>\n")


def test_code_in_block_quotes_and_deep_in_list_items_is_left_alone() -> None:
    text = ("> ~~~\n> [a](A.md)\n> ~~~\n\n"
            "> ```\n> [b](B.md)\n\n[c](C.md) after the quote ended the fence\n\n"
            ">     [d](D.md) indented code in a quote\n\n"
            "* item\n\n        [e](E.md) code in the item (8 columns)\n\n"
            "* item\n\n      [f](F.md) text of the item (6 columns: Python-Markdown)\n")
    assert destinations(text) == ["C.md", "F.md"]


def test_a_list_ends_at_a_fence_or_a_quote_at_the_margin() -> None:
    # After the list, 4 columns are indented code again (Python-Markdown and CommonMark).
    assert destinations("- item\n\n```\n[a](A.md)\n```\n\n    [b](B.md)\n") == []
    assert destinations("- item\n\n>     [c](C.md)\n") == []
    assert destinations("- item\n\n    [d](D.md) still the item\n") == ["D.md"]
