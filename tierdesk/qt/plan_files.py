"""Saving the plan: Save (Ctrl+S), Save As, one workbook per seller, and a recovery copy after every change.

The plan is snapshotted on the GUI thread (cheap: edits replace the plan's tables, they never change them)
and written in the background. A failed save leaves the previous file whole and offers Save As. While the
plan differs from the saved one (the undo stack is not clean), a recovery copy is written after each burst
of edits; it is removed as soon as the plan is back to the saved state. After a crash, the next start
offers it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QObject, QStandardPaths, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from tierdesk.io.load import LoadResult
from tierdesk.io.plan_file import SaveError, write_plan
from tierdesk.io.snapshot import PlanSnapshot
from tierdesk.qt.document import PlanDocument
from tierdesk.qt.prompts import Prompts
from tierdesk.qt.settings import Settings
from tierdesk.qt.workers import BackgroundTask, Job

log = logging.getLogger(__name__)

PLAN_FILTER = "tierdesk plan workbooks (*.xlsx);;All files (*)"
RECOVERY_DELAY_MS = 3000


def recovery_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    return Path(base or Path.home() / ".tierdesk") / "recovery"


class PlanFiles(QObject):
    """Owns where the plan is saved; emits `saved(Path)` after a successful save."""

    saved = Signal(object)

    def __init__(self, window: QWidget, document: PlanDocument, settings: Settings, prompts: Prompts) -> None:
        super().__init__(window)
        self.window, self.document, self.settings, self.prompts = window, document, settings, prompts
        self.path: Path | None = None  # the plan workbook being edited, once saved or opened
        self.source: LoadResult | None = None
        self.task: BackgroundTask | None = None
        self.failures: list[str] = []
        self.recovery_path = recovery_dir() / "unsaved-plan.xlsx"
        self.save_action = QAction("&Save Plan", window)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.triggered.connect(self.save)
        self.save_as_action = QAction("Save Plan &As…", window)
        self.save_as_action.setShortcut(QKeySequence.StandardKey.SaveAs)
        self.save_as_action.triggered.connect(self.ask_save_as)
        self.export_owner_action = QAction("Export a Workbook per &Owner…", window)
        self.export_owner_action.triggered.connect(lambda: self.ask_export("owner"))
        self.export_territory_action = QAction("Export a Workbook per &Territory…", window)
        self.export_territory_action.triggered.connect(lambda: self.ask_export("territory"))
        self._recovery_timer = QTimer(self)
        self._recovery_timer.setSingleShot(True)
        self._recovery_timer.setInterval(RECOVERY_DELAY_MS)
        self._recovery_timer.timeout.connect(self.write_recovery)
        self._recovery_job: Job | None = None
        document.changed.connect(self._changed)
        document.undo_stack.cleanChanged.connect(self._clean_changed)
        document.replaced.connect(self._update_enabled)
        self._update_enabled()

    def _update_enabled(self) -> None:
        has_plan = self.document.plan is not None
        for action in (
            self.save_action,
            self.save_as_action,
            self.export_owner_action,
            self.export_territory_action,
        ):
            action.setEnabled(has_plan)

    def set_source(self, source: LoadResult, path: Path | None, origin: PlanSnapshot | None = None) -> None:
        """A new plan: from a territory file, or from the plan workbook at `path` (`origin`, as read)."""
        self.source, self.path, self._origin = source, path, origin

    _origin: PlanSnapshot | None = None

    def snapshot(self) -> PlanSnapshot:
        """The plan now, with where it came from (a territory file, or the plan it was opened from)."""
        assert self.document.plan is not None
        origin = self._origin
        if origin is not None:
            return PlanSnapshot.from_plan(
                self.document.plan,
                mapping=origin.mapping,
                source_file=origin.source_file,
                source_sheet=origin.source_sheet,
                created=origin.created,
                previous=self.document.previous,
            )
        return PlanSnapshot.from_plan(self.document.plan, self.source, previous=self.document.previous)

    # saving -----------------------------------------------------------------------------
    def save(self) -> None:
        if self.path is None:
            self.ask_save_as()
        else:
            self.save_to(self.path)

    def ask_save_as(self) -> None:
        suggested = self.path or Path(self.settings.last_directory() or Path.home()) / self._default_name()
        chosen = self.prompts.save_path("Save plan", str(suggested), PLAN_FILTER)
        if chosen is not None:
            name = str(chosen)
            path = chosen if name.lower().endswith((".xlsx", ".xlsm")) else Path(name + ".xlsx")
            self.save_to(path)

    def _default_name(self) -> str:
        stem = self.source.file.stem if self.source is not None else "territory"
        return f"{stem} plan.xlsx"

    def save_to(self, path: Path) -> None:
        if self.document.plan is None or self.task is not None:
            return
        if self._origin is None and self.source is not None and path.resolve() == self.source.file.resolve():
            self.prompts.warn(
                "Plan not saved",
                f"{path.name} is the territory file you opened; tierdesk never writes it. "
                "Choose another name.",
            )
            return
        state = self.snapshot()
        clean_at = self.document.undo_stack.index()

        def done(notes: object) -> None:
            self.task = None
            self.path = path
            if self.document.undo_stack.index() == clean_at:
                self.document.undo_stack.setClean()
            self.discard_recovery()
            for note in notes if isinstance(notes, list) else []:
                log.info("saved %s: %s", path, note)
            self.saved.emit(path)

        def failed(exc: BaseException) -> None:
            self.task = None
            message = str(exc) if isinstance(exc, SaveError) else f"Could not save {path.name}: {exc}"
            self.failures.append(message)
            if self.prompts.save_failed(message):
                self.ask_save_as()

        self.task = BackgroundTask(
            self.window,
            f"Saving {path.name}…",
            lambda progress, cancelled: write_plan(state, path, progress, cancelled),
            done,
            failed,
            lambda: setattr(self, "task", None),
        ).start()

    # one workbook per seller ----------------------------------------------------------------
    def ask_export(self, split_by: Literal["owner", "territory"]) -> None:
        folder = self.prompts.folder(f"Folder for one workbook per {split_by}")
        if folder is not None:
            self.export_to(folder, split_by)

    def export_to(self, folder: Path, split_by: Literal["owner", "territory"]) -> None:
        from tierdesk.io.split_export import export_plans

        if self.document.plan is None or self.task is not None:
            return
        state = self.snapshot()

        def done(result: object) -> None:
            self.task = None
            files, notes = result if isinstance(result, tuple) else ([], [])
            text = f"Wrote {len(files)} workbooks to {folder}."
            if notes:
                text += "\n\n" + "\n".join(notes[:10])
            self.prompts.inform("Workbooks exported", text)

        def failed(exc: BaseException) -> None:
            self.task = None
            self.prompts.warn("Export failed", str(exc))

        self.task = BackgroundTask(
            self.window,
            f"Writing one workbook per {split_by}…",
            lambda progress, cancelled: export_plans(state, folder, split_by, progress, cancelled),
            done,
            failed,
            lambda: setattr(self, "task", None),
        ).start()

    # recovery ------------------------------------------------------------------------------
    def _changed(self, _change: object) -> None:
        if not self.document.undo_stack.isClean():
            self._recovery_timer.start()

    def _clean_changed(self, clean: bool) -> None:
        if clean:  # saved, or undone back to the saved state: nothing to recover
            self.discard_recovery(wait=False)

    def write_recovery(self) -> None:
        """Write the recovery copy in the background (quietly: it is a safety net, not a save)."""
        if self.document.plan is None or self.document.undo_stack.isClean():
            return
        if self._recovery_job is not None and not self._recovery_job.done.is_set():
            self._recovery_timer.start()
            return
        state = self.snapshot()
        target = self.recovery_path
        target.parent.mkdir(parents=True, exist_ok=True)
        self._recovery_job = Job(lambda _p, _c: write_plan(state, target), name="recovery copy")
        self._recovery_job.signals.finished.connect(self._recovery_written)
        self._recovery_job.start()

    def _recovery_written(self, _notes: object) -> None:
        if self.document.plan is None or self.document.undo_stack.isClean():
            self.recovery_path.unlink(missing_ok=True)  # back to the saved state while it was written

    def discard_recovery(self, *, wait: bool = True) -> None:
        """Remove the recovery copy. One being written is waited for, or (`wait=False`) removed when done."""
        self._recovery_timer.stop()
        job = self._recovery_job
        if job is not None and not job.done.is_set():
            if not wait:
                return  # _recovery_written removes it
            job.done.wait(30)
        self.recovery_path.unlink(missing_ok=True)

    def recovery_pending(self) -> bool:
        """A recovery copy is being written."""
        job = self._recovery_job
        return job is not None and not job.done.is_set()

    def has_recovery(self) -> bool:
        return self.recovery_path.exists() and self.recovery_path.stat().st_size > 0

    def offer_recovery(self) -> Path | None:
        """At start: ask whether to open the plan left unsaved by a crash. Returns the copy to open."""
        if not self.has_recovery():
            return None
        if self.prompts.recover():
            kept = self.recovery_path.with_name("recovered-plan.xlsx")
            self.recovery_path.replace(kept)
            return kept
        self.recovery_path.unlink(missing_ok=True)
        return None

    def flush(self) -> None:
        """On quit: wait for a save in progress to finish."""
        if self.task is not None:
            self.task.job.done.wait(60)
