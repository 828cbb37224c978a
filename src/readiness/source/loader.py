"""Load the source file into the model, with every problem located at file:line:col.

Parsing uses PyYAML's C parser (the fastest safe YAML parser available); positions are
recovered only when there is something to report, by composing the document again and
walking to the key path, so a valid file pays nothing for them. Tags are refused, a
document whose aliases would expand too far is refused before anything is built from
it, duplicate keys are errors, and cross-references (phases, roles, milestones, tasks,
dependency cycles) are checked with their positions. A value PyYAML cannot build (an
impossible date such as 2025-02-30, an integer of thousands of digits) is a located
error too, as is a duplicate among a mapping's own keys; keys a mapping merges (``<<:``)
are overridden by its own, as YAML says.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gc
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from readiness import settings
from readiness.errors import Problem, SourceError
from readiness.files.project import DEFAULT_SOURCE
from readiness.source.locate import decode_source, display_name, line_and_column, read_source

MAX_PROBLEMS = 50
if TYPE_CHECKING:  # pydantic and the models load only when a source is validated
    from readiness.source.models import Readiness

MAX_EXPANDED_NODES = settings.at_import(settings.max_nodes, 2_000_000)  # READINESS_MAX_NODES
MAX_DEPTH = settings.at_import(settings.max_depth, 64)  # READINESS_MAX_DEPTH
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_VALUE = "tag:yaml.org,2002:value"

try:
    _BaseLoader: type[Any] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader


class _Failure(Exception):
    """A problem found while building Python data, with the node that caused it.

    WITH_PATH: the report names the node's key path as well. EXPLAIN, when given, words
    the message from that key path (a number's advice depends on what the key holds).
    """

    def __init__(self, node: yaml.Node, message: str, with_path: bool = False,
                 explain: Callable[[tuple[Any, ...]], str] | None = None) -> None:
        super().__init__(message)
        self.node = node
        self.message = message
        self.with_path = with_path or explain is not None
        self.explain = explain


class _Loader(_BaseLoader):  # type: ignore[misc]
    """Safe loader that refuses tags and duplicate keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._resolved: dict[str, str] = {}

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise _Failure(node, "expected a mapping")
        own, merged = self._pairs(node, deep)
        if not merged:
            return {key: self.construct_object(value, deep=deep) for key, value in own.items()}
        # As PyYAML orders them: merged keys first, each overridden by the mapping's own value.
        pairs = {**merged, **own}
        return {key: self.construct_object(value, deep=deep) for key, value in pairs.items()}

    def _pairs(self, node: yaml.MappingNode, deep: bool) -> tuple[dict[Any, yaml.Node], dict[Any, yaml.Node]]:
        """NODE's own (key, value node) pairs, and those it merges that it does not override.

        Only the mapping's own keys must be unique; of the mappings it merges
        (``<<: *a`` or ``<<: [*a, *b]``) the first that has a key gives its value.
        """
        own: dict[Any, yaml.Node] = {}
        sources: list[yaml.Node] = []
        merge_key: yaml.Node | None = None
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                if merge_key is not None:
                    raise _Failure(key_node, "a second merge key '<<' in one mapping: merge several "
                                   "mappings with one, as in <<: [*a, *b]")
                merge_key = key_node
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for source in sources:
                    if not isinstance(source, yaml.MappingNode):
                        raise _Failure(source, "a merge key '<<' takes a mapping or a list of mappings")
                continue
            if key_node.tag == _VALUE:  # a plain '=' key is text, as PyYAML reads it
                key_node.tag = _STR
            key = self.construct_object(key_node, deep=deep)
            try:
                seen = key in own
            except TypeError:
                raise _Failure(key_node, "a key must be a plain value, not a list or mapping") from None
            if seen:
                first = next(k for k in node.value if k[0] is not key_node and k[0].tag != _MERGE
                             and self.construct_object(k[0], deep=deep) == key)[0]
                mark = first.start_mark
                where = (f"on line {mark.line + 1}" if mark.line != key_node.start_mark.line
                         else f"at column {mark.column + 1} of this line")
                raise _Failure(key_node, f"duplicate key '{key_node.value}': it is already given {where}",
                               with_path=True)
            if isinstance(key, bool) or key is None:
                raise _Failure(key_node, f"the key '{key_node.value}' reads as {key!r} in YAML: "
                               f"quote it as \"{key_node.value}\"", with_path=True)
            own[key] = value_node
        merged: dict[Any, yaml.Node] = {}
        for source in sources:
            source_own, source_merged = self._pairs(source, deep)
            for key, value_node in (*source_own.items(), *source_merged.items()):
                if key not in own:
                    merged.setdefault(key, value_node)
        return own, merged

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # Fast path: most values are plain text, which needs none of the bookkeeping
        # (alias memo, recursion guard, constructor lookup) of the general case.
        if node.tag == _STR and node.__class__ is yaml.ScalarNode:
            return node.value
        return super().construct_object(node, deep=deep)

    def resolve(self, kind: Any, value: str, implicit: tuple[bool, bool]) -> str:
        # The tag of an untagged plain scalar depends only on its text, and most texts
        # (keys, statuses, priorities) repeat: remember them instead of running the regexes.
        if kind is yaml.ScalarNode and implicit[0] and len(value) <= 64:
            tag = self._resolved.get(value)
            if tag is None:
                tag = self._resolved[value] = super().resolve(kind, value, implicit)
            return tag
        return super().resolve(kind, value, implicit)  # type: ignore[no-any-return]

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as error:  # 2025-02-30, 2025-13-45, hour 99
            kind = "date" if len(node.value) <= 10 else "date and time"
            raise _Failure(node, f"{node.value} is not a valid {kind}: {error}", with_path=True) from None

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        try:
            value = super().construct_yaml_int(node)
        except ValueError:  # more digits than Python converts (4,300), or a form such as 0x_
            digits = sum(char.isdigit() for char in node.value)
            if digits > 100:
                raise _Failure(node, f"the number {node.value[:20]}… ({digits:,} digits) is too large",
                               with_path=True) from None
            raise _Failure(node, f"{node.value} reads as a number in YAML but is not one: "
                           f"quote it as \"{node.value}\"", with_path=True) from None
        _only_yaml11(node, value)
        return value

    def construct_yaml_float(self, node: yaml.ScalarNode) -> Any:
        try:
            value = super().construct_yaml_float(node)
        except ValueError:
            raise _Failure(node, f"{node.value} reads as a number in YAML but is not one: "
                           f"quote it as \"{node.value}\"", with_path=True) from None
        shown = node.value if len(node.value) <= 24 else f"{node.value[:20]}…"
        if math.isinf(value) and "inf" not in node.value.lower():  # 1.0e+400 overflows to infinity
            raise _Failure(node, f"the number {shown} is too large", with_path=True)
        if value == 0 and any(char in "123456789" for char in node.value.lower().partition("e")[0]):
            # 1.0e-400 underflows to 0: a figure written as something else must not become it
            raise _Failure(node, f"the number {shown} is too close to 0 to be read (it would become 0)",
                           with_path=True)
        _only_yaml11(node, value)
        return value

    def construct_undefined(self, node: yaml.Node) -> Any:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise _Failure(node, f"the tag {tag} is not allowed: the source file holds plain data only")


# Keys whose values are numbers (in the source file, and in the evidence file): a number
# YAML 1.1 and YAML 1.2 read differently is refused there with the number to write instead.
_NUMBER_KEYS = frozenset({"effort", "low", "high", "weight", "target_score", "capacity_hours_per_week",
                          "max_age_days", "exit_code", "duration_seconds"})


def _only_yaml11(node: yaml.ScalarNode, value: float) -> None:
    """Refuse a number that only YAML 1.1 reads so: ``1:30`` (base 60, 90), ``040`` (octal, 32),
    ``0b101`` (binary), ``1_000``. YAML 1.2, which editors and the JSON Schema follow, reads
    them as text or as another number (``040`` is 40), so the file would mean two things."""
    text = node.value
    digits = text.lstrip("+-")
    if ":" in text:
        reading, in_yaml12 = f"the base-60 number {value:g}", None
    elif digits[:2].lower() == "0b":
        reading, in_yaml12 = f"the binary number {value:g}", None
    elif "_" in text:
        reading, in_yaml12 = f"the number {value:g}", None
    elif len(digits) > 1 and digits[0] == "0" and digits.isdigit() and int(text, 10) != value:
        reading, in_yaml12 = f"the octal number {value:g}", int(text, 10)
    else:
        return

    def explain(path: tuple[Any, ...]) -> str:
        keys = [step for step in path if isinstance(step, str)]
        is_number = (bool(keys) and (keys[-1] in _NUMBER_KEYS or keys[-2:-1] == ["weights"])) \
            or path == ("version",)  # the evidence file's version
        said = f"{text} reads as {reading} in YAML 1.1 but as " + (
            "text" if in_yaml12 is None else f"{in_yaml12}") + " in YAML 1.2 (as editors read it)"
        if not is_number:
            return f"{said}: quote it as \"{text}\""
        if in_yaml12 is not None:
            return f"{said}: write {in_yaml12}, without the leading 0"
        if ":" in text and "effort" in keys and text.count(":") <= 2:
            # h:mm or h:mm:ss, as a person writes a duration
            minutes = value / 60 ** (text.count(":") - 1)
            hours = minutes / 60
            if keys[-1] in ("low", "high"):  # a number of hours only
                return f"{said}: write the hours as {'' if round(hours, 2) == hours else 'about '}" \
                       f"{round(hours, 2):g}"
            exact = f"the hours as {hours:g}, or " if round(hours, 2) == hours else ""
            return f"{said}: write {exact}the minutes as '{minutes:g}m'"
        return f"{said}: write {value:g}"

    raise _Failure(node, f"{text} reads differently in YAML 1.1 and YAML 1.2", explain=explain)


_Loader.add_constructor(None, _Loader.construct_undefined)
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)
for _tag in ("set", "omap", "pairs", "binary"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _Loader.construct_undefined)


