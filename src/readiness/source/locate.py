"""Where the source file is, and reading its bytes: light enough for every command to import.

Nothing here imports PyYAML or pydantic at import time (a site configuration is parsed only
when there is one), so a command that can answer without validating the source, such as
``readiness commit`` with a remembered digest, starts without them.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

from readiness import settings
from readiness.errors import Problem, ReadinessError, SourceError
from readiness.files.project import CONFIG_NAMES, DEFAULT_SOURCE

MAX_BYTES = settings.at_import(settings.max_bytes, 32 * 1024 * 1024)  # READINESS_MAX_BYTES


def find_source(cwd: Path, explicit: Path | None = None) -> Path:
    """The source file: EXPLICIT, else the ``source`` option of the readiness plugin in the
    nearest site configuration (``site_config``), else the default.

    The default is ``content/readiness.yaml`` under the nearest folder (CWD or a parent)
    that has one, a ``.git`` or a site configuration. Every command finds it here.
    """
    if explicit is not None:
        return explicit
    for folder in (cwd, *cwd.parents):
        config = site_config(folder)
        if config is not None:
            source = plugin_option(config, "source")
            return folder / (source if source is not None else DEFAULT_SOURCE)
        if (folder / DEFAULT_SOURCE).is_file() or (folder / ".git").exists():
            return folder / DEFAULT_SOURCE
    return cwd / DEFAULT_SOURCE


# The configuration files of the site generators that read a readiness plugin's options:
# MkDocs (both spellings), its fork ProperDocs, and Zensical (which also reads mkdocs.yml).


def site_config(folder: Path) -> Path | None:
    """The site configuration in FOLDER: the first of ``CONFIG_NAMES`` that names the readiness
    plugin, else the first that exists; None when there is none."""
    found = [folder / name for name in CONFIG_NAMES if (folder / name).is_file()]
    for config in found:
        if plugin_options(config) is not None:
            return config
    return found[0] if found else None


def dropped_by_zensical(root: Path) -> Path | None:
    """The site configuration in ROOT that Zensical reads, when it names the readiness plugin:
    Zensical runs only the plugins it knows and drops the others without a word, so such a
    site gets no readiness pages. That is ``zensical.toml``, or without one ``mkdocs.yml`` (or
    ``mkdocs.yaml``) in a project that depends on Zensical (its ``pyproject.toml`` or a
    ``requirements*.txt`` names it)."""
    toml = root / "zensical.toml"
    if toml.is_file():
        return toml if plugin_options(toml) is not None else None
    if not _depends_on_zensical(root):
        return None
    for name in ("mkdocs.yml", "mkdocs.yaml"):
        config = root / name
        if config.is_file():
            return config if plugin_options(config) is not None else None
    return None


def _depends_on_zensical(root: Path) -> bool:
    for manifest in (root / "pyproject.toml", *sorted(root.glob("requirements*.txt"))):
        try:
            text = manifest.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if re.search(r"(?<![\w-])zensical(?![\w-])", text, re.IGNORECASE):
            return True
    return False


def templates_folder(root: Path) -> Path:
    """The project's page templates: the ``templates`` option of the readiness plugin in
    ROOT's site configuration, else ``templates/`` (as the plugin and ``readiness build`` take it)."""
    config = site_config(root)
    chosen = plugin_option(config, "templates") if config is not None else None
    return root / (chosen if chosen is not None else "templates")


def plugin_option(config: Path, name: str) -> str | None:
    """Option NAME of the readiness plugin in the site configuration CONFIG, when it is text."""
    options = plugin_options(config)
    value = options.get(name) if options is not None else None
    return value if isinstance(value, str) else None


def plugin_options(config: Path) -> dict[str, Any] | None:
    """The options of the readiness plugin in the site configuration CONFIG ({} when it is named
    without options); None when CONFIG cannot be read or does not name it.

    YAML lists plugins (``plugins: [readiness: {...}]``) or maps them (``plugins: {readiness:
    ...}``); Zensical's TOML has a ``[project.plugins.readiness]`` table. Each file is read
    once while it stays the same (every command looks for the source, some twice)."""
    try:
        status = config.stat()
    except OSError:
        return None
    key = (config, status.st_mtime_ns, status.st_size)
    if key not in _OPTIONS:
        _OPTIONS[key] = _read_plugin_options(config)
    return _OPTIONS[key]


_OPTIONS: dict[tuple[Path, int, int], dict[str, Any] | None] = {}


def _read_plugin_options(config: Path) -> dict[str, Any] | None:
    if config.suffix == ".toml":
        project = _toml(config).get("project")
        plugins = project.get("plugins", {}) if isinstance(project, dict) else {}
    else:
        try:
            text = config.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        quick = plain_plugin_options(text)
        if quick is None or isinstance(quick, dict):
            return quick
        plugins = _yaml(text).get("plugins", [])
    return readiness_entry(plugins)


def readiness_entry(plugins: Any) -> dict[str, Any] | None:
    """The readiness plugin's options in a site's ``plugins`` (a list, or a mapping as MkDocs
    also takes it): {} when it is named without options, None when it is not named."""
    if isinstance(plugins, dict):
        plugins = [{key: value} for key, value in plugins.items()]
    for entry in plugins if isinstance(plugins, list) else []:
        if entry == "readiness":
            return {}
        if isinstance(entry, dict) and "readiness" in entry:
            options = entry["readiness"]
            return options if isinstance(options, dict) else {}
    return None


