"""The Sellers dock as a planner uses it: each book against capacity, accounts dropped on a seller (with a
reason, one undo step, every view following), a seller selected selects their accounts, capacity and role
typed in place, owners kept, and Balance the Books: the real dialog, some moves unchecked, accepted as one
undoable step; and a message, not a dialog, when nothing needs moving."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QTabBar,
    QWidget,
)

from tierdesk.domain.owners import owners_at
from tierdesk.qt.dialogs.balance_dialog import BalanceDialog
from tierdesk.qt.main_window import MainWindow
from tierdesk.qt.models.sellers_model import KEYS

from .helpers import Questions, drop_mime, focus_on, shown


def open_sellers(window: MainWindow, qtbot) -> None:
    """Click the Sellers tab under the matrix."""
    bar = next(
        b for b in window.findChildren(QTabBar) if "Sellers" in [b.tabText(i) for i in range(b.count())]
    )
    index = [bar.tabText(i) for i in range(bar.count())].index("Sellers")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    qtbot.waitUntil(lambda: window.sellers_view.isVisible() and window.sellers_view.table.isVisible())


def cell(window: MainWindow, seller: str, key: str) -> str:
    """The text a planner reads in a seller's row."""
    view = window.sellers_view
    return str(view.proxy.index(view.view_row(seller), KEYS.index(key)).data())


def cell_centre(window: MainWindow, seller: str, key: str) -> QPoint:
    view = window.sellers_view
    return view.table.visualRect(view.proxy.index(view.view_row(seller), KEYS.index(key))).center()


def owner_rows(window: MainWindow, owner: str) -> np.ndarray:
    plan = window.document.plan
    assert plan is not None
    return np.flatnonzero(np.array(owners_at(plan.accounts, np.arange(len(plan.accounts)))) == owner)


def test_each_book_shows_against_capacity(sample_window: MainWindow, qtbot) -> None:
    window = sample_window
    open_sellers(window, qtbot)
    view = window.sellers_view
    names = [cell(window, s, "seller") for s in ("Megan Holloway", "Priya Raman", "Markus Brenner")]
    assert names == ["Megan Holloway", "Priya Raman", "Markus Brenner"]
    assert view.proxy.rowCount() == 5  # five owners in the sample, every account owned: no "No owner" row
    assert sum(int(cell(window, s.name, "accounts")) for s in window.document.plan.sellers) == 600
    assert cell(window, "Megan Holloway", "accounts") == "192"
    assert cell(window, "Megan Holloway", "load") == "462%"  # 7,393 hours of work on a 1,600-hour book
    assert cell(window, "Megan Holloway", "workload") == "7,393 hours"
    assert cell(window, "Markus Brenner", "role") == "Business developer (guessed)"
    assert "5 over and 0 under capacity ±10%" in view.summary.text()
    assert "missing: 2 Strategic account managers, 4 Business developers" in view.summary.text()
    header = view.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=header_centre(view, "load"))
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=header_centre(view, "load"))
    assert view.proxy.index(0, 0).data() == "Megan Holloway"  # sorted by load, the heaviest first


def header_centre(view: object, key: str) -> QPoint:
    header = view.table.horizontalHeader()  # type: ignore[attr-defined]
    section = KEYS.index(key)
    return QPoint(
        header.sectionViewportPosition(section) + header.sectionSize(section) // 2, header.height() // 2
    )


