"""Owner and seller edits as plain data: reassigning accounts, keeping an owner, changing the sellers table;
each applied edit returns its inverse, is recorded in the history and reported by Compare."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tierdesk.domain.changes import Changed
from tierdesk.domain.compare import compare_plans
from tierdesk.domain.owners import LockOwner, ReassignAccounts, RestoreOwners
from tierdesk.domain.plan import Edit, PinAccounts, Plan
from tierdesk.domain.playbook import default_playbook
from tierdesk.domain.seller_edits import AddSeller, ChangeSeller, RemoveSeller, SetSellers
from tierdesk.domain.sellers import Seller

AS_OF = "2025-06-30"
WHEN = datetime(2025, 6, 1, 9, 30)
ROLES = default_playbook().role_names


def accounts(n: int = 14) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    wallet = rng.lognormal(12, 1.5, n)
    return pd.DataFrame(
        {
            "account_id": [f"A{i}" for i in range(n)],
            "account_name": [f"Account {i}" for i in range(n)],
            "revenue": wallet * rng.beta(1.5, 2.5, n),
            "wallet": wallet,
            "areas": rng.integers(0, 4, n),
            "last_purchase": pd.Timestamp(AS_OF) - pd.to_timedelta(rng.integers(0, 2000, n), unit="D"),
            "owner": pd.Categorical(rng.choice(["Ann", "Bo", None], n)),
        }
    )


def snapshot(plan: Plan) -> dict[str, Any]:
    owners = plan.accounts["owner"].astype("string").fillna("").tolist()
    by_owner = plan.coverage().by_owner["accounts"]
    return {
        "owners": owners,
        "overrides": dict(plan._overrides),
        "sellers": plan.sellers,
        "locks": plan.owner_locks().tolist(),
        "by_owner": by_owner[by_owner > 0].to_dict(),
        "tier": plan.classification.tier.tolist(),
    }


@st.composite
def edits(draw: st.DrawFn, plan: Plan) -> Edit:
    n = len(plan.accounts)
    names = [s.name for s in plan.sellers]
    rows = tuple(draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=4)))
    kind = draw(st.sampled_from(["reassign", "reassign", "lock", "add", "change", "remove", "set", "pin"]))
    if kind == "reassign":
        owners = draw(st.lists(st.sampled_from([*names, None]), min_size=1, max_size=1) | st.just([]))
        owners = owners or [draw(st.sampled_from([*names, None])) for _ in rows]
        return ReassignAccounts(rows, tuple(owners), "why", WHEN)
    if kind == "lock":
        return LockOwner(rows, draw(st.sampled_from([True, False, None])), "key account", WHEN)
    seller = Seller(draw(st.sampled_from(["Cy", "Di", "Ann", "Bo"])), draw(st.sampled_from(ROLES)))
    if kind == "add":
        return AddSeller(seller, draw(st.none() | st.integers(0, 3)))
    if kind == "change":
        return ChangeSeller(draw(st.sampled_from([*names, "Nobody"])), seller)
    if kind == "remove":
        return RemoveSeller(draw(st.sampled_from([*names, "Nobody"])))
    if kind == "set":
        return SetSellers((seller, Seller("Eve", ROLES[0], capacity=900.0, region="East")))
    return PinAccounts(rows, "tier", draw(st.sampled_from(default_playbook().tier_names)), "judgement", WHEN)


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_every_owner_edit_then_its_inverse_gives_back_the_same_plan(data: st.DataObject) -> None:
    plan = Plan(accounts(), default_playbook(), as_of=AS_OF)
    for _ in range(data.draw(st.integers(1, 6))):
        edit = data.draw(edits(plan))
        before = snapshot(plan)
        try:
            applied = plan.apply(edit)
        except ValueError:
            assert snapshot(plan) == before  # a refused edit changes nothing
            continue
        after = snapshot(plan)
        assert applied.description
        undone = plan.apply(applied.inverse)
        assert snapshot(plan) == before
        plan.apply(undone.inverse)  # redo through the inverse of the inverse
        assert snapshot(plan) == after


def test_sellers_start_from_the_owners_with_guessed_roles() -> None:
    plan = Plan(accounts(), default_playbook(), as_of=AS_OF)
    assert [s.name for s in plan.sellers] == ["Ann", "Bo"]
    assert all(s.role_guessed and s.role in ROLES and s.capacity is None for s in plan.sellers)
    given_team = Plan(accounts(), default_playbook(), as_of=AS_OF, sellers=[Seller("Bo", ROLES[2])])
    assert [(s.name, s.role_guessed) for s in given_team.sellers] == [("Bo", False), ("Ann", True)]


def test_reassign_moves_the_owner_with_its_reason_into_the_history_and_compare() -> None:
    plan = Plan(accounts(), default_playbook(), as_of=AS_OF)
    old = Plan(accounts(), default_playbook(), as_of=AS_OF)
    row = int(np.flatnonzero((plan.accounts["owner"].astype("string") == "Ann").fillna(False))[0])
    applied = plan.apply(ReassignAccounts((row,), ("Bo",), "Ann is on leave", WHEN))
    assert applied.description == f"Reassign Account {row} to Bo"
    assert applied.changed_rows.tolist() == [row]
    assert Changed.OWNER | Changed.OVERRIDES in applied.what
    assert plan.accounts["owner"].iat[row] == "Bo"
    assert old.accounts["owner"].iat[row] == "Ann"  # the frame given is not changed
    assert isinstance(applied.inverse, RestoreOwners)
    entry = plan.history.iloc[-1]
    assert (entry["kind"], entry["what"], entry["old"], entry["new"], entry["reason"]) == (
        "reassigned",
        "owner",
        "Ann",
        "Bo",
        "Ann is on leave",
    )
    changes = compare_plans(old, plan).owner_changes
    assert changes[["account_id", "from", "to", "cause", "reason"]].values.tolist() == [
        [f"A{row}", "Ann", "Bo", "reassigned", "Ann is on leave"]
    ]
    assert compare_plans(old, plan).to_json()["owner_changes"][0]["cause"] == "reassigned"


def test_reassignments_survive_newer_data_and_a_saved_plan() -> None:
    plan = Plan(accounts(), default_playbook(), as_of=AS_OF)
    rows = np.flatnonzero((plan.accounts["owner"].astype("string") != "Bo").fillna(True))[:2]
    plan.apply(ReassignAccounts(rows, ("Bo",), "territory swap", WHEN))
    again = Plan(accounts(), plan.playbook, plan.overrides, as_of=AS_OF, sellers=list(plan.sellers))
    assert again.accounts["owner"].iloc[rows].tolist() == ["Bo", "Bo"]
    assert np.flatnonzero(again.reassigned()).tolist() == rows.tolist()


def test_reassign_to_someone_not_in_the_sellers_is_refused() -> None:
    plan = Plan(accounts(), default_playbook(), as_of=AS_OF)
    with pytest.raises(ValueError, match="'Zed' is not a seller of this plan"):
        plan.apply(ReassignAccounts((0,), ("Zed",)))
    with pytest.raises(ValueError, match="2 owners for 3 accounts"):
        ReassignAccounts((0, 1, 2), ("Ann", "Bo"))


def test_strategic_accounts_keep_their_owner_unless_freed() -> None:
    plan = Plan(accounts(40), default_playbook(), as_of=AS_OF)
    strategic = plan.classification.tier == 0
    assert strategic.any() and (plan.owner_locks() == strategic).all()
    row = int(np.flatnonzero(strategic)[0])
    freed = plan.apply(LockOwner((row,), False, "moving to the new team", WHEN))
    assert freed.description == f"Let balancing move Account {row}"
    assert freed.what == Changed.KEEP_OWNER | Changed.OVERRIDES  # the owner itself stays
    assert not plan.owner_locks()[row]
    entry = plan.history.iloc[-1]
    changed = (entry["kind"], entry["what"], entry["old"], entry["new"])
    assert changed == ("override", "keep owner", "owner kept", "may move")
    plan.apply(LockOwner((1, 2), True))
    assert plan.owner_locks()[[1, 2]].all()
    plan.apply(LockOwner((row,), None))
    assert plan.owner_locks()[row]


def test_renaming_a_seller_renames_their_accounts_and_reassignments() -> None:
    plan = Plan(accounts(), default_playbook(), as_of=AS_OF)
    plan.apply(ReassignAccounts((0,), ("Ann",), "why", WHEN))
    held = (plan.accounts["owner"].astype("string") == "Ann").fillna(False).sum()
    ann = next(s for s in plan.sellers if s.name == "Ann")
    applied = plan.apply(ChangeSeller("Ann", Seller("Ann Lee", ann.role, capacity=1200)))
    assert applied.description == "Rename seller Ann to Ann Lee"
    assert applied.what == Changed.SELLERS | Changed.OWNER
    assert (plan.accounts["owner"].astype("string") == "Ann Lee").sum() == held
    assert plan.override("A0", "owner").value == "Ann Lee"
    assert plan.history.iloc[-1]["kind"] == "sellers"
    with pytest.raises(ValueError, match="named twice"):
        plan.apply(ChangeSeller("Ann Lee", Seller("Bo", ann.role)))
    with pytest.raises(ValueError, match="named twice"):
        plan.apply(AddSeller(Seller("bo", ann.role)))
    plan.apply(RemoveSeller("Bo"))  # Bo's accounts keep the name until reassigned
    assert "Bo" in plan.accounts["owner"].astype("string").tolist()
    with pytest.raises(ValueError, match="already owned by 'Bo'"):
        plan.apply(ChangeSeller("Ann Lee", Seller("Bo", ann.role)))
    with pytest.raises(ValueError, match="not a role of the playbook"):
        plan.apply(AddSeller(Seller("Cy", "Wizard")))


@pytest.mark.parametrize(
    ("sellers", "message"),
    [
        ({"keep_owner": ["Platinum"]}, "sellers.keep_owner: item 0: no tier named 'Platinum'"),
        ({"keep_owner": ["Named", "Named"]}, "sellers.keep_owner: a tier is named twice"),
        ({"tolerance": 1.5}, "sellers.tolerance: a fraction of capacity above 0 and below 1"),
        ({"tolerance": "ten"}, "sellers.tolerance: must be a number"),
        ({"keep": []}, "sellers.keep: unknown key"),
    ],
)
def test_the_playbook_sellers_table_is_validated(sellers: dict[str, Any], message: str) -> None:
    from tierdesk.domain.playbook import PlaybookError, playbook_from_dict, playbook_to_dict

    data = playbook_to_dict(default_playbook())
    data["sellers"] = sellers
    with pytest.raises(PlaybookError) as caught:
        playbook_from_dict(data)
    assert str(caught.value).startswith(message)


def test_keep_owner_defaults_to_the_top_tier_and_follows_a_rename() -> None:
    from tierdesk.domain.playbook import playbook_from_dict, playbook_to_dict
    from tierdesk.domain.playbook_edits import with_tier_renamed
    from tierdesk.domain.seller_settings import keep_owner_tiers

    data = playbook_to_dict(default_playbook())
    del data["sellers"]
    pb = playbook_from_dict(data)
    assert pb.sellers.keep_owner is None and pb.sellers.tolerance == 0.1
    assert keep_owner_tiers(pb.sellers, pb.tier_names) == ("Strategic",)
    assert default_playbook().sellers.keep_owner == ("Strategic",)
    assert with_tier_renamed(default_playbook(), 0, "Key").sellers.keep_owner == ("Key",)
