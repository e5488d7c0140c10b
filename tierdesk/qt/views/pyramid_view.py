"""The tier pyramid: one band per tier, narrow at the top, with accounts, revenue, sellers and cost.

Click a band to show only its accounts everywhere (click again to clear); drop accounts on a band to move
them to its tier (`moveRequested`: the window asks the reason and pins); drag a band to hand its (shown)
accounts to another view, e.g. a seller; the orange badge on a band counts the selected accounts in it.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QDrag,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget

from tierdesk.domain.changes import Change, Changed
from tierdesk.domain.coverage import code_sums
from tierdesk.qt.document import AccountFilter, AccountSelection, PlanDocument
from tierdesk.qt.formatting import short_money
from tierdesk.qt.mime import ROWS_MIME, rows_from_mime, rows_mime
from tierdesk.qt.views.palette import HIGHLIGHT, ON_COLOUR, qcolour, tier_colour

BAND_FILTER = "tier_band"


class PyramidView(QWidget):
    """The tier pyramid. `bandClicked(band)`: a band was clicked; `moveRequested(rows, band)`: accounts were
    dropped on a band."""

    bandClicked = Signal(int)
    moveRequested = Signal(object, int)

    def __init__(
        self,
        document: PlanDocument,
        selection: AccountSelection,
        filters: AccountFilter,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document, self.selection, self.filters = document, selection, filters
        self.setAcceptDrops(True)
        self.setMouseTracking(True)
        self.setMinimumSize(280, 150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setObjectName("pyramidView")
        self._drop_band = -1
        self._hover_band = -1
        self._press: QPointF | None = None  # where the left button went down, until a drag starts
        self._stats: list[dict[str, float]] = []
        document.replaced.connect(self._replaced)
        document.changed.connect(self._changed)
        selection.changed.connect(self._selection_changed)
        filters.changed.connect(self.refresh)

    @Slot(str)
    def _selection_changed(self, _source: str) -> None:
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(460, 340)

    # data --------------------------------------------------------------------------
    def _replaced(self) -> None:
        self.refresh()

    def _changed(self, change: Change) -> None:
        if change.rows is None or len(change.rows) or change.touches(Changed.TIER):
            self.refresh()

    def tier_names(self) -> tuple[str, ...]:
        plan = self.document.plan
        return plan.playbook.tier_names if plan else ()

    def refresh(self) -> None:
        plan = self.document.plan
        if plan is None:
            self._stats = []
            self.update()
            return
        tiers = np.asarray(plan.classification.tier)
        # Every band's figures over the filtered accounts; the band filter itself is left out, so that the
        # band that filters still shows its own count and the others show theirs.
        mask = self.filters.part_except(BAND_FILTER, len(tiers))
        by_tier = self.document.coverage(mask).by_tier
        n_tiers = len(self.tier_names())
        counts, money = code_sums(tiers, n_tiers, self.document.revenue, None if mask.all() else mask)
        pinned_rows = np.flatnonzero(np.asarray(plan.classification.pinned_tier) & mask)
        pinned = np.bincount(tiers[pinned_rows][tiers[pinned_rows] >= 0], minlength=n_tiers)
        names = list(self.tier_names())
        sellers_of = by_tier["sellers"].reindex(names, fill_value=0.0).to_numpy(float).tolist()
        cost_of = by_tier["cost"].reindex(names, fill_value=0.0).to_numpy(float).tolist()
        self._stats = []
        for i, (sellers, cost) in enumerate(zip(sellers_of, cost_of, strict=True)):
            self._stats.append(
                {
                    "accounts": float(counts[i]),
                    "revenue": float(money[i]),
                    "sellers": sellers,
                    "cost": cost,
                    "pinned": float(pinned[i]),
                }
            )
        self.update()

    def band_stats(self) -> list[dict[str, float]]:
        return list(self._stats)

    # geometry ----------------------------------------------------------------------------
    def band_polygons(self) -> list[QPolygonF]:
        n = len(self.tier_names())
        if not n:
            return []
        margin = 10.0
        width, height = self.width() - 2 * margin, self.height() - 2 * margin
        gap = 4.0
        band_h = (height - gap * (n - 1)) / n
        centre = self.width() / 2
        polygons = []
        for i in range(n):
            top = margin + i * (band_h + gap)
            w_top = width * (0.42 + 0.58 * i / n)
            w_bottom = width * (0.42 + 0.58 * (i + 1) / n)
            polygons.append(
                QPolygonF(
                    [
                        QPointF(centre - w_top / 2, top),
                        QPointF(centre + w_top / 2, top),
                        QPointF(centre + w_bottom / 2, top + band_h),
                        QPointF(centre - w_bottom / 2, top + band_h),
                    ]
                )
            )
        return polygons

    def band_at(self, pos: QPointF) -> int:
        for i, polygon in enumerate(self.band_polygons()):
            if polygon.containsPoint(pos, Qt.FillRule.OddEvenFill):
                return i
        return -1

    # painting ------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.base())
        names = self.tier_names()
        if not names or not self._stats:
            painter.setPen(palette.placeholderText().color())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Open a territory to see its tiers")
            return
        selected = self.selected_per_band()
        base_font = QFont(self.font())
        bold = QFont(base_font)
        bold.setBold(True)
        chosen = self.band_filter()
        for i, polygon in enumerate(self.band_polygons()):
            colour = QColor(tier_colour(i))
            dimmed = chosen >= 0 and chosen != i
            colour.setAlpha(80 if dimmed else 235)
            path = QPainterPath()
            path.addPolygon(polygon)
            path.closeSubpath()
            painter.fillPath(path, colour)
            if i == self._drop_band or i == chosen or i == self._hover_band:
                outline = QPen(
                    qcolour(HIGHLIGHT) if i == self._drop_band else palette.text().color(),
                    2.5 if i != self._hover_band else 1.2,
                )
                painter.setPen(outline)
                painter.drawPath(path)
            stats = self._stats[i]
            rect = polygon.boundingRect()
            painter.setPen(qcolour(ON_COLOUR))
            painter.setFont(bold)
            line_h = painter.fontMetrics().height()
            two_lines = rect.height() >= 2 * line_h + 4
            title_rect = QRectF(
                rect.left(), rect.center().y() - (line_h if two_lines else line_h / 2), rect.width(), line_h
            )
            inner = min(polygon.at(1).x() - polygon.at(0).x(), polygon.at(2).x() - polygon.at(3).x()) - 12
            pinned = f"  ·  {int(stats['pinned'])} pinned" if stats["pinned"] else ""
            title = self._fit(
                painter,
                [
                    f"{names[i]}  ·  {int(stats['accounts']):,} accounts{pinned}",
                    f"{names[i]} · {int(stats['accounts']):,}",
                ],
                inner,
            )
            painter.drawText(title_rect, Qt.AlignmentFlag.AlignCenter, title)
            if two_lines:
                painter.setFont(base_font)
                revenue, sellers, cost = (
                    short_money(stats["revenue"]),
                    f"{stats['sellers']:.1f}",
                    short_money(stats["cost"]),
                )
                detail = self._fit(
                    painter,
                    [
                        f"{revenue} revenue  ·  {sellers} sellers  ·  {cost} cost",
                        f"{revenue} · {sellers} sellers · {cost}",
                        f"{revenue} · {sellers} sellers",
                    ],
                    inner,
                )
                painter.drawText(
                    QRectF(rect.left(), title_rect.bottom(), rect.width(), line_h),
                    Qt.AlignmentFlag.AlignCenter,
                    detail,
                )
            if selected[i]:
                self._draw_badge(painter, polygon, f"{selected[i]:,} selected")
        painter.end()

    @staticmethod
    def _fit(painter: QPainter, options: list[str], width: float) -> str:
        """The longest text option that fits `width`, else the shortest one elided."""
        metrics = painter.fontMetrics()
        for text in options:
            if metrics.horizontalAdvance(text) <= width:
                return text
        return metrics.elidedText(options[-1], Qt.TextElideMode.ElideRight, int(max(width, 20)))

    def _draw_badge(self, painter: QPainter, polygon: QPolygonF, text: str) -> None:
        """An orange pill beside the band (inside its top-right corner when there is no room)."""
        metrics = painter.fontMetrics()
        w, h = metrics.horizontalAdvance(text) + 14, metrics.height() + 4
        band = polygon.boundingRect()
        right_edge = (polygon.at(1).x() + polygon.at(2).x()) / 2
        y = band.center().y() - h / 2
        if right_edge + 8 + w <= self.width() - 2:
            rect = QRectF(right_edge + 8, y, w, h)
        else:
            rect = QRectF(polygon.at(1).x() - w - 4, band.top() + 3, w, h)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(qcolour(HIGHLIGHT))
        painter.drawRoundedRect(rect, h / 2, h / 2)
        painter.setPen(qcolour(ON_COLOUR))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def selected_per_band(self) -> list[int]:
        """How many selected accounts each band holds (its badge)."""
        plan = self.document.plan
        n = len(self.tier_names())
        rows = self.selection.rows()
        if plan is None or not len(rows):
            return [0] * n
        codes = np.asarray(plan.classification.tier)[rows]
        return [int(c) for c in np.bincount(codes[codes >= 0], minlength=n)[:n]]

    # mouse: click a band to filter ------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position() if event.button() == Qt.MouseButton.LeftButton else None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        band = self.band_at(event.position())
        if band != self._hover_band:
            self._hover_band = band
            self.setCursor(Qt.CursorShape.PointingHandCursor if band >= 0 else Qt.CursorShape.ArrowCursor)
            self.update()
        press = self._press
        if press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        if (event.position() - press).manhattanLength() >= QApplication.startDragDistance():
            self._press = None
            self.drag_band(self.band_at(press))

    def band_rows(self, band: int) -> np.ndarray:
        """The accounts of a band that the filters show."""
        plan = self.document.plan
        if plan is None or band < 0:
            return np.zeros(0, np.int64)
        keep = np.asarray(plan.classification.tier) == band
        mask = self.filters.mask()
        return np.flatnonzero(keep & mask if mask is not None and len(mask) == len(keep) else keep)

    def drag_band(self, band: int) -> None:
        rows = self.band_rows(band)
        if len(rows):
            drag = QDrag(self)
            drag.setMimeData(rows_mime(rows))
            drag.exec(Qt.DropAction.CopyAction)

    def leaveEvent(self, event: object) -> None:
        self._hover_band = -1
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            return  # not a click: a drag that started here
        self._press = None
        band = self.band_at(event.position())
        if band >= 0:
            self.toggle_band_filter(band)
            self.bandClicked.emit(band)

    def toggle_band_filter(self, band: int) -> None:
        plan = self.document.plan
        if plan is None:
            return
        if band == self.band_filter() or band < 0:
            self.filters.set_part(BAND_FILTER, None)
        else:
            mask = np.asarray(plan.classification.tier) == band
            self.filters.set_part(BAND_FILTER, mask, f"Tier: {self.tier_names()[band]}", band)
        self.update()

    def band_filter(self) -> int:
        """The band whose accounts every view shows (-1: none)."""
        band = self.filters.choice(BAND_FILTER)
        return band if isinstance(band, int) else -1

    # drops: pin the tier ----------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        own = event.source() is self  # a band dragged onto the pyramid itself: no move
        if event.mimeData().hasFormat(ROWS_MIME) and self.document.plan is not None and not own:
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        band = self.band_at(event.position())
        if band != self._drop_band:
            self._drop_band = band
            self.update()
        if band >= 0:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: object) -> None:
        self._drop_band = -1
        self.update()

    def dropEvent(self, event: QDropEvent) -> None:
        band = self.band_at(event.position())
        self._drop_band = -1
        rows = rows_from_mime(event.mimeData())
        if band < 0 or rows is None or not len(rows):
            event.ignore()
            self.update()
            return
        event.acceptProposedAction()
        self.update()
        if self.document.plan is not None:
            self.moveRequested.emit(rows, band)
