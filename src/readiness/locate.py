"""Where the source file is, and reading its bytes: light enough for every command to import.

Nothing here imports PyYAML or pydantic at import time (mkdocs.yml is parsed only when
there is one), so a command that can answer without validating the source, such as
``readiness commit`` with a remembered digest, starts without them.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from readiness import settings
from readiness.errors import Problem, ReadinessError, SourceError

DEFAULT_SOURCE = Path("content/readiness.yaml")


MAX_BYTES = settings.at_import(settings.max_bytes, 32 * 1024 * 1024)  # READINESS_MAX_BYTES


def find_source(cwd: Path, explicit: Path | None = None) -> Path:
    """The source file: EXPLICIT, else the path in mkdocs.yml's readiness plugin, else the default.

    The default is ``content/readiness.yaml`` under the nearest folder (CWD or a parent)
    that has one, or a ``.git`` or ``mkdocs.yml``.
    """
    if explicit is not None:
        return explicit
    for folder in (cwd, *cwd.parents):
        from_config = _source_from_mkdocs(folder / "mkdocs.yml")
        if from_config is not None:
            return from_config
        if (folder / DEFAULT_SOURCE).is_file() or (folder / ".git").exists():
            return folder / DEFAULT_SOURCE
    return cwd / DEFAULT_SOURCE


def project_root(start: Path) -> Path:
    """The project folder: the nearest folder (START or a parent) with ``.git``, ``mkdocs.yml``
    or ``content/readiness.yaml``; else START. Deliverables, pages and templates are relative
    to it."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if is_project_root(folder):
            return folder
    return start


def is_project_root(folder: Path) -> bool:
    """True when FOLDER holds ``.git``, ``mkdocs.yml`` or ``content/readiness.yaml``."""
    return any((folder / mark).exists() for mark in (".git", "mkdocs.yml", DEFAULT_SOURCE))


def _source_from_mkdocs(config: Path) -> Path | None:
    """The ``source`` option of the readiness plugin in mkdocs.yml, if any."""
    if not config.is_file():
        return None
    source = _plugin_option(config, "source")
    return config.parent / (source if source is not None else DEFAULT_SOURCE)


def templates_folder(root: Path) -> Path:
    """The project's page templates: the ``templates`` option of the readiness plugin in
    ROOT's mkdocs.yml, else ``templates/`` (as the plugin and ``readiness build`` take it)."""
    config = root / "mkdocs.yml"
    chosen = _plugin_option(config, "templates") if config.is_file() else None
    return root / (chosen if chosen is not None else "templates")


def _plugin_option(config: Path, name: str) -> str | None:
    """Option NAME of the readiness plugin in the mkdocs.yml at CONFIG, when it is text."""
    import yaml

    try:
        # mkdocs.yml may carry !ENV and python tags; read it leniently, keys only.
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=_lenient_loader())
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        return None
    for entry in (data or {}).get("plugins", []) if isinstance(data, dict) else []:
        if isinstance(entry, dict) and isinstance(entry.get("readiness"), dict):
            value = entry["readiness"].get(name)
            if isinstance(value, str):
                return value
    return None


_LENIENT: list[Any] = []


def _lenient_loader() -> Any:
    """A loader for mkdocs.yml that turns any tag into None instead of running it."""
    if not _LENIENT:
        import yaml

        base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        loader: Any = type("LenientLoader", (base,), {})
        loader.add_multi_constructor("", lambda loader, suffix, node: None)
        _LENIENT.append(loader)
    return _LENIENT[0]


