"""A balance proposal shown to the planner: the moves (account, from → to, workload, load and cost effect,
why), each checked to accept; every seller's load before and with the checked moves; what the proposal
could not do. Accepting returns the checked moves, applied by the caller as one undoable step."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tierdesk.domain.proposal import Proposal
from tierdesk.qt.formatting import format_money, percent, short_money, signed_money
from tierdesk.qt.models.frame_model import SORT_ROLE, ModelIndex

MOVE_HEADERS = ("Account", "From", "To", "Workload", "From's load", "To's load", "Cost", "Revenue", "Why")
MOVE_TIPS = (
    "Check the moves to accept",
    "The owner now",
    "The owner proposed",
    "The account's workload, in its covering role's unit",
    "The change in the load of the seller giving the account up (points of their capacity)",
    "The change in the load of the seller taking it",
    "The change in what covering the account costs (the new seller's role against the old one's)",
    "The account's revenue",
    "Why it moves",
)
NUMERIC = {3, 4, 5, 6, 7}


def _text(value: Any) -> str:
    missing = value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
    return "" if missing else str(value)


def _points(value: float) -> str:
    return "" if not math.isfinite(value) else f"{value * 100:+.0f} pts"


class MovesModel(QAbstractTableModel):
    """The proposal's moves, each with a check box (all checked at first). `checkedChanged()`."""

    checkedChanged = Signal()

    def __init__(self, proposal: Proposal, parent: Any = None) -> None:
        super().__init__(parent)
        self.moves = proposal.moves.reset_index(drop=True)
        self.checked = np.ones(len(self.moves), bool)
        names = self.moves["account_name"].where(self.moves["account_name"].notna(), self.moves["account_id"])
        self._account = [_text(v) for v in names.tolist()]
        self._from = [_text(v) or "No owner" for v in self.moves["from"].tolist()]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.moves)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(MOVE_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return MOVE_HEADERS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return MOVE_TIPS[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsUserCheckable if index.isValid() and index.column() == 0 else flags

    def _value(self, row: int, column: int) -> tuple[str, Any]:
        """(text, sort key) of a cell."""
        m = self.moves
        if column == 0:
            return self._account[row], self._account[row].casefold()
        if column == 1:
            return self._from[row], self._from[row].casefold()
        if column == 2:
            return str(m["to"].iat[row]), str(m["to"].iat[row]).casefold()
        key = ("workload", "load_from", "load_to", "cost", "revenue")[column - 3] if column < 8 else "why"
        value: Any = m[key].iat[row]
        if key == "why":
            return str(value), str(value)
        number = float(value)
        if key == "workload":
            text = f"{number:,.0f} {m['unit'].iat[row]}".strip()
        elif key in ("load_from", "load_to"):
            text = _points(number)
        elif key == "cost":
            text = signed_money(number) if math.isfinite(number) else ""
        else:
            text = format_money(number)
        return text, number if math.isfinite(number) else float("-inf")

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == 0:
            return Qt.CheckState.Checked if self.checked[row] else Qt.CheckState.Unchecked
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            text, key = self._value(row, column)
            return text if role == Qt.ItemDataRole.DisplayRole else key
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(self.moves["why"].iat[row])
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != 0 or role != Qt.ItemDataRole.CheckStateRole:
            return False
        state = Qt.CheckState(value) if isinstance(value, int) else value
        self.checked[index.row()] = state == Qt.CheckState.Checked
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.checkedChanged.emit()
        return True

    def check_all(self, checked: bool) -> None:
        self.checked[:] = checked
        if len(self.moves):
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.moves) - 1, 0))
        self.checkedChanged.emit()


class BalanceDialog(QDialog):
    """The proposal, its moves to check, and each seller's load before and with the checked moves."""

    def __init__(self, proposal: Proposal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Balance the books")
        self.proposal = proposal
        self.model = MovesModel(proposal, self)
        self.headline = QLabel(self)
        self.headline.setWordWrap(True)
        self.notes = QLabel("\n".join(proposal.messages), self)
        self.notes.setWordWrap(True)
        self.notes.setVisible(bool(proposal.messages))
        self.moves = self._moves_table()
        self.loads = QTableWidget(len(proposal.sellers), 4, self)
        self._fill_loads()
        self.check_all = QPushButton("Check All", self)
        self.check_none = QPushButton("Check None", self)
        self.check_all.clicked.connect(lambda: self.model.check_all(True))
        self.check_none.clicked.connect(lambda: self.model.check_all(False))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, parent=self)
        self.accept_button = self.buttons.addButton("Accept", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        bar = QHBoxLayout()
        bar.addWidget(self.check_all)
        bar.addWidget(self.check_none)
        bar.addStretch(1)
        bar.addWidget(self.buttons)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.moves)
        split.addWidget(self.loads)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 0)
        split.setSizes([1000, 270])
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.notes)
        layout.addWidget(split, 1)
        layout.addLayout(bar)
        self.model.checkedChanged.connect(self._update)
        self.resize(1290, 640)
        self._update()

    def _moves_table(self) -> QTableView:
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.model)
        proxy.setSortRole(SORT_ROLE)
        table = QTableView(self)
        table.setObjectName("moves")
        table.setModel(proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # in the order proposed until sorted
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)  # the reason reads whole in its tooltip
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        table.resizeColumnsToContents()
        header.resizeSection(0, min(header.sectionSize(0), 260))
        header.resizeSection(len(MOVE_HEADERS) - 1, 360)
        return table

    def _fill_loads(self) -> None:
        p, table = self.proposal, self.loads
        table.setObjectName("loads")
        table.setHorizontalHeaderLabels(["Seller", "Before", "After", "Target"])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        low, high = p.bands if len(p.bands[0]) == len(p.sellers) else (None, None)
        for i, name in enumerate(p.sellers):
            band = f"{percent(low[i])}–{percent(high[i])}" if low is not None and high is not None else ""
            for column, text in ((0, name), (1, percent(float(p.loads_before[i]))), (3, band)):
                table.setItem(i, column, QTableWidgetItem(text))
        table.resizeColumnsToContents()

    def picked(self) -> list[int]:
        """The positions of the checked moves in the proposal."""
        return np.flatnonzero(self.model.checked).tolist()

    def _update(self) -> None:
        p, picked = self.proposal, self.picked()
        after = p.loads_if(picked)
        spread = p.spread_if(picked)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for i, value in enumerate(after.tolist()):
            item = QTableWidgetItem(percent(value))
            item.setTextAlignment(right)
            self.loads.setItem(i, 2, item)
        loads = self.loads
        loads.resizeColumnsToContents()
        bar = loads.verticalScrollBar().sizeHint().width()
        loads.setMinimumWidth(loads.horizontalHeader().length() + bar + 2 * loads.frameWidth())
        revenue = float(p.moves["revenue"].iloc[picked].sum()) if picked else 0.0
        count = len(picked)
        self.headline.setText(
            f"<b>{count:,} of {p.moved_accounts:,} moves</b> checked ({short_money(revenue)} revenue). "
            f"Load spread <b>{percent(p.before.spread)} → {percent(spread.spread)}</b>; most over capacity "
            f"{percent(p.before.max_over)} → {percent(spread.max_over)}; most under "
            f"{percent(p.before.max_under)} → {percent(spread.max_under)}. "
            f"No proposal as good moves fewer than {p.lower_bound:,}."
        )
        self.accept_button.setText(f"Accept {count:,} Move{'s' if count != 1 else ''}")
        self.accept_button.setEnabled(count > 0)
