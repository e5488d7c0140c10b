"""Coverage: sellers needed and cost of sales by role and by tier, totals, findings, change since opening.

The figures are those of the accounts the window's filter shows (all of them when nothing is filtered);
the warnings and governance rules are about the whole plan."""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from tierdesk.domain.changes import Change
from tierdesk.domain.governance import TierTurnover
from tierdesk.qt.document import AccountFilter, PlanDocument
from tierdesk.qt.formatting import percent, short_money, signed_money
from tierdesk.qt.theme import is_dark
from tierdesk.qt.views.empty_state import empty_hint
from tierdesk.qt.views.palette import (
    AXIS,
    BAD,
    GOOD,
    INK,
    PLOT_BACKGROUND,
    QUALITATIVE,
    colour,
    qcolour,
    tier_colour,
)


class Figure(QWidget):
    """One headline number with its caption and its change since the plan was opened.

    Painted directly: new numbers during a drag repaint one small box and never relayout the panel.
    """

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = caption
        self.value = "–"
        self.delta = ""
        self._bad: bool | None = None
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def _value_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setBold(True)
        return font

    def sizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        big = QFontMetrics(self._value_font()).height()
        width = max(self.fontMetrics().horizontalAdvance(self.caption), 70) + 18
        return QSize(width, 2 * line + big + 10)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def set(self, value: str, delta: str = "", bad: bool | None = None) -> None:
        if (value, delta, bad) != (self.value, self.delta, self._bad):
            self.value, self.delta, self._bad = value, delta, bad
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        rect = self.rect().adjusted(0, 0, -1, -1)
        painter.setPen(palette.mid().color())
        painter.setBrush(palette.base())
        painter.drawRoundedRect(rect, 4, 4)
        inner = rect.adjusted(8, 4, -6, -4)
        line = self.fontMetrics().height()
        painter.setPen(palette.text().color())
        painter.drawText(QRectF(inner.left(), inner.top(), inner.width(), line), self.caption)
        painter.setFont(self._value_font())
        big = painter.fontMetrics().height()
        painter.drawText(QRectF(inner.left(), inner.top() + line, inner.width(), big), self.value)
        painter.setFont(self.font())
        told = qcolour(BAD) if self._bad else qcolour(GOOD) if self._bad is False else None
        painter.setPen(told or palette.placeholderText().color())
        painter.drawText(QRectF(inner.left(), inner.top() + line + big, inner.width(), line), self.delta)
        painter.end()


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
        self._texts: dict[int, tuple[str, str]] = {}
        self._shown: tuple[object, ...] = ()
        self._names: tuple[str, ...] = ()
        self._top = 0.0
        self.getAxis("left").setWidth(150)
        self.getAxis("bottom").setHeight(22)
        self.invertY(True)
        self.setMinimumHeight(100)

    def sizeHint(self) -> QSize:
        return QSize(260, 150)

    def set_bars(self, names: list[str], values: list[float], colours: list[str], text: list[str]) -> None:
        key = (tuple(names), tuple(round(v, 3) for v in values), tuple(text), is_dark())
        if key == self._shown:
            return  # nothing changed: a drag that moves no account between roles costs nothing here
        self._shown = key
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
        if tuple(names) != self._names:  # new ticks make the axis regenerate: only when names change
            self._names = tuple(names)
            ticks = [(i, n if len(n) <= 17 else n[:16] + "…") for i, n in enumerate(names)]
            self.getAxis("left").setTicks([ticks])
            widest = max((self.fontMetrics().horizontalAdvance(t) for _, t in ticks), default=40)
            self.getAxis("left").setWidth(min(150, widest + 18))  # short names leave the bars more room
            self.setYRange(-0.6, len(names) - 0.4, padding=0)
        ink = colour(INK)
        while len(self.labels) < len(names):
            label = pg.TextItem("", anchor=(0.0, 0.5))
            self.addItem(label)
            self.labels.append(label)
        for i, label in enumerate(self.labels):
            label.setVisible(i < len(names))
            if i < len(names):
                if self._texts.get(i) != (text[i], ink):  # a text relayout costs more than the bars
                    self._texts[i] = (text[i], ink)
                    label.setText(text[i], color=ink)
                label.setPos(values[i], i)
        top = max([*values, 1.0]) * 2.3
        if not 0.7 * self._top <= top <= self._top:  # keep the scale steady while a drag nudges the bars
            self._top = top * 1.1
            self.setXRange(0, self._top, padding=0)


