"""Graphics pieces of the persona matrix: value axes, the interactive view box, nearest-point lookup."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QGraphicsRectItem

from tierdesk.qt.formatting import percent, short_money, short_number

PICK_RADIUS_PX = 7.0


class FieldAxis(pg.AxisItem):
    """Ticks in the field's own units: money as $1.2M, shares as 35%, on linear or log scale."""

    def __init__(self, orientation: str, **kwargs: Any) -> None:
        super().__init__(orientation, **kwargs)
        self.kind = "number"

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        out = []
        for v in values:
            value = 10**v if self.logMode else v
            if self.logMode and value > 0:
                mantissa = value / 10 ** np.floor(np.log10(value) + 1e-9)
                if min(abs(mantissa - m) for m in (1, 2, 5)) > 0.01:
                    out.append("")  # on log axes only 1, 2, 5 × 10ⁿ get a label: the rest crowd
                    continue
            if self.kind == "money":
                out.append(short_money(value))
            elif self.kind == "percent":
                out.append(percent(value))
            else:
                out.append(short_number(value))
        return out


class MatrixViewBox(pg.ViewBox):
    """Left click/drag select and move points; right or middle drag pans; the wheel zooms.

    The owner sets the callbacks: `pick(scene_pos) -> row | None`, `on_click(row, modifiers)`,
    `on_rubber_band(rect_in_view_coords, modifiers)`, `on_drag(rows_start_row, view_pos, finished)`.
    """

    def __init__(self) -> None:
        super().__init__(enableMenu=False)
        self.setMouseMode(pg.ViewBox.PanMode)
        self.pick: Callable[[QPointF], int | None] = lambda _pos: None
        self.on_click: Callable[[int | None, Qt.KeyboardModifier], None] = lambda _r, _m: None
        self.on_rubber_band: Callable[[QRectF, Qt.KeyboardModifier, bool], None] = lambda _r, _m, _f: None
        self.on_point_drag: Callable[[int, QPointF, str], None] = lambda _r, _p, _s: None
        self._drag_row: int | None = None
        self._band = QGraphicsRectItem()
        self._band.setPen(pg.mkPen("#2f6fd0", width=1, style=Qt.PenStyle.DashLine))
        self._band.setBrush(pg.mkBrush(47, 111, 208, 40))
        self._band.setZValue(1e9)
        self._band.hide()
        self.addItem(self._band, ignoreBounds=True)

    def mouseClickEvent(self, ev: Any) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            self.on_click(self.pick(ev.scenePos()), ev.modifiers())
        else:
            super().mouseClickEvent(ev)

    def mouseDragEvent(self, ev: Any, axis: int | None = None) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            super().mouseDragEvent(ev, axis)
            return
        ev.accept()
        if ev.isStart():
            self._drag_row = self.pick(ev.buttonDownScenePos())
        view_pos = self.mapSceneToView(ev.scenePos())
        stage = "finish" if ev.isFinish() else "start" if ev.isStart() else "move"
        if self._drag_row is not None:
            self.on_point_drag(self._drag_row, view_pos, stage)
            if ev.isFinish():
                self._drag_row = None
            return
        start = self.mapSceneToView(ev.buttonDownScenePos())
        rect = QRectF(start, view_pos).normalized()
        if ev.isFinish():
            self._band.hide()
        else:
            self._band.setRect(rect)
            self._band.show()
        self.on_rubber_band(rect, ev.modifiers(), ev.isFinish())


def nearest_point(
    xs: np.ndarray,
    ys: np.ndarray,
    candidates: np.ndarray,
    x: float,
    y: float,
    px_per_x: float,
    px_per_y: float,
) -> int | None:
    """Row (from `candidates`) of the point nearest (x, y) within the pick radius, measured in pixels."""
    if not len(candidates):
        return None
    dx = (xs[candidates] - x) * px_per_x
    dy = (ys[candidates] - y) * px_per_y
    distance = dx * dx + dy * dy
    distance[np.isnan(distance)] = np.inf
    best = int(np.argmin(distance))
    return int(candidates[best]) if distance[best] <= PICK_RADIUS_PX**2 else None


def pen(colour: str, width: float = 1.0, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    p: QPen = pg.mkPen(colour, width=width, style=style)
    p.setCosmetic(True)
    return p


class SplitLabel(pg.InfLineLabel):
    """The value of a split line, written beside it (and kept up to date while it is dragged).

    `describe` turns the line's position (in view units) into the text shown: "47%", "$800k"."""

    def __init__(self, line: pg.InfiniteLine, describe: Callable[[float], str], **kwargs: Any) -> None:
        self.describe = describe
        super().__init__(line, **kwargs)

    def valueChanged(self) -> None:
        if self.isVisible():
            self.setText(self.describe(float(self.line.value())))
            self.updatePosition()
