"""What a one-page account plan shows, gathered in the domain: tier and entitlements, the account's place in
the 2x2 and its pins, the category and what it asks for, figures with the wallet's source, objectives and the
latest changes; and which accounts a set of one-pagers covers, in print order."""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np
import pandas as pd
import pytest

from tierdesk import paths
from tierdesk.domain.onepager import (
    CATEGORY_ASKS,
    CHANGES_SHOWN,
    account_sheet,
    account_sheets,
    onepager_rows,
)
from tierdesk.domain.plan import PinAccounts, Plan
from tierdesk.domain.plan_objectives import PlanInfo, SetPlanInfo, new_plan, set_objective
from tierdesk.domain.playbook import CATEGORIES, PERSONAS, default_playbook
from tierdesk.domain.playbook_edits import with_values

AS_OF = "2025-07-01"


@cache
def sample_accounts() -> pd.DataFrame:
    from tierdesk.io.load import open_territory

    return open_territory(paths.sample_territory()).accounts


def sample_plan() -> Plan:
    return new_plan(sample_accounts(), default_playbook(), as_of=AS_OF)


def test_a_page_names_the_account_its_tier_entitlements_and_figures() -> None:
    plan = sample_plan()
    plan.apply(SetPlanInfo(PlanInfo("Jo Planner", title="EMEA FY26"), "plan info"))
    cls, a = plan.classification, plan.accounts
    row = int(np.flatnonzero(cls.tier == 0)[0])  # a Strategic account
    page = account_sheet(plan, row)
    assert (page.account_id, page.name) == (a["account_id"].iat[row], a["account_name"].iat[row])
    assert (page.owner, page.territory) == (a["owner"].iat[row], a["territory"].iat[row])
    assert (page.plan_title, page.plan_owner, page.plan_date) == (
        "EMEA FY26",
        "Jo Planner",
        dt.date(2025, 7, 1),
    )
    assert page.period == (dt.date(2025, 7, 1), dt.date(2026, 6, 30))
    assert ("Industry", a["industry"].iat[row]) in page.facts
    assert page.tier == "Strategic" and page.tier_rank == 0
    assert dict(page.entitlements) == {
        "Touches / quarter": "12",
        "Business reviews / year": "4",
        "Executive sponsor": "Yes",
        "Marketing": "1:1",
        "Support": "Premier, named support manager",
    }
    assert page.category == CATEGORIES[cls.category[row]]
    assert page.category_ask == CATEGORY_ASKS[page.category]
    figures = dict(page.figures)
    assert page.wallet == a["wallet"].iat[row] and page.wallet_source == "file"
    assert figures["Wallet (from the file)"].startswith("$")
    assert page.share_of_wallet == pytest.approx(a["revenue"].iat[row] / a["wallet"].iat[row])
    assert page.potential == pytest.approx(a["potential"].iat[row])
    assert figures["Share of wallet"] == f"{round(page.share_of_wallet * 100)}%"
    assert page.title == f"{page.name} ({page.account_id})"


def test_the_point_sits_in_the_box_its_figures_give() -> None:
    plan = sample_plan()
    cls = plan.classification
    pages = account_sheets(plan, np.arange(len(plan.accounts)))
    for page, x, y in zip(pages, cls.x, cls.y, strict=True):
        assert page.position is not None
        px, py = page.position
        assert (px >= 0.5) == (x >= cls.x_split) and (py >= 0.5) == (y >= cls.y_split)
        assert page.persona == PERSONAS[page.persona_box]  # nothing pinned
    assert sum(pages[0].box_counts) == len(plan.accounts)
    assert pages[0].axes[0].startswith("share of wallet ") and "(split 35%)" in pages[0].axes[0]


def test_a_pinned_account_shows_its_pins_with_reasons_and_its_latest_changes_first() -> None:
    plan = sample_plan()
    row = int(np.flatnonzero(plan.classification.persona == PERSONAS.index("Efficient Engagement"))[0])
    plan.apply(PinAccounts((row,), "persona", "Land & Expand", "New CIO wants a platform"))
    plan.apply(PinAccounts((row,), "tier", "Named", "Board decision"))
    page = account_sheet(plan, row)
    pins = {p.field: p for p in page.pins}
    assert pins["persona"].value == "Land & Expand" and pins["persona"].computed == "Efficient Engagement"
    assert pins["persona"].reason == "New CIO wants a platform" and pins["tier"].reason == "Board decision"
    assert page.persona == "Land & Expand" and page.persona_box == PERSONAS.index("Efficient Engagement")
    assert page.position is not None and max(page.position) < 0.5  # the figures still put it low and left
    assert [c.what for c in page.changes] == ["tier", "persona"]  # newest first
    assert page.changes[0].new == "Named" and page.changes[0].reason == "Board decision"