def load_source(path: Path) -> Readiness:
    """Read and validate the source file at PATH; raise SourceError with every problem."""
    return read_and_load(path)[1]


def read_and_load(path: Path) -> tuple[bytes, Readiness]:
    """The bytes of the source file at PATH and the model validated from exactly those bytes."""
    display = display_name(path)
    text = read_source(path, display)
    return text, load_text(decode_source(text, display), display)


def load_text(text: str, display: str = str(DEFAULT_SOURCE)) -> Readiness:
    """Validate TEXT (the content of a source file) and return the model."""
    return model_from_data(parse(text, display), text, display)


def model_from_data(data: dict[str, Any], text: str, display: str) -> Readiness:
    """Validate parsed DATA (from TEXT) into the model, problems located in TEXT."""
    from pydantic import ValidationError

    from readiness.source.models import Readiness

    try:
        model = Readiness.model_validate(data)
    except ValidationError as error:
        raise SourceError(validation_problems(error, text, display)) from None
    problems = _reference_problems(model, text, display)
    if problems:
        raise SourceError(problems[:MAX_PROBLEMS])
    return model


def parse(text: str, display: str) -> dict[str, Any]:
    """YAML text to plain data: one mapping, no tags, no duplicate keys, bounded aliases."""
    if text.startswith("\ufeff"):
        text = text[1:]
    gc_was_enabled = gc.isenabled()
    gc.disable()  # the loader allocates many objects that are never cycles
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None and "&" in text and "*" in text:  # an alias needs both
            _check_expansion(node, display)  # on the same nodes: the text is composed once
        data = None if node is None else loader.construct_document(node)
    except _Failure as failure:
        where = _path_to(node, failure.node) if failure.with_path and node is not None else None
        message = failure.message if failure.explain is None else failure.explain(where or ())
        raise SourceError([_at(display, failure.node.start_mark, format_path(where or ()),
                               message)]) from None
    except yaml.MarkedYAMLError as error:
        raise SourceError([_yaml_problem(error, display)]) from None
    except yaml.reader.ReaderError as error:
        raise SourceError([_reader_problem(error, text, display)]) from None
    except yaml.YAMLError as error:
        raise SourceError(f"{display}: YAML: {' '.join(str(error).split())}") from None
    except RecursionError:
        raise SourceError(f"{display}: nested too deeply") from None
    finally:
        loader.dispose()
        if gc_was_enabled:
            gc.enable()
    if data is None:
        raise SourceError([Problem(display, 1, 1, "", "the file is empty: expected a mapping with "
                                   "project, phases and tasks (see `readiness init`)")])
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        raise SourceError([Problem(display, 1, 1, "", f"expected a mapping at the top level, "
                                   f"found {kind}")])
    return data


