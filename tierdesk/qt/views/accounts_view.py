"""The accounts table with free-text search and per-column value filters.

The search and the column filters are parts of the window's AccountFilter, like the filter bar's and the
pyramid's: the table, the matrix, the pyramid, the coverage and the counts all show the same accounts."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QItemSelection, QItemSelectionModel, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tierdesk.domain.accounts import label
from tierdesk.qt.dialogs.value_filter import ValueFilterDialog
from tierdesk.qt.document import AccountFilter, AccountSelection
from tierdesk.qt.formatting import menu_text
from tierdesk.qt.models.accounts_model import AccountsModel


class AccountsView(QWidget):
    """Search box, a 'clear filters' button and the table. Right-click a header to filter its values."""

    countsChanged = Signal(int, int)  # shown, total
    SEARCH, COLUMNS = "search", "columns"  # their parts of the AccountFilter
    rowMenuRequested = Signal(int, QPoint)  # right-click on an account: its frame row, where (global)

    def __init__(self, model: AccountsModel, filters: AccountFilter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model, self.filters = model, filters
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search accounts (name, id, owner, territory…)")
        self.search.setClearButtonEnabled(True)
        self.search.setObjectName("accountSearch")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(lambda: self.set_search(self.search.text()))
        self.search.textChanged.connect(self._search_timer.start)
        self.clear_button = QToolButton(self)
        self.clear_button.setText("Clear filters")
        self.clear_button.setToolTip("Show every account: clears the search and every filter, wherever set")
        self.clear_button.clicked.connect(self.clear_filters)
        self.count_label = QLabel(self)

        self.table = QTableView(self)
        self.table.setModel(model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setDragEnabled(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 5)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        header.setDefaultSectionSize(120)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._row_menu)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.clear_button)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        model.visibleRowsChanged.connect(self._update_counts)
        self._fit_timer = QTimer(self)  # column widths after the rows are in: a separate, short step
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(20)
        self._fit_timer.timeout.connect(self._fit_columns)
        model.modelReset.connect(self._fit_timer.start)
        filters.changed.connect(self._filters_changed)
        self._update_counts()

    # filters ---------------------------------------------------------------------------
    def clear_filters(self) -> None:
        """Every filter off, the table's and the others' (one filter, shown the same everywhere)."""
        self._search_timer.stop()
        self.filters.clear()

    def set_search(self, text: str) -> None:
        text = text.strip()
        if not text or not self.model.total_rows():
            self.filters.set_part(self.SEARCH, None)
        else:
            self.filters.set_part(self.SEARCH, self.model.search_mask(text), f"Search: {text}", text)

    def column_filters(self) -> dict[str, frozenset[str]]:
        return self.filters.chosen_values(self.COLUMNS)

    def value_filter(self, column: str) -> frozenset[str] | None:
        return self.column_filters().get(column)

    def set_value_filter(self, column: str, values: frozenset[str] | set[str] | None) -> None:
        """Show only accounts whose `column` shows one of `values` (None: that column unfiltered)."""
        chosen = self.column_filters()
        if values is None:
            chosen.pop(column, None)
        else:
            chosen[column] = frozenset(values)
        if not chosen or not self.model.total_rows():
            self.filters.set_part(self.COLUMNS, None)
            return
        mask = np.logical_and.reduce([self.model.values_mask(c, v) for c, v in chosen.items()])
        text = "; ".join(f"{label(c)}: {', '.join(sorted(v)[:3])}" for c, v in chosen.items())
        self.filters.set_part(self.COLUMNS, mask, text, chosen)

    def _filters_changed(self) -> None:
        searched = self.filters.choice(self.SEARCH)
        if not searched and self.search.text().strip() and not self._search_timer.isActive():
            self.search.blockSignals(True)  # cleared elsewhere ("Clear all"): the box shows it
            self.search.clear()
            self.search.blockSignals(False)
        self.model.set_filtered_columns(self.column_filters())
        self.model.set_external_mask(self.filters.mask())

    def filter_column(self, column: str) -> None:
        dialog = ValueFilterDialog(
            label(column), self.model.distinct_values(column), self.value_filter(column), self
        )
        if dialog.exec():
            self.set_value_filter(column, dialog.chosen())

    def _header_menu(self, pos: QPoint) -> None:
        section = self.table.horizontalHeader().logicalIndexAt(pos)
        if section < 0:
            return
        column = self.model.columns()[section]
        menu = QMenu(self)
        filter_action = QAction(menu_text(f"Filter {label(column)}…"), menu)
        filter_action.triggered.connect(lambda: self.filter_column(column))
        menu.addAction(filter_action)
        if self.value_filter(column) is not None:
            clear = QAction(menu_text(f"Clear filter on {label(column)}"), menu)
            clear.triggered.connect(lambda: self.set_value_filter(column, None))
            menu.addAction(clear)
        menu.exec(self.table.horizontalHeader().mapToGlobal(pos))

    def _row_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            row = int(self.model.selected_frame_rows([index.row()])[0])
            self.rowMenuRequested.emit(row, self.table.viewport().mapToGlobal(pos))

    def _update_counts(self) -> None:
        shown, total = self.model.rowCount(), self.model.total_rows()
        self.count_label.setText(
            f"{shown:,} of {total:,} accounts" if shown != total else f"{total:,} accounts"
        )
        self.clear_button.setEnabled(self.filters.mask() is not None)
        self.countsChanged.emit(shown, total)

    def fitting(self) -> bool:
        """Column widths are still to be fitted to new rows."""
        return self._fit_timer.isActive()

    def _fit_columns(self) -> None:
        header = self.table.horizontalHeader()
        metrics = self.fontMetrics()
        for section, column in enumerate(self.model.columns()):
            sample = [
                self.model.data(self.model.index(r, section)) or ""
                for r in range(min(12, self.model.rowCount()))
            ]
            widest = max(
                [
                    metrics.horizontalAdvance(label(column)) + 28,
                    *(metrics.horizontalAdvance(s) + 16 for s in sample),
                ]
            )
            header.resizeSection(section, min(max(widest, 60), 320))


class TableSelectionLink:
    """Keeps the table's row selection and the shared AccountSelection in step, both ways."""

    SOURCE = "table"
    MAX_RANGES = 20_000  # beyond this many separate runs the table does not mirror the selection

    def __init__(self, view: AccountsView, selection: AccountSelection) -> None:
        self.view, self.selection = view, selection
        self._syncing = False
        view.table.selectionModel().selectionChanged.connect(self._table_changed)
        view.model.modelReset.connect(self._show_shared)
        view.model.layoutChanged.connect(self._show_shared)
        selection.changed.connect(self._shared_changed)

    def _table_changed(self, *_args: object) -> None:
        if self._syncing:
            return
        view_rows = sorted({i.row() for i in self.view.table.selectionModel().selectedRows()})
        self.selection.set_rows(self.view.model.selected_frame_rows(view_rows), self.SOURCE)

    def _shared_changed(self, source: str) -> None:
        if source != self.SOURCE:
            self._show_shared()

    def _show_shared(self) -> None:
        model = self.view.model
        rows = self.selection.rows()
        positions = np.sort(model.view_rows(rows))
        positions = positions[positions >= 0]
        selection = QItemSelection()
        if len(positions):
            breaks = np.flatnonzero(np.diff(positions) != 1)
            starts = np.r_[positions[0], positions[breaks + 1]]
            ends = np.r_[positions[breaks], positions[-1]]
            if len(starts) <= self.MAX_RANGES:
                last = model.columnCount() - 1
                for start, end in zip(starts, ends, strict=True):
                    selection.select(model.index(int(start), 0), model.index(int(end), last))
        self._syncing = True
        try:
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            self.view.table.selectionModel().select(selection, flags)
            if len(positions) == 1:
                self.view.table.scrollTo(model.index(int(positions[0]), 0))
        finally:
            self._syncing = False
