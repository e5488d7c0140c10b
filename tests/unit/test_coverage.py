"""Coverage: sellers needed and cost of sales by role, tier, persona, territory, owner; the plan summary."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tierdesk.domain.classification import Override
from tierdesk.domain.classify import PERSONAS, UNCLASSIFIED, classify
from tierdesk.domain.coverage import NO_VALUE, account_load, coverage
from tierdesk.domain.plan import PinAccounts, Plan
from tierdesk.domain.playbook import Playbook, default_playbook
from tierdesk.domain.playbook_edits import with_value, with_values
from tierdesk.domain.summary import format_summary, plan_summary

NAN = float("nan")
AS_OF = "2025-06-30"


@pytest.fixture(scope="module")
def pb() -> Playbook:
    """Value cutoffs (1M / 100k / 1k) and value splits (35% / 800k) so every figure is known by hand."""
    return with_values(
        default_playbook(),
        {
            "tiering.cutoffs": "value",
            "tiers[0].cutoff": 1_000_000,
            "tiers[1].cutoff": 100_000,
            "tiers[2].cutoff": 1_000,
            "personas.y_split": {"kind": "value", "value": 800_000},
        },
    )


@pytest.fixture(scope="module")
def accounts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": ["A", "B", "C", "D"],
            "projected_value": [10_000_000, 1, 500, NAN],  # Strategic, Inside, Inside, unclassified
            "share_of_wallet": [0.9, 0.05, 0.5, 0.5],
            "potential": [10, 5_000_000, 10, 10],  # Protect & Defend, Land & Expand, Protect & Defend x2
            "revenue": [1_000_000, 10_000, 1_000, NAN],  # D: no revenue, so no projected value either
            "territory": ["North", "North", "South", None],
            "owner": pd.Categorical(["Ann", "Bo", "Ann", "Bo"]),
        }
    )


def test_known_figures(accounts: pd.DataFrame, pb: Playbook) -> None:
    cov = coverage(accounts, classify(accounts, pb, as_of=AS_OF))
    # Account manager (hours, 1600 a seller, $170k): A in Strategic (120 h), C in Inside (8 h)
    am = cov.by_role.loc["Account manager"]
    assert am["accounts"] == 2 and am["workload"] == 128 and am["unit"] == "hours"
    assert am["sellers"] == pytest.approx(128 / 1600)
    assert am["cost"] == pytest.approx(128 / 1600 * 170_000)
    # Business developer (30 open opportunities, $200k): B in Inside (0.5 opportunities)
    bd = cov.by_role.loc["Business developer"]
    assert bd["sellers"] == pytest.approx(0.5 / 30) and bd["cost"] == pytest.approx(0.5 / 30 * 200_000)
    assert cov.by_role.loc[UNCLASSIFIED, "accounts"] == 1  # D: no tier, no workload
    assert cov.uncovered == 1
    assert cov.sellers == pytest.approx(128 / 1600 + 0.5 / 30)
    assert cov.revenue == 1_011_000
    assert cov.cost_share == pytest.approx(cov.cost / 1_011_000)
    assert cov.by_tier.loc["Strategic", "cost"] == pytest.approx(120 / 1600 * 170_000)
    assert cov.by_tier.loc["Named", "accounts"] == 0  # tiers are always listed
    assert cov.by_tier.loc["Inside", "revenue"] == 11_000
    assert cov.by_persona.loc["Protect & Defend", "accounts"] == 3
    assert cov.by_territory.loc["North", "accounts"] == 2
    assert cov.by_territory.loc[NO_VALUE, "accounts"] == 1
    assert cov.by_owner.loc["Ann", "sellers"] == pytest.approx(128 / 1600)
    assert cov.over_investment == 1  # A: Strategic tier, low potential
    assert any("1 accounts not covered" in w for w in cov.warnings)
    per_account = account_load(classify(accounts, pb, as_of=AS_OF))
    assert per_account["sellers"].sum() == pytest.approx(cov.sellers)
    assert per_account["role"].tolist()[3] == -1


def test_headcount_and_owner_warnings(accounts: pd.DataFrame, pb: Playbook) -> None:
    busy = with_value(pb, "roles[4].headcount", 0)
    cov = coverage(accounts, classify(accounts, busy, as_of=AS_OF))
    assert "Account manager: 0.1 sellers needed, headcount 0" in cov.warnings
    many = pd.DataFrame(
        {
            "account_id": [f"S{i}" for i in range(20)],
            "projected_value": 5e6,
            "share_of_wallet": 0.9,
            "potential": 10.0,
            "revenue": 1.0,
            "owner": "Ann",
        }
    )
    cov = coverage(many, classify(many, pb, as_of=AS_OF))
    assert cov.by_owner.loc["Ann", "sellers"] == pytest.approx(20 * 120 / 1600)
    assert cov.warnings[0] == (
        "Owner Ann: 1.50 sellers' worth of work on 20 accounts, more than one seller can carry"
    )


def test_role_from_tier(accounts: pd.DataFrame, pb: Playbook) -> None:
    by_tier = with_value(pb, "coverage.role_from", "tier")
    cov = coverage(accounts, classify(accounts, by_tier, as_of=AS_OF))
    assert cov.by_role.loc["Strategic account manager", "accounts"] == 1
    assert cov.by_role.loc["Inside seller", "accounts"] == 2
    assert cov.by_role.loc["Inside seller", "sellers"] == pytest.approx(2 / 400)


@st.composite
def account_tables(draw: st.DrawFn) -> tuple[pd.DataFrame, list[Override]]:
    n = draw(st.integers(1, 40))
    money = st.floats(-1e4, 1e8) | st.sampled_from([NAN, 0.0])
    frame = pd.DataFrame(
        {
            "account_id": [f"A{i}" for i in range(n)],
            "revenue": draw(st.lists(money, min_size=n, max_size=n)),
            "wallet": draw(st.lists(money, min_size=n, max_size=n)),
            "territory": draw(st.lists(st.sampled_from(["N", "S", None]), min_size=n, max_size=n)),
            "owner": draw(st.lists(st.sampled_from(["Ann", "Bo", "Cy", None]), min_size=n, max_size=n)),
        }
    )
    if draw(st.booleans()):
        frame["owner"] = frame["owner"].astype("category")
    pins = [
        Override(f"A{r}", "persona", draw(st.sampled_from(PERSONAS)))
        for r in draw(st.lists(st.integers(0, n - 1), max_size=5, unique=True))
    ]
    return frame, pins


@settings(max_examples=80, deadline=None)
@given(case=account_tables(), role_from=st.sampled_from(["tier", "persona"]))
def test_every_table_sums_to_the_totals(case: tuple[pd.DataFrame, list[Override]], role_from: str) -> None:
    frame, pins = case
    pb = with_value(default_playbook(), "coverage.role_from", role_from)
    cls = classify(frame, pb, {(o.account_id, o.field): o for o in pins}, as_of=AS_OF)
    cov = coverage(frame, cls)
    for table in (cov.by_role, cov.by_tier, cov.by_persona, cov.by_territory, cov.by_owner):
        assert table["accounts"].sum() == len(frame)
        assert table["revenue"].sum() == pytest.approx(cov.revenue, rel=1e-9, abs=1e-6)
        assert table["sellers"].sum() == pytest.approx(cov.sellers, rel=1e-9, abs=1e-12)
        assert table["cost"].sum() == pytest.approx(cov.cost, rel=1e-9, abs=1e-9)
    load = account_load(cls)
    assert load["cost"].sum() == pytest.approx(cov.cost, rel=1e-9, abs=1e-9)
    assert cov.uncovered == int((load["role"] < 0).sum())
    assert (cov.by_role["workload"] >= 0).all()


def test_summary_is_plain_json_and_readable(accounts: pd.DataFrame, pb: Playbook) -> None:
    plan = Plan(accounts, pb, [Override("C", "tier", "Named", "judgement")], as_of=AS_OF)
    d = plan_summary(plan)
    assert json.loads(json.dumps(d, allow_nan=False)) == d
    assert d["accounts"] == 4
    assert [t["name"] for t in d["tiers"]] == ["Strategic", "Named", "Field", "Inside"]
    assert [t["accounts"] for t in d["tiers"]] == [1, 1, 0, 1]
    assert d["tiers"][1]["revenue"] == 1_000
    assert d["personas"] == {
        "Strategic Partnerships": 0,
        "Land & Expand": 1,
        "Protect & Defend": 3,
        "Efficient Engagement": 0,
    }
    assert set(d["categories"]) == {"Strategic", "Core", "Beachhead", "Greenfield"}
    assert d["coverage"]["sellers"] == pytest.approx(plan.coverage().sellers)
    assert d["coverage"]["cost_share"] == pytest.approx(plan.coverage().cost_share)
    # D: no revenue, so neither projected value nor category; B: bought (revenue, no dates) above the
    # beachhead line, and with no areas or products column it is Core by its revenue alone (and said so)
    assert d["unclassified"] == 1
    assert d["unclassified_by"] == {"tier": 1, "persona": 0, "category": 1}
    assert d["categories"] == {"Strategic": 1, "Core": 1, "Beachhead": 1, "Greenfield": 0}
    (basis,) = d["basis"]
    assert "by revenue alone" in basis and "no purchase dates" in basis
    assert d["overrides"] == 1
    text = format_summary(d)
    for expected in (
        "Tier pyramid",
        "/",
        "Strategic",
        "Land & Expand 1",
        "Protect & Defend 3",
        "high potential",
        "low share",
        "Relationship categories",
        "sellers needed",
        "Unclassified: 1 account (",
        "Overrides: 1",
    ):
        assert expected in text
    lines = text.splitlines()
    pyramid = [line for line in lines if "/" in line and "\\" in line]
    widths = [line.index("\\") - line.index("/") for line in pyramid]
    assert widths == sorted(widths) and len(set(widths)) == 4  # widens tier by tier


def test_empty_plan_summary() -> None:
    plan = Plan(pd.DataFrame({"account_id": pd.Series([], dtype="string")}), default_playbook(), as_of=AS_OF)
    d = plan_summary(plan)
    assert d["accounts"] == 0 and d["coverage"]["cost_share"] is None
    assert json.dumps(d, allow_nan=False)
    assert "0 accounts" in format_summary(d)
    assert np.isnan(plan.coverage().cost_share)


def test_code_sums_counts_and_revenue_per_code_leaving_out_unclassified_and_filtered() -> None:
    from tierdesk.domain.coverage import code_sums

    codes = np.array([0, 1, 1, -1, 2, 0], np.int8)
    revenue = np.array([10.0, 1.0, 2.0, 99.0, 5.0, 0.5])
    counts, money = code_sums(codes, 3, revenue)
    assert counts.tolist() == [2, 2, 1] and money.tolist() == [10.5, 3.0, 5.0]
    keep = np.array([True, True, False, True, False, True])
    counts, money = code_sums(codes, 3, revenue, keep)
    assert counts.tolist() == [2, 1, 0] and money.tolist() == [10.5, 1.0, 0.0]


def test_coverage_of_a_filter_counts_only_the_accounts_it_keeps(accounts: pd.DataFrame, pb: Playbook) -> None:
    """A filtered view's figures: the same sums as the accounts kept would give on their own."""
    plan = Plan(accounts, pb, as_of=AS_OF)
    keep = (accounts["owner"] == "Ann").to_numpy()  # A (Strategic) and C (Inside)
    cov = plan.coverage_of(keep)
    load = account_load(plan.classification)
    assert cov.accounts == 2
    assert cov.revenue == 1_001_000
    assert cov.sellers == pytest.approx(load["sellers"][keep].sum())
    assert cov.cost == pytest.approx(load["cost"][keep].sum())
    assert cov.by_tier["accounts"].to_dict() == {"Strategic": 1, "Named": 0, "Field": 0, "Inside": 1}
    assert cov.by_tier.loc["Strategic", "sellers"] == pytest.approx(load["sellers"][0])
    assert list(cov.by_owner.index) == ["Ann"]  # Bo has no account in the filter
    assert cov.over_investment == int(plan.classification.over_investment[keep].sum())
    everything = plan.coverage_of(np.ones(len(accounts), bool))
    assert everything.sellers == pytest.approx(plan.coverage().sellers)
    assert everything.cost == pytest.approx(plan.coverage().cost)
    nothing = plan.coverage_of(np.zeros(len(accounts), bool))
    assert (nothing.accounts, nothing.sellers, nothing.cost) == (0, 0.0, 0.0)


