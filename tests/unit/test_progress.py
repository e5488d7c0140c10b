"""Progress against a saved plan: objectives met from newer data or their status, revenue attainment per
account and by owner, territory and tier; a plan workbook round trip; the progress workbook."""

from __future__ import annotations

import dataclasses
import json
import zipfile
from functools import cache
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from tierdesk import paths
from tierdesk.app.opening import load_accounts
from tierdesk.domain.plan import Plan
from tierdesk.domain.plan_objectives import new_plan
from tierdesk.domain.playbook import Playbook, default_playbook
from tierdesk.domain.playbook_edits import with_values
from tierdesk.domain.progress import Progress, progress
from tierdesk.io.compare_export import is_report_workbook, write_progress
from tierdesk.io.load import open_territory
from tierdesk.io.plan_file import read_plan, write_plan
from tierdesk.io.snapshot import PlanSnapshot

AS_OF = "2025-06-30"
BOUGHT = pd.Timestamp("2025-03-01")
HOSTILE = '=HYPERLINK("http://x","y")'


@pytest.fixture(scope="module")
def pb() -> Playbook:
    return with_values(
        default_playbook(),
        {
            "tiering.cutoffs": "value",
            "tiering.score": {"revenue": 1.0},
            "tiers[0].cutoff": 1_000_000,
            "tiers[1].cutoff": 300_000,
            "tiers[2].cutoff": 50_000,
        },
    )


# id, owner, territory, revenue then, revenue now, last purchase then, last purchase now, areas now,
# referenceable now
ACCOUNTS = [
    ("G1", "Ann", "North", 0, 25_000, None, None, 1, False),  # first purchase: revenue now
    ("G2", "Ann", "North", 0, 0, None, pd.Timestamp("2025-09-15"), 0, False),  # bought after the plan date
    ("G3", "Bob", "South", 0, 0, None, None, 0, False),  # nothing yet
    ("R1", "Ann", "North", 100_000, 100_000, BOUGHT, BOUGHT, 2, False),  # revenue target half reached
    ("R2", "Bob", "South", 120_000, 150_000, BOUGHT, BOUGHT, 4, True),  # over target; breadth; reference
    ("C1", "Bob", "North", 400_000, 380_000, BOUGHT, BOUGHT, 3, False),  # status-judged objectives
]
# objective id, account, kind, target, status, template
OBJECTIVES = [
    (1, "G1", "first_purchase", None, "Not started", "category: Greenfield"),
    (2, "G2", "first_purchase", None, "Not started", "category: Greenfield"),
    (3, "G3", "first_purchase", None, "Met", "category: Greenfield"),  # data says no: not met
    (4, "R1", "revenue", 200_000, "In progress", ""),
    (5, "R2", "revenue", 100_000, "Not started", ""),
    (6, "R2", "breadth", 4, "Not started", "category: Core"),
    (7, "R2", "referenceability", None, "Not started", "category: Strategic"),
    (8, "C1", "agreement", None, "Met", "category: Core"),
    (9, "C1", "custom", None, "In progress", ""),
    (10, "C1", "relationship", 1, "Not started", "category: Core"),  # no executive_sponsor column
]


def frame(now: bool) -> pd.DataFrame:
    columns = zip(*ACCOUNTS, strict=True)
    ids, owners, territories, then, later, bought_then, bought_now, areas, reference = columns
    return pd.DataFrame(
        {
            "account_id": pd.array(ids, dtype="string"),
            "account_name": pd.array([f"Account {i}" for i in ids], dtype="string"),
            "owner": pd.array(owners, dtype="string"),
            "territory": pd.array(territories, dtype="string"),
            "revenue": np.array(later if now else then, float),
            "wallet": np.full(len(ids), 1_000_000.0),
            "last_purchase": pd.to_datetime(list(bought_now if now else bought_then)),
            "areas": np.array(areas, float) if now else np.full(len(ids), 2.0),
            "referenceable": pd.array(reference if now else [False] * len(ids), dtype="boolean"),
        }
    )


