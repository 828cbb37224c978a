"""The deploy runbook: open work with deploy commands, as numbered steps in dependency order."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness.errors import SourceError
from readiness.figures.assessment import assess_project
from readiness.figures.runbook import runbook
from readiness.pages.render import render_pages
from readiness.source.loader import load_source, load_text
from readiness.source.models import Readiness
from tests.support import EXAMPLE

HEAD = "project: {name: X, as_of: 2025-01-06}\nphases: [{id: p, title: P}]\ntasks:\n"


def steps_of(model: Readiness) -> list[str]:
    book = runbook(assess_project(model).order, {t.id: t for t in model.tasks}, model.project.environments)
    return [s.task.id for s in book.steps]


@st.composite
def models(draw: st.DrawFn) -> Readiness:
    """Tasks whose dependencies point at earlier tasks (no cycles), listed in a shuffled order."""
    count = draw(st.integers(1, 12))
    tasks = []
    for i in range(count):
        deps = draw(st.lists(st.integers(0, i - 1), unique=True, max_size=3)) if i else []
        deploy = draw(st.sampled_from([[], ["make deploy"], {"production": ["make prod"]},
                                       {"staging": ["make stage"], "production": ["make prod"]}]))
        tasks.append({"id": f"t{i}", "title": f"Task {i}", "phase": "p",
                      "priority": draw(st.sampled_from(["P0", "P1", "P2"])),
                      "status": draw(st.sampled_from(["done", "pending", "in progress", "blocked"])),
                      "effort": draw(st.integers(1, 20)), "depends_on": [f"t{d}" for d in deps],
                      "deploy": deploy})
    order = draw(st.permutations(tasks))
    return Readiness.model_validate({"project": {"name": "X", "as_of": "2025-01-06"},
                                     "phases": [{"id": "p", "title": "P"}], "tasks": list(order)})


@settings(max_examples=60, deadline=None)
@given(models())
def test_the_runbook_never_lists_a_task_before_one_it_depends_on(model: Readiness) -> None:
    by_id = {t.id: t for t in model.tasks}

    def needs(task_id: str) -> set[str]:  # the open work it waits for, directly or through open work
        found: set[str] = set()
        todo = list(by_id[task_id].depends_on)
        while todo:
            d = todo.pop()
            if d not in found and not by_id[d].is_done:
                found.add(d)
                todo.extend(by_id[d].depends_on)
        return found

    steps = steps_of(model)
    assert steps == [t.id for t in assess_project(model).order if t.deploy_commands]  # the plan's order
    assert set(steps) == {t.id for t in model.tasks if not t.is_done and t.deploy_commands}
    for position, task_id in enumerate(steps):
        assert not needs(task_id) & set(steps[position + 1:])
    # the page shows them in the same order
    page = render_pages(assess_project(model))["runbook.md"]
    assert re.findall(r"^## \d+\. .* \{ #step-(t\d+) \}$", page, re.MULTILINE) == steps


def test_the_example_runbook_starts_with_staging_and_rolls_back() -> None:
    model = load_source(EXAMPLE)
    page = render_pages(assess_project(model))["runbook.md"]
    where = [page.index(f"**{heading}**") for heading in
             ("Staging: deploy", "Staging: check it", "Production: deploy", "Production: check it")]
    assert where == sorted(where)
    assert "**5 steps**, deployed to staging then production" in page
    assert "psql &quot;" not in page  # commands are code blocks, copied as written
    assert "A fresh backup of each database, taken just before deploying to it" in page
    # each environment is checked and rolled back against its own database, never the other's
    step = page[page.index("## 2. Run the RLS audit"):page.index("## 3.")]
    staging, production = step.split("**Production: deploy**")
    assert "**Staging: roll back** (if a check fails)" in staging
    assert 'psql "$STAGING_DATABASE_URL" -f scripts/sql/revert-financial-rls.sql' in staging
    assert "$DATABASE_URL" not in staging.replace("$STAGING_DATABASE_URL", "")
    assert 'psql "$DATABASE_URL" -f scripts/sql/revert-financial-rls.sql' in production
    assert "STAGING" not in production


def test_a_step_lists_the_earlier_steps_it_needs() -> None:
    model = load_text(HEAD + """
  - {id: db, title: Database, phase: p, priority: P1, status: pending, deploy: [make db]}
  - {id: api, title: API, phase: p, priority: P0, status: pending, depends_on: [db, docs],
     deploy: {production: [make api]}, prerequisites: ["API_KEY set"], rollback: [make api-undo]}
  - {id: docs, title: Docs, phase: p, priority: P0, status: pending}