def _check_expansion(node: yaml.Node, display: str) -> None:
    """Refuse documents whose aliases expand to more nodes than allowed (alias bombs).

    Runs on the composed nodes, where an alias is the same node object again, so the walk
    (memoised per node) is linear in the text even when the expansion is not.
    """
    sizes: dict[int, int] = {}

    def size(current: yaml.Node, depth: int) -> int:
        known = sizes.get(id(current))
        if known is not None:
            return known
        if depth > MAX_DEPTH:
            raise SourceError([_at(display, current.start_mark, "", f"nested more than "
                                   f"{MAX_DEPTH} levels deep")])
        total = 1
        if isinstance(current, yaml.SequenceNode):
            total += sum(size(child, depth + 1) for child in current.value)
        elif isinstance(current, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in current.value)
        sizes[id(current)] = total
        if total > MAX_EXPANDED_NODES:
            raise SourceError([_at(display, current.start_mark, "", "aliases expand to more than "
                                   f"{MAX_EXPANDED_NODES:,} values: refused")])
        return total

    size(node, 0)


def _path_to(root: yaml.Node, target: yaml.Node) -> tuple[Any, ...] | None:
    """The key path of TARGET (a node) under ROOT, where it first appears in the text.

    The keys a mapping merges (``<<:``) count as the mapping's own, as they do in the data.
    """
    stack: list[tuple[yaml.Node, tuple[Any, ...]]] = [(root, ())]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if node is target:
            return path
        if id(node) in seen:  # an alias: the anchor came first
            continue
        seen.add(id(node))
        children: list[tuple[yaml.Node, tuple[Any, ...]]] = []
        if isinstance(node, yaml.SequenceNode):
            children = [(child, (*path, index)) for index, child in enumerate(node.value)]
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.tag == _MERGE:
                    sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
                    children += [(source, path) for source in sources]
                else:
                    step = (*path, key.value if isinstance(key, yaml.ScalarNode) else "?")
                    children += [(key, step), (value, step)]
        stack.extend(reversed(children))
    return None


