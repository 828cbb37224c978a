"""Property-based fuzzing of the loader: any text gives a model or the tool's own located error.

`make test` runs a bounded number of examples; `make fuzz` runs the long profile.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readiness.errors import SourceError
from readiness.figures.assessment import assess_project
from readiness.pages.render import render_pages
from readiness.source.loader import load_text
from readiness.source.models import Readiness

settings.register_profile("default", max_examples=150, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=20_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("READINESS_FUZZ_PROFILE", "default"))

ids = st.from_regex(r"[a-z][a-z0-9-]{0,6}", fullmatch=True)
hostile = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "a | b", "x\n# heading",
    "[x](javascript:alert(1))", "{{ config }}", "--8<-- \"/etc/passwd\"", "\u202eevil", "ok",
])
text = st.one_of(hostile, st.text(min_size=1, max_size=30))
statuses = st.sampled_from(["done", "in progress", "pending", "blocked", "finished"])
priorities = st.sampled_from(["P0", "P1", "P2", "P3", "high"])
efforts = st.one_of(st.none(), st.integers(0, 40), st.sampled_from(["4-8", "30m", "8 to 2", "soon"]))


@st.composite
def sources(draw: Any) -> dict[str, Any]:
    phase_ids = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    task_ids = draw(st.lists(ids, min_size=0, max_size=8, unique=True))
    tasks = []
    for task_id in task_ids:
        task: dict[str, Any] = {
            "id": task_id, "title": draw(text), "phase": draw(st.sampled_from([*phase_ids, "ghost"])),
            "priority": draw(priorities), "status": draw(statuses),
        }
        effort = draw(efforts)
        if effort is not None:
            task["effort"] = effort
        if task_ids and draw(st.booleans()):
            task["depends_on"] = draw(st.lists(st.sampled_from(task_ids), max_size=2, unique=True))
        if draw(st.booleans()):
            task["owner"] = draw(st.one_of(text, st.integers(), st.booleans()))
        tasks.append(task)
    data: dict[str, Any] = {
        "project": {"name": draw(text), "as_of": dt.date(2025, 1, 1)},
        "phases": [{"id": p, "title": draw(text)} for p in phase_ids],
        "tasks": tasks,
    }
    if task_ids and draw(st.booleans()):
        data["milestones"] = [{"id": "m", "title": "M", "requires": {"priority": "P0"},
                               "sign_off": [{"text": draw(text), "tasks": task_ids[:1]}]}]
    if draw(st.booleans()):
        data[draw(st.sampled_from(["extra", "taks", "faq"]))] = []
    return data


def _check(source_text: str) -> None:
    try:
        model = load_text(source_text, "s.yaml")
    except SourceError as error:
        lines = str(error).splitlines()
        assert lines, "an error with no message"
        for problem in error.problems:
            assert problem.line >= 1
            assert problem.column >= 1
            assert "\n" not in problem.message
        assert all(line.startswith("s.yaml") for line in lines)
        return
    assert isinstance(model, Readiness)
    assessment = assess_project(model)
    assert 0 <= assessment.score <= 100
    for name, page in render_pages(assessment).items():  # rendering never fails on a valid model
        lowered = page.lower()
        # no raw HTML from the data: the templates themselves emit no script, img or handler
        assert "<script" not in lowered, name
        assert "<img" not in lowered, name
        assert "onerror=" not in lowered, name
        assert "javascript:" not in lowered, name
        assert "{{" not in page, name
        assert "--8<--" not in page, name


@given(sources())
def test_generated_sources_load_or_fail_with_located_errors(data: dict[str, Any]) -> None:
    _check(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


@given(sources(), st.data())
def test_mutated_sources_never_escape_the_error_family(data: dict[str, Any], draw: Any) -> None:
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    position = draw.draw(st.integers(0, len(dumped)))
    cut = draw.draw(st.integers(0, 5))
    insert = draw.draw(st.sampled_from(["", ":", "- ", "&a ", "*a", "!!python/object ", "\t", "'", "{", "]",
                                        "\n---\n", "<<: *a\n", "? "]))
    _check(dumped[:position] + insert + dumped[position + cut:])


@given(st.text(max_size=200))
def test_arbitrary_text_never_escapes_the_error_family(raw: str) -> None:
    _check(raw)