def test_accounts_dropped_on_a_seller_are_reassigned_in_one_undo_step(
    sample_window: MainWindow, qtbot
) -> None:
    window = sample_window
    plan = window.document.plan
    assert plan is not None
    window.matrix.colour_by.setCurrentIndex(window.matrix.colour_by.findData("owner"))
    open_sellers(window, qtbot)
    rows = owner_rows(window, "Megan Holloway")[:4]
    model = window.accounts_model
    mime = model.mimeData([model.index(model.view_row(int(r)), 0) for r in rows])  # what the table drags
    assert drop_mime(window.sellers_view.table.viewport(), mime, cell_centre(window, "Priya Raman", "load"))
    question = window.prompts.asked_with("reason")[-1][0]  # type: ignore[attr-defined]
    assert question == "Why reassign 4 accounts to Priya Raman?"
    assert owners_at(plan.accounts, rows) == ["Priya Raman"] * 4
    assert cell(window, "Priya Raman", "accounts") == "95"
    assert cell(window, "Megan Holloway", "accounts") == "188"
    assert cell(window, "Priya Raman", "change").startswith("+")
    assert cell(window, "Megan Holloway", "change").startswith("-")
    owner_column = model.column_index("owner")
    assert model.index(model.view_row(int(rows[0])), owner_column).data() == "Priya Raman"
    qtbot.waitUntil(lambda: "Priya Raman (95)" in window.matrix.legend.texts())
    history = plan.history
    assert (history["kind"] == "reassigned").sum() == 4 and set(history["reason"].dropna()) >= {"test"}
    assert shown(window.undo_action.text()) == "Undo Reassign 4 accounts to Priya Raman"
    window.undo_action.trigger()
    assert owners_at(plan.accounts, rows) == ["Megan Holloway"] * 4
    assert cell(window, "Priya Raman", "accounts") == "91"
    assert model.index(model.view_row(int(rows[0])), owner_column).data() == "Megan Holloway"
    qtbot.waitUntil(lambda: "Priya Raman (91)" in window.matrix.legend.texts())


def test_a_drop_on_the_same_owner_asks_nothing(sample_window: MainWindow, qtbot) -> None:
    window = sample_window
    open_sellers(window, qtbot)
    rows = owner_rows(window, "Priya Raman")[:2]
    model = window.accounts_model
    mime = model.mimeData([model.index(model.view_row(int(r)), 0) for r in rows])
    asked = len(window.prompts.asked)  # type: ignore[attr-defined]
    drop_mime(window.sellers_view.table.viewport(), mime, cell_centre(window, "Priya Raman", "seller"))
    assert len(window.prompts.asked) == asked  # type: ignore[attr-defined]
    assert window.document.undo_stack.count() == 0


def test_clicking_a_seller_selects_their_accounts_in_every_view(sample_window: MainWindow, qtbot) -> None:
    window = sample_window
    open_sellers(window, qtbot)
    table = window.sellers_view.table
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=cell_centre(window, "Megan Holloway", "seller")
    )
    megan = owner_rows(window, "Megan Holloway")
    assert np.array_equal(window.selection.rows(), megan)
    assert sum(window.pyramid.selected_per_band()) == 192
    assert len(window.matrix.selected_layer.rows) == 192
    assert "192 selected" in window.count_label.text()
    window.accounts_view.table.selectRow(0)  # another view chooses: no seller stands for the selection
    assert not table.selectionModel().hasSelection()


def edit_cell(window: MainWindow, qtbot, seller: str, key: str) -> QLineEdit | QComboBox:
    """Double-click a seller's cell and return the editor that opens."""
    table = window.sellers_view.table
    focus_on(qtbot, table)
    pos = cell_centre(window, seller, key)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.waitUntil(lambda: table.state() == QAbstractItemView.State.EditingState)
    return editor_of(table)


def editor_of(table: QAbstractItemView) -> QLineEdit | QComboBox:
    """The editor open on the table's cell."""
    children = table.viewport().findChildren(QWidget)
    editors = [e for e in children if isinstance(e, QLineEdit | QComboBox) and e.isVisible()]
    assert len(editors) == 1
    return editors[0]


def test_capacity_typed_in_place_is_one_undo_step_and_a_typo_is_said(
    sample_window: MainWindow, qtbot
) -> None:
    window = sample_window
    window.prompts.answers["warn"] = None  # type: ignore[attr-defined]
    open_sellers(window, qtbot)
    editor = edit_cell(window, qtbot, "Priya Raman", "capacity")
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "3200")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: cell(window, "Priya Raman", "capacity") == "3,200 hours")
    assert cell(window, "Priya Raman", "load") == "87%"  # 2,786 hours on a 3,200-hour book
    assert shown(window.undo_action.text()) == "Undo Change seller Priya Raman"
    editor = edit_cell(window, qtbot, "Priya Raman", "capacity")
    editor.selectAll()  # type: ignore[union-attr]
    qtbot.keyClicks(editor, "lots")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(window.prompts.told("warn")))  # type: ignore[attr-defined]
    assert window.prompts.told("warn") == ["Priya Raman: 'lots' is not a number"]  # type: ignore[attr-defined]
    assert cell(window, "Priya Raman", "capacity") == "3,200 hours"
    window.undo_action.trigger()
    assert cell(window, "Priya Raman", "load") == "174%"


