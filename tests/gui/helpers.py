"""Driving widgets as a person would: real mouse events with buttons held, drops with real mime data; the
window's questions answered through the real dialogs, or (ScriptedPrompts) without them where a test says."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QMouseEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QProgressDialog, QWidget

from tierdesk.domain.proposal import Proposal
from tierdesk.domain.wallet_settings import WalletSettings
from tierdesk.io.reader import Probe, RawTable
from tierdesk.qt.prompts import DuplicateChoice, MappingAnswer, Prompts, Unsaved


def _mouse(
    widget: QWidget,
    kind: QEvent.Type,
    pos: QPointF,
    button: Qt.MouseButton,
    buttons: Qt.MouseButton,
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    global_pos = QPointF(widget.mapToGlobal(pos.toPoint()))
    event = QMouseEvent(kind, pos, global_pos, button, buttons, modifiers)
    QApplication.sendEvent(widget, event)


def drag_mouse(
    widget: QWidget,
    start: QPointF,
    end: QPointF,
    steps: int = 8,
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """Press the left button at `start`, move in steps with the button held, release at `end`."""
    left = Qt.MouseButton.LeftButton
    _mouse(widget, QEvent.Type.MouseButtonPress, start, left, left, modifiers)
    for i in range(1, steps + 1):
        t = i / steps
        point = QPointF(start.x() + (end.x() - start.x()) * t, start.y() + (end.y() - start.y()) * t)
        _mouse(widget, QEvent.Type.MouseMove, point, Qt.MouseButton.NoButton, left, modifiers)
        QApplication.processEvents()
    _mouse(widget, QEvent.Type.MouseButtonRelease, end, left, Qt.MouseButton.NoButton, modifiers)
    QApplication.processEvents()


def click_mouse(
    widget: QWidget, pos: QPointF, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    left = Qt.MouseButton.LeftButton
    _mouse(widget, QEvent.Type.MouseButtonPress, pos, left, left, modifiers)
    _mouse(widget, QEvent.Type.MouseButtonRelease, pos, left, Qt.MouseButton.NoButton, modifiers)
    QApplication.processEvents()


def drop_mime(widget: QWidget, mime: QMimeData, pos: QPoint) -> bool:
    """Drag-enter, drag-move and drop `mime` at `pos`; returns whether the drop was accepted."""
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    enter = QDragEnterEvent(pos, actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    move = QDragMoveEvent(pos, actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, move)
    drop = QDropEvent(QPointF(pos), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    return drop.isAccepted()


def drop_file(widget: QWidget, path: Path) -> bool:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    return drop_mime(widget, mime, widget.rect().center())


def view_to_widget(plot: object, x: float, y: float) -> QPointF:
    """Data (view) coordinates of a pyqtgraph PlotWidget to pixel coordinates in the widget."""
    viewbox = plot.getViewBox()  # type: ignore[attr-defined]
    scene = viewbox.mapViewToScene(QPointF(float(x), float(y)))
    return QPointF(plot.mapFromScene(scene))  # type: ignore[attr-defined]


def rows_where(mask: np.ndarray) -> np.ndarray:
    return np.flatnonzero(np.asarray(mask, dtype=bool))


Answer = Callable[[QWidget], None]


class Questions:
    """Answers the questions a window asks as a person does, each by clicking one of its buttons.

    A question is asked with exec(), in a nested event loop, so a test cannot wait for it from the outside:
    a timer looks for the next expected dialog while that loop runs. Before clicking, it notes whether
    anything covers the question: a progress box shown, or one still counting down to show itself (that
    box is modal too, and clicks on the question would go nowhere)."""

    def __init__(self, *answers: tuple[type[QWidget], str] | tuple[type[QWidget], str, Answer]) -> None:
        #: (dialog class, text of the button to click, what to do first, e.g. type), in order
        self.pending = list(answers)
        self.asked: list[str] = []  # window titles of the questions answered
        self.covered: list[str] = []  # questions that had a progress box above them
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._look)
        self._timer.start()

    def done(self) -> bool:
        return not self.pending

    def _look(self) -> None:
        if not self.pending:
            self._timer.stop()
            return
        kind, text, *first = self.pending[0]
        question = QApplication.activeModalWidget()
        if not isinstance(question, kind) or not question.isVisible():
            return
        if first:  # done once; the button may need a moment to follow (enabled when the text is valid)
            first[0](question)
            self.pending[0] = (kind, text)
        button = next(
            (b for b in question.findChildren(QAbstractButton) if b.text().replace("&", "") == text), None
        )
        if button is None or not button.isVisible() or not button.isEnabled():
            return
        if progress_boxes_showing():
            self.covered.append(question.windowTitle())
        self.pending.pop(0)
        self.asked.append(question.windowTitle())
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def progress_boxes_showing() -> list[QProgressDialog]:
    """Progress dialogs on screen, or about to show themselves (their show timer is running)."""
    return [
        box
        for box in QApplication.topLevelWidgets()
        if isinstance(box, QProgressDialog)
        and (box.isVisible() or any(t.isActive() for t in box.findChildren(QTimer)))
    ]


def focus_on(qtbot: object, widget: QWidget) -> None:
    """Bring the widget's window to the front and give the widget the keyboard, as a click would; waits
    until both are true (never assume focus: another window may hold it)."""
    window = widget.window()
    window.raise_()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)  # type: ignore[attr-defined]
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(widget.hasFocus, timeout=5000)  # type: ignore[attr-defined]


def shown(text: str) -> str:
    """A menu or button text as a person reads it: "&Undo Move to Land && Expand" reads
    "Undo Move to Land & Expand" (a single "&" marks the shortcut letter, "&&" is an ampersand)."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


