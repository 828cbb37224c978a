"""The score badge: valid self-contained SVG, shields.io endpoint JSON, and safe writing."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from readiness.pages.badge import JSON_NAME, SVG_NAME, badge_svg, colour_name, is_ours, shields_endpoint
from tests.support.cli import run_cli, write_tree
from tests.support.sources import source_text

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("score", [0.0, 39.4, 77.5, 89.6, 100.0])
def test_the_svg_is_valid_xml_and_shows_the_score(score: float) -> None:
    svg = badge_svg(score)
    root = ET.fromstring(svg)
    shown = f"{int(score + 0.5)}/100"
    assert [t.text for t in root.iter(f"{SVG}text")] == ["readiness", shown]
    title = root.find(f"{SVG}title")
    assert title is not None
    assert title.text == f"readiness: {shown}"
    assert root.get("role") == "img"
    assert "href" not in svg
    assert "@import" not in svg
    assert "url(" not in svg


def test_the_shields_endpoint() -> None:
    assert shields_endpoint(77.5) == {"schemaVersion": 1, "label": "readiness", "message": "78/100",
                                      "color": "green"}
    assert [colour_name(s) for s in (95, 80, 65, 45, 10)] == ["brightgreen", "green", "yellow", "orange", "red"]


def _project(root: Path) -> None:
    tasks: list[dict[str, object]] = [{"id": "a", "status": "done", "priority": "P0"},
                                      {"id": "b", "status": "pending", "priority": "P2"}]
    write_tree(root, {"content/readiness.yaml": source_text(tasks)})
    (root / ".git").mkdir()


def test_badge_command_writes_and_rewrites_its_own_files(tmp_path: Path) -> None:
    _project(tmp_path)
    result = run_cli("badge", "--out", "badges", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    svg, data = tmp_path / "badges" / SVG_NAME, tmp_path / "badges" / JSON_NAME
    assert json.loads(data.read_text())["message"] == "75/100"
    assert is_ours(svg)
    assert is_ours(data)
    again = run_cli("badge", "--out", "badges", cwd=tmp_path)
    assert again.returncode == 0
    assert "badges up to date (75/100)" in again.stdout
    default = run_cli("badge", cwd=tmp_path)
    assert default.returncode == 0
    assert (tmp_path / "docs" / "readiness" / SVG_NAME).exists()  # the pages folder, as for build


@pytest.mark.parametrize("name", [SVG_NAME, JSON_NAME])
def test_badge_refuses_to_replace_a_file_it_did_not_write(tmp_path: Path, name: str) -> None:
    _project(tmp_path)
    write_tree(tmp_path, {f"badges/{name}": '{"schemaVersion": 1, "label": "mine", "message": "x"}\n'})
    result = run_cli("badge", "--out", "badges", cwd=tmp_path)
    assert result.returncode == 4
    assert result.stderr.strip().startswith("readiness: badges/" + name + " exists and was not written")
    assert (tmp_path / "badges" / name).read_text().startswith('{"schemaVersion": 1, "label": "mine"')
    others = {SVG_NAME, JSON_NAME} - {name}
    assert not any((tmp_path / "badges" / other).exists() for other in others)  # nothing half-done


def test_badges_and_built_pages_are_readable_by_others_as_the_umask_says(tmp_path: Path) -> None:
    """A badge served by a web server running as another user must not be 0600."""
    import os
    import stat
    import subprocess
    import sys

    _project(tmp_path)

    def run(*args: str, umask: int) -> None:
        done = subprocess.run([sys.executable, "-m", "readiness", *args], cwd=tmp_path, capture_output=True,
                              text=True, check=False, preexec_fn=lambda: os.umask(umask))
        assert done.returncode == 0, done.stderr

    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    run("badge", "--out", "badges", umask=0o022)
    run("build", "--out", "pages", umask=0o022)
    written = [tmp_path / "badges" / SVG_NAME, tmp_path / "badges" / JSON_NAME, tmp_path / "pages" / "index.md"]
    assert [mode(p) for p in written] == [0o644] * 3
    run("badge", "--out", "strict", umask=0o077)
    assert mode(tmp_path / "strict" / SVG_NAME) == 0o600  # the umask is obeyed, not overridden
    # a replaced file keeps the mode its owner gave it
    (tmp_path / "badges" / SVG_NAME).chmod(0o640)
    (tmp_path / "content" / "readiness.yaml").write_text(
        (tmp_path / "content" / "readiness.yaml").read_text().replace('"pending"', '"done"'))
    run("badge", "--out", "badges", umask=0o022)
    assert "100/100" in (tmp_path / "badges" / SVG_NAME).read_text()
    assert mode(tmp_path / "badges" / SVG_NAME) == 0o640


@pytest.mark.parametrize(("link", "args"), [
    ("docs", []),  # the default folder is a link out of the repository
    ("badges", ["--out", "badges"]),
    ("docs", ["--out", "docs/sub"]),  # a folder on the way
])
def test_badge_refuses_a_folder_that_is_a_link(tmp_path: Path, link: str, args: list[str]) -> None:
    repo, elsewhere = tmp_path / "repo", tmp_path / "elsewhere"
    repo.mkdir()
    elsewhere.mkdir()
    _project(repo)
    (repo / link).symlink_to(elsewhere, target_is_directory=True)
    result = run_cli("badge", *args, cwd=repo)
    assert result.returncode == 4, result.stderr
    assert result.stderr == (f"readiness: {link} is a symbolic link: refusing to write through it (the files "
                             f"would go to {elsewhere.resolve()}); make it a real folder, or choose another "
                             f"--out\n")
    assert list(elsewhere.rglob("*")) == []  # nothing written outside the repository


def test_badge_refuses_a_link_from_outside_into_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _project(repo)
    (repo / "docs").mkdir()
    (tmp_path / "into").symlink_to(repo / "docs", target_is_directory=True)
    result = run_cli("badge", "--out", str(tmp_path / "into"), cwd=repo)
    assert result.returncode == 4, result.stderr
    assert "leads into the repository through a symbolic link" in result.stderr
    assert list((repo / "docs").iterdir()) == []


def test_badge_writes_where_it_is_told_outside_the_repository(tmp_path: Path) -> None:
    repo, elsewhere = tmp_path / "repo", tmp_path / "elsewhere"
    repo.mkdir()
    _project(repo)
    result = run_cli("badge", "--out", str(elsewhere), cwd=repo)
    assert result.returncode == 0, result.stderr
    assert (elsewhere / SVG_NAME).exists()
