"""A page template that fails, as one line: the template file, its line, and what went wrong.

A project's own templates (its ``templates/`` folder) can fail in any way Jinja or Python
can: a syntax error, an undefined name, a division by zero, a macro that calls itself
without end, a file that is not UTF-8. Each becomes a TemplateError (exit 9) that names the
template file and line where they are known, never a traceback.
"""

from __future__ import annotations

from types import TracebackType

from readiness.errors import TemplateError

_SUFFIX = ".j2"


def template_error(error: BaseException, page: str) -> TemplateError:
    """ERROR, raised while loading or rendering the template of PAGE, as one line."""
    import jinja2

    where = _innermost_template_line(error.__traceback__) or page
    if isinstance(error, jinja2.TemplateSyntaxError):
        where = f"{_shown(error.filename or error.name or page)}:{error.lineno}"
        message = error.message or "syntax error"
    elif isinstance(error, jinja2.TemplateNotFound):
        message = f"no template named {error.name!r}"
    elif isinstance(error, jinja2.UndefinedError):
        message = error.message or "undefined"
    elif isinstance(error, UnicodeDecodeError):
        loaded = _loading(error.__traceback__)
        line = error.object[:error.start].count(b"\n") + 1
        where = f"{_shown(loaded)}:{line}" if loaded else where
        message = f"not UTF-8 text (byte 0x{error.object[error.start]:02X}): save the file as UTF-8"
    elif isinstance(error, RecursionError):
        message = "calls itself without end (a macro, include or extends that recurses)"
    else:
        detail = str(error).splitlines()[0] if str(error) else ""
        message = f"{type(error).__name__}: {detail}" if detail else type(error).__name__
    return TemplateError(f"{where}: template: {message}")


def _innermost_template_line(trace: TracebackType | None) -> str | None:
    """FILE:LINE of the innermost template frame in TRACE (Jinja gives those frames the
    template's file name and line)."""
    found = None
    while trace is not None:
        filename = trace.tb_frame.f_code.co_filename
        if filename.endswith(_SUFFIX):
            found = f"{_shown(filename)}:{trace.tb_lineno}"
        trace = trace.tb_next
    return found


def _loading(trace: TracebackType | None) -> str | None:
    """The template file a Jinja loader was reading when TRACE was raised."""
    found = None
    while trace is not None:
        frame = trace.tb_frame
        if frame.f_code.co_name == "get_source" and isinstance(frame.f_locals.get("filename"), str):
            found = frame.f_locals["filename"]
        trace = trace.tb_next
    return found


def _shown(path: str) -> str:
    from pathlib import Path

    from readiness.source.locate import display_name

    return display_name(Path(path)) if "/" in path else path
