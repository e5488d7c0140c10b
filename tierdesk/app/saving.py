"""Writing the open plan: its plan workbook, and one workbook per owner or territory.

A save is taken in two halves so the window can write in the background: `begin_save` snapshots the plan (on
the thread that owns the workspace; cheap), `PendingSave.write` writes it (any thread; long work takes
progress and cancel), `finish_save` records where and at which step it was saved. `save` does all three.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tierdesk.app.workspace import Workspace
from tierdesk.domain.work import CancelFn, ProgressFn
from tierdesk.io.plan_file import SaveError, write_plan
from tierdesk.io.snapshot import PlanSnapshot
from tierdesk.io.split_export import export_plans

__all__ = ["PendingExport", "PendingSave", "SplitBy", "begin_export", "begin_save", "finish_save", "save"]

SplitBy = Literal["owner", "territory"]


@dataclass(frozen=True)
class PendingSave:
    """The plan as it was when the save began, where it goes, and the undo step it was taken at."""

    state: PlanSnapshot
    path: Path
    at: int

    def write(self, progress: ProgressFn | None = None, cancel: CancelFn | None = None) -> list[str]:
        """Write the workbook (atomically; SaveError says why not): notes on what was written."""
        return write_plan(self.state, self.path, progress, cancel)


@dataclass(frozen=True)
class PendingExport:
    """The plan as it was when the export began, split into one workbook per owner or territory."""

    state: PlanSnapshot
    folder: Path
    split_by: SplitBy

    def write(
        self, progress: ProgressFn | None = None, cancel: CancelFn | None = None
    ) -> tuple[list[Path], list[str]]:
        """The workbooks written, and notes on them."""
        return export_plans(self.state, self.folder, self.split_by, progress, cancel)


def begin_save(workspace: Workspace, path: Path) -> PendingSave:
    """Snapshot the plan to save to `path`; SaveError when it may not go there (the territory file)."""
    refused = workspace.save_refused(path)
    if refused is not None:
        raise SaveError(refused, path)
    return PendingSave(workspace.snapshot(), path, workspace.history.index)


def finish_save(workspace: Workspace, pending: PendingSave) -> None:
    """The save was written: the plan is now kept at its path, and is saved unless it changed since."""
    workspace.path = pending.path
    if workspace.history.index == pending.at and not workspace.history.grouping():
        workspace.history.mark_saved()


def save(
    workspace: Workspace, path: Path, progress: ProgressFn | None = None, cancel: CancelFn | None = None
) -> list[str]:
    """Save the open plan to `path` (on this thread): notes on what was written."""
    pending = begin_save(workspace, path)
    notes = pending.write(progress, cancel)
    finish_save(workspace, pending)
    return notes


def begin_export(workspace: Workspace, folder: Path, split_by: SplitBy) -> PendingExport:
    """Snapshot the plan to write one workbook per `split_by` into `folder`."""
    return PendingExport(workspace.snapshot(), Path(folder), split_by)
