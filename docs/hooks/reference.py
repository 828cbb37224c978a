"""MkDocs hook: the reference pages of the manual, generated from the code at each build.

- ``reference/cli.md``: every command, argument and option of the click command line;
- ``reference/source-schema.md``: every key of ``schema/readiness.schema.json``;
- ``reference/exit-codes.md``: every exit code of ``readiness.errors``;
- ``reference/template-context.md``: what a page template sees, and its filters;
- ``changelog.md`` and ``explanation/benchmarks.md``: ``CHANGELOG.md`` and ``bench/README.md``.

The pages exist only in memory (``File.generated``), like the readiness pages themselves,
so they cannot drift from the code: ``tests/test_docs_site.py`` checks them against it.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import re
from pathlib import Path
from typing import Any

import click
from mkdocs.structure.files import File, Files


def _repository() -> Path:
    """The clone this site is built from; for a copy of the site (the tests make some), the
    clone the ``readiness`` package is imported from."""
    import readiness

    for root in (Path(__file__).resolve().parents[2], Path(readiness.__file__).resolve().parents[2]):
        if (root / "schema" / "readiness.schema.json").is_file():
            return root
    raise RuntimeError("docs/hooks/reference.py: no schema/readiness.schema.json beside the site "
                       "or the package")


ROOT = _repository()
SCHEMA = ROOT / "schema" / "readiness.schema.json"
EXAMPLE = ROOT / "content" / "readiness.yaml"

GENERATED_NOTE = ("!!! info \"Generated\"\n    This page is generated from {what} at each build of the "
                  "site: it cannot disagree with the code.\n\n")


def on_files(files: Files, config: Any) -> Files:
    pages = {
        "reference/cli.md": cli_page,
        "reference/source-schema.md": schema_page,
        "reference/exit-codes.md": exit_codes_page,
        "reference/template-context.md": template_context_page,
    }
    # files of the repository shown as pages of the manual, as they are
    pages["changelog.md"] = lambda: (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    pages["explanation/benchmarks.md"] = benchmarks_page
    for uri, make in pages.items():
        old = files.get_file_from_path(uri)
        if old is not None:
            files.remove(old)
        files.append(File.generated(config, uri, content=make()))
    return files


def on_config(config: Any) -> Any:
    # mkdocs serve: a change to a file the pages come from rebuilds them (not the Python code:
    # it is imported once, so a change to it needs a new `make serve`)
    for path in (SCHEMA, ROOT / "CHANGELOG.md", ROOT / "bench" / "README.md"):
        if path.exists() and str(path) not in config.watch:
            config.watch.append(str(path))
    return config


# Markdown helpers -----------------------------------------------------------------------


def cell(text: str) -> str:
    """TEXT for a Markdown table cell: no line break, no column break, no HTML."""
    text = " ".join(str(text).split())
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def code(text: str) -> str:
    text = " ".join(str(text).split()).replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}"


def prose(text: str) -> str:
    """Help text as Markdown: click's ``\\b`` paragraphs kept as preformatted blocks."""
    out = []
    for paragraph in inspect.cleandoc(text).split("\n\n"):
        if paragraph.startswith("\b"):
            out.append("```text\n" + paragraph.lstrip("\b").strip("\n") + "\n```")
        else:
            out.append(cell(paragraph))
    return "\n\n".join(out)


def benchmarks_page() -> str:
    text = (ROOT / "bench" / "README.md").read_text(encoding="utf-8")
    return text.replace("# Benchmarks", "# Benchmarks in full", 1).replace(
        "(see the README, \"Speed: remembered\n  digests\")",
        "(see [remembered digests](../guides/commit.md#speed-remembered-digests))")


# The command line -----------------------------------------------------------------------


def command_group() -> click.Group:
    """The click group behind the ``readiness`` program."""
    from readiness.cli import main as cli

    groups = [value for value in vars(cli).values() if isinstance(value, click.Group)]
    if len(groups) != 1:
        raise RuntimeError(f"readiness.cli.main should define one click group, found {len(groups)}")
    return groups[0]


