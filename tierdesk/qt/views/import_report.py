"""The Import report panel: every problem found while loading, sortable, copyable, exportable to CSV."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tierdesk.io.report import Issue
from tierdesk.qt.prompts import Prompts

HEADERS = ("Severity", "Sheet", "Row", "Column", "Message")
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


class IssuesModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._issues: list[Issue] = []

    def set_issues(self, issues: Sequence[Issue]) -> None:
        self.beginResetModel()
        self._issues = list(issues)
        self.endResetModel()

    def issues(self) -> list[Issue]:
        return list(self._issues)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._issues)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        issue = self._issues[index.row()]
        values = (
            issue.severity.capitalize(),
            issue.sheet or "",
            issue.row,
            issue.column or "",
            issue.message,
        )
        value = values[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 4:
            return issue.message
        if role == Qt.ItemDataRole.UserRole:  # sort key
            if index.column() == 0:
                return SEVERITY_ORDER.get(issue.severity, 3)
            if index.column() == 2:
                return -1 if issue.row is None else issue.row
            return "" if value is None else str(value).casefold()
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None


def issues_as_rows(issues: Sequence[Issue]) -> list[list[str]]:
    return [
        [i.severity, i.sheet or "", "" if i.row is None else str(i.row), i.column or "", i.message]
        for i in issues
    ]


class ImportReportPanel(QWidget):
    """Lists import issues; Ctrl+C copies the selected rows as tab-separated text."""

    def __init__(self, prompts: Prompts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prompts = prompts
        self.model = IssuesModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.summary = QLabel("No file loaded", self)
        self.copy_button = QPushButton("Copy", self)
        self.export_button = QPushButton("Export CSV…", self)
        self.copy_button.clicked.connect(self.copy_selection)
        self.export_button.clicked.connect(self._ask_export)
        QShortcut(QKeySequence.StandardKey.Copy, self.table, self.copy_selection)
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.copy_button)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.table)

    def set_issues(self, issues: Sequence[Issue], source: str = "") -> None:
        self.model.set_issues(issues)
        counts = {s: sum(1 for i in issues if i.severity == s) for s in ("error", "warning", "info")}
        if not issues:
            self.summary.setText(f"No problems found in {source}" if source else "No problems found")
        else:
            parts = [f"{n:,} {name}{'s' if n != 1 else ''}" for name, n in counts.items() if n]
            self.summary.setText(", ".join(parts) + (f" in {source}" if source else ""))
        self.export_button.setEnabled(bool(issues))

    def selected_issues(self) -> list[Issue]:
        rows = sorted({self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()})
        issues = self.model.issues()
        return [issues[r] for r in rows] if rows else issues

    def copy_selection(self) -> None:
        rows = [list(HEADERS), *issues_as_rows(self.selected_issues())]
        QApplication.clipboard().setText("\n".join("\t".join(r) for r in rows))

    def export_csv(self, path: Path) -> None:
        with path.open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADERS)
            for row in issues_as_rows(self.model.issues()):
                writer.writerow([_csv_safe(cell) for cell in row])

    def _ask_export(self) -> None:
        path = self.prompts.save_path("Export import report", "import-report.csv", "CSV (*.csv)")
        if path is not None:
            self.export_csv(path)


def _csv_safe(cell: str) -> str:
    """Cells a spreadsheet would run as formulas are written as literal text."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
