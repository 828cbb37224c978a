"""`readiness build` replaces or removes only the pages it wrote, at their path, unchanged since.

Each page carries a seal on its last line (a hash of its path and bytes); a copy elsewhere,
a draft with the marker, or a page edited by hand has no valid seal and is never touched.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from readiness.errors import GateFailed, WouldLoseData
from readiness.pages.folder import sealed, write_pages
from readiness.pages.generated import MARKER
from tests.support import EXAMPLE
from tests.support.git import git, new_repo

PAGES = {"a.md": f"{MARKER}\none\n", "sub/b.md": f"{MARKER}\ntwo\n"}


def run(args: list[str], cwd: Path) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "readiness", *args], cwd=cwd, capture_output=True, text=True,
                          check=False)
    return done.returncode, done.stdout + done.stderr


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = new_repo(tmp_path / "repo")
    (root / "content").mkdir()
    (root / "content" / "readiness.yaml").write_text(EXAMPLE.read_text() + "  pages_dir: docs\n")
    code, output = run(["build"], root)
    assert code == 0, output
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "pages")
    return root


def test_copies_and_drafts_of_pages_elsewhere_are_never_removed(repo: Path) -> None:
    reports = repo / "docs" / "reports" / "2026-11"
    reports.mkdir(parents=True)
    shutil.copy(repo / "docs" / "start-here.md", reports / "start-here.md")  # committed copy
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "archive")
    draft = (repo / "docs" / "executive-summary.md").read_text() + "\nMy notes for the board.\n"
    (reports / "executive-summary.md").write_text(draft)  # an uncommitted draft
    (repo / "docs" / "legacy.md").write_text(f"{MARKER}\nkept by hand\n")  # marker, never written here
    code, output = run(["build"], repo)
    assert code == 0, output
    assert "removed" not in output.replace("0 removed", "")
    assert (reports / "start-here.md").read_bytes() == (repo / "docs" / "start-here.md").read_bytes()
    assert (reports / "executive-summary.md").read_text() == draft
    assert (repo / "docs" / "legacy.md").exists()
    assert run(["build", "--check"], repo)[0] == 0  # none of them counts as a stale page


def test_a_hand_edit_below_the_marker_is_detected_not_overwritten(repo: Path) -> None:
    page = repo / "docs" / "start-here.md"
    edited = page.read_text().replace("\n", "\nA line I added.\n", 3)
    page.write_text(edited)
    source = repo / "content" / "readiness.yaml"
    text = source.read_text()
    source.write_text(text.replace("status: pending\n    effort: 2\n", "status: done\n    effort: 2\n"))
    code, output = run(["build"], repo)
    assert code == 4, output
    assert len(output.strip().splitlines()) == 1
    assert "start-here.md" in output
    assert "edited" in output
    assert page.read_text() == edited
    code, output = run(["build", "--check"], repo)
    assert code == 4
    assert page.read_text() == edited


def test_an_edited_page_that_is_no_longer_generated_is_not_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_pages({**PAGES, "old.md": f"{MARKER}\nold\n"}, out)
    (out / "old.md").write_text((out / "old.md").read_text() + "my addition\n")
    with pytest.raises(WouldLoseData, match=r"old\.md: .*edited"):
        write_pages(PAGES, out)
    assert (out / "old.md").read_text().endswith("my addition\n")


def test_pages_written_and_unchanged_are_replaced_and_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_pages({**PAGES, "old.md": f"{MARKER}\nold\n"}, out)
    with pytest.raises(GateFailed, match=r"old\.md"):
        write_pages(PAGES, out, check=True)
    plan = write_pages({**PAGES, "a.md": f"{MARKER}\nchanged\n"}, out)
    assert plan.write == ["a.md"]
    assert plan.remove == ["old.md"]
    assert (out / "a.md").read_bytes() == sealed("a.md", f"{MARKER}\nchanged\n")


@pytest.mark.parametrize("how", ["copy", "move", "marker-only", "seal-of-other-content", "no-seal"])
def test_a_file_at_a_page_path_that_build_did_not_write_there_is_refused(tmp_path: Path, how: str) -> None:
    out = tmp_path / "out"
    write_pages(PAGES, out)
    original = (out / "sub" / "b.md").read_bytes()
    target = out / "a.md"
    if how == "copy":  # the page of another path copied over this one
        target.write_bytes(original)
    elif how == "move":
        (out / "sub" / "b.md").rename(target)
    elif how == "marker-only":
        target.write_text(f"{MARKER}\nmine\n")
    elif how == "seal-of-other-content":
        text = target.read_text()
        target.write_text(text.replace("one", "uno"))
    else:
        target.write_text(f"{MARKER}\none\n")
    before = target.read_bytes()
    with pytest.raises(WouldLoseData, match=r"a\.md"):
        write_pages({**PAGES, "a.md": f"{MARKER}\nchanged\n"}, out)
    assert target.read_bytes() == before


def test_a_hand_edit_saved_while_build_writes_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from readiness.pages import folder as pagefiles

    out = tmp_path / "out"
    write_pages(PAGES, out)
    planned = pagefiles.plan_pages

    def plan_then_edit(pages: dict[str, str], folder: Path) -> pagefiles.PagesPlan:
        plan = planned(pages, folder)
        with open(folder / "a.md", "ab") as handle:  # saved in place after build looked at it
            handle.write(b"my late note\n")
        return plan

    monkeypatch.setattr(pagefiles, "plan_pages", plan_then_edit)
    with pytest.raises(WouldLoseData, match="changed on disk"):
        write_pages({**PAGES, "a.md": f"{MARKER}\nchanged\n"}, out)
    assert (out / "a.md").read_text().endswith("my late note\n")
    assert not list(out.rglob("*.tmp"))


def test_a_named_pipe_where_a_page_goes_is_refused_without_blocking(tmp_path: Path) -> None:
    import os

    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "a.md")
    os.mkfifo(out / "stray.md")
    with pytest.raises(WouldLoseData, match="not a file"):
        write_pages(PAGES, out)
    (out / "a.md").unlink()
    assert write_pages(PAGES, out).remove == []  # the stray pipe is not ours: left alone
    assert (out / "stray.md").exists()
