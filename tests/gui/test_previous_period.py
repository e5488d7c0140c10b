"""File ▸ Previous Period…: tier turnover since last period's plan in the coverage panel; undoable, saved."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tierdesk.domain.changes import Changed
from tierdesk.domain.plan import PinAccounts, Plan
from tierdesk.io.plan_file import read_plan, write_plan
from tierdesk.io.snapshot import PlanSnapshot

from .helpers import shown


def last_quarter(window: object, path: Path, moved: int) -> None:
    """A previous period's plan in which `moved` of today's Strategic accounts were Named."""
    plan = window.document.plan  # type: ignore[attr-defined]
    before = Plan(plan.accounts, plan.playbook)
    strategic = np.flatnonzero(before.classification.tier == 0)[:moved]
    before.apply(PinAccounts(tuple(int(r) for r in strategic), "tier", "Named", "last quarter"))
    write_plan(PlanSnapshot.from_plan(before), path)


def test_previous_period_from_the_menu_shows_turnover_and_undo_removes_it(
    qtbot: object, sample_window: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = sample_window
    old = tmp_path / "q3 plan.xlsx"
    last_quarter(window, old, moved=6)
    coverage = window.coverage  # type: ignore[attr-defined]
    assert not coverage.turnover_label.isVisibleTo(window)
    assert not any("turnover" in m for m in coverage.governance)

    window.prompts.answers["open_path"] = old  # type: ignore[attr-defined]
    commands = window.previous_commands  # type: ignore[attr-defined]
    with qtbot.waitSignal(window.document.changed, timeout=20_000) as changed:  # type: ignore[attr-defined]
        commands.set_action.trigger()
    (change,) = changed.args
    assert change.what == Changed.PREVIOUS and not len(change.rows)  # no account's values changed
    assert window.document.previous is not None  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: coverage.turnover_label.isVisibleTo(window))
    # 12 Strategic accounts last quarter, 18 now: 6 joined, 50% against a 25% limit
    text = coverage.turnover_label.text()
    assert "q3 plan.xlsx" in text and "Strategic 50% (max 25%)" in text
    assert any("Strategic turnover is 50%" in m for m in coverage.governance)
    assert commands.clear_action.isEnabled()
    assert shown(window.undo_action.text()) == "Undo Measure turnover since q3 plan.xlsx"  # type: ignore[attr-defined]

    window.undo_action.trigger()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not coverage.turnover_label.isVisibleTo(window))
    assert window.document.previous is None  # type: ignore[attr-defined]
    assert not any("turnover" in m for m in coverage.governance)
    window.redo_action.trigger()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: any("turnover" in m for m in coverage.governance))

    saved = tmp_path / "q4 plan.xlsx"
    with qtbot.waitSignal(window.plan_files.saved, timeout=60_000) as blocker:  # type: ignore[attr-defined]
        window.plan_files.save_to(saved)  # type: ignore[attr-defined]
    assert blocker.args == [saved]
    state, _problems, _edits = read_plan(saved)
    assert state.previous == window.document.previous  # type: ignore[attr-defined]

    commands.clear_action.trigger()
    qtbot.waitUntil(lambda: not coverage.turnover_label.isVisibleTo(window))
    assert not commands.clear_action.isEnabled()


def test_a_file_that_cannot_be_read_is_reported_and_changes_nothing(
    qtbot: object, sample_window: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    prompts = sample_window.prompts  # type: ignore[attr-defined]
    prompts.answers["warn"] = None
    commands = sample_window.previous_commands  # type: ignore[attr-defined]
    commands.load(bad)
    qtbot.waitUntil(lambda: bool(prompts.told("warn")), timeout=20_000)
    warnings = prompts.told("warn")
    assert sample_window.document.previous is None  # type: ignore[attr-defined]
    assert "Traceback" not in warnings[0]
    assert commands.set_action.isEnabled()
