"""The four persona boxes of the matrix: shaded areas, their labels, and the two split lines to drag.

Labels sit under the points (a point is never hidden by a label); each split line carries its value
("47%", "$800k"), which follows the line while it is dragged. A drag moves the split live (a preview) and
is recorded once, on release, rounded to the figure the line shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtWidgets import QGraphicsRectItem

from tierdesk.domain.coverage import code_sums
from tierdesk.domain.plan import Edit, MoveSplit
from tierdesk.domain.playbook import PERSONAS, Formula
from tierdesk.domain.reasons import axis_text, round_as_shown
from tierdesk.qt.formatting import short_money
from tierdesk.qt.theme import is_dark
from tierdesk.qt.views.matrix_items import SplitLabel, pen
from tierdesk.qt.views.matrix_pointer import QUADRANTS
from tierdesk.qt.views.palette import PERSONA_COLOURS, qcolor

if TYPE_CHECKING:
    from tierdesk.qt.views.matrix_view import MatrixView

Axis = Literal["x", "y"]
LABEL_Z = -10  # above the box shading (-100) and the density image (-50), under every point (0 and up)


class PersonaBoxes:
    def __init__(self, view: MatrixView) -> None:
        self.view = view
        self.boxes: dict[str, QGraphicsRectItem] = {}
        self.labels: dict[str, pg.TextItem] = {}
        self._html: dict[str, str] = {}
        self._preview: tuple[Axis, Edit] | None = None  # the axis dragged, the inverse of its first move
        box = view.viewbox
        for name, _hy, _hx in QUADRANTS:
            rect = QGraphicsRectItem()
            rect.setPen(pg.mkPen(None))
            rect.setZValue(-100)
            box.addItem(rect, ignoreBounds=True)
            self.boxes[name] = rect
            text = pg.TextItem(anchor=(0, 0))
            text.setZValue(LABEL_Z)
            box.addItem(text, ignoreBounds=True)
            self.labels[name] = text
        self.x_line = pg.InfiniteLine(angle=90, movable=True)
        self.y_line = pg.InfiniteLine(angle=0, movable=True)
        self.split_labels: dict[Axis, SplitLabel] = {}
        for line, axis in ((self.x_line, "x"), (self.y_line, "y")):
            line.setZValue(40)
            line.setCursor(Qt.CursorShape.SizeHorCursor if axis == "x" else Qt.CursorShape.SizeVerCursor)
            line.sigPositionChanged.connect(lambda _l, a=axis: self._moving(a))
            line.sigPositionChangeFinished.connect(lambda _l, a=axis: self._moved(a))
            box.addItem(line, ignoreBounds=True)
            # the value beside the line: left of it near the top, above it near the right end
            at, anchor = (0.97, (1.0, 0.5)) if axis == "x" else (0.98, (1.0, 1.0))
            self.split_labels[axis] = SplitLabel(
                line, lambda v, a=axis: self.text(a, self.from_line(a, v)), position=at, anchors=[anchor] * 2
            )
        box.sigRangeChanged.connect(self.place)

    # the split values ---------------------------------------------------------------------------
    def _formula(self, axis: Axis) -> Formula:
        plan = self.view.document.plan
        assert plan is not None
        return plan.playbook.personas.x if axis == "x" else plan.playbook.personas.y

    def from_line(self, axis: Axis, position: float) -> float:
        """The split a line at `position` (view units) stands for, rounded to the figure it shows."""
        if self.view.document.plan is None:
            return float("nan")
        log = (self.view.x_log if axis == "x" else self.view.y_log).isChecked()
        return round_as_shown(self._formula(axis), self.view._from_view(position, log))

    def text(self, axis: Axis, value: float) -> str:
        """A split as the planner reads it: "47%", "$800k"."""
        plan = self.view.document.plan
        if plan is None or not np.isfinite(value):
            return ""
        return str(axis_text(self._formula(axis), value, plan.playbook.currency)[0])

    def _in_view(self) -> tuple[float, float]:
        plan = self.view.document.plan
        assert plan is not None
        cls = plan.classification
        xs = self.view._to_view(np.array([cls.x_split], dtype="float64"), self.view.x_log.isChecked())[0]
        ys = self.view._to_view(np.array([cls.y_split], dtype="float64"), self.view.y_log.isChecked())[0]
        return float(xs), float(ys)

    # showing ----------------------------------------------------------------------------------
    def update(self, labels: bool = True) -> None:
        """Lines at the plan's splits (shown only on the persona axes), boxes around them."""
        shown = self.view.persona_axes_shown()
        for item in (self.x_line, self.y_line, *self.boxes.values(), *self.labels.values()):
            item.setVisible(shown)
        if shown:
            xs, ys = self._in_view()
            for line, value in ((self.x_line, xs), (self.y_line, ys)):
                line.setVisible(bool(np.isfinite(value)))  # no split (no data for it): no line to show
                if np.isfinite(value) and abs(line.value() - value) > 1e-12:
                    line.blockSignals(True)
                    line.setValue(value)
                    line.blockSignals(False)
            for label in self.split_labels.values():
                label.valueChanged()
        self.place()
        if labels:
            self.update_labels()

    def place(self) -> None:
        view = self.view
        if not view.persona_axes_shown():
            return
        (x0, x1), (y0, y1) = view.viewbox.viewRange()
        xs, ys = self.x_line.value(), self.y_line.value()
        pad_x, pad_y = (x1 - x0) * 10 + 1, (y1 - y0) * 10 + 1
        dark = is_dark()
        px = view.viewbox.viewPixelSize()
        inset_x, inset_y = px[0] * 8, px[1] * 6
        for name, high_y, high_x in QUADRANTS:
            left, right = (xs, x1 + pad_x) if high_x else (x0 - pad_x, xs)
            bottom, top = (ys, y1 + pad_y) if high_y else (y0 - pad_y, ys)
            self.boxes[name].setRect(QRectF(QPointF(left, bottom), QPointF(right, top)).normalized())
            self.boxes[name].setBrush(qcolor(PERSONA_COLOURS[name], 34 if dark else 22))
            label = self.labels[name]
            at_x = max(xs, x0) + inset_x if high_x else x0 + inset_x
            label.setAnchor((0, 0) if high_y else (0, 1))
            label.setPos(at_x, y1 - inset_y if high_y else y0 + inset_y)

    def update_labels(self) -> None:
        """Each box's name, accounts and revenue (of the accounts the filter shows)."""
        view = self.view
        plan = view.document.plan
        if plan is None or not view.persona_axes_shown():
            return
        mask = view.filters.mask()
        if mask is not None and len(mask) != len(plan.accounts):
            mask = None
        counts, money = code_sums(plan.classification.persona, len(PERSONAS), view.document.revenue, mask)
        colour = "#e6e8eb" if is_dark() else "#1d2330"
        for name, _hy, _hx in QUADRANTS:
            i = PERSONAS.index(name)
            html = (
                f"<div style='color:{colour}'><b>{name}</b><br>"
                f"{int(counts[i]):,} accounts · {short_money(float(money[i]))}</div>"
            )
            if self._html.get(name) != html:  # relayout of rich text is the costly part
                self._html[name] = html
                self.labels[name].setHtml(html)

    def apply_theme(self) -> None:
        dark = is_dark()
        colour = "#e6e8eb" if dark else "#1d2330"
        for line in (self.x_line, self.y_line):
            line.setPen(pen(colour, 2, Qt.PenStyle.DashLine))
            line.setHoverPen(pen("#ff7a00", 3))
        for text in self.labels.values():  # a light backing keeps the text readable over the shading
            text.fill = pg.mkBrush(22, 24, 28, 120) if dark else pg.mkBrush(255, 255, 255, 140)
        for label in self.split_labels.values():
            label.setColor(colour)
            label.fill = pg.mkBrush(22, 24, 28, 120) if dark else pg.mkBrush(255, 255, 255, 120)
            label.valueChanged()
        self._html.clear()
        self.update_labels()

    # dragging a split line ----------------------------------------------------------------------
    def _moving(self, axis: Axis) -> None:
        line = self.x_line if axis == "x" else self.y_line
        value = self.from_line(axis, line.value())
        if not np.isfinite(value):
            return
        applied = self.view.document.preview(MoveSplit(axis, value))
        if self._preview is None or self._preview[0] != axis:
            self._preview = (axis, applied.inverse)
        self.place()

    def _moved(self, axis: Axis) -> None:
        if self._preview is None:
            return
        line = self.x_line if axis == "x" else self.y_line
        value = self.from_line(axis, line.value())
        first_inverse = self._preview[1]
        self._preview = None
        name = "share-of-wallet" if axis == "x" else "growth-potential"
        self.view.document.commit_preview(
            first_inverse, MoveSplit(axis, value), f"Move {name} split to {self.text(axis, value)}"
        )
        self.update(labels=False)  # the line settles on the value recorded
