"""The History panel: every recorded change of the plan, newest first, filtered by account, owner and kind."""

from __future__ import annotations

from typing import Any

import pandas as pd
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tierdesk.domain.history import COLUMNS, HEADERS, KINDS, empty_history, filter_history
from tierdesk.qt.document import PlanDocument

ALL = ""  # the combo entries' data meaning "no filter"
_Index = QModelIndex | QPersistentModelIndex


class HistoryModel(QAbstractTableModel):
    """A history frame (history.COLUMNS) as a table; texts prepared once per refresh."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._frame = empty_history()
        self._texts: list[list[str]] = []
        self._sort: list[list[Any]] = []

    def set_frame(self, frame: pd.DataFrame) -> None:
        self.beginResetModel()
        self._frame = frame
        times = frame["time"]
        shown = times.dt.strftime("%Y-%m-%d %H:%M:%S").fillna("").tolist()
        self._texts = [shown] + [frame[c].fillna("").astype(str).tolist() for c in COLUMNS[1:]]
        self._sort = [times.astype("int64").tolist(), *self._texts[1:]]
        self.endResetModel()

    def frame(self) -> pd.DataFrame:
        return self._frame

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._frame)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._texts[index.column()][index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return self._sort[index.column()][index.row()]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[COLUMNS[section]]
        return None


class HistoryView(QWidget):
    """The plan's change history with an account search, an owner choice and a kind choice."""

    def __init__(self, document: PlanDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search account ID or name…")
        self.search.setClearButtonEnabled(True)
        self.owner = QComboBox(self)
        self.kind = QComboBox(self)
        for combo in (self.owner, self.kind):  # long owner names must not widen the window
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(4)
        self.kind.addItem("All kinds", ALL)
        for k in KINDS:
            self.kind.addItem(k.capitalize(), k)
        self.owner.addItem("All owners", ALL)
        self.count = QLabel(self)
        self.model = HistoryModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)  # palette colours: readable light and dark
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 2)
        bar.addWidget(QLabel("Owner:", self))
        bar.addWidget(self.owner, 1)
        bar.addWidget(QLabel("Kind:", self))
        bar.addWidget(self.kind, 1)
        self.count.setMinimumWidth(60)
        self.count.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        bar.addWidget(self.count, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.table)

        self.search.textChanged.connect(self.refresh)
        self.owner.currentIndexChanged.connect(self.refresh)
        self.kind.currentIndexChanged.connect(self.refresh)
        document.changed.connect(self._changed)
        document.replaced.connect(self._changed)
        self._stale = True
        self.refresh()

    def history(self) -> pd.DataFrame:
        plan = self.document.plan
        return plan.history if plan is not None else empty_history()

    def shown(self) -> pd.DataFrame:
        """The rows the filters keep."""
        return self.model.frame()

    def _changed(self, *_: object) -> None:
        """Refresh now if the panel is on screen, else when it is next shown (the history only grows)."""
        self._stale = True
        if self.isVisible() and not self.visibleRegion().isEmpty():  # a dock behind another tab is "visible"
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def on_screen(self, shown: bool) -> None:
        """Connect to the dock's visibilityChanged: a tabbed dock brought to the front is not "shown"."""
        if shown and self._stale:
            self.refresh()

    def refresh(self, *_: object) -> None:
        self._stale = False
        history = self.history()
        self._fill_owners(history)
        shown = filter_history(
            history,
            account=self.search.text().strip() or None,
            owner=self.owner.currentData() or None,
            kind=self.kind.currentData() or None,
        )
        self.model.set_frame(shown)
        self.count.setText(f"{len(shown):,} of {len(history):,} changes")

    def _fill_owners(self, history: pd.DataFrame) -> None:
        owners = sorted(o for o in history["owner"].dropna().unique().tolist() if o)
        have = [self.owner.itemData(i) for i in range(1, self.owner.count())]
        if owners == have:
            return
        current = self.owner.currentData()
        self.owner.blockSignals(True)
        try:
            self.owner.clear()
            self.owner.addItem("All owners", ALL)
            for o in owners:
                self.owner.addItem(o, o)
            at = self.owner.findData(current)
            self.owner.setCurrentIndex(max(at, 0))
        finally:
            self.owner.blockSignals(False)
