"""Pages in unusual states: every page tells the same story (one meaning of "reached", chains that
start where work can start, dates against the state's as-of date), says plainly when there is
nothing to show, and never leaves an empty table, chart or heading behind."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import markdown
import pytest

from readiness.figures import assess
from readiness.site import pages_for
from readiness.source import load_source
from tests.pages_support import EXAMPLE, REPO

AS_OF = dt.date(2025, 11, 27)  # the example's as-of date
EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")
EMPTY = ("project:\n  name: Empty project\n  as_of: 2025-11-27\n"
         "phases:\n  - id: p1\n    title: Only phase\ntasks: []\n")


def _all_done() -> str:
    """Every task done, but the beta's "go decision" is still awaiting a named sign-off."""
    return EXAMPLE_TEXT.replace("status: pending", "status: done")


def _unestimated_heads() -> str:
    """The done tasks put back to pending with no estimate: the wallet tests now wait for the guide."""
    text = EXAMPLE_TEXT.replace("status: done", "status: pending")
    return re.sub(r"\n    completed: [0-9-]+", "", text)


def _a_year_later() -> str:
    return EXAMPLE_TEXT.replace("as_of: 2025-11-27", "as_of: 2026-11-26").replace(
        "title: Full production\n",
        "title: Full production rollout to every region including the long-tail markets and partner banks\n")


CASES = {"example": EXAMPLE_TEXT, "all-done": _all_done(), "unestimated": _unestimated_heads(),
         "late": _a_year_later(), "empty": EMPTY}


def pages_of(tmp_path: Path, text: str, built_on: dt.date = AS_OF) -> dict[str, str]:
    source = tmp_path / "content" / "readiness.yaml"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(text, encoding="utf-8")
    return pages_for(load_source(source), source, tmp_path, REPO / "templates", history=False,
                     built_on=built_on)


def plain(markdown_text: str) -> str:
    """The text a reader sees: Markdown rendered, tags dropped, entities decoded, spaces plain."""
    rendered = markdown.markdown(markdown_text, extensions=["tables", "attr_list", "admonition"])
    block = r"</?(?:p|li|h\d|td|th|tr|div|ol|ul|table|thead|tbody|svg|title|text)\b[^>]*>"
    blocks = re.sub(block, " ", rendered)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", blocks)).replace("\u00a0", " ").split())


def problems(text: str) -> list[str]:
    """What a reviewer flagged on the built site, found in one page's Markdown."""
    found = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        has_row = i + 1 < len(lines) and lines[i + 1].startswith("|")
        if re.fullmatch(r"\| (--- \| )*--- \|", line) and not has_row:
            found.append(f"a table without rows: {lines[i - 1]}")
        heading = re.match(r"(#+) ", line)
        if heading:
            following = next((other for other in lines[i + 1:] if other.strip()), None)
            deeper = following is not None and re.match(r"#+ ", following) and \
                len(following.split(" ")[0]) > len(heading.group(1))
            if following is None or (following.startswith("#") and not deeper):
                found.append(f"a heading with nothing under it: {line}")
    if re.search(r"^(`{3,})\w*\n\s*\1$", text, re.MULTILINE):
        found.append("an empty code block")
    found += [f"an empty chart label: {m}" for m in re.findall(r'aria-label="[^"]*: "', text)]
    found += [f"a chart with no height: {m}" for m in re.findall(r'viewBox="0 0 \d+ 0"', text)]
    seen = plain(text)
    found += [f"'today' for a state's date: {m}"
              for m in re.findall(r".{0,30}\btoday\b.{0,10}", seen, re.IGNORECASE)]
    found += [f"doubled parentheses: {m}" for m in re.findall(r".{20}(?:\)\)|\(\().{5}", seen)]
    found += [f"a needless '.0': {m}" for m in re.findall(r"\b\d+\.0 (?:hours?|points?|h)\b", seen)]
    found += [f"an unknown date called late: {m}" for m in re.findall(r"unknown[^.]*, after the target", seen)]
    found += [f"plural disagreement: {m}" for m in re.findall(r"\b1 (?:done )?task[^s][^.;]*\btheir\b", seen)]
    found += [f"'of work stand': {m}" for m in re.findall(r"of work stand\b", seen)]
    return found


