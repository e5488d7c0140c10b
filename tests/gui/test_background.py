"""Long work runs off the GUI thread with progress and a Cancel that works; the window stays responsive."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget

from tierdesk.io.errors import Cancelled
from tierdesk.qt.main_window import MainWindow
from tierdesk.qt.workers import BackgroundTask

from .helpers import the_guess


def test_cancel_button_stops_a_running_job(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    outcome: list[str] = []
    steps: list[int] = []

    def work(progress, cancelled) -> str:
        for i in range(10_000):
            if cancelled():
                raise Cancelled()
            progress(i / 10_000, f"step {i}")
            steps.append(i)
            time.sleep(0.001)
        return "finished"

    task = BackgroundTask(
        parent,
        "Working…",
        work,
        outcome.append,
        lambda e: outcome.append(repr(e)),
        lambda: outcome.append("cancelled"),
    ).start()
    qtbot.waitUntil(lambda: task.dialog.isVisible(), timeout=5000)
    # the event loop keeps running while the job works: a timer goes on firing before the job is done
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(10)
    qtbot.waitUntil(lambda: len(ticks) >= 8, timeout=10_000)
    timer.stop()
    assert outcome == [] and len(steps) < 10_000
    cancel = next(b for b in task.dialog.findChildren(QPushButton) if b.text() == "Cancel")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: outcome == ["cancelled"], timeout=5000)
    assert len(steps) < 10_000


def test_cancelling_a_slow_open_leaves_the_window_as_it_was(
    window: MainWindow, tmp_path: Path, qtbot
) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("Account ID,Account Name,Revenue,Owner\n")
        for i in range(400_000):
            handle.write(f"A{i:07d},Account {i},{i * 3.5:.2f},Owner {i % 40}\n")
    window.prompts.answers["mapping"] = the_guess
    with qtbot.waitSignal(window.opener.cancelled, timeout=60_000) as cancelled:
        window.open_file(path)
        qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QProgressDialog), timeout=20_000)
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QProgressDialog)
        assert "big.csv" in dialog.labelText()
        cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel")
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert cancelled.args == []  # cancelled: nothing to say
    assert window.result is None
    assert window.accounts_model.rowCount() == 0
    assert not window.opener.is_busy()


def test_a_job_ending_during_a_progress_update_closes_the_dialog_after_it(qtbot) -> None:
    """A modal progress dialog processes events inside setValue(); the job's end arriving there must wait
    until setValue returns, or the dialog is closed and deleted under it (this crashed the app at times)."""
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    inside = [0]  # how deep in the dialog's setValue() the GUI thread is
    ended_inside: list[int] = []

    def work(progress, cancelled) -> str:
        for i in range(200):
            progress(i / 200, "")
        return "done"

    for _ in range(30):
        loop = QEventLoop()  # waiting in a nested event loop, as qtbot.waitSignal does
        task = BackgroundTask(
            parent,
            "Quick job",
            work,
            lambda _r: ended_inside.append(inside[0]),
            lambda e: ended_inside.append(-1),
        )
        task.dialog.setMinimumDuration(0)  # shown at once: every setValue runs a nested event loop pass
        set_value = task.dialog.setValue

        def tracked(value: int, set_value=set_value) -> None:
            inside[0] += 1
            try:
                set_value(value)
            finally:
                inside[0] -= 1

        task.dialog.setValue = tracked  # type: ignore[method-assign]
        task.destroyed.connect(loop.quit)
        task.start()
        QTimer.singleShot(10_000, loop.quit)
        loop.exec()
    assert ended_inside == [0] * 30
