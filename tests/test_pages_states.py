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

from readiness.figures.assessment import assess_project
from readiness.pages.site import assessment_of, pages_for
from readiness.source.evidence import CommandResult, EvidenceFile
from readiness.source.loader import load_source
from readiness.verify.record import save_evidence
from tests.support import EXAMPLE, ROOT
from tests.support.pages import run_together

AS_OF = dt.date(2025, 11, 27)  # the example's as-of date
EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")
EMPTY = ("project:\n  name: Empty project\n  as_of: 2025-11-27\n"
         "phases:\n  - id: p1\n    title: Only phase\ntasks: []\n")


def _all_done() -> str:
    """Every task done, but the beta's "go decision" is still awaiting a named sign-off."""
    return EXAMPLE_TEXT.replace("status: pending", "status: done")


def _awaiting_verification() -> str:
    """Every task done and the beta signed off; with only the beta's tasks verified (``BETA_VERIFIED``),
    the production milestone's work is done, not verified (health checks never ran)."""
    return _all_done().replace("      - text: Beta go decision\n", "      - text: Beta go decision\n"
                               "        attested: {by: CTO, date: 2025-11-26}\n")


BETA_VERIFIED = ("rate-limit-module", "wallet-tests", "rls-audit-run", "audit-infrastructure-deploy",
                 "rate-limit-rollout")


def _cannot_be_verified() -> str:
    """As ``_awaiting_verification``, every task verified, but production requires verified tasks and
    some of its tasks have no verify command: it can never be verified."""
    required = "\nevidence:\n  require_verified_for: [production]\n\nmilestones:\n"
    return _awaiting_verification().replace("\nmilestones:\n", required, 1)


def _unestimated_heads() -> str:
    """The done tasks put back to pending with no estimate: the wallet tests now wait for the guide."""
    text = EXAMPLE_TEXT.replace("status: done", "status: pending")
    return re.sub(r"\n    completed: [0-9-]+", "", text)


def _a_year_later() -> str:
    return EXAMPLE_TEXT.replace("as_of: 2025-11-27", "as_of: 2026-11-26").replace(
        "title: Full production\n",
        "title: Full production rollout to every region including the long-tail markets and partner banks\n")


BETA_P0_OPEN = ("wallet-tests", "rls-audit-run", "audit-infrastructure-deploy", "rate-limit-rollout")


def _out_of_reach(done: bool = False) -> str:
    """The beta's target raised to 95 while its P0 tasks reach 88/100; DONE: those tasks done too."""
    text = EXAMPLE_TEXT.replace("target_score: 88", "target_score: 95")
    for task in BETA_P0_OPEN if done else ():
        text = re.sub(rf"(- id: {task}\n(?:    .*\n)*?    status: )pending", r"\1done", text)
    return text


def _an_empty_phase() -> str:
    return EXAMPLE_TEXT.replace("phases:\n", "phases:\n  - id: later\n    title: Later work\n", 1)


ONE = ("project: {name: One, as_of: 2025-11-27}\nphases: [{id: p, title: Only phase}]\n"
       "tasks:\n  - {id: a, title: Alone, phase: p, priority: P0, status: pending, effort: 1}\n")

CASES = {"example": EXAMPLE_TEXT, "all-done": _all_done(), "awaiting-verification": _awaiting_verification(),
         "cannot-be-verified": _cannot_be_verified(), "unestimated": _unestimated_heads(),
         "late": _a_year_later(), "empty": EMPTY, "out-of-reach": _out_of_reach(),
         "out-of-reach-done": _out_of_reach(done=True), "empty-phase": _an_empty_phase(), "one-task": ONE}
# the verify runs of a case (see ``pages_of``): a done task whose claim does not hold is never ticked
VERIFIED_IN: dict[str, tuple[str, ...]] = {"all-done": (), "awaiting-verification": BETA_VERIFIED,
                                           "cannot-be-verified": ()}


