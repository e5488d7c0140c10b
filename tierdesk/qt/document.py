"""The open plan as the Qt side sees it: a thin adapter over the Qt-free Workspace (tierdesk/app), plus the
selection and filters the views share.

`PlanDocument` forwards every operation to its workspace and emits the typed `Change` the workspace returns
as `changed(Change)`; `replaced()` when a new plan is set. Live drags use `preview()` on every move and
`commit_preview()` once on release: one undo step per drag. It never asks the planner anything: questions
belong to the commands that call it (see prompts.py).

Undo: the workspace's `UndoHistory` is the real history (it holds the edits and their inverses, and the CLI
and the tests use it without Qt). A `QUndoStack` mirrors it, one command per workspace step, so the Edit
menu's texts and enabled state, the modified mark (the clean state), `QUndoView` and the shortcuts come from
Qt rather than being written again: each command's `redo()`/`undo()` only asks the workspace to redo or undo
its step. Both move in lock step because every step reaches Qt through `_mirror` when it is recorded, and
every undo or redo, whoever triggers it (a menu, a shortcut, the History panel), goes through the stack.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from tierdesk.app.saving import PendingSave, finish_save
from tierdesk.app.undo import Step
from tierdesk.app.workspace import Opened, Workspace
from tierdesk.domain.changes import Change, Changed
from tierdesk.domain.coverage import Coverage
from tierdesk.domain.governance import PreviousPeriod, TierTurnover, Violation
from tierdesk.domain.plan import Applied, Edit, Plan
from tierdesk.io.load import LoadResult
from tierdesk.qt.formatting import menu_text

__all__ = ["AccountFilter", "AccountSelection", "Change", "Changed", "FilterPart", "PlanDocument"]


def user_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def command_text(text: str) -> str:
    """A QUndoCommand text: text() and the History panel read the part before the newline, the Edit menu's
    Undo and Redo (actionText()) the part after, where a "&" stays an "&"."""
    return f"{text}\n{menu_text(text)}"


class _StepCommand(QUndoCommand):
    """One workspace step on the QUndoStack: pushed once it is done, so its first redo() does nothing."""

    def __init__(self, document: PlanDocument, step: Step) -> None:
        super().__init__(command_text(step.text))
        self._document, self._step = document, step
        self._skip_first_redo = True

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        history = self._document.workspace.history
        assert history.redo_step() is self._step, "the QUndoStack and the workspace's history drifted apart"
        self._document._emit(history.redo())

    def undo(self) -> None:
        history = self._document.workspace.history
        assert history.undo_step() is self._step, "the QUndoStack and the workspace's history drifted apart"
        self._document._emit(history.undo())


class PlanDocument(QObject):
    """The workspace's Qt face: emits `changed(Change)` after every edit, undo and redo (and after the
    previous period changes) and `replaced()` when a new plan is set."""

    changed = Signal(object)
    replaced = Signal()

    def __init__(self, parent: QObject | None = None, workspace: Workspace | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace or Workspace()
        self.undo_stack = QUndoStack(self)
        self.workspace.history.recorded.append(self._mirror)

    # what the workspace holds ------------------------------------------------------------------
    @property
    def plan(self) -> Plan | None:
        return self.workspace.plan

    @property
    def previous(self) -> PreviousPeriod | None:
        """The period that tier turnover is measured against."""
        return self.workspace.previous

    @property
    def revenue(self) -> np.ndarray:
        """Per account, NaN as 0: the accounts never change within a plan."""
        return self.workspace.revenue

    @property
    def baseline(self) -> Coverage | None:
        """Coverage of the plan as it was opened."""
        return self.workspace.baseline

    @property
    def source(self) -> LoadResult | None:
        """The file the plan was read from: a territory file, or the plan workbook."""
        return self.workspace.source

    @property
    def path(self) -> Path | None:
        """The plan workbook the plan is saved to, once opened or saved."""
        return self.workspace.path

    def has_plan(self) -> bool:
        return self.workspace.plan is not None

    def coverage(self, keep: np.ndarray | None = None) -> Coverage:
        """The plan's coverage, or that of the accounts `keep` keeps (a filter)."""
        return self.workspace.coverage(keep)

    def baseline_of(self, keep: np.ndarray | None = None) -> Coverage | None:
        """The coverage of the plan as it was opened, over the accounts `keep` keeps."""
        return self.workspace.baseline_of(keep)

    def governance(self) -> tuple[list[Violation], list[TierTurnover]]:
        """The playbook's broken governance rules and every tier's turnover (see Workspace.governance)."""
        return self.workspace.governance()

    def rows_label(self, rows: np.ndarray) -> str:
        """How the Edit menu and questions name these accounts: the account, or "12 accounts"."""
        return self.workspace.rows_label(rows)

    # opening -------------------------------------------------------------------------------
    def set_plan(self, plan: Plan, previous: PreviousPeriod | None = None) -> None:
        """A new plan, with no file behind it (tests, benchmarks); `open` is what the window uses."""
        self.undo_stack.clear()
        self.workspace.set_plan(plan, previous)
        self.replaced.emit()

    def open(self, opened: Opened) -> None:
        """A file opened: the workspace takes it (the edits made in Excel as one undoable step); views are
        told `replaced()`, then `changed` with what the edits made in Excel changed."""
        self.undo_stack.clear()  # before the workspace records the Excel step the stack mirrors
        excel = self.workspace.open(opened)
        self.replaced.emit()
        if excel is not None:
            self.changed.emit(excel)

    # edits ------------------------------------------------------------------------
    def apply(self, edit: Edit, text: str | None = None) -> None:
        """Apply an edit as one undoable step."""
        self._emit(self.workspace.apply(edit, text))

    def preview(self, edit: Edit) -> Applied:
        """Apply without an undo step or a history entry (live feedback while dragging); finish with
        `commit_preview`."""
        applied = self.workspace.preview(edit)
        self.changed.emit(applied.change)
        return applied

    def commit_preview(self, first_inverse: Edit, final: Edit, text: str) -> None:
        """Record a whole drag as one step (see Workspace.commit_preview)."""
        change = self.workspace.commit_preview(first_inverse, final, text)
        if change is not None:
            self.changed.emit(change)

    def set_previous(self, previous: PreviousPeriod | None, text: str) -> None:
        """Measure turnover against another period (None: none); one undo step."""
        change = self.workspace.set_previous(previous, text)
        if change is not None:
            self.changed.emit(change)

    @contextmanager
    def macro(self, text: str) -> Iterator[None]:
        """Every edit inside is one undo step named `text`."""
        with self.workspace.group(text):
            yield

    def saved(self, pending: PendingSave) -> None:
        """A save was written: the workspace keeps its path, and Qt's clean state follows the workspace's."""
        finish_save(self.workspace, pending)
        if self.workspace.is_saved():
            self.undo_stack.setClean()

    def _mirror(self, step: Step) -> None:
        self.undo_stack.push(_StepCommand(self, step))

    def _emit(self, change: Change) -> None:
        self.changed.emit(change)