def test_objectives_with_targets_due_dates_status_and_notes() -> None:
    plan = sample_plan()
    row = int(np.flatnonzero(plan.classification.category == CATEGORIES.index("Beachhead"))[0])
    mine = plan.objectives_of(row)
    first = int(mine["objective_id"].iat[0])
    note = ("Workshop with the CFO in March; the renewal hinges on data residency. " * 30)[:2000]
    plan.apply(set_objective(first, "notes", note))
    plan.apply(set_objective(first, "status", "In progress"))
    page = account_sheet(plan, row)
    assert [o.description for o in page.objectives] == mine["description"].tolist()
    revenue = page.objectives[0]
    assert revenue.kind == "Revenue" and revenue.notes == note and revenue.status == "In progress"
    assert revenue.due == mine["due"].iat[0].date()
    assert "→" in revenue.target and revenue.target.count("$") == 2  # from today's revenue to the target
    worded = next(o for o in page.objectives if o.kind == "Average deal size")
    assert worded.target == "Average deal size up 25% on last year"
    long_change = next(c for c in page.changes if c.what.startswith("notes"))
    assert long_change.new.endswith("…") and len(long_change.new) <= 90  # the full note is on the page
    assert len(page.changes) <= CHANGES_SHOWN


def test_an_account_without_a_wallet_shows_the_estimate_or_says_none_is_known() -> None:
    accounts = sample_accounts().head(40).drop(columns=["wallet"]).copy()
    accounts["potential"] = np.nan
    plan = new_plan(accounts, default_playbook(), as_of=AS_OF)
    page = account_sheet(plan, 0)
    assert page.wallet_source == "peers" and page.wallet >= accounts["revenue"].iat[0]
    assert page.potential == pytest.approx(page.wallet - accounts["revenue"].iat[0])
    assert "Wallet (estimated from peers)" in dict(page.figures)
    given_only = with_values(default_playbook(), {"wallet.method": "given"})
    page = account_sheet(new_plan(accounts, given_only, as_of=AS_OF), 0)
    assert page.wallet_source == "" and np.isnan(page.wallet)
    assert dict(page.figures)["Wallet"] == "not known"


def test_accounts_by_owner_tier_or_id_in_print_order() -> None:
    plan = sample_plan()
    a, cls = plan.accounts, plan.classification
    rows = onepager_rows(plan)
    assert sorted(rows.tolist()) == list(range(len(a)))
    order = pd.DataFrame(
        {"owner": a["owner"].astype(str).to_numpy()[rows], "tier": cls.tier[rows]}
    ).reset_index(drop=True)
    assert order.equals(order.sort_values(["owner", "tier"], kind="stable").reset_index(drop=True))
    owner = str(a["owner"].iat[0])
    theirs = onepager_rows(plan, owner=f"  {owner.upper()} ")
    assert set(theirs.tolist()) == set(np.flatnonzero(a["owner"].astype(str) == owner).tolist())
    strategic = onepager_rows(plan, tier="strategic")
    assert len(strategic) == int((cls.tier == 0).sum())
    names = a["account_name"].str.casefold().to_numpy()[strategic]
    assert list(names) == sorted(names) or len({a["owner"].iat[r] for r in strategic}) > 1
    assert onepager_rows(plan, account=str(a["account_id"].iat[7])).tolist() == [7]
    assert sorted(onepager_rows(plan, among=[9, 3, 5]).tolist()) == [3, 5, 9]


@pytest.mark.parametrize(
    ("given", "named"),
    [
        ({"owner": "Nobody"}, "Priya Raman"),
        ({"tier": "Gold"}, "Strategic, Named, Field, Inside"),
        ({"account": "X-1"}, ""),
    ],
)
def test_an_unknown_owner_tier_or_account_is_named_with_the_choices(
    given: dict[str, str], named: str
) -> None:
    with pytest.raises(ValueError, match="no ") as caught:
        onepager_rows(sample_plan(), **given)
    assert named in str(caught.value)