@pytest.mark.parametrize("case", sorted(CASES))
def test_no_empty_tables_charts_headings_or_wrong_words(tmp_path: Path, case: str) -> None:
    for name, text in pages_of(tmp_path, CASES[case]).items():
        assert problems(text) == [], (case, name)


def test_the_checks_above_find_what_the_review_found() -> None:
    """The page checks themselves must fail on what the QA review saw."""
    bad = ("## Progress by priority\n\n| Priority | Done |\n| --- | --- |\n\n## FAQ\n\n"
           "## Timeline\n\n```text\n\n```\n"
           '<svg aria-label="Tasks done by priority: " viewBox="0 0 640 0"></svg>\n\n'
           "34 h of work stand between today and Beta; 34 h (+4 unestimated)), expected unknown; 40.0 hours; "
           "1 done task without their deliverable files; expected to finish unknown (unestimated work), "
           "after the target of 2025-12-04.\n")
    found = "\n".join(problems(bad))
    for expected in ("a table without rows", "a heading with nothing under it: ## FAQ", "an empty code block",
                     "an empty chart label", "a chart with no height", "'today'", "doubled parentheses",
                     "a needless '.0'", "an unknown date called late", "plural disagreement", "of work stand"):
        assert expected in found


def test_every_page_agrees_whether_a_milestone_awaiting_sign_off_is_reached(tmp_path: Path) -> None:
    pages = pages_of(tmp_path, _all_done())
    summary, status, checklist = (plain(pages[n]) for n in
                                  ("executive-summary.md", "implementation-status.md", "launch-checklist.md"))
    assert "Every milestone is reached" not in summary
    assert "Controlled beta 2025-12-04 100/100 0 h — awaiting sign-off" in summary
    assert "Controlled beta awaits its sign-off" in summary
    assert "Controlled beta: no-go" in status
    assert "Target 2025-12-04, score 88/100: awaiting sign-off." in checklist
    assert "(reached)" not in checklist
    assert "expected reached" not in checklist
    # the milestones whose boxes are all ticked are reached on every page alike
    assert "Full production 2025-12-11 100/100 0 h — reached" in summary
    assert "Full production: go" in status
    assert "Target 2025-12-11, score 93/100: reached." in checklist
    start = plain(pages["start-here.md"])
    assert "every task Controlled beta needs is done; it waits only for its sign-off" in start


def test_the_head_of_the_longest_chain_can_start(tmp_path: Path) -> None:
    pages = pages_of(tmp_path, _unestimated_heads())
    start, summary = plain(pages["start-here.md"]), plain(pages["executive-summary.md"])
    assert ("The longest chain of dependent tasks takes 24 h + 1 unestimated task: "
            "Wallet service testing guide and templates: not estimated, Backend team "
            "Wallet service test coverage: 24 h, Senior backend developer") in start
    chain = pages["start-here.md"].split("takes 24", 1)[1].split("Everything it needs", 1)[0]
    assert chain.index("#task-wallet-testing-guide") < chain.index("#task-wallet-tests)")
    assert ("Start with Wallet service testing guide and templates: it heads the longest chain of dependent "
            "tasks (2 tasks, 24 h + 1 unestimated task).") in summary
    assert ("finish 8 open tasks (34 h + 4 unestimated tasks); the expected date is unknown until every "
            "task has an estimate") in summary
    assert "at risk" not in summary  # an unknown date is not a late one


