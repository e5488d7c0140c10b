"""Opening a territory file: probe, choose the sheet, read, confirm the mapping, roll up, build.

Each heavy step runs off the GUI thread with progress and Cancel; questions to the planner (which sheet,
which columns, roll up order lines, what of duplicate ids?) are asked between steps, through the window's
Prompts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from tierdesk.domain.plan import Edit, Plan
from tierdesk.domain.plan_objectives import new_plan
from tierdesk.domain.playbook import Playbook, default_playbook
from tierdesk.domain.wallet import file_gives
from tierdesk.domain.wallet_notes import estimate_plan
from tierdesk.io.errors import ReadError
from tierdesk.io.load import LoadResult, build_accounts, load_problems, reading_notes
from tierdesk.io.mapping import guess_mapping, header_signature
from tierdesk.io.plan_file import is_plan_workbook, read_plan
from tierdesk.io.reader import Probe, RawTable, probe, read_table
from tierdesk.io.report import Issue
from tierdesk.io.rollup import duplicate_ids, looks_like_order_lines
from tierdesk.io.snapshot import PlanSnapshot
from tierdesk.qt.models.plan_columns import PlanColumns, plan_columns
from tierdesk.qt.prompts import Prompts
from tierdesk.qt.settings import Settings
from tierdesk.qt.workers import BackgroundTask, Progress

log = logging.getLogger(__name__)


@dataclass
class Opened:
    """A loaded territory with its plan classified and its table columns ready (made off the GUI thread).

    For a plan workbook, `plan_file` is the saved state as read and `excel_edits` the valid edits made to
    it in Excel, for the window to apply as one undoable step."""

    result: LoadResult
    plan: Plan
    columns: PlanColumns
    plan_file: PlanSnapshot | None = None
    excel_edits: list[Edit] = field(default_factory=list)


def prepare_plan_workbook(path: Path, progress: Progress, cancelled: Callable[[], bool]) -> Opened:
    state, problems, edits = read_plan(path, progress, cancelled)
    progress(0.95, "Classifying accounts")
    plan = state.to_plan()
    plan.completeness()
    plan.coverage()  # cached on the plan, like completeness: the views' first look is free on the GUI thread
    result = LoadResult(
        path, "plan", None, 1, dict(state.mapping), state.accounts, problems, False, len(state.accounts)
    )
    return Opened(result, plan, plan_columns(plan), state, list(edits))


def prepare(result: LoadResult, playbook: Playbook) -> Opened:
    """Classify a loaded territory; every account starts with the objectives its templates set."""
    plan = new_plan(result.accounts, playbook)
    accounts = result.accounts
    blanks = int((~file_gives(accounts)).sum())
    said = estimate_plan(set(accounts.columns), blanks, len(accounts), playbook.wallet)
    if said:  # the import report says which fields are estimated, and how
        result.issues.append(Issue("info", result.sheet, None, None, f"{result.file.name}: {said}"))
    plan.completeness()  # cached on the plan: the plan editor's first look costs nothing on the GUI thread
    plan.coverage()
    return Opened(result, plan, plan_columns(plan))


def user_message(path: Path, exc: BaseException) -> str:
    """What went wrong, in the planner's words; the technical detail is in the log."""
    if isinstance(exc, ReadError):
        return str(exc)
    if isinstance(exc, MemoryError):
        return f"{path.name} is too large to open on this computer."
    if isinstance(exc, OSError):
        return f"Could not read {path.name}: {exc.strerror or exc}."
    return f"tierdesk could not read {path.name} because of an internal error. The details are in the log."


