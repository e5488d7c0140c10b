"""The plan being edited, as the Qt side sees it: the domain Plan, its undo stack, selection and filters.

Every edit goes through `PlanDocument.apply`: the domain applies plain-data edits and returns their
inverse; each becomes a QUndoCommand, so Edit-menu texts, the clean state and macros come from Qt. Live
drags use `preview()` on every move and `commit_preview()` once on release: one undo step per drag.
After each change the document emits `changed(Change)`: what changed (a Changed flag) and which rows. It
never asks the planner anything: questions belong to the commands that call it (see prompts.py).
"""

from __future__ import annotations

import getpass
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from tierdesk.domain.changes import Change, Changed
from tierdesk.domain.classification import Classification
from tierdesk.domain.coverage import Coverage
from tierdesk.domain.governance import (
    PreviousPeriod,
    TierTurnover,
    Violation,
    check_governance,
    tier_turnover,
)
from tierdesk.domain.plan import Applied, Edit, Plan
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


class _EditCommand(QUndoCommand):
    def __init__(
        self, document: PlanDocument, edit: Edit, text: str, already_applied: Applied | None
    ) -> None:
        super().__init__(command_text(text))
        self._document = document
        self._edit = edit
        self._inverse: Edit | None = already_applied.inverse if already_applied else None
        self._skip_first_redo = already_applied is not None

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        self._inverse = self._document._apply_now(self._edit).inverse

    def undo(self) -> None:
        assert self._inverse is not None
        self._document._apply_now(self._inverse, note=f"Undo: {self.text()}")


