"""Property: after the planned moves and rewrites, every link that worked still works."""

from __future__ import annotations

import posixpath

from hypothesis import given, settings
from hypothesis import strategies as st

from readiness.cleanup.links import find_links, relative_link, relative_target, resolve
from readiness.cleanup.plan import Move, plan_rewrites

ROOT_NAMES = ["A.md", "b c.md", "Ünï.md", "-d.md"]
OTHER_FILES = ["README.md", "docs/g.md", "docs/sub/h.md", "img/x.png"]
FILES = ROOT_NAMES + OTHER_FILES
DOCUMENTS = [f for f in FILES if f.endswith(".md")]
FORMS = ["[t]({})", "![i]({})", "[r]: {}", '<a href="{}">', "<{}>", "`[c]({})`"]


def write_link(form: str, source: str, target: str, anchor: bool) -> str:
    path = relative_link(target, posixpath.dirname(source), False)
    if form != "<{}>":
        path = path.replace(" ", "%20")
    return form.format(path + ("#part" if anchor else ""))


@st.composite
def repositories(draw: st.DrawFn) -> tuple[dict[str, str], list[Move]]:
    documents = {}
    for document in DOCUMENTS:
        lines = []
        for _ in range(draw(st.integers(0, 4))):
            target = draw(st.sampled_from([*FILES, "missing.md"]))
            form = draw(st.sampled_from(FORMS))
            lines.append(write_link(form, document, target, draw(st.booleans())))
        documents[document] = "\n\n".join(lines) + "\n"
    moved = draw(st.lists(st.sampled_from(ROOT_NAMES), unique=True))
    folder = draw(st.sampled_from(["docs/archive", "docs", "old/2026-01-01"]))
    return documents, [Move(name, f"{folder}/{name}", True) for name in moved]


def working(documents: dict[str, str], files: set[str]) -> dict[str, list[str]]:
    result = {}
    for path, text in documents.items():
        targets = []
        for link in find_links(text):
            target = relative_target(link.destination)
            resolved = resolve(path, target[0]) if target else None
            if resolved in files:
                targets.append(resolved)
        result[path] = targets
    return result


@settings(max_examples=200, deadline=None)
@given(repositories())
def test_no_working_link_breaks(repository: tuple[dict[str, str], list[Move]]) -> None:
    documents, moves = repository
    files = set(FILES)
    folders = {"."} | {posixpath.dirname(f) for f in FILES} | {"docs/sub", "docs", "img"}
    exists = (files | folders).__contains__
    rewrites, _ = plan_rewrites(moves, documents, exists)
    moved = {m.source: m.destination for m in moves}
    after = {moved.get(path, path): text for path, text in documents.items()}
    for rewrite in rewrites:
        after[rewrite.new_path] = rewrite.after
    files_after = {moved.get(f, f) for f in files}
    before_links = working(documents, files)
    after_links = working(after, files_after)
    for path, targets in before_links.items():
        assert after_links[moved.get(path, path)] == [moved.get(t, t) for t in targets], path