def objectives_table() -> pd.DataFrame:
    ids, accounts, kinds, targets, statuses, templates = zip(*OBJECTIVES, strict=True)
    return pd.DataFrame(
        {
            "objective_id": ids,
            "account_id": accounts,
            "kind": kinds,
            "description": [f"objective {i}" for i in ids],
            "target": [np.nan if t is None else float(t) for t in targets],
            "status": statuses,
            "template": templates,
            "due": pd.Timestamp("2026-06-30"),
        }
    )


@pytest.fixture(scope="module")
def plan(pb: Playbook) -> Plan:
    return Plan(frame(now=False), pb, as_of=AS_OF, objectives=objectives_table())


@pytest.fixture(scope="module")
def result(plan: Plan) -> Progress:
    return progress(plan, frame(now=True))


def test_each_objective_is_judged_with_evidence(result: Progress) -> None:
    o = result.per_objective.set_index("objective_id")
    met = o["met"].to_dict()
    assert [i for i, yes in met.items() if yes] == [1, 2, 5, 6, 7, 8]
    assert o.at[1, "evidence"] == "revenue now $25k"
    assert o.at[2, "evidence"] == "last purchase 2025-09-15, after the plan date 2025-06-30"
    assert o.at[3, "evidence"] == "no purchase since the plan date"
    assert o.at[4, "evidence"] == "revenue now $100k vs target $200k"
    assert o.at[6, "evidence"] == "areas now 4 vs target 4"
    assert o.at[7, "evidence"] == "referenceable: yes in the newer data"
    assert o.at[8, "evidence"] == "status: Met"
    assert o.at[9, "evidence"] == "status: In progress"
    assert o.at[4, "value_now"] == 100_000 and o.at[6, "value_now"] == 4


def test_revenue_attainment_per_account(result: Progress) -> None:
    a = result.per_account.set_index("account_id")
    assert a.at["R1", "revenue_target"] == 200_000 and a.at["R1", "revenue_attainment"] == 0.5
    assert a.at["R2", "revenue_attainment"] == 1.5
    assert a.at["R1", "revenue_then"] == 100_000 and a.at["R2", "revenue_now"] == 150_000
    assert np.isnan(a.at["G1", "revenue_target"]) and np.isnan(a.at["G1", "revenue_attainment"])
    assert a["objectives"].to_dict() == {"G1": 1, "G2": 1, "G3": 1, "R1": 1, "R2": 3, "C1": 3}
    assert a["met"].to_dict() == {"G1": 1, "G2": 1, "G3": 0, "R1": 0, "R2": 3, "C1": 1}
    assert a.at["C1", "met_share"] == pytest.approx(1 / 3)
    assert a.at["C1", "tier"] == "Named" and a.at["G1", "tier"] == "Inside" and a.at["R1", "owner"] == "Ann"


def test_attainment_by_owner_territory_and_tier(result: Progress) -> None:
    owner = result.by_owner
    assert owner.index.tolist() == ["Ann", "Bob"]
    # Ann: G1, G2, R1: 2 of 3 objectives met; revenue 100k of 200k targeted
    assert owner.loc["Ann", ["objectives", "met"]].tolist() == [3, 2]
    assert owner.at["Ann", "met_share"] == pytest.approx(2 / 3)
    assert owner.at["Ann", "revenue_attainment"] == 0.5
    assert owner.at["Ann", "revenue_now"] == 125_000
    # Bob: G3, R2, C1: 4 of 7 met; R2's 150k against its 100k target
    assert owner.loc["Bob", ["objectives", "met"]].tolist() == [7, 4]
    assert owner.at["Bob", "met_share"] == pytest.approx(4 / 7)
    assert owner.at["Bob", "revenue_attainment"] == 1.5
    assert owner.at["Bob", "revenue_now_targeted"] == 150_000 and owner.at["Bob", "revenue_now"] == 530_000
    territory = result.by_territory
    assert territory.loc["North", ["accounts", "objectives", "met"]].tolist() == [4, 6, 3]
    assert territory.at["North", "revenue_attainment"] == 0.5
    tier = result.by_tier
    assert tier.index.tolist() == ["Strategic", "Named", "Field", "Inside"]
    assert tier["accounts"].tolist() == [0, 1, 2, 3]
    assert tier.at["Field", "revenue_attainment"] == pytest.approx(250_000 / 300_000)
    assert np.isnan(tier.at["Strategic", "met_share"])
    totals = result.totals()
    assert (totals["objectives"], totals["met"]) == (10, 6)
    assert totals["revenue_attainment"] == pytest.approx(250_000 / 300_000)


