"""The JSON Schema (what an editor checks as you type) and the loader (what `readiness` accepts)
agree on generated sources, good and bad: both accept, or both refuse.

The schema sees the file as an editor does, through a YAML 1.2 reader (ruamel.yaml); the loader
reads it with PyYAML (YAML 1.1) and its own checks. The generated values are those whose
acceptance a JSON Schema can express. What it cannot express is left out on purpose:

- a range whose ends are upside down (``effort: "8-4"``, ``effort: {low: 8, high: 4}``): JSON
  Schema cannot compare two values, so the schema accepts them (its description says the low
  end comes first) and the loader refuses them;
- anything that depends on how a scalar is written rather than on its value: a quoted word
  such as ``title: "yes"`` is text to the loader and refused by the schema (which sees the
  same string as a plain ``yes``, a boolean to the loader); numbers YAML 1.1 and 1.2 read
  differently (``1:30``, ``040``, ``0b1010``, ``1_000``, ``1e3``, ``1.0e3``) are refused by the
  loader with advice, and the schema sees their YAML 1.2 value;
- an effort written with more digits than a double holds (``100000.00000000000000001``, read
  as 100000): the schema's pattern reads the digits, the loader the number;
- references between parts of the file (a task's phase, dependency cycles, duplicate ids) and
  whether a date exists (``2025-02-30``; format checks are optional for editors).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import jsonschema
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from readiness.errors import SourceError
from readiness.source.loader import load_text
from readiness.source.models import YAML11_BOOLEAN_WORDS, schema_text

VALIDATOR = jsonschema.Draft202012Validator(json.loads(schema_text()))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _as_an_editor_reads(text: str) -> Any:
    return _jsonable(YAML(typ="safe", pure=True).load(io.StringIO(text)))


def _decimal(low: str, high: str, places: int) -> st.SearchStrategy[str]:
    """Numbers from LOW to HIGH written in plain decimal notation, as a person types them."""
    return st.decimals(Decimal(low), Decimal(high), places=places).map(lambda d: format(d.normalize(), "f"))


def _near(*points: str) -> st.SearchStrategy[str]:
    """Numbers at and around the bounds POINTS, where the two could disagree."""
    around = []
    for point in points:
        value = Decimal(point)
        steps = ("0", "0.001", "-0.001", "0.0000001", "-0.0000001")
        around += [format(value + Decimal(step), "f") for step in steps]
    return st.sampled_from(around)


def _numbers(*points: str) -> st.SearchStrategy[str]:
    return st.one_of(_near(*points), _decimal("-10", "200000", 3), st.integers(-5, 10**7).map(str))


# plain words, ordinary text, and values of the wrong kind
TEXT = st.one_of(
    st.sampled_from(YAML11_BOOLEAN_WORDS),
    st.sampled_from(["true", "False", "null", "~", "[a, b]", "{a: b}", "12", "1.5"]),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=12).map(
        lambda t: t.strip() or "x").filter(lambda t: t not in YAML11_BOOLEAN_WORDS),
)

HOURS = _numbers("0", "0.01", "100000")
_UNITS = ["", "h", " h"]


@st.composite
def efforts(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["number", "text", "minutes", "range", "mapping", "word"]))
    if kind == "number":
        return draw(HOURS)
    if kind == "text":
        return '"' + draw(HOURS) + draw(st.sampled_from(_UNITS)) + '"'
    if kind == "minutes":
        minutes = draw(st.one_of(_numbers("0", "0.6", "6000000")))
        return f'"{minutes}{draw(st.sampled_from(["m", "min", " m"]))}"'
    ends = sorted([draw(HOURS), draw(HOURS)], key=Decimal)  # upside down: not expressible
    if kind == "range":
        separator = draw(st.sampled_from(["-", " - ", "–", " to "]))
        return f'"{ends[0]}{separator}{ends[1]}{draw(st.sampled_from(_UNITS))}"'
    if kind == "mapping":
        return f"{{low: {ends[0]}, high: {ends[1]}}}"
    return draw(st.sampled_from(["yes", "true", "null", "'four'", "[4]"]))


@st.composite
def sources(draw: st.DrawFn) -> str:
    project = [f"name: {draw(TEXT)}", "as_of: 2025-01-06"]
    if draw(st.booleans()):
        project.append(f"version: {draw(TEXT)}")
    if draw(st.booleans()):
        project.append(f"capacity_hours_per_week: {draw(_numbers('0.1', '100000'))}")
    task = ["id: a", f"title: {draw(TEXT)}", "phase: p", "priority: P0", "status: done"]
    if draw(st.booleans()):
        task.append(f"effort: {draw(efforts())}")
    if draw(st.booleans()):
        task.append(f"weight: {draw(st.one_of(_numbers('0.001', '1000000'), TEXT))}")
    if draw(st.booleans()):
        task.append(f"owner: {draw(TEXT)}")
    lines = ["project:", *(f"  {line}" for line in project),
             "phases:", f"  - {{id: p, title: {draw(TEXT)}}}",
             "tasks:", "  - " + "\n    ".join(task)]
    if draw(st.booleans()):
        lines += ["milestones:", f"  - {{id: m, title: M, target_score: {draw(_numbers('0', '100'))}}}"]
    if draw(st.booleans()):
        lines += ["evidence:", f"  max_age_days: {draw(_numbers('0', '36500'))}"]
    return "\n".join(lines) + "\n"


def _loader_accepts(text: str) -> bool:
    try:
        load_text(text, "s.yaml")
    except SourceError:
        return False
    return True


_TASK = ("project: {name: X, as_of: 2025-01-06}\nphases: [{id: p, title: P}]\n"
         "tasks: [{id: a, title: A, phase: p, priority: P0, status: done, effort: %s}]\n")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sources())
@example(_TASK % '"100001"')  # found by earlier schemas, which accepted them
@example(_TASK % '"4-100001 h"')
@example(_TASK % '"0.005"')
@example(_TASK % '"0.5m"')
@example(_TASK % '"7000000 min"')
@example(_TASK % '"0.6m"')
@example(_TASK % '"6000000m"')
@example(_TASK % '"100000.0h"')
@example(_TASK % "{low: 0, high: 0.009}")
def test_the_schema_and_the_loader_agree(text: str) -> None:
    errors = [e.message for e in VALIDATOR.iter_errors(_as_an_editor_reads(text))]
    loaded = _loader_accepts(text)
    assert loaded == (not errors), (text, errors)


def test_the_generated_sources_include_good_and_bad_ones() -> None:
    """The agreement above is not vacuous: some sources pass and some fail, in each class."""
    good = "project: {name: X, as_of: 2025-01-06}\nphases: [{id: p, title: P}]\n"
    assert _loader_accepts(good)
    assert not list(VALIDATOR.iter_errors(_as_an_editor_reads(good)))
    for bad in ("version: yes", "version: on", "version: Off"):
        text = good.replace("as_of", bad + ", as_of")
        assert not _loader_accepts(text)
        assert list(VALIDATOR.iter_errors(_as_an_editor_reads(text)))


def test_the_schema_has_an_id() -> None:
    assert json.loads(schema_text())["$id"] == "urn:readiness:schema:source-file"