class TerritoryOpener(QObject):
    """Runs one open at a time; emits `opened(Opened)` or `failed(str)` or `cancelled()`."""

    opened = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, parent_widget: QWidget, settings: Settings, prompts: Prompts) -> None:
        super().__init__(parent_widget)
        self._parent = parent_widget
        self._settings = settings
        self.prompts = prompts
        self.task: BackgroundTask | None = None
        self.playbook: Callable[[], Playbook] = default_playbook

    def is_busy(self) -> bool:
        return self.task is not None

    def open(self, path: Path, *, interactive: bool = True) -> None:
        """Start opening `path`. Non-interactive opens take the suggested sheet and the guessed mapping."""
        if self.is_busy():
            return
        path = Path(path)

        def first_look(progress: Progress, cancelled: Callable[[], bool]) -> Probe | Opened:
            if is_plan_workbook(path):
                return prepare_plan_workbook(path, progress, cancelled)
            return probe(path)

        self._run(
            f"Opening {path.name}…", first_look, lambda found: self._looked(path, found, interactive), path
        )

    def _looked(self, path: Path, found: Probe | Opened, interactive: bool) -> None:
        if isinstance(found, Opened):
            self.opened.emit(found)
        else:
            self._probed(path, found, interactive)

    # steps -------------------------------------------------------------------
    def _probed(self, path: Path, found: Probe, interactive: bool) -> None:
        worksheets = [s for s in found.sheets if s.kind == "worksheet"]
        sheet = found.suggested
        if interactive and len(worksheets) > 1:
            sheet = self.prompts.sheet(found)
            if sheet is None:
                self.cancelled.emit()
                return

        def read(progress: Progress, cancelled: Callable[[], bool]) -> tuple[RawTable, dict[str, str]]:
            raw = read_table(path, sheet, progress=progress, cancel=cancelled)
            return raw, guess_mapping(raw.headers, raw.data)

        self._run(f"Reading {path.name}…", read, lambda found: self._read(path, found, interactive), path)

    def _read(self, path: Path, found: tuple[RawTable, dict[str, str]], interactive: bool) -> None:
        raw, guess = found
        signature = header_signature(raw.headers)
        remembered = self._settings.mapping_for(signature)
        if remembered and all(h in raw.headers for h in remembered.values()):
            mapping = remembered
        elif interactive:
            notes = reading_notes(raw, guess)  # the account column and why, what was filled down or left out
            chosen = self.prompts.mapping(raw, guess, self.playbook().wallet, notes)
            if chosen is None:
                self.cancelled.emit()
                return
            mapping = chosen.mapping
            if chosen.remember:
                self._settings.remember_mapping(signature, mapping)
        else:
            mapping = guess
        problems = load_problems(raw, mapping)  # with no account column: which text columns there are instead
        if problems:
            self.failed.emit(f"{path.name}: {problems[0]}")
            return

        def check_ids(_progress: Progress, _cancelled: Callable[[], bool]) -> tuple[bool, pd.DataFrame]:
            return looks_like_order_lines(raw, mapping), duplicate_ids(raw, mapping)

        self._run(
            f"Checking the accounts of {path.name}…",
            check_ids,
            lambda checked: self._checked(path, raw, mapping, checked, interactive),
            path,
        )

    def _checked(
        self,
        path: Path,
        raw: RawTable,
        mapping: dict[str, str],
        checked: tuple[bool, pd.DataFrame],
        interactive: bool,
    ) -> None:
        order_lines, repeated = checked
        rollup = False
        duplicates: Literal["keep_first", "merge", "keep_all"] = "keep_first"
        if order_lines:
            answer = self.prompts.order_lines(raw.file.name, len(raw.data)) if interactive else True
            if answer is None:
                self.cancelled.emit()
                return
            rollup = answer
        if not rollup and len(repeated) and interactive:
            choice = self.prompts.duplicate_ids(repeated)
            if choice == "abort":
                self.cancelled.emit()
                return
            duplicates = choice
        playbook = self.playbook()

        def build(progress: Progress, cancelled: Callable[[], bool]) -> Opened:
            result = build_accounts(
                raw, mapping, rollup=rollup, duplicates=duplicates, progress=progress, cancel=cancelled
            )
            progress(0.97, "Classifying accounts")
            return prepare(result, playbook)

        self._run(f"Checking {len(raw.data):,} rows of {path.name}…", build, self._built, path)

    def _built(self, opened: Opened) -> None:
        self.opened.emit(opened)

    def _run(
        self,
        title: str,
        function: Callable[..., object],
        then: Callable[..., None],
        path: Path,
    ) -> None:
        def done(result: object) -> None:
            self.task = None
            then(result)

        def error(exc: BaseException) -> None:
            self.task = None
            self.failed.emit(user_message(path, exc))

        def cancel() -> None:
            self.task = None
            self.cancelled.emit()

        self.task = BackgroundTask(self._parent, title, function, done, error, cancel).start()
