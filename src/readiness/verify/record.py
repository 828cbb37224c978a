"""Recording verify results: the evidence file replaced atomically, under the repository's lock."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from readiness.errors import WouldLoseData
from readiness.files.atomic import refuse_linked_source_folders, remove_leftovers, write_atomically
from readiness.source.evidence import CommandResult, EvidenceFile, evidence_text, load_evidence


def save_evidence(path: Path, evidence: EvidenceFile) -> None:
    """Write the evidence file atomically (temporary file, then rename); never through a link,
    the file's or a folder's on its way (``atomic.refuse_linked_source_folders``)."""
    if path.is_symlink():
        raise WouldLoseData(f"{path} is a symbolic link: refusing to write through it")
    refuse_linked_source_folders(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, evidence_text(evidence).encode("utf-8"))


def record_results(path: Path, task_id: str, results: Sequence[CommandResult]) -> list[Path]:
    """Put TASK_ID's latest run into the evidence file at PATH; return leftovers removed.

    Under the repository's readiness lock, the file is read again, merged and replaced, so
    two runs of verify at once never lose each other's results.
    """
    from readiness.files.locking import exclusive

    with exclusive(path.parent, "verify"):
        removed = remove_leftovers(path)
        save_evidence(path, load_evidence(path).with_task(task_id, results))
    return removed
