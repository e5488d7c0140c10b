"""The objectives of the selected accounts as an editable table; every edit goes through the plan's undo."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt

from tierdesk.domain.objectives import KIND_LABELS, OBJECTIVE_KINDS, STATUSES
from tierdesk.domain.plan_objectives import set_objective
from tierdesk.qt.document import PlanDocument

ModelIndex = QModelIndex | QPersistentModelIndex
# (field in the objective table, header); "account" is the account's name, read-only
COLUMNS: tuple[tuple[str, str], ...] = (
    ("account", "Account"),
    ("kind", "Kind"),
    ("description", "Objective"),
    ("target", "Target"),
    ("target_text", "Target (words)"),
    ("due", "Due"),
    ("status", "Status"),
    ("notes", "Notes"),
)
CHOICES: dict[str, tuple[tuple[str, str], ...]] = {
    "kind": tuple((k, KIND_LABELS.get(k, k)) for k in OBJECTIVE_KINDS),
    "status": tuple((s, s) for s in STATUSES),
}
CHOICES_ROLE = int(Qt.ItemDataRole.UserRole) + 10


class ObjectivesModel(QAbstractTableModel):
    """Rows are the objectives of the accounts shown (frame rows), in objective-id order."""

    def __init__(self, document: PlanDocument, parent: Any = None) -> None:
        super().__init__(parent)
        self.document = document
        self._accounts = np.zeros(0, dtype=np.int64)
        self._rows = pd.DataFrame()
        self._names: dict[str, str] = {}

    def show_accounts(self, rows: np.ndarray) -> None:
        self._accounts = np.asarray(rows, dtype=np.int64)
        self.refresh()

    def refresh(self) -> None:
        """Show the objectives as they are now. When the same objectives are listed (one was edited), the
        rows update in place: an editor being closed and the table's selection stay as they were."""
        plan = self.document.plan
        rows, names = pd.DataFrame(), {}
        if plan is not None and len(self._accounts) and "account_id" in plan.accounts:
            ids = plan.accounts["account_id"].iloc[self._accounts].astype("string")
            account_names = plan.accounts["account_name"].iloc[self._accounts].astype("string")
            names = dict(zip(ids.tolist(), account_names.tolist(), strict=True))
            table = plan.objectives
            rows = table[table["account_id"].isin(ids)].reset_index(drop=True)
        if len(rows) and self._listed() == rows["objective_id"].tolist():
            self._rows, self._names = rows, names
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(COLUMNS) - 1))
            return
        self.beginResetModel()
        self._rows, self._names = rows, names
        self.endResetModel()

    def _listed(self) -> list[int]:
        return self._rows["objective_id"].tolist() if "objective_id" in self._rows else []

    def objective_id(self, row: int) -> int:
        value: Any = self._rows["objective_id"].iat[row]
        return int(value)

    def account_count(self) -> int:
        return len(self._accounts)

    # Qt model protocol ----------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and COLUMNS[index.column()][0] != "account":
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        field = COLUMNS[index.column()][0]
        row = self._rows.iloc[index.row()]
        value: Any = (
            self._names.get(str(row["account_id"]), str(row["account_id"]))
            if field == "account"
            else row[field]
        )
        if role == Qt.ItemDataRole.DisplayRole:
            return _shown(field, value)
        if role == Qt.ItemDataRole.EditRole:
            if field == "due":
                return (
                    QDate(value.year, value.month, value.day) if not pd.isna(value) else QDate.currentDate()
                )
            if field == "target":  # text, so the editor is a line edit (a spin box would cap the number)
                return "" if pd.isna(value) else f"{float(value):g}"
            return "" if pd.isna(value) else str(value)
        if role == Qt.ItemDataRole.ToolTipRole and field in ("description", "notes", "target_text"):
            return None if pd.isna(value) or not str(value) else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and field == "target":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == CHOICES_ROLE:
            return CHOICES.get(field)
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        field = COLUMNS[index.column()][0]
        parsed = _parsed(field, value)
        if parsed is _INVALID:
            return False
        try:
            self.document.apply(set_objective(self.objective_id(index.row()), field, parsed))
        except (ValueError, KeyError):
            return False
        return True


_INVALID = object()


def _shown(field: str, value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if field == "kind":
        return KIND_LABELS.get(str(value), str(value))
    if field == "due":
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if field == "target":
        number = float(value)
        return f"{number:,.0f}" if number.is_integer() or abs(number) >= 1000 else f"{number:,.2f}"
    return str(value)


def _parsed(field: str, value: Any) -> Any:
    """A value from an editor in the form the domain edit takes; _INVALID when it cannot be one."""
    if field == "due":
        if isinstance(value, QDate):
            return dt.date(value.year(), value.month(), value.day()) if value.isValid() else None
        return _INVALID
    if field == "target":
        if value in (None, ""):
            return None
        try:
            number = float(str(value).replace(",", "").replace("$", "").strip())
        except ValueError:
            return _INVALID
        return number if math.isfinite(number) else _INVALID
    return str(value)
