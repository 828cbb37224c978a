"""How a cleanup plan and its outcome read, as text for people or JSON for scripts.

File names are data: control and bidirectional characters in them are shown escaped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from readiness.cleanup.plan import ArchivePlan
from readiness.terminal import safe, safe_json
from readiness.words import plural

if TYPE_CHECKING:
    from readiness.cleanup.apply import UndoPlan


def report_plan(plan: ArchivePlan, *, as_json: bool, dry_run: bool = False,
                manifest: str | None = None) -> str:
    """The plan before the change (MANIFEST None) or the summary after it."""
    if as_json:
        data = plan.as_dict()
        data.update(applied=manifest is not None, dry_run=dry_run, manifest=manifest)
        return safe_json(json.dumps(data, indent=2, ensure_ascii=False))
    if manifest is not None:
        return (f"Moved {plural(len(plan.moves), 'file')} and rewrote {plural(plan.link_count, 'link')} in "
                f"{plural(len(plan.rewrites), 'file')}.\n"
                "The changes are staged, not committed: review them with `git status`, "
                "then commit.\n"
                f"Undo with `readiness cleanup --undo` (manifest: {safe(manifest)})."
                + (f"\n{safe(plan.site_note)}" if plan.site_note else ""))
    lines: list[str] = []
    if plan.empty:
        lines.append(f"Nothing to archive: no stray Markdown files at the root (archive: "
                     f"{safe(plan.archive)}).")
    else:
        lines.append(f"Move {plural(len(plan.moves), 'stray file')} into {safe(plan.archive)}:")
        for move in plan.moves:
            how = ("untracked" if not move.tracked
                   else f"tracked, {move.preserve} kept" if move.preserve else "tracked")
            note = f"  (renamed: {safe(move.renamed_because)})" if move.renamed_because else ""
            lines.append(f"  {safe(move.source)} -> {safe(move.destination)}  [{how}]{note}")
    if plan.rewrites:
        lines.append(f"Rewrite {plural(plan.link_count, 'link')} in {plural(len(plan.rewrites), 'file')}:")
        lines.extend(f"  {safe(r.path)}: {len(r.changes)}" for r in plan.rewrites)
    _section(lines, "Untracked, left in place (add --include-untracked to move them):",
             plan.untracked)
    _section(lines, "Root symlinks, left alone:", plan.symlinks)
    _section(lines, "Kept at the root:", [f"{k.name} ({k.reason})" for k in plan.kept])
    _section(lines, "Links already broken, reported and left as written:",
             [f"{b.path}:{b.line}: {b.destination}" for b in plan.broken])
    _section(lines, "Cannot rewrite (unstaged changes; stage or stash them first):", plan.blocked)
    _section(lines, "Cannot rewrite (an index flag, assume-unchanged or skip-worktree; clear it first):",
             plan.flagged)
    if plan.site_note:
        lines.append(safe(plan.site_note))
    if dry_run and not plan.empty:
        lines.append("Dry run: nothing was changed.")
    return "\n".join(lines)


def _section(lines: list[str], title: str, items: Iterable[str]) -> None:
    entries = list(items)
    if entries:
        lines.append(title)
        lines.extend(f"  {safe(entry)}" for entry in entries)


def report_undo(undo: UndoPlan, *, as_json: bool, dry_run: bool = False,
                done: bool = False) -> str:
    """What undo will do, or did."""
    if as_json:
        data = undo.as_dict()
        data.update(applied=done, dry_run=dry_run)
        return safe_json(json.dumps(data, indent=2, ensure_ascii=False))
    if done:
        return (f"Restored {plural(len(undo.moves), 'file')} and "
                f"{plural(len(undo.rewrites), 'rewritten file')}. The changes are staged, not committed.")
    lines = [f"Undo the cleanup recorded in {safe(undo.manifest)}:"]
    if undo.interrupted:
        lines.append("  (that run was interrupted: only what it did is put back)")
    lines.extend(f"  {safe(now)} -> {safe(back)}" for now, back in undo.moves)
    lines.extend(f"  restore the links of {safe(path)}" for path, _ in undo.rewrites)
    _section(lines, "Changed since the cleanup (undo refuses):", undo.changed)
    if dry_run:
        lines.append("Dry run: nothing was changed.")
    return "\n".join(lines)


