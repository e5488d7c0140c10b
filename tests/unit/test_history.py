"""The plan's edit history: entries for each kind of edit, filters, and the exact save → read round trip."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tierdesk import paths
from tierdesk.domain.history import COLUMNS, filter_history, history_entries, history_frame, text
from tierdesk.domain.plan import MoveSplit, PinAccounts, Plan, SetPlaybookValue
from tierdesk.domain.plan_objectives import PlanInfo, SetPlanInfo, new_plan, set_objective
from tierdesk.domain.playbook import default_playbook
from tierdesk.domain.texts import axis_text, round_as_shown
from tierdesk.io.load import open_territory
from tierdesk.io.plan_file import read_plan, write_plan
from tierdesk.io.snapshot import PlanSnapshot


@pytest.fixture(scope="module")
def accounts() -> pd.DataFrame:
    return open_territory(paths.sample_territory()).accounts.head(120)


@pytest.fixture
def plan(accounts: pd.DataFrame) -> Plan:
    p = new_plan(accounts, default_playbook(), as_of="2025-07-01")
    p.user = "tester"
    return p


def test_a_new_plan_has_an_empty_history(plan: Plan) -> None:
    assert list(plan.history.columns) == list(COLUMNS) and len(plan.history) == 0


def test_a_pin_records_one_entry_per_account(plan: Plan) -> None:
    top = plan.playbook.tier_names[0]
    before = [plan.classification.tier_names[t] for t in plan.classification.tier[[0, 1]]]
    plan.apply(PinAccounts((0, 1), "tier", top, "CIO sponsor"))
    h = plan.history
    assert h["kind"].tolist() == ["move", "move"]
    assert h["account_id"].tolist() == plan.accounts["account_id"].iloc[[0, 1]].tolist()
    assert h["owner"].tolist() == plan.accounts["owner"].iloc[[0, 1]].tolist()
    assert h["old"].tolist() == before and h["new"].tolist() == [top, top]
    assert set(h["reason"]) == {"CIO sponsor"} and set(h["user"]) == {"tester"}
    assert set(h["what"]) == {"tier"}


def test_clearing_a_pin_and_undo_are_recorded(plan: Plan) -> None:
    top = plan.playbook.tier_names[0]
    applied = plan.apply(PinAccounts((0,), "tier", top, "x"))
    plan.apply(applied.inverse)
    plan.apply(PinAccounts((0,), "tier", top, "again"))
    plan.apply(PinAccounts((0,), "tier", None))
    h = plan.history
    assert h["kind"].tolist() == ["move", "override", "move", "override"]
    assert h["description"].iat[1].startswith("Undo")
    assert h["old"].iat[3] == top


def test_not_recorded_when_asked(plan: Plan) -> None:
    plan.apply(PinAccounts((0,), "tier", plan.playbook.tier_names[0]), record=False)
    plan.apply(MoveSplit("x", 0.5, "percentile"), note="Undo: drag")
    assert len(plan.history) == 1 and plan.history["description"].iat[0] == "Undo: drag"


def test_split_playbook_objective_and_plan_info_entries(plan: Plan) -> None:
    plan.apply(MoveSplit("y", 0.25, "percentile"))
    plan.apply(SetPlaybookValue("tiers[1].touches_per_quarter", 9))
    oid = int(plan.objectives["objective_id"].iat[0])
    plan.apply(set_objective(oid, "status", "Met"))
    plan.apply(SetPlanInfo(PlanInfo(owner="Ann")))
    h = plan.history
    assert h["kind"].tolist() == ["split", "playbook", "objective", "plan"]
    assert h["what"].iat[0] == "potential split" and h["new"].iat[0] == "25th percentile"
    assert (h["what"].iat[1], h["new"].iat[1]) == ("tiers[1].touches_per_quarter", "9")
    assert h["account_id"].iat[2] == plan.objectives["account_id"].iat[0] and h["new"].iat[2] == "Met"
    assert (h["account_id"].iat[3], h["what"].iat[3], h["new"].iat[3]) == ("", "owner", "Ann")


def test_filters_narrow_by_account_owner_and_kind(plan: Plan) -> None:
    plan.apply(PinAccounts(tuple(range(20)), "tier", plan.playbook.tier_names[0]))
    plan.apply(MoveSplit("x", 0.5, "percentile"))
    h = plan.history
    first = str(plan.accounts["account_name"].iat[0])
    assert filter_history(h, account=first[:6].lower())["account_name"].str.startswith(first[:6]).all()
    owner = str(plan.accounts["owner"].iat[0])
    assert set(filter_history(h, owner=owner)["owner"]) == {owner}
    assert len(filter_history(h, kind="split")) == 1
    assert len(filter_history(h)) == len(h) == 21


def test_entries_and_frames_convert_both_ways(plan: Plan) -> None:
    plan.apply(PinAccounts((0, 1), "tier", plan.playbook.tier_names[0], "r"))
    back = history_frame(history_entries(plan.history))
    pd.testing.assert_frame_equal(back, plan.history)


def test_a_big_pin_is_cheap(accounts: pd.DataFrame) -> None:
    big = pd.concat([accounts] * 90, ignore_index=True)
    big["account_id"] = pd.array([f"A{i}" for i in range(len(big))], dtype="string")
    p = Plan(big, default_playbook(), as_of="2025-07-01")
    p.apply(PinAccounts(tuple(range(len(big))), "tier", p.playbook.tier_names[0], "all"))
    assert len(p.history) == len(big) >= 10_000


def test_history_survives_save_and_read_exactly(plan: Plan, tmp_path: Path) -> None:
    plan.apply(PinAccounts((0, 1), "tier", plan.playbook.tier_names[0], "=SUM(A1) <r>x</r>"))
    plan.apply(MoveSplit("x", 0.5, "percentile"))
    state = PlanSnapshot.from_plan(plan)
    write_plan(state, tmp_path / "p.xlsx")
    back, problems, edits = read_plan(tmp_path / "p.xlsx")
    assert problems == [] and edits == []
    pd.testing.assert_frame_equal(back.history, plan.history, check_exact=True)
    assert state.differences(back) == []
    pd.testing.assert_frame_equal(back.to_plan().history, plan.history)


def test_a_plan_saved_without_history_opens_with_an_empty_one(plan: Plan, tmp_path: Path) -> None:
    import tierdesk.io.plan_format as pf

    saved = dict(pf.DATA_SHEETS)
    pf.DATA_SHEETS.pop("history")
    try:
        write_plan(PlanSnapshot.from_plan(plan), tmp_path / "old.xlsx")
    finally:
        pf.DATA_SHEETS.clear()
        pf.DATA_SHEETS.update(saved)
    back, _, _ = read_plan(tmp_path / "old.xlsx")
    assert len(back.history) == 0 and list(back.history.columns) == list(COLUMNS)


def test_split_values_read_as_the_planner_set_them(plan: Plan) -> None:
    """A split moved by value reads like the matrix shows it: 35% to 47% of share of wallet, $800k."""
    plan.apply(MoveSplit("x", 0.47))
    plan.apply(MoveSplit("y", 800_000.0))
    plan.apply(MoveSplit("y", 1_250_000.0))
    h = plan.history
    assert h[["what", "old", "new"]].values.tolist() == [
        ["share-of-wallet split", "35%", "47%"],
        ["potential split", "75th percentile", "$800k"],
        ["potential split", "$800k", "$1.2M"],
    ]


@pytest.mark.parametrize(
    ("value", "shown"),
    [(25_000.0, "25,000"), (2_500_000.0, "2,500,000"), (0.25, "0.25"), (1234.5678, "1,234.57"), (3.0, "3")],
)
def test_numbers_in_the_history_read_in_full(value: float, shown: str) -> None:
    assert text(value) == shown


@pytest.mark.parametrize(
    ("formula", "value", "rounded"),
    [
        ((("share_of_wallet", 1.0),), 0.468814, 0.47),
        ((("share_of_wallet", 1.0),), 0.04567, 0.046),
        ((("potential", 1.0),), 812_345.0, 812_000.0),
        ((("potential", 1.0),), 1_234_567.0, 1_200_000.0),
        ((("potential", 1.0),), 45_678.0, 45_700.0),
        ((("potential", 1.0),), 950.4, 950.0),
    ],
)
def test_a_dragged_split_rounds_to_the_figure_shown(
    formula: tuple[tuple[str, float], ...], value: float, rounded: float
) -> None:
    assert round_as_shown(formula, value) == pytest.approx(rounded)
    assert axis_text(formula, round_as_shown(formula, value), "$")[0] == axis_text(formula, value, "$")[0]