def pages_of(tmp_path: Path, text: str, built_on: dt.date = AS_OF,
             verified: tuple[str, ...] | None = None) -> dict[str, str]:
    """The pages of TEXT in TMP_PATH; with VERIFIED, every deliverable is present and the done tasks
    of VERIFIED (all with verify commands, when empty) have a passing, fresh verify run."""
    source = tmp_path / "content" / "readiness.yaml"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(text, encoding="utf-8")
    model = load_source(source)
    if verified is not None:
        _holding(tmp_path, model, verified)
    return pages_for(assessment_of(model, source, tmp_path), source, ROOT / "templates", history=False,
                     built_on=built_on)


def _holding(root: Path, model: object, verified: tuple[str, ...]) -> None:
    """Every deliverable of MODEL present under ROOT, and a passing verify run (the day before the
    as-of date) for each done task of VERIFIED with verify commands (all of them, when empty)."""
    evidence = EvidenceFile()
    ran = dt.datetime(2025, 11, 26, 9, 0, tzinfo=dt.timezone.utc)
    for task in model.tasks:  # type: ignore[attr-defined]
        for deliverable in task.deliverables:
            (root / deliverable).parent.mkdir(parents=True, exist_ok=True)
            (root / deliverable).write_text("here\n", encoding="utf-8")
        if task.is_done and task.verify and (not verified or task.id in verified):
            evidence = evidence.with_task(task.id, [CommandResult(
                command=command, passed=True, exit_code=0, duration_seconds=1.0, commit="a" * 40, ran_at=ran)
                for command in task.verify])
    save_evidence(root / "content" / "evidence.yaml", evidence)


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
    found += [f"checklist items run together: {line}" for line in run_together(text)]
    found += [f"a raw entity for '+': {m}" for m in re.findall(r".{0,20}&#43;.{0,20}", text)]
    found += [f"an hour that breaks from its number: {m}"
              for m in re.findall(r".{0,20}\d h\b.{0,10}", re.sub(r"(?ms)^```.*?^```", "", text))]
    found += [f"a phase without tasks counted: {m}"
              for m in re.findall(r".{0,30}\b0 (?:of |/)0\b.{0,10}", seen)]
    found += [f"work left after the unestimated tasks: {m}"
              for m in re.findall(r"unestimated tasks? (?:of work )?left", seen)]
    found += [f"a plural after one: {m}" for m in re.findall(r"\bof 1 tasks\b|\b1 tasks\b", seen)]
    found += [f"nothing to finish: {m}"
              for m in re.findall(r".{0,40}\b(?:needs|finish) 0 open tasks.{0,20}", seen)]
    return found


@pytest.mark.parametrize("case", sorted(CASES))
def test_no_empty_tables_charts_headings_or_wrong_words(tmp_path: Path, case: str) -> None:
    for name, text in pages_of(tmp_path, CASES[case], verified=VERIFIED_IN.get(case)).items():
        assert problems(text) == [], (case, name)


def test_the_checks_above_find_what_the_review_found() -> None:
    """The page checks themselves must fail on what the QA review saw."""
    bad = ("## Progress by priority\n\n| Priority | Done |\n| --- | --- |\n\n## FAQ\n\n"
           "## Timeline\n\n```text\n\n```\n"
           '<svg aria-label="Tasks done by priority: " viewBox="0 0 640 0"></svg>\n\n'
           "34 h of work stand between today and Beta; 34 h (+4 unestimated)), expected unknown; 40.0 hours; "
           "1 done task without their deliverable files; expected to finish unknown (unestimated work), "
           "after the target of 2025-12-04.\n\n"
           "- [ ] 4 required tasks open (34 h), expected done 2025-12-03- [ ] score 78/100 against a target\n"
           "| Later | 0 of 0 | — | 24 h &#43; 1 unestimated task |\n\n"
           "94.5–102.5 h + 8 unestimated tasks of work left; 0 of 1 tasks done; finish 0 open tasks (0 h).\n")
    found = "\n".join(problems(bad))
    for expected in ("a table without rows", "a heading with nothing under it: ## FAQ", "an empty code block",
                     "an empty chart label", "a chart with no height", "'today'", "doubled parentheses",
                     "a needless '.0'", "an unknown date called late", "plural disagreement", "of work stand",
                     "checklist items run together", "a raw entity for '+'", "an hour that breaks",
                     "a phase without tasks counted", "work left after the unestimated tasks",
                     "a plural after one", "nothing to finish"):
        assert expected in found


