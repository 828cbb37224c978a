"""The commands as a user runs them: real processes, exit codes, output."""

from __future__ import annotations

import html
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import EXAMPLE, ROOT
from tests.support.cli import drain_terminal, run_cli, write_tree
from tests.support.git import git, new_repo
from tests.support.sources import source_text


def test_check_valid_example() -> None:
    result = run_cli("check", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert "valid; score 78/100, 8 of 21 tasks done" in result.stdout


def test_check_json_carries_the_figures() -> None:
    result = run_cli("check", "--format", "json", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["score"] == 78
    assert data["projections"] == {"P0": 88, "P1": 93, "P2": 97, "P3": 100}
    assert data["tasks"]["percent"] == 38.1
    assert data["remaining_hours_by_priority"]["P0"] == {"low": 34.0, "high": 34.0, "unestimated": 0}
    assert [m["id"] for m in data["milestones"]] == ["beta", "production", "excellence"]


def test_min_score_gate() -> None:
    assert run_cli("check", str(EXAMPLE), "--min-score", "78").returncode == 0
    failed = run_cli("check", str(EXAMPLE), "--min-score", "80")
    assert failed.returncode == 1
    assert failed.stderr.strip() == "readiness: score 78 is below the minimum 80"


def test_status_without_a_terminal_has_no_colour() -> None:
    result = run_cli("status", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "\x1b[" not in result.stdout
    assert "Score       78/100" in result.stdout
    assert "after P0   88/100" in result.stdout
    lines = result.stdout.splitlines()
    beta = lines.index("  Controlled beta (target 88/100, reaches 88/100, due 2025-12-04): NO-GO, on track")
    assert lines[beta + 1:beta + 3] == ["    expected 2025-12-03", "    - 4 required tasks open (34\u00a0h)"]
    assert "P0 rls-audit-run" in result.stdout
    assert "0 of 8 done tasks verified, 6 claimed but unverified" in result.stdout
    assert "  build-order: missing package.json, turbo.json" in result.stdout


def _on_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run the CLI with a pseudo-terminal as stdout and return what it printed."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "readiness", *args], cwd=ROOT, stdout=follower,
                               stderr=follower, env={**os.environ, "TERM": "xterm", **env})
    os.close(follower)
    return drain_terminal(leader, process).decode()


def test_status_colours_a_terminal_unless_no_color() -> None:
    assert "\x1b[" in _on_terminal(["status"], {})
    assert "\x1b[" not in _on_terminal(["status"], {"NO_COLOR": "1"})
    assert "\x1b[" in _on_terminal(["status"], {"NO_COLOR": ""})  # empty: as if unset


def test_force_color_colours_a_pipe_unless_no_color() -> None:
    assert "\x1b[" in run_cli("status", cwd=ROOT, env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[" not in run_cli("status", cwd=ROOT, env={"FORCE_COLOR": ""}).stdout
    assert "\x1b[" not in run_cli("status", cwd=ROOT, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout


@pytest.mark.parametrize(("terminal", "environ", "wanted"), [
    (True, {}, True), (False, {}, False), (True, {"TERM": "dumb"}, False),
    (True, {"NO_COLOR": ""}, True), (True, {"NO_COLOR": "0"}, False),
    (False, {"FORCE_COLOR": "0"}, True), (False, {"FORCE_COLOR": ""}, False),
    (True, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
])
def test_colour_follows_the_conventions(terminal: bool, environ: dict[str, str], wanted: bool) -> None:
    from readiness.terminal import colour_wanted

    assert colour_wanted(terminal, environ) is wanted


def test_status_escapes_control_and_bidi_characters(tmp_path: Path) -> None:
    write_tree(tmp_path, {"content/readiness.yaml": (
        'project: {name: "Evil\\e[31m\\u202eName", as_of: 2025-01-01}\n'
        "phases: [{id: p, title: P}]\n")})
    result = run_cli("status", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert "\u202e" not in result.stdout
    assert "Evil\\x1b[31m\\u202eName" in result.stdout


def test_source_found_from_a_subfolder_and_from_mkdocs_config(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    write_tree(tmp_path, {"elsewhere/state.yaml": text, "docs/deep/x.md": "",
                          "mkdocs.yml": "site_name: x\nplugins:\n  - readiness:\n"
                                        "      source: elsewhere/state.yaml\n"})
    result = run_cli("check", cwd=tmp_path / "docs" / "deep")
    assert result.returncode == 0, result.stderr
    assert "state.yaml: valid" in result.stdout


def test_source_option_and_missing_default(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    result = run_cli("status", cwd=tmp_path)
    assert result.returncode == 3
    assert result.stderr == (
        "readiness: content/readiness.yaml: no such file (run `readiness init`, or pass --source)\n")
    named = run_cli("status", "--source", "nope.yaml", cwd=tmp_path)
    assert named.returncode == 3
    # Not a located problem (file:line:col), so it names the tool like every other error.
    assert named.stderr == "readiness: nope.yaml: no such file (run `readiness init`, or pass --source)\n"


def test_init_scaffolds_a_valid_project_and_never_overwrites(tmp_path: Path) -> None:
    first = run_cli("init", "--name", "Shop: API", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "mkdocs.yml").exists()
    assert run_cli("check", cwd=tmp_path).returncode == 0
    source = tmp_path / "content" / "readiness.yaml"
    source.write_text(source.read_text() + "# mine\n")
    (tmp_path / "docs" / "index.md").unlink()
    again = run_cli("init", cwd=tmp_path)
    assert again.returncode == 4
    assert "already exist: init never overwrites; nothing was created" in again.stderr
    assert source.read_text().endswith("# mine\n")
    assert not (tmp_path / "docs" / "index.md").exists()


@pytest.mark.parametrize(("args", "line"), [
    (["check", "--bogus"], "no such option '--bogus' (see readiness check --help)"),
    (["mark"], "missing argument 'TASK' (see readiness mark --help)"),
    (["check", "--format", "xml"],
     "invalid value for '--format': 'xml' is not one of 'text', 'json' (see readiness check --help)"),
    (["check", "--min-score", "abc"],
     "invalid value for '--min-score': 'abc' is not a valid float range (see readiness check --help)"),
    (["check", "--min-score", "101"],
     "invalid value for '--min-score': 101.0 is not in the range 0<=x<=100 (see readiness check --help)"),
    (["check", "--min-score", "nan"],
     "invalid value for '--min-score': 'nan' is not a number (see readiness check --help)"),
    (["check", "--min-score", "-NaN"],
     "invalid value for '--min-score': '-NaN' is not a number (see readiness check --help)"),
    (["verify", "--timeout", "nan"],
     "invalid value for '--timeout': 'nan' is not a number (see readiness verify --help)"),
    (["check", "--milestone", "nope"],
     "invalid value for --milestone: no milestone with id 'nope' (see readiness check --help)"),
    (["frobnicate"], "no such command 'frobnicate' (see readiness --help)"),
    (["check", "--bo\x1b[31mgus"], "no such option '--bo\\x1b[31mgus' (see readiness check --help)"),
    # click finds these while parsing, before a command has a context: the hint is still there
    (["check", "--min-score"], "option '--min-score' requires an argument (see readiness check --help)"),
    (["status", "--at"], "option '--at' requires an argument (see readiness status --help)"),
    (["build", "--out"], "option '--out' requires an argument (see readiness build --help)"),
    (["commit", "-m"], "option '-m' requires an argument (see readiness commit --help)"),
    (["--bogus"], "no such option '--bogus' (see readiness --help)"),
])
def test_a_usage_error_is_one_line_and_exit_2(args: list[str], line: str) -> None:
    result = run_cli(*args, cwd=ROOT)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"readiness: {line}\n")


def test_usage_error_exit_2_and_help() -> None:
    assert run_cli("check", "--format", "xml").returncode == 2
    alone = run_cli()
    assert alone.returncode == 2
    assert "Commands:" in alone.stderr  # `readiness` alone shows the help, as click does
    help_text = run_cli("--help")
    assert help_text.returncode == 0
    assert "3  the source file is invalid" in help_text.stdout


def test_python_dash_m_and_console_script_agree() -> None:
    script = Path(sys.executable).with_name("readiness")
    result = subprocess.run([str(script), "check", str(EXAMPLE)], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0
    assert result.stdout == run_cli("check", str(EXAMPLE)).stdout


def test_a_refusal_of_the_system_is_one_line(tmp_path: Path) -> None:
    write_tree(tmp_path, {"content/readiness.yaml": EXAMPLE.read_text(encoding="utf-8"), "afile": ""})
    (tmp_path / ".git").mkdir()
    result = run_cli("build", "--out", "afile/sub", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == "readiness: Not a directory: afile/sub"


def test_an_initialised_project_builds_its_site_strictly(tmp_path: Path) -> None:
    assert run_cli("init", "--name", 'Shop: "API" #1', cwd=tmp_path).returncode == 0
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=tmp_path,
                           capture_output=True, text=True, check=False,
                           env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert built.returncode == 0, built.stderr
    assert "WARNING" not in built.stderr, built.stderr
    summary = (tmp_path / "site" / "readiness" / "executive-summary" / "index.html").read_text()
    assert "Production readiness: 0/100" in summary
    home = (tmp_path / "site" / "index.html").read_text().replace("&quot;", '"')
    assert 'Shop: "API" #1 readiness' in home
    # the site settings the example uses: Start here first in the navigation, a light and a
    # dark scheme with a toggle, task lists drawn as boxes, and a home page linking every role's page
    navigation = re.findall(r'<a href="([^"]*)" class="md-nav__link', home)
    assert navigation[0] == "readiness/start-here/", navigation
    assert 'data-md-color-scheme="slate"' in home
    assert "Switch to dark mode" in home
    assert 'class="task-list-control"' in summary  # the sign-off criteria
    article = home.split('<article', 1)[1].split("</article>", 1)[0]
    for page in ("start-here", "executive-summary", "implementation-status", "production-tracker", "runbook"):
        assert f'href="readiness/{page}/"' in article, page


def test_an_initialised_home_page_shows_a_hostile_name_as_text(tmp_path: Path) -> None:
    name = "Shop <img src=x onerror=alert(1)> *bold* [link](javascript:x) #1 `code` \\ end"
    assert run_cli("init", "--name", name, cwd=tmp_path).returncode == 0
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=tmp_path,
                           capture_output=True, text=True, check=False,
                           env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert built.returncode == 0, built.stderr
    home = (tmp_path / "site" / "index.html").read_text()
    heading = home.split('<h1 id="', 1)[1].split("</h1>", 1)[0].split('<a class="headerlink"', 1)[0]
    for markup in ("<img", "<em>", "<a ", "<code>"):
        assert markup not in heading, heading
    shown = html.unescape(re.sub(r"<[^>]+>", "", heading.split(">", 1)[1]))
    assert shown.startswith(name + " readiness"), shown


# ---------------------------------------------------------------- a reader that leaves early


def _read_one_line_then_leave(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """Run the CLI into a real pipe, read one line and close the pipe, as `| head -1` does;
    its exit code, that line, and its standard error."""
    process = subprocess.Popen([sys.executable, "-m", "readiness", *args], cwd=cwd,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    assert process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    err = process.stderr.read()
    process.wait(timeout=120)
    return process.returncode, first.decode(), err.decode()


@pytest.fixture
def long_output(tmp_path: Path) -> Path:
    """A project whose `status --limit 2000` and `check --format json` print far more than a
    pipe holds (64 KiB), so the writer meets the closed pipe for certain."""
    git(tmp_path, "init", "-q")
    tasks = [{"id": f"task-{i:04d}", "title": f"A task with a title long enough to fill a line {i}",
              "effort": "2h"} for i in range(2000)]
    write_tree(tmp_path, {"content/readiness.yaml": source_text(tasks)})
    return tmp_path


def test_a_reader_that_leaves_early_is_not_an_error(long_output: Path) -> None:
    code, first, err = _read_one_line_then_leave(["status", "--limit", "2000"], long_output)
    assert first == "Demo — readiness as of 2025-11-27\n"
    assert (code, err) == (0, "")


def test_a_reader_that_leaves_early_does_not_hide_a_failed_gate(long_output: Path) -> None:
    code, first, err = _read_one_line_then_leave(
        ["check", "--format", "json", "--min-score", "50"], long_output)
    assert first == "{\n"
    assert (code, err) == (1, "readiness: score 0 is below the minimum 50\n")


# ---------------------------------------------------------------- an output that cannot be written

FULL = Path("/dev/full")
NO_SPACE = "readiness: cannot write the output: No space left on device\n"
needs_dev_full = pytest.mark.skipif(not FULL.exists(), reason="no /dev/full on this system")


@needs_dev_full
@pytest.mark.parametrize("args", [["status"], ["check"], ["check", "--ci"], ["history"],
                                  ["status", "--at", "HEAD"], ["commit", "--dry-run"], ["--help"],
                                  ["check", "--help"], ["--version"]])
def test_a_full_disk_under_the_output_is_one_line_and_exit_1(args: list[str], tmp_path: Path) -> None:
    repo = _committed_example(tmp_path)
    with FULL.open("w") as full:
        result = subprocess.run([sys.executable, "-m", "readiness", *args], cwd=repo, stdout=full,
                                stderr=subprocess.PIPE, text=True, check=False, timeout=120)
    assert (result.returncode, result.stderr) == (1, NO_SPACE)


@needs_dev_full
def test_a_full_disk_stops_a_commit_before_it_commits(tmp_path: Path) -> None:
    repo = _committed_example(tmp_path)
    source = repo / "content" / "readiness.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("as_of: 2025-11-27", "as_of: 2025-11-28"),
                      encoding="utf-8")
    head = git(repo, "rev-parse", "HEAD")
    with FULL.open("w") as full:
        result = subprocess.run([sys.executable, "-m", "readiness", "commit", "--yes"], cwd=repo, stdout=full,
                                stderr=subprocess.PIPE, text=True, check=False, timeout=120)
    assert (result.returncode, result.stderr) == (1, NO_SPACE)
    assert git(repo, "rev-parse", "HEAD") == head


@pytest.mark.parametrize("args", [["status"], ["check"], ["--help"], ["build"]])
def test_a_closed_output_is_one_line_and_exit_1(args: list[str], tmp_path: Path) -> None:
    repo = _committed_example(tmp_path)
    result = subprocess.run([sys.executable, "-m", "readiness", *args], cwd=repo, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, check=False, timeout=120,
                            preexec_fn=lambda: os.close(1))
    assert (result.returncode, result.stderr) == (1, "readiness: cannot write the output: standard output is "
                                                     "closed\n")
    if args == ["build"]:  # the pages were written, and nothing meant for the output went into them
        page = repo / "docs" / "readiness" / "index.md"
        assert page.read_text(encoding="utf-8").startswith("<!-- generated by readiness")
        assert "wrote" not in page.read_text(encoding="utf-8")


def test_a_closed_error_output_keeps_the_exit_code(tmp_path: Path) -> None:
    repo = _committed_example(tmp_path)
    for args, code in ((["check"], 0), (["check", "--min-score", "99"], 1), (["check", "nope.yaml"], 3)):
        result = subprocess.run([sys.executable, "-m", "readiness", *args], cwd=repo, capture_output=True,
                                text=True, check=False, timeout=120, preexec_fn=lambda: os.close(2))
        assert result.returncode == code, args


def _committed_example(tmp_path: Path) -> Path:
    """A repository holding the example source, committed."""
    repo = new_repo(tmp_path / "repo")
    write_tree(repo, {"content/readiness.yaml": EXAMPLE.read_text(encoding="utf-8")})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    return repo


# ---------------------------------------------------------------- questions


def _answer_on_terminal(args: list[str], cwd: Path, answer: str) -> tuple[int, str]:
    """Run the CLI on a pseudo-terminal (input and output), typing ANSWER; exit code and output."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "readiness", *args], cwd=cwd, stdin=follower,
                               stdout=follower, stderr=follower, env={**os.environ, "TERM": "dumb"})
    os.close(follower)
    os.write(leader, answer.encode())
    output = drain_terminal(leader, process).decode()
    return process.returncode, output


def test_cleanup_asks_about_one_file_in_the_singular(repo: Path) -> None:
    write_tree(repo, {"README.md": "[notes](NOTES.md)\n", "NOTES.md": "# Notes\n"})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    code, output = _answer_on_terminal(["cleanup"], repo, "n\n")
    assert "Move 1 file and rewrite 1 link? [y/N]" in output
    assert code == 8
    assert (repo / "NOTES.md").exists()
