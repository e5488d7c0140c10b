"""A small read-only table model over a DataFrame (reports: comparisons, progress), sortable via a proxy."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from tierdesk.qt.formatting import format_money

ModelIndex = QModelIndex | QPersistentModelIndex
SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 20


class FrameModel(QAbstractTableModel):
    """Columns are (frame column, header, kind) with kind in text, number, money, percent, date."""

    def __init__(self, columns: list[tuple[str, str, str]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self.frame = pd.DataFrame()

    def set_frame(self, frame: pd.DataFrame) -> None:
        self.beginResetModel()
        self.frame = frame.reset_index(drop=True)
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.frame)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section][1]
        return None

    def value(self, row: int, column: str) -> Any:
        return self.frame[column].iat[row] if column in self.frame else None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        name, _header, kind = self.columns[index.column()]
        value = self.value(index.row(), name)
        if role == Qt.ItemDataRole.DisplayRole:
            return shown(value, kind)
        if role == SORT_ROLE:
            if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
                return float("-inf") if kind != "text" else ""
            return float(value) if kind in ("number", "money", "percent") else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and kind in ("number", "money", "percent"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def shown(value: Any, kind: str) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float | np.floating) and math.isnan(float(value)):
        return ""
    if kind == "money":
        return format_money(float(value))
    if kind == "percent":
        return f"{float(value) * 100:.0f}%"
    if kind == "number":
        number = float(value)
        return f"{number:,.0f}" if number.is_integer() else f"{number:,.1f}"
    if kind == "date":
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    return str(value)