def _at(display: str, mark: Any, key_path: str, message: str) -> Problem:
    return Problem(display, mark.line + 1, mark.column + 1, key_path, message)


def _reader_problem(error: yaml.reader.ReaderError, text: str, display: str) -> Problem:
    """A character YAML does not allow (a control character), located by line and column."""
    line, column = line_and_column(text[: error.position])
    code = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or "\0")
    return Problem(display, line, column, "", f"the character U+{code:04X} is not allowed in YAML")


def _yaml_problem(error: yaml.MarkedYAMLError, display: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    problem = error.problem or "invalid YAML"
    if "expected a single document" in problem or (
        error.context and "expected a single document" in error.context
    ):
        problem = "several YAML documents in one file: keep one (remove the extra '---')"
    elif error.context and error.problem:
        problem = f"{error.context}: {error.problem}" if error.context_mark is None else problem
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return Problem(display, line, column, "", f"YAML syntax: {problem}")


# --- positions ----------------------------------------------------------------------------


class Positions:
    """Find the node of a key path in the composed document (built on demand)."""

    def __init__(self, text: str) -> None:
        try:
            self.root: yaml.Node | None = yaml.compose(text, Loader=_BaseLoader)
        except yaml.YAMLError:
            self.root = None
        self.text = text

    def locate(self, path: tuple[Any, ...]) -> tuple[yaml.Node | None, yaml.Node | None]:
        """The (key node, value node) at PATH, or the deepest ones found along it."""
        node = self.root
        key_node: yaml.Node | None = None
        for step in path:
            found = _child(node, step)
            if found is None:
                return key_node, node
            key_node, node = found
        return key_node, node

    def data_path(self, loc: tuple[Any, ...], missing: bool = False) -> tuple[Any, ...]:
        """Pydantic's LOC as a key path of the text: the steps pydantic adds (union members,
        validators) left out, and each key as written (``2025-01-01``, not pydantic's
        ``datetime.date(2025, 1, 1)``; ``1``, not a list index). A step that is a key of the
        data is kept whatever its name (a key ``date``); MISSING keeps the last step (the key
        that is missing)."""
        node: yaml.Node | None = self.root
        kept: list[Any] = []
        for index, step in enumerate(loc):
            found = _child(node, step) if node is not None else None
            if found is not None:
                key_node, node = found
                kept.append(step if key_node is None or not isinstance(key_node, yaml.ScalarNode)
                            else key_node.value)
                continue
            if _is_internal_step(step) and not (missing and index == len(loc) - 1):
                continue
            kept.append(step)
            node = None
        return tuple(kept)

    def source_text(self, node: yaml.Node) -> str:
        return self.text[node.start_mark.index:node.end_mark.index]


def _child(node: yaml.Node | None, step: Any) -> tuple[yaml.Node | None, yaml.Node] | None:
    """The (key node, value node) of STEP (a key, or an index) in NODE; None if it has none."""
    if isinstance(node, yaml.MappingNode):
        for key, value in _merged_items(node):
            if _is_key(key, step):
                return key, value
    elif (isinstance(node, yaml.SequenceNode) and isinstance(step, int) and not isinstance(step, bool)
          and 0 <= step < len(node.value)):
        return None, node.value[step]
    return None


def _is_key(node: yaml.Node, step: Any) -> bool:
    """Whether key NODE is the key STEP of a pydantic location: its text, its value (an int), or
    the repr pydantic gives a key that is neither text nor a number (a date)."""
    if not isinstance(node, yaml.ScalarNode):
        return False
    if node.value == str(step):
        return True
    if node.tag == _STR:
        return False
    try:
        value = yaml.constructor.SafeConstructor().construct_object(node)
    except (yaml.YAMLError, ValueError, OverflowError, TypeError):
        return False
    if isinstance(step, str):
        return repr(value) == step
    return type(value) is type(step) and bool(value == step)


def _merged_items(node: yaml.MappingNode) -> Iterator[tuple[yaml.Node, yaml.Node]]:
    """NODE's pairs in the order a key's value is found: its own, then those it merges, first first."""
    merges: list[yaml.Node] = []
    for key, value in node.value:
        if key.tag == _MERGE:
            merges += value.value if isinstance(value, yaml.SequenceNode) else [value]
        else:
            yield key, value
    for source in merges:
        if isinstance(source, yaml.MappingNode):
            yield from _merged_items(source)


def format_path(path: tuple[Any, ...]) -> str:
    """('tasks', 3, 'priority') -> 'tasks[3].priority'."""
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += f".{step}" if out else str(step)
    return out


def validation_problems(error: Any, text: str, display: str, root: Any = None) -> list[Problem]:
    """Pydantic's errors about the data of TEXT, each located; ROOT is the model validated (the source's)."""
    positions = Positions(text)
    problems: list[Problem] = []
    seen: set[tuple[int, int, str]] = set()
    for item in error.errors(include_url=False):
        loc = positions.data_path(tuple(item["loc"]), missing=item["type"] == "missing")
        about_key = bool(loc) and loc[-1] == "[key]"  # a mapping's key is wrong, not its value
        if about_key:
            loc = loc[:-1]
        about_key = about_key or item["type"] == "invalid_key"  # a key that is not text, in a model
        message, loc = _message(item, loc, positions, root, about_key)
        key_node, value_node = positions.locate(loc)
        if (item["type"] in ("extra_forbidden",) or about_key) and key_node is not None:
            node: yaml.Node | None = key_node
        else:
            node = value_node if value_node is not None else key_node
        line, column = (node.start_mark.line + 1, node.start_mark.column + 1) if node else (1, 1)
        key = (line, column, message)
        if key in seen:
            continue
        seen.add(key)
        problems.append(Problem(display, line, column, format_path(loc), message))
        if len(problems) >= MAX_PROBLEMS:
            break
    problems.sort(key=lambda p: (p.line, p.column))
    return problems


def _is_internal_step(step: Any) -> bool:
    # pydantic adds union member names and validator names to locations
    return isinstance(step, str) and (
        step.startswith(("function-", "constrained-", "lax-", "strict-", "json-or-python"))
        or step in ("float", "int", "str", "Effort", "date", "is-instance[Effort]", "list[str]")
    )


def _message(item: dict[str, Any], loc: tuple[Any, ...], positions: Positions,
             root: Any = None, about_key: bool = False) -> tuple[str, tuple[Any, ...]]:
    from readiness.source.models import PRIORITY_PATTERN

    kind = item["type"]
    value = item.get("input")
    if about_key and kind in ("string_type", "invalid_key"):
        return _key_message(item, loc, positions, root), loc
    if kind == "extra_forbidden":
        parent_loc, name = loc[:-1], loc[-1]
        allowed = _allowed_keys(parent_loc, root)
        hint = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.6)
        tail = f"; did you mean '{hint[0]}'?" if hint else (
            f"; expected one of: {', '.join(allowed)}" if allowed else "")
        return f"unknown key '{name}'{tail}", loc
    if kind == "missing":
        return f"missing required key '{loc[-1]}'", loc[:-1]
    if kind in ("string_type",) and isinstance(value, (int, float)) and not isinstance(value, bool):
        _, node = positions.locate(loc)
        raw = positions.source_text(node) if node is not None else str(value)
        return f"expected text, found the number {raw}: quote it as \"{raw}\"", loc
    if kind == "string_type" and isinstance(value, bool):
        _, node = positions.locate(loc)
        raw = positions.source_text(node) if node is not None else str(value)
        return f"expected text, found the boolean {raw}: quote it as \"{raw}\"", loc
    if kind == "enum" and isinstance(item.get("ctx"), dict):
        expected = item["ctx"].get("expected", "")
        return f"expected one of {expected.replace(' or ', ', ')}, found {value!r}", loc
    if kind == "string_pattern_mismatch" and (item.get("ctx") or {}).get("pattern") == PRIORITY_PATTERN:
        return f"expected a priority P0 to P9, found {value!r}", loc
    if kind == "string_pattern_mismatch":
        return f"{value!r} is not a valid identifier (letters, digits, '.', '_', '-')", loc
    if kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        wanted = "a list" if kind == "list_type" else "a mapping"
        return f"expected {wanted}, found {_kind_of(value)}", loc
    if kind == "value_error":
        return str(item.get("ctx", {}).get("error", item["msg"])), loc
    return item["msg"][0].lower() + item["msg"][1:], loc