def display_name(path: Path) -> str:
    """PATH as the user would write it: relative to the current folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def decode_source(text: bytes, display: str) -> str:
    """Source bytes TEXT as text; SourceError (at the line and column of the bad byte) when not UTF-8."""
    wide = _wide_encoding(text)
    if wide:
        raise SourceError([Problem(display, 1, 1, "", f"the file looks like {wide} text: save it as UTF-8")])
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = line_and_column(text[:error.start].decode("utf-8"))
        message = f"not UTF-8 text (byte 0x{text[error.start]:02X}): save the file as UTF-8"
        raise SourceError([Problem(display, line, column, "", message)]) from None


def line_and_column(before: str) -> tuple[int, int]:
    """The line and column (from 1, in characters) just after BEFORE, the text of a file up to
    a point, counting line breaks as YAML does (libyaml too): CR LF, a lone CR or LF, NEL, LS
    and PS; so a file with CR line breaks only (old Mac) has lines too."""
    import re

    line, start = 1, 0
    for brk in re.finditer("\r\n|[\r\n\x85\u2028\u2029]", before):
        line += 1
        start = brk.end()
    return line, len(before) - start + 1


def _wide_encoding(text: bytes) -> str | None:
    """"UTF-32" or "UTF-16" when TEXT starts with their byte-order mark, or has the NUL bytes
    they put beside every ASCII character (a quarter of the bytes or more: YAML allows none).
    UTF-32 puts three beside each (two at least, for any character of the first 65,536), at
    the same places in every four bytes; UTF-16 one in every two."""
    if text.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    head = text[:1024]
    head = head[: len(head) - len(head) % 4]
    if len(head) >= 8 and ((not any(head[2::4]) and not any(head[3::4])) or  # little-endian
                           (not any(head[0::4]) and not any(head[1::4]))):  # big-endian
        return "UTF-32"
    head = text[:1024]
    if text.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(head) >= 4 and head.count(0) * 4 >= len(head)):
        return "UTF-16"
    return None


def read_source(path: Path, display: str) -> bytes:
    """The bytes of the source file at PATH, within the size limit; SourceError otherwise."""
    return read_source_file(path, display)[0]


_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def read_source_file(path: Path, display: str) -> tuple[bytes, os.stat_result]:
    """The bytes of the source file at PATH and its stat, as read: every reader of the source
    goes through here.

    A symbolic link is followed (``check``, ``build`` and the plugin read through one; ``mark``
    refuses it before it reads), but what it leads to must be a regular file: a device
    (``/dev/zero``), a named pipe or a socket is refused with one line (SourceError, exit 3),
    and the file is opened without waiting (``O_NONBLOCK``), so a pipe cannot block. At most
    the size limit and one byte are read, so a file that grows meanwhile is refused too. The
    system refusing to open or read it (permission denied) is SystemRefused (exit 1).
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        if os.path.islink(path):
            raise SourceError(f"{display}: the link points nowhere") from None
        raise SourceError(f"{display}: no such file (run `readiness init`, or pass --source)") from None
    except IsADirectoryError:
        raise SourceError(f"{display}: is a folder, not a file") from None
    except NotADirectoryError:
        raise SourceError(f"{display}: no such file (a part of its path is a file, not a folder)") from None
    except OSError as error:
        raise _refused(display, error) from None
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise SourceError(f"{display}: is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
            raise SourceError(f"{display}: is {kind}, not a regular file; the source must be a file")
        if info.st_size > MAX_BYTES:
            raise SourceError(f"{display}: the file is {info.st_size:,} bytes; the limit is {MAX_BYTES:,}")
        chunks, total = [], 0
        while total <= MAX_BYTES:
            chunk = os.read(descriptor, min(MAX_BYTES + 1 - total, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > MAX_BYTES:
            raise SourceError(f"{display}: the file is more than {MAX_BYTES:,} bytes, the limit")
        return b"".join(chunks), info
    except OSError as error:
        raise _refused(display, error) from None
    finally:
        os.close(descriptor)


def _refused(display: str, error: OSError) -> ReadinessError:
    """The one line for the system refusing to open or read the source."""
    from readiness.errors import SystemRefused

    return SystemRefused(f"{display}: cannot read: {error.strerror or error}")
