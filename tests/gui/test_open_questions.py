"""Every question opening a file can ask, answered through the real dialog by clicking its button.

Each test opens a file the way a planner does, finds each question as the active modal window, checks that
no progress box covers it (or is about to), clicks the button a person would, and sees the territory open.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from tierdesk.qt.dialogs.mapping_dialog import MappingDialog
from tierdesk.qt.dialogs.sheet_dialog import SheetDialog
from tierdesk.qt.main_window import MainWindow

from .conftest import wait_until_shown
from .helpers import Questions, assert_opened, progress_boxes_showing

HEADER = ["Account ID", "Customer", "Rep", "TTM Revenue", "Vertical"]


def account_rows(n: int) -> list[list[object]]:
    return [[f"A-{i:03d}", f"Customer {i}", f"Rep {i % 3}", 1000.0 * (i + 1), "Retail"] for i in range(n)]


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def open_answering(window: MainWindow, qtbot, path: Path, questions: Questions) -> None:
    with qtbot.waitSignal(window.opener.opened, timeout=60_000) as opened:
        window.open_file(path)
    assert_opened(opened, window, path)
    qtbot.waitUntil(questions.done, timeout=10_000)
    wait_until_shown(qtbot, window)
    assert questions.covered == [], "a progress box covered these questions"
    assert not progress_boxes_showing()
    assert QApplication.activeModalWidget() is None


def test_the_sheet_question_then_the_column_question(window: MainWindow, tmp_path: Path, qtbot) -> None:
    path = tmp_path / "territory.xlsx"
    book = Workbook()
    notes = book.active
    notes.title = "Read me"
    for line in ("Territory plan FY27", "Owner: sales ops", "Do not edit the Accounts sheet by hand"):
        notes.append([line])
    accounts = book.create_sheet("Accounts")
    rows = account_rows(12)
    rows[1][3] = 261.96 + 470.0 - 0.02  # 731.9399999999999: a sum's float noise, as in real exports
    rows[2][3] = 32370.0
    for i, row in enumerate([[*HEADER, "Postal Code", "Order Date"], *rows]):
        accounts.append(row if i == 0 else [*row, 42420.0 + i, dt.datetime(2013, 11, i)])
    book.save(path)

    samples: dict[str, str] = {}

    def read_samples(dialog: QWidget) -> None:
        assert isinstance(dialog, MappingDialog)
        table = dialog.table
        samples.update({table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())})

    questions = Questions((SheetDialog, "OK"), (MappingDialog, "OK", read_samples))
    open_answering(window, qtbot, path, questions)
    # as a person reads them: not 1000.0, 731.9399999999999, 42,420 for a postal code or a timestamp
    assert samples["TTM Revenue"] == "1,000  ·  731.94  ·  32,370  ·  4,000"
    assert samples["Postal Code"] == "42421  ·  42422  ·  42423  ·  42424"
    assert samples["Order Date"] == "2013-11-01  ·  2013-11-02  ·  2013-11-03  ·  2013-11-04"

    assert questions.asked == [
        "Choose a sheet in territory.xlsx",
        "Columns of territory.xlsx",
    ]
    assert window.accounts_model.rowCount() == 12
    assert "territory.xlsx › Accounts" in window.source_label.text()


def test_the_column_question(window: MainWindow, tmp_path: Path, qtbot) -> None:
    path = write_csv(tmp_path / "accounts.csv", [HEADER, *account_rows(5)])
    questions = Questions((MappingDialog, "OK"))
    open_answering(window, qtbot, path, questions)
    assert questions.asked == ["Columns of accounts.csv"]
    assert window.accounts_model.rowCount() == 5
    assert float(window.document.revenue.sum()) == sum(1000.0 * (i + 1) for i in range(5))


def test_the_order_lines_question(window: MainWindow, tmp_path: Path, qtbot) -> None:
    lines = [[f"A-{i % 4:03d}", f"Customer {i % 4}", "Rep 1", 100.0, "Retail"] for i in range(20)]
    path = write_csv(tmp_path / "orders.csv", [HEADER, *lines])
    questions = Questions((MappingDialog, "OK"), (QMessageBox, "Roll Up"))
    open_answering(window, qtbot, path, questions)
    assert questions.asked[-1] == "Order lines"
    assert window.accounts_model.rowCount() == 4  # one row per account
    assert float(window.document.revenue.sum()) == 2000.0


def test_the_duplicate_ids_question(window: MainWindow, tmp_path: Path, qtbot) -> None:
    rows = account_rows(20)
    rows[19][0] = rows[3][0]  # one id twice: not order lines, but a duplicate to settle
    rows[3][4], rows[19][4] = "", "Energy"  # merging fills the first row's blanks from the second
    path = write_csv(tmp_path / "duplicates.csv", [HEADER, *rows])
    questions = Questions((MappingDialog, "OK"), (QMessageBox, "Merge"))
    open_answering(window, qtbot, path, questions)
    assert questions.asked[-1] == "Duplicate account ids"
    assert window.accounts_model.rowCount() == 19
    accounts = window.document.plan.accounts  # type: ignore[union-attr]
    merged = accounts[accounts["account_id"] == "A-003"]
    assert merged["revenue"].tolist() == [4000.0] and merged["industry"].tolist() == ["Energy"]