def test_every_page_agrees_whether_a_milestone_awaiting_sign_off_is_reached(tmp_path: Path) -> None:
    pages = pages_of(tmp_path, _all_done(), verified=())  # every claim holds: only the sign-off is missing
    summary, status, checklist = (plain(pages[n]) for n in
                                  ("executive-summary.md", "implementation-status.md", "launch-checklist.md"))
    assert "Every milestone is reached" not in summary
    assert "Controlled beta 2025-12-04 88/100 100/100 0 h — awaiting sign-off" in summary
    assert "Controlled beta awaits its sign-off" in summary
    assert "Controlled beta: no-go" in status
    assert "Due 2025-12-04; target 88/100, reaches 100/100: awaiting sign-off." in checklist
    assert "(reached)" not in checklist
    assert "expected reached" not in checklist
    # the milestones whose boxes are all ticked are reached on every page alike
    assert "Full production 2025-12-11 93/100 100/100 0 h — reached" in summary
    assert "Full production: go" in status
    assert "Due 2025-12-11; target 93/100, reaches 100/100: reached." in checklist
    start = plain(pages["start-here.md"])
    assert "every task Controlled beta needs is done; it waits only for its sign-off" in start


def test_every_page_agrees_a_milestone_awaiting_verification_is_not_reached(tmp_path: Path) -> None:
    """`check --milestone production` says it is not reached: no page may call it reached."""
    pages = pages_of(tmp_path, _awaiting_verification(), verified=BETA_VERIFIED)
    summary, status, checklist, start = (plain(pages[n]) for n in (
        "executive-summary.md", "implementation-status.md", "launch-checklist.md", "start-here.md"))
    assert "Every milestone is reached" not in summary
    assert "Full production 2025-12-11 93/100 100/100 0 h — awaiting verification" in summary
    assert ("Full production awaits verification: every required task is done and the score meets its "
            "target, but 1 task has no passing, fresh verify result: Health checks on all twelve services") \
        in summary
    assert "Full production: no-go" in status
    assert "Target 2025-12-11: awaiting verification." in status
    assert "1 done task not verified: health-checks" in status
    assert "Due 2025-12-11; target 93/100, reaches 100/100: awaiting verification." in checklist
    assert ("[ ] Health checks on all twelve services (P1, Platform team) (claimed done, not verified)"
            in checklist)
    assert "every task Full production needs is done, but it waits for verification: " in start
    # a milestone the evidence does not hold back stays reached on every page alike
    assert "Controlled beta 2025-12-04 88/100 100/100 0 h — reached" in summary
    assert "Controlled beta: go" in status
    assert "Due 2025-12-04; target 88/100, reaches 100/100: reached." in checklist


def test_every_page_agrees_a_milestone_that_cannot_be_verified_is_not_reached(tmp_path: Path) -> None:
    """Production requires verified tasks (evidence.require_verified_for) and some of its tasks have no
    verify command: every run passing, it is still not reached, on every page alike."""
    pages = pages_of(tmp_path, _cannot_be_verified(), verified=())
    summary, status, checklist = (plain(pages[n]) for n in (
        "executive-summary.md", "implementation-status.md", "launch-checklist.md"))
    assert "Every milestone is reached" not in summary
    assert "Full production 2025-12-11 93/100 100/100 0 h — cannot be verified" in summary
    assert "Full production: no-go" in status
    assert "Target 2025-12-11: cannot be verified." in status
    assert "Due 2025-12-11; target 93/100, reaches 100/100: cannot be verified." in checklist
    assert "Controlled beta: go" in status