class AccountSelection(QObject):
    """One selection of accounts (frame row positions) shared by the table, matrix and pyramid."""

    changed = Signal(str)  # who changed it, so that view does not echo it back

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows = np.zeros(0, dtype=np.int64)

    def rows(self) -> np.ndarray:
        return self._rows

    def set_rows(self, rows: Sequence[int] | np.ndarray, source: str = "") -> None:
        new = np.unique(np.asarray(rows, dtype=np.int64))
        if new.shape == self._rows.shape and np.array_equal(new, self._rows):
            return
        self._rows = new
        self.changed.emit(source)

    def clear(self, source: str = "") -> None:
        self.set_rows(np.zeros(0, dtype=np.int64), source)

    def __len__(self) -> int:
        return len(self._rows)


@dataclass(frozen=True)
class FilterPart:
    """One part of the filter: the accounts it keeps, how it reads, and what was chosen to set it."""

    mask: np.ndarray
    description: str = ""
    choice: object = None


class AccountFilter(QObject):
    """Which accounts every view shows: the AND of named parts (the filter bar's fields, a tier band, the
    table's search and column filters).

    The one place filters live: every view reads `mask()`, and each control reads its own `choice` back
    from here, so clearing the filter clears it in every control at once."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._parts: dict[str, FilterPart] = {}
        self._mask: np.ndarray | None = None

    def mask(self) -> np.ndarray | None:
        """True keeps an account; None means no filter."""
        return self._mask

    def set_part(
        self, name: str, mask: np.ndarray | None, description: str = "", choice: object = None
    ) -> None:
        """Set (or, with None, remove) one part; `choice` is what the control that set it shows."""
        if mask is None:
            if self._parts.pop(name, None) is None:
                return
        else:
            self._parts[name] = FilterPart(np.asarray(mask, dtype=bool), description, choice)
        masks = [p.mask for p in self._parts.values()]
        self._mask = np.logical_and.reduce(masks) if masks else None
        self.changed.emit()

    def part(self, name: str) -> np.ndarray | None:
        found = self._parts.get(name)
        return found.mask if found else None

    def choice(self, name: str) -> object:
        """What was chosen for a part (None when the part is off)."""
        found = self._parts.get(name)
        return found.choice if found else None

    def chosen_values(self, name: str) -> dict[str, frozenset[str]]:
        """For a part chosen as values per column (the filter bar's, the table's): a copy; {} when off."""
        found = self.choice(name)
        return dict(found) if isinstance(found, dict) else {}

    def part_except(self, name: str, n: int) -> np.ndarray:
        """The filter without one of its parts (a band shows its own count while it filters)."""
        masks = [p.mask for key, p in self._parts.items() if key != name and len(p.mask) == n]
        return np.logical_and.reduce(masks) if masks else np.ones(n, dtype=bool)

    def descriptions(self) -> list[str]:
        return [p.description for p in self._parts.values() if p.description]

    def shown(self, total: int) -> int:
        """How many of `total` accounts the filter keeps."""
        return int(self._mask.sum()) if self._mask is not None and len(self._mask) == total else total

    def clear(self) -> None:
        """Every part off: the filter bar, the tier band, the table's search and column filters."""
        if self._parts:
            self._parts.clear()
            self._mask = None
            self.changed.emit()
