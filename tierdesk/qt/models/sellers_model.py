"""The sellers' books as a table: one row per seller (accounts, load against capacity, the change since the
plan opened, revenue, potential, the seller's own settings), then owners the sellers table lacks, then the
accounts without an owner. The model follows the document's changes; what a planner types into a seller's
cell is only reported (`edited`), for the seller commands to apply as an undoable edit."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from tierdesk.domain.changes import Change, Changed
from tierdesk.domain.workload import NO_OWNER, Books, book_table, books
from tierdesk.qt.document import PlanDocument
from tierdesk.qt.formatting import format_money, percent
from tierdesk.qt.models.frame_model import SORT_ROLE, ModelIndex

#: What changes a book: who owns what, the sellers, and what each account weighs (its tier and role).
BOOK_CHANGES = (
    Changed.OWNER
    | Changed.SELLERS
    | Changed.KEEP_OWNER
    | Changed.TIER
    | Changed.ROLE
    | Changed.PERSONA
    | Changed.PLAYBOOK
    | Changed.WALLET
)
LOAD_ROLE = int(Qt.ItemDataRole.UserRole) + 31  # (load, low, high) for the load bar; NaN load: no capacity


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    tip: str = ""
    editable: bool = False


COLUMNS = (
    Column("seller", "Seller", "The seller (type to rename: their accounts follow)", True),
    Column("role", "Role", "The seller's role in the playbook (a guess is marked so)", True),
    Column("accounts", "Accounts", "Accounts held"),
    Column("load", "Load", "Workload over capacity: 100% is a full book"),
    Column("change", "Since opened", "The change in load since the plan was opened"),
    Column("workload", "Workload", "The book's workload in the role's unit"),
    Column("capacity", "Capacity", "In the role's unit; empty: the role's capacity", True),
    Column("revenue", "Revenue", "Revenue of the accounts held"),
    Column("potential", "Potential", "Growth potential of the accounts held"),
    Column("locked", "Owner kept", "Accounts whose owner balancing keeps (locked, or the playbook's rule)"),
    Column("region", "Region", "Only accounts of this region (empty: any)", True),
    Column("territory", "Territory", "Only accounts of this territory (empty: any)", True),
    Column("max_accounts", "Max accounts", "At most this many accounts (empty: no limit)", True),
    Column("takes_new", "Takes new", "Balancing may give the seller accounts", True),
)
KEYS = tuple(c.key for c in COLUMNS)


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


class SellersModel(QAbstractTableModel):
    """The books, per seller. `edited(seller, field, value)`: a value typed into a seller's cell (the field
    a Seller attribute: name, role, capacity, region, territory, max_accounts, takes_new; value as typed)."""

    edited = Signal(str, str, object)

    def __init__(self, document: PlanDocument, parent: Any = None) -> None:
        super().__init__(parent)
        self.document = document
        self.table = pd.DataFrame(columns=["seller"])
        self.books: Books | None = None
        self.tolerance = 0.1
        self._opened: dict[str, float] = {}  # each seller's load when the plan was opened
        document.replaced.connect(self._replaced)
        document.changed.connect(self._changed)
        self._replaced()

    # following the plan ----------------------------------------------------------------------------
    def _replaced(self) -> None:
        self.refresh()
        loads = self.table["load"] if "load" in self.table else pd.Series(dtype=float)
        self._opened = {
            str(s): float(v) for s, v in zip(self.table["seller"], loads, strict=True) if not _missing(v)
        }
        self._emit_all()

    def _changed(self, change: Change) -> None:
        if change.touches(BOOK_CHANGES):
            self.refresh()

    def refresh(self) -> None:
        """Read the books again. Rows are reset only when their number changes: a seller renamed in place
        keeps their row (a reset would take the editor that typed the name from under Qt's feet)."""
        plan = self.document.plan
        before = len(self.table)
        if plan is None:
            self.books, table = None, pd.DataFrame(columns=["seller"])
        else:
            self.books = books(plan)
            self.tolerance = plan.playbook.sellers.tolerance
            table = book_table(self.books)
        if len(table) == before:
            self.table = table
            self._emit_all()
            return
        self.beginResetModel()
        self.table = table
        self.endResetModel()

    def _emit_all(self) -> None:
        if len(self.table):
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.table) - 1, len(COLUMNS) - 1))

    # what a row is -----------------------------------------------------------------------------------
    def in_team(self, row: int) -> bool:
        return 0 <= row < len(self.table) and bool(self.table["in_team"].iat[row])

    def seller_at(self, row: int) -> str:
        return str(self.table["seller"].iat[row])

    def row_of(self, seller: str) -> int:
        matches = np.flatnonzero(self.table["seller"].astype(str).to_numpy() == seller)
        return int(matches[0]) if len(matches) else -1

    def account_rows(self, row: int) -> np.ndarray:
        """The account rows of the book at `row`: a seller's, an owner's outside the team, or those without
        an owner."""
        b = self.books
        if b is None or not 0 <= row < len(self.table):
            return np.zeros(0, np.int64)
        m = len(b.sellers)
        if row < m:
            return np.flatnonzero(b.owner == row)
        if self.seller_at(row) == NO_OWNER and row == len(self.table) - 1 and (b.owner == -1).any():
            return np.flatnonzero(b.owner == -1)
        return np.flatnonzero((b.owner == -2) & (b.outside_code == row - m))

    def opened_load(self, seller: str) -> float | None:
        return self._opened.get(seller)

    # the Qt model ------------------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.table)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].header
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMNS[section].tip
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid():
            return base | Qt.ItemFlag.ItemIsDropEnabled
        base |= Qt.ItemFlag.ItemIsDropEnabled
        column = COLUMNS[index.column()]
        if not column.editable or not self.in_team(index.row()):
            return base
        if column.key == "takes_new":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def value(self, row: int, key: str) -> Any:
        """The value of a cell (the change in load: NaN for a seller who was not there when opened)."""
        if key == "change":
            now: Any = self.table["load"].iat[row]
            then = self._opened.get(self.seller_at(row))
            return float("nan") if then is None or _missing(now) else float(now) - then
        return self.table[key].iat[row] if key in self.table else None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.table):
            return None
        row, key = index.row(), COLUMNS[index.column()].key
        value = self.value(row, key)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, key, value)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_text(row, key, value)
        if role == SORT_ROLE:
            return self._sort_key(key, value)
        if role == LOAD_ROLE and key == "load":
            return (float("nan") if _missing(value) else float(value), self.tolerance)
        if role == Qt.ItemDataRole.CheckStateRole and key == "takes_new" and self.in_team(row):
            return Qt.CheckState.Checked if bool(value) else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole and key not in ("seller", "role", "region", "territory"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and not self.in_team(row):
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(row, key)
        return None

    def _text(self, row: int, key: str, value: Any) -> str:
        if key == "takes_new" or (_missing(value) and key != "change"):
            return ""
        if key == "seller":
            return "No owner" if not self.in_team(row) and value == NO_OWNER else str(value)
        if key == "role":
            return f"{value} (guessed)" if bool(self.table["role_guessed"].iat[row]) else str(value)
        if key in ("accounts", "locked", "max_accounts"):
            return f"{int(value):,}"
        if key == "load":
            return percent(float(value))
        if key == "change":
            return "" if _missing(value) or abs(value) < 0.005 else f"{value * 100:+.0f} pts"
        if key in ("workload", "capacity"):
            unit = self.table["unit"].iat[row]
            return f"{float(value):,.0f} {unit}".strip()
        if key in ("revenue", "potential"):
            return format_money(float(value))
        return str(value)

    def _edit_text(self, row: int, key: str, value: Any) -> Any:
        if key == "capacity":
            b = self.books
            given = b.sellers[row].capacity if b is not None and row < len(b.sellers) else None
            return "" if given is None else f"{given:g}"
        if key == "max_accounts":
            return "" if _missing(value) else str(int(value))
        return "" if _missing(value) else str(value)

    @staticmethod
    def _sort_key(key: str, value: Any) -> Any:
        if key in ("seller", "role", "region", "territory"):
            return "" if _missing(value) else str(value).casefold()
        if key == "takes_new":
            return int(bool(value))
        return float("-inf") if _missing(value) else float(value)

    def _tip(self, row: int, key: str) -> str:
        if not self.in_team(row):
            if self.seller_at(row) == NO_OWNER:
                return "Accounts without an owner: balancing gives them one"
            return "An owner in the file who is not in the sellers table: balancing moves their accounts"
        if key == "role" and bool(self.table["role_guessed"].iat[row]):
            return "Guessed from the accounts the seller holds: choose the role to confirm it"
        if key in ("load", "change"):
            then = self._opened.get(self.seller_at(row))
            now: Any = self.table["load"].iat[row]
            was = f"; {percent(then)} when the plan was opened" if then is not None else ""
            return f"{percent(float(now))} of capacity{was}" if not _missing(now) else "No capacity"
        return COLUMNS[KEYS.index(key)].tip

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not self.in_team(index.row()) or not COLUMNS[index.column()].editable:
            return False
        key = COLUMNS[index.column()].key
        seller = self.seller_at(index.row())
        if key == "takes_new":
            if role != Qt.ItemDataRole.CheckStateRole:
                return False
            state = Qt.CheckState(value) if isinstance(value, int) else value
            self.edited.emit(seller, "takes_new", state == Qt.CheckState.Checked)
            return True
        if role != Qt.ItemDataRole.EditRole:
            return False
        self.edited.emit(seller, "name" if key == "seller" else key, str(value).strip())
        return True