def test_a_role_chosen_in_place_is_no_longer_a_guess(sample_window: MainWindow, qtbot) -> None:
    window = sample_window
    open_sellers(window, qtbot)
    editor = edit_cell(window, qtbot, "Daniel Okafor", "role")
    assert isinstance(editor, QComboBox)
    editor.setCurrentIndex(editor.findText("Account manager"))
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: cell(window, "Daniel Okafor", "role") == "Account manager")
    plan = window.document.plan
    assert plan is not None
    daniel = next(s for s in plan.sellers if s.name == "Daniel Okafor")
    assert daniel.role == "Account manager" and not daniel.role_guessed


def test_reassign_from_the_menu_and_keep_owners(sample_window: MainWindow, qtbot) -> None:
    window = sample_window
    plan = window.document.plan
    assert plan is not None
    open_sellers(window, qtbot)
    rows = owner_rows(window, "Markus Brenner")[:3]
    window.selection.set_rows(rows, "test")
    questions = Questions(
        (
            QInputDialog,
            "OK",
            lambda d: d.setTextValue(next(i for i in d.comboBoxItems() if i.startswith("Sophie"))),
        )
    )
    focus_on(qtbot, window.accounts_view.table)
    qtbot.keyClick(
        window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier
    )  # Accounts ▸ Reassign to Seller…
    qtbot.waitUntil(questions.done)
    assert owners_at(plan.accounts, rows) == ["Sophie Lindgren"] * 3
    kept = int(cell(window, "Sophie Lindgren", "locked"))
    focus_on(qtbot, window.accounts_view.table)  # the questions have closed: the window has the keys again
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)  # Keep Owner When Balancing
    assert plan.owner_locks()[rows].all()
    assert int(cell(window, "Sophie Lindgren", "locked")) == kept + 3
    model = window.accounts_model
    assert model.index(model.view_row(int(rows[0])), model.column_index("Owner Kept")).data() == "yes"
    assert shown(window.undo_action.text()) == "Undo Keep the owner of 3 accounts"
    window.undo_action.trigger()
    assert not plan.owner_locks()[rows].any()


def test_balance_accepting_some_moves_is_one_undo_step(sample_window: MainWindow, qtbot) -> None:
    window = sample_window
    plan = window.document.plan
    assert plan is not None
    open_sellers(window, qtbot)
    before = owners_at(plan.accounts, np.arange(len(plan.accounts)))
    unchecked: list[int] = []

    def uncheck_two(dialog: BalanceDialog) -> None:
        table = dialog.moves
        for view_row in (1, 4):
            table.setCurrentIndex(table.model().index(view_row, 0))
            QTest.keyClick(table, Qt.Key.Key_Space)  # the check box of the current move
            unchecked.append(table.model().mapToSource(table.model().index(view_row, 0)).row())

    questions = Questions((BalanceDialog, "Accept 23 Moves", uncheck_two))
    button = window.sellers_view.toolbar.widgetForAction(window.sellers.balance_action)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(questions.done, timeout=20_000)
    qtbot.waitUntil(lambda: window.document.undo_stack.count() == 1)
    assert shown(window.undo_action.text()) == "Undo Balance the books: 23 accounts reassigned"
    after = owners_at(plan.accounts, np.arange(len(plan.accounts)))
    moved = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert len(moved) == 23
    assert cell(window, "Megan Holloway", "load") != "462%"
    reasons = plan.history.loc[plan.history["kind"] == "reassigned", "reason"].tolist()
    assert len(reasons) == 23 and all(r.startswith("Balanced: ") for r in reasons)
    window.undo_action.trigger()
    assert owners_at(plan.accounts, np.arange(len(plan.accounts))) == before
    assert cell(window, "Megan Holloway", "load") == "462%"
    assert len(set(unchecked)) == 2


