"""The Edit menu's undo and redo are Qt's, driving the workspace's history: one QUndoStack command per
workspace step, each undo through Qt undoes the workspace's step and the document signals what changed."""

from __future__ import annotations

from functools import cache

import pandas as pd
from pytestqt.qtbot import QtBot

from tierdesk import paths
from tierdesk.domain.changes import Change, Changed
from tierdesk.domain.plan import MoveSplit, PinAccounts
from tierdesk.domain.plan_objectives import new_plan
from tierdesk.domain.playbook import default_playbook
from tierdesk.io.load import open_territory
from tierdesk.qt.document import PlanDocument


@cache
def accounts() -> pd.DataFrame:
    return open_territory(paths.sample_territory()).accounts.head(60)


def document_with_plan() -> PlanDocument:
    document = PlanDocument()
    document.set_plan(new_plan(accounts(), default_playbook(), as_of="2025-07-01"))
    return document


def other_tier(document: PlanDocument, row: int) -> str:
    plan = document.plan
    assert plan is not None
    now = plan.playbook.tier_names[int(plan.classification.tier[row])]
    return next(t for t in plan.playbook.tier_names if t != now)


def test_an_undo_through_qt_undoes_the_workspace_step_and_signals_the_change(qtbot: QtBot) -> None:
    document = document_with_plan()
    stack, history = document.undo_stack, document.workspace.history
    tier = other_tier(document, 4)
    with qtbot.waitSignal(document.changed) as applied:
        document.apply(PinAccounts((4,), "tier", tier, "test"))
    change = applied.args[0]
    assert isinstance(change, Change) and change.touches(Changed.TIER)
    assert stack.count() == 1 == len(history.steps) and stack.text(0) == history.steps[0].text
    assert not stack.isClean() and not document.workspace.is_saved()
    with qtbot.waitSignal(document.changed) as undone:
        stack.undo()
    assert undone.args[0].touches(Changed.TIER) and undone.args[0].row_changed(4)
    assert history.index == stack.index() == 0 and stack.isClean() and document.workspace.is_saved()
    stack.redo()
    assert history.index == 1 and document.plan is not None
    assert document.plan.playbook.tier_names[int(document.plan.classification.tier[4])] == tier


def test_a_macro_and_a_drag_are_one_command_each(qtbot: QtBot) -> None:
    document = document_with_plan()
    stack = document.undo_stack
    with document.macro("Pin two"):
        document.apply(PinAccounts((1,), "tier", other_tier(document, 1), "a"))
        document.apply(PinAccounts((2,), "tier", other_tier(document, 2), "b"))
    first = document.preview(MoveSplit("x", 0.5))
    document.preview(MoveSplit("x", 0.6))
    document.commit_preview(first.inverse, MoveSplit("x", 0.62), "Move the split")
    assert [stack.text(i) for i in range(stack.count())] == ["Pin two", "Move the split"]
    seen: list[Change] = []
    document.changed.connect(seen.append)
    with qtbot.waitSignal(document.changed) as blocker:
        stack.setIndex(0)  # the History panel's click on the start: both undone, the last first
    assert blocker.args[0].touches(Changed.X_SPLIT) and not blocker.args[0].touches(Changed.PINNED_TIER)
    assert [c.touches(Changed.PINNED_TIER) for c in seen] == [False, True]
    assert document.workspace.history.index == 0 and document.workspace.is_saved()
    assert document.plan is not None and not document.plan.overrides["field"].eq("tier").any()
