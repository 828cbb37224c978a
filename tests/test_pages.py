"""Rendering: golden pages, figures taken from figures.py, escaping of every string from the source."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import markdown
import pytest

from readiness.errors import TemplateError
from readiness.figures import core as fig
from readiness.figures.assessment import assess_project, recently_completed
from readiness.pages.generated import MARKER
from readiness.pages.render import PAGES, codeblock, inline, render_pages
from readiness.pages.site import assessment_of, pages_for
from readiness.source.loader import load_source, load_text
from readiness.source.models import Readiness
from tests.conftest import Golden
from tests.support import EXAMPLE, ROOT
from tests.support.pages import hostile_yaml, run_together

BUILT_ON = dt.date(2025, 11, 28)


def site_pages(model: Readiness, source: Path, root: Path, templates: Path | None,
               **options: object) -> dict[str, str]:
    """The pages `readiness build` writes: the assessment with the evidence beside SOURCE and the
    deliverables under ROOT."""
    return pages_for(assessment_of(model, source, root), source, templates, **options)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def example_pages() -> dict[str, str]:
    model = load_source(EXAMPLE)
    # Deliverables are checked against an empty folder and git history is left out, so the golden
    # files depend on neither the checkout nor its commits. No evidence file: nothing verified yet.
    # Built the day after the state's as-of date, so they do not depend on the clock either.
    return site_pages(model, EXAMPLE, ROOT / "tests" / "golden", ROOT / "templates", history=False,
                      built_on=BUILT_ON)


def test_pages_match_golden(example_pages: dict[str, str], golden: Golden) -> None:
    assert set(example_pages) == {f"{p}.md" for p in PAGES} | {"launch-checklist.md"}
    for name, text in example_pages.items():
        golden(f"pages/{name}", text)


def test_no_checklist_item_runs_into_another(example_pages: dict[str, str]) -> None:
    """Each "- [ ]" box starts its own line, on every page and every golden file (a "{% endif %}" at a
    line's end once ate the newline between two go/no-go items)."""
    folder = ROOT / "tests" / "golden" / "pages"
    golden = {path.name: path.read_text(encoding="utf-8") for path in folder.glob("*.md")}
    assert golden
    for name, text in [*example_pages.items(), *golden.items()]:
        assert run_together(text) == [], name
    assert run_together("- [ ] 4 open, expected done 2025-12-03- [ ] score 78/100") != []
    assert run_together("- [ ] 4 open\n- [x] score 78/100\n") == []


def test_every_page_starts_with_the_marker(example_pages: dict[str, str]) -> None:
    assert all(text.startswith(MARKER + "\n") for text in example_pages.values())


def test_example_figures_appear(example_pages: dict[str, str]) -> None:
    summary = example_pages["executive-summary.md"]
    # a no-break space keeps "38 %" and "34 h" on one line
    for expected in ("78/100", "88/100", "93/100", "97/100", "(38\u00a0%)", "| P0 | 4 | 4 | 34\u00a0h |"):
        assert expected in summary
    assert ("As of 2025-11-27, Controlled beta (due 2025-12-04; target 88/100, reaches 88/100) needs 4 open "
            "tasks (34\u00a0h)" in example_pages["start-here.md"])


def test_sign_off_ticked_only_by_data(example_pages: dict[str, str]) -> None:
    summary = example_pages["executive-summary.md"]
    assert "- [ ] Audit infrastructure deployed" in summary  # the hand-written page ticked this
    assert "- [x] Readiness documentation complete" in summary
    assert "- [x] Observability dashboards reviewed (attested by Platform lead on 2025-11-26)" in summary


def test_tasks_have_stable_anchors(example_pages: dict[str, str]) -> None:
    tracker = example_pages["production-tracker.md"]
    model = load_source(EXAMPLE)
    for task in model.tasks:
        assert f"{{ #task-{task.id} }}" in tracker
    links = set(re.findall(r"production-tracker\.md#(task-[\w.-]+)", example_pages["implementation-status.md"]))
    assert links <= {f"task-{t.id}" for t in model.tasks}


def test_rendering_is_deterministic(example_pages: dict[str, str]) -> None:
    model = load_source(EXAMPLE)
    again = site_pages(model, EXAMPLE, ROOT / "tests" / "golden", ROOT / "templates", history=False,
                       built_on=BUILT_ON)
    assert again == example_pages


def test_project_template_overrides_and_adds(tmp_path: Path) -> None:
    (tmp_path / "partials").mkdir()
    (tmp_path / "index.md.j2").write_text("# Mine {{ score }}\n")
    (tmp_path / "extra.md.j2").write_text("{{ project.name }}\n")
    model = load_source(EXAMPLE)
    pages = render_pages(assess_project(model), tmp_path)
    assert pages["index.md"] == f"{MARKER}\n# Mine 78\n"
    assert pages["extra.md"] == f"{MARKER}\nWallet service\n"
    assert list(pages)[-1] == "extra.md"


def test_undefined_in_a_template_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "bad.md.j2").write_text("{{ no_such_thing }}\n")
    model = load_source(EXAMPLE)
    with pytest.raises(TemplateError, match=r"bad\.md\.j2:1: template: 'no_such_thing' is undefined"):
        render_pages(assess_project(model), tmp_path)


