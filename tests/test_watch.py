"""`readiness build --watch` rebuilds the pages on disk when the source, the evidence file or a
template changes; an invalid save is reported and the watch goes on; Ctrl-C ends it cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from readiness.files.watch import snapshot, watch
from tests.support.cli import run_cli
from tests.support.git import new_repo
from tests.support.sources import source_text

LIMIT = 30.0  # seconds: generous for a loaded machine; a change shows within a second normally


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + LIMIT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"not within {LIMIT:g} s: {what}")


def _pages_say(out: Path, text: str) -> bool:
    return out.is_dir() and any(text in page.read_text(encoding="utf-8") for page in out.glob("*.md"))


def _source(name: str) -> str:
    return source_text([{"id": "a", "effort": 2}]).replace('"Demo"', f'"{name}"')


@pytest.mark.slow
def test_watch_rebuilds_on_changes_reports_bad_saves_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    root = new_repo(tmp_path / "repo")
    source = root / "content" / "readiness.yaml"
    source.parent.mkdir()
    source.write_text(_source("Alpha"), encoding="utf-8")
    out = root / "site-pages"
    errors = tmp_path / "stderr.txt"
    written = tmp_path / "stdout.txt"  # one summary line ("... unchanged, ...") at the end of each build
    with errors.open("w") as stderr, written.open("w") as stdout:
        process = subprocess.Popen([sys.executable, "-m", "readiness", "build", "--watch", "--out", str(out)],
                                   cwd=root, stdout=stdout, stderr=stderr, env=os.environ.copy())
    try:
        _wait_for(lambda: _pages_say(out, "Alpha"), "the first build")
        _wait_for(lambda: "watching" in errors.read_text(), "the watching line")
        source.write_text(_source("Bravo"), encoding="utf-8")
        _wait_for(lambda: _pages_say(out, "Bravo"), "the pages show the saved source")
        # an invalid save: the located problem is printed, the pages stay, the watch goes on
        source.write_text(_source("Charlie").replace('"priority": "P0"', '"priority": "high"'),
                          encoding="utf-8")
        _wait_for(lambda: "tasks[0].priority" in errors.read_text(), "the problem of the invalid save")
        assert "content/readiness.yaml:" in errors.read_text()
        assert _pages_say(out, "Bravo")
        source.write_text(_source("Delta"), encoding="utf-8")
        _wait_for(lambda: _pages_say(out, "Delta"), "the pages after the fix")
        # a template of the project's own is watched too
        (root / "templates").mkdir()
        (root / "templates" / "extra.md.j2").write_text("# Extra\n\nEcho page.\n", encoding="utf-8")
        _wait_for(lambda: _pages_say(out, "Echo page."), "a new template's page")
        # Ctrl-C once that build has ended (in the middle of one it is an interruption, exit 130)
        _wait_for(lambda: written.read_text().count(" unchanged, ") >= 4, "the end of the fourth build")
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=LIMIT) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    said = errors.read_text()
    assert "Traceback" not in said
    assert said.rstrip().endswith("readiness: stopped watching")


def test_watch_and_check_do_not_go_together(tmp_path: Path) -> None:
    result = run_cli("build", "--watch", "--check", cwd=tmp_path)
    assert result.returncode == 2
    assert "cannot be combined with --check" in result.stderr


def test_a_burst_of_saves_gives_one_rebuild(tmp_path: Path) -> None:
    """The loop itself, with a clock of its own: rebuilds once at the start and once per settled change."""
    watched = tmp_path / "source.yaml"
    watched.write_text("1")
    builds: list[str] = []
    saves = iter(["2", "3", "4", None, None, None, None, "5", None, None, None])

    def sleep(seconds: float) -> None:
        text = next(saves, None)
        if text is not None:  # a save, with a time of its own (not within the clock's resolution)
            watched.write_text(text)
            os.utime(watched, ns=(0, int(text) * 10**9))

    watch([watched, tmp_path / "missing-folder"], lambda: builds.append(watched.read_text()),
          sleep=sleep, rounds=8)
    assert builds == ["1", "4", "5"]


def test_a_folder_is_watched_with_what_it_holds(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    assert snapshot([folder]) == {folder: None}
    (folder / "partials").mkdir(parents=True)
    (folder / "partials" / "x.md.j2").write_text("x")
    assert folder / "partials" / "x.md.j2" in snapshot([folder])
