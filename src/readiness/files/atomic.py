"""Replacing a file whole: a reader sees the old bytes or the new ones, never half of them.

The new bytes go to a temporary file beside the target (``.NAME.XXXXXXXX.tmp``), are
synced, then renamed over it. A process killed before the rename leaves the target as it
was and, at worst, that temporary file: the next run of the command that writes the
target removes it (``remove_leftovers``, called under the repository's readiness lock, so
no other readiness process can be writing it) and says so.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

from readiness.errors import WouldLoseData
from readiness.files.faults import pause_point

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
    from readiness.files.project import is_project_root, project_root

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



class ChangedMeanwhile(WouldLoseData):
    """The file to replace is no longer the one that was read: someone saved it meanwhile."""


def replace_if_unchanged(path: Path, data: bytes, read: bytes, info: os.stat_result, *, display: str = "",
                         before_check: Callable[[Path], None] | None = None,
                         after_check: Callable[[Path], None] | None = None) -> list[str]:
    """Replace PATH with DATA only if it still holds READ, as read with stat INFO; return warnings
    (metadata of the old file that could not be kept, one line each).

    A save by an editor at any moment is never lost. The new file is written whole first, with
    the mode, the owner (where allowed: as root) and the ``user.*`` extended attributes and
    access ACL of the old one. Just before the rename PATH is checked (inode, device, size,
    modification time, bytes). The rename swaps the two names atomically
    (``renameat2(RENAME_EXCHANGE)``; where the file system cannot, a hard link keeps the old
    file), so what was replaced is checked again afterwards: a save that slipped in between
    (in place, or by its own rename) is put back at PATH, and ChangedMeanwhile is raised.
    BEFORE_CHECK and AFTER_CHECK are called just before the check and just after it (tests
    save meanwhile there).
    """
    shown = display or str(path)
    warnings: list[str] = []
    fd, temporary = _create_temporary(path)
    hold: str | None = None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            warnings += _keep_owner(handle.fileno(), info, shown)
            os.fchmod(handle.fileno(), stat.S_IMODE(info.st_mode))  # after fchown, which clears set-id bits
            warnings += _keep_attributes(path, handle.fileno(), shown)
            os.fsync(handle.fileno())
            new = os.fstat(handle.fileno())
        if before_check is not None:
            before_check(path)
        if not _is_same(path, read, info):
            raise ChangedMeanwhile(f"{shown}: changed on disk while it was being edited; nothing written, "
                                   "run it again")
        if after_check is not None:
            after_check(path)
        pause_point(f"replace {path.name}")
        try:
            exchanged = _exchange(temporary, path)
            if exchanged:
                replaced = temporary  # the two names swapped: what was at PATH is here now
            else:
                hold = _link_beside(path)
                os.replace(temporary, path)
                replaced = hold
        except FileNotFoundError:  # moved away meanwhile (an editor keeping a backup): nothing written
            raise ChangedMeanwhile(f"{shown}: changed on disk while it was being edited; nothing written, "
                                   "run it again") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        if hold is not None:
            Path(hold).unlink(missing_ok=True)
        raise
    if _is_same(Path(replaced), read, info):
        os.unlink(replaced)
        _sync_folder(path.parent)
        return warnings
    _put_back(path, Path(replaced), new, exchanged, shown)
    raise AssertionError("unreachable")  # pragma: no cover - _put_back always raises


def _put_back(path: Path, replaced: Path, new: os.stat_result, exchanged: bool, shown: str) -> None:
    """A save slipped in just before the rename, and REPLACED holds it: put it back at PATH."""
    try:
        current = os.lstat(path)
    except OSError:
        current = None
    if current is not None and (current.st_ino, current.st_dev) == (new.st_ino, new.st_dev):
        if exchanged and _exchange(str(replaced), path):
            replaced.unlink(missing_ok=True)  # now the file this call wrote
        else:
            os.replace(replaced, path)
        _sync_folder(path.parent)
        raise ChangedMeanwhile(f"{shown}: changed on disk while it was being replaced; the change saved "
                               "meanwhile is kept, nothing written: run it again")
    raise ChangedMeanwhile(f"{shown}: changed on disk while it was being replaced, and again since; the "
                           f"version saved meanwhile is kept as {replaced}")


def still_the_same(path: Path, read: bytes, info: os.stat_result) -> bool:
    """True when PATH is still the regular file of stat INFO, holding exactly READ."""
    return _is_same(path, read, info)


def _is_same(path: Path, read: bytes, info: os.stat_result) -> bool:
    """True when PATH is still the regular file of stat INFO, holding exactly READ."""
    try:
        now = os.lstat(path)
        if not stat.S_ISREG(now.st_mode) or _identity(now) != _identity(info):
            return False
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        chunks = []
        left = len(read) + 1
        while left > 0:
            chunk = os.read(descriptor, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks) == read and _identity(os.fstat(descriptor)) == _identity(info)
    except OSError:
        return False
    finally:
        os.close(descriptor)


def _identity(info: os.stat_result) -> tuple[int, int, int, int]:
    return info.st_ino, info.st_dev, info.st_size, info.st_mtime_ns


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: str, second: Path) -> bool:
    """Swap the names FIRST and SECOND atomically; False where the system cannot."""
    import ctypes

    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    result = function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(str(second)), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code == errno.ENOENT:
        raise FileNotFoundError(code, os.strerror(code), str(second))
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _link_beside(path: Path) -> str:
    """A second name (a temporary file's) for the file at PATH, kept while it is replaced."""
    for _ in range(100):
        random = "".join(secrets.choice(_ALPHABET) for _ in range(8))
        candidate = os.path.join(path.parent, f".{path.name}.{random}.tmp")
        try:
            os.link(path, candidate, follow_symlinks=False)
            return candidate
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file", str(path.parent))


def _keep_owner(descriptor: int, info: os.stat_result, shown: str) -> list[str]:
    """Give the new file the old one's owner and group where allowed; a warning where not."""
    mine = os.fstat(descriptor)
    if (mine.st_uid, mine.st_gid) == (info.st_uid, info.st_gid):
        return []
    try:
        os.fchown(descriptor, info.st_uid, info.st_gid)
        return []
    except OSError:
        pass
    with contextlib.suppress(OSError):  # without the right to give it away, keep the group if we may
        os.fchown(descriptor, -1, info.st_gid)
    now = os.fstat(descriptor)
    return [f"readiness: {shown}: was owned by uid {info.st_uid} gid {info.st_gid}; the new file is owned by "
            f"uid {now.st_uid} gid {now.st_gid} (only root can give a file away)"]


_KEPT_ATTRIBUTES = ("user.", "system.posix_acl_access")


def _keep_attributes(path: Path, descriptor: int, shown: str) -> list[str]:
    """Copy PATH's ``user.*`` extended attributes and access ACL to the new file; a warning
    naming those that could not be copied."""
    try:
        names = os.listxattr(path, follow_symlinks=False)
    except (OSError, AttributeError):
        return []  # none, or a system without extended attributes
    lost = []
    for name in names:
        if not name.startswith(_KEPT_ATTRIBUTES):
            continue
        try:
            os.setxattr(descriptor, name, os.getxattr(path, name, follow_symlinks=False))
        except OSError:
            lost.append(name)
    if not lost:
        return []
    return [f"readiness: {shown}: could not keep the extended attributes {', '.join(lost)} (the file system "
            "of the new file refuses them)"]