@pytest.mark.parametrize(("text", "forbidden"), [
    ("<script>x</script>", "<script"),
    ("a | b", "|"),
    ("line\n# heading", "\n"),
    ("[x](javascript:alert(1))", "["),
    ("{{ 7*7 }}", "{"),
    ("--8<-- file", "<"),
    ("*em* _u_ `c`", "*"),
])
def test_inline_escapes(text: str, forbidden: str) -> None:
    assert forbidden not in inline(text)


def test_inline_keeps_the_text_readable() -> None:
    html = markdown.markdown(inline("<b>x</b> | *y* {{ z }} 1. a"), extensions=["tables"])
    assert html == "<p>&lt;b&gt;x&lt;/b&gt; &#124; &#42;y&#42; &#123;&#123; z &#125;&#125; 1. a</p>"
    assert inline("1. first") == "1&#46; first"
    assert inline("- item") == "&#45; item"


def test_a_plus_sign_stays_a_plus_unless_markdown_would_read_it() -> None:
    assert inline("24 h + 1 unestimated task") == "24 h + 1 unestimated task"
    assert inline("+ item") == "&#43; item"  # would open a list
    assert inline("press ++ctrl+alt++") == "press &#43;&#43;ctrl+alt&#43;&#43;"  # would be keys
    import html

    rendered = markdown.markdown(inline("C++ and ++x++ + y"), extensions=["pymdownx.keys"])
    assert "<kbd" not in rendered
    assert html.unescape(rendered) == "<p>C++ and ++x++ + y</p>"


def test_codeblock_fence_outgrows_the_content() -> None:
    block = str(codeblock("echo ```` hi"))
    assert block.startswith("`````bash\n")
    assert block.endswith("\n`````")


def test_hostile_strings_stay_text() -> None:
    model = load_text(hostile_yaml())
    pages = render_pages(assess_project(model))
    for name, text in pages.items():
        html = markdown.markdown(text, extensions=["tables", "attr_list", "admonition", "toc"])
        assert "<script" not in html, name
        assert "<img" not in html, name
        assert "<svg onload" not in html, name
        assert 'href="javascript' not in html, name
        assert "<b>bold</b>" not in html, name
        assert "49" not in text.split("\n", 1)[1] or "7*7" in text, name
        assert not re.search(r"^#+ Injected", text, re.MULTILINE), name
        assert "<h1>Injected" not in html, name
        assert "<h2>Injected" not in html, name
    assert '<a href="https://example.org/a?b=&lt;c&gt;&amp;d=&quot;e&quot;">' in pages["index.md"]


def test_unsafe_url_rendered_as_no_link() -> None:
    from readiness.pages.render import safe_url

    assert str(safe_url("javascript:alert(1)")) == "#"
    assert str(safe_url("https://x.org/?a=1&b=2")) == "https://x.org/?a=1&amp;b=2"


def test_timeline_positions() -> None:
    model = load_source(EXAMPLE)
    line = fig.timeline(model, assess_project(model).milestones)
    assert line.start.isoformat() == "2025-11-20"
    assert line.end.isoformat() == "2025-12-25"
    assert next(m.offset for m in line.marks) == 20.0
    assert line.marks[-1].offset == 100.0


