"""File ▸ Previous Period…: the plan of the last period (or its territory file), which tier turnover is
measured against. Read in the background; setting and clearing it are undoable."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from tierdesk.app.opening import load_previous_period
from tierdesk.domain.governance import PreviousPeriod
from tierdesk.qt.document import PlanDocument
from tierdesk.qt.prompts import Prompts
from tierdesk.qt.workers import BackgroundTask, Progress

FILTER = "Plans and territory files (*.xlsx *.xlsm *.xlsb *.xls *.ods *.csv);;All files (*)"


class PreviousPeriodCommands:
    """Choose the previous period's plan, or stop measuring turnover; problems are shown, never raised."""

    def __init__(self, parent: QWidget, document: PlanDocument, prompts: Prompts) -> None:
        self.parent, self.document, self.prompts = parent, document, prompts
        self.task: BackgroundTask | None = None
        self.set_action = QAction("Previous &Period…", parent)
        self.set_action.setStatusTip(
            "Measure tier turnover against last period's plan (or its territory file); undoable"
        )
        self.set_action.triggered.connect(self.ask)
        self.clear_action = QAction("Clear Previous Period", parent)
        self.clear_action.setStatusTip("Stop measuring tier turnover; undoable")
        self.clear_action.triggered.connect(self.clear)
        document.replaced.connect(self._update_enabled)
        document.changed.connect(self._update_enabled)
        self._update_enabled()

    def _update_enabled(self, *_: object) -> None:
        self.set_action.setEnabled(self.document.plan is not None and self.task is None)
        self.clear_action.setEnabled(self.document.previous is not None)

    def ask(self) -> None:
        path = self.prompts.open_path("Previous period's plan", FILTER)
        if path is not None:
            self.load(path)

    def load(self, path: Path) -> None:
        """Read `path` in the background, then measure turnover against it (one undo step)."""
        plan = self.document.plan
        if plan is None or self.task is not None:
            return
        playbook = plan.playbook

        def work(progress: Progress, cancelled: object) -> PreviousPeriod:
            progress(0.1, f"Reading {path.name}")
            return load_previous_period(path, playbook)

        self.task = BackgroundTask(
            self.parent, f"Reading {path.name}", work, self._loaded, self._failed, self._done
        )
        self.task.start()
        self._update_enabled()

    def _done(self) -> None:
        self.task = None
        self._update_enabled()

    def _loaded(self, previous: object) -> None:
        self._done()
        if self.document.plan is None or not isinstance(previous, PreviousPeriod):
            return
        if not len(previous):
            self.prompts.warn("Previous period not used", f"{previous.label}: no classified accounts in it.")
            return
        self.document.set_previous(previous, f"Measure turnover since {previous.label}")

    def _failed(self, exc: BaseException) -> None:
        self._done()
        self.prompts.warn("Previous period not used", str(exc) or type(exc).__name__)

    def clear(self) -> None:
        if self.document.previous is not None:
            self.document.set_previous(None, "Stop measuring turnover")
