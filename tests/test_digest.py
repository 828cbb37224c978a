"""The digest cache: `readiness commit` reuses what another command learnt of the same bytes.

A remembered digest must give exactly the message validation gives, must spare commit the
import of pydantic (that is what it is for), and must never be trusted when it is damaged,
made by other code, or turned off.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from readiness import digest
from readiness.commit.message import BLOCKED, DONE, IN_PROGRESS
from readiness.source.loader import load_text
from readiness.source.models import Status
from tests.support.commit import BASE, SOURCE, edit, make_repo
from tests.support.git import git, isolated_env

DONE_TEXT = edit(BASE, "rate-limit", "status", "done")

# Runs the real command line in-process and reports whether pydantic was imported.
PROBE = """
import sys
from readiness.cli.main import main
code = 0
try:
    main(sys.argv[1:])
except SystemExit as done:
    code = done.code
print("PYDANTIC" if "pydantic" in sys.modules else "NO-PYDANTIC", file=sys.stderr)
sys.exit(code)
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    for key in list(os.environ):
        if key.startswith("GIT_") or key == "READINESS_CACHE_DIR":
            monkeypatch.delenv(key)
    for key, value in isolated_env(home).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("READINESS_CACHE_DIR", str(tmp_path / "cache"))
    return make_repo(tmp_path / "repo")


def probe(repo: Path, *args: str) -> tuple[bool, subprocess.CompletedProcess[str]]:
    """Run `readiness ARGS` in REPO; (whether pydantic was imported, the process)."""
    result = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=repo, capture_output=True,
                            text=True, input="", check=False)
    last = result.stderr.strip().splitlines()[-1]
    return last.startswith("PYDANTIC"), result


def cache_entries(repo: Path) -> list[Path]:
    return sorted((repo.parent / "cache" / "digests").glob("*.json"))


def test_status_values_in_the_message_module_are_the_models_values() -> None:
    assert {DONE, IN_PROGRESS, BLOCKED} <= {s.value for s in Status}


def test_a_digest_survives_its_json_form() -> None:
    made = digest.digest_of(load_text(DONE_TEXT))
    assert digest.Digest.from_json(json.loads(json.dumps(made.to_json()))) == made
    assert made.score > 0
    assert next(t.status for t in made.tasks) == "done"


def test_commit_after_check_reuses_the_digests_and_says_the_same(repo: Path) -> None:
    git_dir = repo / ".git"
    (repo / SOURCE).write_text(DONE_TEXT)
    imported, cold = probe(repo, "commit", "--dry-run")  # nothing remembered yet: validates
    assert imported
    assert cold.returncode == 0, cold.stderr
    assert len(cache_entries(repo)) == 2  # HEAD's version and the new one, remembered
    imported, warm = probe(repo, "commit", "--dry-run")
    assert not imported, "commit validated a source it had a digest of"
    assert warm.stdout == cold.stdout
    assert "rate-limit" in warm.stdout
    imported, done = probe(repo, "commit", "--yes")
    assert not imported
    assert done.returncode == 0, done.stderr
    subject = git(repo, "log", "-1", "--format=%s")
    assert subject.startswith("docs(readiness): P0 rate-limit done"), subject
    assert not (git_dir / "READINESS_COMMIT_MSG").exists()


def test_check_status_and_mark_remember_for_commit(repo: Path) -> None:
    assert probe(repo, "status")[1].returncode == 0  # the version at HEAD, seen once
    for command in (["check"], ["status"]):
        (repo / SOURCE).write_text(edit(BASE, "health", "title", f"Health checks ({command[0]})"))
        assert probe(repo, *command)[1].returncode == 0
        assert probe(repo, "commit", "--yes")[0] is False  # both versions were seen: no validation
    imported, marked = probe(repo, "mark", "runbook", "done")
    assert marked.returncode == 0, marked.stderr
    imported, committed = probe(repo, "commit", "--yes")
    assert not imported
    assert committed.returncode == 0, committed.stderr


def test_pages_made_for_mkdocs_remember_for_commit(repo: Path) -> None:
    from readiness.pages.site import generate

    assert probe(repo, "status")[1].returncode == 0  # the version at HEAD, seen once
    (repo / SOURCE).write_text(DONE_TEXT)
    pages = generate(repo / SOURCE, repo, history=False)  # what the plugin does on each build
    assert pages
    imported, committed = probe(repo, "commit", "--yes")
    assert not imported, "commit validated a source the site had just read"
    assert committed.returncode == 0, committed.stderr


HOUSEKEEPING = """housekeeping:
  archive: old/notes
  keep: [ROADMAP.md]
  keep_patterns: ["KEEP_*"]
  group_by: pattern
  groups:
    - pattern: "SPRINT_*"
      folder: sprints
"""


def test_a_digest_keeps_every_housekeeping_setting() -> None:
    made = digest.digest_of(load_text(BASE + HOUSEKEEPING))
    assert (made.archive, made.keep, made.keep_patterns, made.group_by, made.groups) == (
        "old/notes", ("ROADMAP.md",), ("KEEP_*",), "pattern", (("SPRINT_*", "sprints"),))
    assert digest.Digest.from_json(json.loads(json.dumps(made.to_json()))) == made