def test_the_head_of_the_longest_chain_can_start(tmp_path: Path) -> None:
    pages = pages_of(tmp_path, _unestimated_heads())
    start, summary = plain(pages["start-here.md"]), plain(pages["executive-summary.md"])
    assert ("The longest chain of dependent tasks takes 24 h + 1 unestimated task: "
            "Wallet service testing guide and templates: not estimated, Backend team "
            "Wallet service test coverage: 24 h, Senior backend developer") in start
    chain = pages["start-here.md"].split("takes 24", 1)[1].split("Everything it needs", 1)[0]
    assert chain.index("#task-wallet-testing-guide") < chain.index("#task-wallet-tests)")
    # the plan starts with the head of the longest chain, then the rest of that chain
    assert ("Start with Wallet service testing guide and templates, Wallet service test coverage and "
            "Rate-limiting module for edge functions: the first steps of the plan.") in summary
    # with nothing done, the beta's P0 tasks reach 58/100 of its 88: out of reach, not "unknown"
    assert "Controlled beta: NO-GO, cannot reach its target with its required tasks" in summary
    assert ("Controlled beta cannot reach its target with its required tasks: the score reaches only 58/100 "
            "with every required task done, 30 points short of its target of 88/100 (8 required tasks still "
            "open, 34 h + 4 unestimated tasks).") in summary
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
    assert ">As of 2026-11-26</tspan>" in summary
    assert "Today" not in summary
    seen = plain(summary)
    assert "Controlled beta 2025-12-04 88/100 88/100 34 h 2026-12-02 missed" in seen
    assert "at risk" not in seen
    assert "Controlled beta missed its target of 2025-12-04" in seen
    assert "Target 2025-12-04: missed, expected done 2026-12-02." in plain(pages["implementation-status.md"])
    assert "its date 2025-12-04 has passed" in plain(pages["implementation-status.md"])
    assert "2026-11-26 As of: the state these pages show" in plain(pages["index.md"])
    assert "An old state" not in summary  # built the day after its as-of date: current


@pytest.mark.parametrize(("built_on", "note"), [(AS_OF, False), (AS_OF + dt.timedelta(days=30), False),
                                                 (AS_OF + dt.timedelta(days=31), True),
                                                 (dt.date(2026, 11, 26), True)])
def test_a_state_much_older_than_the_build_gets_a_note(tmp_path: Path, built_on: dt.date, note: bool) -> None:
    pages = pages_of(tmp_path, EXAMPLE_TEXT, built_on=built_on)
    # the project's own page (the demo's launch checklist) includes partials/old-state.md.j2 too
    for name in ("start-here.md", "executive-summary.md", "implementation-status.md", "production-tracker.md",
                 "index.md", "launch-checklist.md"):
        assert ('!!! warning "An old state"' in pages[name]) is note, name
    if note:
        assert ("These pages show the state as of 2025-11-27, more than 30 days before they were built"
                in plain(pages["start-here.md"]))


def test_the_build_date_comes_from_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    from readiness.settings import build_date

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


def test_long_labels_in_pictures_wrap_and_are_never_cut(tmp_path: Path) -> None:
    summary = pages_of(tmp_path, _a_year_later())["executive-summary.md"]
    label = next(line for line in summary.splitlines() if "Full production rollout" in line
                 and line.startswith("<text"))
    lines = re.findall(r"<tspan[^>]*>(.*?)</tspan>", label)
    assert len(lines) > 1  # wrapped onto lines of its own
    assert ("Full production rollout to every region including the long-tail markets and "
            "partner banks") in " ".join(lines)
    assert "…" not in label


def test_picture_wrappers_take_no_id_from_their_heading(tmp_path: Path) -> None:
    for name, text in pages_of(tmp_path, EXAMPLE_TEXT).items():
        assert 'class="readiness-picture" id=' not in text, name
        # drawn for a phone first: no minimum width that would make the page scroll sideways
        assert "min-width" not in text, name


def test_figures_used_by_the_example_pages_are_unchanged() -> None:
    assessment = assess_project(load_source(EXAMPLE))
    assert [m.state for m in assessment.milestones] == ["on track", "on track", "on track"]


