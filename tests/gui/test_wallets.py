"""A territory file without a wallet, opened as a planner would: the mapping dialog and the import report say
what will be estimated, the pyramid and the matrix fill, estimated wallets are hollow in the matrix (with a
legend entry), and a wallet typed in the accounts table changes the account's persona and the coverage,
undoably."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QMessageBox

from tierdesk.domain.playbook import PERSONAS
from tierdesk.qt.dialogs.mapping_dialog import MappingDialog
from tierdesk.qt.main_window import MainWindow
from tierdesk.qt.wallet_actions import WalletDialog

from .conftest import wait_until_shown
from .helpers import assert_opened, the_guess

INDUSTRIES = ("Healthcare", "Retail", "Manufacturing")


def territory_without_wallet(path: Path, n: int = 90) -> Path:
    rng = np.random.default_rng(7)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["Account ID", "Account Name", "Industry", "Employees", "Annual Revenue", "Region"])
        for i in range(n):
            employees = int(rng.integers(20, 5_000))
            revenue = round(employees * rng.uniform(50, 400))
            out.writerow([f"A{i:03d}", f"Account {i}", INDUSTRIES[i % 3], employees, revenue, "North"])
    return path


def legend_labels(window: MainWindow) -> list[str]:
    return window.matrix.legend.texts()


def test_file_without_wallet_is_planned_and_a_typed_wallet_moves_the_account(
    window: MainWindow, tmp_path: Path, qtbot
) -> None:
    path = territory_without_wallet(tmp_path / "territory.csv")
    said: list[str] = []

    def answer_mapping() -> None:  # read the dialog as a person would, then click OK
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, MappingDialog):
            QTimer.singleShot(20, answer_mapping)
            return
        said.append(dialog.wallet_note.text() if dialog.wallet_note.isVisible() else "")
        dialog.accept()

    QTimer.singleShot(20, answer_mapping)
    with qtbot.waitSignal(window.opener.opened, timeout=30_000) as opened:
        window.open_file(path)
    assert_opened(opened, window, path)
    wait_until_shown(qtbot, window)
    assert said and "no wallet, growth potential or share of wallet" in said[0]
    assert "90th percentile of peers' revenue per employee" in said[0]
    report = [i.message for i in window.import_report.model.issues()]
    assert any("tierdesk estimates their wallets" in m for m in report)

    plan = window.document.plan
    assert plan is not None
    cls = plan.classification
    assert (cls.tier >= 0).all() and (cls.persona >= 0).all()  # nothing left Unclassified
    assert sum(b["accounts"] for b in window.pyramid.band_stats()) == 90
    on_log_axis = int(
        (cls.y > 0).sum()
    )  # the rest spend their whole estimate: potential 0, not on a log axis
    assert len(window.matrix.shown_rows()) == on_log_axis >= 60
    assert window.matrix.hidden_note.text().startswith(f"{90 - on_log_axis:,} not plotted")
    assert window.matrix.hidden_note.isVisible()
    assert "Wallet estimated (90)" in legend_labels(window)  # every account, drawn or not, as the pyramid
    assert not window.matrix.cloud.filled().any()  # every point's wallet is an estimate: all drawn hollow
    assert len(window.matrix.cloud.rows) == on_log_axis

    # a Protect & Defend account: a much larger wallet makes its share small and its potential large
    row = int(np.flatnonzero(cls.persona == PERSONAS.index("Protect & Defend"))[0])
    before = window.document.coverage()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.accounts_dock.raise_()
    table = window.accounts_view.table
    model = window.accounts_model
    qtbot.waitUntil(lambda: model.rowCount() == 90)
    index = model.index(model.view_row(row), model.column_index("Wallet"))
    assert model.data(index, Qt.ItemDataRole.ToolTipRole).startswith("Wallet $")
    table.scrollTo(index)
    rect = table.visualRect(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "50M")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: plan.classification.wallet_source[row] == "planner")

    cls = plan.classification
    assert cls.wallet[row] == 50_000_000
    assert PERSONAS[cls.persona[row]] in ("Land & Expand", "Efficient Engagement")
    assert cls.persona[row] != PERSONAS.index("Protect & Defend")
    after = window.document.coverage()
    assert (after.sellers, after.cost) != (before.sellers, before.cost)
    assert model.data(index) == "$50,000,000"
    assert model.data(model.index(index.row(), model.column_index("Wallet Source"))) == "planner"
    assert window.undo_action.text() == f"&Undo Set wallet of Account {row} to $50M"
    qtbot.waitUntil(lambda: "Wallet estimated (89)" in legend_labels(window))
    window.selection.set_rows([row], "test")
    assert window.plan_editor.wallet.source.text() == "your own figure"

    window.undo_action.trigger()
    assert plan.classification.wallet_source[row] == "peers"
    assert plan.classification.persona[row] == PERSONAS.index("Protect & Defend")
    assert window.document.coverage().cost == before.cost
    qtbot.waitUntil(lambda: "Wallet estimated (90)" in legend_labels(window))
    assert window.plan_editor.wallet.source.text() == "estimated from peers"
    assert window.plan_editor.wallet.note.text().startswith("Wallet $")


def test_wallet_typed_in_the_account_plan_dock(window: MainWindow, tmp_path: Path, qtbot) -> None:
    path = territory_without_wallet(tmp_path / "territory.csv", 40)
    window.prompts.answers["mapping"] = the_guess
    with qtbot.waitSignal(window.opener.opened, timeout=30_000) as opened:
        window.open_file(path)
    assert_opened(opened, window, path)
    wait_until_shown(qtbot, window)
    plan = window.document.plan
    assert plan is not None
    window.plan_dock.raise_()
    window.selection.set_rows([3], "test")
    line = window.plan_editor.wallet
    qtbot.waitUntil(line.amount.isVisible)
    line.amount.setFocus()
    line.amount.selectAll()
    qtbot.keyClicks(line.amount, "abc")
    warned: list[str] = []

    def click_ok() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click_ok)
            return
        warned.append(box.text())
        box.button(QMessageBox.StandardButton.Ok).click()

    QTimer.singleShot(20, click_ok)
    qtbot.keyClick(line.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(warned))
    assert "'abc' is not a wallet" in warned[0]
    assert plan.classification.wallet_source[3] == "peers"  # not an amount: nothing changed
    line.amount.setFocus()
    line.amount.selectAll()
    qtbot.keyClicks(line.amount, "2.5M")
    qtbot.keyClick(line.amount, Qt.Key.Key_Return)
    assert plan.classification.wallet[3] == 2_500_000
    assert line.note.text() == "Wallet $2.5M: the planner's own figure"
    window.undo_action.trigger()
    assert plan.classification.wallet_source[3] == "peers"


def test_wallet_settings_dialog_is_one_undoable_edit_naming_the_coverage_change(
    window: MainWindow, tmp_path: Path, qtbot
) -> None:
    path = territory_without_wallet(tmp_path / "territory.csv", 60)
    window.prompts.answers["mapping"] = the_guess
    with qtbot.waitSignal(window.opener.opened, timeout=30_000) as opened:
        window.open_file(path)
    assert_opened(opened, window, path)
    wait_until_shown(qtbot, window)
    plan = window.document.plan
    assert plan is not None
    before = plan.classification.wallet.copy()
    seen: list[str] = []

    def choose_median() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, WalletDialog):
            QTimer.singleShot(20, choose_median)
            return
        dialog.quantile.setValue(50.0)
        seen.append(dialog.summary.text())
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(20, choose_median)
    window.wallet_commands.action.trigger()
    assert seen and seen[0].startswith("Wallets the file lacks: median of peers' revenue per employee")
    assert plan.playbook.wallet.quantile == 0.5
    assert (plan.classification.wallet <= before).all() and (plan.classification.wallet < before).any()
    text = window.undo_action.text()
    assert text.startswith("&Undo Estimate wallets: median of peers") and "(coverage " in text
    window.undo_action.trigger()
    assert plan.playbook.wallet.quantile == 0.9
    assert plan.classification.wallet.tolist() == before.tolist()
