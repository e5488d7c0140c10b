"""Long work off the GUI thread: a job runs in Qt's thread pool and reports back through signals.

The job function receives `progress(fraction, text)` and `cancelled() -> bool` callbacks; its result
(or the exception it raised) is delivered on the GUI thread. A QProgressDialog with Cancel is attached by
`BackgroundTask`.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from tierdesk.domain.work import Cancelled

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]
JobFunction = Callable[[Progress, Callable[[], bool]], Any]


class _Signals(QObject):
    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(object)  # the exception
    cancelled = Signal()


class Job(QRunnable):
    """One background task. Connect to `signals` before `start()`."""

    def __init__(self, function: JobFunction, *, name: str = "job") -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.name = name
        self.signals = _Signals()
        self._function = function
        self._cancel = threading.Event()
        self.done = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def start(self, pool: QThreadPool | None = None) -> None:
        (pool or QThreadPool.globalInstance()).start(self)

    def run(self) -> None:
        try:
            self._run()
        except RuntimeError:  # the window (and the signals' receiver) went away while the job ran
            log.info("%s finished after its window closed", self.name)
        finally:
            self.done.set()

    def _run(self) -> None:
        try:
            result = self._function(self.signals.progress.emit, self._cancel.is_set)
        except Cancelled:
            self.signals.cancelled.emit()
        except Exception as exc:  # delivered to the GUI, which shows a message; detail goes to the log
            log.error("%s failed:\n%s", self.name, traceback.format_exc())
            if self._cancel.is_set():
                self.signals.cancelled.emit()
            else:
                self.signals.failed.emit(exc)
        else:
            if self._cancel.is_set():
                self.signals.cancelled.emit()
            else:
                self.signals.finished.emit(result)


class BackgroundTask(QObject):
    """A job with a modal progress dialog (shown after 300 ms) and a working Cancel button.

    Results arrive through this object's slots, which live on the GUI thread, so the callbacks never run
    on the worker thread.
    """

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        function: JobFunction,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        on_cancel: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_done = on_done
        self._on_error = on_error
        self._on_cancel = on_cancel
        self._title = title
        self._closed = False
        self._depth = 0  # progress updates under way (setValue may nest)
        self._pending: Callable[[], None] | None = None  # the job's end, waiting for them
        self.job = Job(function, name=title)
        self.dialog = QProgressDialog(title, "Cancel", 0, 1000, parent)
        self.dialog.setWindowTitle("tierdesk")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setValue(0)
        signals = self.job.signals
        signals.progress.connect(self._show_progress)
        signals.finished.connect(self._finished)
        signals.failed.connect(self._failed)
        signals.cancelled.connect(self._cancelled)
        self.dialog.canceled.connect(self.job.cancel)

    def start(self) -> BackgroundTask:
        self.job.start()
        return self

    @Slot(float, str)
    def _show_progress(self, fraction: float, text: str) -> None:
        if self._closed or self._pending is not None:
            return
        if text:
            self.dialog.setLabelText(f"{self._title}\n{text}")
        # A modal QProgressDialog processes events inside setValue(): the job's end may arrive in there.
        # It must not close (and delete) the dialog under setValue's feet: it is kept until setValue returns.
        self._depth += 1
        try:
            self.dialog.setValue(int(max(0.0, min(1.0, fraction)) * 1000))
        finally:
            self._depth -= 1
        if self._depth == 0 and self._pending is not None:
            pending, self._pending = self._pending, None
            pending()

    def _after_update(self, handler: Callable[[], None]) -> bool:
        """True: run the job's end now. False: a progress update is under way; `handler` runs after it."""
        if self._depth:
            self._pending = handler
            return False
        return True

    def _close(self) -> None:
        """Take the progress dialog off the screen for good before the job's end is handled.

        The end handler may ask the planner a question in a nested event loop (the opener's sheet and
        mapping questions); the dialog is deleted only later, so its pending 300 ms show timer would fire
        inside that loop and put a modal "0%" box over the question. reset() stops that timer."""
        self._closed = True
        self.dialog.reset()
        self.dialog.hide()
        self.dialog.deleteLater()
        self.deleteLater()

    @Slot(object)
    def _finished(self, result: object) -> None:
        if self._after_update(lambda: self._finished(result)):
            self._close()
            self._on_done(result)

    @Slot(object)
    def _failed(self, exc: BaseException) -> None:
        if self._after_update(lambda: self._failed(exc)):
            self._close()
            self._on_error(exc)

    @Slot()
    def _cancelled(self) -> None:
        if self._after_update(self._cancelled):
            self._close()
            if self._on_cancel is not None:
                self._on_cancel()
