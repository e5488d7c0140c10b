"""The Sellers dock: one row per seller with their book against capacity (a load bar whose over and under
parts are coloured), sortable and editable where a seller's settings are; selecting a seller selects their
accounts in every view; accounts dropped on a seller are asked to be reassigned (`reassignRequested`)."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from tierdesk.domain.workload import sellers_short, short_text
from tierdesk.qt.document import AccountSelection, PlanDocument
from tierdesk.qt.formatting import percent
from tierdesk.qt.mime import ROWS_MIME, rows_from_mime
from tierdesk.qt.models.frame_model import SORT_ROLE
from tierdesk.qt.models.sellers_model import KEYS, LOAD_ROLE, SellersModel
from tierdesk.qt.views.palette import BAD, HIGHLIGHT, INK, LOAD, TRACK, UNDER, qcolour

ModelIndex = QModelIndex | QPersistentModelIndex
SOURCE = "sellers"  # how the shared selection names this view


class LoadBarDelegate(QStyledItemDelegate):
    """A seller's load as a bar on a common scale (`scale()`: the load at the bar's right end) with a mark
    at capacity: the book up to capacity, the part over capacity (past the tolerance) in the bad colour, the
    capacity left unused (past the tolerance) in the under colour; the percentage at the right."""

    TEXT_WIDTH = 46

    def __init__(self, scale: Callable[[], float], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scale = scale

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        style = option.widget.style() if option.widget is not None else None
        if style is not None:  # the cell's background and selection, without its text
            plain = QStyleOptionViewItem(option)
            self.initStyleOption(plain, index)
            plain.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, plain, painter, option.widget)
        value = index.data(LOAD_ROLE)
        if not value:
            return
        load, tolerance = value
        rect: QRect = option.rect.adjusted(4, 5, -self.TEXT_WIDTH - 4, -5)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_role = option.palette.ColorRole.HighlightedText if selected else option.palette.ColorRole.Text
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.fillRect(rect, qcolour(TRACK))
        if math.isfinite(load) and rect.width() > 4:
            scale = max(self.scale(), 1.0)

            def x(at: float) -> float:
                return rect.left() + rect.width() * min(max(at, 0.0), scale) / scale

            top, height = float(rect.top()), float(rect.height())
            painter.fillRect(QRectF(x(0), top, x(min(load, 1.0)) - x(0), height), qcolour(LOAD))
            if load > 1.0:
                over = qcolour(BAD) if load > 1.0 + tolerance + 1e-9 else qcolour(LOAD)
                painter.fillRect(QRectF(x(1.0), top, x(load) - x(1.0), height), over)
            elif load < 1.0 - tolerance - 1e-9:
                painter.fillRect(QRectF(x(load), top, x(1.0) - x(load), height), qcolour(UNDER, 150))
            painter.setPen(QPen(qcolour(INK), 2))
            painter.drawLine(round(x(1.0)), rect.top() - 3, round(x(1.0)), rect.bottom() + 3)
        painter.setPen(option.palette.color(text_role))
        text_rect = QRect(rect.right() + 4, option.rect.top(), self.TEXT_WIDTH, option.rect.height())
        align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(text_rect, int(align), percent(load) if math.isfinite(load) else "–")
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        return QSize(190, super().sizeHint(option, index).height())


class RoleDelegate(QStyledItemDelegate):
    """The role of a seller chosen from the playbook's roles."""

    def __init__(self, roles: Callable[[], tuple[str, ...]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.roles = roles

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex) -> QWidget:
        combo = QComboBox(parent)
        combo.addItems(list(self.roles()))
        return combo

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole)))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: ModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


