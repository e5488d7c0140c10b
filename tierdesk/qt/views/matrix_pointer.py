"""Pointer work in the persona matrix: picking, clicking, rubber-band selection, dragging points, hover, and
dragging the split lines.

The controllers listen to the view box's gesture signals and the boxes' split-line signals, read the
matrix's public face (its PointGeometry, the shared selection, the document) and answer with selection
changes, a `moveRequested(rows, persona)` signal (the window asks the reason and pins), and, for split
lines, a live preview recorded once on release.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtWidgets import QToolTip

from tierdesk.domain.plan import Edit, MoveSplit, Plan
from tierdesk.domain.playbook import PERSONAS
from tierdesk.domain.reasons import reason
from tierdesk.qt.document import AccountSelection, PlanDocument
from tierdesk.qt.formatting import format_money, percent
from tierdesk.qt.views.matrix_geometry import Axis, PointGeometry, persona_at
from tierdesk.qt.views.matrix_items import MatrixViewBox
from tierdesk.qt.views.persona_boxes import PersonaBoxes

HOVER_MS = 40  # tooltips at most this often while the pointer moves
SOURCE = "matrix"  # how the matrix names itself to the shared selection


def account_tip(plan: Plan, row: int) -> str:
    """The tooltip of an account's point: name, revenue, share, potential, tier, persona and why."""
    accounts, cls = plan.accounts, plan.classification
    name = accounts["account_name"].iloc[row]
    revenue = accounts["revenue"].iloc[row] if "revenue" in accounts else float("nan")
    tier = plan.playbook.tier_names[cls.tier[row]] if cls.tier[row] >= 0 else "Unclassified"
    persona = PERSONAS[cls.persona[row]] if cls.persona[row] >= 0 else "Unclassified"
    pinned = " (pinned)" if cls.pinned_persona[row] else ""
    share, potential = percent(float(cls.x[row])), format_money(float(cls.y[row]))
    return (
        f"<b>{name}</b><br>Revenue {format_money(float(revenue))} · share of wallet {share}"
        f"<br>Potential {potential}<br>{tier} · {persona}{pinned}<br><i>{reason(cls, row)}</i>"
    )


class PointerHost(Protocol):
    """What the pointer reads and asks of the matrix it works in (its public face)."""

    document: PlanDocument
    selection: AccountSelection
    viewbox: MatrixViewBox
    plot: pg.PlotWidget
    points: PointGeometry

    def persona_axes_shown(self) -> bool: ...

    def show_drop_hint(self, text: str, pos: QPointF) -> None: ...

    def hide_drop_hint(self) -> None: ...


def _toggles(modifiers: Qt.KeyboardModifier) -> bool:
    return bool(modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier))