class ScriptedPrompts(Prompts):
    """The window's questions answered without a dialog where `answers` names them (by Prompts method name:
    a value, or a function of the question's arguments); any other question is asked through the real dialog.
    Every question asked is noted in `asked` as (name, arguments)."""

    def __init__(self, **answers: object) -> None:
        super().__init__(None)
        self.answers: dict[str, object] = dict(answers)
        self.asked: list[tuple[str, tuple[object, ...]]] = []

    def _ask(self, name: str, real: Callable[..., Any], *args: Any) -> Any:
        self.asked.append((name, args))
        if name not in self.answers:
            return real(*args)
        answer = self.answers[name]
        return answer(*args) if callable(answer) else answer

    def asked_with(self, name: str) -> list[tuple[object, ...]]:
        """The arguments of each time the question `name` was asked, in order."""
        return [args for asked, args in self.asked if asked == name]

    def told(self, name: str = "warn") -> list[str]:
        """The texts of the messages given (`warn` or `inform`)."""
        return [str(args[1]) for args in self.asked_with(name)]

    def reason(self, question: str) -> str | None:
        return self._ask("reason", super().reason, question)

    def seller(self, question: str, sellers: Sequence[tuple[str, str]]) -> str | None:
        return self._ask("seller", super().seller, question, sellers)

    def balance(self, proposal: Proposal) -> list[int] | None:
        return self._ask("balance", super().balance, proposal)

    def unsaved_changes(self) -> Unsaved:
        return self._ask("unsaved_changes", super().unsaved_changes)

    def save_failed(self, message: str) -> bool:
        return self._ask("save_failed", super().save_failed, message)

    def recover(self) -> bool:
        return self._ask("recover", super().recover)

    def sheet(self, probe: Probe) -> str | None:
        return self._ask("sheet", super().sheet, probe)

    def mapping(
        self, raw: RawTable, guess: dict[str, str], wallet: WalletSettings, notes: Sequence[str] = ()
    ) -> MappingAnswer | None:
        return self._ask("mapping", super().mapping, raw, guess, wallet, notes)

    def order_lines(self, file_name: str, lines: int) -> bool | None:
        return self._ask("order_lines", super().order_lines, file_name, lines)

    def duplicate_ids(self, repeated: pd.DataFrame) -> DuplicateChoice:
        return self._ask("duplicate_ids", super().duplicate_ids, repeated)

    def open_path(self, title: str, file_filter: str, directory: str = "") -> Path | None:
        return self._ask("open_path", super().open_path, title, file_filter, directory)

    def save_path(self, title: str, suggested: str, file_filter: str) -> Path | None:
        return self._ask("save_path", super().save_path, title, suggested, file_filter)

    def folder(self, title: str) -> Path | None:
        return self._ask("folder", super().folder, title)

    def print_setup(self, printer: QPrinter, title: str) -> bool:
        return self._ask("print_setup", super().print_setup, printer, title)

    def print_preview(self, printer: QPrinter, title: str, paint: Callable[[QPrinter], None]) -> None:
        self._ask("print_preview", super().print_preview, printer, title, paint)

    def warn(self, title: str, text: str) -> None:
        self._ask("warn", super().warn, title, text)

    def inform(self, title: str, text: str) -> None:
        self._ask("inform", super().inform, title, text)


def the_guess(
    _raw: RawTable, guess: dict[str, str], _wallet: WalletSettings, _notes: Sequence[str] = ()
) -> MappingAnswer:
    """Answer the column question with tierdesk's own guess, as a planner clicking OK at once would."""
    return MappingAnswer(guess)


def assert_opened(blocker: Any, window: Any, path: Path) -> None:
    """The open ended with `path` (the payload of the opener's `opened` signal) and the window shows that
    plan."""
    (opened,) = blocker.args
    assert Path(opened.result.file).resolve() == Path(path).resolve()
    assert window.document.plan is opened.plan
