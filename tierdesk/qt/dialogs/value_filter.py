"""Pick which values of one column to show (like Excel's AutoFilter list)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

MAX_VALUES = 5000


class ValueFilterDialog(QDialog):
    def __init__(
        self,
        column_label: str,
        values: list[tuple[str, int]],
        current: frozenset[str] | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Filter {column_label}")
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Find a value")
        self.search.textChanged.connect(self._narrow)
        self.list = QListWidget(self)
        for value, count in values[:MAX_VALUES]:
            item = QListWidgetItem(f"{value or '(blank)'}  ({count:,})")
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = current is None or value in current
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        all_button = QPushButton("Select all", self)
        none_button = QPushButton("Select none", self)
        all_button.clicked.connect(lambda: self._check_all(True))
        none_button.clicked.connect(lambda: self._check_all(False))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(all_button)
        row.addWidget(none_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.resize(340, 420)

    def _items(self) -> list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())]

    def _narrow(self, text: str) -> None:
        needle = text.casefold()
        for item in self._items():
            item.setHidden(needle not in item.text().casefold())

    def _check_all(self, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        for item in self._items():
            if not item.isHidden():
                item.setCheckState(state)

    def chosen(self) -> frozenset[str] | None:
        """The checked values, or None when every value is checked (no filter)."""
        items = self._items()
        checked = [
            str(i.data(Qt.ItemDataRole.UserRole)) for i in items if i.checkState() == Qt.CheckState.Checked
        ]
        return None if len(checked) == len(items) else frozenset(checked)