def test_the_terminal_counts_every_done_task_in_one_group_too(tmp_path: Path) -> None:
    from readiness.app.status import status_lines

    model = load_source(EXAMPLE)
    assessment = assess_project(model, root=tmp_path, evidence=EvidenceFile())
    lines = list(status_lines(assessment, colour=False))
    assert "  0 of 8 done tasks verified, 6 claimed but unverified, 2 with no verify commands" in lines


def test_a_blocked_head_is_named_as_the_thing_to_unblock(tmp_path: Path) -> None:
    text = ("project: {name: X, as_of: 2025-11-27, capacity_hours_per_week: 10}\nphases: [{id: p, title: P}]\n"
            "tasks:\n  - {id: a, title: Approval, phase: p, priority: P0, status: blocked}\n"
            "  - {id: b, title: Build, phase: p, priority: P0, status: pending, effort: 8, depends_on: [a]}\n"
            "milestones:\n  - {id: m, title: Launch, date: 2025-12-20, requires: {priority: P0}}\n")
    pages = pages_of(tmp_path, text)
    summary = plain(pages["executive-summary.md"])
    assert "Launch: NO-GO, blocked" in summary
    assert ("Launch is blocked: Approval, Build are blocked or wait for blocked work. "
            "Unblock them before anything else.") in summary
    assert "Start with Build" not in summary
    # blocked work is held apart from the plan, with what blocks it
    assert "Blocked, apart from the plan: Approval (blocked); Build (waits for Approval)." in \
        plain(pages["production-tracker.md"])


# --- a milestone its required tasks cannot reach ------------------------------------------------

OUT_OF_REACH = "cannot reach its target with its required tasks"
BEYOND = ("It needs more work than its required tasks: finishing Health checks on all twelve services, "
          "Performance and bundle-size optimisation, Merge the duplicate Lighthouse workflows and Consolidate "
          "the deployment scripts as well would close the gap (24–32 h). Add them to what it requires in the "
          "source file, or lower its target.")


@pytest.mark.parametrize("done", [False, True], ids=["required-open", "required-done"])
def test_a_milestone_its_required_tasks_cannot_reach_is_never_on_track(tmp_path: Path, done: bool) -> None:
    pages = {name: plain(text) for name, text in pages_of(tmp_path, _out_of_reach(done)).items()}
    summary, status, checklist, start = (pages[n] for n in ("executive-summary.md", "implementation-status.md",
                                                             "launch-checklist.md", "start-here.md"))
    work = "34 h" if not done else "0 h"
    assert f"Controlled beta 2025-12-04 95/100 88/100 {work} — {OUT_OF_REACH}" in summary
    assert "Proceed to Controlled beta" not in summary
    assert (f"Controlled beta {OUT_OF_REACH}: the score reaches only 88/100 with every required task done, "
            "7 points short of its target of 95/100") in summary
    assert BEYOND in summary
    assert ("Controlled beta: NO-GO, cannot reach its target with its required tasks Due 2025-12-04; "
            "no expected date; target 95/100, reaches 88/100.") in summary
    assert f"Target 2025-12-04: {OUT_OF_REACH}. The score reaches only 88/100" in status
    assert BEYOND in status
    assert f"Due 2025-12-04; target 95/100, reaches 88/100: {OUT_OF_REACH}. The score reaches only" in checklist
    assert f"As of 2025-11-27, Controlled beta (due 2025-12-04; target 95/100, reaches 88/100) {OUT_OF_REACH}" \
        in start
    assert BEYOND in start
    beta = {name: text.split("Full production", 1)[0] for name, text in pages.items()}
    for name, text in pages.items():
        assert "0 open tasks" not in text, name
        assert "takes 0 h" not in text, name
        assert not re.search(r"\bon track\b", beta[name].split("Go / no-go", 1)[-1]), name
    if done:  # nothing left to list: no chain, no table, a heading that says what it needs
        assert "What Controlled beta needs" in start
        assert "The longest chain of dependent tasks takes" not in start  # (the plan's rule still names it)
        assert "Every open task it requires" not in start
    else:
        assert "Its required work comes first: 4 open tasks (34 h). The longest chain" in start
        assert "Every open task it requires (not enough on their own):" in start
        assert "Start with Wallet service test coverage" in summary
    assert f"Controlled beta {OUT_OF_REACH}" in pages["start-here.md"].split("Confidence", 1)[1]


