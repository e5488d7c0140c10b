"""Every table model keeps Qt's model contract (pytest-qt's qtmodeltester, Qt's QAbstractItemModelTester)
while a planner works: filled, sorted, filtered, edited, undone. The tester watches each model from `check`
to the end of the test and fails on the first broken promise (a row count that lies, a bad index...)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt

from tierdesk.domain.plan_objectives import set_objective
from tierdesk.qt.main_window import MainWindow
from tierdesk.qt.models.objectives_model import COLUMNS

from .helpers import assert_opened, the_guess
from .test_main_window import small_territory
from .test_report_views import newer_territory


def test_the_accounts_table_model(sample_window: MainWindow, qtmodeltester) -> None:
    window = sample_window
    model = window.accounts_model
    qtmodeltester.check(model)
    model.sort(model.column_index("revenue"), Qt.SortOrder.DescendingOrder)
    window.filter_bar.set_values("territory", frozenset({"DACH"}))
    shown = model.rowCount()
    assert 0 < shown < 600
    plan = window.document.plan
    assert plan is not None
    rows = model.visible_rows()[:3]
    window.selection.set_rows(rows, "test")
    window.move_selection_to_tier(0)  # the plan columns change under the model
    tier = model.column_index("Tier")
    assert {model.data(model.index(model.view_row(int(r)), tier)) for r in rows} == {
        plan.playbook.tier_names[0]
    }
    window.undo_action.trigger()
    window.filter_bar.clear()
    assert model.rowCount() == 600


def test_the_objectives_model(sample_window: MainWindow, qtmodeltester) -> None:
    window = sample_window
    model = window.plan_editor.model
    window.selection.set_rows([5], "test")
    qtmodeltester.check(model)
    before = model.rowCount()
    window.plan_editor.add_objective()  # a row more
    assert model.rowCount() == before + 1
    objective = model.objective_id(0)
    window.document.apply(set_objective(objective, "status", "In progress"))  # a cell changes in place
    status = [f for f, _ in COLUMNS].index("status")
    assert model.data(model.index(0, status)) == "In progress"
    window.selection.set_rows(np.arange(10, 14), "test")  # other accounts: other rows
    window.undo_action.trigger()
    window.undo_action.trigger()


def test_the_import_report_model(window: MainWindow, tmp_path: Path, qtbot, qtmodeltester) -> None:
    qtmodeltester.check(window.import_report.model)
    window.prompts.answers["mapping"] = the_guess
    path = small_territory(tmp_path)
    with qtbot.waitSignal(window.opener.opened, timeout=30_000) as opened:
        window.open_file(path)
    assert_opened(opened, window, path)
    model = window.import_report.model
    assert model.rowCount() >= 1
    assert any("not a number" in issue.message for issue in model.issues())


def test_the_history_model(sample_window: MainWindow, qtmodeltester) -> None:
    window = sample_window
    view = window.history_view
    model = view.model
    qtmodeltester.check(model)
    window.selection.set_rows([1, 2], "test")
    window.move_selection_to_tier(0)
    window.undo_action.trigger()
    view.refresh()
    assert model.rowCount() == 4  # two pins, and their undoing
    view.kind.setCurrentIndex(view.kind.findData("split"))
    assert model.rowCount() == 0  # filtered to nothing, and back
    view.kind.setCurrentIndex(view.kind.findData("move"))
    assert model.rowCount() == 2 and set(model.frame()["kind"]) == {"move"}  # the moves, not their undoing


def test_the_report_models(sample_window: MainWindow, tmp_path: Path, qtbot, qtmodeltester) -> None:
    window = sample_window
    path, _grown = newer_territory(tmp_path)
    compare, progress = window.compare_view, window.progress_view
    for model in (compare.moved, progress.accounts, *progress.groups.values()):
        qtmodeltester.check(model)
    compare.run(path)
    qtbot.waitUntil(lambda: compare.comparison is not None, timeout=60_000)
    progress.run(path)
    qtbot.waitUntil(lambda: progress.result is not None, timeout=60_000)
    assert compare.moved.rowCount() > 0
    assert progress.accounts.rowCount() == 600 and progress.groups["owner"].rowCount() == 5
