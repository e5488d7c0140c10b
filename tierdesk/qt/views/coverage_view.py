"""Coverage: sellers needed and cost of sales by role and by tier, totals, findings, change since opening."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from tierdesk.qt.document import Change, PlanDocument
from tierdesk.qt.formatting import percent, short_money, signed_money
from tierdesk.qt.theme import is_dark
from tierdesk.qt.views.palette import QUALITATIVE, tier_colour


class Figure(QFrame):
    """One headline number with a caption and its change since the plan was opened."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value = QLabel("–", self)
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setBold(True)
        self.value.setFont(font)
        self.caption = QLabel(caption, self)
        self.delta = QLabel("", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(0)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.delta)

    def set(self, value: str, delta: str = "", bad: bool | None = None) -> None:
        self.value.setText(value)
        self.delta.setText(delta or " ")
        colour = (
            "#d9534f"
            if bad
            else "#1f9e60"
            if bad is False
            else self.palette().placeholderText().color().name()
        )
        self.delta.setStyleSheet(f"color: {colour}")


class BarChart(pg.PlotWidget):
    """Horizontal bars, names on the left, the value printed at the end of each bar."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMenuEnabled(False)
        self.hideButtons()
        self.setMouseEnabled(x=False, y=False)
        self.setTitle(title, size="9pt")
        self.bars = pg.BarGraphItem(x0=[], y=[], width=[], height=0.62)
        self.addItem(self.bars)
        self.labels: list[pg.TextItem] = []
        self.getAxis("left").setWidth(150)
        self.getAxis("bottom").setHeight(22)
        self.invertY(True)
        self.setMinimumHeight(100)

    def set_bars(self, names: list[str], values: list[float], colours: list[str], text: list[str]) -> None:
        y = np.arange(len(names))
        self.bars.setVisible(bool(names))
        if names:  # pyqtgraph's BarGraphItem cannot take empty brush lists
            self.bars.setOpts(
                x0=np.zeros(len(names)),
                y=y,
                width=values,
                height=0.62,
                brushes=[pg.mkBrush(c) for c in colours],
                pen=pg.mkPen(None),
            )
        self.getAxis("left").setTicks(
            [[(i, n if len(n) <= 17 else n[:16] + "…") for i, n in enumerate(names)]]
        )
        for item in self.labels:
            self.removeItem(item)
        colour = "#e6e8eb" if is_dark() else "#1d2330"
        self.labels = []
        for i, (v, t) in enumerate(zip(values, text, strict=True)):
            label = pg.TextItem(t, color=colour, anchor=(0.0, 0.5))
            label.setPos(v, i)
            self.addItem(label)
            self.labels.append(label)
        top = max([*values, 1.0])
        self.setYRange(-0.6, len(names) - 0.4, padding=0)
        self.setXRange(0, top * 1.9, padding=0)


class CoverageView(QWidget):
    def __init__(self, document: PlanDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setObjectName("coverageView")
        self.sellers = Figure("Sellers needed", self)
        self.cost = Figure("Cost of sales", self)
        self.share = Figure("Cost share", self)
        self.over = Figure("Over-invested", self)
        self.under = Figure("Under-invested", self)
        self.share.setToolTip("Cost of sales as a share of the revenue covered")
        self.over.setToolTip("High-touch tier on an account with little potential")
        self.under.setToolTip("Low-touch tier on an account with a large opportunity")
        figures = QGridLayout()
        for i, figure in enumerate((self.sellers, self.cost, self.share, self.over, self.under)):
            figures.addWidget(figure, 0, i)
        self.by_role = BarChart("Sellers by role")
        self.by_tier = BarChart("Sellers by tier")
        charts = QHBoxLayout()
        charts.addWidget(self.by_role)
        charts.addWidget(self.by_tier)
        self.change_label = QLabel(self)
        self.change_label.setObjectName("coverageChange")
        self.warnings = QLabel(self)
        self.warnings.setObjectName("coverageWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.RichText)
        self.warnings.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(figures)
        layout.addWidget(self.change_label)
        layout.addLayout(charts, 1)
        layout.addWidget(self.warnings)
        self._apply_theme()
        # Coalesce bursts of edits (a drag emits many) into one redraw per event-loop pass.
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.refresh)
        document.replaced.connect(self.refresh)
        document.changed.connect(self._changed)

    def _changed(self, change: Change) -> None:
        self._pending.start()

    def refresh(self) -> None:
        if self.document.plan is None:
            return
        coverage = self.document.coverage()
        base = self.document.baseline
        d_sellers = coverage.sellers - base.sellers if base else 0.0
        d_cost = coverage.cost - base.cost if base else 0.0
        self.sellers.set(
            f"{coverage.sellers:,.1f}",
            f"{d_sellers:+.1f} since opening" if abs(d_sellers) >= 0.05 else "",
            d_sellers > 0 if abs(d_sellers) >= 0.05 else None,
        )
        self.cost.set(
            short_money(coverage.cost),
            f"{signed_money(d_cost)} since opening" if abs(d_cost) >= 1 else "",
            d_cost > 0 if abs(d_cost) >= 1 else None,
        )
        self.share.set(percent(coverage.cost_share, 1), f"of {short_money(coverage.revenue)} revenue")
        self.over.set(f"{coverage.over_investment:,}", "accounts")
        self.under.set(f"{coverage.under_investment:,}", "accounts")
        if base and (abs(d_sellers) >= 0.05 or abs(d_cost) >= 1):
            self.change_label.setText(
                f"Change against the plan as opened: <b>{d_sellers:+.1f} sellers, {signed_money(d_cost)}</b>"
            )
        else:
            self.change_label.setText("No change against the plan as opened")
        self._draw_chart(
            self.by_role,
            coverage.by_role,
            [QUALITATIVE[i % len(QUALITATIVE)] for i in range(len(coverage.by_role))],
        )
        self._draw_chart(
            self.by_tier, coverage.by_tier, [tier_colour(i) for i in range(len(coverage.by_tier))]
        )
        if coverage.warnings:
            shown = coverage.warnings[:3]
            items = "".join(f"<li>{w}</li>" for w in shown)
            rest = len(coverage.warnings) - len(shown)
            more = f"<li>…and {rest} more (hover to read them all)</li>" if rest else ""
            self.warnings.setText(
                f"<b style='color:#d9534f'>Capacity warnings</b><ul style='margin:0'>{items}{more}</ul>"
            )
            self.warnings.setToolTip("<br>".join(coverage.warnings))
        else:
            self.warnings.setText("No capacity warnings.")
            self.warnings.setToolTip("")

    def _draw_chart(self, chart: BarChart, table: pd.DataFrame, colours: list[str]) -> None:
        keep = table["sellers"].fillna(0.0) > 0.005
        table = table[keep]
        colours = [c for c, k in zip(colours, keep, strict=True) if k]
        names = [str(n) for n in table.index]
        sellers = [float(v) for v in table["sellers"].fillna(0.0)]
        text = [
            f" {s:.1f} · {short_money(float(c))}"
            for s, c in zip(sellers, table["cost"].fillna(0.0), strict=True)
        ]
        chart.set_bars(names, sellers, colours, text)

    def _apply_theme(self) -> None:
        dark = is_dark()
        for chart in (self.by_role, self.by_tier):
            chart.setBackground("#16181c" if dark else "#ffffff")
            pen = pg.mkPen("#aab0b8" if dark else "#4a5262")
            for name in ("left", "bottom"):
                chart.getAxis(name).setPen(pen)
                chart.getAxis(name).setTextPen(pen)