def test_a_milestone_with_no_open_work_and_its_score_short_is_not_proceed_with_nothing(tmp_path: Path) -> None:
    """The review's case: every P0 task done, the beta's target above what they reach."""
    summary = pages_of(tmp_path, _out_of_reach(done=True))["executive-summary.md"]
    assert "finish 0 open tasks" not in plain(summary)
    assert "expected 2025-11-27" not in plain(summary)


# --- labels, counts and notes -----------------------------------------------------------------


def test_a_milestone_s_scores_are_labelled_target_and_reaches(tmp_path: Path) -> None:
    pages = {name: plain(text) for name, text in pages_of(tmp_path, _out_of_reach()).items()}
    assert "Controlled beta (target 95/100)" in pages["executive-summary.md"]  # the sign-off heading
    assert "Full production (target 93/100)" in pages["executive-summary.md"]
    for name, text in pages.items():
        assert not re.search(r"Controlled beta \(\d+/100\)", text), name
        assert not re.search(r"(?:Controlled beta|Full production)\W+(?:at|score) \d+/100", text), name
        assert "Score there" not in text, name


def test_counts_of_one_and_phases_without_tasks(tmp_path: Path) -> None:
    one = {name: plain(text) for name, text in pages_of(tmp_path, ONE).items()}
    assert "0 of 1 task done (0 %)" in one["start-here.md"]
    assert "0 of 1 task done (0 %), score 0/100, 1 h of work left" in one["implementation-status.md"]
    assert "0 of 1 task is done (0 %)." in one["executive-summary.md"]
    assert "Task status of 1 task: pending 1" in one["implementation-status.md"]
    raw = pages_of(tmp_path, _an_empty_phase())
    table = raw["implementation-status.md"].replace("[Later work](#phase-later)", "Later work")
    assert "| Later work | no tasks | — | — |" in table
    assert "No tasks yet in Later work." in raw["executive-summary.md"]  # the summary has the picture alone
    for name in ("executive-summary.md", "implementation-status.md"):
        picture = raw[name].split('data-picture="progress-by-phase"', 1)[1].split("</div>", 1)[0]
        assert "Later work" not in picture, name  # listed in the table, not drawn as a 0/0 bar
    assert "No tasks in this phase yet." in plain(raw["production-tracker.md"])


def test_work_left_names_unestimated_tasks_apart(tmp_path: Path) -> None:
    start = plain(pages_of(tmp_path, _unestimated_heads())["start-here.md"])
    assert "0 of 21 tasks done (0 %), 94.5–102.5 h of estimated work left, plus 8 tasks without an estimate." \
        in start


def test_an_empty_project_says_no_tasks_on_the_tracker_and_the_index(tmp_path: Path) -> None:
    pages = {name: plain(text) for name, text in pages_of(tmp_path, EMPTY).items()}
    assert "No tasks yet, as of 2025-11-27" in pages["production-tracker.md"]
    assert "0 h of work left" not in pages["production-tracker.md"]
    assert "No tasks yet, as of 2025-11-27." in pages["index.md"]


def test_an_effort_keeps_its_unit_on_its_line(tmp_path: Path) -> None:
    pages = pages_of(tmp_path, EXAMPLE_TEXT)
    assert "| P0 | 24\u00a0h | Senior backend developer |" in pages["implementation-status.md"]
    assert '<svg class="readiness-icon" data-icon="clock"' in pages["production-tracker.md"]
    assert "</svg> Pending · P0 · 24\u00a0h · Senior backend developer" in pages["production-tracker.md"]
    assert "| P3 | 8–16\u00a0h |" in pages["implementation-status.md"]
