"""The History panel lists recorded changes and narrows them by account search, owner and kind."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tierdesk import paths
from tierdesk.domain.plan import MoveSplit, PinAccounts
from tierdesk.domain.plan_objectives import new_plan
from tierdesk.domain.playbook import default_playbook
from tierdesk.io.load import open_territory
from tierdesk.qt.document import PlanDocument
from tierdesk.qt.views.history_view import HistoryView


def test_rows_appear_and_filters_narrow_them(qtbot: object) -> None:
    document = PlanDocument()
    accounts = open_territory(paths.sample_territory()).accounts
    document.set_plan(new_plan(accounts, default_playbook(), as_of="2025-07-01"))
    view = HistoryView(document)
    qtbot.addWidget(view)  # type: ignore[attr-defined]
    view.show()  # the panel fills while it is on screen
    assert view.proxy.rowCount() == 0
    plan = document.plan
    assert plan is not None
    document.apply(PinAccounts((0, 1, 2), "tier", plan.playbook.tier_names[0], "test"))
    document.apply(MoveSplit("x", 0.5, "percentile"))
    assert view.proxy.rowCount() == 4
    document.undo_stack.undo()
    assert view.proxy.rowCount() == 5  # the undo is a change of its own

    name = str(plan.accounts["account_name"].iat[0])
    qtbot.keyClicks(view.search, name)  # type: ignore[attr-defined]
    assert view.proxy.rowCount() == 1
    assert view.proxy.index(0, 4).data(Qt.ItemDataRole.DisplayRole) == name
    view.search.clear()

    view.kind.setCurrentIndex(view.kind.findData("split"))
    assert view.proxy.rowCount() == 2
    view.kind.setCurrentIndex(0)

    owner = str(plan.accounts["owner"].iat[1])
    view.owner.setCurrentIndex(view.owner.findData(owner))
    expected = int((plan.accounts["owner"].iloc[[0, 1, 2]] == owner).sum())
    assert view.proxy.rowCount() == expected
    assert view.count.text().startswith(f"{expected} of 5")