def test_coverage_of_a_filter_by_the_plan_as_opened(accounts: pd.DataFrame, pb: Playbook) -> None:
    plan = Plan(accounts, pb, as_of=AS_OF)
    opened = plan.classification
    keep = np.array([False, True, False, False])  # B: Inside, Land & Expand
    before = plan.coverage_of(keep)
    plan.apply(PinAccounts((1,), "tier", "Strategic", "key logo"))
    after = plan.coverage_of(keep)
    assert after.by_tier.loc["Strategic", "accounts"] == 1 and after.cost > before.cost
    assert plan.coverage_of(keep, opened).cost == pytest.approx(before.cost)


def test_filtered_counts_follow_a_move(accounts: pd.DataFrame, pb: Playbook) -> None:
    from tierdesk.domain.coverage import PairCounts

    many = pd.concat([accounts] * 10, ignore_index=True)  # enough rows that a move is not a recount
    many["account_id"] = [f"A{i}" for i in range(len(many))]
    plan = Plan(many, pb, as_of=AS_OF)
    keep = np.arange(len(many)) % 4 != 2  # C-like rows left out
    counts = PairCounts.of(many, plan.classification, keep=keep)
    plan.apply(PinAccounts((1, 2), "tier", "Strategic", "moved"))
    counts.move(plan.classification, np.array([1, 2]))
    fresh = PairCounts.of(many, plan.classification, keep=keep)
    for column in ("territory", "owner"):
        assert np.array_equal(counts.count[column], fresh.count[column])
        assert np.array_equal(counts.money[column], fresh.money[column])