class CoverageView(QWidget):
    def __init__(self, document: PlanDocument, filters: AccountFilter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document, self.filters = document, filters
        self.setObjectName("coverageView")
        self.scope_label = QLabel(self)
        self.scope_label.setObjectName("coverageScope")
        self.scope_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
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
        self.turnover_label = QLabel(self)
        self.turnover_label.setObjectName("coverageTurnover")
        self.turnover_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.turnover_label.setVisible(False)
        self.warnings = QLabel(self)
        self.warnings.setObjectName("coverageWarnings")
        self.governance: list[str] = []
        self.warnings.setWordWrap(False)  # long lines clip (full text in the tooltip): no height-for-width
        self.warnings.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.warnings.setTextFormat(Qt.TextFormat.RichText)
        self.content = QWidget(self)  # hidden, with the hint shown instead, until a territory is open
        self.empty_hint = empty_hint(
            "Sellers needed and the cost of sales appear here once a territory file is open (Ctrl+O).",
            self,
        )
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.content, 1)
        outer.addWidget(self.empty_hint, 1)
        self.content.setVisible(False)
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.scope_label)
        layout.addLayout(figures)
        layout.addWidget(self.change_label)
        layout.addWidget(self.turnover_label)
        layout.addLayout(charts, 1)
        layout.addWidget(self.warnings)
        self._apply_theme()
        # Coalesce bursts of edits (a drag emits many) into one redraw per event-loop pass.
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.refresh)
        document.replaced.connect(self._pending.start)  # a new plan's first look, too, on the next pass
        document.changed.connect(self._changed)
        filters.changed.connect(self._pending.start)

    def _changed(self, change: Change) -> None:
        self._pending.start()

    def refresh(self) -> None:
        self.content.setVisible(self.document.plan is not None)
        self.empty_hint.setVisible(self.document.plan is None)
        if self.document.plan is None:
            return
        keep = self.filters.mask()
        coverage = self.document.coverage(keep)
        base = self.document.baseline_of(keep)
        self._show_scope(coverage.accounts)
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
            _set_text(
                self.change_label,
                f"Change against the plan as opened: <b>{d_sellers:+.1f} sellers, {signed_money(d_cost)}</b>",
            )
        else:
            _set_text(self.change_label, "No change against the plan as opened")
        self._draw_chart(
            self.by_role,
            coverage.by_role,
            [QUALITATIVE[i % len(QUALITATIVE)] for i in range(len(coverage.by_role))],
        )
        self._draw_chart(
            self.by_tier, coverage.by_tier, [tier_colour(i) for i in range(len(coverage.by_tier))]
        )
        if keep is not None:  # the warnings below are about the whole plan
            coverage = self.document.coverage()
        violations, turnover = self.document.governance()
        broken = [v.message for v in violations]
        self.governance = broken
        self._show_turnover(turnover)
        html = ""
        bad = colour(BAD)
        if broken:
            items = "".join(f"<li>{m}</li>" for m in broken[:3])
            html += f"<b style='color:{bad}'>Governance</b><ul style='margin:0'>{items}</ul>"
        if coverage.warnings:
            shown = coverage.warnings[: 3 if not broken else 2]
            items = "".join(f"<li>{w}</li>" for w in shown)
            rest = len(coverage.warnings) - len(shown)
            more = f"<li>…and {rest} more (hover to read them all)</li>" if rest else ""
            title = "Capacity warnings" + (" (whole plan)" if keep is not None else "")
            html += f"<b style='color:{bad}'>{title}</b><ul style='margin:0'>{items}{more}</ul>"
        _set_text(self.warnings, html or "No capacity warnings; no governance rule broken.")
        self.warnings.setToolTip("<br>".join([*broken, *coverage.warnings]))

    def _show_scope(self, shown: int) -> None:
        """Which accounts the figures are about: all, or the filtered ones (and by what)."""
        plan = self.document.plan
        total = len(plan.accounts) if plan is not None else 0
        if self.filters.mask() is None:
            _set_text(self.scope_label, f"All {total:,} accounts")
            self.scope_label.setToolTip("")
            return
        how = " · ".join(escape(d) for d in self.filters.descriptions())
        _set_text(self.scope_label, f"<b>Filtered: {shown:,} of {total:,} accounts</b> · {how}")
        self.scope_label.setToolTip(how)

    def _show_turnover(self, turnover: list[TierTurnover]) -> None:
        """One line: each tier's turnover since the previous period, the ones over their limit in red."""
        previous = self.document.previous
        self.turnover_label.setVisible(previous is not None)
        if previous is None:
            return
        parts = []
        for t in turnover:
            if t.limit is None:  # tiers without a rule: in the tooltip only, the line stays short
                continue
            shown = f"{escape(t.tier)} {percent(t.share, 0)} (max {percent(t.limit, 0)})"
            parts.append(f"<b style='color:{colour(BAD)}'>{shown}</b>" if t.broken else shown)
        if not parts:
            parts = [f"{escape(t.tier)} {percent(t.share, 0)}" for t in turnover[:2]]
        _set_text(self.turnover_label, f"Turnover since {escape(previous.label)}: " + " · ".join(parts))
        self.turnover_label.setToolTip(
            f"Tier turnover since {escape(previous.title)}<br>"
            + "<br>".join(
                f"{escape(t.tier)}: {percent(t.share, 0)} ({t.before:,} before, {t.now:,} now; "
                f"{t.left:,} left, {t.joined:,} joined)"
                for t in turnover
            )
        )

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
        for chart in (self.by_role, self.by_tier):
            chart.setBackground(colour(PLOT_BACKGROUND))
            pen = pg.mkPen(colour(AXIS))
            for name in ("left", "bottom"):
                chart.getAxis(name).setPen(pen)
                chart.getAxis(name).setTextPen(pen)


def _set_text(label: QLabel, text: str) -> None:
    """Set a label's text only when it changes: rich-text relayout is the costliest part of a redraw."""
    if label.text() != text:
        label.setText(text)
