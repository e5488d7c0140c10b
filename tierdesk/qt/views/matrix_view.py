"""The 2x2 persona matrix: every account as a point, four shaded boxes, draggable split lines.

The matrix is put together from parts that each do one thing: `matrix_geometry` (where each account is drawn,
in plain numpy), `matrix_layers` (the point layers and their colours), `persona_boxes` (boxes, labels, split
lines), `matrix_pointer` (what the mouse does) and `matrix_legend` (the colour key). This widget holds the
toolbar, rebuilds the geometry when the axes, the filter or the plan change, and tells the parts to redraw.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QTimer, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QToolBar, QToolButton, QVBoxLayout, QWidget

from tierdesk.domain.accounts import label
from tierdesk.domain.basis import CURVES_HINT, curves_note
from tierdesk.domain.changes import Change, Changed
from tierdesk.domain.plan import Plan
from tierdesk.qt.document import AccountFilter, AccountSelection, PlanDocument
from tierdesk.qt.views.empty_state import empty_hint
from tierdesk.qt.views.matrix_geometry import (
    PERSONA_AXES,
    PointGeometry,
    axis_choices,
    axis_kind,
    axis_values,
    point_sizes,
    unplotted_note,
)
from tierdesk.qt.views.matrix_items import FieldAxis, MatrixViewBox
from tierdesk.qt.views.matrix_layers import (
    COLOUR_FIELDS,
    ColourGroups,
    PointLayers,
    colour_groups,
    estimated_wallets,
)
from tierdesk.qt.views.matrix_legend import ColourLegend
from tierdesk.qt.views.matrix_pointer import MatrixPointer, SplitDrag, account_tip
from tierdesk.qt.views.palette import AXIS, PLOT_BACKGROUND, colour
from tierdesk.qt.views.persona_boxes import PersonaBoxes

#: what a change must touch for the boxes and lines to move (the axes' values or the splits)
BOX_CHANGES = Changed.SPLITS | Changed.PLAYBOOK | Changed.TIER_CUTOFFS | Changed.AXES
#: the colour groups that move with edits ("colour by" tier or category; the file's columns never move)
MOVING_GROUPS = {"tier": Changed.TIER, "category": Changed.CATEGORY}
STALE_LIMIT = 5000  # more changed accounts than this drawn on top: redraw every point instead


class MatrixView(QWidget):
    """The matrix with its toolbar (axes, log scale, colour by, size by revenue).

    `moveRequested(rows, persona)`: the planner dragged accounts into another box."""

    moveRequested = Signal(object, str)

    def __init__(
        self,
        document: PlanDocument,
        selection: AccountSelection,
        filters: AccountFilter,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document, self.selection, self.filters = document, selection, filters
        self.points = PointGeometry.empty()
        self.groups = ColourGroups("tier", np.zeros(0, np.int64), {})
        self.drawn: object = None  # the plan the points were last drawn for
        self._stale = np.zeros(0, dtype=np.int64)  # changed since the last full redraw: drawn on top
        bar = self._build_toolbar()
        self._build_plot()
        self.legend = ColourLegend(self)
        self.empty_hint = empty_hint(
            "Open a territory file (Ctrl+O) to see every account in the persona matrix.\n"
            "You can also drop a file here, or try File ▸ Open Sample Territory.",
            self,
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(bar)
        layout.addWidget(self.legend)
        layout.addWidget(self.hidden_note)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.empty_hint, 1)
        self._parts = (bar, self.legend, self.plot)
        self._show_empty(True)

        self.pointer = MatrixPointer(self, self)
        self.pointer.moveRequested.connect(self.moveRequested)
        self.split_drag = SplitDrag(document, self.persona_boxes, self)
        self._rebuild_timer = QTimer(self)
        self._rebuild_timer.setSingleShot(True)
        self._rebuild_timer.setInterval(400)
        self._rebuild_timer.timeout.connect(self.rebuild_points)
        for combo in (self.x_field, self.y_field, self.colour_by):
            combo.currentIndexChanged.connect(self.rebuild)
        for check in (self.x_log, self.y_log, self.size_by_revenue):
            check.toggled.connect(self.rebuild)
        document.replaced.connect(self._plan_replaced)
        document.changed.connect(self._plan_changed)
        selection.changed.connect(self._selection_changed)
        filters.changed.connect(self.rebuild)
        self.apply_theme()

    def _build_toolbar(self) -> QToolBar:
        self.x_field = QComboBox(self)
        self.y_field = QComboBox(self)
        self.x_log = QCheckBox("log", self)
        self.y_log = QCheckBox("log", self)
        self.colour_by = QComboBox(self)
        for key, text in COLOUR_FIELDS:
            self.colour_by.addItem(text, key)
        for combo in (self.x_field, self.y_field, self.colour_by):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(11)
        self.size_by_revenue = QCheckBox("Size: revenue", self)
        self.size_by_revenue.setToolTip("Draw bigger points for accounts with more revenue")
        self.size_by_revenue.setChecked(True)
        # what the points cannot show: accounts not plotted, and why the 2x2 lies on curves (one line above
        # the plot, so it never hides a point)
        self.hidden_note = QLabel(self)
        self.hidden_note.setObjectName("matrixHiddenNote")
        self.hidden_note.setWordWrap(True)
        self.hidden_note.setContentsMargins(8, 0, 8, 2)
        self.hidden_note.setVisible(False)
        reset = QToolButton(self)
        reset.setText("Fit")
        reset.setToolTip("Show all accounts")
        reset.clicked.connect(self.fit)
        bar = QToolBar(self)  # overflows into a » menu when the matrix is narrow
        bar.setObjectName("matrixToolbar")
        bar.setMovable(False)
        for widget in (
            QLabel(" X: "),
            self.x_field,
            self.x_log,
            QLabel("  Y: "),
            self.y_field,
            self.y_log,
            QLabel("  Colour: "),
            self.colour_by,
            self.size_by_revenue,
            reset,
        ):
            bar.addWidget(widget)
        return bar

    def _build_plot(self) -> None:
        self.viewbox = MatrixViewBox()
        self.x_axis = FieldAxis("bottom")
        self.y_axis = FieldAxis("left")
        # Fixed axis sizes (room for "$100M" and the title): auto-sized axes measure their tick labels while
        # painting and resize, which repaints all the points a second time on every new range.
        height = QFontMetrics(self.font()).height()
        self.y_axis.setWidth(int(height * 1.6 + QFontMetrics(self.font()).horizontalAdvance("$100M")))
        self.x_axis.setHeight(int(height * 2.6))
        self.plot = pg.PlotWidget(
            viewBox=self.viewbox, axisItems={"bottom": self.x_axis, "left": self.y_axis}
        )
        self.plot.setObjectName("matrixPlot")
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.persona_boxes = PersonaBoxes(self, self)
        boxes = self.persona_boxes
        self.boxes, self.box_labels = boxes.boxes, boxes.labels
        self.x_line, self.y_line = boxes.x_line, boxes.y_line
        self.layers = PointLayers(self.viewbox)
        self.cloud, self.overlay, self.selected_layer = (
            self.layers.cloud,
            self.layers.overlay,
            self.layers.selected,
        )

    def _show_empty(self, empty: bool) -> None:
        """Before a territory is open: the hint alone, no bare axes or empty toolbar."""
        self.empty_hint.setVisible(empty)
        for part in self._parts:
            part.setVisible(not empty)
        if empty:
            self.hidden_note.setVisible(False)

    # data ------------------------------------------------------------------------
    def _plan_replaced(self) -> None:
        plan = self.document.plan
        self._show_empty(plan is None)
        if plan is None:
            return
        for combo, default in ((self.x_field, "persona_x"), (self.y_field, "persona_y")):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("Share of wallet", "persona_x")
            combo.addItem("Growth potential", "persona_y")
            combo.addItem("Projected value", "projected_value")
            for column in axis_choices(plan.accounts):
                combo.addItem(label(column), column)
            combo.setCurrentIndex(combo.findData(default))
            combo.blockSignals(False)
        self.y_log.blockSignals(True)
        self.y_log.setChecked(True)  # potential is log-normal: a log axis spreads the many small accounts
        self.y_log.blockSignals(False)
        self.points = PointGeometry.empty()  # the old plan's positions name other accounts
        # Drawn on the next turn of the event loop: a large territory's first paint is split in two,
        # so the window never freezes for the whole of it.
        QTimer.singleShot(30, self, self._first_draw)

    def _first_draw(self) -> None:
        if self.document.plan is None:
            self.drawn = None
            return
        # Axes, boxes and labels paint on this turn, the points (the costly part) on the next one.
        self.cloud.setVisible(False)
        self.rebuild()
        self.fit()
        QTimer.singleShot(1, self, self._show_points)  # 1, not 0: a 0 ms shot is posted, run with the paint

    def _show_points(self) -> None:
        self.cloud.setVisible(True)
        self.drawn = self.document.plan

    def persona_axes_shown(self) -> bool:
        return (self.x_field.currentData(), self.y_field.currentData()) == PERSONA_AXES

    def shown_rows(self) -> np.ndarray:
        """The accounts drawn as points (the filter keeps them, and both axes can show them)."""
        return self.points.shown

    def point_at(self, row: int) -> QPointF:
        """Where the account at `row` is drawn, in the plot's data (view) coordinates."""
        return QPointF(*self.points.position(row))

    def rebuild(self) -> None:
        """Recompute coordinates, shown rows, colour groups and notes, then redraw everything."""
        plan = self.document.plan
        if plan is None:
            return
        x_key, y_key = self.x_field.currentData(), self.y_field.currentData()
        self.x_axis.kind, self.y_axis.kind = axis_kind(x_key), axis_kind(y_key)
        self.x_axis.setLogMode(self.x_log.isChecked())
        self.y_axis.setLogMode(self.y_log.isChecked())
        self.plot.setLabel("bottom", self.x_field.currentText())
        self.plot.setLabel("left", self.y_field.currentText())
        accounts = plan.accounts
        revenue = (
            accounts["revenue"].to_numpy(dtype="float64", na_value=0.0) if "revenue" in accounts else None
        )
        self.points = PointGeometry.of(
            axis_values(plan, x_key),
            axis_values(plan, y_key),
            point_sizes(revenue, len(accounts), self.size_by_revenue.isChecked()),
            x_log=self.x_log.isChecked(),
            y_log=self.y_log.isChecked(),
            keep=self.filters.mask(),
        )
        self._show_notes(plan, (x_key, y_key))
        self.rebuild_points()
        self.persona_boxes.update()

    def _show_notes(self, plan: Plan, keys: tuple[str, str]) -> None:
        """The accounts the filter keeps but the axes cannot draw, and why; why the boxes hold curves."""
        x_key, y_key = keys
        logs = (self.x_log.isChecked(), self.y_log.isChecked())
        names = (self.x_field.currentText(), self.y_field.currentText())
        values = (axis_values(plan, x_key), axis_values(plan, y_key))
        notes = [unplotted_note(values, names, logs, self.filters.mask())]
        tips = []
        if notes[0]:
            tips.append("They are counted in the legend and the boxes. Untick 'log' by an axis to draw 0s.")
        if self.persona_axes_shown() and (curves := curves_note(plan.classification)):
            notes.append(curves)
            tips.append(CURVES_HINT)
        text = " ".join(n if n.endswith(".") else n + "." for n in notes if n)
        if self.hidden_note.text() != text:
            self.hidden_note.setText(text)
            self.hidden_note.setToolTip(" ".join(tips))
        self.hidden_note.setVisible(bool(text))

    def kept_rows(self) -> np.ndarray:
        """The accounts the filter keeps, drawn or not: what the legend and the boxes count."""
        n = len(self.points.x)
        mask = self.filters.mask()
        return np.flatnonzero(mask) if mask is not None and len(mask) == n else np.arange(n)

    def rebuild_points(self) -> None:
        """Draw every shown account anew, in the colour groups of the 'colour by' choice."""
        plan = self.document.plan
        if plan is None:
            return
        self.groups = colour_groups(plan, self.colour_by.currentData())
        self._stale = np.zeros(0, dtype=np.int64)
        self.layers.draw_points(self.points, self.groups, estimated_wallets(plan))
        self._update_legend()
        self._draw_marks()
        self._draw_selection()
        self.persona_boxes.update_labels()

    def _update_legend(self) -> None:
        """The colour key with how many of the accounts the filter keeps are in each group now (tiers move),
        drawn or not: the same counts as the pyramid's."""
        plan = self.document.plan
        assert plan is not None
        rows = self.kept_rows()
        estimated = int(estimated_wallets(plan)[rows].sum())
        self.legend.set_groups(self.groups.counts(plan, rows), estimated=estimated)

    def _draw_marks(self) -> None:
        """Pinned accounts (diamonds) and accounts changed since the last full redraw, in current colours."""
        plan = self.document.plan
        assert plan is not None
        cls = plan.classification
        pinned = np.flatnonzero(np.asarray(cls.pinned_persona) | np.asarray(cls.pinned_tier))
        rows = np.union1d(pinned, self._stale)
        if (mask := self.filters.mask()) is not None and len(mask) == len(self.points.x):
            rows = rows[mask[rows]]
        rows = self.points.drawable(rows)
        names = self.groups.names[self.groups.now(plan, rows)]
        self.layers.draw_marks(self.points, rows, np.isin(rows, pinned), names, self.groups.colours)

    def _draw_selection(self) -> None:
        """A ring around each selected account drawn in the matrix (not around one a filter hides)."""
        rows = np.intersect1d(self.selection.rows(), self.points.shown, assume_unique=True)
        self.layers.draw_selection(self.points, rows)

    def show_drop_hint(self, text: str, pos: QPointF) -> None:
        self.layers.show_drop_hint(text, pos)

    def hide_drop_hint(self) -> None:
        self.layers.hide_drop_hint()

    # reacting to the plan and the selection ----------------------------------------
    def _plan_changed(self, change: Change) -> None:
        plan = self.document.plan
        if plan is None or len(self.points.x) != len(plan.accounts):
            return  # a new plan's first drawing is still to come, and draws every change made by then
        if change.touches(BOX_CHANGES):
            self.persona_boxes.update(labels=False)
        moving = MOVING_GROUPS.get(self.colour_by.currentData(), Changed.NOTHING)
        if change.touches(moving) and change.rows is not None and len(change.rows):
            self._stale = np.union1d(self._stale, change.rows)
            if len(self._stale) > STALE_LIMIT:
                self._rebuild_timer.start()
        if change.touches(Changed.AXES | Changed.WALLET) or (
            change.touches(Changed.OWNER) and self.colour_by.currentData() == "owner"
        ):
            self._rebuild_timer.start()  # points (or the owners' colours) drawn anew
        if change.touches(Changed.PLAYBOOK):  # tiers renamed, added or removed: the colour key is made anew
            self.rebuild_points()
        elif change.touches(Changed.PINNED_TIER | Changed.PINNED_PERSONA | Changed.OVERRIDES | moving):
            self._draw_marks()
            if change.touches(moving):
                self._update_legend()
        self.persona_boxes.update_labels()

    def _selection_changed(self, source: str) -> None:
        self._draw_selection()

    def describe(self, row: int) -> str:
        """The tooltip of the account at `row`."""
        assert self.document.plan is not None
        return account_tip(self.document.plan, row)

    def fit(self) -> None:
        bounds = self.points.bounds()
        if bounds is not None:
            self.viewbox.setRange(xRange=bounds[0], yRange=bounds[1], padding=0.04)
            # Settle the view now (pyqtgraph would on the next paint, then move the split lines and the
            # boxes, and paint every point again).
            self.viewbox.updateMatrix()
            self.persona_boxes.place()

    def apply_theme(self) -> None:
        self.plot.setBackground(colour(PLOT_BACKGROUND))
        axis_pen = pg.mkPen(colour(AXIS))
        for axis in (self.x_axis, self.y_axis):
            axis.setPen(axis_pen)
            axis.setTextPen(axis_pen)
            axis.enableAutoSIPrefix(False)
        self.viewbox.apply_theme()
        self.persona_boxes.apply_theme()
