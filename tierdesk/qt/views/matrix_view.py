"""The 2x2 persona matrix: every account as a point, four shaded boxes, draggable split lines.

Points are sprites in one PointCloud, built once per load/filter/colour choice and cached as an image;
dragging a split line only moves lines and relabels the boxes, so it stays smooth at 100,000 accounts.
Pinned, changed and selected points are drawn in small PointCloud layers on top. Above `DENSITY_LIMIT`
points the base layer becomes a density image.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QTimer
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGraphicsItem,
    QLabel,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tierdesk.domain.accounts import FIELD_BY_KEY, label
from tierdesk.domain.plan import Plan
from tierdesk.domain.playbook import CATEGORIES
from tierdesk.qt.document import AccountFilter, AccountSelection, Change, PlanDocument
from tierdesk.qt.theme import is_dark
from tierdesk.qt.views.matrix_items import FieldAxis, MatrixViewBox
from tierdesk.qt.views.matrix_legend import ColourLegend
from tierdesk.qt.views.matrix_pointer import MatrixPointer
from tierdesk.qt.views.palette import group_colours, qcolor
from tierdesk.qt.views.persona_boxes import PersonaBoxes
from tierdesk.qt.views.point_cloud import PointCloud, Sprite

DENSITY_LIMIT = 250_000
PERSONA_AXES = ("persona_x", "persona_y")
COLOUR_FIELDS = (("tier", "Tier"), ("category", "Category"), ("segment", "Segment"), ("owner", "Owner"))
MAX_GROUPS = 10


def estimated_wallets(plan: Plan) -> np.ndarray:
    """Accounts whose wallet is an estimate (peers or firmographic): drawn hollow."""
    wallets = plan.classification.wallets
    return wallets.estimated() if wallets is not None else np.zeros(len(plan.accounts), bool)


class MatrixView(QWidget):
    """The matrix with its toolbar (axes, log scale, colour by, size by revenue)."""

    def __init__(
        self,
        document: PlanDocument,
        selection: AccountSelection,
        filters: AccountFilter,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document, self.selection, self.filters = document, selection, filters
        self.ask_reason: Callable[[str], str | None] = lambda text: "Moved in the matrix"
        self._x = np.zeros(0)
        self._y = np.zeros(0)
        self._visible = np.zeros(0, dtype=np.int64)
        self._estimated_shown = 0  # accounts drawn hollow (estimated wallet), for the legend
        self._colour_code = np.zeros(0, dtype=np.int64)  # per account: index into _colour_names
        self._colour_names = np.zeros(0, dtype=object)
        self._sizes = np.zeros(0)
        self._stale = np.zeros(0, dtype=np.int64)

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
        self.hidden_note = QLabel(self)
        self.hidden_note.setObjectName("matrixHiddenNote")
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
            self.hidden_note,
        ):
            bar.addWidget(widget)

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
        self.legend = ColourLegend(self)
        self.persona_boxes = PersonaBoxes(self)
        boxes = self.persona_boxes
        self.boxes, self.box_labels = boxes.boxes, boxes.labels
        self.x_line, self.y_line = boxes.x_line, boxes.y_line
        self.cloud = PointCloud()  # every shown account; cached, so split drags only blit it
        self.cloud.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.viewbox.addItem(self.cloud)
        self.drawn: object = None  # the plan the points were last drawn for
        self.density = pg.ImageItem()
        self.density.setZValue(-50)
        self.viewbox.addItem(self.density)
        self.overlay = PointCloud()
        self.overlay.setZValue(10)
        self.selected_layer = PointCloud()
        self.selected_layer.setZValue(20)
        self.drop_hint = pg.TextItem(anchor=(0, 1))
        self.drop_hint.setZValue(60)
        for item in (self.overlay, self.selected_layer, self.drop_hint):
            self.viewbox.addItem(item, ignoreBounds=True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(bar)
        layout.addWidget(self.legend)
        layout.addWidget(self.plot, 1)

        self.pointer = MatrixPointer(self)
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
        self._apply_theme()

    # data ------------------------------------------------------------------------
    def _plan_replaced(self) -> None:
        plan = self.document.plan
        assert plan is not None
        for combo, default in ((self.x_field, "persona_x"), (self.y_field, "persona_y")):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("Share of wallet", "persona_x")
            combo.addItem("Growth potential", "persona_y")
            combo.addItem("Projected value", "projected_value")
            for column in plan.accounts.columns:
                field = FIELD_BY_KEY.get(column)
                if column in ("source_row", "share_of_wallet", "potential", "projected_value"):
                    continue
                if (field and field.kind in ("money", "number", "percent")) or (
                    field is None and pd.api.types.is_numeric_dtype(plan.accounts[column])
                ):
                    combo.addItem(label(column), column)
            combo.setCurrentIndex(combo.findData(default))
            combo.blockSignals(False)
        self.y_log.blockSignals(True)
        self.y_log.setChecked(True)  # potential is log-normal: a log axis spreads the many small accounts
        self.y_log.blockSignals(False)
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

    def _axis_values(self, key: str) -> np.ndarray:
        plan = self.document.plan
        assert plan is not None
        cls = plan.classification
        if key == "persona_x":
            return np.asarray(cls.x, dtype="float64")
        if key == "persona_y":
            return np.asarray(cls.y, dtype="float64")
        if key == "projected_value":
            return np.asarray(cls.projected_value, dtype="float64")
        return plan.accounts[key].to_numpy(dtype="float64", na_value=np.nan)

    def _axis_kind(self, key: str) -> str:
        if key == "persona_x":
            return "percent"
        if key in ("persona_y", "projected_value"):
            return "money"
        field = FIELD_BY_KEY.get(key)
        return field.kind if field else "number"

    def persona_axes_shown(self) -> bool:
        return (self.x_field.currentData(), self.y_field.currentData()) == PERSONA_AXES

    def _to_view(self, values: np.ndarray, log: bool) -> np.ndarray:
        if not log:
            return values
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(values > 0, np.log10(values), np.nan)

    def _from_view(self, value: float, log: bool) -> float:
        return float(10**value) if log else float(value)

    def rebuild(self) -> None:
        """Recompute coordinates, visible rows and colour groups, then redraw everything."""
        plan = self.document.plan
        if plan is None:
            return
        x_key, y_key = self.x_field.currentData(), self.y_field.currentData()
        self.x_axis.kind, self.y_axis.kind = self._axis_kind(x_key), self._axis_kind(y_key)
        self.x_axis.setLogMode(self.x_log.isChecked())
        self.y_axis.setLogMode(self.y_log.isChecked())
        self.plot.setLabel("bottom", self.x_field.currentText())
        self.plot.setLabel("left", self.y_field.currentText())
        self._x = self._to_view(self._axis_values(x_key), self.x_log.isChecked())
        self._y = self._to_view(self._axis_values(y_key), self.y_log.isChecked())
        mask = np.isfinite(self._x) & np.isfinite(self._y)
        if (filter_mask := self.filters.mask()) is not None and len(filter_mask) == len(mask):
            mask &= filter_mask
        self._visible = np.flatnonzero(mask)
        wanted = filter_mask.sum() if filter_mask is not None and len(filter_mask) == len(mask) else len(mask)
        hidden = int(wanted) - len(self._visible)
        self.hidden_note.setText(f"{hidden:,} not plotted (missing, or ≤ 0 on a log axis)" if hidden else "")
        revenue = (
            plan.accounts["revenue"].to_numpy(dtype="float64", na_value=0.0)
            if "revenue" in plan.accounts
            else None
        )
        if revenue is not None and self.size_by_revenue.isChecked():
            scaled = np.sqrt(np.clip(revenue, 0, None) / max(float(np.nanmax(revenue, initial=0.0)), 1.0))
            self._sizes = (
                4.0 + np.round(np.nan_to_num(scaled) * 5) * 2.5
            )  # six sizes keep the symbol atlas small
        else:
            self._sizes = np.full(len(plan.accounts), 6.0)
        self.rebuild_points()
        self.persona_boxes.update()

    def _colour_groups(self) -> tuple[np.ndarray, dict[str, str]]:
        """Each account's group for the chosen 'colour by' (an index into the colours' keys, "Unclassified"
        last), and a colour per group."""
        plan = self.document.plan
        assert plan is not None
        key = self.colour_by.currentData()
        cls = plan.classification
        if key == "tier":
            names = list(plan.playbook.tier_names)
            codes = np.asarray(cls.tier)
        elif key == "category":
            names = list(CATEGORIES)
            codes = np.asarray(cls.category)
        elif key in plan.accounts:
            series = plan.accounts[key].astype("string").fillna("(blank)")
            top = series.value_counts().index[:MAX_GROUPS].tolist()
            names = [str(t) for t in top] + (["Other"] if series.nunique() > MAX_GROUPS else [])
            codes = pd.Categorical(series, categories=names).codes.astype(np.int64)
            codes[codes < 0] = len(names) - 1  # "Other"
        else:
            names, codes = ["Accounts"], np.zeros(len(plan.accounts), dtype=np.int64)
        group = np.where((codes >= 0) & (codes < len(names)), codes, len(names)).astype(np.int64)
        colours = group_colours(names, key)
        colours = {name: colours[name] for name in names} | {"Unclassified": "#9aa0a6"}
        return group, colours

    def rebuild_points(self) -> None:
        plan = self.document.plan
        if plan is None:
            return
        self._colour_code, colours = self._colour_groups()
        self._colours = colours
        self._colour_names = np.array(list(colours), dtype=object)
        self._stale = np.zeros(0, dtype=np.int64)
        outline = "#1d2330" if not is_dark() else "#e6e8eb"
        dense = len(self._visible) > DENSITY_LIMIT
        names = list(colours)
        sizes = np.unique(self._sizes[self._visible]) if len(self._visible) else np.array([6.0])
        group = self._colour_code[self._visible]
        size_index = np.searchsorted(sizes, self._sizes[self._visible])
        sprites: list[Sprite] = []
        for n in names:  # each colour and size solid (a wallet on record), then hollow (an estimated wallet)
            fill = qcolor(colours[n], 190).name(QColor.NameFormat.HexArgb)
            sprites += [(fill, outline, float(sz)) for sz in sizes]
            sprites += [("#00000000", colours[n], float(sz), "o", 1.6) for sz in sizes]
        estimated = estimated_wallets(plan)[self._visible]
        self._estimated_shown = 0 if dense else int(estimated.sum())  # hollow points, in the legend
        if dense:
            self.cloud.set_points(np.zeros(0), np.zeros(0), np.zeros(0, np.int64), sprites)
        else:
            sprite = (np.where(group >= 0, group, 0) * 2 + estimated) * len(sizes) + size_index
            self.cloud.set_points(self._x[self._visible], self._y[self._visible], sprite, sprites)
        self._update_legend()
        if dense:
            self._draw_density()
        else:
            self.density.clear()
        self._draw_overlay()
        self._draw_selection()
        self.persona_boxes.update_labels()

    def _update_legend(self) -> None:
        """The colour key with how many of the shown accounts are in each group now (tiers move)."""
        names = list(self._colours)
        counts = np.bincount(self._current_groups(self._visible), minlength=len(names))
        self.legend.set_groups(
            [
                (name, self._colours[name], int(count))
                for name, count in zip(names, counts.tolist(), strict=True)
                if name != "Unclassified" or count
            ],
            estimated=self._estimated_shown,
        )

    def _draw_density(self) -> None:
        x, y = self._x[self._visible], self._y[self._visible]
        (x0, x1), (y0, y1) = (np.nanmin(x), np.nanmax(x)), (np.nanmin(y), np.nanmax(y))
        counts, _, _ = np.histogram2d(x, y, bins=(400, 300), range=((x0, x1 or 1), (y0, y1 or 1)))
        self.density.setImage(np.log1p(counts), autoLevels=True)
        self.density.setColorMap(pg.colormap.get("viridis"))
        self.density.setRect(QRectF(x0, y0, (x1 - x0) or 1, (y1 - y0) or 1))

    def _draw_overlay(self) -> None:
        """Pinned accounts (diamonds) and accounts changed since the last rebuild, in current colours."""
        plan = self.document.plan
        assert plan is not None
        cls = plan.classification
        pinned = np.flatnonzero(np.asarray(cls.pinned_persona) | np.asarray(cls.pinned_tier))
        rows = np.union1d(pinned, self._stale)
        if (mask := self.filters.mask()) is not None and len(mask) == len(self._x):
            rows = rows[mask[rows]]
        rows = rows[np.isfinite(self._x[rows]) & np.isfinite(self._y[rows])]
        if not len(rows):
            self.overlay.clear()
            return
        labels = self._current_labels(rows)
        is_pinned = np.isin(rows, pinned)
        outline = "#1d2330" if not is_dark() else "#f4f5f7"
        sizes = self._sizes[rows] + np.where(is_pinned, 4, 0)
        names, name_code = np.unique(labels.astype(str), return_inverse=True)
        size_values, size_code = np.unique(sizes, return_inverse=True)
        keys, sprite = np.unique(
            (name_code * len(size_values) + size_code) * 2 + is_pinned, return_inverse=True
        )
        sprites: list[Sprite] = []
        for key in keys.tolist():
            p, size, name = (
                key % 2,
                size_values[key // 2 % len(size_values)],
                names[key // 2 // len(size_values)],
            )
            fill = qcolor(self._colours.get(name, "#9aa0a6"), 230).name(QColor.NameFormat.HexArgb)
            sprites.append((fill, outline, float(size), "d" if p else "o", 1.6 if p else 0.4))
        self.overlay.set_points(self._x[rows], self._y[rows], sprite, sprites, rows)

    def _current_groups(self, rows: np.ndarray) -> np.ndarray:
        """Colour group of `rows` now, an index into the colour key (tiers and categories move; other fields
        do not)."""
        plan = self.document.plan
        assert plan is not None
        key = self.colour_by.currentData()
        if key not in ("tier", "category"):
            return self._colour_code[rows]
        n = len(plan.playbook.tier_names) if key == "tier" else len(CATEGORIES)
        codes = np.asarray(plan.classification.tier if key == "tier" else plan.classification.category)[rows]
        return np.where((codes >= 0) & (codes < n), codes, n).astype(np.int64)

    def _current_labels(self, rows: np.ndarray) -> np.ndarray:
        return self._colour_names[self._current_groups(rows)]

    def _draw_selection(self) -> None:
        """A ring around each selected account drawn in the matrix (not around one a filter hides)."""
        rows = np.intersect1d(self.selection.rows(), self._visible, assume_unique=True)
        if not len(rows):
            self.selected_layer.clear()
            return
        sizes, sprite = np.unique(self._sizes[rows] + 6, return_inverse=True)
        sprites: list[Sprite] = [("", "#ff7a00", float(size), "o", 2.2) for size in sizes]
        self.selected_layer.set_points(self._x[rows], self._y[rows], sprite, sprites, rows)

    # reacting to the plan and the selection ----------------------------------------
    def _plan_changed(self, change: Change) -> None:
        if self.document.plan is None:
            return
        if change.fields & {"x_split", "y_split", "playbook", "tier_cutoffs", "x", "y"}:
            self.persona_boxes.update(labels=False)
        colour_field = self.colour_by.currentData()
        if colour_field in change.fields and change.rows is not None and len(change.rows):
            self._stale = np.union1d(self._stale, change.rows)
            if len(self._stale) > 5000:
                self._rebuild_timer.start()
        if change.fields & {"x", "y", "wallet"}:
            self._rebuild_timer.start()
        if "playbook" in change.fields:  # tiers renamed, added or removed: the colour key is made anew
            self.rebuild_points()
        elif change.fields & {"pinned_tier", "pinned_persona", "overrides", colour_field}:
            self._draw_overlay()
            if colour_field in change.fields:
                self._update_legend()
        self.persona_boxes.update_labels()

    def _selection_changed(self, source: str) -> None:
        self._draw_selection()

    # picking, clicking, dragging ---------------------------------------------------------
    def move_rows(self, rows: np.ndarray, persona: str) -> None:
        """Pin `rows` to a persona, asking for the reason; one undo step."""
        self.pointer.move_rows(rows, persona)

    def describe(self, row: int) -> str:
        return self.pointer.describe(row)

    def fit(self) -> None:
        if len(self._visible):
            x, y = self._x[self._visible], self._y[self._visible]
            self.viewbox.setRange(
                xRange=(float(np.nanmin(x)), float(np.nanmax(x))),
                yRange=(float(np.nanmin(y)), float(np.nanmax(y))),
                padding=0.04,
            )
            # Settle the view now (pyqtgraph would on the next paint, then move the split lines and the
            # boxes, and paint every point again).
            self.viewbox.updateMatrix()
            self.persona_boxes.place()

    def _apply_theme(self) -> None:
        dark = is_dark()
        self.plot.setBackground("#16181c" if dark else "#ffffff")
        axis_pen = pg.mkPen("#aab0b8" if dark else "#4a5262")
        for axis in (self.x_axis, self.y_axis):
            axis.setPen(axis_pen)
            axis.setTextPen(axis_pen)
            axis.enableAutoSIPrefix(False)
        self.persona_boxes.apply_theme()
