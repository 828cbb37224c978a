"""Render the pages: the model and its figures through Jinja templates into Markdown.

Templates come from the project's ``templates/`` folder first, then from the package
(a Jinja ChoiceLoader), so a project can override a page or a partial by name, or add
a page with a new ``*.md.j2``. Every ``{{ }}`` is escaped for Markdown and HTML unless
the template marks it safe: strings from the source are data, never markup.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from readiness.errors import ReadinessError
from readiness.figures import core as fig
from readiness.figures.assessment import CRITICAL_PATH_RULE, PLAN_RULE, Assessment, recently_completed
from readiness.figures.runbook import runbook
from readiness.figures.schedule import schedule
from readiness.pages.generated import MARKER
from readiness.pages.icons import STATUS_ICONS, icon
from readiness.pages.pictures import Drawer
from readiness.settings import STALE_AFTER_DAYS, build_date
from readiness.source.models import Readiness, check_url
from readiness.words import plural

PAGES = ("start-here", "executive-summary", "implementation-status", "production-tracker", "runbook", "index")
SUFFIX = ".md.j2"

# Characters that mean something in Markdown, its common extensions (attr_list, emoji,
# critic, mark, caret, tilde, macros, tables) or HTML, written as numeric character
# references: they read the same in Markdown text, table cells and HTML attributes alike.
# A lone "+" means nothing there (only "++", keys, and a "+ " opening a line do), so it stays
# a plain "+" in the Markdown files: "24 h + 1 unestimated task", not "24 h &#43; 1 ...".
_ENTITIES = {c: f"&#{ord(c)};" for c in "\\`*_{}[]|#!~^=:$"}
_ENTITIES.update({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
_ESCAPE = str.maketrans(_ENTITIES)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_START = re.compile(r"^(\d+)([.)])(?=\s|$)|^([-+])")
_SPACE = re.compile(r"[^\S\u00a0]+")  # runs of white space in text; a no-break space stays one
_URL_SPACE = re.compile(r"\s+")
_PLUSES = re.compile(r"\+{2,}")  # "++ctrl++" would be keys (pymdownx.keys)
# text made only of these needs no escaping (unless it starts like a list item)
_PLAIN = re.compile(r"[A-Za-z0-9 ,;/()?%@.'–—·]*\Z")


def inline(value: object) -> str:
    """VALUE as one line of Markdown text that shows exactly the characters it holds."""
    text = value if type(value) is str else str(value)
    if _PLAIN.match(text) and "  " not in text and not _LINE_START.match(text):
        return text
    text = _SPACE.sub(" ", _CONTROL.sub(" ", text))
    text = _PLUSES.sub(lambda m: "&#43;" * len(m.group()), text.translate(_ESCAPE))
    # what would open a list at the start of a line ("1. ", "- ") is written as a reference too
    return _LINE_START.sub(lambda m: m.group(1) + f"&#{ord(m.group(2))};" if m.group(1)
                           else f"&#{ord(m.group(3))};", text, count=1)


def finalize(value: Any) -> Any:
    """Escape every ``{{ }}`` output, unless the template marked it safe (Markup)."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    return inline(value)


def code(value: object) -> Markup:
    """VALUE as inline code that is safe in text, table cells and HTML."""
    return Markup(f"<code>{inline(value)}</code>")