def test_balance_when_nothing_needs_moving_says_so(sample_window: MainWindow, qtbot) -> None:
    window = sample_window
    window.prompts.answers["balance"] = lambda proposal: list(range(proposal.moved_accounts))  # type: ignore[attr-defined]
    window.sellers.balance_action.trigger()
    qtbot.waitUntil(lambda: window.document.undo_stack.count() == 1, timeout=20_000)
    questions = Questions((QMessageBox, "OK"))
    window.sellers.balance_action.trigger()
    qtbot.waitUntil(questions.done, timeout=20_000)
    told = window.prompts.told("inform")  # type: ignore[attr-defined]
    assert told and told[-1].startswith(
        "Every seller's load is within 238%–290% of capacity: nothing needs moving."
    )
    assert "Sellers missing: 2 Strategic account managers" in told[-1]
    assert window.document.undo_stack.count() == 1


def test_a_seller_added_is_named_in_place_and_takes_dropped_accounts(
    sample_window: MainWindow, qtbot
) -> None:
    window = sample_window
    plan = window.document.plan
    assert plan is not None
    open_sellers(window, qtbot)
    table = window.sellers_view.table
    focus_on(qtbot, table)
    qtbot.mouseClick(
        window.sellers_view.toolbar.widgetForAction(window.sellers.add_action), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: table.state() == QAbstractItemView.State.EditingState)
    editor = editor_of(table)  # the name, open to type
    assert isinstance(editor, QLineEdit) and editor.text() == "New seller"
    editor.selectAll()
    qtbot.keyClicks(editor, "Ana Ruiz")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.sellers_view.view_row("Ana Ruiz") >= 0)
    assert cell(window, "Ana Ruiz", "role") == "Business developer"  # the role the team lacks most
    assert cell(window, "Ana Ruiz", "accounts") == "0"
    rows = owner_rows(window, "Megan Holloway")[:2]
    model = window.accounts_model
    mime = model.mimeData([model.index(model.view_row(int(r)), 0) for r in rows])
    assert drop_mime(window.sellers_view.table.viewport(), mime, cell_centre(window, "Ana Ruiz", "accounts"))
    assert cell(window, "Ana Ruiz", "accounts") == "2"
    assert window.document.undo_stack.count() == 3  # added, renamed, reassigned
    window.sellers_view.select_seller("Ana Ruiz")
    qtbot.mouseClick(
        window.sellers_view.toolbar.widgetForAction(window.sellers.remove_action), Qt.MouseButton.LeftButton
    )
    assert "Ana Ruiz" not in [s.name for s in plan.sellers]
    row = window.sellers_view.view_row("Ana Ruiz")  # her accounts keep her name until balancing moves them
    index = window.sellers_view.proxy.index(row, KEYS.index("seller"))
    assert index.data(Qt.ItemDataRole.FontRole).italic()
    assert "not in the sellers table" in index.data(Qt.ItemDataRole.ToolTipRole)


def test_the_sellers_and_moves_models_keep_qt_rules(sample_window: MainWindow, qtmodeltester) -> None:
    from tierdesk.domain.balance import balance
    from tierdesk.qt.dialogs.balance_dialog import MovesModel

    qtmodeltester.check(sample_window.sellers_view.model)
    qtmodeltester.check(sample_window.sellers_view.proxy)
    plan = sample_window.document.plan
    assert plan is not None
    qtmodeltester.check(MovesModel(balance(plan)))


def test_a_pyramid_band_dropped_on_a_seller_hands_over_its_shown_accounts(
    sample_window: MainWindow, qtbot
) -> None:
    from tierdesk.qt.mime import rows_mime

    window = sample_window
    plan = window.document.plan
    assert plan is not None
    open_sellers(window, qtbot)
    window.filter_bar.set_values("territory", frozenset({"DACH"}))
    band = len(plan.playbook.tier_names) - 1
    rows = window.pyramid.band_rows(band)  # what dragging the band carries: its accounts the filters show
    in_dach = plan.accounts["territory"].astype(str).to_numpy() == "DACH"
    assert np.array_equal(rows, np.flatnonzero(in_dach & (np.asarray(plan.classification.tier) == band)))
    assert drop_mime(
        window.sellers_view.table.viewport(), rows_mime(rows), cell_centre(window, "Sophie Lindgren", "role")
    )
    assert set(owners_at(plan.accounts, rows)) == {"Sophie Lindgren"}
    assert window.document.undo_stack.count() == 1
