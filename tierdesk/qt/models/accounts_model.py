"""The accounts table: a QAbstractTableModel over the account frame, sorted and filtered with numpy.

QSortFilterProxyModel would call back into Python for every comparison and every row (seconds at 100,000
accounts); here sorting is one argsort of a cached key column and filtering one boolean mask, so the
view stays instant. The model exposes Qt's own sort protocol, so QTableView's header sorting just works.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from tierdesk.domain.accounts import FIELD_BY_KEY, label
from tierdesk.domain.changes import Change
from tierdesk.qt.document import PlanDocument
from tierdesk.qt.formatting import format_money
from tierdesk.qt.mime import ROWS_MIME, rows_mime
from tierdesk.qt.models.plan_columns import PlanColumns, file_columns, plan_columns

HIDDEN_COLUMNS = frozenset({"source_row"})
FILL_DELAY_MS = 60  # a new plan's table fills after the other views have painted it
LARGE_CHANGE = 5000  # a change to more rows than this repaints whole columns
#: kinds of the plan's own columns that are not account fields (the rest are names: text)
PLAN_COLUMN_KINDS = {"Wallet": "money"}
PLAN_HEADER_TIPS = {
    "Wallet": "The account's total spend in our category, as the plan uses it: the file's, an estimate, or "
    "your own figure. Double-click to type yours; empty it to go back.",
    "Wallet Source": "Where the wallet came from: file, peers, firmographic or planner.",
}
ModelIndex = QModelIndex | QPersistentModelIndex

ACCOUNT_ROW_ROLE = int(Qt.ItemDataRole.UserRole) + 1
SORT_KEY_ROLE = int(Qt.ItemDataRole.UserRole) + 2


def format_value(value: Any, kind: str | None) -> str:
    """A cell as a planner reads it: money with a symbol, percent, dates without a clock."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float | np.floating | np.datetime64) and pd.isna(value):
        return ""
    if kind == "money":
        return format_money(float(value))
    if kind == "percent":
        return f"{float(value) * 100:.1f}%"
    if kind == "number" or (kind is None and isinstance(value, float | np.floating)):
        number = float(value)
        return f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}"
    if kind == "date" and isinstance(value, pd.Timestamp | np.datetime64):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if kind == "flag" or isinstance(value, bool | np.bool_):
        return "Yes" if bool(value) else "No"
    return str(value)