class MatrixPointer(QObject):
    """Turns mouse gestures on the matrix into selection changes and requests to move accounts to a box."""

    moveRequested = Signal(object, str)  # rows (np.ndarray), persona

    def __init__(self, host: PointerHost, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self._drag_row: int | None = None  # the point a left drag started on (None: a rubber band)
        self._drag_rows: np.ndarray | None = None  # the accounts being dragged
        host.viewbox.clicked.connect(self._clicked)
        host.viewbox.leftDragged.connect(self._dragged)
        self._hover_at: QPointF | None = None
        self._hover_timer = QTimer(self)
        self._hover_timer.setSingleShot(True)
        self._hover_timer.setInterval(HOVER_MS)
        self._hover_timer.timeout.connect(self._hover_now)
        host.plot.scene().sigMouseMoved.connect(self._mouse_moved)

    def pick(self, pos: QPointF) -> int | None:
        """The account whose point is under `pos` (view coordinates), if any."""
        if self.host.document.plan is None:
            return None
        return self.host.points.nearest(pos.x(), pos.y(), *self.host.viewbox.pixels_per_unit())

    # clicks and rubber bands -----------------------------------------------------------------
    def _clicked(self, pos: QPointF, modifiers: Qt.KeyboardModifier) -> None:
        row = self.pick(pos)
        selection = self.host.selection
        current = selection.rows()
        if row is None:
            if not _toggles(modifiers):
                selection.clear(SOURCE)
            return
        if _toggles(modifiers):
            rows = np.setdiff1d(current, [row]) if row in current else np.union1d(current, [row])
        else:
            rows = np.array([row])
        selection.set_rows(rows, SOURCE)

    def _dragged(self, start: QPointF, pos: QPointF, modifiers: Qt.KeyboardModifier, stage: str) -> None:
        if stage == "start":
            self._drag_row = self.pick(start)
        if self._drag_row is not None:
            self._point_drag(self._drag_row, pos, stage)
            if stage == "finish":
                self._drag_row = None
            return
        rect = QRectF(start, pos).normalized()
        if stage == "finish":
            self.host.viewbox.hide_band()
            self._rubber_band(rect, modifiers)
        else:
            self.host.viewbox.show_band(rect)

    def _rubber_band(self, rect: QRectF, modifiers: Qt.KeyboardModifier) -> None:
        rows = self.host.points.inside(rect.left(), rect.right(), rect.top(), rect.bottom())
        if modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
            rows = np.union1d(self.host.selection.rows(), rows)
        self.host.selection.set_rows(rows, SOURCE)

    # dragging points into another box ------------------------------------------------------------
    def _point_drag(self, row: int, pos: QPointF, stage: str) -> None:
        host = self.host
        if stage == "start":
            if row not in host.selection.rows():
                host.selection.set_rows([row], SOURCE)
            self._drag_rows = host.selection.rows().copy()
        plan = host.document.plan
        if self._drag_rows is None or plan is None or not host.persona_axes_shown():
            if stage == "finish":
                self._drag_rows = None
            return
        cls = plan.classification
        target = persona_at(*host.points.data_at(pos.x(), pos.y()), cls.x_split, cls.y_split)
        if stage != "finish":
            n = len(self._drag_rows)
            host.show_drop_hint(f"Move {n:,} account{'s' if n != 1 else ''} to {target}", pos)
            return
        host.hide_drop_hint()
        rows, self._drag_rows = self._drag_rows, None
        self.moveRequested.emit(rows, target)

    # hover --------------------------------------------------------------------------------------
    def _mouse_moved(self, scene_pos: QPointF) -> None:
        self._hover_at = scene_pos
        if not self._hover_timer.isActive():
            self._hover_timer.start()

    def _hover_now(self) -> None:
        plan = self.host.document.plan
        if self._hover_at is None or plan is None or self._drag_rows is not None:
            return
        scene_pos = self._hover_at
        row = self.pick(self.host.viewbox.mapSceneToView(scene_pos))
        if row is None:
            QToolTip.hideText()
            return
        plot = self.host.plot
        plot.setToolTip("")
        QToolTip.showText(plot.mapToGlobal(plot.mapFromScene(scene_pos)), account_tip(plan, row), plot)


class SplitDrag(QObject):
    """Dragging a split line moves the split live (a preview, no undo step) and records it once, on release,
    at the figure the line shows."""

    def __init__(self, document: PlanDocument, boxes: PersonaBoxes, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document, self.boxes = document, boxes
        self._preview: tuple[str, Edit] | None = None  # the axis dragged, the inverse of its first move
        boxes.splitMoving.connect(self._moving)
        boxes.splitMoved.connect(self._moved)

    @staticmethod
    def _axis(name: str) -> Axis:
        return "x" if name == "x" else "y"

    def _moving(self, name: str, position: float) -> None:
        axis = self._axis(name)
        value = self.boxes.from_line(axis, position)
        if not np.isfinite(value):
            return
        applied = self.document.preview(MoveSplit(axis, value))
        if self._preview is None or self._preview[0] != axis:
            self._preview = (axis, applied.inverse)

    def _moved(self, name: str, position: float) -> None:
        if self._preview is None:
            return
        axis = self._axis(name)
        value = self.boxes.from_line(axis, position)
        first_inverse = self._preview[1]
        self._preview = None
        what = "share-of-wallet" if axis == "x" else "growth-potential"
        self.document.commit_preview(
            first_inverse, MoveSplit(axis, value), f"Move {what} split to {self.boxes.text(axis, value)}"
        )
        self.boxes.update(labels=False)  # the line settles on the value recorded
