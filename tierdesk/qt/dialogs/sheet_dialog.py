"""Choose the sheet that holds the accounts; the likely one is preselected."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tierdesk.io.reader import Probe


class SheetDialog(QDialog):
    def __init__(self, probe: Probe, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Choose a sheet in {probe.path.name}")
        intro = QLabel("Which sheet holds the accounts (one row per account or per order line)?", self)
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        for sheet in probe.sheets:
            rows = f"{sheet.rows:,} rows" if sheet.rows is not None else "size unknown"
            notes = [rows]
            if sheet.kind != "worksheet":
                notes = [f"{sheet.kind} — no table to read"]
            if not sheet.visible:
                notes.append("hidden")
            if sheet.name == probe.suggested:
                notes.append("looks like an account list")
            item = QListWidgetItem(f"{sheet.name}   ({'; '.join(notes)})")
            item.setData(Qt.ItemDataRole.UserRole, sheet.name)
            if sheet.kind != "worksheet":
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.list.addItem(item)
            if sheet.name == probe.suggested:
                self.list.setCurrentItem(item)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(460, 320)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else None
