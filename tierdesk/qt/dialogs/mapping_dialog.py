"""Confirm or change how the file's columns map onto tierdesk's fields, with sample values beside each."""

from __future__ import annotations

import html

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tierdesk.domain.accounts import FIELDS
from tierdesk.domain.wallet import WalletSettings
from tierdesk.domain.wallet_notes import estimate_plan
from tierdesk.io.mapping import mapping_problems
from tierdesk.io.samples import sample_texts

KEEP = ""  # combo data for "keep as an extra column"
SAMPLES = 4
NOTES_SHOWN = 8


def sample_text(values: pd.Series, header: str = "") -> str:
    """The first few values as a person reads them: 731.94, 12,345, postal code 42420, 2024-12-31."""
    return "  ·  ".join(sample_texts(values, header, SAMPLES))  # "2,871 · 2,765.9", not "2,871, 2,765.9"


class MappingDialog(QDialog):
    """One row per column of the file: its header, a few sample values, and the field it maps to."""

    def __init__(
        self,
        file_name: str,
        headers: list[str],
        data: pd.DataFrame,
        guess: dict[str, str],
        parent: QWidget | None = None,
        wallet: WalletSettings | None = None,
        notes: list[str] | None = None,
    ) -> None:
        """`notes` say how the file was read: the account column and why, what was filled down or left out."""
        super().__init__(parent)
        self.setWindowTitle(f"Columns of {file_name}")
        self._headers = headers
        self._wallet = wallet or WalletSettings()
        intro = QLabel(
            "tierdesk guessed what each column holds. Change any guess; columns left as "
            "<i>extra column</i> are kept and can be filtered. An account name or id is required.",
            self,
        )
        intro.setWordWrap(True)
        self.notes = QLabel(self)
        self.notes.setObjectName("readingNotes")
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.RichText)
        shown = [html.escape(n) for n in (notes or [])[:NOTES_SHOWN]]
        if notes and len(notes) > NOTES_SHOWN:
            shown.append(f"…and {len(notes) - NOTES_SHOWN} more in the import report")
        self.notes.setText("<b>How tierdesk read it</b><ul style='margin:0'>"
                           + "".join(f"<li>{n}</li>" for n in shown) + "</ul>")  # fmt: skip
        self.notes.setVisible(bool(shown))
        self.table = QTableWidget(len(headers), 3, self)
        self.table.setHorizontalHeaderLabels(["Column in the file", "Sample values", "tierdesk field"])
        self.table.verticalHeader().hide()
        field_of = {header: key for key, header in guess.items()}
        self.combos: dict[str, QComboBox] = {}
        for row, header in enumerate(headers):
            name_item = QTableWidgetItem(header)
            name_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            sample_item = QTableWidgetItem(sample_text(data[header], header) if header in data else "")
            sample_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, 0, name_item)
            self.table.setItem(row, 1, sample_item)
            combo = QComboBox(self.table)
            combo.addItem("(extra column)", KEEP)
            for field in FIELDS:
                combo.addItem(field.label, field.key)
            combo.setCurrentIndex(max(0, combo.findData(field_of.get(header, KEEP))))
            combo.currentIndexChanged.connect(lambda _i, h=header: self._field_chosen(h))
            self.table.setCellWidget(row, 2, combo)
            self.combos[header] = combo
        header_view = self.table.horizontalHeader()
        header_view.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header_view.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header_view.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.problems = QLabel(self)
        self.problems.setObjectName("mappingProblems")
        self.problems.setWordWrap(True)
        self.wallet_note = QLabel(self)  # which fields tierdesk will estimate, and how
        self.wallet_note.setObjectName("mappingWalletNote")
        self.wallet_note.setWordWrap(True)
        self.remember = QCheckBox("Remember this mapping for files with the same columns", self)
        self.remember.setChecked(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.notes)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.wallet_note)
        layout.addWidget(self.remember)
        layout.addWidget(self.buttons)
        self.resize(760, min(760, 200 + 30 * len(headers) + 20 * len(shown)))
        self._check()

    def set_field(self, header: str, key: str) -> None:
        combo = self.combos[header]
        combo.setCurrentIndex(combo.findData(key))

    def mapping(self) -> dict[str, str]:
        return {str(c.currentData()): h for h, c in self.combos.items() if c.currentData() != KEEP}

    def _field_chosen(self, header: str) -> None:
        key = self.combos[header].currentData()
        if key != KEEP:  # one column per field: the previous holder goes back to "extra column"
            for other, combo in self.combos.items():
                if other != header and combo.currentData() == key:
                    combo.blockSignals(True)
                    combo.setCurrentIndex(0)
                    combo.blockSignals(False)
        self._check()

    def _check(self) -> None:
        problems = mapping_problems(self.mapping())
        self.problems.setText("<br>".join(f"<b>⚠ {p}</b>" for p in problems))
        self.problems.setVisible(bool(problems))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not problems)
        mapped = set(self.mapping())
        note = estimate_plan(mapped, None, 0, self._wallet) if not mapped & {"wallet", "potential"} else ""
        self.wallet_note.setText(f"<b>Wallets:</b> {note}" if note else "")
        self.wallet_note.setVisible(bool(note))