def _metavar(param: click.Parameter, ctx: click.Context) -> str:
    try:
        return param.make_metavar(ctx)  # type: ignore[call-arg]  # click >= 8.2
    except TypeError:
        return param.make_metavar()  # type: ignore[call-arg]  # click 8.1


def _options(command: click.Command, ctx: click.Context) -> list[str]:
    rows = []
    for param in command.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        if isinstance(param, click.Argument):
            rows.append(f"| {code(_metavar(param, ctx))} | argument{'' if param.required else ' (optional)'} |")
            continue
        record = param.get_help_record(ctx)
        if record is None:
            continue
        names, text = record
        rows.append(f"| {code(names)} | {cell(text)} |")
    return ["| option | meaning |", "| --- | --- |", *rows] if rows else []


def cli_page() -> str:
    group = command_group()
    root = click.Context(group, info_name="readiness", **group.context_settings)
    lines = ["# Command line", "", GENERATED_NOTE.format(what="the click commands in `readiness.cli`"),
             "Run `readiness COMMAND --help` for the same text in the terminal. Every error prints one "
             "line and ends with an [exit code](exit-codes.md).", "",
             "| command | what it does |", "| --- | --- |"]
    names = group.list_commands(root)
    for name in names:
        command = group.get_command(root, name)
        assert command is not None
        lines.append(f"| [`{name}`](#readiness-{name}) | {cell(command.get_short_help_str(limit=120))} |")
    lines += ["", "## readiness", "", prose(group.help or ""), "",
              "```text", " ".join(group.collect_usage_pieces(root)).join(["readiness ", ""]), "```", "",
              *_options(group, root), ""]
    for name in names:
        command = group.get_command(root, name)
        assert command is not None
        ctx = click.Context(command, info_name=name, parent=root)
        usage = " ".join(command.collect_usage_pieces(ctx))
        lines += [f"## readiness {name}", "", prose(command.help or ""), "",
                  "```text", f"readiness {name} {usage}", "```", "", *_options(command, ctx), ""]
    return "\n".join(lines)


