"""Graphics pieces of the persona matrix: value axes, a view box that reports mouse gestures, split labels."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem

from tierdesk.qt.formatting import percent, short_money, short_number
from tierdesk.qt.views.palette import ACCENT, ACCENT_FILL, qcolour


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

    Left-button gestures come out as signals in view coordinates, for a controller to decide what they do:
    `clicked(pos, modifiers)`, `leftDragged(start, pos, modifiers, stage)` with stage "start", "move" or
    "finish". `show_band` draws a rubber band where the controller says.
    """

    clicked = Signal(object, object)  # view position (QPointF), Qt.KeyboardModifier
    leftDragged = Signal(object, object, object, str)  # start, position (QPointF), modifiers, stage

    def __init__(self) -> None:
        super().__init__(enableMenu=False)
        self.setMouseMode(pg.ViewBox.PanMode)
        self._band = QGraphicsRectItem()
        self._band.setZValue(1e9)
        self._band.hide()
        self.addItem(self._band, ignoreBounds=True)
        self.apply_theme()

    def apply_theme(self) -> None:
        self._band.setPen(pg.mkPen(qcolour(ACCENT), width=1, style=Qt.PenStyle.DashLine))
        self._band.setBrush(pg.mkBrush(qcolour(ACCENT_FILL)))

    def show_band(self, rect: QRectF) -> None:
        """The rubber band, over `rect` in view coordinates."""
        self._band.setRect(rect)
        self._band.show()

    def hide_band(self) -> None:
        self._band.hide()

    def pixels_per_unit(self) -> tuple[float, float]:
        """How many screen pixels one view unit spans, along x and y."""
        px = self.viewPixelSize()
        return 1.0 / (px[0] or 1.0), 1.0 / (px[1] or 1.0)

    def mouseClickEvent(self, ev: Any) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            self.clicked.emit(self.mapSceneToView(ev.scenePos()), ev.modifiers())
        else:
            super().mouseClickEvent(ev)

    def mouseDragEvent(self, ev: Any, axis: int | None = None) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            super().mouseDragEvent(ev, axis)
            return
        ev.accept()
        stage = "finish" if ev.isFinish() else "start" if ev.isStart() else "move"
        start = self.mapSceneToView(ev.buttonDownScenePos())
        self.leftDragged.emit(start, self.mapSceneToView(ev.scenePos()), ev.modifiers(), stage)


def pen(colour: str | QColor, width: float = 1.0, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
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