def _yaml(text: str) -> dict[str, Any]:
    import yaml

    try:
        # mkdocs.yml may carry !ENV and python tags; read it leniently, keys only.
        data = yaml.load(text, Loader=_lenient_loader())
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


UNSURE = object()  # plain_plugin_options cannot tell: PyYAML reads the file
_PLUGINS_KEY = re.compile(r"^plugins[ ]*:[ ]*(?:#.*)?$")
_PLUGIN_ITEM = re.compile(r"^([ ]*)(-[ ]+)?readiness[ ]*(:)?(?:[ ]+#.*)?[ ]*$")
_OPTION = re.compile(
    r"^([ ]+)([A-Za-z_][A-Za-z0-9_]*)[ ]*:[ ]+"
    r"""(?:"([^"\\]*)"|'([^']*)'|([^\s#'"{}\[\]&*!|>%@`,?:=-](?:[^#]|(?<=\S)#)*?))"""
    r"(?:[ ]+#.*)?[ ]*$")
_NOT_TEXT = re.compile(r"^(?:[+.0-9].*|~|null|true|false|yes|no|on|off)$", re.IGNORECASE)


def plain_plugin_options(text: str) -> dict[str, Any] | object | None:
    """The readiness plugin's options in the usual layout of an mkdocs.yml, read line by line:
    PyYAML and its import are spared (``cleanup`` and ``commit`` look for the source first).

    The usual layout is a top-level ``plugins:`` block in which ``readiness`` is an item (``-
    readiness``) or a key whose options are ``key: text`` lines. Anything else in that block
    that mentions readiness (flow style, anchors, tags, nested options, numbers), or a file
    that is not plainly laid out, gives ``UNSURE``; None when the block does not name it."""
    if "readiness" not in text:
        return None
    if "\t" in text or text.startswith("\ufeff") or "\n---" in text or "\n..." in text:
        return UNSURE
    lines = text.splitlines()
    starts = [number for number, line in enumerate(lines) if _PLUGINS_KEY.match(line)]
    if len(starts) != 1:
        return UNSURE if any(line.startswith("plugins") for line in lines) else None
    block = []
    for line in lines[starts[0] + 1:]:
        if line.strip() and not line.lstrip().startswith("#"):
            if not line.startswith((" ", "- ")):  # a list may start at the key's own column
                break
            block.append(line)
    for number, line in enumerate(block):
        item = _PLUGIN_ITEM.match(line)
        if item is None:
            if "readiness" in line:
                return UNSURE
            continue
        if item.group(3) is None:  # `- readiness`: the plugin without options
            return {} if item.group(2) else UNSURE
        column = len(item.group(1)) + len(item.group(2) or "")
        options: dict[str, Any] = {}
        indent: dict[str, str] = {}
        used = 0
        for option_line in block[number + 1:]:
            if len(option_line) - len(option_line.lstrip(" ")) <= column:
                break
            option = _OPTION.match(option_line)
            if option is None or option.group(2) in options or option.group(1) != indent.setdefault(
                    "options", option.group(1)):  # one key per line, all at the same indentation
                return UNSURE
            plain = option.group(5)
            if plain is not None and (_NOT_TEXT.match(plain) or ": " in plain):
                return UNSURE
            options[option.group(2)] = next(v for v in option.group(3, 4, 5) if v is not None)
            used += 1
        if any("readiness" in other for other in block[number + 1 + used:]):
            return UNSURE  # named twice, or written in a way not read here
        return options
    return None


def _toml(config: Path) -> dict[str, Any]:
    try:
        text = config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    try:
        import tomllib as toml  # Python 3.11 and later
    except ImportError:  # pragma: no cover - Python 3.10
        try:
            import tomli as toml  # type: ignore[no-redef, import-not-found, unused-ignore]
        except ImportError:
            return plugin_table(text)
    try:
        data = toml.loads(text)
    except ValueError:  # TOMLDecodeError is a ValueError
        return {}
    return data if isinstance(data, dict) else {}


_TABLE = re.compile(r"^[ \t]*\[[ \t]*([^\[\]]+?)[ \t]*\][ \t]*(?:#.*)?$")
_TEXT_KEY = re.compile(r"""^[ \t]*([A-Za-z0-9_-]+)[ \t]*=[ \t]*(?:"([^"\\]*)"|'([^']*)')[ \t]*(?:#.*)?$""")


def plugin_table(text: str) -> dict[str, Any]:
    """The ``[project.plugins.readiness]`` table of the TOML TEXT, its plain text options only,
    shaped as a TOML reader gives it: for Python 3.10 without ``tomli``."""
    options: dict[str, Any] | None = None
    inside = False
    for line in text.splitlines():
        table = _TABLE.match(line)
        if table:
            inside = re.sub(r"[ \t]", "", table.group(1)) == "project.plugins.readiness"
            if inside and options is None:
                options = {}
            continue
        pair = _TEXT_KEY.match(line) if inside else None
        if pair and options is not None:
            options[pair.group(1)] = pair.group(2) if pair.group(2) is not None else pair.group(3)
    return {} if options is None else {"project": {"plugins": {"readiness": options}}}


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


EVIDENCE_NAME = "evidence.yaml"


def evidence_path(source: Path) -> Path:
    """The evidence file belonging to SOURCE (written by ``readiness verify``): next to it."""
    return source.parent / EVIDENCE_NAME


def evidence_bytes(path: Path) -> bytes:
    """The evidence file's bytes (nothing when there is no file), read as the source is read.
    Light on purpose: commands that find a remembered digest read it without the models."""
    if not path.exists():
        return b""
    return read_source(path, display_name(path))  # bounded, a regular file only
