"""How the window tells a planner what it read: the mapping dialog names the account column and why, and a
file with no account list is refused with one sentence, never a half-loaded plan."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QWidget

from tierdesk.qt.dialogs.mapping_dialog import MappingDialog
from tierdesk.qt.main_window import MainWindow

from .conftest import wait_until_shown
from .helpers import Questions


def _orders(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Customer Name", "Company Name", "Sale Amount"])
    for company, people in {
        "Acme Corp.": ["Ann Lee", "Bo Chen"],
        "Brightline GmbH": ["Cy Roth", "Di Fox"],
    }.items():
        for person in people:
            for amount in (100.0, 50.0, 25.0):
                sheet.append([person, company, amount])
    book.save(path)
    return path


def test_the_mapping_dialog_says_which_column_is_the_account_and_why(
    window: MainWindow, tmp_path: Path, qtbot
) -> None:
    shown: dict[str, object] = {}

    def read(dialog: QWidget) -> None:
        assert isinstance(dialog, MappingDialog)
        shown.update(notes=dialog.notes.text(), visible=dialog.notes.isVisible())
        shown["account"] = dialog.combos["Company Name"].currentData()

    questions = Questions((MappingDialog, "OK", read), (QMessageBox, "Roll Up"))
    with qtbot.waitSignal(window.opener.opened, timeout=30_000):
        window.open_file(_orders(tmp_path / "orders.xlsx"))
    wait_until_shown(qtbot, window)
    assert questions.done() and questions.asked == ["Columns of orders.xlsx", "Order lines"]
    assert shown["visible"] and shown["account"] == "account_name"
    assert "Accounts are told apart by &#x27;Company Name&#x27;" in str(shown["notes"])
    assert "kept as a contact column" in str(shown["notes"])
    assert window.accounts_model.rowCount() == 2
    report = "\n".join(i.message for i in window.import_report.model.issues())
    assert "Accounts are told apart by 'Company Name'" in report


def _financial(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Segment", "Country", "Product", "Sales", "Month Name"])
    for i in range(12):
        sheet.append([["Government", "Enterprise"][i % 2], ["Canada", "France"][i % 2], "Paseo", 10.0 + i,
                      ["January", "February", "March"][i % 3]])  # fmt: skip
    book.save(path)
    return path


def test_no_account_column_the_dialog_says_so_and_cannot_load(
    window: MainWindow, tmp_path: Path, qtbot
) -> None:
    shown: dict[str, object] = {}

    def read(dialog: QWidget) -> None:
        assert isinstance(dialog, MappingDialog)
        shown.update(notes=dialog.notes.text())
        shown["ok"] = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()

    questions = Questions((MappingDialog, "Cancel", read))
    with qtbot.waitSignal(window.opener.cancelled, timeout=30_000):
        window.open_file(_financial(tmp_path / "financial.xlsx"))
    assert questions.done()
    expected = "No column names or identifies accounts: the text columns are Segment, Country, Product"
    assert expected in str(shown["notes"]) and shown["ok"] is False
    assert window.result is None


def test_no_account_column_opened_without_questions_is_one_sentence(
    window: MainWindow, tmp_path: Path, qtbot
) -> None:
    window.prompts.answers["warn"] = None
    with qtbot.waitSignal(window.opener.failed, timeout=30_000):
        window.open_file(_financial(tmp_path / "financial.xlsx"), interactive=False)
    qtbot.waitUntil(lambda: bool(window.prompts.told("warn")))
    assert window.prompts.told("warn") == [
        "financial.xlsx: no column names or identifies accounts: the text columns are Segment, Country, "
        "Product, Month Name."
    ]
    assert window.result is None
