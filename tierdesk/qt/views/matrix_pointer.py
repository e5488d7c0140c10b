"""Pointer work in the persona matrix: picking, clicking, rubber-band selection, dragging points, hover."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtWidgets import QToolTip

from tierdesk.domain.classify import classify_personas
from tierdesk.domain.playbook import PERSONAS
from tierdesk.qt.formatting import format_money, percent
from tierdesk.qt.views.matrix_items import nearest_point

if TYPE_CHECKING:
    from tierdesk.qt.views.matrix_view import MatrixView

# Quadrant corners: (persona, high potential?, high share?)
QUADRANTS = (
    ("Strategic Partnerships", True, True),
    ("Land & Expand", True, False),
    ("Protect & Defend", False, True),
    ("Efficient Engagement", False, False),
)


def persona_at(x: float, y: float, x_split: float, y_split: float) -> str:
    """The box a position falls in, by the domain's own rule (on a split counts as high)."""
    code = classify_personas(np.array([x]), np.array([y]), x_split, y_split)[0]
    return PERSONAS[int(code)]


class MatrixPointer:
    """Turns mouse gestures on the matrix into selection changes and persona pins."""

    def __init__(self, view: MatrixView) -> None:
        self.view = view
        self._drag_rows: np.ndarray | None = None
        box = view.viewbox
        box.pick = self._pick
        box.on_click = self._clicked
        box.on_rubber_band = self._rubber_band
        box.on_point_drag = self._point_drag
        # Hover tooltips at most every 40 ms; the timer belongs to the view and dies with it.
        self._hover_at: QPointF | None = None
        self._hover_timer = QTimer(view)
        self._hover_timer.setSingleShot(True)
        self._hover_timer.setInterval(40)
        self._hover_timer.timeout.connect(self._hover_now)
        view.plot.scene().sigMouseMoved.connect(self._mouse_moved)

    def _mouse_moved(self, scene_pos: QPointF) -> None:
        self._hover_at = scene_pos
        if not self._hover_timer.isActive():
            self._hover_timer.start()

    def _hover_now(self) -> None:
        if self._hover_at is not None:
            self._hovered((self._hover_at,))

    def _pixels_per_unit(self) -> tuple[float, float]:
        px = self.view.viewbox.viewPixelSize()
        return 1.0 / (px[0] or 1.0), 1.0 / (px[1] or 1.0)

    def _pick(self, scene_pos: QPointF) -> int | None:
        if self.view.document.plan is None:
            return None
        pos = self.view.viewbox.mapSceneToView(scene_pos)
        sx, sy = self._pixels_per_unit()
        return nearest_point(self.view._x, self.view._y, self.view._visible, pos.x(), pos.y(), sx, sy)

    def _clicked(self, row: int | None, modifiers: Qt.KeyboardModifier) -> None:
        toggle = bool(modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier))
        current = self.view.selection.rows()
        if row is None:
            if not toggle:
                self.view.selection.clear("matrix")
            return
        if toggle:
            rows = np.setdiff1d(current, [row]) if row in current else np.union1d(current, [row])
        else:
            rows = np.array([row])
        self.view.selection.set_rows(rows, "matrix")

    def _rubber_band(self, rect: QRectF, modifiers: Qt.KeyboardModifier, finished: bool) -> None:
        if not finished:
            return
        x, y = self.view._x[self.view._visible], self.view._y[self.view._visible]
        inside = (x >= rect.left()) & (x <= rect.right()) & (y >= rect.top()) & (y <= rect.bottom())
        rows = self.view._visible[inside]
        if modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
            rows = np.union1d(self.view.selection.rows(), rows)
        self.view.selection.set_rows(rows, "matrix")

    def _point_drag(self, row: int, pos: QPointF, stage: str) -> None:
        if stage == "start":
            current = self.view.selection.rows()
            if row not in current:
                self.view.selection.set_rows([row], "matrix")
            self._drag_rows = self.view.selection.rows().copy()
        if self._drag_rows is None or not self.view.persona_axes_shown():
            return
        x = self.view._from_view(pos.x(), self.view.x_log.isChecked())
        y = self.view._from_view(pos.y(), self.view.y_log.isChecked())
        cls = self.view.document.plan.classification if self.view.document.plan else None
        if cls is None:
            return
        target = persona_at(x, y, cls.x_split, cls.y_split)
        if stage != "finish":
            n = len(self._drag_rows)
            self.view.drop_hint.setHtml(
                f"<div style='background:#2f6fd0;color:white;padding:2px'>&nbsp;Move {n:,} "
                f"account{'s' if n != 1 else ''} to {target}&nbsp;</div>"
            )
            self.view.drop_hint.setPos(pos)
            self.view.drop_hint.show()
            return
        self.view.drop_hint.hide()
        rows, self._drag_rows = self._drag_rows, None
        self.move_rows(rows, target)

    def move_rows(self, rows: np.ndarray, persona: str) -> None:
        """Pin `rows` to a persona, asking for the reason; one undo step."""
        plan = self.view.document.plan
        if plan is None or not len(rows):
            return
        current = np.asarray(plan.classification.persona)[rows]
        if np.all(current == PERSONAS.index(persona)) and np.all(
            np.asarray(plan.classification.pinned_persona)[rows]
        ):
            return
        self.view.document.pin(rows, "persona", persona, self.view.ask_reason)

    def _hovered(self, event: tuple[QPointF]) -> None:
        plan = self.view.document.plan
        if plan is None or self._drag_rows is not None:
            return
        row = self._pick(event[0])
        if row is None:
            QToolTip.hideText()
            return
        self.view.plot.setToolTip("")
        QToolTip.showText(
            self.view.plot.mapToGlobal(self.view.plot.mapFromScene(event[0])),
            self.describe(row),
            self.view.plot,
        )

    def describe(self, row: int) -> str:
        plan = self.view.document.plan
        assert plan is not None
        accounts, cls = plan.accounts, plan.classification
        name = accounts["account_name"].iloc[row]
        revenue = accounts["revenue"].iloc[row] if "revenue" in accounts else float("nan")
        tier = plan.playbook.tier_names[cls.tier[row]] if cls.tier[row] >= 0 else "Unclassified"
        persona = PERSONAS[cls.persona[row]] if cls.persona[row] >= 0 else "Unclassified"
        pinned = " (pinned)" if cls.pinned_persona[row] else ""
        share, potential = percent(float(cls.x[row])), format_money(float(cls.y[row]))
        return (
            f"<b>{name}</b><br>Revenue {format_money(float(revenue))} · share of wallet {share}"
            f"<br>Potential {potential}<br>{tier} · {persona}{pinned}<br><i>{cls.reason(row)}</i>"
        )