def test_accounts_gone_from_the_newer_data_are_judged_by_status(plan: Plan) -> None:
    newer = frame(now=True)
    r = progress(plan, newer[newer["account_id"] != "G3"])
    o = r.per_objective.set_index("objective_id")
    assert bool(o.at[3, "met"]) is True  # status Met, and no data to say otherwise
    assert o.at[3, "evidence"] == "status: Met (account not in the newer data)"
    assert r.notes == [
        "1 plan accounts are not in the newer data: revenue now counted as 0",
        "1 objectives belong to accounts not in the newer data: judged by their status",
    ]


def test_deal_size_from_orders_and_zero_targets(pb: Playbook) -> None:
    then = pd.DataFrame(
        {
            "account_id": ["D1", "D2", "Z1"],
            "revenue": [60_000.0, 60_000.0, 0.0],
            "wallet": [500_000.0] * 3,
            "order_count": [3.0, 3.0, 0.0],
        }
    )
    table = pd.DataFrame(
        {
            "objective_id": [1, 2, 3],
            "account_id": ["D1", "D2", "Z1"],
            "kind": ["average_deal_size", "average_deal_size", "revenue"],
            "target": [25_000.0, 25_000.0, 0.0],
            "status": ["Not started", "Met", "Met"],
        }
    )
    plan = Plan(then, pb, as_of=AS_OF, objectives=table)
    newer = then.assign(revenue=[100_000.0, 90_000.0, 0.0], order_count=[4.0, 4.0, 0.0])
    o = progress(plan, newer).per_objective.set_index("objective_id")
    assert o["met"].tolist() == [True, False, True]  # 25k reached; 22.5k not (data beats status); zero target
    assert o.at[1, "evidence"] == "average deal size (revenue / orders) now $25k vs target $25k"
    assert o.at[3, "evidence"] == "status: Met"  # a zero revenue target measures nothing: the status decides
    a = progress(plan, newer).per_account.set_index("account_id")
    assert np.isnan(a.at["Z1", "revenue_attainment"])


def test_json_is_plain_data(result: Progress) -> None:
    data = json.loads(json.dumps(result.to_json()))
    assert data["plan_date"] == "2025-06-30"
    assert data["totals"]["met"] == 6
    assert {"owner": "Ann", "met_share": pytest.approx(2 / 3)}.items() <= data["by_owner"][0].items()
    assert data["by_tier"][0]["met_share"] is None  # no Strategic accounts: nothing to measure
    assert data["objectives"][0]["due"] == "2026-06-30" and data["objectives"][0]["met"] is True
    assert len(data["accounts"]) == 6


# ---------------------------------------------------------------- a saved plan, read back


@cache
def sample_accounts() -> pd.DataFrame:
    return open_territory(paths.sample_territory()).accounts


