"""The workspace without Qt: open, edit, undo and redo, a drag as one step, a plan workbook's edits made in
Excel as one step, saving and reopening, and the typed changes every operation returns."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from tierdesk import paths
from tierdesk.app.opening import open_path, read_plan_workbook
from tierdesk.app.saving import begin_save, finish_save, save
from tierdesk.app.undo import Step
from tierdesk.app.workspace import EXCEL_NOTE, Opened, Workspace
from tierdesk.domain.changes import Change, Changed
from tierdesk.domain.governance import previous_period
from tierdesk.domain.plan import MoveSplit, PinAccounts
from tierdesk.domain.plan_objectives import new_plan
from tierdesk.domain.playbook import default_playbook
from tierdesk.io.load import LoadResult, open_territory
from tierdesk.io.plan_file import SaveError, write_plan

AS_OF = "2025-07-01"


@cache
def sample() -> LoadResult:
    return open_territory(paths.sample_territory())


def opened_sample(rows: int = 40) -> Workspace:
    result = sample()
    workspace = Workspace()
    plan = new_plan(result.accounts.head(rows), default_playbook(), as_of=AS_OF)
    assert workspace.open(Opened(result, plan)) is None  # a territory file has no edits made in Excel
    return workspace


def tier_of(workspace: Workspace, row: int) -> str:
    assert workspace.plan is not None
    plan = workspace.plan
    return plan.playbook.tier_names[int(plan.classification.tier[row])]


def other_tier(workspace: Workspace, row: int) -> str:
    assert workspace.plan is not None
    return next(t for t in workspace.plan.playbook.tier_names if t != tier_of(workspace, row))


def test_a_territory_opens_saved_with_an_empty_history() -> None:
    workspace = open_path(paths.sample_territory())
    assert workspace.plan is not None and len(workspace.plan.accounts) == len(sample().accounts)
    assert workspace.source is not None and workspace.source.file == paths.sample_territory()
    assert workspace.path is None and workspace.origin is None  # never saved: a first save asks where
    assert workspace.is_saved() and not workspace.history.can_undo()
    assert workspace.default_name() == f"{paths.sample_territory().stem} plan.xlsx"
    assert len(workspace.plan.objectives) > 0  # accounts start with their templates' objectives


def test_an_edit_returns_what_changed_and_undoes_and_redoes() -> None:
    workspace = opened_sample()
    was, to = tier_of(workspace, 3), other_tier(workspace, 3)
    change = workspace.apply(PinAccounts((3,), "tier", to, "bigger than it looks"))
    assert isinstance(change, Change)
    assert change.touches(Changed.TIER | Changed.PINNED_TIER) and not change.touches(Changed.PREVIOUS)
    assert change.rows is not None and 3 in change.rows.tolist()
    assert tier_of(workspace, 3) == to and not workspace.is_saved()
    assert workspace.history.undo_text().endswith(f"to {to}")  # "Move <the account> to <tier>"
    undone = workspace.undo()
    assert undone.touches(Changed.TIER) and tier_of(workspace, 3) == was
    assert workspace.is_saved() and workspace.history.redo_text() != ""
    redone = workspace.redo()
    assert redone.touches(Changed.TIER) and tier_of(workspace, 3) == to
    assert workspace.plan is not None
    notes = workspace.plan.history["description"].tolist()
    assert any(n.startswith("Undo: Move") for n in notes)  # the plan's own history says what was undone


def test_an_edit_after_an_undo_drops_the_undone_steps() -> None:
    workspace = opened_sample()
    workspace.apply(PinAccounts((1,), "tier", other_tier(workspace, 1), "one"))
    workspace.apply(PinAccounts((2,), "tier", other_tier(workspace, 2), "two"))
    workspace.undo()
    workspace.apply(PinAccounts((4,), "tier", other_tier(workspace, 4), "three"))
    assert len(workspace.history.steps) == 2 and not workspace.history.can_redo()


def test_a_drag_is_one_step_with_its_true_before_and_after() -> None:
    workspace = opened_sample()
    assert workspace.plan is not None
    before = workspace.plan.playbook.personas.x_split
    first = workspace.preview(MoveSplit("x", 0.2))
    workspace.preview(MoveSplit("x", 0.3))  # every mouse move: applied, not recorded
    assert not workspace.history.steps
    change = workspace.commit_preview(first.inverse, MoveSplit("x", 0.55), "Move the split")
    assert change is not None and change.touches(Changed.X_SPLIT)
    assert len(workspace.history.steps) == 1 and workspace.history.undo_text() == "Move the split"
    after = workspace.plan.playbook.personas.x_split
    assert after != before
    workspace.undo()
    assert workspace.plan.playbook.personas.x_split == before  # back to where the drag started
    workspace.redo()
    assert workspace.plan.playbook.personas.x_split == after


def test_a_drag_that_ends_where_it_started_records_nothing() -> None:
    workspace = opened_sample()
    assert workspace.plan is not None
    before = workspace.plan.playbook.personas.x_split
    first = workspace.preview(MoveSplit("x", 0.2))
    assert workspace.commit_preview(first.inverse, first.inverse, "Move the split") is None
    assert not workspace.history.steps and workspace.plan.playbook.personas.x_split == before


def test_grouped_edits_are_one_step_with_one_combined_change() -> None:
    workspace = opened_sample()
    recorded: list[Step] = []
    workspace.history.recorded.append(recorded.append)
    with workspace.group("Two pins") as steps:
        a = workspace.apply(PinAccounts((1,), "tier", other_tier(workspace, 1), "a"))
        b = workspace.apply(PinAccounts((5,), "tier", other_tier(workspace, 5), "b"))
    assert a.rows is not None and b.rows is not None
    assert [s.text for s in recorded] == ["Two pins"] and steps == recorded
    change = workspace.undo()
    assert change.rows is not None and {1, 5} <= set(change.rows.tolist())
    with workspace.group("Nothing"):
        pass
    assert len(recorded) == 1  # an empty group records no step


def test_the_previous_period_is_one_undoable_step() -> None:
    workspace = opened_sample()
    assert workspace.plan is not None
    period = previous_period(workspace.plan, "last year.xlsx")
    change = workspace.set_previous(period, "Measure turnover since last year")
    assert change is not None and change.what == Changed.PREVIOUS and change.rows is not None
    assert workspace.previous is period
    assert workspace.set_previous(period, "again") is None  # the same period: no step
    assert workspace.undo().what == Changed.PREVIOUS and workspace.previous is None


def excel_edited_workbook(tmp_path: Path) -> tuple[Path, str]:
    """A plan workbook, then one tier picked in Excel (openpyxl stands in for Excel)."""
    plan = new_plan(sample().accounts.head(30), default_playbook(), as_of=AS_OF)
    plan.apply(PinAccounts((7,), "tier", "Named", "big logo", dt.datetime(2025, 5, 1)))
    workspace = Workspace()
    workspace.set_plan(plan, source=sample())
    path = tmp_path / "plan.xlsx"
    save(workspace, path)
    book = openpyxl.load_workbook(path)
    ws = book["Account Plans"]
    column = {c.value: c.column_letter for c in ws[1]}["Tier"]
    picked = next(t for t in plan.playbook.tier_names if t != ws[f"{column}2"].value)
    ws[f"{column}2"] = picked
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    return edited, picked


def test_a_plan_workbook_opens_with_its_excel_edits_as_one_step(tmp_path: Path) -> None:
    path, picked = excel_edited_workbook(tmp_path)
    opened = read_plan_workbook(path)
    assert len(opened.excel_edits) == 1 and opened.plan_file is not None
    workspace = Workspace()
    change = workspace.open(opened)
    assert change is not None and change.touches(Changed.TIER)
    assert workspace.path == path and workspace.origin is opened.plan_file
    assert workspace.taken_from_excel == 1 and not workspace.is_saved()
    assert workspace.history.undo_text() == "Take 1 edit made in Excel"
    assert workspace.plan is not None
    account = str(workspace.plan.accounts["account_id"].iat[0])
    assert tier_of(workspace, 0) == picked
    assert workspace.plan.history["description"].iat[-1] == EXCEL_NOTE  # one note, whoever opens it
    workspace.undo()
    assert tier_of(workspace, 0) != picked and workspace.is_saved()
    assert workspace.plan.override(account, "tier") is None
    headless = open_path(path)  # the command line takes the same step the same way
    assert headless.taken_from_excel == 1 and tier_of(headless, 0) == picked


def test_a_save_round_trips_and_marks_the_plan_saved(tmp_path: Path) -> None:
    workspace = opened_sample()
    workspace.apply(PinAccounts((2,), "tier", other_tier(workspace, 2), "renewal at risk"))
    assert workspace.save_refused(paths.sample_territory()) is not None  # the territory file: never written
    with pytest.raises(SaveError):
        save(workspace, paths.sample_territory())
    path = tmp_path / "plan.xlsx"
    save(workspace, path)
    assert workspace.is_saved() and workspace.path == path and workspace.save_refused(path) is None
    again = open_path(path)
    assert again.plan is not None and workspace.plan is not None
    np.testing.assert_array_equal(again.plan.classification.tier, workspace.plan.classification.tier)
    pd.testing.assert_frame_equal(
        again.plan.overrides.drop(columns="time"), workspace.plan.overrides.drop(columns="time")
    )
    assert again.is_saved() and again.path == path and again.origin is not None


def test_a_save_begun_before_an_edit_leaves_the_plan_unsaved(tmp_path: Path) -> None:
    workspace = opened_sample()
    pending = begin_save(workspace, tmp_path / "plan.xlsx")  # the window writes it in the background
    workspace.apply(PinAccounts((2,), "tier", other_tier(workspace, 2), "while it saved"))
    write_plan(pending.state, pending.path)
    finish_save(workspace, pending)
    assert workspace.path == tmp_path / "plan.xlsx" and not workspace.is_saved()
    workspace.undo()
    assert workspace.is_saved()  # back to the plan as it was saved


def test_coverage_is_the_plans_own_and_filters_are_kept_apart() -> None:
    workspace = opened_sample()
    assert workspace.plan is not None
    assert workspace.coverage() is workspace.plan.coverage()  # cached once, on the plan
    keep = np.zeros(len(workspace.plan.accounts), dtype=bool)
    keep[:10] = True
    filtered = workspace.coverage(keep)
    assert filtered is workspace.coverage(keep.copy())  # the same filter asked twice: computed once
    assert filtered.accounts == 10 and workspace.coverage().accounts == len(keep)
    assert workspace.baseline_of(keep) is not None and workspace.baseline is workspace.plan.coverage()
