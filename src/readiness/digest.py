"""The digest of one version of the source: what `readiness commit` needs to know of it.

`readiness commit` names the readiness files (deliverables, ``pages_dir``, the archive)
and describes the change between the source at HEAD and the source being committed:
tasks and their statuses, the score, the projections, the milestones reached;
`readiness cleanup` follows the ``housekeeping:`` settings. All of it comes from the
validated model, and validating means importing pydantic and building the models, which
in a small repository costs more than the commit or the cleanup itself.

The digest of a valid source depends only on its bytes and on this program, so it is
kept in the user's cache folder under a hash of both, and any later command that meets
the same bytes reuses it instead of validating them again. ``readiness check``, ``status``,
``mark``, ``build``, ``commit``, ``cleanup`` and the MkDocs plugin write digests (of
sources up to 1 MiB); ``commit`` and ``cleanup`` read them.

The cache only saves time. A missing, unreadable or malformed entry is a miss and the
source is validated as always; only valid sources get a digest, so an invalid one is
reported by validation every time. ``READINESS_CACHE_DIR`` moves the cache, and
``READINESS_CACHE_DIR=off`` turns it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from readiness.source.models import Readiness

FORMAT = 3
KEEP = 256  # entries kept in the cache folder; the oldest go first
# Digests are kept for sources up to this size (about 1,000 tasks), where making one costs a
# few milliseconds; a bigger source is validated each time rather than slow every command.
REMEMBER_MAX_BYTES = 1 << 20
# The modules whose code decides what a digest holds: a change to any of them (an upgrade,
# an edited checkout) changes the key, so no digest outlives the code that made it.
# (commit_message reads digests but does not make them: a change there needs no new ones.)
_CODE = ("source/models.py", "source/loader.py", "source/evidence.py", "figures/core.py",
         "figures/assessment.py", "figures/evidence.py", "digest.py")
_CODE_DIR = os.path.dirname(os.path.abspath(__file__))  # the package


class TaskDigest(NamedTuple):
    id: str
    priority: str
    title: str
    status: str  # the Status value: "pending", "in_progress", "blocked", "done"
    fingerprint: str  # equal for two versions of a task exactly when every field is equal


class Digest(NamedTuple):
    """One valid version of the source, reduced to what commit and cleanup need."""

    tasks: tuple[TaskDigest, ...]
    score: int
    projections: tuple[tuple[str, int], ...]  # (priority, score once every task up to it is done)
    milestones: tuple[tuple[str, str, bool], ...]  # (id, title, reached)
    status_counts: tuple[tuple[str, int], ...]
    deliverables: tuple[tuple[str, str], ...]  # (task id, path as written)
    pages_dir: str | None
    archive: str
    keep: tuple[str, ...]  # the rest of the housekeeping settings, for cleanup
    keep_patterns: tuple[str, ...]
    group_by: str
    groups: tuple[tuple[str, str], ...]  # (pattern, folder)
    # What else a commit message names: the state's date, the capacity, each milestone's plan
    # and sign-offs, and whether anything else changed (for the message only).
    as_of: str
    capacity: float
    schedule: tuple[tuple[str, str, str, str, str], ...]  # (id, title, date or "", target or "", rest)
    sign_offs: tuple[tuple[str, str, str, str], ...]  # (milestone id, criterion, attested by or "", on)
    sections: tuple[tuple[str, str], ...]  # (section, fingerprint) of the other parts of the source

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "tasks": [[t.id, t.priority, t.title, t.status, t.fingerprint] for t in self.tasks],
            "score": self.score,
            "projections": [list(p) for p in self.projections],
            "milestones": [list(m) for m in self.milestones],
            "status_counts": [list(s) for s in self.status_counts],
            "deliverables": [list(d) for d in self.deliverables],
            "pages_dir": self.pages_dir,
            "archive": self.archive,
            "keep": list(self.keep),
            "keep_patterns": list(self.keep_patterns),
            "group_by": self.group_by,
            "groups": [list(g) for g in self.groups],
            "as_of": self.as_of,
            "capacity": self.capacity,
            "schedule": [list(m) for m in self.schedule],
            "sign_offs": [list(c) for c in self.sign_offs],
            "sections": [list(c) for c in self.sections],
        }

    @staticmethod
    def from_json(data: Any) -> Digest | None:
        """The digest in DATA, or None when DATA is not one written by this format."""
        try:
            if data["format"] != FORMAT:
                return None
            tasks = tuple(TaskDigest(*_strings(t, 5)) for t in data["tasks"])
            digest = Digest(
                tasks=tasks,
                score=_int(data["score"]),
                projections=tuple((_str(p), _int(s)) for p, s in data["projections"]),
                milestones=tuple((_str(i), _str(t), _bool(r)) for i, t, r in data["milestones"]),
                status_counts=tuple((_str(s), _int(n)) for s, n in data["status_counts"]),
                deliverables=tuple((_str(t), _str(p)) for t, p in data["deliverables"]),
                pages_dir=None if data["pages_dir"] is None else _str(data["pages_dir"]),
                archive=_str(data["archive"]),
                keep=tuple(_str(k) for k in data["keep"]),
                keep_patterns=tuple(_str(k) for k in data["keep_patterns"]),
                group_by=_str(data["group_by"]),
                groups=tuple((_str(p), _str(f)) for p, f in data["groups"]),
                as_of=_str(data["as_of"]),
                capacity=_number(data["capacity"]),
                schedule=tuple((m[0], m[1], m[2], m[3], m[4])
                               for m in (_strings(m, 5) for m in data["schedule"])),
                sign_offs=tuple((c[0], c[1], c[2], c[3]) for c in (_strings(c, 4) for c in data["sign_offs"])),
                sections=tuple((_str(n), _str(f)) for n, f in data["sections"]),
            )
        except (KeyError, TypeError, ValueError):
            return None
        return digest


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("not an integer")
    return value


def _number(value: Any) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise TypeError("not a number")
    return float(value)


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("not a boolean")
    return value


def _strings(values: Any, count: int) -> list[str]:
    if not isinstance(values, list) or len(values) != count:
        raise TypeError("not a list of strings")
    return [_str(v) for v in values]


def digest_of(model: Readiness, evidence: bytes = b"") -> Digest:
    """The digest of a validated model. Milestones are reached as the assessment decides with the
    verify results in EVIDENCE (the evidence file's bytes; none: no runs yet), without looking at
    the repository's files: a digest depends only on the bytes of the source and the evidence."""
    from readiness.figures.assessment import assess_project
    from readiness.figures.core import whole_points
    from readiness.source.evidence import evidence_from_bytes

    runs = evidence_from_bytes(evidence, "the evidence file") if evidence else None
    assessment = assess_project(model, evidence=runs)
    figures = assessment.figures
    return Digest(
        tasks=tuple(TaskDigest(t.id, t.priority, t.title, t.status.value, _fingerprint(t))
                    for t in model.tasks),
        score=whole_points(figures.score),
        projections=tuple((p.priority, whole_points(p.score)) for p in figures.projections),
        milestones=tuple((m.milestone.id, m.milestone.title, m.reached) for m in assessment.milestones),
        status_counts=tuple((str(s), n) for s, n in figures.status_counts.items()),
        deliverables=tuple((t.id, path) for t in model.tasks for path in t.deliverables),
        pages_dir=model.housekeeping.pages_dir,
        archive=model.housekeeping.archive,
        keep=tuple(model.housekeeping.keep),
        keep_patterns=tuple(model.housekeeping.keep_patterns),
        group_by=model.housekeeping.group_by,
        groups=tuple((g.pattern, g.folder) for g in model.housekeeping.groups),
        as_of=model.project.as_of.isoformat(),
        capacity=float(model.project.capacity_hours_per_week),
        schedule=tuple((m.id, m.title, m.date.isoformat() if m.date else "",
                        "" if m.target_score is None else f"{m.target_score:g}",
                        _fingerprint(m, exclude={"date": True, "target_score": True,
                                                 "sign_off": {"__all__": {"attested"}}}))
                       for m in model.milestones),
        sign_offs=tuple((m.id, c.text, c.attested.by if c.attested else "",
                         c.attested.date.isoformat() if c.attested else "")
                        for m in model.milestones for c in m.sign_off),
        sections=(("project", _fingerprint(model.project, exclude={"as_of", "capacity_hours_per_week"})),
                  *((name, _fingerprint(getattr(model, name))) for name in SECTIONS)),
    )


# The parts of the source a commit message names as edited when they change (the project's
# details, milestones, tasks and the state's date are described on their own).
SECTIONS = ("scoring", "roles", "phases", "risks", "faq", "documents", "scripts", "housekeeping", "evidence")


def _fingerprint(item: Any, exclude: Any = None) -> str:
    # Fields are dumped in the model's order, which the key's code stamp pins down.
    if isinstance(item, list):
        text = "[" + ",".join(part.model_dump_json(exclude=exclude) for part in item) + "]"
    else:
        text = item.model_dump_json(exclude=exclude)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


# ---------------------------------------------------------------- the cache


def cache_folder() -> Path | None:
    """Where digests are kept, or None when the cache is turned off."""
    from readiness import settings

    chosen = settings.cache_dir()
    return None if chosen is None else chosen / "digests"


def _stamp() -> bytes:
    """What else the digest depends on: this program's code and the source size limits.

    The code counts by content (a SHA-256 of the modules, about 0.2 ms), not by version or
    file times, which two different builds can share.
    """
    code = hashlib.sha256()
    for name in _CODE:
        try:
            with open(os.path.join(_CODE_DIR, name), "rb") as handle:
                code.update(handle.read())
        except OSError:
            code.update(f"{name}: unreadable".encode())
        code.update(b"\0")
    limits = "|".join(f"{k}={os.environ.get(k, '')}" for k in ("READINESS_MAX_BYTES", "READINESS_MAX_NODES",
                                                               "READINESS_MAX_DEPTH"))
    return f"{FORMAT}|{code.hexdigest()}|{limits}".encode()


def key(text: bytes, evidence: bytes = b"") -> str:
    """The cache key of source bytes TEXT with the evidence file's bytes EVIDENCE."""
    code = hashlib.sha256(_stamp() + b"\0" + text)
    if evidence:
        code.update(b"\0evidence\0" + evidence)
    return code.hexdigest()


def cached(text: bytes, evidence: bytes = b"") -> Digest | None:
    """The remembered digest of source bytes TEXT with EVIDENCE, or None."""
    folder = cache_folder()
    if folder is None:
        return None
    try:
        data = json.loads((folder / f"{key(text, evidence)}.json").read_bytes())
    except (OSError, ValueError):
        return None
    return Digest.from_json(data)


def remember(text: bytes, digest: Digest, evidence: bytes = b"") -> None:
    """Keep DIGEST for source bytes TEXT with EVIDENCE; a cache that cannot be written is skipped."""
    folder = cache_folder()
    if folder is None or len(text) > REMEMBER_MAX_BYTES:
        return
    target = folder / f"{key(text, evidence)}.json"
    temporary = folder / f".{target.name}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary.write_text(json.dumps(digest.to_json(), ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, target)
        _prune(folder)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def remember_model(text: bytes, model: Readiness, evidence: bytes = b"") -> None:
    """Keep the digest of MODEL, validated from source bytes TEXT, with the evidence file's bytes
    EVIDENCE (when it is not kept yet: then it is only marked as recently used, which costs far
    less than making it)."""
    folder = cache_folder()
    if folder is None or len(text) > REMEMBER_MAX_BYTES:
        return
    try:
        os.utime(folder / f"{key(text, evidence)}.json")
    except OSError:
        remember(text, digest_of(model, evidence), evidence)


def _prune(folder: Path) -> None:
    entries = [e for e in os.scandir(folder) if e.name.endswith(".json")]
    if len(entries) <= KEEP:
        return
    entries.sort(key=lambda e: e.stat().st_mtime_ns)
    for entry in entries[: len(entries) - KEEP // 2]:
        with contextlib.suppress(OSError):
            os.unlink(entry.path)


def digest_text(text: bytes, display: str, evidence: bytes = b"") -> Digest:
    """The digest of source bytes TEXT with the evidence file's bytes EVIDENCE: remembered, else
    validated (SourceError if either is invalid)."""
    found = cached(text, evidence)
    if found is not None:
        return found
    from readiness.source.loader import load_text
    from readiness.source.locate import decode_source

    model = load_text(decode_source(text, display), display)
    digest = digest_of(model, evidence)
    remember(text, digest, evidence)
    return digest
