"""Balancing sellers' books on small territories worked out by hand.

The playbook here makes the arithmetic plain: two tiers by revenue ("Key" from 1,000, "Small" below), the
role by tier, "Rep" carrying 10 Key accounts and "Desk" 100 Small ones (1 account = 1 unit of workload). So
a Key account is 0.1 of a Rep's capacity and a Small account 0.01 of a Desk's."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from tierdesk.domain.balance import balance
from tierdesk.domain.owners import LockOwner, ReassignAccounts
from tierdesk.domain.plan import Plan
from tierdesk.domain.playbook import Playbook, default_playbook, playbook_from_dict, playbook_to_dict
from tierdesk.domain.seller_edits import RemoveSeller
from tierdesk.domain.sellers import Seller
from tierdesk.domain.work import Cancelled
from tierdesk.domain.workload import book_table, books, sellers_short

AS_OF = "2026-06-30"


def playbook(keep_owner: list[str] | None = None) -> Playbook:
    data = playbook_to_dict(default_playbook())
    tier = {k: v for k, v in data["tiers"][0].items() if k != "cutoff"}
    data["tiering"] = {"cutoffs": "value", "use_projected_value": False, "score": {"revenue": 1.0}}
    data["tiers"] = [
        tier | {"name": "Key", "cutoff": 1000, "role": "Rep"},
        tier | {"name": "Small", "role": "Desk"},
    ]
    data["roles"] = [
        {"name": "Rep", "capacity_unit": "accounts", "capacity": 10, "cost": 100_000},
        {"name": "Desk", "capacity_unit": "accounts", "capacity": 100, "cost": 50_000},
    ]
    data["personas"]["roles"] = dict.fromkeys(data["personas"]["roles"], "Rep")
    data["coverage"] = {"role_from": "tier"}
    data["mismatch"] = {"high_touch": ["Key"], "low_touch": ["Small"]}
    data["sellers"] = {"keep_owner": keep_owner or [], "tolerance": 0.1}
    data.pop("governance", None)
    return playbook_from_dict(data)


def territory(books_: dict[str | None, list[tuple[str, int]]], **columns: Any) -> pd.DataFrame:
    """Accounts per owner: (tier, how many); Key accounts have revenue 1,000 + 10 i, Small ones 10 + i."""
    rows = []
    for owner, parts in books_.items():
        for tier, count in parts:
            for _ in range(count):
                i = len(rows)
                revenue = 1000 + 10 * i if tier == "Key" else 10 + i
                rows.append(
                    {
                        "account_id": f"A{i}",
                        "account_name": f"Account {i}",
                        "owner": owner,
                        "revenue": revenue,
                    }
                )
    frame = pd.DataFrame(rows)
    frame["owner"] = pd.Categorical(frame["owner"])
    frame["wallet"] = frame["revenue"] * 2.0
    for name, values in columns.items():
        frame[name] = values
    return frame


def plan_of(books_: dict[str | None, list[tuple[str, int]]], sellers: list[Seller], **kw: Any) -> Plan:
    pb = kw.pop("pb", None) or playbook()
    return Plan(territory(books_, **kw), pb, as_of=AS_OF, sellers=sellers)


REPS = [Seller("A", "Rep"), Seller("B", "Rep")]


def moved(proposal: Any) -> list[tuple[str | None, str]]:
    sources = [None if pd.isna(f) else f for f in proposal.moves["from"]]
    return list(zip(sources, proposal.moves["to"], strict=True))


def test_the_fewest_moves_bring_both_reps_within_ten_percent() -> None:
    plan = plan_of({"A": [("Key", 15)], "B": [("Key", 5)]}, REPS)
    proposal = balance(plan)
    # A carries 150%, B 50%: A must drop to 110% and B rise to 90%: four Key accounts, A's smallest
    assert moved(proposal) == [("A", "B")] * 4
    assert proposal.moves["revenue"].tolist() == [1000, 1010, 1020, 1030]
    assert proposal.loads_before.tolist() == pytest.approx([1.5, 0.5])
    assert proposal.loads_after.tolist() == pytest.approx([1.1, 0.9])
    assert proposal.lower_bound == 4
    assert not proposal.target.evened and proposal.sellers_short == {}
    assert proposal.before.to_json() == {"max_over": 0.5, "max_under": 0.5, "spread": 1.0}
    assert proposal.after.to_json() == {"max_over": 0.1, "max_under": 0.1, "spread": 0.2}
    assert proposal.moves["why"].iat[0] == "A carries 150% of capacity; B 50% (target 90%–110%)"
    assert proposal.moves["workload"].tolist() == [1.0] * 4 and proposal.moves["unit"].iat[0] == "accounts"
    assert proposal.moves["load_from"].tolist() == pytest.approx([-0.1] * 4)
    assert proposal.moves["cost"].tolist() == [0.0] * 4  # Rep to Rep: the same cost of coverage


def test_accepting_is_one_undoable_edit_and_some_moves_can_be_left_out() -> None:
    plan = plan_of({"A": [("Key", 15)], "B": [("Key", 5)]}, REPS)
    proposal = balance(plan)
    assert proposal.spread_if([0, 1]).to_json() == {"max_over": 0.3, "max_under": 0.3, "spread": 0.6}
    applied = plan.apply(proposal.edit([0, 1], reason="Q3 review"))
    assert applied.description == "Balance the books: 2 accounts reassigned"
    assert plan.coverage().by_owner["accounts"].to_dict() == {"A": 13, "B": 7}
    history = plan.history
    assert history["kind"].tolist() == ["reassigned", "reassigned"]
    assert history["reason"].iat[0] == "Q3 review: A carries 150% of capacity; B 50% (target 90%–110%)"
    plan.apply(applied.inverse)
    assert plan.coverage().by_owner["accounts"].to_dict() == {"A": 15, "B": 5}
    again = balance(plan)
    plan.apply(again.edit())
    assert plan.coverage().by_owner["accounts"].to_dict() == {"A": 11, "B": 9}
    assert balance(plan).moved_accounts == 0  # balanced, and its moves are kept


def test_locked_accounts_keep_their_owner() -> None:
    plan = plan_of({"A": [("Key", 15)], "B": [("Key", 5)]}, REPS)
    plan.apply(LockOwner(tuple(range(12)), True, "relationship"))
    proposal = balance(plan)
    assert moved(proposal) == [("A", "B")] * 3  # only A's three free accounts can go
    assert set(proposal.moves["row"]) == {12, 13, 14}
    assert proposal.loads_after.tolist() == pytest.approx([1.2, 0.8])
    assert "2 sellers stay outside 90%–110% (A 120%, B 80%)" in " ".join(proposal.messages)
    by_default = plan_of({"A": [("Key", 15)], "B": [("Key", 5)]}, REPS, pb=playbook(keep_owner=["Key"]))
    assert balance(by_default).moved_accounts == 0  # the playbook keeps every Key account's owner


def test_an_account_goes_only_to_a_seller_whose_role_covers_it() -> None:
    sellers = [*REPS, Seller("C", "Desk")]
    plan = plan_of({"A": [("Key", 15), ("Small", 50)], "B": [("Key", 5)], "C": [("Small", 40)]}, sellers)
    proposal = balance(plan)
    # A: 1.5 + 0.5 (Small accounts counted at the Desk's rate); B 0.5; C 0.4. C takes A's 50 Small
    # accounts (Desk's role), B four Key ones; nothing of Key goes to C however empty C is
    assert sorted(set(moved(proposal))) == [("A", "B"), ("A", "C")]
    to_c = proposal.moves[proposal.moves["to"] == "C"]
    assert len(to_c) == 50 and (plan.classification.tier[to_c["row"]] == 1).all()
    assert (plan.classification.tier[proposal.moves.loc[proposal.moves["to"] == "B", "row"]] == 0).all()
    assert proposal.loads_after.tolist() == pytest.approx([1.1, 0.9, 0.9])


def test_regions_are_kept_where_sellers_have_one() -> None:
    sellers = [Seller("A", "Rep", region="North"), Seller("B", "Rep", region="South"), Seller("D", "Rep")]
    books_ = {"A": [("Key", 10)], "B": [("Key", 2)], "D": [("Key", 18)]}
    regions = ["North"] * 10 + ["South"] * 2 + ["North"] * 10 + ["South"] * 8
    plan = plan_of(books_, sellers, region=regions)
    proposal = balance(plan)
    # D (no region) carries 180%: its South accounts can go to B (South), its North ones only to A, full
    assert moved(proposal) == [("D", "B")] * 7
    assert set(np.asarray(regions, object)[proposal.moves["row"]]) == {"South"}
    assert proposal.loads_after.tolist() == pytest.approx([1.0, 0.9, 1.1])


def test_accounts_without_an_owner_or_with_one_outside_the_team_get_one() -> None:
    plan = plan_of({"A": [("Key", 9)], "B": [("Key", 9)], None: [("Key", 1)], "Zed": [("Key", 1)]}, REPS)
    assert [s.name for s in plan.sellers] == ["A", "B", "Zed"]  # Zed, an owner in the file, is guessed
    plan.apply(RemoveSeller("Zed"))  # Zed leaves: their account keeps the name until balanced
    proposal = balance(plan)
    assert sorted(f or "-" for f, _ in moved(proposal)) == ["-", "Zed"]  # both get an owner, in the band
    why = dict(zip(proposal.moves["from"].fillna("-"), proposal.moves["why"], strict=True))
    assert why["-"].startswith("No owner; ")
    assert why["Zed"].startswith("Zed is not in the sellers table; ")
    assert proposal.loads_after.sum() == pytest.approx(2.0) and proposal.unplaced == 0
    assert ((proposal.loads_after >= 0.9 - 1e-9) & (proposal.loads_after <= 1.1 + 1e-9)).all()
    assert proposal.to_json()["moves"][1]["from"] in (None, "Zed")


def test_a_team_too_small_evens_the_books_and_says_who_is_missing() -> None:
    plan = plan_of({"A": [("Key", 30)], "B": [("Key", 10)]}, REPS)
    proposal = balance(plan)
    # 4 sellers' worth of work for 2: average 200%, evened within 180%-220%; 4 / 1.1 = 3.6 Reps needed
    assert proposal.target.evened and proposal.target.average == pytest.approx(2.0)
    assert moved(proposal) == [("A", "B")] * 8
    assert proposal.loads_after.tolist() == pytest.approx([2.2, 1.8])
    assert proposal.sellers_short == {"Rep": 2} == sellers_short(books(plan), 0.1)
    assert proposal.messages[0].startswith(
        "The team cannot carry the work: 4.0 sellers' worth of work for 2.0"
    )
    assert "Sellers missing: 2 Reps." in proposal.messages
    assert proposal.to_json()["sellers_short"] == {"Rep": 2}


def test_accounts_reassigned_in_the_plan_stay_unless_asked() -> None:
    plan = plan_of({"A": [("Key", 11)], "B": [("Key", 9)]}, REPS)
    plan.apply(ReassignAccounts((11, 12, 13, 14), ("A",), "A knows them"))  # now 15 and 5
    proposal = balance(plan)
    assert len(proposal.moves) == 4 and not set(proposal.moves["row"]) & {11, 12, 13, 14}
    anyway = balance(plan, move_reassigned=True)
    assert len(anyway.moves) == 4 and anyway.moves["row"].min() == 0  # A's smallest: the first ones


def test_takes_new_and_maximum_accounts_are_respected() -> None:
    sellers = [Seller("A", "Rep"), Seller("B", "Rep", takes_new=False), Seller("C", "Rep", max_accounts=7)]
    plan = plan_of({"A": [("Key", 16)], "B": [("Key", 4)], "C": [("Key", 5)]}, sellers)
    proposal = balance(plan)
    # 2.5 sellers' worth for 3: capacity to spare, so the books are evened (83% ± 10%). B takes nothing
    # new and C takes two, up to its maximum of 7, so A stays overloaded
    assert proposal.target.evened and proposal.target.average == pytest.approx(2.5 / 3)
    assert set(proposal.moves["to"]) == {"C"} and len(proposal.moves) == 2
    assert proposal.loads_after.tolist() == pytest.approx([1.4, 0.4, 0.7])


def test_balance_reports_progress_and_stops_when_cancelled() -> None:
    plan = plan_of({"A": [("Key", 15)], "B": [("Key", 5)]}, REPS)
    seen: list[float] = []
    balance(plan, progress=lambda f, _text: seen.append(f))
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    with pytest.raises(Cancelled):
        balance(plan, cancel=lambda: True)


def test_the_book_per_seller() -> None:
    plan = plan_of({"A": [("Key", 15), ("Small", 20)], "B": [("Key", 5)], None: [("Key", 2)]}, REPS)
    table = book_table(books(plan))
    assert table["seller"].tolist() == ["A", "B", "(no owner)"]
    a = table.iloc[0]
    assert (a["accounts"], a["capacity"], a["unit"]) == (35, 10.0, "accounts")
    assert a["load"] == pytest.approx(1.7) and a["workload"] == pytest.approx(17.0)  # 15 Key + 20 Small
    assert a["revenue"] == pytest.approx(
        sum(1000 + 10 * i for i in range(15)) + sum(10 + i for i in range(15, 35))
    )
    assert table.iloc[2]["accounts"] == 2 and not table.iloc[2]["in_team"]
    assert np.isnan(table.iloc[2]["load"])


def test_tolerance_comes_from_the_playbook_or_the_call() -> None:
    plan = plan_of({"A": [("Key", 15)], "B": [("Key", 5)]}, REPS)
    assert balance(plan, 0.3).moved_accounts == 2  # within 70%-130%
    with pytest.raises(ValueError, match="tolerance"):
        balance(plan, 1.5)