def codeblock(value: object, language: str = "bash") -> Markup:
    """VALUE as a fenced code block (readers copy it with Material's copy button)."""
    text = _CONTROL.sub(" ", str(value).replace("\r\n", "\n").replace("\r", "\n")).rstrip("\n")
    longest = max((len(run) for run in re.findall(r"`+|~+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return Markup(f"{fence}{language}\n{text}\n{fence}")


def safe_url(value: object) -> Markup:
    """A link target that passed the scheme check again, escaped for an HTML attribute."""
    text = str(value).strip()
    try:
        check_url(text)
    except ValueError:
        return Markup("#")
    # inline HTML is kept whole by Markdown, so HTML escaping is all the attribute needs
    return Markup(html.escape(_URL_SPACE.sub("%20", _CONTROL.sub("", text)), quote=True))


def percent(value: float) -> Markup:
    """A share as a CSS/SVG percentage with one decimal (geometry, not a figure)."""
    return Markup(f"{value:.1f}%")


def anchor(value: object) -> Markup:
    """An identifier as a URL fragment / HTML id (ids are letters, digits, '.', '_', '-')."""
    return Markup(re.sub(r"[^A-Za-z0-9._-]", "-", str(value)))


def file_tree(paths: list[str]) -> str:
    """PATHS (relative, '/'-separated) drawn as an indented tree, folders first."""
    root: dict[str, Any] = {}
    for path in paths:
        node = root
        for part in [" ".join(p.split()) for p in path.split("/") if p not in ("", ".")]:
            node = node.setdefault(part, {})
    lines: list[str] = []

    def walk(node: dict[str, Any], depth: int) -> None:
        for name in sorted(node, key=lambda n: (not node[n], n.lower())):
            lines.append("    " * depth + (f"{name}/" if node[name] else name))
            walk(node[name], depth + 1)

    walk(root, 0)
    return "\n".join(lines)




def task_link(task: Any, page: str = "production-tracker.md") -> Markup:
    """A Markdown link to the task's entry in the tracker (PAGE "" for the same page)."""
    return Markup(f"[{inline(task.title)}]({page}#task-{anchor(task.id)})")


def status_label(task: Any) -> Markup:
    return Markup(f"{icon(STATUS_ICONS[task.status.value])} {task.status.label}")


def effort(task: Any) -> Markup | str:
    """A task's own effort, written as figures.Hours writes a sum ("24\u00a0h", "8–16\u00a0h")."""
    if task.effort is None:
        return "not estimated"
    return hours(fig.Hours(task.effort.low, task.effort.high))


def hours(value: object) -> Markup:
    """Hours (figures.Hours) as text whose number and unit stay on one line ("34\u00a0h")."""
    return Markup(inline(str(value)).replace(" h", "\u00a0h"))


def share(value: float) -> Markup:
    """A share of 100 as text, rounded half up, that does not break before its sign ("38\u00a0%")."""
    return Markup(f"{fig.whole_points(value)}\u00a0%")


def number(value: float) -> str:
    """A figure such as 40, 0.5 or 2.33: no ".0", at most two decimals."""
    return fig.number(value)


def clip(value: object, limit: int) -> str:
    """VALUE cut to LIMIT characters, ending in "…" when cut (for labels inside pictures)."""
    text = _SPACE.sub(" ", str(value)).strip()
    return text if len(text) <= limit else text[: max(1, limit - 1)].rstrip() + "…"


def long_date(value: dt.date | None) -> str:
    return value.isoformat() if value else "not set"


def environment(templates_dir: Path | None = None) -> jinja2.Environment:
    """The Jinja environment: project templates first, then the built-in ones.

    Kept between builds (``mkdocs serve``); templates are recompiled when their files change.
    """
    found = templates_dir is not None and templates_dir.is_dir()
    return _environment(templates_dir.resolve() if templates_dir is not None and found else None)


class ProjectTemplates(jinja2.FileSystemLoader):
    """A project's templates folder, each file read as the source file is: a regular file, within
    the size limit (``READINESS_MAX_BYTES``), read without waiting; anything else is one line
    (TemplateError, exit 9) rather than a build that reads a huge file into memory."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        import os
        import posixpath

        from jinja2.loaders import split_template_path

        from readiness.errors import SourceError, TemplateError
        from readiness.source.locate import display_name, read_source_file

        pieces = split_template_path(template)
        for folder in self.searchpath:
            filename = posixpath.join(folder, *pieces)
            if os.path.isfile(filename):
                break
        else:
            raise jinja2.TemplateNotFound(template)
        try:
            data, info = read_source_file(Path(filename), display_name(Path(filename)))
        except SourceError as error:
            lines = (line.replace(": the file is", ": the template is") for line in error.lines)
            raise TemplateError(*lines) from None
        contents = data.decode(self.encoding)  # not UTF-8: template_errors names the file and line
        mtime = info.st_mtime

        def uptodate() -> bool:
            try:
                return os.path.getmtime(filename) == mtime
            except OSError:
                return False

        return contents, os.path.normpath(filename), uptodate


@functools.lru_cache(maxsize=8)
def _environment(templates_dir: Path | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if templates_dir is not None:
        loaders.append(ProjectTemplates(str(templates_dir)))
    loaders.append(jinja2.PackageLoader("readiness", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,
        # compiled templates are kept in Jinja's per-user temporary cache: each build starts warm
        bytecode_cache=jinja2.FileSystemBytecodeCache(),
    )
    env.filters.update(code=code, codeblock=codeblock, url=safe_url, pct=percent, points=fig.whole_points,
                       hours=hours, plural=plural, date=long_date, share=share, number=number, clip=clip,
                       anchor=anchor, tree=file_tree, task_link=task_link, status_label=status_label,
                       effort=effort)
    env.globals["icon"] = icon
    env.globals["draw"] = Drawer(inline)
    return env


def page_names(env: jinja2.Environment) -> list[str]:
    """The built-in pages in reading order, then the pages the project adds."""
    found = {name[: -len(SUFFIX)] for name in env.list_templates() if name.endswith(SUFFIX) and "/" not in name}
    return [p for p in PAGES if p in found] + sorted(found - set(PAGES))


def tasks_by_topic(model: Readiness) -> dict[str, list[Any]]:
    """Each topic (sorted) with its tasks in source order."""
    topics: dict[str, list[Any]] = {}
    for task in model.tasks:
        for topic in task.topics:
            topics.setdefault(topic, []).append(task)
    return dict(sorted(topics.items()))



# The built-in pages: title, for whom, what they hold (the Index lists them, with the project's own).
_ABOUT = {
    "start-here": ("Start here", "everyone", "where to go, score ladder, critical path, next steps"),
    "executive-summary": ("Executive summary", "executives", "score, projections, timeline, risks, sign-off"),
    "implementation-status": ("Implementation status", "project managers",
                              "week-by-week schedule, load per owner, blocked work, every task, go/no-go"),
    "production-tracker": ("Production tracker", "developers, DevOps",
                           "deliverables, deploy and verify commands"),
    "runbook": ("Deploy runbook", "DevOps",
                "numbered deploy steps in dependency order, with prerequisites, commands per "
                "environment, checks and rollback"),
    "index": ("Index", "everyone", "links by role, topic and task, documents, scripts, FAQ, timeline"),
}


@dataclass(frozen=True)
class PageInfo:
    """A page as the Index and Start here list it."""

    name: str
    file: str
    title: str
    audience: str
    holds: str
    built_in: bool


def context(assessment: Assessment, built_on: dt.date | None = None) -> dict[str, Any]:
    """What every template sees: the model, its figures and the assessment's verdicts.

    Templates read verdicts (milestone states, the plan, checklist boxes) from ``assessment``
    and never decide one. BUILT_ON (default: ``build_date()``) is the day the pages are built;
    ``stale`` tells the templates that the state's as-of date is more than ``STALE_AFTER_DAYS``
    before it.
    """
    built_on = built_on or build_date()
    model, figures = assessment.model, assessment.figures
    return {
        "model": model,
        "project": model.project,
        "assessment": assessment,
        "figures": figures,
        "milestones": assessment.milestones,
        "plan": assessment.plan,
        "plan_rule": PLAN_RULE,
        "critical_path_rule": CRITICAL_PATH_RULE,
        "held": assessment.held,
        "tasks": {t.id: t for t in model.tasks},
        "topics": tasks_by_topic(model),
        "phase_titles": {p.id: p.title for p in model.phases},
        "evidence": {flag.task.id: set(flag.missing) for flag in figures.evidence or ()},
        "evidence_checked": assessment.evidence_checked,
        "score": fig.whole_points(figures.score),
        "timeline": fig.timeline(model, assessment.milestones),
        "confidence": assessment.confidence,
        "recent": recently_completed(model),
        "next_milestone": assessment.next_milestone,
        "status_shares": fig.shares(figures.status_counts),
        "milestone_ids": {m.milestone.id for m in assessment.milestones},
        # the plan's order (blocked work after it), computed once: the runbook keeps the tasks of it
        # that deploy something, the schedule places them week by week
        "runbook": runbook(assessment.order, {t.id: t for t in model.tasks}, model.project.environments),
        "done_ids": set(figures.done),
        "schedule": schedule(assessment.order, set(figures.done), model.project.capacity_hours_per_week,
                             model.project.as_of),
        "page": {name: f"{name}.md" for name in PAGES},
        # every page rendered, built-in and the project's own, in reading order (set by render_pages)
        "pages": [PageInfo(name, f"{name}.md", *_ABOUT[name], True) for name in PAGES],
        "built_on": built_on,
        "stale": (built_on - model.project.as_of).days > STALE_AFTER_DAYS,
        "stale_after_days": STALE_AFTER_DAYS,
        "verification": assessment.evidence,  # evidence.EvidenceReport: verify results and their age
        # Filled by readiness.pages.site when the source is in a repository:
        "score_history": None,  # an inline SVG of the score at each commit of the source
        "changes": None,  # figures.changes.ChangesSince: what changed since the previous committed state
    }


def render_pages(assessment: Assessment, templates_dir: Path | None = None,
                 extra: Mapping[str, Any] | None = None, built_on: dt.date | None = None) -> dict[str, str]:
    """Every page as {relative path: Markdown}, each starting with the generated marker.

    The project's own pages are rendered first, so that the built-in ones (the Index, Start
    here) can list them by their first heading and first sentence.
    """
    model = assessment.model
    env = environment(templates_dir)
    values = {**context(assessment, built_on), **(extra or {})}
    names = page_names(env)
    bodies: dict[str, str] = {}
    added = [name for name in names if name not in PAGES]
    for name in added:
        bodies[name] = _render(env, name, values)
    roles = {name: [r.title for r in model.roles if name in r.pages] for name in added}
    values["pages"] = [info for info in values["pages"] if info.name in names] + [
        PageInfo(name, f"{name}.md", *_about(bodies[name], name), False) for name in added]
    values["pages"] = [PageInfo(i.name, i.file, i.title, ", ".join(roles[i.name]) if roles.get(i.name)
                                else i.audience, i.holds, i.built_in) for i in values["pages"]]
    values["page"] = {info.name: info.file for info in values["pages"]}
    for name in names:
        if name not in bodies:
            bodies[name] = _render(env, name, values)
    return {f"{name}.md": f"{MARKER}\n{bodies[name].lstrip()}" for name in names}


def _render(env: jinja2.Environment, name: str, values: Mapping[str, Any]) -> str:
    """Page NAME rendered; any failure of a template is one line (TemplateError, exit 9)."""
    from readiness.pages.template_errors import template_error

    try:
        return env.get_template(name + SUFFIX).render(values)
    except ReadinessError:
        raise
    except (Exception, RecursionError) as error:  # a project's template may fail in any way
        raise template_error(error, name + SUFFIX) from None


_HEADING = re.compile(r"^# (.+?)(?:\s*\{[^}]*\})?\s*$", re.MULTILINE)


def _about(body: str, name: str) -> tuple[str, str, str]:
    """A project page's title (its first heading, else its name), audience and first sentence.

    Both come from the rendered Markdown, already escaped, so they are returned as Markup
    (a "|" written by the template itself is escaped for the table cell they go into).
    """
    found = _HEADING.search(body)
    title = found.group(1).strip() if found else inline(name.replace("-", " ").capitalize())
    holds = ""
    if found:
        paragraph = []
        for line in body[found.end():].lstrip("\n").splitlines():
            if not line.strip():
                break
            paragraph.append(line.strip())
        text = " ".join(paragraph)
        if text and text[0] not in "<|!#`-*>{":  # prose, not a table, picture, list or block
            sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
            holds = sentence if len(sentence) <= 160 else sentence[:159].rstrip() + "…"
    return Markup(title.replace("|", "&#124;")), "everyone", Markup(holds.replace("|", "&#124;"))
