"""Replacing a file whole: a reader sees the old bytes or the new ones, never half of them.

The new bytes go to a temporary file beside the target (``.NAME.XXXXXXXX.tmp``), are
synced, then renamed over it. A process killed before the rename leaves the target as it
was and, at worst, that temporary file: the next run of the command that writes the
target removes it (``remove_leftovers``, called under the repository's readiness lock, so
no other readiness process can be writing it) and says so.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
from pathlib import Path

from readiness.errors import WouldLoseData
from readiness.faults import pause_point

_RANDOM = re.compile(r"[a-z0-9_]{8}")  # what goes between prefix and suffix (as tempfile.mkstemp's names)
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789_"


def write_atomically(path: Path, data: bytes, mode: int | None = None) -> None:
    """Replace PATH with DATA so a reader sees the old file or the new one.

    The file gets MODE if given; else a file that exists keeps its mode, and a new one gets
    the usual mode of a new file (0666 less the umask: 0644 with umask 022), not the 0600 of
    a private temporary file, so a web server or a colleague can read what was built.
    The folder is synced after the rename, so the new name survives a power cut too.
    """
    if mode is None:
        try:
            info = os.stat(path)
        except (FileNotFoundError, NotADirectoryError):
            info = None
        if info is not None and stat.S_ISREG(info.st_mode):
            mode = stat.S_IMODE(info.st_mode)
    fd, temporary = _create_temporary(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        pause_point(f"replace {path.name}")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _create_temporary(path: Path) -> tuple[int, str]:
    """A new file ``.NAME.XXXXXXXX.tmp`` beside PATH, opened for writing.

    Created with mode 0666 so the kernel applies the umask (and a folder's default ACL) as for
    any new file; ``tempfile.mkstemp`` would make it 0600.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        random = "".join(secrets.choice(_ALPHABET) for _ in range(8))  # what _RANDOM matches
        candidate = os.path.join(path.parent, f".{path.name}.{random}.tmp")
        try:
            return os.open(candidate, flags, 0o666), candidate
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file", str(path.parent))


def _sync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # not every system opens folders
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def remove_leftovers(path: Path) -> list[Path]:
    """Remove the temporary files a killed ``write_atomically`` of PATH left; return them."""
    removed = []
    prefix = f".{path.name}."
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return []
    for entry in entries:
        name = entry.name
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        if not _RANDOM.fullmatch(name[len(prefix):-len(".tmp")]):
            continue
        try:
            if stat.S_ISREG(entry.stat(follow_symlinks=False).st_mode):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except FileNotFoundError:
            continue
    return removed


def refuse_linked_folders(root: Path, folder: Path, hint: str = "") -> None:
    """Refuse (WouldLoseData) to write into FOLDER when it goes through a symbolic link inside
    the repository at ROOT (``docs -> /elsewhere``: the files would leave the repository, or
    land in a part of it other than the one named), or is a link from outside into it.

    Links above the repository (``/tmp -> /private/tmp``) do not count, and a folder outside
    the repository (an explicit ``--out``) is the user's choice and is not checked. A folder
    that does not exist yet is made by the caller, as a real folder. HINT ends the message
    (", or choose another --out").
    """
    root = Path(os.path.realpath(root))
    path = folder if folder.is_absolute() else Path.cwd() / folder  # `..` kept: a link before it counts
    prefixes = [Path(*path.parts[:count]) for count in range(1, len(path.parts) + 1)]
    entry = next((index for index, prefix in enumerate(prefixes) if Path(os.path.realpath(prefix)) == root),
                 None)
    if entry is None:
        real = Path(os.path.realpath(path))
        if real == root or root in real.parents:
            raise WouldLoseData(f"{folder} leads into the repository through a symbolic link: refusing to "
                                f"write through it; name the folder inside the repository{hint}")
        return
    for prefix in prefixes[entry + 1:]:
        if prefix.is_symlink():
            raise WouldLoseData(f"{_shown(prefix)} is a symbolic link: refusing to write through it (the files "
                                f"would go to {os.path.realpath(prefix)}); make it a real folder{hint}")


SOURCE_HINT = ", or pass the source's real path with --source"  # the hint of `mark` and `verify`


def refuse_linked_source_folders(path: Path, hint: str = SOURCE_HINT) -> None:
    """Refuse (WouldLoseData) to write the file at PATH (the source file, or the evidence file
    beside it) when a folder on its way is a symbolic link within a project, as
    ``refuse_linked_folders`` does for the pages.

    The projects are every folder on PATH as written that holds ``.git``, ``mkdocs.yml`` or
    ``content/readiness.yaml`` (so ``content -> /elsewhere`` is refused, even when the target is
    a project itself), and the project the folder really is in (so a link from outside into a
    project is refused too). A file in no project at all (an explicit ``--source
    /elsewhere/x.yaml``) is the user's choice, as an ``--out`` outside the repository is, and is
    not checked; nor are links above a project (``/tmp -> /private/tmp``). The file itself being
    a link is the caller's to refuse.
    """
    from readiness.locate import is_project_root, project_root

    folder = path.parent
    absolute = folder if folder.is_absolute() else Path.cwd() / folder
    roots = [prefix for prefix in (Path(*absolute.parts[:count]) for count in range(1, len(absolute.parts) + 1))
             if is_project_root(prefix)]
    really_in = project_root(Path(os.path.realpath(absolute)))
    if is_project_root(really_in):
        roots.append(really_in)
    for root in dict.fromkeys(roots):
        refuse_linked_folders(root, folder, hint)


def _shown(path: Path) -> str:
    """PATH relative to the current folder when it is inside it, as written (no link resolved)."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)
