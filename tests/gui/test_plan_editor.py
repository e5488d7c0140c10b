"""The account plan editor: templates, editing an objective in its table, add/remove, owner and period."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QComboBox

from tierdesk.domain.plan_objectives import set_objective
from tierdesk.domain.playbook import CATEGORIES
from tierdesk.qt.main_window import MainWindow
from tierdesk.qt.models.objectives_model import COLUMNS

from .helpers import focus_on, shown


def greenfield_row(window: MainWindow) -> int:
    plan = window.document.plan
    assert plan is not None
    return int(np.flatnonzero(np.asarray(plan.classification.category) == CATEGORIES.index("Greenfield"))[0])


def test_template_then_edit_status_in_the_table_and_undo(sample_window: MainWindow, qtbot) -> None:
    window = sample_window
    plan = window.document.plan
    assert plan is not None
    row = greenfield_row(window)
    window.selection.set_rows([row], "test")
    editor = window.plan_editor
    window.plan_dock.raise_()
    assert editor.add_button.isEnabled()
    kinds = set(plan.objectives_of(row)["kind"])
    assert "first_purchase" in kinds  # a new plan asks a Greenfield account for a first purchase
    assert not editor.apply_template(None)  # its own templates are already applied
    before = len(plan.objectives_of(row))
    assert editor.apply_template(1)  # "Make the account a reference customer"
    assert len(plan.objectives_of(row)) == before + 1
    assert editor.model.rowCount() == len(plan.objectives_of(row))
    assert shown(window.undo_action.text()).startswith("Undo Apply ")

    status_col = [f for f, _ in COLUMNS].index("status")
    table = editor.table
    index = editor.model.index(0, status_col)
    table.scrollTo(index)
    rect = table.visualRect(index)
    assert table.isVisible() and rect.isValid(), (table.isVisible(), rect)
    focus_on(qtbot, table)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QComboBox))  # the cell's editor opened
    combo = QApplication.focusWidget()
    assert isinstance(combo, QComboBox) and table.isAncestorOf(combo)
    combo.setCurrentIndex(combo.findData("In progress"))
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    objective = editor.model.objective_id(0)
    qtbot.waitUntil(lambda: table.indexWidget(index) is None and QApplication.focusWidget() is not combo)
    status = plan.objectives.set_index("objective_id").loc[objective, "status"]
    assert status == "In progress"
    assert editor.model.data(editor.model.index(0, status_col)) == "In progress"
    window.undo_action.trigger()
    assert plan.objectives.set_index("objective_id").loc[objective, "status"] == "Not started"


def test_add_and_remove_objectives_and_plan_owner(sample_window: MainWindow, qtbot) -> None:
    window = sample_window
    plan = window.document.plan
    assert plan is not None
    row = greenfield_row(window)
    window.selection.set_rows([row], "test")
    editor = window.plan_editor
    window.plan_dock.raise_()
    before = len(plan.objectives_of(row))
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert len(plan.objectives_of(row)) == before + 1
    editor.table.selectRow(editor.model.rowCount() - 1)
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert len(plan.objectives_of(row)) == before
    focus_on(qtbot, editor.owner)
    qtbot.keyClicks(editor.owner, "Dana Whitfield")
    qtbot.keyClick(editor.owner, Qt.Key.Key_Return)
    assert plan.info.owner == "Dana Whitfield"
    editor.period_end.setDate(QDate(2027, 6, 30))
    editor.period_end.editingFinished.emit()
    assert str(plan.info.period(plan.as_of)[1]) == "2027-06-30"
    assert "Territory: account plans" in editor.territory_complete.text()


def test_a_fully_planned_account_does_not_read_as_done(sample_window: MainWindow, qtbot) -> None:
    """ "100% planned" says the plan is written; how far its objectives have got is said beside it."""
    window = sample_window
    plan = window.document.plan
    assert plan is not None
    complete = plan.completeness()["complete"].to_numpy()
    row = int(np.flatnonzero(complete == 1.0)[0])
    statuses = plan.objectives_of(row)["status"]
    assert set(statuses) == {"Not started"}
    window.selection.set_rows([row], "test")
    editor = window.plan_editor
    assert editor.account_complete.text() == "100% planned"
    assert editor.progress.text() == f"0 of {len(statuses)} objective{'s' if len(statuses) > 1 else ''} met"
    objective = int(plan.objectives_of(row)["objective_id"].iat[0])
    window.document.apply(set_objective(objective, "status", "In progress"))
    assert editor.progress.text().endswith("met · 1 in progress")
    assert "objectives met" in editor.territory_complete.text()


def test_template_for_a_whole_selection(sample_window: MainWindow) -> None:
    window = sample_window
    plan = window.document.plan
    assert plan is not None
    rows = np.arange(0, 40)
    window.selection.set_rows(rows, "test")
    template = plan.playbook.objectives[1]
    ids = set(plan.accounts["account_id"].iloc[rows].astype(str))
    had = ids & {
        str(a)
        for a in plan.objectives.loc[plan.objectives["description"] == template.description, "account_id"]
    }
    assert window.plan_editor.apply_template(1)
    has_it = plan.objectives[plan.objectives["description"] == template.description]
    assert ids <= {str(a) for a in has_it["account_id"]}
    assert f"to {40 - len(had)} accounts" in shown(window.undo_action.text())


def test_menus_show_an_ampersand_as_written(sample_window: MainWindow) -> None:
    """ "Land & Expand" reads so in the menus, not "Land _Expand" (a lone "&" marks a shortcut letter)."""
    window = sample_window
    persona_menu = [shown(a.text()) for a in window.account_actions.to_persona]
    assert "Land & Expand" in persona_menu
    editor = window.plan_editor
    editor.template_menu.aboutToShow.emit()
    templates = [shown(a.text()) for a in editor.template_menu.actions() if a.text()]
    assert any(t.startswith("Land & Expand: ") for t in templates)
    window.selection.set_rows([greenfield_row(window)], "test")
    window.move_selection_to_persona("Land & Expand")
    assert shown(window.undo_action.text()).endswith("to Land & Expand")
    window.undo_action.trigger()
    assert shown(window.redo_action.text()).endswith("to Land & Expand")


def test_the_plan_period_is_blank_until_a_plan_opens(window: MainWindow, qtbot) -> None:
    """Before a file is open the period shows no made-up date; the opened plan's period shows once it is."""
    editor = window.plan_editor
    for edit in (editor.period_start, editor.period_end):
        assert edit.text().strip() == "" and not edit.isEnabled()
    with qtbot.waitSignal(window.opener.opened, timeout=60_000):
        window.file_actions.open_sample.trigger()
    plan = window.document.plan
    assert plan is not None
    start, end = plan.info.period(plan.as_of)
    qtbot.waitUntil(lambda: editor.period_start.text() == str(start) and editor.period_start.isEnabled())
    assert editor.period_end.text() == str(end)
