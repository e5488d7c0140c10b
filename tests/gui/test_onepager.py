"""One-page account plans as a person gets them: a PDF with one page per account (its objectives on it,
nothing cut), bookmarks to each account; the preview from the Account plan dock and the table's context
menu; printing; `tierdesk onepager`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QProgressDialog, QPushButton, QWidget

from tierdesk import paths
from tierdesk.cli import main
from tierdesk.domain.onepager import account_sheets, onepager_rows
from tierdesk.domain.plan import PinAccounts
from tierdesk.domain.plan_objectives import add_objective, new_plan, set_objective
from tierdesk.domain.playbook import default_playbook
from tierdesk.io.load import open_territory
from tierdesk.io.plan_file import write_plan
from tierdesk.io.snapshot import PlanSnapshot
from tierdesk.qt.main_window import MainWindow
from tierdesk.qt.onepager.render import write_pdf

AS_OF = "2025-07-01"
LONG_NAME = (
    "Northwind Consolidated Holdings International Group of Companies, Subsidiaries and Affiliates "
    "(Europe, Middle East, Africa and Asia-Pacific) Limited Liability Partnership"
)
NOTE = ("Met the CFO in March; the renewal hinges on the data-residency clause and a second workshop. " * 30)[
    :2000
]


def words(text: str) -> str:
    """Text without its layout: the words of a page, wherever the lines wrap."""
    return "".join(text.split())


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


@pytest.fixture(scope="module")
def plan():  # type: ignore[no-untyped-def]
    return new_plan(open_territory(paths.sample_territory()).accounts, default_playbook(), as_of=AS_OF)


def test_a_pdf_has_one_page_per_account_with_its_objectives_and_a_bookmark_each(
    qapp, plan, tmp_path: Path
) -> None:
    rows = onepager_rows(plan, tier="Strategic")
    pages = account_sheets(plan, rows)
    out = write_pdf(tmp_path / "strategic.pdf", pages, title="Strategic accounts")
    texts = pdf_pages(out)
    assert len(texts) == len(rows) == 18
    for page, text in zip(pages, texts, strict=True):
        assert words(page.name) in words(text) and words(page.account_id) in words(text)
        assert page.objectives
        for objective in page.objectives:
            assert words(objective.description) in words(text)
    reader = PdfReader(out)
    owners = {p.owner for p in pages}
    flat = [item for group in reader.outline if isinstance(group, list) for item in group]
    assert [o.title for o in reader.outline if not isinstance(o, list)] == sorted(owners)
    assert [item.title for item in flat] == [p.title for p in pages]
    assert [reader.get_destination_page_number(item) for item in flat] == list(range(len(pages)))
    assert reader.metadata.title == "Strategic accounts"


def test_a_long_name_and_long_notes_shrink_to_one_page_and_nothing_is_cut(qapp, tmp_path: Path) -> None:
    accounts = open_territory(paths.sample_territory()).accounts.copy()
    accounts.loc[3, "account_name"] = LONG_NAME
    plan = new_plan(accounts, default_playbook(), as_of=AS_OF)
    plan.apply(PinAccounts((3,), "tier", "Strategic", "The board asked for white-glove cover this year"))
    for objective in plan.objectives_of(3)["objective_id"]:
        plan.apply(set_objective(int(objective), "notes", NOTE))
    plan.apply(add_objective(plan, 3, "custom", "Map the buying centre across the five regions"))
    out = write_pdf(tmp_path / "long.pdf", account_sheets(plan, [3]))
    (text,) = pdf_pages(out)
    assert words(LONG_NAME) in words(text)
    assert words(text).count(words(NOTE)) == len(plan.objectives_of(3)) - 1  # every note, whole
    assert words("The board asked for white-glove cover this year") in words(text)
    assert words("Map the buying centre across the five regions") in words(text)


def test_an_existing_file_that_is_not_a_pdf_is_never_overwritten(qapp, plan, tmp_path: Path) -> None:
    from tierdesk.io.plan_file import SaveError

    workbook = tmp_path / "plan.xlsx"
    workbook.write_bytes(b"PK\x03\x04 not a pdf")
    with pytest.raises(SaveError, match="not a PDF"):
        write_pdf(workbook, account_sheets(plan, [0]))
    assert workbook.read_bytes() == b"PK\x03\x04 not a pdf"
    assert list(tmp_path.iterdir()) == [workbook]  # no draft left behind


# ---------------------------------------------------------------- in the window


def when_shown(find: Callable[[], QWidget | None], act: Callable[[QWidget], None]) -> None:
    """Once `find` returns a widget (a menu that popped up, a modal dialog), act on it as a person would."""

    def poll() -> None:
        widget = find()
        if widget is None or not widget.isVisible():
            QTimer.singleShot(20, poll)
        else:
            act(widget)

    QTimer.singleShot(20, poll)


def click_menu_item(qtbot, starts_with: str) -> Callable[[QWidget], None]:  # type: ignore[no-untyped-def]
    def act(menu: QWidget) -> None:
        assert isinstance(menu, QMenu)
        action = next(a for a in menu.actions() if a.text().startswith(starts_with))
        qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())

    return act


def click_row(qtbot, window: MainWindow, row: int, button=Qt.MouseButton.LeftButton) -> QPoint:  # type: ignore[no-untyped-def]
    table = window.accounts_view.table
    rect = table.visualRect(window.accounts_model.index(row, 1))
    qtbot.mouseClick(table.viewport(), button, pos=rect.center())
    return rect.center()


def right_click_row(qtbot, window: MainWindow, row: int) -> None:  # type: ignore[no-untyped-def]
    """A right-click: the button press, then the context-menu event the window system sends with it."""
    where = click_row(qtbot, window, row, Qt.MouseButton.RightButton)
    viewport = window.accounts_view.table.viewport()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, where, viewport.mapToGlobal(where))
    QApplication.sendEvent(viewport, event)


def test_the_dock_button_opens_the_print_preview_of_the_selected_account(
    sample_window: MainWindow, qtbot
) -> None:
    window = sample_window
    window.plan_dock.raise_()
    click_row(qtbot, window, 0)
    qtbot.waitUntil(lambda: len(window.selection) == 1)
    button = window.plan_editor.print_button
    assert button.isEnabled()
    seen: dict[str, object] = {}

    def look_and_close(dialog: QWidget) -> None:
        assert isinstance(dialog, QPrintPreviewDialog)
        seen["title"] = dialog.windowTitle()
        seen["pages"] = dialog.findChild(QPrintPreviewWidget).pageCount()
        dialog.reject()

    when_shown(QApplication.activePopupWidget, click_menu_item(qtbot, "Print Pre&view"))
    when_shown(QApplication.activeModalWidget, look_and_close)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "pages" in seen, timeout=10_000)
    name = window.document.plan.account_label(int(window.selection.rows()[0]))
    assert seen == {"title": f"Print preview: one-page plans of {name}", "pages": 1}
    assert QApplication.activeModalWidget() is None


def test_the_table_context_menu_saves_the_owners_one_pagers_as_a_pdf(
    sample_window: MainWindow, qtbot, tmp_path: Path
) -> None:
    window = sample_window
    out = tmp_path / "owner.pdf"
    window.prompts.answers["save_path"] = out
    plan = window.document.plan
    row = int(window.accounts_model.selected_frame_rows([2])[0])
    owner = str(plan.accounts["owner"].iat[row])
    count = int((plan.accounts["owner"].astype(str) == owner).sum())
    when_shown(
        QApplication.activePopupWidget, click_menu_item(qtbot, f"Save One-Page Plans for owner {owner}")
    )
    right_click_row(qtbot, window, 2)
    qtbot.waitUntil(lambda: out.exists() and window.onepager.task is None, timeout=60_000)
    texts = pdf_pages(out)
    assert len(texts) == count
    assert all(words(f"Owner: {owner}") in words(t) for t in texts)
    assert f"Saved {count:,} one-page plans to owner.pdf" in window.statusBar().currentMessage()
    ((title, suggested, _filter),) = window.prompts.asked_with("save_path")
    assert title == f"Save one-page plans of owner {owner} ({count:,} accounts)"
    assert Path(suggested).name == f"Account plans - {owner}.pdf"


def test_print_sends_one_page_per_selected_account_to_the_printer(
    sample_window: MainWindow, qtbot, tmp_path: Path
) -> None:
    window = sample_window
    window.selection.set_rows(np.arange(5), "test")
    out = tmp_path / "printed.pdf"

    def print_to_file(dialog: QWidget) -> None:  # no printer here: Qt's dialog offers "Print to File (PDF)"
        assert isinstance(dialog, QPrintDialog)
        name = dialog.findChild(QLineEdit, "filename")
        name.clear()
        qtbot.keyClicks(name, str(out))
        dialog.accept()

    when_shown(QApplication.activeModalWidget, print_to_file)
    window.onepager.print_action.trigger()
    qtbot.waitUntil(lambda: window.onepager.task is None and out.exists(), timeout=60_000)
    assert len(pdf_pages(out)) == 5
    assert "Sent 5 one-page plans" in window.statusBar().currentMessage()


def test_cancelling_the_print_dialog_prints_nothing(sample_window: MainWindow) -> None:
    window = sample_window
    window.prompts.answers["print_setup"] = False  # Cancel in the print dialog
    window.selection.set_rows(np.arange(3), "test")
    window.onepager.print_action.trigger()
    ((printer, title),) = window.prompts.asked_with("print_setup")
    assert title == "Print one-page plans of 3 accounts" and printer.docName() == "Account plans: 3 accounts"
    assert window.onepager.task is None and "Sent" not in window.statusBar().currentMessage()


def test_cancelling_a_long_pdf_leaves_no_file_behind(
    sample_window: MainWindow, qtbot, tmp_path: Path
) -> None:
    window = sample_window
    folder = tmp_path / "out"
    folder.mkdir()
    window.prompts.answers["save_path"] = folder / "all.pdf"
    window.selection.clear("test")
    window.onepager.pdf_action.trigger()  # nothing selected: every account shown, 600 pages
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QProgressDialog), timeout=20_000)
    dialog = QApplication.activeModalWidget()
    assert "Saving 600 one-page plans" in dialog.labelText()
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.onepager.task is None, timeout=30_000)
    assert list(folder.iterdir()) == []  # neither the PDF nor its draft
    assert window.statusBar().currentMessage() == "Saving 600 one-page plans: cancelled"


def test_with_no_account_shown_nothing_is_printed_and_the_planner_is_told_why(
    sample_window: MainWindow, qtbot, tmp_path: Path
) -> None:
    window = sample_window
    out = tmp_path / "none.pdf"
    window.prompts.answers.update(inform=None, save_path=out)
    window.selection.clear("test")
    qtbot.keyClicks(window.accounts_view.search, "no account is called this")
    qtbot.waitUntil(lambda: window.accounts_model.rowCount() == 0)
    window.onepager.pdf_action.trigger()
    assert window.prompts.told("inform") == ["Select the accounts to print first."]
    assert not window.prompts.asked_with("save_path")  # not asked where, with nothing to write
    assert window.onepager.task is None and not out.exists()


# ---------------------------------------------------------------- the command line


def test_onepager_command(qapp, plan, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workbook = tmp_path / "plan.xlsx"
    write_plan(PlanSnapshot.from_plan(plan), workbook)
    out = tmp_path / "named.pdf"
    assert main(["onepager", str(workbook), "-o", str(out), "--tier", "named"]) == 0
    named = int((plan.classification.tier == 1).sum())
    assert f"wrote {out} ({named} pages, one per account)" in capsys.readouterr().out
    assert len(pdf_pages(out)) == named
    one = tmp_path / "one.pdf"
    account = str(plan.accounts["account_id"].iat[0])
    assert main(["onepager", str(workbook), "-o", str(one), "--account", account]) == 0
    assert words(account) in words(pdf_pages(one)[0])
    assert main(["onepager", str(workbook), "-o", str(one), "--owner", "Nobody Here"]) == 2
    assert "no account has the owner 'Nobody Here'" in capsys.readouterr().err
    assert main(["onepager", str(workbook), "-o", str(workbook), "--account", account]) == 2
    assert "is not a PDF" in capsys.readouterr().err
