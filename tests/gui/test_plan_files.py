"""Plans saved and reopened in the window: edits made in Excel, failed saves, recovery, per-seller export."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pytest
from PySide6.QtWidgets import QMessageBox

from tierdesk.qt.main_window import MainWindow
from tierdesk.qt.settings import Settings

from .conftest import wait_until_shown
from .helpers import Questions, ScriptedPrompts, assert_opened, shown


def pin_two_accounts(window: MainWindow) -> np.ndarray:
    plan = window.document.plan
    assert plan is not None
    rows = np.flatnonzero(np.asarray(plan.classification.tier) == len(plan.playbook.tier_names) - 1)[:2]
    window.selection.set_rows(rows, "test")
    window.move_selection_to_tier(0)
    window.plan_editor.apply_template(None)
    return rows


def save_as(window: MainWindow, path: Path, qtbot) -> None:
    """File ▸ Save Plan As…, answering the file name."""
    window.prompts.answers["save_path"] = path
    with qtbot.waitSignal(window.plan_files.saved, timeout=60_000) as saved:
        window.plan_files.save_as_action.trigger()
    assert saved.args == [path]


def test_save_as_then_reopen_restores_the_plan(
    sample_window: MainWindow, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = sample_window
    rows = pin_two_accounts(window)
    plan = window.document.plan
    assert plan is not None and window.isWindowModified()
    path = tmp_path / "my plan.xlsx"
    save_as(window, path, qtbot)
    assert path.exists()
    assert not window.isWindowModified()
    assert window.windowTitle().startswith("my plan.xlsx")
    assert window.statusBar().currentMessage() == f"Saved the plan to {path}"  # a save says so
    overrides = plan.overrides.sort_values(["account_id", "field"]).reset_index(drop=True)
    objectives = plan.objectives.reset_index(drop=True)

    with qtbot.waitSignal(window.opener.opened, timeout=60_000) as opened:
        window.open_file(path)
    assert_opened(opened, window, path)
    wait_until_shown(qtbot, window)
    reopened = window.document.plan
    assert reopened is not None and reopened is not plan
    assert window.result is not None and window.result.kind == "plan"
    assert np.array_equal(np.asarray(reopened.classification.tier)[rows], [0, 0])
    again = reopened.overrides.sort_values(["account_id", "field"]).reset_index(drop=True)
    assert again[["account_id", "field", "value", "reason"]].equals(
        overrides[["account_id", "field", "value", "reason"]]
    )
    assert len(reopened.objectives) == len(objectives)
    assert window.plan_files.path == path
    assert window.document.undo_stack.count() == 0


def test_edits_made_in_excel_come_back_as_one_undo_step(
    sample_window: MainWindow, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = sample_window
    path = tmp_path / "plan.xlsx"
    save_as(window, path, qtbot)
    book = openpyxl.load_workbook(path)
    sheet = book["Account Plans"]
    header = [c.value for c in next(sheet.iter_rows(min_row=1, max_row=1))]
    tier_col = header.index("Tier") + 1
    id_col = next(i for i, h in enumerate(header) if h in ("Account ID", "Account Id", "ID")) + 1
    first_id = sheet.cell(row=2, column=id_col).value
    sheet.cell(row=2, column=tier_col).value = "Strategic"
    sheet.cell(row=3, column=tier_col).value = "Stratgic"  # a typo
    book.save(path)

    with qtbot.waitSignal(window.opener.opened, timeout=60_000) as opened:
        window.open_file(path)
    assert_opened(opened, window, path)
    wait_until_shown(qtbot, window)
    plan = window.document.plan
    assert plan is not None
    row = int(np.flatnonzero(plan.accounts["account_id"].astype(str) == str(first_id))[0])
    assert plan.playbook.tier_names[int(plan.classification.tier[row])] == "Strategic"
    assert plan.classification.pinned_tier[row]
    assert "made in Excel" in shown(window.undo_action.text())
    issues = window.import_report.model.issues()
    assert any(i.row == 3 and "Stratgic" in i.message for i in issues)
    window.undo_action.trigger()
    assert not plan.classification.pinned_tier[row]


def test_a_failed_save_keeps_the_old_file_and_offers_save_as(
    sample_window: MainWindow, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = sample_window
    path = tmp_path / "plan.xlsx"
    save_as(window, path, qtbot)
    before = path.read_bytes()
    pin_two_accounts(window)
    window.prompts.answers["save_failed"] = False  # Cancel, not Save As
    monkeypatch.setattr(
        "tierdesk.io.plan_file.write_workbook",
        lambda *a, **k: (_ for _ in ()).throw(OSError(28, "No space left on device")),
    )
    window.plan_files.save()
    qtbot.waitUntil(lambda: bool(window.prompts.asked_with("save_failed")), timeout=30_000)
    offered = [str(args[0]) for args in window.prompts.asked_with("save_failed")]
    assert "space" in offered[0].lower() or "disk" in offered[0].lower()
    assert path.read_bytes() == before
    assert window.isWindowModified()


def test_recovery_copy_is_offered_after_a_crash(
    sample_window: MainWindow,
    tmp_path: Path,
    qtbot,
    isolated_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = sample_window
    rows = pin_two_accounts(window)
    window.plan_files.write_recovery()
    assert window.plan_files.recovery_pending()
    qtbot.waitUntil(lambda: not window.plan_files.recovery_pending(), timeout=60_000)
    recovery = window.plan_files.recovery_path
    assert recovery.exists()
    # a new start finds it and, when the planner agrees, opens it
    second = MainWindow(
        settings=isolated_settings, prompts=ScriptedPrompts(recover=True, unsaved_changes="discard")
    )
    qtbot.addWidget(second)
    second.plan_files.recovery_path = recovery
    found = second.plan_files.offer_recovery()
    assert found is not None and found.exists() and not recovery.exists()
    with qtbot.waitSignal(second.opener.opened, timeout=60_000) as opened:
        second.open_file(found)
    assert_opened(opened, second, found)
    wait_until_shown(qtbot, second)
    plan = second.document.plan
    assert plan is not None
    assert np.all(np.asarray(plan.classification.pinned_tier)[rows])


def test_one_workbook_per_owner(
    sample_window: MainWindow, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = sample_window
    window.prompts.answers["inform"] = None
    window.plan_files.export_to(tmp_path, "owner")
    qtbot.waitUntil(lambda: bool(window.prompts.told("inform")), timeout=60_000)
    told = window.prompts.told("inform")
    files = sorted(tmp_path.glob("*.xlsx"))
    owners = window.document.plan.accounts["owner"].astype(str).nunique()  # type: ignore[union-attr]
    assert len(files) == owners == 5
    assert f"Wrote {owners} workbooks" in told[0]


def test_no_recovery_offer_after_undoing_back_to_the_saved_plan(
    sample_window: MainWindow, qtbot, isolated_settings: Settings
) -> None:
    window = sample_window
    files = window.plan_files
    recovery = files.recovery_path
    pin_two_accounts(window)
    files.write_recovery()  # what the timer does a few seconds after an edit
    qtbot.waitUntil(recovery.exists, timeout=60_000)
    window.undo_action.trigger()  # back to the plan as opened: no asterisk
    assert not window.isWindowModified()
    qtbot.waitUntil(lambda: not recovery.exists(), timeout=60_000)
    # an edit undone while its copy is still being written: the copy goes when the writing ends
    pin_two_accounts(window)
    files.write_recovery()
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: not files.recovery_pending() and not recovery.exists(), timeout=60_000)
    window.close()
    assert not recovery.exists()

    second = MainWindow(settings=isolated_settings)
    qtbot.addWidget(second)
    second.plan_files.recovery_path = recovery
    assert not second.plan_files.has_recovery()
    assert second.plan_files.offer_recovery() is None


def test_closing_with_unsaved_changes_asks_through_the_real_question(
    sample_window: MainWindow, qtbot
) -> None:
    """Cancel keeps the window open with its changes; Discard closes it and leaves no recovery copy."""
    window = sample_window
    pin_two_accounts(window)
    del window.prompts.answers["unsaved_changes"]  # the real question, not the test's answer
    questions = Questions((QMessageBox, "Cancel"))
    window.close()
    qtbot.waitUntil(questions.done)
    assert questions.asked == ["Unsaved changes"]
    assert window.isVisible() and window.isWindowModified()
    questions = Questions((QMessageBox, "Discard"))
    window.close()
    qtbot.waitUntil(questions.done)
    assert not window.isVisible()
    assert not window.plan_files.recovery_path.exists()


def test_the_recovery_offer_is_a_real_question(
    sample_window: MainWindow, qtbot, isolated_settings: Settings
) -> None:
    window = sample_window
    pin_two_accounts(window)
    window.plan_files.write_recovery()
    qtbot.waitUntil(lambda: not window.plan_files.recovery_pending(), timeout=60_000)
    second = MainWindow(settings=isolated_settings)  # the real prompts, as at a start after a crash
    qtbot.addWidget(second)
    second.plan_files.recovery_path = window.plan_files.recovery_path
    questions = Questions((QMessageBox, "Discard"))
    assert second.plan_files.offer_recovery() is None
    assert questions.asked == ["Recover unsaved plan"]
    assert not second.plan_files.has_recovery()


def test_a_plan_with_edits_made_in_excel_opens_in_a_fresh_window(
    sample_window: MainWindow, tmp_path: Path, qtbot, isolated_settings: Settings
) -> None:
    """The edits are applied before the new window has drawn anything: it draws them once it does."""
    path = tmp_path / "plan.xlsx"
    save_as(sample_window, path, qtbot)
    book = openpyxl.load_workbook(path)
    sheet = book["Account Plans"]
    header = [c.value for c in next(sheet.iter_rows(min_row=1, max_row=1))]
    sheet.cell(row=2, column=header.index("Tier") + 1).value = "Strategic"
    book.save(path)
    fresh = MainWindow(settings=isolated_settings, prompts=ScriptedPrompts(unsaved_changes="discard"))
    qtbot.addWidget(fresh)
    fresh.show()
    with qtbot.waitSignal(fresh.opener.opened, timeout=60_000) as opened:
        fresh.open_file(path)
    assert_opened(opened, fresh, path)
    wait_until_shown(qtbot, fresh)
    plan = fresh.document.plan
    assert plan is not None and int(plan.classification.pinned_tier.sum()) == 1
    (row,) = np.flatnonzero(plan.classification.pinned_tier)
    assert row in fresh.matrix.overlay.rows  # drawn as pinned
    assert "made in Excel" in shown(fresh.undo_action.text())