""", "t.yaml")
    assert steps_of(model) == ["db", "api"]
    page = render_pages(assess_project(model))["runbook.md"]
    step = page[page.index("## 2. API"):]
    assert "- Step 1 is deployed: [Database](#step-db)" in step
    assert "[Docs](production-tracker.md#task-docs) is done first (now pending; it has no deploy step)" in step
    assert "API&#95;KEY set" in step  # source text is escaped
    assert "**Production: deploy**" in step
    assert "Staging: deploy" not in step


def test_a_deploy_mapping_names_known_environments() -> None:
    where = r"t.yaml:5:21: tasks\[0\]\.deploy\.prod: "
    with pytest.raises(SourceError, match=where + "no environment with id 'prod'"):
        load_text(HEAD + "  - {id: a, title: A, phase: p, priority: P0, status: pending,\n"
                  "     deploy: {prod: [x]}}\n", "t.yaml")


def test_checks_and_rollback_per_environment_fall_back_to_verify_and_a_plain_list() -> None:
    model = load_text(HEAD + """
  - {id: api, title: API, phase: p, priority: P0, status: pending, verify: [make test],
     deploy: {staging: [make api-staging], production: [make api-prod]},
     deploy_checks: {production: [curl -f https://api.example/health]},
     rollback: [make api-undo]}
  - {id: db, title: DB, phase: p, priority: P0, status: pending, deploy: [make db],
     rollback: {staging: [make db-undo-staging]}}
""", "t.yaml")
    page = render_pages(assess_project(model))["runbook.md"]
    api = page[page.index("## 1. API"):page.index("## 2. DB")]
    staging, production = api.split("**Production: deploy**")
    assert "**Staging: check it**\n\n```bash\nmake test\n```" in staging  # verify, where no check is given
    assert "**Production: check it**\n\n```bash\ncurl -f https://api.example/health\n```" in production
    assert "**Staging: roll back** (if a check fails)\n\n```bash\nmake api-undo\n```" in staging
    assert "**Production: roll back** (if a check fails)\n\n```bash\nmake api-undo\n```" in production
    db = page[page.index("## 2. DB"):]
    assert "**Staging: roll back** (if a check fails)\n\n```bash\nmake db-undo-staging\n```" in db
    assert "No rollback commands for production in the source file" in db
    assert "In each environment" not in db  # its rollback differs by environment: one block each


@pytest.mark.parametrize("field", ["rollback", "deploy_checks"])
def test_a_rollback_or_checks_mapping_names_known_environments(field: str) -> None:
    where = rf"t.yaml:5:\d+: tasks\[0\]\.{field}\.prod: "
    with pytest.raises(SourceError, match=where + "no environment with id 'prod'"):
        load_text(HEAD + "  - {id: a, title: A, phase: p, priority: P0, status: pending, deploy: [x],\n"
                  f"     {field}: {{prod: [y]}}}}\n", "t.yaml")


def test_environments_are_listed_once() -> None:
    with pytest.raises(SourceError, match="staging repeated"):
        load_text("project: {name: X, as_of: 2025-01-06, environments: [staging, staging]}\n"
                  "phases: [{id: p, title: P}]\n", "t.yaml")