def test_shares_cover_everything() -> None:
    parts = fig.shares({"done": 1, "pending": 3, "blocked": 0})
    assert [(p.key, p.start, p.width) for p in parts] == [("done", 0.0, 25.0), ("pending", 25.0, 75.0)]


def test_recently_completed_and_confidence() -> None:
    model = load_source(EXAMPLE)
    assessment = assess_project(model)
    recent = recently_completed(model, days=3)
    assert [t.completed.isoformat() for t in recent if t.completed] == ["2025-11-27"] * 7
    level = assessment.confidence
    assert level.level == "high"
    assert level.reasons == ("1 open task estimated as a range",)
    assert assessment.next_milestone.milestone.id == "beta"  # type: ignore[union-attr]


def test_evidence_from_verify_runs_shows_on_tracker_and_summary(tmp_path: Path) -> None:
    import datetime as dt

    from readiness.source.evidence import CommandResult, EvidenceFile
    from readiness.verify.record import save_evidence

    source = tmp_path / "content" / "readiness.yaml"
    source.parent.mkdir()
    source.write_text(EXAMPLE.read_text())
    (tmp_path / "scripts" / "verify").mkdir(parents=True)
    (tmp_path / "scripts" / "verify" / "rate-limiting.sh").write_text("exit 0\n")
    (tmp_path / "supabase" / "functions" / "_shared").mkdir(parents=True)
    (tmp_path / "supabase" / "functions" / "_shared" / "rate-limit.ts").write_text("")
    ran = dt.datetime(2025, 11, 25, 9, 0, tzinfo=dt.timezone.utc)
    passed = CommandResult(command="bash scripts/verify/rate-limiting.sh", passed=True, exit_code=0,
                           duration_seconds=1.5, commit="0123456789abcdef", ran_at=ran)
    save_evidence(source.parent / "evidence.yaml", EvidenceFile().with_task("rate-limit-module", [passed]))
    model = load_source(source)
    pages = site_pages(model, source, tmp_path, None, history=False)
    tracker = pages["production-tracker.md"]
    section = tracker[tracker.index("{ #task-rate-limit-module }"):tracker.index("{ #task-rls-audit-scripts }")]
    assert 'data-icon="check"' in section  # an inline SVG icon, not an emoji that needs a system font
    assert "</svg> Verified: last run 2025-11-25 (2 days before 2025-11-27) on commit `0123456789ab`" in section
    assert "Claimed but unverified" in tracker
    summary = pages["executive-summary.md"]
    assert "Of 8 done tasks, **1 is verified**" in summary
    assert "**5 are claimed but unverified**" in summary
    assert ("| [Row-level security audit and financial policies](production-tracker.md#task-rls-audit-scripts)"
            " | missing scripts/sql/rls-audit.sql, scripts/sql/apply-financial-rls.sql |") in summary
    assert "#task-observability) |" not in summary  # no verify commands and no deliverables: not a claim


def test_score_over_time_picture_from_git_history(repo: Path) -> None:
    import subprocess

    source = repo / "content" / "readiness.yaml"
    source.parent.mkdir()
    text = EXAMPLE.read_text()
    for old, new in [("", ""), ("id: rls-audit-run\n    title: Run the RLS audit and close the gaps\n"
                                "    phase: security\n    priority: P0\n    status: pending",
                                "id: rls-audit-run\n    title: Run the RLS audit and close the gaps\n"
                                "    phase: security\n    priority: P0\n    status: done")]:
        text = text.replace(old, new) if old else text
        source.write_text(text)
        subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
        subprocess.run(["git", "commit", "-q", "-m", "state"], cwd=repo, check=True)
    pages = site_pages(load_source(source), source, repo, None)
    summary = pages["executive-summary.md"]
    assert 'class="readiness-history"' in summary
    assert "Readiness score over time: 78/100 on" in summary
    assert "to 80/100 on" in summary
    alone = site_pages(load_source(source), source, repo, None, history=False)["executive-summary.md"]
    assert "readiness-history" not in alone
