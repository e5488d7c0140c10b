"""Every question tierdesk asks the planner, and every message it gives them, in one place.

The window makes one `Prompts` (or is given one) and hands it to the commands and views that talk to the
planner: the reason for a move, saving before closing, the questions of opening a file (which sheet, which
columns, roll up order lines, duplicate ids), the recovery offer, a failed save, file names to open and
save, the printer and the print preview, the seller to reassign accounts to, the balance moves to accept.
Each question is one method, answered here with the real dialog; tests give the window a Prompts of their
own that answers some without dialogs. Nothing else opens a question, and the document never asks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox, QWidget

from tierdesk.domain.proposal import Proposal
from tierdesk.domain.wallet_settings import WalletSettings
from tierdesk.io.reader import Probe, RawTable
from tierdesk.qt.dialogs.balance_dialog import BalanceDialog
from tierdesk.qt.dialogs.mapping_dialog import MappingDialog
from tierdesk.qt.dialogs.reason_dialog import ReasonDialog
from tierdesk.qt.dialogs.sheet_dialog import SheetDialog

Unsaved = Literal["save", "discard", "cancel"]
DuplicateChoice = Literal["merge", "keep_first", "abort"]


@dataclass(frozen=True)
class MappingAnswer:
    """The columns confirmed for a file (header -> field), and whether to remember them for its layout."""

    mapping: dict[str, str]
    remember: bool = False


class Prompts:
    """The planner's answers, asked with tierdesk's dialogs over `parent` (the main window)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    # editing ------------------------------------------------------------------------------------
    def reason(self, question: str) -> str | None:
        """Why accounts are moved by hand (kept with the pin); None when the planner cancels."""
        dialog = ReasonDialog(question, self.parent)
        return dialog.text() if dialog.exec() else None

    def seller(self, question: str, sellers: Sequence[tuple[str, str]]) -> str | None:
        """Which seller (name, how they stand: "Account manager, 84% of capacity"); None when cancelled."""
        items = [f"{name} — {stands}" if stands else name for name, stands in sellers]
        if not items:
            return None
        text, ok = QInputDialog.getItem(self.parent, "Reassign to seller", question, items, 0, False)
        return sellers[items.index(text)][0] if ok and text in items else None

    def balance(self, proposal: Proposal) -> list[int] | None:
        """Which moves of a balance proposal to accept (positions in its moves); None when cancelled."""
        dialog = BalanceDialog(proposal, self.parent)
        try:
            return dialog.picked() if dialog.exec() else None
        finally:
            dialog.deleteLater()

    # closing and saving ---------------------------------------------------------------------------
    def unsaved_changes(self) -> Unsaved:
        """Save, discard or keep the window open, when it closes with changes not saved."""
        answer = QMessageBox.question(
            self.parent,
            "Unsaved changes",
            "The plan has changes that are not saved. Save them before closing?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return "save"
        return "discard" if answer == QMessageBox.StandardButton.Discard else "cancel"

    def save_failed(self, message: str) -> bool:
        """Say a save failed (the old file is whole); True when the planner chooses Save As."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Plan not saved",
            f"{message}\n\nThe previous file, if any, is unchanged.",
            parent=self.parent,
        )
        save_as = box.addButton("Save As…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is save_as

    def recover(self) -> bool:
        """At start, after a crash: open the plan that was left unsaved? (False: discard it.)"""
        answer = QMessageBox.question(
            self.parent,
            "Recover unsaved plan",
            "tierdesk closed without saving your last changes. Open the recovered plan?",
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Discard,
            QMessageBox.StandardButton.Open,
        )
        return answer == QMessageBox.StandardButton.Open

    # opening a territory file ---------------------------------------------------------------------
    def sheet(self, probe: Probe) -> str | None:
        """Which sheet holds the accounts; None when the planner cancels."""
        dialog = SheetDialog(probe, self.parent)
        return dialog.chosen() if dialog.exec() else None

    def mapping(
        self, raw: RawTable, guess: dict[str, str], wallet: WalletSettings, notes: Sequence[str] = ()
    ) -> MappingAnswer | None:
        """Which field each column holds (starting from the guess), shown with `notes` on how the file was
        read (the account column and why, what was filled down or left out); None when the planner cancels."""
        head = raw.data.head(50)
        dialog = MappingDialog(
            raw.file.name, raw.headers, head, guess, self.parent, wallet, notes=list(notes)
        )
        if not dialog.exec():
            return None
        return MappingAnswer(dialog.mapping(), dialog.remember.isChecked())

    def order_lines(self, file_name: str, lines: int) -> bool | None:
        """A file that looks like order lines: roll up to one row per account (True), keep the rows (False),
        or stop (None)."""
        box = QMessageBox(self.parent)
        box.setWindowTitle("Order lines")
        box.setIcon(QMessageBox.Icon.Question)
        box.setText(f"{file_name} looks like order lines: accounts appear on several of its {lines:,} rows.")
        box.setInformativeText(
            "Roll up to one row per account? Revenue is summed, the latest date becomes the last purchase, "
            "and orders and distinct products are counted."
        )
        roll = box.addButton("Roll Up", QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton("Keep Rows", QMessageBox.ButtonRole.RejectRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(roll)
        box.exec()
        clicked = box.clickedButton()
        if clicked is roll:
            return True
        if clicked is keep:
            return False
        return None

    def duplicate_ids(self, repeated: pd.DataFrame) -> DuplicateChoice:
        """Account ids on several rows (account_id, excel_rows): merge them, keep the first, or stop."""
        lines = []
        for account_id, excel_rows in zip(
            repeated["account_id"].head(8), repeated["excel_rows"].head(8), strict=True
        ):
            lines.append(f"{account_id}: rows {', '.join(str(r) for r in list(excel_rows)[:6])}")
        more = f"\n…and {len(repeated) - 8:,} more" if len(repeated) > 8 else ""
        box = QMessageBox(self.parent)
        box.setWindowTitle("Duplicate account ids")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setText(f"{len(repeated):,} account ids appear more than once.")
        box.setDetailedText("\n".join(lines) + more)
        box.setInformativeText(
            "Merge each into one account (the first filled value of each column), keep only the first "
            "row of each, or stop?"
        )
        merge = box.addButton("Merge", QMessageBox.ButtonRole.AcceptRole)
        first = box.addButton("Keep First", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Stop", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(first)
        box.exec()
        clicked = box.clickedButton()
        return "merge" if clicked is merge else "keep_first" if clicked is first else "abort"

    # file names ---------------------------------------------------------------------------------
    def open_path(self, title: str, file_filter: str, directory: str = "") -> Path | None:
        """A file to read; None when the planner cancels."""
        name, _ = QFileDialog.getOpenFileName(self.parent, title, directory, file_filter)
        return Path(name) if name else None

    def save_path(self, title: str, suggested: str, file_filter: str) -> Path | None:
        """A file to write (starting from `suggested`); None when the planner cancels."""
        name, _ = QFileDialog.getSaveFileName(self.parent, title, suggested, file_filter)
        return Path(name) if name else None

    def folder(self, title: str) -> Path | None:
        """A folder to write into; None when the planner cancels."""
        name = QFileDialog.getExistingDirectory(self.parent, title)
        return Path(name) if name else None

    # printing ---------------------------------------------------------------------------------
    def print_setup(self, printer: QPrinter, title: str) -> bool:
        """Which printer and pages (set on `printer`); False when the planner cancels."""
        dialog = QPrintDialog(printer, self.parent)
        dialog.setWindowTitle(title)
        return dialog.exec() == QDialog.DialogCode.Accepted

    def print_preview(self, printer: QPrinter, title: str, paint: Callable[[QPrinter], None]) -> None:
        """Qt's print preview of what `paint` draws on `printer`, from which the planner may print it."""
        dialog = QPrintPreviewDialog(printer, self.parent)
        dialog.setWindowTitle(title)
        dialog.paintRequested.connect(paint)
        dialog.resize(1000, 900)
        dialog.exec()
        dialog.deleteLater()

    # telling ------------------------------------------------------------------------------------
    def warn(self, title: str, text: str) -> None:
        """Something did not happen, and why (never a traceback)."""
        QMessageBox.warning(self.parent, title, text)

    def inform(self, title: str, text: str) -> None:
        """Something long finished, and what came of it."""
        QMessageBox.information(self.parent, title, text)