class PlanDocument(QObject):
    """Holds the Plan; emits `changed(Change)` after every edit (and after the previous period changes) and
    `replaced()` when a new plan is set."""

    changed = Signal(object)
    replaced = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.plan: Plan | None = None
        self.revenue = np.zeros(0)  # per account, NaN as 0: the accounts never change within a plan
        self.undo_stack = QUndoStack(self)
        self._coverage: Coverage | None = None
        self.baseline: Coverage | None = None  # coverage of the plan as it was opened
        self._opened: Classification | None = None  # its classification (edits replace it, never change it)
        self._filtered_coverage: list[tuple[tuple[Classification, bytes], Coverage]] = []
        self.previous: PreviousPeriod | None = None  # the period that tier turnover is measured against
        self._governance: tuple[tuple[object, ...], list[Violation], list[TierTurnover]] | None = None

    def set_plan(self, plan: Plan, previous: PreviousPeriod | None = None) -> None:
        self.plan = plan
        self.previous = previous
        self._governance = None
        accounts = plan.accounts
        revenue = accounts["revenue"].to_numpy("float64", na_value=0.0) if "revenue" in accounts else None
        self.revenue = np.nan_to_num(revenue) if revenue is not None else np.zeros(len(accounts))
        self.undo_stack.clear()
        self._coverage = None
        self._filtered_coverage = []
        self._opened = plan.classification
        self.baseline = self.coverage()
        self.replaced.emit()

    def has_plan(self) -> bool:
        return self.plan is not None

    def coverage(self, keep: np.ndarray | None = None) -> Coverage:
        """The plan's coverage, or that of the accounts `keep` keeps (a filter)."""
        assert self.plan is not None
        if keep is not None and len(keep) == len(self.revenue) and not keep.all():
            return self._filtered(keep, self.plan.classification)
        if self._coverage is None:
            self._coverage = self.plan.coverage()
        return self._coverage

    def baseline_of(self, keep: np.ndarray | None = None) -> Coverage | None:
        """The coverage of the plan as it was opened, over the accounts `keep` keeps."""
        if self.plan is None or self._opened is None:
            return None
        if keep is not None and len(keep) == len(self.revenue) and not keep.all():
            return self._filtered(keep, self._opened)
        return self.baseline

    def _filtered(self, keep: np.ndarray, classification: Classification) -> Coverage:
        # the pyramid and the coverage panel ask for the same filters on the same pass: computed once
        assert self.plan is not None
        key = (classification, keep.tobytes())
        for k, found in self._filtered_coverage:
            if k[0] is key[0] and k[1] == key[1]:
                return found
        found = self.plan.coverage_of(keep, classification)
        self._filtered_coverage = [(key, found), *self._filtered_coverage[:3]]
        return found

    def governance(self) -> tuple[list[Violation], list[TierTurnover]]:
        """The playbook's broken governance rules (turnover against `previous`, when set) and the turnover of
        every tier. Kept while the tiers, the tier rules and the previous period stay the same: a split drag
        moves personas only and costs nothing here."""
        assert self.plan is not None
        pb = self.plan.playbook  # its tiers and rules (a split drag replaces the playbook, not these)
        key = (self.plan.classification.tier, pb.tiers, pb.governance, self.previous)
        cached = self._governance
        if cached is None or any(a is not b for a, b in zip(cached[0], key, strict=True)):
            plan = self.plan
            turnover = (
                []
                if self.previous is None
                else tier_turnover(plan.classification, plan.accounts, self.previous)
            )
            cached = (key, check_governance(plan, self.previous), turnover)
            self._governance = cached
        return cached[1], cached[2]

    def set_previous(self, previous: PreviousPeriod | None, text: str) -> None:
        """Measure turnover against another period (None: none); one undo step."""
        if previous != self.previous:
            self.undo_stack.push(_PreviousCommand(self, self.previous, previous, text))

    def _set_previous_now(self, previous: PreviousPeriod | None) -> None:
        self.previous = previous
        self.changed.emit(Change(Changed.PREVIOUS, np.zeros(0, np.int64)))

    # edits ------------------------------------------------------------------------
    def apply(self, edit: Edit, text: str | None = None) -> None:
        """Apply an edit as one undoable step."""
        assert self.plan is not None
        applied = self._apply_now(edit)
        self.undo_stack.push(_EditCommand(self, edit, text or applied.description, applied))

    def preview(self, edit: Edit) -> Applied:
        """Apply without an undo step or a history entry (live feedback while dragging); finish with
        `commit_preview`."""
        return self._apply_now(edit, record=False)

    def commit_preview(self, first_inverse: Edit, final: Edit, text: str) -> None:
        """Record a whole drag as one step, once, with its true before and after: the plan goes back to where
        the drag started (quietly: the views already show where it ended), then the final edit is applied
        as one undoable, recorded step. A drag that ends where it started records nothing."""
        assert self.plan is not None
        self.plan.apply(first_inverse, record=False)
        self._coverage = None
        self._filtered_coverage = []
        if final != first_inverse:
            self.apply(final, text)

    def rows_label(self, rows: np.ndarray) -> str:
        """How the Edit menu and questions name these accounts: the account, or "12 accounts"."""
        assert self.plan is not None
        return self.plan.account_label(int(rows[0])) if len(rows) == 1 else f"{len(rows):,} accounts"

    def _apply_now(self, edit: Edit, *, record: bool = True, note: str = "") -> Applied:
        assert self.plan is not None
        applied = self.plan.apply(edit, record=record, note=note)
        self._coverage = None
        self._filtered_coverage = []
        self.changed.emit(applied.change)
        return applied

    def macro(self, text: str) -> _Macro:
        return _Macro(self.undo_stack, text)


class _PreviousCommand(QUndoCommand):
    def __init__(
        self, document: PlanDocument, before: PreviousPeriod | None, after: PreviousPeriod | None, text: str
    ) -> None:
        super().__init__(command_text(text))
        self._document, self._before, self._after = document, before, after

    def redo(self) -> None:
        self._document._set_previous_now(self._after)

    def undo(self) -> None:
        self._document._set_previous_now(self._before)


class _Macro:
    def __init__(self, stack: QUndoStack, text: str) -> None:
        self._stack, self._text = stack, text

    def __enter__(self) -> None:
        self._stack.beginMacro(command_text(self._text))

    def __exit__(self, *exc: object) -> None:
        self._stack.endMacro()


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