# The source file's schema ---------------------------------------------------------------


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _anchor(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _bounds(node: dict[str, Any]) -> list[str]:
    notes = []
    if "enum" in node:
        notes.append("one of " + ", ".join(code(json.dumps(v)) for v in node["enum"]))
    if "pattern" in node:
        notes.append(f"matching {code(node['pattern'])}")
    low, high = node.get("minimum"), node.get("maximum")
    if low is not None and high is not None:
        notes.append(f"{low:,} to {high:,}")
    elif low is not None:
        notes.append(f"at least {low:,}")
    elif high is not None:
        notes.append(f"at most {high:,}")
    if "exclusiveMinimum" in node and "not" not in node:
        notes.append(f"above {node['exclusiveMinimum']:,}")
    if node.get("maxLength"):
        notes.append(f"at most {node['maxLength']:,} characters")
    if node.get("minItems"):
        notes.append(f"at least {node['minItems']} item{'s' if node['minItems'] > 1 else ''}")
    return notes


def type_of(node: dict[str, Any]) -> str:
    """A JSON Schema node in words, with links to the objects it names."""
    if "$ref" in node:
        name = _ref_name(node["$ref"])
        return f"[{name}](#{_anchor(name)})"
    if "anyOf" in node:
        kinds = [type_of(n) for n in node["anyOf"] if n.get("type") != "null"]
        return " or ".join(dict.fromkeys(kinds))
    kind = node.get("type")
    if kind == "array":
        return "list of " + type_of(node.get("items", {}))
    if kind == "object":
        if "additionalProperties" in node and isinstance(node["additionalProperties"], dict):
            return "mapping to " + type_of(node["additionalProperties"])
        if "properties" in node:
            return "mapping with " + ", ".join(code(k) for k in node["properties"])
        return "mapping"
    words = {"string": "text", "number": "number", "integer": "whole number", "boolean": "true or false",
             "null": "null"}
    if isinstance(kind, list):
        return " or ".join(words.get(k, k) for k in kind)
    if kind is None and "enum" in node:
        return "text"
    text = words.get(kind, str(kind or "any"))
    if kind == "string" and node.get("format") == "date":
        text = "date (YYYY-MM-DD)"
    return text


def _notes(node: dict[str, Any]) -> str:
    parts = []
    if node.get("description"):
        parts.append(cell(node["description"]))
    inner = [n for n in node.get("anyOf", [node]) if n.get("type") != "null"]
    bounds = [b for n in inner for b in _bounds(n)]
    if node.get("type") == "array":
        bounds += _bounds(node.get("items", {}))
    if bounds and not node.get("description"):
        parts.append("; ".join(dict.fromkeys(bounds)) + ".")
    if "default" in node and node["default"] not in (None, [], {}):
        parts.append(f"Default {code(json.dumps(node['default']))}.")
    return " ".join(parts)


def _table(node: dict[str, Any]) -> list[str]:
    required = set(node.get("required", ()))
    rows = ["| key | type | required | meaning |", "| --- | --- | --- | --- |"]
    for key, value in node.get("properties", {}).items():
        needed = "yes" if key in required else ""
        rows.append(f"| {code(key)} | {type_of(value)} | {needed} | {_notes(value)} |")
    return rows


def schema_page() -> str:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    defs: dict[str, Any] = schema.get("$defs", {})
    lines = ["# Source file schema", "",
             GENERATED_NOTE.format(what="`schema/readiness.schema.json` (itself generated from the models "
                                   "by `readiness schema`)"),
             "The keys of `content/readiness.yaml`. A key that is not listed is an error at its line and "
             "column (with the nearest key suggested). Start the file with "
             "`# yaml-language-server: $schema=../schema/readiness.schema.json` and editors complete "
             "and check it as you type.", "",
             "## The file", "", cell(schema.get("description", "")), "", *_table(schema), ""]
    for name in _in_order(schema, defs):
        node = defs[name]
        lines += [f"## {name}", ""]
        if node.get("description"):
            lines += [cell(node["description"]), ""]
        if "properties" in node:
            lines += _table(node)
        else:
            lines.append(f"A {type_of(node)}{': ' + '; '.join(_bounds(node)) if _bounds(node) else ''}.")
        lines.append("")
    return "\n".join(lines)


def _in_order(schema: dict[str, Any], defs: dict[str, Any]) -> list[str]:
    """The definitions in the order a reader meets them, from the top of the file down."""
    seen: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                name = _ref_name(node["$ref"])
                if name not in seen and name in defs:
                    seen.append(name)
                    walk(defs[name])
            for key, value in node.items():
                if key != "$defs":
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema.get("properties", {}))
    return seen + sorted(set(defs) - set(seen))


# Exit codes -----------------------------------------------------------------------------


def exit_codes_page() -> str:
    from readiness.exit_codes import exit_codes

    lines = ["# Exit codes", "", GENERATED_NOTE.format(what="the error family in `readiness.errors`"),
             "Every error a user can cause ends the command with one of these codes and one line on "
             "standard error, never a traceback (`readiness --debug COMMAND` adds one for bug reports). "
             "A problem in the source file prints as `file:line:col: key.path: message`; every other "
             "error starts with `readiness: `.", "",
             "| code | meaning |", "| --- | --- |"]
    for entry in exit_codes():
        meaning = " / ".join(m.replace("|", "\\|") for m in entry.meanings)
        lines.append(f"| {entry.code} | {meaning} |")
    lines += ["", "What each command means by them in detail: [cleanup](../guides/cleanup.md#exit-codes), "
              "[commit](../guides/commit.md#exit-codes), [mark](../guides/source-file.md#marking-a-task), "
              "[the CI gate](../guides/evidence-and-gate.md#the-ci-gate).",
              "", "## In Python", "",
              "Library code raises these errors, each carrying a one-line message; the command line "
              "turns them into the codes above, and the MkDocs plugin into a `PluginError`.", "",
              "| error | code |", "| --- | --- |"]
    for entry in exit_codes():
        lines += [f"| `readiness.errors.{kind}` | {entry.code} |" for kind in entry.kinds]
    lines.append("")
    return "\n".join(lines)