def test_an_empty_task_list_says_so_and_claims_nothing(tmp_path: Path) -> None:
    pages = {name: plain(text) for name, text in pages_of(tmp_path, EMPTY).items()}
    summary = pages["executive-summary.md"]
    assert "Every milestone is reached" not in summary
    assert "Confidence: low (no tasks yet, so there is nothing to measure)" in summary
    assert "Production readiness: 0/100 (no tasks yet)" in summary
    assert "No milestones are set." in summary
    assert "No tasks yet" in pages["implementation-status.md"]
    assert "Confidence in these figures is low" in pages["start-here.md"]
    for name in ("executive-summary.md", "implementation-status.md", "start-here.md", "index.md"):
        assert "<svg" not in pages_of(tmp_path, EMPTY)[name], name


def test_a_year_old_state_is_labelled_by_its_date_and_its_past_milestones_are_missed(tmp_path: Path) -> None:
    pages = pages_of(tmp_path, _a_year_later(), built_on=dt.date(2026, 11, 27))
    summary = pages["executive-summary.md"]
    assert ">As of 2026-11-26</text>" in summary
    assert "Today" not in summary
    seen = plain(summary)
    assert "Controlled beta 2025-12-04 88/100 34 h 2026-12-02 missed" in seen
    assert "at risk" not in seen
    assert "Controlled beta missed its target of 2025-12-04" in seen
    assert "Target 2025-12-04: missed." in plain(pages["implementation-status.md"])
    assert "2026-11-26 As of: the state these pages show" in plain(pages["index.md"])
    assert "An old state" not in summary  # built the day after its as-of date: current


@pytest.mark.parametrize(("built_on", "note"), [(AS_OF, False), (AS_OF + dt.timedelta(days=30), False),
                                                 (AS_OF + dt.timedelta(days=31), True),
                                                 (dt.date(2026, 11, 26), True)])
def test_a_state_much_older_than_the_build_gets_a_note(tmp_path: Path, built_on: dt.date, note: bool) -> None:
    pages = pages_of(tmp_path, EXAMPLE_TEXT, built_on=built_on)
    for name in ("start-here.md", "executive-summary.md", "implementation-status.md", "production-tracker.md",
                 "index.md"):
        assert ('!!! warning "An old state"' in pages[name]) is note, name
    if note:
        assert ("These pages show the state as of 2025-11-27, more than 30 days before they were built"
                in plain(pages["start-here.md"]))


def test_the_build_date_comes_from_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    from readiness.render import build_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01 00:00 UTC
    assert build_date() == dt.date(2026, 1, 1)


def test_every_done_task_is_counted_in_one_named_evidence_bucket(tmp_path: Path) -> None:
    summary = plain(pages_of(tmp_path, EXAMPLE_TEXT)["executive-summary.md"])
    found = re.search(r"Of (\d+) done tasks, (\d+) are verified .*?, (\d+) are claimed but unverified and "
                      r"(\d+) have no verify commands", summary)
    assert found, summary
    total, *buckets = (int(n) for n in found.groups())
    assert (total, buckets) == (8, [0, 6, 2])
    assert ("No verify commands: Observability and CI security guards, Readiness guides for each role."
            in summary)


def test_open_is_not_done_and_pending_is_a_status(tmp_path: Path) -> None:
    summary = pages_of(tmp_path, EXAMPLE_TEXT)["executive-summary.md"]
    assert "| Priority | Done | Open | Work left |" in summary
    assert "Pending |" not in summary
    assert "## Done and open by priority" in summary


def test_numbers_read_as_the_source_wrote_them(tmp_path: Path) -> None:
    slow = EXAMPLE_TEXT.replace("capacity_hours_per_week: 40", "capacity_hours_per_week: 1")
    pages = pages_of(tmp_path, slow)
    summary, start = plain(pages["executive-summary.md"]), plain(pages["start-here.md"])
    assert "Expected dates assume 1 hour of readiness work a week" in summary
    assert "adds 1 point." in start
    assert "adds 2 points." in start
    assert "(38\u00a0%)" in pages["start-here.md"]  # the share never breaks from its sign


