"""`readiness build --flavor commonmark`: plain CommonMark / GitHub Markdown, pictures as SVG files."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from readiness.pages.commonmark import to_commonmark
from readiness.pages.generated import MARKER, is_marker_line
from tests.support import EXAMPLE
from tests.support.pages import hostile_yaml
from tests.test_build import run


def build(tmp_path: Path, text: str) -> Path:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "readiness.yaml").write_text(text)
    (tmp_path / ".git").mkdir()
    code, output = run(["build", "--flavor", "commonmark", "--out", "out"], tmp_path)
    assert code == 0, output
    return tmp_path / "out"


def test_commonmark_pages_hold_no_material_syntax_and_every_picture_is_a_file(tmp_path: Path) -> None:
    out = build(tmp_path, EXAMPLE.read_text())
    pages = sorted(out.glob("*.md"))
    assert {p.name for p in pages} >= {"executive-summary.md", "production-tracker.md", "runbook.md"}
    linked = set()
    for page in pages:
        text = page.read_text()
        for syntax in ("!!!", "???", "{ #", "<svg"):
            assert syntax not in text, (page.name, syntax)
        for target in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text):
            assert target.endswith(".svg"), target
            assert (out / target).is_file(), (page.name, target)
            linked.add(target)
        # anchors other pages link to are still there, as HTML ids
        if page.name == "production-tracker.md":
            assert '### Wallet service test coverage <a id="task-wallet-tests"></a>' in text
            assert '<a id="task-observability"></a>' in text  # a done task, collapsed
            assert "<details><summary>Observability and CI security guards · done 2025-11-20" in text
            assert "> **Claimed but unverified**" in text
    assert "executive-summary-score-ladder.svg" in linked
    assert linked == {p.name for p in out.glob("*.svg")} - {"readiness.svg"}  # the badge is not a picture
    for name in linked:
        svg = (out / name).read_text()
        assert is_marker_line(svg.splitlines()[0])  # build may replace it, and never a file of the user's
        root = ET.fromstring(svg)  # well-formed XML, the comment before the root element
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.get("width")
        assert root.get("height")
    # the same build again changes nothing; --check agrees
    assert run(["build", "--flavor", "commonmark", "--out", "out"], tmp_path)[1].splitlines()[-1].startswith(
        "0 pages written")
    assert run(["build", "--flavor", "commonmark", "--out", "out", "--check"], tmp_path)[0] == 0


def outside_code(text: str) -> str:
    """TEXT without its fenced code blocks (their content is shown as written, never as HTML)."""
    kept, fence = [], ""
    for line in text.splitlines():
        opening = re.match(r"^(`{3,}|~{3,})", line)
        if fence:
            if line.strip() == fence:
                fence = ""
        elif opening:
            fence = opening.group(1)
        else:
            kept.append(line)
    return "\n".join(kept)


def test_hostile_strings_stay_text_in_commonmark(tmp_path: Path) -> None:
    out = build(tmp_path, hostile_yaml())
    for page in out.glob("*.md"):
        text = outside_code(page.read_text())
        assert "<script>" not in text, page.name
        assert "<svg" not in text, page.name
    for svg in out.glob("*-*.svg"):
        ET.fromstring(svg.read_text())


def test_blocks_convert_with_their_bodies() -> None:
    page = (f"{MARKER}\n# T\n\n!!! warning \"Careful\"\n\n    Body *one*.\n\n    ```bash\n    run\n    ```\n\n"
            "After.\n\n??? success \"Done &#58; x\"\n\n    !!! note\n\n        Inner.\n\n"
            "## Head { #head-id }\n\n[](){ #anchor }\n")
    out = to_commonmark({"p.md": page})["p.md"]
    assert "> **Careful**\n>\n> Body *one*.\n>\n> ```bash\n> run\n> ```\n\nAfter." in out
    assert "<details><summary>Done &#58; x</summary>\n\n> **Note**\n>\n> Inner.\n\n</details>" in out
    assert '## Head <a id="head-id"></a>' in out
    assert '<a id="anchor"></a>' in out