class AccountsModel(QAbstractTableModel):
    """Rows are accounts in display order; `account_row()` maps a view row back to the frame position."""

    visibleRowsChanged = Signal()
    #: a value typed into an editable column: (column, account row, text typed)
    cellTyped = Signal(str, int, str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._frame = pd.DataFrame()
        self._columns: list[str] = []
        self._kinds: list[str | None] = []
        self._align: list[int] = []
        self._arrays: list[np.ndarray | pd.Categorical[Any]] = []  # a Categorical cell reads as its name
        self._order = np.zeros(0, dtype=np.int64)
        self._position = np.zeros(0, dtype=np.int64)  # frame row -> view row, -1 if hidden
        self._sort_keys: dict[int, np.ndarray] = {}
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._mask: np.ndarray | None = None  # the window's filter (AccountFilter): True keeps a row
        self._filtered_columns: frozenset[str] = frozenset()  # marked in their headers
        self._editable: frozenset[str] = frozenset()
        self._tips: dict[str, Callable[[int], str]] = {}
        self._document: PlanDocument | None = None

    def follow(self, document: PlanDocument) -> None:
        """Show the document's plan: its accounts when a plan is set (on a later turn of the event loop,
        after the other views have drawn it), its plan columns again after every change."""
        self._document = document
        document.replaced.connect(self._replaced)
        document.changed.connect(self._plan_changed)

    def _replaced(self) -> None:
        # the delay counts from the next turn of the event loop: after every view has drawn the new plan
        QTimer.singleShot(0, self, lambda: QTimer.singleShot(FILL_DELAY_MS, self, self._fill))

    def _fill(self) -> None:
        document = self._document
        plan = document.plan if document is not None else None
        if plan is None:
            return
        source = document.source if document is not None else None
        # the accounts as the file gave them: the table shows what was read (the plan's own are the same rows)
        frame = source.accounts if source is not None and len(source.accounts) == len(plan.accounts) else None
        self.set_frame(plan.accounts if frame is None else frame, plan_columns(plan))

    def _plan_changed(self, change: Change) -> None:
        plan = self._document.plan if self._document is not None else None
        if plan is None or len(self._frame) != len(plan.accounts):
            return  # not filled yet: the fill shows the plan as it is then
        rows = change.rows if change.rows is not None and len(change.rows) < LARGE_CHANGE else None
        self.update_plan_columns(plan_columns(plan, change.what) | file_columns(plan, change.what), rows)

    def set_editable(self, columns: Iterable[str]) -> None:
        """Columns a planner may type into; the model only reports what was typed (cellTyped)."""
        self._editable = frozenset(columns)

    def set_cell_tip(self, column: str, tip: Callable[[int], str] | None) -> None:
        """A tooltip per account row for one column (e.g. where its wallet came from)."""
        if tip is None:
            self._tips.pop(column, None)
        else:
            self._tips[column] = tip

    # the frame ------------------------------------------------------------
    def set_frame(self, frame: pd.DataFrame, plan_columns: PlanColumns | None = None) -> None:
        """Show `frame`; `plan_columns` (tier, persona…) go right after the account name."""
        self.beginResetModel()
        self._frame = frame.reset_index(drop=True)
        columns = [c for c in self._frame.columns if c not in HIDDEN_COLUMNS]
        if plan_columns:
            self._frame = self._frame.copy()
            for name, values in plan_columns.items():
                self._frame[name] = values
            at = columns.index("account_name") + 1 if "account_name" in columns else 0
            columns = columns[:at] + list(plan_columns) + [c for c in columns[at:] if c not in plan_columns]
        self._columns = columns
        self._kinds = [
            FIELD_BY_KEY[c].kind if c in FIELD_BY_KEY else PLAN_COLUMN_KINDS.get(c) for c in self._columns
        ]
        right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        left = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self._align = [
            right
            if kind in ("money", "number", "percent")
            or (kind is None and pd.api.types.is_numeric_dtype(self._frame[c]))
            else left
            for c, kind in zip(self._columns, self._kinds, strict=True)
        ]
        self._arrays = [self._frame[c].to_numpy() for c in self._columns]  # natural dtypes: no boxing
        self._sort_keys.clear()
        self._mask = None
        self._recompute_order()
        self.endResetModel()
        self.visibleRowsChanged.emit()

    def update_plan_columns(self, plan_columns: PlanColumns, rows: np.ndarray | None = None) -> None:
        """New tier/persona/category values after an edit; `rows` (frame positions) limits the repaint."""
        for name, values in plan_columns.items():
            if name not in self._columns:
                continue
            col = self._columns.index(name)
            self._frame[name] = values
            self._arrays[col] = values  # a Categorical: indexing one cell returns its name
            self._sort_keys.pop(col, None)
            shown = self._order if rows is None else self.view_rows(rows)
            shown = shown[shown >= 0] if rows is not None else np.arange(len(self._order))
            if len(shown):
                first, last = int(shown.min()), int(shown.max())
                self.dataChanged.emit(self.index(first, col), self.index(last, col))

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid():
            return base
        if self._columns[index.column()] in self._editable:
            base |= Qt.ItemFlag.ItemIsEditable
        return base | Qt.ItemFlag.ItemIsDragEnabled

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Report a typed value; the plan decides (an undoable edit) and the column updates from it."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        column = self._columns[index.column()]
        if column not in self._editable:
            return False
        self.cellTyped.emit(column, int(self._order[index.row()]), "" if value is None else str(value))
        return True

    def mimeTypes(self) -> list[str]:
        return [ROWS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({int(self._order[i.row()]) for i in indexes if i.isValid()})
        return rows_mime(np.asarray(rows, dtype=np.int64))

    def frame(self) -> pd.DataFrame:
        return self._frame

    def columns(self) -> list[str]:
        return list(self._columns)

    def column_index(self, column: str) -> int:
        return self._columns.index(column)

    def total_rows(self) -> int:
        return len(self._frame)

    def visible_rows(self) -> np.ndarray:
        """Frame positions of the shown accounts, in display order."""
        return self._order

    def account_row(self, view_row: int) -> int:
        return int(self._order[view_row])

    def view_row(self, account_row: int) -> int:
        return int(self._position[account_row]) if 0 <= account_row < len(self._position) else -1

    def view_rows(self, account_rows: np.ndarray) -> np.ndarray:
        """View rows of many accounts at once (-1 where hidden)."""
        rows = np.asarray(account_rows, dtype=np.int64)
        rows = rows[(rows >= 0) & (rows < len(self._position))]
        return self._position[rows]

    # Qt model protocol -------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = int(self._order[index.row()])
        col = index.column()
        if role == Qt.ItemDataRole.ToolTipRole and self._columns[col] in self._tips:
            return self._tips[self._columns[col]](row) or None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = format_value(self._arrays[col][row], self._kinds[col])
            if role == Qt.ItemDataRole.ToolTipRole and len(text) < 40:
                return None
            return text
        if role == Qt.ItemDataRole.EditRole:
            if self._columns[col] in self._editable:  # the editor starts from the value as shown
                return format_value(self._arrays[col][row], self._kinds[col])
            return self._arrays[col][row]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._align[col]
        if role == ACCOUNT_ROW_ROLE:
            return row
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            column = self._columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                marker = " ▾" if column in self._filtered_columns else ""
                return label(column) + marker
            if role == Qt.ItemDataRole.ToolTipRole:
                field = FIELD_BY_KEY.get(column)
                if column in PLAN_HEADER_TIPS:
                    return PLAN_HEADER_TIPS[column]
                return field.description if field else f"Column '{column}' from the file"
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort_column = column
        self._sort_order = order
        self._recompute_order()
        self.layoutChanged.emit()

    # filtering -------------------------------------------------------------
    # The filter itself lives in the window's AccountFilter; the model shows the rows it keeps and makes
    # the masks of the table's own filters (search, column values) from the text it displays.
    def set_external_mask(self, mask: np.ndarray | None) -> None:
        """Show only the accounts the window's filter keeps (None: all)."""
        self._mask = mask
        self._refilter()

    def set_filtered_columns(self, columns: Iterable[str]) -> None:
        """Columns with a value filter on: their headers carry a ▾."""
        self._filtered_columns = frozenset(columns)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(self._columns) - 1))

    def distinct_values(self, column: str) -> list[tuple[str, int]]:
        """Each value of a column as shown, with how many accounts have it (most frequent first)."""
        text = self._display_text(column)
        counts = text.value_counts(dropna=False)
        return [(str(v), int(n)) for v, n in counts.items()]

    def filtered_mask(self) -> np.ndarray:
        n = len(self._frame)
        if self._mask is not None and len(self._mask) == n:
            return self._mask
        return np.ones(n, dtype=bool)

    def values_mask(self, column: str, values: Iterable[str]) -> np.ndarray:
        """Accounts whose `column` shows one of `values`."""
        return self._display_text(column).isin(frozenset(values)).to_numpy()

    def search_mask(self, text: str) -> np.ndarray:
        """Accounts with `text` (any case) in one of their text columns."""
        n = len(self._frame)
        hits = np.zeros(n, dtype=bool)
        for column in self._columns:
            series = self._frame[column]
            if isinstance(series.dtype, pd.CategoricalDtype):
                cats = series.cat.categories.astype(str).str.contains(text, case=False, regex=False)
                codes = series.cat.codes.to_numpy()
                hits |= (codes >= 0) & np.asarray(cats, dtype=bool)[codes]
            elif pd.api.types.is_string_dtype(series.dtype) or series.dtype == object:
                found = series.astype("string").str.contains(text, case=False, regex=False)
                hits |= found.fillna(False).to_numpy(dtype=bool)
        return hits

    def _display_text(self, column: str) -> pd.Series:
        series = self._frame[column]
        kind = FIELD_BY_KEY[column].kind if column in FIELD_BY_KEY else None
        if isinstance(series.dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(series.dtype):
            return series.astype("string").fillna("")
        return pd.Series([format_value(v, kind) for v in series.to_numpy(dtype=object)], index=series.index)

    def _refilter(self) -> None:
        self.beginResetModel()
        self._recompute_order()
        self.endResetModel()
        self.visibleRowsChanged.emit()

    def _recompute_order(self) -> None:
        n = len(self._frame)
        rows = np.flatnonzero(self.filtered_mask()) if n else np.zeros(0, dtype=np.int64)
        if 0 <= self._sort_column < len(self._columns) and len(rows):
            keys = self._sort_key(self._sort_column)[rows]
            descending = self._sort_order == Qt.SortOrder.DescendingOrder
            ordered = np.argsort(-keys if descending else keys, kind="stable")
            rows = rows[ordered]
        self._order = rows.astype(np.int64)
        self._position = np.full(n, -1, dtype=np.int64)
        self._position[self._order] = np.arange(len(self._order))

    def _sort_key(self, col: int) -> np.ndarray:
        """A float key per account; missing values become NaN, which argsort puts last either way."""
        if col not in self._sort_keys:
            series = self._frame[self._columns[col]]
            if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_numeric_dtype(series.dtype):
                keys = series.astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
            elif pd.api.types.is_datetime64_any_dtype(series.dtype):
                keys = series.to_numpy(dtype="datetime64[ns]").astype("int64").astype("float64")
                keys[series.isna().to_numpy()] = np.nan
            else:
                text = series.astype("string").str.casefold()
                codes, _ = pd.factorize(text, sort=True)
                keys = codes.astype("float64")
                keys[codes < 0] = np.nan
            self._sort_keys[col] = keys
        return self._sort_keys[col]

    def selected_frame_rows(self, view_rows: Sequence[int]) -> np.ndarray:
        return self._order[np.asarray(view_rows, dtype=np.int64)]