def test_progress_of_a_saved_plan_against_newer_data(tmp_path: Path) -> None:
    plan = new_plan(sample_accounts(), default_playbook(), as_of="2025-07-01")
    book = tmp_path / "plan.xlsx"
    write_plan(PlanSnapshot.from_plan(plan), book)
    state, problems, edits = read_plan(book)
    assert not problems and not edits
    reread = state.to_plan()

    newer = sample_accounts().copy()
    firsts = plan.objectives[plan.objectives["kind"] == "first_purchase"]["account_id"]
    winners = firsts.iloc[:5].tolist()
    rows = newer["account_id"].isin(winners)
    assert (newer.loc[rows, "revenue"].fillna(0) == 0).all()
    newer.loc[rows, "revenue"] = 12_345.0
    revenue_goals = plan.objectives[(plan.objectives["kind"] == "revenue") & plan.objectives["target"].gt(0)]
    doubled = revenue_goals.drop_duplicates("account_id").iloc[:3]
    for account, target in zip(doubled["account_id"], doubled["target"], strict=True):
        newer.loc[newer["account_id"] == account, "revenue"] = 2 * float(target)

    before = progress(plan, newer)
    after = progress(reread, newer)
    pd.testing.assert_frame_equal(before.per_account, after.per_account)
    pd.testing.assert_frame_equal(before.by_owner, after.by_owner)
    o = after.per_objective
    first_met = o[(o["kind"] == "first_purchase") & o["met"]]["account_id"]
    assert set(winners) <= set(first_met)
    assert set(first_met) == set(winners)  # no other Greenfield account bought in the sample's newer data
    a = after.per_account.set_index("account_id")
    for account in doubled["account_id"]:
        assert a.at[account, "revenue_now"] == pytest.approx(2 * a.at[account, "revenue_target"])
        assert a.at[account, "revenue_attainment"] == pytest.approx(2.0)
    assert len(after.per_account) == len(sample_accounts())


# ---------------------------------------------------------------- the workbook


def test_progress_workbook(result: Progress, tmp_path: Path) -> None:
    out = tmp_path / "progress.xlsx"
    hostile = result.per_account.copy()
    hostile.loc[0, "account_name"] = HOSTILE
    write_progress(dataclasses.replace(result, per_account=hostile), out)
    assert is_report_workbook(out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Summary", "By owner", "By territory", "By tier", "Accounts", "Objectives"]
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if r[0]}
    assert summary["Objectives met"] == 6 and summary["Share met"] == pytest.approx(0.6)
    by_owner = wb["By owner"]
    assert list(by_owner.tables) == ["ByOwner"] and by_owner.freeze_panes == "C2"
    header = [c.value for c in by_owner[1]]
    assert header[:5] == ["Owner", "Accounts", "Objectives", "Met", "Share met"]
    ann = [c for c in by_owner[2]]
    assert ann[0].value == "Ann" and ann[4].value == pytest.approx(2 / 3)
    assert ann[4].number_format == "0.0%"
    assert ann[header.index("Revenue attainment")].value == 0.5
    assert ann[header.index("Revenue attainment")].number_format == "0.0%"
    accounts = list(wb["Accounts"].iter_rows(values_only=True))
    assert accounts[1][:2] == ("G1", HOSTILE)
    objectives = list(wb["Objectives"].iter_rows(values_only=True))
    head = objectives[0]
    first = dict(zip(head, objectives[1], strict=True))
    assert first["Account name"] == HOSTILE and first["Met"] is True
    assert first["Evidence"] == "revenue now $25k"
    with zipfile.ZipFile(out) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = zf.read(name).decode()
                assert "<f>" not in xml and "<f " not in xml, name


def test_load_accounts_reads_plans_and_territory_files(tmp_path: Path) -> None:
    plan = new_plan(sample_accounts().head(40), default_playbook(), as_of="2025-07-01")
    book = tmp_path / "plan.xlsx"
    write_plan(PlanSnapshot.from_plan(plan), book)
    assert load_accounts(book)["account_id"].tolist() == plan.accounts["account_id"].tolist()
    assert len(load_accounts(paths.sample_territory())) == len(sample_accounts())
