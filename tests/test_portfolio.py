"""`readiness portfolio`: sources, globs and exports read one by one, rows sorted by risk, the gate,
and every figure equal to what `readiness check --format json` says of each project alone."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from readiness.portfolio.aggregate import RISK_ORDER
from readiness.portfolio.member import project_data
from readiness.portfolio.sources import expand
from tests.support.cli import run_cli
from tests.support.git import git, new_repo
from tests.support.portfolio import KINDS, monorepo, project_text, write

# 2025-11-28: the generated projects (as of 2025-11-27) are fresh, the old ones (2024) stale
EPOCH = {"SOURCE_DATE_EPOCH": "1764288000"}


def portfolio(cwd: Path, *args: str) -> tuple[int, str, str]:
    done = run_cli("portfolio", *args, cwd=cwd, env=EPOCH)
    return done.returncode, done.stdout, done.stderr


def test_rows_sorted_by_risk_invalid_reported_and_the_rest_read(tmp_path: Path) -> None:
    made = monorepo(tmp_path)
    code, out, err = portfolio(tmp_path, "services/*/readiness.yaml")
    assert code == 3, err
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["project", "score", "milestone"]
    names = [line.split()[0] for line in lines[1:]]
    assert sorted(names) == sorted(made)
    states = [next(s for s in sorted(RISK_ORDER, key=len, reverse=True) if f"  {s}  " in line)
              for line in lines[1:]]
    assert states == sorted(states, key=RISK_ORDER.index)  # worst first
    assert {name: state for name, state in zip(names, states, strict=True) if name.startswith("svc-")} == {
        f"svc-{k.replace(' ', '-')}": k for k in KINDS}
    stale = [line.split()[0] for line in lines[1:] if "(stale)" in line]
    assert stale == ["old-0"]
    # the invalid member: its own file:line:col line, then one summary line (exit 3: invalid source)
    err_lines = err.splitlines()
    assert err_lines[0].startswith("services/broken-0/readiness.yaml:4:9: phases: ")
    assert err_lines[-1] == "readiness: 1 source of the portfolio could not be read (8 read)"
    assert len(err_lines) == 2


def test_figures_equal_check_json_of_each_project_alone(tmp_path: Path) -> None:
    monorepo(tmp_path, invalid=0)
    write(tmp_path / "exports" / "billing.readiness.json",
          json.dumps(project_data(write(tmp_path / "billing" / "content" / "readiness.yaml",
                                        project_text("billing", "at risk", seed=5)))))
    code, out, err = portfolio(tmp_path, "--format", "json", "services/*/readiness.yaml", "exports/*.json")
    assert code == 0, err
    found = json.loads(out)
    assert found["schema_version"] == 1
    assert found["risk_order"] == list(RISK_ORDER)
    projects = found["projects"]
    assert len(projects) == 9
    assert [p["rank"] for p in projects] == list(range(1, 10))
    for project in projects:
        source = project["source"] if project["kind"] == "source" else "billing/content/readiness.yaml"
        check = run_cli("check", "--format", "json", source, cwd=tmp_path, env=EPOCH)
        alone = json.loads(check.stdout)
        alone.pop("gate")
        data = project["data"]
        # every value check prints is the same in the portfolio, exactly
        assert holds(data, alone), project["source"]
        shown = next(m for m in alone["milestones"] if m["state"] != "reached") if any(
            m["state"] != "reached" for m in alone["milestones"]) else alone["milestones"][-1]
        assert (project["score"], project["state"], project["eta"], project["milestone"]) == (
            alone["score"], shown["state"], shown["eta"], shown["id"])
        assert project["verified"] == alone["verification"]["verified"]


def holds(found: object, expected: object) -> bool:
    """FOUND has every key of EXPECTED (at every depth) with an equal value; it may have more keys
    (the assessment contract adds some: decision, reasons, blockers, plan)."""
    if isinstance(expected, dict):
        return isinstance(found, dict) and all(k in found and holds(found[k], v) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(found, list) and len(found) == len(expected) and all(
            holds(f, e) for f, e in zip(found, expected, strict=True))
    return found == expected and type(found) is type(expected)


def test_exports_of_other_schema_versions_are_refused_one_line_each(tmp_path: Path) -> None:
    data = project_data(write(tmp_path / "a" / "content" / "readiness.yaml", project_text("a", "on track")))
    write(tmp_path / "ci" / "good.readiness.json", json.dumps(data))
    old = {k: v for k, v in data.items() if k != "schema_version"}
    write(tmp_path / "ci" / "none.readiness.json", json.dumps(old))
    write(tmp_path / "ci" / "one.readiness.json", json.dumps({**old, "schema_version": 1}))
    write(tmp_path / "ci" / "three.readiness.json", json.dumps({**old, "schema_version": 3}))
    write(tmp_path / "ci" / "torn.readiness.json", '{"schema_version": 2,\n "project": ')
    write(tmp_path / "ci" / "shape.readiness.json", json.dumps({**data, "score": "high"}))
    code, out, err = portfolio(tmp_path, "ci/*.readiness.json")
    assert code == 3
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["a"]
    assert err.splitlines() == [
        "ci/none.readiness.json: no schema_version: exported by an older readiness; export it again with "
        "one that writes schema_version 2",
        "ci/one.readiness.json: schema_version 1 is not read here (this readiness reads 2): export it "
        "again with this readiness",
        "ci/shape.readiness.json: score: expected int, found \"high\"",
        "ci/three.readiness.json: schema_version 3 is not read here (this readiness reads 2): update readiness",
        "ci/torn.readiness.json:2:13: JSON: Expecting value",
        "readiness: 5 sources of the portfolio could not be read (1 read)",
    ]


def test_ci_gate_names_each_project_whose_milestone_is_not_on_track_or_reached(tmp_path: Path) -> None:
    monorepo(tmp_path, invalid=0, stale=0)
    code, out, err = portfolio(tmp_path, "--ci", "--milestone", "beta", "services/*/readiness.yaml")
    assert code == 1
    failing = {k for k in KINDS if k not in ("on track", "reached")}
    assert sorted(err.splitlines()) == sorted(
        f"readiness: svc-{k.replace(' ', '-')} (services/svc-{k.replace(' ', '-')}/readiness.yaml): "
        f"Beta is {k} (no-go)" for k in failing)
    assert len(out.splitlines()) == 1 + len(KINDS)
    code, _, err = portfolio(tmp_path, "--ci", "--milestone", "beta", "services/svc-on-track/readiness.yaml",
                             "services/svc-reached/readiness.yaml")
    assert (code, err) == (0, "")
    code, _, err = portfolio(tmp_path, "--ci", "--milestone", "nope", "services/svc-reached/readiness.yaml")
    assert code == 1
    assert "no milestone 'nope'" in err
    # an invalid member makes it exit 3 (invalid source), the gate's lines still printed
    write(tmp_path / "services" / "zz" / "readiness.yaml", "project: [")
    code, _, err = portfolio(tmp_path, "--ci", "--milestone", "beta", "services/*/readiness.yaml")
    assert code == 3
    assert "readiness: svc-missed" in err
    assert "services/zz/readiness.yaml:2:1: YAML syntax" in err
    code, _, err = portfolio(tmp_path, "--ci", "services/*/readiness.yaml")
    assert code == 2
    assert "--ci needs --milestone ID" in err


def test_patterns_that_match_nothing_and_missing_files(tmp_path: Path) -> None:
    write(tmp_path / "a" / "readiness.yaml", project_text("a", "reached"))
    code, out, err = portfolio(tmp_path, "a/readiness.yaml", "nothing/*.yaml", "missing.yaml")
    assert code == 3
    assert out.splitlines()[1].startswith("a ")
    assert err.splitlines()[0] == "nothing/*.yaml: matches no file"
    assert err.splitlines()[1].startswith("missing.yaml: no such file")
    assert err.splitlines()[2] == "readiness: 2 sources of the portfolio could not be read (1 read)"


def test_globs_stay_in_their_folder_and_take_names_literally(tmp_path: Path) -> None:
    outside = write(tmp_path / "elsewhere" / "readiness.yaml", "x")
    write(tmp_path / "repo" / "services" / "a" / "readiness.yaml", "x")
    write(tmp_path / "repo" / "services" / ".hidden" / "readiness.yaml", "x")
    write(tmp_path / "repo" / "services" / "b[1]" / "readiness.yaml", "x")
    os.symlink(outside, tmp_path / "repo" / "services" / "a" / "link.yaml")
    os.symlink(outside.parent, tmp_path / "repo" / "services" / "linked")
    base = tmp_path / "repo"
    found = expand(["services/*/readiness.yaml", "services/*/*.yaml"], base)
    assert [p.relative_to(base).as_posix() for p in found.files] == [
        "services/a/readiness.yaml", "services/b[1]/readiness.yaml"]
    assert [p.relative_to(base).as_posix() for p in expand(["services/**/readiness.yaml"], base).files] == [
        "services/a/readiness.yaml", "services/b[1]/readiness.yaml"]
    # an existing file is taken literally, even with glob characters in its name
    assert expand(["services/b[1]/readiness.yaml"], base).files == (base / "services/b[1]/readiness.yaml",)
    assert expand(["services/.hidden/*.yaml"], base).files == (base / "services/.hidden/readiness.yaml",)
    assert expand(["nothing/*"], base).unmatched == ("nothing/*",)


def test_since_compares_the_score_then_from_git_history(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "mono")
    source = write(repo / "services" / "a" / "readiness.yaml", project_text("a", "on track", seed=1))
    git(repo, "add", ".")
    env = {"GIT_COMMITTER_DATE": "2025-10-01T12:00:00+00:00", "GIT_AUTHOR_DATE": "2025-10-01T12:00:00+00:00"}
    import subprocess

    subprocess.run(["git", "commit", "-qm", "a"], cwd=repo, env={**os.environ, **env}, check=True)
    then = project_data(source)["score"]
    source.write_text(project_text("a", "reached", seed=1))
    write(repo / "services" / "b" / "readiness.yaml", project_text("b", "reached", seed=2))
    code, out, err = portfolio(repo, "--since", "2025-10-15", "services/*/readiness.yaml")
    assert code == 0, err
    rows = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert f"{then} → 100 ({100 - then:+d})" in rows["a"]
    assert "no commit of the source on or before 2025-10-15" in rows["b"]
    code, out, _ = portfolio(repo, "--since", "2025-10-15", "--format", "json", "services/a/readiness.yaml")
    change = json.loads(out)["projects"][0]["change"]
    assert change == {"since": "2025-10-15", "score_then": then, "score_now": 100, "delta": 100 - then,
                      "note": None}


@pytest.mark.parametrize("name", ["<b>x</b>|y", "a\u202eb"])
def test_names_from_sources_stay_text(tmp_path: Path, name: str) -> None:
    write(tmp_path / "s" / "readiness.yaml", project_text(name, "reached"))
    code, out, _ = portfolio(tmp_path, "s/readiness.yaml")
    assert code == 0
    assert "\u202e" not in out


def test_strings_of_an_export_stay_text_on_the_overview(tmp_path: Path) -> None:
    from readiness.portfolio.aggregate import aggregate
    from readiness.portfolio.overview import overview_markdown
    from readiness.portfolio.sources import read_member

    data = project_data(write(tmp_path / "a" / "content" / "readiness.yaml", project_text("a", "at risk")))
    evil = "<script>alert(1)</script>|[x](javascript:alert(1))"
    data["project"] = evil
    for milestone in data["milestones"]:
        milestone.update(title=evil, decision=evil, state=evil, blockers=[evil], eta=evil)
    export = write(tmp_path / "evil.readiness.json", json.dumps(data))
    page = overview_markdown(aggregate([read_member(export, "evil.readiness.json")]), {})
    assert "<script>" not in page
    assert "](javascript:" not in page
    assert page.count("&lt;script&gt;") >= 5
