"""The MkDocs plugin: a strict build of the demo site, errors as one line, live reload under serve."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import readiness
from tests.support.pages import free_port, make_site
from tests.support.processes import stop

MKDOCS = [sys.executable, "-m", "mkdocs"]
# MkDocs runs in the site's folder: a relative PYTHONPATH=src would no longer find the code under
# test there, and an installed copy would be tested instead.
_UNDER_TEST = str(Path(readiness.__file__).resolve().parents[1])
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
       "PYTHONPATH": os.pathsep.join(p for p in (_UNDER_TEST, os.environ.get("PYTHONPATH")) if p)}


def mkdocs(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*MKDOCS, *args], cwd=site, capture_output=True, text=True, env=ENV, check=False,
                          timeout=180)


@pytest.mark.slow
def test_demo_site_builds_strict(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    done = mkdocs(site, "build", "--strict", "-d", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    summary = (tmp_path / "out" / "readiness" / "executive-summary" / "index.html").read_text()
    assert "78/100" in summary
    assert 'role="img"' in summary
    assert "edit/main/content/readiness.yaml" in summary  # "edit this page" opens the source
    assert (tmp_path / "out" / "readiness" / "launch-checklist" / "index.html").exists()
    assert "@media print" in (tmp_path / "out" / "readiness" / "readiness.css").read_text()
    assert 'href="../readiness.css"' in summary
    tracker = (tmp_path / "out" / "readiness" / "production-tracker" / "index.html").read_text()
    assert '<details class="success" id="' not in tracker  # the task's id is on its own anchor
    assert tracker.count("<details") >= 8  # done tasks, collapsed
    assert 'id="task-observability"' in tracker
    assert not (site / "docs" / "readiness").exists()  # pages live in memory only
    for html in (tmp_path / "out").rglob("*.html"):
        text = html.read_text()
        assert "fonts.googleapis" not in text, html
        assert "cdn." not in text, html
        assert duplicate_ids(text) == [], html  # a picture must not reuse its heading's id


def duplicate_ids(text: str) -> list[str]:
    """The id attributes that occur more than once in an HTML document."""
    from html.parser import HTMLParser

    seen: list[str] = []

    class Ids(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            seen.extend(value for name, value in attrs if name == "id" and value is not None)

    Ids().feed(text)
    return sorted({i for i in seen if seen.count(i) > 1})


def test_duplicate_ids_are_found() -> None:
    assert duplicate_ids('<h2 id="timeline">T</h2><div class="readiness-picture" id="timeline"></div>'
                         '<p id="x"></p>') == ["timeline"]


@pytest.mark.slow
@pytest.mark.parametrize("strict", [True, False])
def test_invalid_source_fails_with_one_line(tmp_path: Path, strict: bool) -> None:
    site = make_site(tmp_path / "site")
    source = site / "content" / "readiness.yaml"
    source.write_text(source.read_text().replace("priority: P1\n    status: pending\n    effort: 8\n",
                                                 "priority: P7x\n    status: pending\n    effort: 8\n", 1))
    done = mkdocs(site, "build", *(["--strict"] if strict else []), "-d", str(tmp_path / "out"))
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if "readiness.yaml:" in line]
    assert len(lines) == 1, done.stderr
    assert "content/readiness.yaml:" in lines[0]
    assert "tasks[11].priority: expected a priority P0 to P9" in lines[0]


@pytest.mark.slow
def test_a_role_naming_a_page_there_is_not_fails_the_build_at_its_line(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    source = site / "content" / "readiness.yaml"
    text = source.read_text()
    source.write_text(text.replace("pages: [executive-summary, start-here]",
                                   "pages: [executive-sumary, start-here]", 1))
    line = text.splitlines().index("    pages: [executive-summary, start-here]") + 1
    done = mkdocs(site, "build", "--strict", "-d", str(tmp_path / "out"))
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert f"content/readiness.yaml:{line}:" in done.stderr
    assert "executive-sumary" in done.stderr


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def wait_for(predicate, timeout: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


@pytest.mark.slow
def test_serve_reloads_when_the_source_changes(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    port = free_port()
    url = f"http://127.0.0.1:{port}/readiness/start-here/"
    server = subprocess.Popen([*MKDOCS, "serve", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=site, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_for(lambda: "Wallet service" in fetch(url)), "mkdocs serve did not come up"
        source = site / "content" / "readiness.yaml"
        source.write_text(source.read_text().replace("name: Wallet service", "name: Ledger service", 1))
        assert wait_for(lambda: "Ledger service" in fetch(url)), "the page did not change"
        # a broken source keeps the last good pages up and says why in the terminal
        source.write_text(source.read_text().replace("as_of: 2025-11-27", "as_of: someday", 1))
        time.sleep(3)
        assert "Ledger service" in fetch(url)
    finally:
        output = stop(server, 20)
    assert "content/readiness.yaml:" in output
    assert "project.as_of" in output


def test_the_evidence_file_beside_the_source_is_watched(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from readiness.plugin import ReadinessPlugin

    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "readiness.yaml").write_text("")
    (tmp_path / "content" / "evidence.yaml").write_text("")
    plugin = ReadinessPlugin()
    plugin.load_config({})
    config = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"), watch=[],
                             markdown_extensions=["toc", "admonition"], extra_css=[])
    plugin.on_config(config)
    assert str(tmp_path / "content" / "evidence.yaml") in config.watch
    assert str(tmp_path / "content" / "readiness.yaml") in config.watch
    # the extensions the pages are written for, each once, and their stylesheet
    assert config.markdown_extensions == ["toc", "admonition", "attr_list", "pymdownx.details"]
    assert config.extra_css == ["readiness/readiness.css"]


def test_under_serve_the_files_a_commit_rewrites_are_watched(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from readiness.plugin import ReadinessPlugin
    from tests.support.site import small_site

    def watched(site: Path, command: str) -> set[str]:
        plugin = ReadinessPlugin()
        plugin.load_config({})
        plugin.on_startup(command=command, dirty=False)
        config = SimpleNamespace(config_file_path=str(site / "mkdocs.yml"), watch=[], markdown_extensions=[],
                                 extra_css=[])
        plugin.on_config(config)
        return set(config.watch)

    site = small_site(tmp_path / "site")
    git_dir = (site / ".git").resolve()
    commit_files = {str(git_dir / name) for name in ("HEAD", "logs/HEAD", "refs/heads/main")}
    assert watched(site, "serve") == watched(site, "build") | commit_files
    assert str(git_dir / "index") not in watched(site, "serve")  # `git status` rewrites it: no rebuild loops
    # outside a repository, nothing more
    (tmp_path / "alone" / "content").mkdir(parents=True)
    (tmp_path / "alone" / "content" / "readiness.yaml").write_text("")
    assert watched(tmp_path / "alone", "serve") == {str(tmp_path / "alone" / "content" / "readiness.yaml")}


@pytest.mark.slow
def test_serve_follows_a_new_commit_in_the_score_chart(tmp_path: Path) -> None:
    from tests.support.git import git
    from tests.support.site import small_site

    site = small_site(tmp_path / "site")
    source = site / "content" / "readiness.yaml"
    source.write_text(source.read_text().replace("name: Demo service", "name: Demo service two", 1))
    git(site, "commit", "-q", "-am", "second state")
    port = free_port()
    url = f"http://127.0.0.1:{port}/readiness/executive-summary/"
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen([*MKDOCS, "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=site, env=ENV,
                                  stdout=output, stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_for(lambda: "2 commits" in fetch(url)), "mkdocs serve did not come up with the chart"
        # a save rebuilds the page; the chart still shows the committed states only
        source.write_text(source.read_text().replace("name: Demo service two", "name: Demo service three", 1))
        assert wait_for(lambda: "Demo service three" in fetch(url)), "the saved source was not shown"
        assert "2 commits" in fetch(url)
        # committing the saved file changes no file in the work tree: the chart follows all the same
        git(site, "commit", "-q", "-am", "third state")
        assert wait_for(lambda: "3 commits" in fetch(url)), f"no new chart:\n{log.read_text()}"
        # once; and `git status` (which may rewrite the index) rebuilds nothing
        time.sleep(2)
        builds = log.read_text().count("Building documentation")
        assert builds == 3, log.read_text()
        git(site, "status", "--short")
        git(site, "update-index", "--really-refresh")
        time.sleep(3)
        assert log.read_text().count("Building documentation") == builds
        # the first evidence file `readiness verify` writes, which did not exist when serve started
        (site / "content" / "evidence.yaml").write_text("version: 1\ntasks: {}\n")
        assert wait_for(lambda: log.read_text().count("Reloading browsers") == builds), log.read_text()
    finally:
        server.terminate()
        server.wait(timeout=20)