# The template context -------------------------------------------------------------------

# What each name of the context is, in the words of a template author. A name the code adds
# without an entry here is still listed, with its type.
CONTEXT = {
    "model": "the whole source file, validated (`model.project`, `model.tasks`, `model.milestones`, ...)",
    "project": "`model.project`: name, owner, dates, capacity",
    "figures": "every computed figure: score, projections, progress, effort, milestones and their states, "
               "the plan, evidence",
    "tasks": "each task by its id",
    "topics": "each topic, sorted, with its tasks in source order",
    "phase_titles": "each phase's title by its id",
    "evidence": "for each done task whose deliverables are missing, the missing paths",
    "evidence_checked": "whether deliverables were checked against a repository",
    "score": "the score as written on the pages (`78/100`)",
    "timeline": "the dated events (as-of date, milestones, completions) for the timeline picture",
    "confidence": "how far the figures can be trusted, and why",
    "recent": "the tasks completed most recently",
    "next_milestone": "the next milestone not yet reached, or none",
    "status_shares": "the share of tasks in each status",
    "milestone_ids": "the ids of every milestone",
    "page": "each page's file name by its name, for links (`page['executive-summary']`)",
    "pages": "every page rendered, built-in and the project's own, in reading order: name, file, title, "
             "audience, what it holds, built_in",
    "built_on": "the day the pages are built (today, or `SOURCE_DATE_EPOCH`)",
    "stale": "whether the state is more than `stale_after_days` older than `built_on`",
    "stale_after_days": "after how many days a state is called old",
    "verification": "the verify results and their age (when a repository is known), else none",
    "score_history": "an inline SVG of the score at each commit of the source, else none",
    "changes": "what changed since the previous committed state of the source (`commit`, `committed`, "
               "`short`, and `changes`: `finished`, `reopened`, `added`, `removed`, `score_before`, "
               "`score_now`, `score_delta`, `milestones`, `removed_milestones`), else none",
}


def template_context_page() -> str:
    import jinja2

    from readiness.figures.assessment import assess_project
    from readiness.pages import render
    from readiness.source.loader import read_and_load

    _, model = read_and_load(EXAMPLE)
    values = render.context(assess_project(model), dt.date(2025, 11, 27))
    env = render.environment(None)
    own = sorted(set(env.filters) - set(jinja2.Environment().filters))
    lines = ["# Template context", "",
             GENERATED_NOTE.format(what="`readiness.pages.render` (the names a template sees, built from the "
                                   "example project)"),
             "A page template (`templates/NAME.md.j2`) sees these names. Every `{{ }}` is escaped for "
             "Markdown and HTML unless the template marks it `|safe`, and an undefined name is an error. "
             "See [pages and templates](../guides/pages.md#your-own-pages).", "",
             "## Names", "", "| name | type | what it is |", "| --- | --- | --- |"]
    for name, value in values.items():
        lines.append(f"| {code(name)} | {code(type(value).__name__)} | {CONTEXT.get(name, '')} |")
    lines += ["", "## Filters", "", "Besides Jinja's own filters:", "", "| filter | what it does |",
              "| --- | --- |"]
    for name in own:
        doc = inspect.getdoc(env.filters[name]) or ""
        lines.append(f"| {code(name)} | {cell(doc.split(chr(10) * 2)[0])} |")
    lines.append("")
    return "\n".join(lines)
