"""Comparing plans: moves with their cause (data, rule, override), new and dropped accounts, owner changes,
coverage deltas and disruption; the comparison workbook and the loaders the command line uses."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from tierdesk.app.opening import load_newer, load_plan_or_territory
from tierdesk.domain.compare import Comparison, compare_plans, plan_from_territory
from tierdesk.domain.plan import MoveSplit, PinAccounts, Plan
from tierdesk.domain.plan_objectives import new_plan
from tierdesk.domain.playbook import Playbook, default_playbook
from tierdesk.domain.playbook_edits import with_values
from tierdesk.io.compare_export import is_report_workbook, write_comparison
from tierdesk.io.plan_file import SaveError, write_plan
from tierdesk.io.snapshot import PlanSnapshot

AS_OF = "2025-06-30"
BOUGHT = pd.Timestamp("2025-03-01")
FIELD_, NAMED, STRATEGIC, INSIDE = "Field", "Named", "Strategic", "Inside"
EE, LE = "Efficient Engagement", "Land & Expand"


@pytest.fixture(scope="module")
def pb() -> Playbook:
    """Tiers on revenue in money, splits and category lines in money, so every answer is exact."""
    return with_values(
        default_playbook(),
        {
            "tiering.cutoffs": "value",
            "tiering.score": {"revenue": 1.0},
            "tiers[0].cutoff": 1_000_000,
            "tiers[1].cutoff": 300_000,
            "tiers[2].cutoff": 50_000,
            "personas.y_split": {"kind": "value", "value": 800_000},
            "categories.beachhead_revenue": {"kind": "value", "value": 50_000},
            "categories.strategic_revenue": {"kind": "value", "value": 1_000_000},
        },
    )


# id, name, owner, revenue, wallet, areas, last purchase (None: never)
OLD_ROWS = [
    ("A1", "Grower Inc", "Ann", 200_000, 2_200_000, 3, BOUGHT),  # revenue grows past the Named cutoff
    ("A2", "Pinned plc", "Ann", 100_000, 1_000_000, 2, BOUGHT),  # pinned to Strategic in the new plan
    ("A3", "=cmd|' /C calc'!A0", "Bob", 100_000, 700_000, 2, BOUGHT),  # potential 600k: split moves
    ("A4", "<r>x</r>", "Bob", 60_000, 620_000, 2, BOUGHT),  # potential 560k: split moves
    ("A5", "Leaving Ltd", "Bob", 80_000, 500_000, 2, BOUGHT),  # dropped
    ("A7", "Handover AG", "Ann", 500_000, 900_000, 2, BOUGHT),  # owner changes
    ("A8", "Greenfield Co", "Cy", 0, 300_000, 0, None),
    ("A9", "Wider Wallet", "Cy", 120_000, 420_000, 2, BOUGHT),  # wallet grows and the split moves
    ("A10", "Both Ways", "Cy", 40_000, 1_000_000, 1, BOUGHT),  # tier and owner change: counted once
]


def accounts(rows: list[tuple]) -> pd.DataFrame:
    ids, names, owners, revenue, wallet, areas, last = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "account_id": pd.array(ids, dtype="string"),
            "account_name": pd.array(names, dtype="string"),
            "owner": pd.array(owners, dtype="string"),
            "revenue": np.array(revenue, float),
            "wallet": np.array(wallet, float),
            "areas": np.array(areas, float),
            "last_purchase": pd.to_datetime(list(last)),
        }
    )


def newer_rows() -> list[tuple]:
    changes = {
        "A1": {3: 400_000},
        "A7": {2: "Dee"},
        "A9": {4: 1_020_000},
        "A10": {2: "Dee", 3: 60_000},
    }
    out = []
    for row in OLD_ROWS:
        if row[0] == "A5":
            continue
        values = list(row)
        for at, value in changes.get(row[0], {}).items():
            values[at] = value
        out.append(tuple(values))
    return [*out, ("A6", "Newcomer SA", "Bob", 90_000, 400_000, 2, BOUGHT)]


@pytest.fixture(scope="module")
def pair(pb: Playbook) -> tuple[Plan, Plan]:
    old = Plan(accounts(OLD_ROWS), pb, as_of=AS_OF)
    new = plan_from_territory(old, accounts(newer_rows()), as_of=AS_OF)
    new.apply(MoveSplit("y", 500_000))
    new.apply(PinAccounts((1,), "tier", STRATEGIC, "board decision"))  # row 1 is A2
    return old, new


@pytest.fixture(scope="module")
def comparison(pair: tuple[Plan, Plan]) -> Comparison:
    return compare_plans(*pair)


def test_moves_with_their_cause(comparison: Comparison) -> None:
    moved = {tuple(r) for r in comparison.moved[["account_id", "field", "from", "to", "cause"]].to_numpy()}
    assert moved == {
        ("A1", "tier", FIELD_, NAMED, "data"),  # revenue grew past the Named cutoff
        ("A2", "tier", FIELD_, STRATEGIC, "override"),
        ("A3", "persona", EE, LE, "rule"),  # same data, the potential split moved from 800k to 500k
        ("A4", "persona", EE, LE, "rule"),
        ("A9", "persona", EE, LE, "data"),  # potential 900k: Land & Expand under the old split too
        ("A10", "tier", INSIDE, FIELD_, "data"),
    }
    assert list(comparison.moved.columns) == ["account_id", "account_name", "field", "from", "to", "cause"]
    names = dict(zip(comparison.moved["account_id"], comparison.moved["account_name"], strict=True))
    assert names["A3"] == "=cmd|' /C calc'!A0" and names["A1"] == "Grower Inc"
    assert comparison.moved_counts()["persona"] == {"data": 1, "rule": 2, "override": 0}


def test_new_dropped_and_owner_changes(comparison: Comparison) -> None:
    assert comparison.added.to_dict("records") == [{"account_id": "A6", "account_name": "Newcomer SA"}]
    assert comparison.dropped.to_dict("records") == [{"account_id": "A5", "account_name": "Leaving Ltd"}]
    assert comparison.owner_changes[["account_id", "account_name", "from", "to"]].to_dict("records") == [
        {"account_id": "A7", "account_name": "Handover AG", "from": "Ann", "to": "Dee"},
        {"account_id": "A10", "account_name": "Both Ways", "from": "Cy", "to": "Dee"},
    ]
    assert comparison.owner_changes["cause"].tolist() == ["data", "data"]  # the newer file moved them
    assert comparison.accounts == (9, 9) and comparison.matched == 8


def test_disruption_counts_owner_or_tier_changes_once(comparison: Comparison) -> None:
    # A1, A2 (tier), A7 (owner), A10 (tier and owner: once); persona moves do not count
    assert comparison.disruption == 4


def test_seller_and_cost_deltas_are_the_coverage_difference(
    pair: tuple[Plan, Plan], comparison: Comparison
) -> None:
    old, new = pair
    assert comparison.sellers_delta == pytest.approx(new.coverage().sellers - old.coverage().sellers)
    assert comparison.cost_delta == pytest.approx(new.coverage().cost - old.coverage().cost)
    assert comparison.sellers == (old.coverage().sellers, new.coverage().sellers)
    assert comparison.sellers_delta > 0  # a Strategic pin and a Named account more than offset the drop


def test_json_is_plain_data(comparison: Comparison) -> None:
    data = json.loads(json.dumps(comparison.to_json()))
    assert data["added"] == ["A6"] and data["dropped"] == ["A5"]
    assert data["disruption"] == 4
    assert {
        "account": "A2",
        "account_name": "Pinned plc",
        "field": "tier",
        "from": FIELD_,
        "to": STRATEGIC,
        "cause": "override",
    } in data["moved"]
    assert data["owner_changes"][0] == {
        "account": "A7",
        "account_name": "Handover AG",
        "from": "Ann",
        "to": "Dee",
        "cause": "data",
        "reason": None,
    }
    assert data["sellers_delta"] == pytest.approx(comparison.sellers_delta)
    assert data["cost_delta"] == pytest.approx(comparison.cost_delta)


def test_pins_carry_over_and_a_removed_pin_is_an_override(pb: Playbook) -> None:
    old = Plan(accounts(OLD_ROWS), pb, as_of=AS_OF)
    old.apply(PinAccounts((2,), "persona", "Protect & Defend", "known account"))  # A3
    old.apply(PinAccounts((4,), "tier", NAMED, "dropped later"))  # A5
    new = plan_from_territory(old, accounts(newer_rows()), as_of=AS_OF)
    assert new.overrides[["account_id", "field", "value"]].to_numpy().tolist() == [
        ["A3", "persona", "Protect & Defend"]
    ]
    kept = compare_plans(old, new).moved
    assert "A3" not in set(kept["account_id"]) and set(kept["cause"]) == {"data"}  # the pin holds A3
    new.apply(PinAccounts((2,), "persona", None))
    moved = compare_plans(old, new).moved
    assert moved[moved["account_id"] == "A3"][["field", "from", "to", "cause"]].to_numpy().tolist() == [
        ["persona", "Protect & Defend", EE, "override"]
    ]
    assert len(moved) == len(kept) + 1


def test_same_playbook_changes_are_data_and_a_plan_equals_itself(pb: Playbook) -> None:
    old = Plan(accounts(OLD_ROWS), pb, as_of=AS_OF)
    same = compare_plans(old, Plan(accounts(OLD_ROWS), pb, as_of=AS_OF))
    assert same.moved.empty and same.added.empty and same.dropped.empty and same.owner_changes.empty
    assert (same.disruption, same.sellers_delta, same.cost_delta) == (0, 0.0, 0.0)
    newer = plan_from_territory(old, accounts(newer_rows()), as_of=AS_OF)
    assert set(compare_plans(old, newer).moved["cause"]) == {"data"}


def test_repeated_and_missing_ids_are_noted(pb: Playbook) -> None:
    rows = accounts(OLD_ROWS)
    doubled = pd.concat([rows, rows.iloc[[0]]], ignore_index=True)
    doubled.loc[len(doubled)] = doubled.iloc[1]
    doubled.loc[len(doubled) - 1, "account_id"] = pd.NA
    c = compare_plans(Plan(rows, pb, as_of=AS_OF), Plan(doubled, pb, as_of=AS_OF))
    assert c.moved.empty and c.added.empty and c.matched == len(rows)
    assert c.notes == [
        "1 account rows of the new plan have no account id: not compared",
        "1 account rows of the new plan repeat an account id: first row compared",
    ]


def test_a_large_territory_compares_vectorised(pb: Playbook) -> None:
    n = 100_000
    rng = np.random.default_rng(7)
    revenue = rng.lognormal(11, 1.5, n)
    frame = pd.DataFrame(
        {
            "account_id": pd.array([f"X{i}" for i in range(n)], dtype="string"),
            "revenue": revenue,
            "wallet": revenue * rng.uniform(1.2, 8, n),
            "owner": pd.array(rng.choice(["Ann", "Bob"], n), dtype="string"),
        }
    )
    old = Plan(frame, pb, as_of=AS_OF)
    new = Plan(frame, with_values(pb, {"personas.y_split": {"kind": "value", "value": 400_000}}), as_of=AS_OF)
    c = compare_plans(old, new)
    potential = (frame["wallet"] - frame["revenue"]).to_numpy()
    expected = int(((potential >= 400_000) & (potential < 800_000)).sum())
    assert len(c.moved) == expected > 1000
    assert set(c.moved["cause"]) == {"rule"} and set(c.moved["field"]) == {"persona"}
    assert c.disruption == 0


# ---------------------------------------------------------------- the workbook


def sheet_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/worksheets/sheet")}


def test_comparison_workbook(comparison: Comparison, tmp_path: Path) -> None:
    out = tmp_path / "compare.xlsx"
    write_comparison(comparison, out)
    assert is_report_workbook(out)
    assert [p.name for p in tmp_path.iterdir()] == ["compare.xlsx"]  # no temporary file left
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Summary", "Moved", "Added", "Dropped", "Owner changes"]
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if r[0]}
    assert summary["Disruption (accounts changing owner or tier)"] == 4
    assert summary["New accounts"] == 1 and summary["Dropped accounts"] == 1
    assert summary["Tier changes: override"] == 1 and summary["Persona changes: rule"] == 2
    assert summary["Sellers needed: change"] == pytest.approx(comparison.sellers_delta)
    assert summary["Cost of sales: change"] == pytest.approx(comparison.cost_delta)
    moved = wb["Moved"]
    assert moved.freeze_panes == "C2" and list(moved.tables) == ["Moved"]
    rows = list(moved.iter_rows(values_only=True))
    assert rows[0] == ("Account ID", "Account name", "Changed", "From", "To", "Cause")
    assert ("A3", "=cmd|' /C calc'!A0", "persona", EE, LE, "rule") in rows
    assert ("A4", "<r>x</r>", "persona", EE, LE, "rule") in rows
    assert len(rows) == 1 + len(comparison.moved)
    owners = list(wb["Owner changes"].iter_rows(values_only=True))
    assert owners[0][-2:] == ("Cause", "Reason")
    assert owners[1] == ("A7", "Handover AG", "Ann", "Dee", "data", None)
    for name, xml in sheet_xml(out).items():
        assert "<f>" not in xml and "<f " not in xml, name


def test_the_workbook_never_replaces_another_file(comparison: Comparison, tmp_path: Path) -> None:
    territory = tmp_path / "territory.xlsx"
    territory.write_bytes(b"PK not really a workbook")
    with pytest.raises(SaveError, match="never overwrites"):
        write_comparison(comparison, territory)
    assert territory.read_bytes() == b"PK not really a workbook"
    with pytest.raises(SaveError, match="folder"):
        write_comparison(comparison, tmp_path)
    out = tmp_path / "again.xlsx"
    write_comparison(comparison, out)
    write_comparison(comparison, out)  # its own report may be replaced
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again.xlsx", "territory.xlsx"]


# ---------------------------------------------------------------- loading for the command line


def test_loading_plans_and_territory_files(pb: Playbook, tmp_path: Path) -> None:
    old = new_plan(accounts(OLD_ROWS), pb, as_of=AS_OF)
    old.apply(PinAccounts((2,), "persona", "Protect & Defend", "known account"))
    book = tmp_path / "plan.xlsx"
    write_plan(PlanSnapshot.from_plan(old), book)
    csv = tmp_path / "newer.csv"
    newer = accounts(newer_rows()).rename(
        columns={
            "account_id": "Account ID",
            "account_name": "Account Name",
            "owner": "Owner",
            "revenue": "Revenue",
            "wallet": "Wallet",
            "areas": "Areas",
            "last_purchase": "Last Purchase",
        }
    )
    newer.to_csv(csv, index=False)

    again = load_plan_or_territory(book)
    assert again.playbook == pb and len(again.overrides) == 1
    assert again.accounts["account_id"].tolist() == old.accounts["account_id"].tolist()
    fresh = load_plan_or_territory(csv)
    assert fresh.playbook == default_playbook() and len(fresh.accounts) == 9 and len(fresh.objectives) > 0
    carried = load_newer(again, csv)
    assert carried.playbook == pb and carried.overrides["account_id"].tolist() == ["A3"]
    assert carried.accounts["account_id"].tolist() == [r[0] for r in newer_rows()]
    c = compare_plans(again, carried)
    assert c.added["account_id"].tolist() == ["A6"] and c.dropped["account_id"].tolist() == ["A5"]
    assert load_newer(again, book).accounts["account_id"].tolist() == old.accounts["account_id"].tolist()
    assert os.path.exists(book)
