"""Long work runs off the GUI thread with progress and a Cancel that works; the window stays responsive."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget

from tierdesk.io.errors import Cancelled
from tierdesk.qt.main_window import MainWindow
from tierdesk.qt.workers import BackgroundTask


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
    # the event loop keeps running while the job works: a timer fires on time
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(10)
    qtbot.wait(200)
    timer.stop()
    assert len(ticks) >= 8
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
    window.opener.ask_mapping = lambda raw, guess: guess
    with qtbot.waitSignal(window.opener.cancelled, timeout=60_000):
        window.open_file(path)
        qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QProgressDialog), timeout=20_000)
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QProgressDialog)
        assert "big.csv" in dialog.labelText()
        cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel")
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert window.result is None
    assert window.accounts_model.rowCount() == 0
    assert not window.opener.is_busy()
