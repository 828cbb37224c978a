"""Property: whatever state the strays are in (staged, changed, untracked, new, linked or
not), cleanup either refuses and changes nothing, or moves them keeping what is staged and
what is not, and undo then puts back the exact tree and index."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.cleanup import GitRepo, make_repo

ARCHIVE = "docs/archive"
NAMES = ["NOTES.md", "b c.md", "Ünï.md", "-d.md", "plan.markdown"]
# committed as is; committed then changed and staged; committed then changed, not staged;
# both; never committed (untracked); new and staged.
STATES = ["clean", "staged", "unstaged", "both", "untracked", "added"]
EXAMPLES = 200 if os.environ.get("READINESS_FUZZ_PROFILE") == "long" else 12


@st.composite
def strays(draw: st.DrawFn) -> list[tuple[str, str, bool, bool]]:
    """(name, state, README links to it, it links to docs/guide.md) for some of NAMES."""
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=len(NAMES), unique=True))
    return [(name, draw(st.sampled_from(STATES)), draw(st.booleans()), draw(st.booleans()))
            for name in names]


def _link(name: str) -> str:
    return name.replace(" ", "%20")


def _build(repo: GitRepo, chosen: list[tuple[str, str, bool, bool]]) -> None:
    readme = "# Project\n" + "".join(f"- [{n}]({_link(n)})\n" for n, _, linked, _ in chosen if linked)
    repo.write("README.md", readme)
    repo.write("docs/guide.md", "# Guide\n")
    repo.write("app.py", "print('app')\n")
    committed = [c for c in chosen if c[1] not in ("untracked", "added")]
    for name, _, _, links_out in committed:
        repo.write(name, f"# {name}\n" + ("See [the guide](docs/guide.md).\n" if links_out else ""))
    repo.commit()
    for name, state, _, links_out in chosen:
        body = f"# {name}\n" + ("See [the guide](docs/guide.md).\n" if links_out else "")
        if state in ("staged", "both", "added"):
            repo.write(name, body + "staged line\n")
            repo.git("add", "--", name)
        if state in ("unstaged", "both"):
            repo.write(name, repo.read(name) + "unstaged line\n")
        if state == "untracked":
            repo.write(name, body)
    repo.write("app.py", "print('work in progress, not staged')\n")


def _staged(repo: GitRepo, path: str) -> str | None:
    listed = repo.git("ls-files", "-s", "--", path)
    return listed.split()[1] if listed else None


@settings(max_examples=EXAMPLES, deadline=None)
@given(chosen=strays(), include_untracked=st.booleans())
def test_cleanup_keeps_every_state_and_undo_restores_it(chosen: list[tuple[str, str, bool, bool]],
                                                        include_untracked: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        repo = make_repo(Path(folder))
        _build(repo, chosen)
        before = repo.snapshot()
        staged_before = {name: _staged(repo, name) for name, *_ in chosen}
        text_before = {name: repo.read(name) for name, *_ in chosen}
        args = ["cleanup", "--yes", *(["--include-untracked"] if include_untracked else [])]
        result = repo.run(*args)
        if result.returncode == 4:  # a file to rewrite has unstaged changes: nothing changes
            assert "unstaged changes" in result.stderr
            assert repo.snapshot() == before
            return
        assert result.returncode == 0, result.stderr
        if all(state == "untracked" for _, state, _, _ in chosen) and not include_untracked:
            assert "Nothing to archive" in result.stdout
            assert repo.snapshot() == before
            return
        rewritten = {name for name, _, _, links_out in chosen if links_out}
        for name, state, _, _ in chosen:
            moved = state != "untracked" or include_untracked
            where = f"{ARCHIVE}/{name}" if moved else name
            assert (repo.root / where).exists(), where
            if not moved:
                continue
            assert not (repo.root / name).exists()
            assert _staged(repo, name) is None
            if state == "untracked":
                assert _staged(repo, where) is None  # moved, still untracked
            elif name in rewritten:
                assert repo.git("diff", "--name-only", "--", where) == ""  # all of it staged
            else:
                assert _staged(repo, where) == staged_before[name]  # staged text kept
                assert repo.read(where) == text_before[name]  # unstaged text kept
        assert repo.read("app.py") == "print('work in progress, not staged')\n"
        assert _staged(repo, "app.py") is not None
        assert "app.py" in repo.git("diff", "--name-only")  # other work left as it was
        undone = repo.run("cleanup", "--undo", "--yes")
        assert undone.returncode == 0, undone.stderr
        assert repo.snapshot() == before