def test_cleanup_follows_the_settings_from_a_remembered_digest(repo: Path) -> None:
    (repo / SOURCE).write_text(BASE + HOUSEKEEPING)
    for name in ("ROADMAP.md", "KEEP_THIS.md", "SPRINT_1.md", "NOTES.md"):
        (repo / name).write_text(f"# {name}\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "docs: notes")
    imported, cold = probe(repo, "cleanup", "--dry-run", "--format", "json")  # validates once
    assert imported
    assert cold.returncode == 0, cold.stderr
    imported, warm = probe(repo, "cleanup", "--dry-run", "--format", "json")
    assert not imported, "cleanup validated a source it had a digest of"
    assert warm.stdout == cold.stdout
    moves = {m["from"]: m["to"] for m in json.loads(warm.stdout)["moves"]}
    assert moves == {"NOTES.md": "old/notes/NOTES.md", "SPRINT_1.md": "old/notes/sprints/SPRINT_1.md"}


def test_cleanup_refuses_an_invalid_source_every_time(repo: Path) -> None:
    (repo / SOURCE).write_text(BASE + "housekeeping:\n  group_by: sometimes\n")
    (repo / "NOTES.md").write_text("# notes\n")
    for _ in range(2):  # an invalid source is never remembered
        imported, refused = probe(repo, "cleanup", "--dry-run")
        assert imported
        assert refused.returncode == 3
        assert "group_by" in refused.stderr
    assert (repo / "NOTES.md").exists()


@pytest.mark.parametrize("damage", ["not json {", '{"format": 2}', '{"format": 99}',
                                     "TYPES"])
def test_a_damaged_entry_is_a_miss_never_trusted(repo: Path, damage: str) -> None:
    (repo / SOURCE).write_text(DONE_TEXT)
    _, expected = probe(repo, "commit", "--dry-run")
    for entry in cache_entries(repo):
        if damage == "TYPES":  # well-formed JSON, wrong types inside
            data = json.loads(entry.read_text())
            data["tasks"][0][3] = 7
            data["score"] = "high"
            entry.write_text(json.dumps(data))
        else:
            entry.write_text(damage)
    imported, again = probe(repo, "commit", "--dry-run")
    assert imported, "a damaged digest was used"
    assert again.stdout == expected.stdout


def test_a_digest_made_by_other_code_is_not_used(repo: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    code = tmp_path / "code"
    code.mkdir()
    package = Path(digest._CODE_DIR)
    for name in digest._CODE:
        (code / name).parent.mkdir(parents=True, exist_ok=True)
        (code / name).write_bytes((package / name).read_bytes())
    monkeypatch.setattr(digest, "_CODE_DIR", str(code))
    text = DONE_TEXT.encode()
    forged = digest.digest_of(load_text(edit(BASE, "health", "status", "done")))
    digest.remember(text, forged)  # a digest made by some code...
    assert digest.cached(text) == forged
    stamp = digest.key(text)
    (code / "figures" / "core.py").write_text("# another version of the figures\n")  # ...then the code changes
    assert digest.key(text) != stamp
    assert digest.cached(text) is None
    monkeypatch.setenv("READINESS_MAX_NODES", "1000")  # a limit changes what is valid, so the key
    assert digest.key(text) not in (stamp, digest.key(b""))


def test_the_cache_can_be_turned_off(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READINESS_CACHE_DIR", "off")
    (repo / SOURCE).write_text(DONE_TEXT)
    assert probe(repo, "check")[1].returncode == 0
    imported, result = probe(repo, "commit", "--yes")
    assert imported
    assert result.returncode == 0, result.stderr
    assert not (repo.parent / "cache").exists()


def test_an_unwritable_cache_is_skipped(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = repo.parent / "cache-is-a-file"
    blocker.write_text("not a folder\n")
    monkeypatch.setenv("READINESS_CACHE_DIR", str(blocker))
    (repo / SOURCE).write_text(DONE_TEXT)
    imported, result = probe(repo, "commit", "--yes")
    assert imported
    assert result.returncode == 0, result.stderr
    assert blocker.read_text() == "not a folder\n"


def test_an_invalid_source_is_reported_every_time(repo: Path) -> None:
    (repo / SOURCE).write_text(BASE.replace("status: pending", "status: finished", 1))
    for _ in range(2):
        _, result = probe(repo, "commit", "--yes")
        assert result.returncode == 3
        assert "status" in result.stderr
    assert cache_entries(repo) == []  # HEAD's version was not even needed


def test_the_cache_keeps_a_bounded_number_of_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                     ) -> None:
    monkeypatch.setenv("READINESS_CACHE_DIR", str(tmp_path / "cache"))
    made = digest.digest_of(load_text(BASE))
    for index in range(digest.KEEP + 5):
        digest.remember(f"{index}".encode(), made)
    assert len(list((tmp_path / "cache" / "digests").glob("*.json"))) <= digest.KEEP
    assert digest.cached(f"{digest.KEEP + 4}".encode()) == made  # the newest are kept
