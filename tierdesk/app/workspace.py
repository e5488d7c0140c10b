"""The open plan and everything that belongs to it: where it came from, where it is saved, the previous period
it is measured against, its undo history, and the figures the views read (coverage, governance).

The one owner of an open plan, in the manner of Anki's collection: every operation returns a typed `Change`
saying what changed, and never calls a view. The window adapts it to Qt (qt/document.py); the command line
uses it as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tierdesk.app.undo import Step, UndoHistory, combined
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
from tierdesk.io.load import LoadResult
from tierdesk.io.snapshot import PlanSnapshot

__all__ = ["EXCEL_NOTE", "Opened", "Workspace"]

#: the history note of every edit made in Excel and taken when its plan workbook opens
EXCEL_NOTE = "Edited in Excel"
NO_ROWS = np.zeros(0, np.int64)


@dataclass
class Opened:
    """A file read and its plan made (off the GUI thread when the window opens it). For a plan workbook,
    `plan_file` is the saved state as read and `excel_edits` the valid edits made to it in Excel, which
    `Workspace.open` takes as one undoable step."""

    source: LoadResult
    plan: Plan
    plan_file: PlanSnapshot | None = None
    excel_edits: list[Edit] = field(default_factory=list)

    @property
    def result(self) -> LoadResult:
        """The file as read (the name the window has always used)."""
        return self.source


class _EditPart:
    """An edit and its inverse, as one part of an undo step."""

    def __init__(self, workspace: Workspace, edit: Edit, text: str, note: str, inverse: Edit) -> None:
        self.workspace, self.edit, self.text, self.note, self.inverse = workspace, edit, text, note, inverse

    def redo(self) -> Change:
        applied = self.workspace._apply_now(self.edit, note=self.note)
        self.inverse = applied.inverse
        return applied.change

    def undo(self) -> Change:
        return self.workspace._apply_now(self.inverse, note=f"Undo: {self.text}").change


class Workspace:
    """The open plan (None before a file opens), its file facts and its undo history."""

    def __init__(self) -> None:
        self.plan: Plan | None = None
        self.source: LoadResult | None = None  # the file as read: a territory file, or the plan workbook
        self.path: Path | None = None  # the plan workbook the plan is saved to, once opened or saved
        self.origin: PlanSnapshot | None = None  # the plan workbook as read (its mapping, source, dates)
        self.previous: PreviousPeriod | None = None  # the period tier turnover is measured against
        self.history = UndoHistory()
        self.taken_from_excel = 0  # edits made in Excel taken when the plan workbook opened
        self.revenue = np.zeros(0)  # per account, NaN as 0: the accounts never change within a plan
        self.baseline: Coverage | None = None  # coverage of the plan as it was opened
        self._opened: Classification | None = None  # its classification (edits replace it, never change it)
        self._filtered: list[tuple[tuple[Classification, bytes], Coverage]] = []
        self._governance: tuple[tuple[object, ...], list[Violation], list[TierTurnover]] | None = None

    # opening -------------------------------------------------------------------------
    def open(self, opened: Opened) -> Change | None:
        """Make `opened` the open plan, then take the edits made in Excel as one undoable step: what they
        changed (None when there were none)."""
        state = opened.plan_file
        self.set_plan(
            opened.plan,
            state.previous if state is not None else None,
            source=opened.source,
            path=opened.source.file if state is not None else None,
            origin=state,
        )
        return self.take_excel_edits(opened.excel_edits)

    def set_plan(
        self,
        plan: Plan,
        previous: PreviousPeriod | None = None,
        *,
        source: LoadResult | None = None,
        path: Path | None = None,
        origin: PlanSnapshot | None = None,
    ) -> None:
        """A new open plan: the history starts empty, saved."""
        self.plan, self.previous = plan, previous
        self.source, self.path, self.origin = source, path, origin
        self.taken_from_excel = 0
        self._governance = None
        accounts = plan.accounts
        revenue = accounts["revenue"].to_numpy("float64", na_value=0.0) if "revenue" in accounts else None
        self.revenue = np.nan_to_num(revenue) if revenue is not None else np.zeros(len(accounts))
        self.history.clear()
        self._filtered = []
        self._opened = plan.classification
        self.baseline = plan.coverage()

    def take_excel_edits(self, edits: list[Edit]) -> Change | None:
        """Apply the edits made in Excel to a plan workbook as one step, each noted in the plan's history as
        made in Excel: what they changed (None when there were none)."""
        if not edits:
            return None
        count = len(edits)
        with self.group(f"Take {count} edit{'s' if count != 1 else ''} made in Excel"):
            changes = [self.apply(edit, note=EXCEL_NOTE) for edit in edits]
        self.taken_from_excel = count
        return combined(changes)

    # edits ------------------------------------------------------------------------------
    def _plan(self) -> Plan:
        if self.plan is None:
            raise RuntimeError("no plan is open")
        return self.plan

    def apply(self, edit: Edit, text: str | None = None, *, note: str = "") -> Change:
        """Apply an edit as one undoable step (or a part of the group being recorded), named `text` (default:
        the edit's own description); `note` is what the plan's history says of it (default: the same)."""
        applied = self._apply_now(edit, note=note)
        name = text or applied.description
        part = _EditPart(self, edit, name, note, applied.inverse)
        self.history.record(name, (part.redo, part.undo))
        return applied.change

    def preview(self, edit: Edit) -> Applied:
        """Apply without an undo step or a history entry (live feedback while dragging); finish with
        `commit_preview`."""
        return self._apply_now(edit, record=False)

    def commit_preview(self, first_inverse: Edit, final: Edit, text: str) -> Change | None:
        """Record a whole drag as one step, once, with its true before and after: the plan goes back to where
        the drag started (quietly: the views already show where it ended), then the final edit is applied
        as one undoable, recorded step. A drag that ends where it started records nothing (None)."""
        self._plan().apply(first_inverse, record=False)
        self._filtered = []
        if final == first_inverse:
            return None
        return self.apply(final, text)

    @contextmanager
    def group(self, text: str) -> Iterator[list[Step]]:
        """Every edit inside becomes one undo step named `text` (recorded at the end, when there was one)."""
        with self.history.group(text) as recorded:
            yield recorded

    def set_previous(self, previous: PreviousPeriod | None, text: str) -> Change | None:
        """Measure turnover against another period (None: none); one undo step. None when it is the same."""
        if previous == self.previous:
            return None
        before = self.previous

        def redo() -> Change:
            return self._set_previous_now(previous)

        def undo() -> Change:
            return self._set_previous_now(before)

        change = redo()
        self.history.record(text, (redo, undo))
        return change

    def _set_previous_now(self, previous: PreviousPeriod | None) -> Change:
        self.previous = previous
        return Change(Changed.PREVIOUS, NO_ROWS)

    def undo(self) -> Change:
        """Undo the last step: what changed."""
        return self.history.undo()

    def redo(self) -> Change:
        return self.history.redo()

    def _apply_now(self, edit: Edit, *, record: bool = True, note: str = "") -> Applied:
        applied = self._plan().apply(edit, record=record, note=note)
        self._filtered = []
        return applied

    # what the views read ---------------------------------------------------------------------
    def rows_label(self, rows: np.ndarray) -> str:
        """How the Edit menu and questions name these accounts: the account, or "12 accounts"."""
        plan = self._plan()
        return plan.account_label(int(rows[0])) if len(rows) == 1 else f"{len(rows):,} accounts"

    def coverage(self, keep: np.ndarray | None = None) -> Coverage:
        """The plan's coverage (cached on the plan), or that of the accounts `keep` keeps (a filter)."""
        plan = self._plan()
        if keep is not None and len(keep) == len(self.revenue) and not keep.all():
            return self._filtered_coverage(keep, plan.classification)
        return plan.coverage()

    def baseline_of(self, keep: np.ndarray | None = None) -> Coverage | None:
        """The coverage of the plan as it was opened, over the accounts `keep` keeps."""
        if self.plan is None or self._opened is None:
            return None
        if keep is not None and len(keep) == len(self.revenue) and not keep.all():
            return self._filtered_coverage(keep, self._opened)
        return self.baseline

    def _filtered_coverage(self, keep: np.ndarray, classification: Classification) -> Coverage:
        # the pyramid and the coverage panel ask for the same filters on the same pass: computed once
        key = (classification, keep.tobytes())
        for k, found in self._filtered:
            if k[0] is key[0] and k[1] == key[1]:
                return found
        found = self._plan().coverage_of(keep, classification)
        self._filtered = [(key, found), *self._filtered[:3]]
        return found

    def governance(self) -> tuple[list[Violation], list[TierTurnover]]:
        """The playbook's broken governance rules (turnover against `previous`, when set) and the turnover of
        every tier. Kept while the tiers, the tier rules and the previous period stay the same: a split drag
        moves personas only and costs nothing here."""
        plan = self._plan()
        pb = plan.playbook  # its tiers and rules (a split drag replaces the playbook, not these)
        key = (plan.classification.tier, pb.tiers, pb.governance, self.previous)
        cached = self._governance
        if cached is None or any(a is not b for a, b in zip(cached[0], key, strict=True)):
            turnover = (
                []
                if self.previous is None
                else tier_turnover(plan.classification, plan.accounts, self.previous)
            )
            cached = (key, check_governance(plan, self.previous), turnover)
            self._governance = cached
        return cached[1], cached[2]

    # the plan file ------------------------------------------------------------------------------
    def is_saved(self) -> bool:
        """The plan is as it was opened or last saved."""
        return self.history.is_saved()

    def snapshot(self) -> PlanSnapshot:
        """The plan now, with where it came from (a territory file, or the plan it was opened from); cheap:
        the plan's tables are shared, never copied (edits replace them)."""
        plan, origin = self._plan(), self.origin
        if origin is not None:
            return PlanSnapshot.from_plan(
                plan,
                mapping=origin.mapping,
                source_file=origin.source_file,
                source_sheet=origin.source_sheet,
                created=origin.created,
                previous=self.previous,
            )
        return PlanSnapshot.from_plan(plan, self.source, previous=self.previous)

    def default_name(self) -> str:
        """The name a first save suggests: the territory file's, as a plan."""
        stem = self.source.file.stem if self.source is not None else "territory"
        return f"{stem} plan.xlsx"

    def save_refused(self, path: Path) -> str | None:
        """Why the plan may not be saved to `path` (the territory file it came from), or None."""
        source = self.source
        if self.origin is None and source is not None and path.resolve() == Path(source.file).resolve():
            return (
                f"{path.name} is the territory file you opened; tierdesk never writes it. "
                "Choose another name."
            )
        return None
