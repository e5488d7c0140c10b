"""The four persona boxes of the matrix: shaded areas, their labels, and the two split lines to drag.

Labels sit above the points on a translucent plate, each inside its own box: a box too small on screen to
hold its label (a split line near or beyond the view's edge) shows none rather than one on top of another.
Each split line carries its value ("47%", "$800k"), which follows the line while it is dragged. The boxes
only draw: a dragged line is reported by signal, and the matrix's SplitDrag previews and records the move.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtWidgets import QGraphicsRectItem

from tierdesk.domain.coverage import code_sums
from tierdesk.domain.playbook import PERSONAS, Formula
from tierdesk.domain.texts import axis_text
from tierdesk.qt.document import AccountFilter, PlanDocument
from tierdesk.qt.formatting import short_money
from tierdesk.qt.theme import is_dark
from tierdesk.qt.views.matrix_geometry import QUADRANTS, Axis, PointGeometry, split_value
from tierdesk.qt.views.matrix_items import SplitLabel, pen
from tierdesk.qt.views.palette import (
    HIGHLIGHT,
    INK,
    LABEL_BACKING,
    PERSONA_COLOURS,
    SPLIT_LABEL_BACKING,
    colour,
    qcolor,
    qcolour,
)

LABEL_Z = 30  # above the points (0) and the marks and selection rings (10, 20), under the split lines (40)


class BoxesHost(Protocol):
    """What the boxes read from the matrix they are drawn in (its public face)."""

    document: PlanDocument
    filters: AccountFilter
    viewbox: pg.ViewBox
    points: PointGeometry

    def persona_axes_shown(self) -> bool: ...


class PersonaBoxes(QObject):
    """The boxes, their labels and the split lines; `splitMoving(axis, position)` while a line is dragged and
    `splitMoved(axis, position)` when it is let go (positions in view units)."""

    splitMoving = Signal(str, float)
    splitMoved = Signal(str, float)

    def __init__(self, host: BoxesHost, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.boxes: dict[str, QGraphicsRectItem] = {}
        self.labels: dict[str, pg.TextItem] = {}  # name over "N accounts · $revenue"
        self.short_labels: dict[str, pg.TextItem] = {}  # the same on one line, for a box too short for two
        self._html: dict[str, tuple[str, str]] = {}
        box = host.viewbox
        for name, _hy, _hx in QUADRANTS:
            rect = QGraphicsRectItem()
            rect.setPen(pg.mkPen(None))
            rect.setZValue(-100)
            box.addItem(rect, ignoreBounds=True)
            self.boxes[name] = rect
            for labels in (self.labels, self.short_labels):
                text = pg.TextItem(anchor=(0, 0))
                text.setZValue(LABEL_Z)
                box.addItem(text, ignoreBounds=True)
                labels[name] = text
        self.x_line = pg.InfiniteLine(angle=90, movable=True)
        self.y_line = pg.InfiniteLine(angle=0, movable=True)
        self.split_labels: dict[Axis, SplitLabel] = {}
        lines: tuple[tuple[pg.InfiniteLine, Axis], ...] = ((self.x_line, "x"), (self.y_line, "y"))
        for line, axis in lines:
            self._add_line(line, axis)
        box.sigRangeChanged.connect(self.place)

    def _add_line(self, line: pg.InfiniteLine, axis: Axis) -> None:
        line.setZValue(40)
        line.setCursor(Qt.CursorShape.SizeHorCursor if axis == "x" else Qt.CursorShape.SizeVerCursor)
        line.sigPositionChanged.connect(lambda _l: self._moving(axis, line))
        line.sigPositionChangeFinished.connect(lambda _l: self.splitMoved.emit(axis, float(line.value())))
        self.host.viewbox.addItem(line, ignoreBounds=True)
        # the value beside the line: left of it near the top, above it near the right end
        at, anchor = (0.97, (1.0, 0.5)) if axis == "x" else (0.98, (1.0, 1.0))
        self.split_labels[axis] = SplitLabel(
            line, lambda v: self.text(axis, self.from_line(axis, v)), position=at, anchors=[anchor] * 2
        )

    # the split values ---------------------------------------------------------------------------
    def _formula(self, axis: Axis) -> Formula:
        plan = self.host.document.plan
        assert plan is not None
        return plan.playbook.personas.x if axis == "x" else plan.playbook.personas.y

    def from_line(self, axis: Axis, position: float) -> float:
        """The split a line at `position` (view units) stands for, rounded to the figure it shows."""
        if self.host.document.plan is None:
            return float("nan")
        geometry = self.host.points
        return split_value(self._formula(axis), position, geometry.x_log if axis == "x" else geometry.y_log)

    def text(self, axis: Axis, value: float) -> str:
        """A split as the planner reads it: "47%", "$800k"."""
        plan = self.host.document.plan
        if plan is None or not np.isfinite(value):
            return ""
        return str(axis_text(self._formula(axis), value, plan.playbook.currency)[0])

    def _in_view(self) -> tuple[float, float]:
        plan = self.host.document.plan
        assert plan is not None
        cls = plan.classification
        return self.host.points.view_of(cls.x_split, cls.y_split)

    # showing ----------------------------------------------------------------------------------
    def update(self, labels: bool = True) -> None:
        """Lines at the plan's splits (shown only on the persona axes), boxes around them."""
        shown = self.host.persona_axes_shown()
        texts = (*self.labels.values(), *self.short_labels.values())
        for item in (self.x_line, self.y_line, *self.boxes.values(), *texts):
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
        host = self.host
        if not host.persona_axes_shown():
            return
        (x0, x1), (y0, y1) = host.viewbox.viewRange()
        xs, ys = self.x_line.value(), self.y_line.value()
        pad_x, pad_y = (x1 - x0) * 10 + 1, (y1 - y0) * 10 + 1
        dark = is_dark()
        px = host.viewbox.viewPixelSize()
        inset_x, inset_y = px[0] * 8, px[1] * 6
        for name, high_y, high_x in QUADRANTS:
            left, right = (xs, x1 + pad_x) if high_x else (x0 - pad_x, xs)
            bottom, top = (ys, y1 + pad_y) if high_y else (y0 - pad_y, ys)
            self.boxes[name].setRect(QRectF(QPointF(left, bottom), QPointF(right, top)).normalized())
            self.boxes[name].setBrush(qcolor(PERSONA_COLOURS[name], 34 if dark else 22))
            # the part of the box on screen, in view units; the label goes in its outer corner, on two lines
            # or one, or not at all when the box is too small on screen for either
            seen_left, seen_right = max(left, x0), min(right, x1)
            seen_bottom, seen_top = max(bottom, y0), min(top, y1)
            room = ((seen_right - seen_left) / px[0] - 16, (seen_top - seen_bottom) / px[1] - 12)
            chosen = None
            for label in (self.labels[name], self.short_labels[name]):
                size = label.textItem.boundingRect()
                fits = size.width() <= room[0] and size.height() <= room[1]
                chosen = chosen or (label if fits else None)
                label.setVisible(label is chosen)
                label.setAnchor((0, 0) if high_y else (0, 1))
                label.setPos(seen_left + inset_x, seen_top - inset_y if high_y else seen_bottom + inset_y)

    def update_labels(self) -> None:
        """Each box's name, accounts and revenue (of the accounts the filter shows)."""
        host = self.host
        plan = host.document.plan
        if plan is None or not host.persona_axes_shown():
            return
        mask = host.filters.mask()
        if mask is not None and len(mask) != len(plan.accounts):
            mask = None
        counts, money = code_sums(plan.classification.persona, len(PERSONAS), host.document.revenue, mask)
        ink = colour(INK)
        resized = False
        for name, _hy, _hx in QUADRANTS:
            i = PERSONAS.index(name)
            figures = f"{int(counts[i]):,} accounts · {short_money(float(money[i]))}"
            html = (
                f"<div style='color:{ink}'><b>{name}</b><br>{figures}</div>",
                f"<div style='color:{ink}'><b>{name}</b> · {figures}</div>",
            )
            if self._html.get(name) != html:  # relayout of rich text is the costly part
                self._html[name] = html
                for label, text in zip((self.labels[name], self.short_labels[name]), html, strict=True):
                    before = label.textItem.boundingRect().size()
                    label.setHtml(text)
                    resized |= label.textItem.boundingRect().size() != before
        if resized:  # does each label still fit in its box?
            self.place()

    def apply_theme(self) -> None:
        ink = qcolour(INK)
        for line in (self.x_line, self.y_line):
            line.setPen(pen(ink, 2, Qt.PenStyle.DashLine))
            line.setHoverPen(pen(qcolour(HIGHLIGHT), 3))
        for text in (*self.labels.values(), *self.short_labels.values()):  # a plate: readable over points
            text.fill = pg.mkBrush(qcolour(LABEL_BACKING))
        for label in self.split_labels.values():
            label.setColor(ink)
            label.fill = pg.mkBrush(qcolour(SPLIT_LABEL_BACKING))
            label.valueChanged()
        self._html.clear()
        self.update_labels()

    def _moving(self, axis: Axis, line: pg.InfiniteLine) -> None:
        self.splitMoving.emit(axis, float(line.value()))
        self.place()