class SellerTable(QTableView):
    """The sellers' table; account rows dragged over it land on the seller under the pointer
    (`dropped(rows, source row)`), the row drawn highlighted while they hover."""

    dropped = Signal(object, int)

    def __init__(self, accepts: Callable[[int], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accepts = accepts  # whether the model row (a source row) takes accounts
        self.drop_row = -1  # view row under a drag
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setDropIndicatorShown(False)

    def _target(self, event: QDragMoveEvent | QDropEvent) -> int:
        index = self.indexAt(event.position().toPoint())
        model = self.model()
        if not index.isValid() or not isinstance(model, QSortFilterProxyModel):
            return -1
        source = model.mapToSource(index).row()
        return index.row() if self.accepts(source) else -1

    def _set_drop_row(self, row: int) -> None:
        if row != self.drop_row:
            self.drop_row = row
            self.viewport().update()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(ROWS_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        row = self._target(event)
        self._set_drop_row(row)
        if row >= 0:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: object) -> None:
        self._set_drop_row(-1)

    def dropEvent(self, event: QDropEvent) -> None:
        row = self._target(event)
        self._set_drop_row(-1)
        rows = rows_from_mime(event.mimeData())
        model = self.model()
        if row < 0 or rows is None or not len(rows) or not isinstance(model, QSortFilterProxyModel):
            event.ignore()
            return
        event.acceptProposedAction()
        self.dropped.emit(rows, model.mapToSource(model.index(row, 0)).row())

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.drop_row < 0:
            return
        model = self.model()
        first = self.visualRect(model.index(self.drop_row, 0))
        last = self.visualRect(model.index(self.drop_row, model.columnCount() - 1))
        painter = QPainter(self.viewport())
        painter.fillRect(first.united(last), qcolour(HIGHLIGHT, 60))
        painter.setPen(QPen(qcolour(HIGHLIGHT), 2))
        painter.drawRect(first.united(last).adjusted(1, 1, -1, -1))
        painter.end()


class SellersView(QWidget):
    """The sellers and their books. `reassignRequested(rows, seller)`: accounts were dropped on a seller."""

    reassignRequested = Signal(object, str)

    def __init__(
        self, document: PlanDocument, selection: AccountSelection, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sellersView")
        self.document, self.selection = document, selection
        self.model = SellersModel(document, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.toolbar = QToolBar(self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = SellerTable(self.model.in_team, self)
        self._build_table()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self._echo = False
        self.table.dropped.connect(self._dropped)
        self.table.selectionModel().selectionChanged.connect(self._picked)
        selection.changed.connect(self._shared_changed)
        self.model.modelReset.connect(self._update_summary)
        self.model.dataChanged.connect(self._update_summary)
        self._update_summary()

    def _build_table(self) -> None:
        table = self.table
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the sellers table's own order until sorted
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        table.setItemDelegateForColumn(KEYS.index("load"), LoadBarDelegate(self._scale, table))
        table.setItemDelegateForColumn(KEYS.index("role"), RoleDelegate(self._roles, table))
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(KEYS.index("load"), QHeaderView.ResizeMode.Interactive)
        header.resizeSection(KEYS.index("load"), 200)
        header.setStretchLastSection(True)

    def _scale(self) -> float:
        if "load" not in self.model.table or not len(self.model.table):
            return 1.0
        top = float(np.nanmax(np.append(self.model.table["load"].to_numpy(float), 0.0)))
        return max(1.25, math.ceil(top * 4) / 4)  # in quarters: the scale does not jump with each move

    def _roles(self) -> tuple[str, ...]:
        plan = self.document.plan
        return plan.playbook.role_names if plan is not None else ()

    # selection -------------------------------------------------------------------------------------
    def source_rows(self) -> list[int]:
        """The model rows of the sellers selected in the table."""
        picked = self.table.selectionModel().selectedRows()
        return sorted(self.proxy.mapToSource(i).row() for i in picked)

    def selected_sellers(self) -> list[str]:
        return [self.model.seller_at(r) for r in self.source_rows() if self.model.in_team(r)]

    def select_seller(self, seller: str) -> None:
        """Select a seller's row (and so their accounts)."""
        row = self.model.row_of(seller)
        if row >= 0:
            self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())

    def view_row(self, seller: str) -> int:
        """The table row showing `seller` (-1: none)."""
        row = self.model.row_of(seller)
        return self.proxy.mapFromSource(self.model.index(row, 0)).row() if row >= 0 else -1

    def _picked(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._echo:
            return
        rows = [self.model.account_rows(r) for r in self.source_rows()]
        if rows:
            self.selection.set_rows(np.concatenate(rows), SOURCE)

    def _shared_changed(self, source: str) -> None:
        if source == SOURCE or not self.table.selectionModel().hasSelection():
            return
        self._echo = True  # another view chose accounts: no seller stands for them any more
        try:
            self.table.clearSelection()
        finally:
            self._echo = False

    def _dropped(self, rows: np.ndarray, source_row: int) -> None:
        self.reassignRequested.emit(rows, self.model.seller_at(source_row))

    # the summary -----------------------------------------------------------------------------------
    def _update_summary(self, *_args: object) -> None:
        b = self.model.books
        if b is None:
            self.summary.setText("No territory open")
            return
        if not b.sellers:
            self.summary.setText("No sellers: add one, or open a territory with owners.")
            return
        tolerance = self.model.tolerance
        loads = b.loads()
        work = float(b.weight[b.role >= 0].sum())
        team = float(b.size.sum())
        over = int((loads > 1 + tolerance + 1e-9).sum())
        under = int((loads < 1 - tolerance - 1e-9).sum())
        parts = [
            f"<b>{len(b.sellers)}</b> sellers carry <b>{work:,.1f}</b> sellers' worth of work "
            f"(average load <b>{percent(work / team) if team else '–'}</b>)",
            f"{over} over and {under} under capacity ±{tolerance * 100:.0f}%",
        ]
        missing = short_text(sellers_short(b, tolerance))
        if missing:
            parts.append(f"missing: {missing}")
        unowned = int((b.owner == -1).sum())
        if unowned:
            parts.append(f"{unowned:,} accounts without an owner")
        self.summary.setText(" · ".join(parts))