def test_waits_for_names_tasks_by_title(tmp_path: Path) -> None:
    status = pages_of(tmp_path, EXAMPLE_TEXT)["implementation-status.md"]
    row = next(line for line in status.splitlines() if "#task-health-checks) | P1" in line)
    assert row.endswith(
        "| [Apply rate limiting to every edge function](production-tracker.md#task-rate-limit-rollout) |")


def test_the_project_s_own_pages_are_listed_where_readers_look(tmp_path: Path) -> None:
    pages = pages_of(tmp_path, EXAMPLE_TEXT)
    assert ("| [Launch checklist](launch-checklist.md) | everyone | What must hold before each launch of "
            "Wallet "
            "service, from the milestones' sign-off criteria and their required tasks. |") in pages["index.md"]
    catch_all = "| Everyone | What else is there? | [Launch checklist](launch-checklist.md) |"
    assert catch_all in pages["start-here.md"]
    # a role that names the page lists it, and the catch-all row is then not needed
    named = EXAMPLE_TEXT.replace("pages: [implementation-status, executive-summary]",
                                 "pages: [implementation-status, launch-checklist]")
    pages = pages_of(tmp_path, named)
    assert "[Launch checklist](launch-checklist.md) | everyone" not in pages["index.md"]
    assert "| [Launch checklist](launch-checklist.md) | Project managers |" in pages["index.md"]
    assert "What else is there?" not in pages["start-here.md"]
    assert "[Implementation status](implementation-status.md), [Launch checklist](launch-checklist.md)" in \
        pages["start-here.md"]


def test_long_labels_in_pictures_are_cut_and_kept_whole_in_a_title(tmp_path: Path) -> None:
    summary = pages_of(tmp_path, _a_year_later())["executive-summary.md"]
    label = next(line for line in summary.splitlines() if "<title>Full production rollout" in line
                 and line.startswith("<text"))
    shown = re.sub(r"<title>.*?</title>", "", label)
    assert "…" in shown
    assert len(re.sub(r"<[^>]+>", "", shown)) <= 45
    assert "<title>Full production rollout to every region including the long-tail markets and partner banks" \
           "</title>" in label


def test_picture_wrappers_take_no_id_from_their_heading(tmp_path: Path) -> None:
    for name, text in pages_of(tmp_path, EXAMPLE_TEXT).items():
        assert 'class="readiness-picture" id=' not in text, name
        assert "min-width:560px" in text or "<svg" not in text, name


def test_figures_used_by_the_example_pages_are_unchanged() -> None:
    figures = assess(load_source(EXAMPLE))
    assert [m.state for m in figures.milestones] == ["on track", "on track", "on track"]


def test_the_terminal_counts_every_done_task_in_one_group_too(tmp_path: Path) -> None:
    from readiness.evidence import EvidenceFile, assess_evidence
    from readiness.terminal import status_lines

    model = load_source(EXAMPLE)
    figures = assess(model, tmp_path)
    report = assess_evidence(model, EvidenceFile(), tmp_path, figures=figures)
    lines = list(status_lines(model, figures, colour=False, verification=report))
    assert "  0 of 8 done tasks verified, 6 claimed but unverified, 2 with no verify commands" in lines


def test_a_blocked_head_is_named_as_the_thing_to_unblock(tmp_path: Path) -> None:
    text = ("project: {name: X, as_of: 2025-11-27, capacity_hours_per_week: 10}\nphases: [{id: p, title: P}]\n"
            "tasks:\n  - {id: a, title: Approval, phase: p, priority: P0, status: blocked}\n"
            "  - {id: b, title: Build, phase: p, priority: P0, status: pending, effort: 8, depends_on: [a]}\n"
            "milestones:\n  - {id: m, title: Launch, date: 2025-12-20, requires: {priority: P0}}\n")
    summary = plain(pages_of(tmp_path, text)["executive-summary.md"])
    assert ("Unblock Approval first: it heads the longest chain of dependent tasks "
            "(2 tasks, 8 h + 1 unestimated task).") in summary
    assert "Start with Build" not in summary
