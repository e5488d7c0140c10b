"""The main window as a planner meets it: menus, opening files, dropping files, the table, the report."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtWidgets import QApplication

from tierdesk.qt.dialogs.mapping_dialog import MappingDialog
from tierdesk.qt.main_window import OPEN_FILTER, MainWindow
from tierdesk.qt.settings import Settings

from .conftest import wait_until_shown
from .helpers import Questions, assert_opened, drop_file, the_guess


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def small_territory(tmp_path: Path) -> Path:
    return write_csv(
        tmp_path / "territory.csv",
        [
            ["Customer", "Rep", "TTM Revenue", "Vertical"],
            ["Acme Corp", "Ann", "$1,200.50", "Retail"],
            ["Globex", "Bob", "not a number", "Energy"],
            ["Initech", "Ann", "(300)", "Software"],
        ],
    )


def test_open_sample_from_the_file_menu_shows_every_account(sample_window: MainWindow) -> None:
    window = sample_window
    assert window.accounts_model.rowCount() == 600
    assert "600 of 600 accounts" in window.count_label.text()
    assert window.revenue_label.text().startswith("Revenue $")
    assert "sample_territory.xlsx" in window.source_label.text()
    assert window.windowTitle().startswith("sample_territory.xlsx")
    columns = window.accounts_model.columns()
    assert {"account_name", "territory", "owner", "revenue", "Tier", "Persona", "Category"} <= set(columns)


def test_the_table_shows_ten_rows_on_a_laptop_screen(sample_window: MainWindow) -> None:
    window = sample_window
    assert (window.width(), window.height()) == (1366, 768)  # the default size, a common laptop screen
    table = window.accounts_view.table
    assert table.viewport().height() // table.rowHeight(0) >= 10
    assert window.matrix.plot.height() >= 280  # and the matrix keeps room for its points


def test_open_dialog_maps_columns_and_reports_bad_cells(window: MainWindow, tmp_path: Path, qtbot) -> None:
    path = small_territory(tmp_path)
    window.prompts.answers["open_path"] = path
    questions = Questions((MappingDialog, "OK"))
    with qtbot.waitSignal(window.opener.opened, timeout=30_000) as opened:
        window.file_actions.open.trigger()
    assert_opened(opened, window, path)
    wait_until_shown(qtbot, window)
    assert questions.done() and not questions.covered
    assert window.prompts.asked[0] == ("open_path", ("Open territory file", OPEN_FILTER, ""))
    assert window.accounts_model.rowCount() == 3
    issues = window.import_report.model.issues()
    bad = [i for i in issues if i.row == 3]
    assert bad and "not a number" in bad[0].message
    # confirmed mapping is remembered: the same headers open without the dialog
    again = write_csv(
        tmp_path / "again.csv",
        [["Customer", "Rep", "TTM Revenue", "Vertical"], ["Umbrella", "Cy", "5", "Bio"]],
    )
    with qtbot.waitSignal(window.opener.opened, timeout=30_000) as opened:
        window.open_file(again)
    assert_opened(opened, window, again)
    wait_until_shown(qtbot, window)
    assert window.accounts_model.rowCount() == 1


def test_dropping_a_file_on_the_window_opens_it(window: MainWindow, tmp_path: Path, qtbot) -> None:
    path = small_territory(tmp_path)
    window.prompts.answers["mapping"] = the_guess
    with qtbot.waitSignal(window.opener.opened, timeout=30_000) as opened:
        assert drop_file(window, path)
    assert_opened(opened, window, path)
    wait_until_shown(qtbot, window)
    assert window.accounts_model.rowCount() == 3
    assert path.resolve() in window.settings.recent_files()
    window.file_actions.recent.aboutToShow.emit()
    assert [a.text() for a in window.file_actions.recent.actions()] == ["territory.csv"]


def test_an_empty_file_gives_a_clear_message_and_no_traceback(
    window: MainWindow, tmp_path: Path, qtbot
) -> None:
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    window.prompts.answers["warn"] = None
    with qtbot.waitSignal(window.opener.failed, timeout=30_000) as failed:
        window.open_file(empty)
    messages = window.prompts.told("warn")
    assert messages == failed.args
    assert "empty" in messages[0].lower() and "empty.xlsx" in messages[0]
    assert "Traceback" not in messages[0]
    assert window.result is None


def test_search_sort_and_value_filter_narrow_the_table(sample_window: MainWindow, qtbot) -> None:
    window = sample_window
    view = window.accounts_view
    model = window.accounts_model
    name = str(model.frame()["account_name"].iloc[10])
    qtbot.keyClicks(view.search, name)
    qtbot.waitUntil(lambda: model.rowCount() < 600, timeout=3000)
    assert model.rowCount() >= 1
    assert name in [
        model.data(model.index(r, model.column_index("account_name"))) for r in range(model.rowCount())
    ]
    assert window.filters.choice("search") == name  # the search narrows every view, not the table only
    qtbot.mouseClick(view.clear_button, Qt.MouseButton.LeftButton)
    assert model.rowCount() == 600 and view.search.text() == ""
    # sort by revenue, descending, by clicking the header twice
    col = model.column_index("revenue")
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(col) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    values = [model.data(model.index(r, col), Qt.ItemDataRole.EditRole) for r in range(5)]
    assert values == sorted(values, reverse=True)
    view.set_value_filter("territory", {"DACH"})
    assert 0 < model.rowCount() < 600
    assert set(model.frame()["territory"].iloc[model.visible_rows()].astype(str)) == {"DACH"}
    assert "of 600 accounts" in view.count_label.text()


def test_import_report_copies_and_exports(window: MainWindow, tmp_path: Path, qtbot) -> None:
    window.prompts.answers["mapping"] = the_guess
    path = small_territory(tmp_path)
    with qtbot.waitSignal(window.opener.opened, timeout=30_000) as opened:
        window.open_file(path)
    assert_opened(opened, window, path)
    wait_until_shown(qtbot, window)
    panel = window.import_report
    assert panel.model.rowCount() >= 1
    panel.copy_selection()
    copied = QApplication.clipboard().text()
    assert copied.splitlines()[0].split("\t") == ["Severity", "Sheet", "Row", "Column", "Message"]
    assert "not a number" in copied
    out = tmp_path / "report.csv"
    panel.export_csv(out)
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert (
        rows[0] == ["Severity", "Sheet", "Row", "Column", "Message"]
        and len(rows) == panel.model.rowCount() + 1
    )


def test_window_layout_is_remembered(qtbot, isolated_settings: Settings) -> None:
    first = MainWindow(settings=isolated_settings)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.resize(790, 560)  # the offscreen screen is 800x600
    first.pyramid_dock.hide()
    qtbot.waitUntil(lambda: first.size() == QSize(790, 560) and not first.pyramid_dock.isVisible())
    first.close()
    second = MainWindow(settings=isolated_settings)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitUntil(lambda: (second.width(), second.height()) == (790, 560), timeout=3000)
    assert not second.pyramid_dock.isVisible()
