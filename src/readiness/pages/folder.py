"""Write rendered pages to a folder safely: only what changed, atomically, never over a hand-written file.

A page on disk is ours when readiness wrote it at exactly that path and nobody changed it
since: its first line is the generated marker and its last line a seal, a hash of its path
in the output folder and of every byte above the seal. A copy of a page elsewhere (an
archive of last month's pages), a draft that starts with the marker, or a page edited by
hand below the marker has no valid seal: build never replaces or removes it. Nothing is
written through a symlink or outside the output folder, and every target is checked before
the first write, so a refusal leaves the folder as it was.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from readiness.errors import GateFailed, WouldLoseData
from readiness.files.atomic import remove_leftovers, replace_if_unchanged, write_atomically
from readiness.pages.generated import MARKER, is_marker_line, refuse_hand_written


@dataclass
class PagesPlan:
    """What writing the pages into a folder changes."""

    out: Path
    write: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)
    leftovers: list[Path] = field(default_factory=list)  # removed temporary files of a killed run
    # the bytes and stat of each page to replace, as planned: replaced only if still so
    seen: dict[str, tuple[bytes, os.stat_result]] = field(default_factory=dict, repr=False)

    @property
    def stale(self) -> list[str]:
        return sorted(self.write + self.remove)


_SEAL = re.compile(rb"\n<!-- readiness seal ([0-9a-f]{64}) of ([^\s<>]+) -->(?:\r?\n|\Z)")


def _seal_hash(name: str, body: bytes) -> str:
    """The hash that ties BODY (line endings as LF: a CRLF checkout stays ours) to the page NAME."""
    normalised = body.replace(b"\r\n", b"\n")
    return hashlib.sha256(b"readiness page\0" + name.encode("utf-8", "surrogateescape") + b"\0"
                          + normalised).hexdigest()


def sealed(name: str, content: str) -> bytes:
    """The bytes of page NAME (its path in the output folder) on disk: CONTENT and its seal."""
    body = content.encode("utf-8")
    if not body.endswith(b"\n"):
        body += b"\n"
    seal = f"<!-- readiness seal {_seal_hash(name, body)} of {quote(name, safe='/')} -->\n"
    return body + b"\n" + seal.encode("ascii")


def _ownership(name: str, data: bytes) -> str:
    """Whose the file at NAME holding DATA is: "ours" (written there by readiness, unchanged
    since), "edited" (written there by readiness, changed since), "other" (not written there by
    readiness: no marker, no seal, or the seal of another path: a copy)."""
    if not is_marker_line(data.split(b"\n", 1)[0]):
        return "other"
    seals = list(_SEAL.finditer(data))
    seal = seals[-1] if seals else None
    if seal is None or seal.group(2).decode("ascii") != quote(name, safe="/"):
        return "other"
    rest = data[:seal.start()] + data[seal.end():]
    return "ours" if seal.group(1).decode("ascii") == _seal_hash(name, rest) else "edited"


def _read(path: Path) -> tuple[bytes, os.stat_result]:
    """The bytes of the file at PATH (only its first line when that is not the marker: it is
    not ours, whatever follows) and its stat; never through a link, never waiting on a pipe."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise WouldLoseData(f"{path}: cannot be read ({error.strerror}); refusing to replace it") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise WouldLoseData(f"{path}: exists and is not a file")
        with os.fdopen(os.dup(descriptor), "rb") as handle:
            head = handle.readline(len(MARKER) + 3)
            return (head + handle.read() if is_marker_line(head) else head), info
    except OSError as error:
        raise WouldLoseData(f"{path}: cannot be read ({error.strerror}); refusing to replace it") from None
    finally:
        os.close(descriptor)


def _target(out: Path, name: str) -> Path:
    """OUT/NAME, refusing symlinks on the way and anything outside OUT."""
    parts = Path(name).parts
    if Path(name).is_absolute() or ".." in parts:
        raise WouldLoseData(f"{name}: outside the output folder {out}")
    current = out
    for part in parts:
        current = current / part
        if current.is_symlink():
            raise WouldLoseData(f"{current}: is a symbolic link; refusing to write through it")
    return current


def plan_pages(pages: dict[str, str], out: Path) -> PagesPlan:
    """Compare PAGES with OUT; raise WouldLoseData if a hand-written file or a link is in the way."""
    if out.is_symlink():
        raise WouldLoseData(f"{out}: the output folder is a symbolic link; refusing to write through it")
    if out.exists() and not out.is_dir():
        raise WouldLoseData(f"{out}: exists and is not a folder")
    plan = PagesPlan(out)
    for name, content in sorted(pages.items()):
        target = _target(out, name)
        if target.exists() and not target.is_file():
            raise WouldLoseData(f"{target}: exists and is not a file")
        if not target.exists():
            plan.write.append(name)
            continue
        data, info = _read(target)
        if data == sealed(name, content):
            plan.unchanged.append(name)
            continue
        whose = _ownership(name, data)
        if whose == "ours" or data == content.encode("utf-8"):  # the very page, only without its seal
            plan.write.append(name)
            plan.seen[name] = (data, info)
        elif whose == "edited":
            raise WouldLoseData(f"{target}: edited since readiness wrote it (its seal no longer matches); "
                                "refusing to overwrite it: move your changes elsewhere, or delete the file")
        elif is_marker_line(data.split(b"\n", 1)[0]):
            raise WouldLoseData(f"{target}: has the readiness marker but was not written here by readiness "
                                "(no seal of this page: a copy, written by hand, or by a readiness older "
                                "than seals); refusing to overwrite it: move it away or delete it")
        else:
            refuse_hand_written(target)
    if out.is_dir():
        for path in sorted(out.rglob("*.md")):
            name = path.relative_to(out).as_posix()
            if name in pages or not path.is_file() or path.is_symlink():
                continue
            whose = _ownership(name, _read(path)[0])
            if whose == "ours":
                plan.remove.append(name)
            elif whose == "edited":
                raise WouldLoseData(f"{path}: is no longer generated, but was edited since readiness wrote it; "
                                    "refusing to remove it: move it away or delete it")
    return plan


def _write(target: Path, name: str, content: str, seen: tuple[bytes, os.stat_result] | None) -> None:
    """Write page NAME at TARGET atomically; a page that was there is replaced only if it is
    still what the plan read (a hand edit saved meanwhile is kept, and refused: exit 4)."""
    if seen is None:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, sealed(name, content))
    else:
        replace_if_unchanged(target, sealed(name, content), *seen, display=str(target))


def write_pages(pages: dict[str, str], out: Path, check: bool = False) -> PagesPlan:
    """Bring OUT up to date with PAGES (or, with CHECK, raise GateFailed listing stale pages)."""
    plan = plan_pages(pages, out)
    if check:
        if plan.stale:
            raise GateFailed("stale pages (run `readiness build`): "
                             + ", ".join(str(out / name) for name in plan.stale))
        return plan
    for name in pages:  # temporary files of a killed build: ours by name; the caller holds the lock
        plan.leftovers.extend(remove_leftovers(out / name))
    for name in plan.write:
        _write(_target(out, name), name, pages[name], plan.seen.get(name))
    for name in plan.remove:
        target = _target(out, name)
        if _ownership(name, _read(target)[0]) == "ours":  # again, just before: still ours unchanged
            target.unlink()
    return plan