def _key_message(item: dict[str, Any], loc: tuple[Any, ...], positions: Positions, root: Any) -> str:
    """A key that YAML reads as something other than text (a number, a date), named as written."""
    key_node, _ = positions.locate(loc)
    written = positions.source_text(key_node) if key_node is not None else str(loc[-1] if loc else "")
    reads_as = _kind_of(item.get("input"))
    if loc[-2:-1] == ("weights",) and loc[-3:-2] == ("scoring",):
        hint = f"; did you mean 'P{written}'?" if written.isdigit() and len(written) == 1 else ""
        return f"the key {written} is not a priority P0 to P9 (YAML reads it as {reads_as}){hint}"
    if item["type"] == "string_type":
        return f"the key {written} is not text (YAML reads it as {reads_as}): quote it as \"{written}\""
    allowed = _allowed_keys(loc[:-1], root)
    tail = f"; expected one of: {', '.join(allowed)}" if allowed else ""
    return f"unknown key {written}: YAML reads it as {reads_as}, not as text{tail}"


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date"
    return type(value).__name__


def _allowed_keys(parent_loc: tuple[Any, ...], root: Any = None) -> list[str]:
    """The keys allowed at PARENT_LOC under the model ROOT (the source file's by default)."""
    from pydantic import BaseModel

    from readiness.source.models import Readiness

    model: Any = root or Readiness
    for step in parent_loc:
        if isinstance(step, int):
            continue
        is_model = isinstance(model, type) and issubclass(model, BaseModel)
        field = model.model_fields.get(step) if is_model else None
        if field is None:
            return []
        model = _model_of(field.annotation)
        if model is None:
            return []
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _model_of(annotation: Any) -> Any:
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


