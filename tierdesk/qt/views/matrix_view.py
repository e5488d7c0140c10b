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
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGraphicsItem,
    QGraphicsRectItem,
    QLabel,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tierdesk.domain.accounts import FIELD_BY_KEY, label
from tierdesk.domain.coverage import code_sums
from tierdesk.domain.plan import MoveSplit, Plan
from tierdesk.domain.playbook import CATEGORIES, PERSONAS
from tierdesk.qt.document import AccountFilter, AccountSelection, Change, PlanDocument
from tierdesk.qt.formatting import percent, short_money
from tierdesk.qt.theme import is_dark
from tierdesk.qt.views.matrix_items import FieldAxis, MatrixViewBox, PassiveScatter, pen
from tierdesk.qt.views.matrix_pointer import QUADRANTS, MatrixPointer
from tierdesk.qt.views.palette import PERSONA_COLOURS, group_colours, qcolor
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
        self._colour_code = np.zeros(0, dtype=np.int64)  # per account: index into _colour_names
        self._colour_names = np.zeros(0, dtype=object)
        self._sizes = np.zeros(0)
        self._stale = np.zeros(0, dtype=np.int64)
        self._split_preview: tuple[str, object] | None = None  # axis, inverse of the first move

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
        self.legend = self.plot.addLegend(
            offset=(-10, 10), labelTextSize="9pt", brush=pg.mkBrush(128, 128, 128, 40)
        )
        self.boxes: dict[str, QGraphicsRectItem] = {}
        self.box_labels: dict[str, pg.TextItem] = {}
        self._box_html: dict[str, str] = {}
        for name, _hy, _hx in QUADRANTS:
            rect = QGraphicsRectItem()
            rect.setPen(pg.mkPen(None))
            rect.setZValue(-100)
            self.viewbox.addItem(rect, ignoreBounds=True)
            self.boxes[name] = rect
            text = pg.TextItem(anchor=(0, 0), fill=pg.mkBrush(255, 255, 255, 0))
            text.setZValue(50)
            self.viewbox.addItem(text, ignoreBounds=True)
            self.box_labels[name] = text
        self.cloud = PointCloud()  # every shown account; cached, so split drags only blit it
        self.cloud.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.viewbox.addItem(self.cloud)
        self._legend_samples: list[PassiveScatter] = []
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
        self.x_line = pg.InfiniteLine(angle=90, movable=True)
        self.y_line = pg.InfiniteLine(angle=0, movable=True)
        for line, axis in ((self.x_line, "x"), (self.y_line, "y")):
            line.setZValue(40)
            line.setCursor(Qt.CursorShape.SizeHorCursor if axis == "x" else Qt.CursorShape.SizeVerCursor)
            line.sigPositionChanged.connect(lambda _l, a=axis: self._split_moving(a))
            line.sigPositionChangeFinished.connect(lambda _l, a=axis: self._split_moved(a))
            self.viewbox.addItem(line, ignoreBounds=True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(bar)
        layout.addWidget(self.plot, 1)

        self.pointer = MatrixPointer(self)
        self.viewbox.sigRangeChanged.connect(self._place_boxes)
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
        self._update_splits()

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
        self.legend.clear()
        self._legend_samples = []
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
        if dense:
            self.cloud.set_points(np.zeros(0), np.zeros(0), np.zeros(0, np.int64), sprites)
        else:
            sprite = (np.where(group >= 0, group, 0) * 2 + estimated) * len(sizes) + size_index
            self.cloud.set_points(self._x[self._visible], self._y[self._visible], sprite, sprites)
        counts = np.bincount(group[group >= 0], minlength=len(names))
        for i, name in enumerate(names):
            if not counts[i] and name == "Unclassified":
                continue
            sample = PassiveScatter(
                pxMode=True, symbol="o", size=9, pen=pen(outline, 0.4), brush=qcolor(colours[name], 190)
            )
            self._legend_samples.append(sample)
            self.legend.addItem(sample, f"{name} ({int(counts[i]):,})")
        if estimated.any() and not dense:  # hollow: the wallet behind the point's axes is an estimate
            sample = PassiveScatter(
                pxMode=True, symbol="o", size=9, pen=pen("#8a8f98", 1.6), brush=pg.mkBrush(0, 0, 0, 0)
            )
            self._legend_samples.append(sample)
            self.legend.addItem(sample, f"Wallet estimated ({int(estimated.sum()):,})")
        if dense:
            self._draw_density()
        else:
            self.density.clear()
        self._draw_overlay()
        self._draw_selection()
        self._update_box_labels()

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

    def _current_labels(self, rows: np.ndarray) -> np.ndarray:
        """Colour-group names of `rows` now (tiers and categories move; other fields do not)."""
        plan = self.document.plan
        assert plan is not None
        key = self.colour_by.currentData()
        if key not in ("tier", "category"):
            return self._colour_names[self._colour_code[rows]]
        names = list(plan.playbook.tier_names) if key == "tier" else list(CATEGORIES)
        codes = np.asarray(plan.classification.tier if key == "tier" else plan.classification.category)[rows]
        lookup = np.array([*names, "Unclassified"], dtype=object)
        return lookup[np.where((codes >= 0) & (codes < len(names)), codes, len(names))]

    def _draw_selection(self) -> None:
        rows = self.selection.rows()
        rows = rows[(rows < len(self._x))]
        rows = rows[np.isfinite(self._x[rows]) & np.isfinite(self._y[rows])] if len(rows) else rows
        if not len(rows):
            self.selected_layer.clear()
            return
        sizes, sprite = np.unique(self._sizes[rows] + 6, return_inverse=True)
        sprites: list[Sprite] = [("", "#ff7a00", float(size), "o", 2.2) for size in sizes]
        self.selected_layer.set_points(self._x[rows], self._y[rows], sprite, sprites, rows)

    # boxes and split lines ---------------------------------------------------------
    def _splits_in_view(self) -> tuple[float, float]:
        plan = self.document.plan
        assert plan is not None
        cls = plan.classification
        xs = self._to_view(np.array([cls.x_split], dtype="float64"), self.x_log.isChecked())[0]
        ys = self._to_view(np.array([cls.y_split], dtype="float64"), self.y_log.isChecked())[0]
        return float(xs), float(ys)

    def _update_splits(self, labels: bool = True) -> None:
        shown = self.persona_axes_shown()
        for item in (self.x_line, self.y_line, *self.boxes.values(), *self.box_labels.values()):
            item.setVisible(shown)
        if shown:
            xs, ys = self._splits_in_view()
            for line, value in ((self.x_line, xs), (self.y_line, ys)):
                if np.isfinite(value) and abs(line.value() - value) > 1e-12:
                    line.blockSignals(True)
                    line.setValue(value)
                    line.blockSignals(False)
        self._place_boxes()
        if labels:
            self._update_box_labels()

    def _place_boxes(self) -> None:
        if not self.persona_axes_shown():
            return
        (x0, x1), (y0, y1) = self.viewbox.viewRange()
        xs, ys = self.x_line.value(), self.y_line.value()
        pad_x, pad_y = (x1 - x0) * 10 + 1, (y1 - y0) * 10 + 1
        dark = is_dark()
        for name, high_y, high_x in QUADRANTS:
            left, right = (xs, x1 + pad_x) if high_x else (x0 - pad_x, xs)
            bottom, top = (ys, y1 + pad_y) if high_y else (y0 - pad_y, ys)
            self.boxes[name].setRect(QRectF(QPointF(left, bottom), QPointF(right, top)).normalized())
            self.boxes[name].setBrush(qcolor(PERSONA_COLOURS[name], 34 if dark else 22))
            label_item = self.box_labels[name]
            px = self.viewbox.viewPixelSize()
            inset_x, inset_y = px[0] * 8, px[1] * 6
            at_x = max(xs, x0) + inset_x if high_x else x0 + inset_x
            label_item.setAnchor((0, 0) if high_y else (0, 1))
            label_item.setPos(at_x, y1 - inset_y if high_y else y0 + inset_y)

    def _update_box_labels(self) -> None:
        plan = self.document.plan
        if plan is None or not self.persona_axes_shown():
            return
        mask = self.filters.mask()
        if mask is not None and len(mask) != len(plan.accounts):
            mask = None
        counts, money = code_sums(plan.classification.persona, len(PERSONAS), self.document.revenue, mask)
        dark = is_dark()
        colour = "#e6e8eb" if dark else "#1d2330"
        for name, _hy, _hx in QUADRANTS:
            i = PERSONAS.index(name)
            self.box_labels[name].fill = (
                pg.mkBrush(22, 24, 28, 170) if dark else pg.mkBrush(255, 255, 255, 190)
            )
            html = (
                f"<div style='color:{colour}'><b>{name}</b><br>"
                f"{int(counts[i]):,} accounts · {short_money(float(money[i]))}</div>"
            )
            if self._box_html.get(name) != html:  # relayout of rich text is the costly part
                self._box_html[name] = html
                self.box_labels[name].setHtml(html)

    def _split_moving(self, axis: str) -> None:
        line = self.x_line if axis == "x" else self.y_line
        value = self._from_view(line.value(), (self.x_log if axis == "x" else self.y_log).isChecked())
        applied = self.document.preview(MoveSplit(axis, value))
        if self._split_preview is None or self._split_preview[0] != axis:
            self._split_preview = (axis, applied.inverse)
        self._place_boxes()

    def _split_moved(self, axis: str) -> None:
        if self._split_preview is None:
            return
        line = self.x_line if axis == "x" else self.y_line
        value = self._from_view(line.value(), (self.x_log if axis == "x" else self.y_log).isChecked())
        first_inverse = self._split_preview[1]
        self._split_preview = None
        name = "share-of-wallet" if axis == "x" else "growth-potential"
        shown = percent(value) if axis == "x" else short_money(value)
        self.document.commit_preview(first_inverse, MoveSplit(axis, value), f"Move {name} split to {shown}")

    # reacting to the plan and the selection ----------------------------------------
    def _plan_changed(self, change: Change) -> None:
        if self.document.plan is None:
            return
        if change.fields & {"x_split", "y_split", "playbook", "tier_cutoffs", "x", "y"}:
            self._update_splits(labels=False)
        colour_field = self.colour_by.currentData()
        if colour_field in change.fields and change.rows is not None and len(change.rows):
            self._stale = np.union1d(self._stale, change.rows)
            if len(self._stale) > 5000:
                self._rebuild_timer.start()
        if change.fields & {"x", "y", "wallet"}:
            self._rebuild_timer.start()
        if change.fields & {"pinned_tier", "pinned_persona", "overrides", "playbook", colour_field}:
            self._draw_overlay()
        self._update_box_labels()

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
            self._place_boxes()

    def _apply_theme(self) -> None:
        dark = is_dark()
        self.plot.setBackground("#16181c" if dark else "#ffffff")
        axis_pen = pg.mkPen("#aab0b8" if dark else "#4a5262")
        for axis in (self.x_axis, self.y_axis):
            axis.setPen(axis_pen)
            axis.setTextPen(axis_pen)
            axis.enableAutoSIPrefix(False)
        self.legend.setLabelTextColor("#e6e8eb" if dark else "#1d2330")
        line_colour = "#e6e8eb" if dark else "#1d2330"
        for line in (self.x_line, self.y_line):
            line.setPen(pen(line_colour, 2, Qt.PenStyle.DashLine))
            line.setHoverPen(pen("#ff7a00", 3))