# --- cross-references ---------------------------------------------------------------------


def _reference_problems(model: Any, text: str, display: str) -> list[Problem]:
    """Duplicate ids, references to things that do not exist, and dependency cycles."""
    problems: list[tuple[tuple[Any, ...], str]] = []

    def unique(kind: str, items: list[Any]) -> set[str]:
        ids: set[str] = set()
        for index, item in enumerate(items):
            if item.id in ids:
                problems.append(((kind, index, "id"), f"duplicate id '{item.id}'"))
            ids.add(item.id)
        return ids

    phases = unique("phases", model.phases)
    tasks = unique("tasks", model.tasks)
    roles = unique("roles", model.roles)
    milestones = unique("milestones", model.milestones)
    unique("risks", model.risks)

    def refer(loc: tuple[Any, ...], value: str, known: set[str], kind: str) -> None:
        if value not in known:
            hint = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
            tail = f"; did you mean '{hint[0]}'?" if hint else ""
            problems.append((loc, f"no {kind} with id '{value}'{tail}"))

    for i, task in enumerate(model.tasks):
        refer(("tasks", i, "phase"), task.phase, phases, "phase")
        for j, dep in enumerate(task.depends_on):
            refer(("tasks", i, "depends_on", j), dep, tasks, "task")
            if dep == task.id:
                problems.append((("tasks", i, "depends_on", j), "a task cannot depend on itself"))
    environments = set(model.project.environments)
    for i, task in enumerate(model.tasks):
        for field in ("deploy", "deploy_checks", "rollback"):
            commands = getattr(task, field)
            if isinstance(commands, dict):
                for name in commands:
                    refer(("tasks", i, field, name), name, environments, "environment")
    for i, milestone in enumerate(model.milestones):
        for j, ref in enumerate(milestone.requires.tasks):
            refer(("milestones", i, "requires", "tasks", j), ref, tasks, "task")
        for j, ref in enumerate(milestone.requires.phases):
            refer(("milestones", i, "requires", "phases", j), ref, phases, "phase")
        for j, criterion in enumerate(milestone.sign_off):
            for k, ref in enumerate(criterion.tasks):
                refer(("milestones", i, "sign_off", j, "tasks", k), ref, tasks, "task")
    for j, ref in enumerate(model.evidence.require_verified_for):
        refer(("evidence", "require_verified_for", j), ref, milestones, "milestone")
    for i, risk in enumerate(model.risks):
        for j, ref in enumerate(risk.tasks):
            refer(("risks", i, "tasks", j), ref, tasks, "task")
    for i, question in enumerate(model.faq):
        for j, ref in enumerate(question.roles):
            refer(("faq", i, "roles", j), ref, roles, "role")
    for i, document in enumerate(model.documents):
        for j, ref in enumerate(document.audience):
            refer(("documents", i, "audience", j), ref, roles, "role")
    for i, script in enumerate(model.scripts):
        for j, ref in enumerate(script.audience):
            refer(("scripts", i, "audience", j), ref, roles, "role")

    cycle = find_cycle({t.id: [d for d in t.depends_on if d in tasks and d != t.id] for t in model.tasks})
    if cycle:
        index = next(i for i, t in enumerate(model.tasks) if t.id == cycle[0])
        problems.append(((("tasks", index, "depends_on")),
                         "dependency cycle: " + " -> ".join([*cycle, cycle[0]])))

    if not problems:
        return []
    positions = Positions(text)
    located = []
    for loc, message in problems:
        key_node, value_node = positions.locate(loc)
        node = value_node or key_node
        line, column = (node.start_mark.line + 1, node.start_mark.column + 1) if node else (1, 1)
        located.append(Problem(display, line, column, format_path(loc), message))
    located.sort(key=lambda p: (p.line, p.column))
    return located


def find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """One dependency cycle in GRAPH (node -> the nodes it depends on), or None."""
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(graph, white)
    for start in graph:
        if colour[start] != white:
            continue
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(graph[start]))]
        path = [start]
        colour[start] = grey
        while stack:
            node, children = stack[-1]
            for child in children:
                if colour.get(child, black) == grey:
                    return path[path.index(child):]
                if colour.get(child) == white:
                    colour[child] = grey
                    stack.append((child, iter(graph[child])))
                    path.append(child)
                    break
            else:
                colour[node] = black
                stack.pop()
                path.pop()
    return None
