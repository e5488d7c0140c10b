"""Edits as plain data: each applied edit returns its inverse, the rows and values it changed, and a text."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tierdesk.domain.changes import Changed
from tierdesk.domain.classification import Override
from tierdesk.domain.classify import PERSONAS
from tierdesk.domain.plan import (
    Applied,
    Edit,
    MoveSplit,
    PinAccounts,
    Plan,
    RenameTier,
    RestoreOverrides,
    SetPlaybook,
    SetPlaybookValue,
)
from tierdesk.domain.playbook import PlaybookError, default_playbook
from tierdesk.domain.playbook_edits import with_value
from tierdesk.domain.reasons import classification_frame

NAN = float("nan")
AS_OF = "2025-06-30"
WHEN = datetime(2025, 6, 1, 9, 30)
PER_ACCOUNT = (
    "tier",
    "persona",
    "category",
    "computed_tier",
    "computed_persona",
    "computed_category",
    "pinned_tier",
    "pinned_persona",
    "pinned_category",
    "over_investment",
    "under_investment",
    "projected_value",
    "x",
    "y",
    "role",
)


def snapshot(plan: Plan) -> dict[str, Any]:
    cls = plan.classification
    state: dict[str, Any] = {f: getattr(cls, f).copy() for f in PER_ACCOUNT}
    state |= {
        "splits": (cls.x_split, cls.y_split),
        "overrides": dict(plan._overrides),
        "playbook": plan.playbook,
        "pin_reasons": cls.pin_reasons,
    }
    return state


def assert_same(a: dict[str, Any], b: dict[str, Any]) -> None:
    for f in PER_ACCOUNT:
        assert np.array_equal(a[f], b[f], equal_nan=a[f].dtype.kind == "f"), f
    assert np.array_equal(a["splits"], b["splits"], equal_nan=True)
    assert a["overrides"] == b["overrides"]
    assert a["playbook"] == b["playbook"]
    assert a["pin_reasons"] == b["pin_reasons"]


def accounts(n: int = 12) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    wallet = rng.lognormal(12, 1.5, n)
    return pd.DataFrame(
        {
            "account_id": [f"A{i}" for i in range(n)],
            "account_name": [f"Account {i}" for i in range(n)],
            "revenue": wallet * rng.beta(1.5, 2.5, n),
            "wallet": wallet,
            "areas": rng.integers(0, 4, n),
            "last_purchase": pd.Timestamp(AS_OF) - pd.to_timedelta(rng.integers(0, 2000, n), unit="D"),
            "owner": rng.choice(["Ann", "Bo"], n),
            "territory": rng.choice(["N", "S"], n),
        }
    )


@st.composite
def edits(draw: st.DrawFn, n: int) -> Edit:
    pb = default_playbook()
    kind = draw(st.sampled_from(["pin", "pin", "split", "value", "rename", "playbook"]))
    if kind == "pin":
        field: Literal["tier", "persona", "category"] = draw(st.sampled_from(["tier", "persona", "category"]))
        names = {
            "tier": pb.tier_names,
            "persona": PERSONAS,
            "category": ("Strategic", "Core", "Beachhead", "Greenfield"),
        }[field]
        rows = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=4))
        return PinAccounts(tuple(rows), field, draw(st.none() | st.sampled_from(names)), "why", WHEN)
    if kind == "split":
        if draw(st.booleans()):
            return MoveSplit("x", draw(st.floats(0, 1.2)))
        return MoveSplit(draw(st.sampled_from(["x", "y"])), draw(st.floats(0, 1)), "percentile")
    if kind == "value":
        return draw(
            st.sampled_from(
                [
                    SetPlaybookValue("tiers[1].touches_per_quarter", draw(st.integers(0, 20))),
                    SetPlaybookValue("tiers[0].cutoff", draw(st.floats(0.86, 1.0))),
                    SetPlaybookValue("categories.greenfield_years", draw(st.integers(1, 6))),
                    SetPlaybookValue("coverage.role_from", draw(st.sampled_from(["tier", "persona"]))),
                    SetPlaybookValue("roles[0].headcount", draw(st.none() | st.integers(0, 9))),
                ]
            )
        )
    if kind == "rename":
        return RenameTier(draw(st.integers(0, 3)), draw(st.sampled_from(["Key", "Gold", "Digital"])))
    return SetPlaybook(with_value(pb, "personas.x_split.value", draw(st.floats(0, 1))))


def check_changes(before: dict[str, Any], after: dict[str, Any], applied: Applied) -> None:
    """Every row whose per-account values moved is reported."""
    moved = np.zeros(len(before["tier"]), bool)
    for f in (
        "tier",
        "persona",
        "category",
        "pinned_tier",
        "pinned_persona",
        "pinned_category",
        "over_investment",
        "under_investment",
        "role",
    ):
        moved |= before[f] != after[f]
    assert set(np.flatnonzero(moved)) <= set(applied.changed_rows.tolist())


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_every_edit_then_its_inverse_gives_back_the_same_plan(data: st.DataObject) -> None:
    plan = Plan(accounts(), default_playbook(), as_of=AS_OF)
    for _ in range(data.draw(st.integers(1, 6))):
        edit = data.draw(edits(len(plan.accounts)))
        before = snapshot(plan)
        try:
            applied = plan.apply(edit)
        except (PlaybookError, ValueError):
            assert_same(snapshot(plan), before)  # a refused edit changes nothing
            continue
        after = snapshot(plan)
        check_changes(before, after, applied)
        assert applied.description
        undone = plan.apply(applied.inverse)
        assert_same(snapshot(plan), before)
        check_changes(after, before, undone)
        redone = plan.apply(undone.inverse)  # redo through the inverse of the inverse
        assert_same(snapshot(plan), after)
        assert redone.changed_rows.tolist() == applied.changed_rows.tolist()


def test_move_descriptions() -> None:
    frame = accounts(20)
    frame.loc[3, "account_name"] = "Acme Corp"
    plan = Plan(frame, default_playbook(), as_of=AS_OF)
    one = plan.apply(PinAccounts((3,), "persona", "Land & Expand", "CIO wants a platform"))
    assert one.description == "Move Acme Corp to Land & Expand"
    assert one.what & (Changed.PERSONA | Changed.PINNED_PERSONA)
    assert one.changed_rows.tolist() == [3]
    many = plan.apply(PinAccounts(tuple(range(12)), "tier", "Named", "review"))
    assert many.description == "Move 12 accounts to Named"
    assert plan.apply(MoveSplit("x", 0.4)).description == "Move share-of-wallet split to 40%"
    percentile = plan.apply(MoveSplit("y", 0.8, "percentile"))
    assert percentile.description == "Move potential split to the 80th percentile"
    assert plan.apply(MoveSplit("y", 800_000)).description == "Move potential split to $800k"
    clear = plan.apply(PinAccounts((3,), "persona", None))
    assert clear.description == "Clear persona override on Acme Corp"
    assert isinstance(clear.inverse, RestoreOverrides)
    assert (
        plan.apply(SetPlaybookValue("tiers[1].touches_per_quarter", 8)).description
        == "Set tiers[1].touches_per_quarter to 8"
    )


def test_pins_survive_rule_changes_and_clearing_returns_the_computed_value() -> None:
    plan = Plan(accounts(), default_playbook(), as_of=AS_OF)
    computed = plan.classification.computed_persona[0]
    target = PERSONAS[(computed + 1) % 4]
    plan.apply(PinAccounts((0,), "persona", target, "judgement", WHEN))
    for edit in (
        MoveSplit("x", 0.01),
        MoveSplit("y", 0.99, "percentile"),
        SetPlaybookValue("tiers[0].cutoff", 0.9),
        SetPlaybook(default_playbook()),
    ):
        plan.apply(edit)
        assert PERSONAS[plan.classification.persona[0]] == target
        assert plan.classification.pinned_persona[0]
    assert plan.override("A0", "persona") == Override("A0", "persona", target, "judgement", WHEN)
    plan.apply(PinAccounts((0,), "persona", None))
    cls = plan.classification
    assert cls.persona[0] == cls.computed_persona[0] and not cls.pinned_persona[0]
    assert len(plan.overrides) == 0


def test_split_move_reports_exactly_the_rows_that_moved() -> None:
    plan = Plan(accounts(200), default_playbook(), as_of=AS_OF)
    before = plan.classification.persona.copy()
    applied = plan.apply(MoveSplit("x", 0.2))
    moved = np.flatnonzero(before != plan.classification.persona)
    assert len(moved) > 0
    assert set(moved) <= set(applied.changed_rows.tolist())
    assert (Changed.PERSONA | Changed.X_SPLIT) in applied.what
    # views that redo work on "playbook" (tier actions, plan editor) need not: only the split moved
    assert not applied.what & (Changed.TIER | Changed.CATEGORY | Changed.PLAYBOOK)
    assert applied.inverse == MoveSplit("x", 0.35, "value")
    assert plan.classification.x_split == 0.2


def test_entitlement_change_names_the_tier_rows() -> None:
    plan = Plan(accounts(50), default_playbook(), as_of=AS_OF)
    applied = plan.apply(SetPlaybookValue("tiers[1].touches_per_quarter", 9))
    named = np.flatnonzero(plan.classification.tier == 1)
    assert applied.changed_rows.tolist() == named.tolist()
    assert applied.what == Changed.ENTITLEMENTS | Changed.PLAYBOOK
    assert classification_frame(plan.classification)["touches_per_quarter"].iloc[named].eq(9).all()


def test_rename_tier_carries_its_pins() -> None:
    plan = Plan(accounts(), default_playbook(), as_of=AS_OF)
    plan.apply(PinAccounts((2,), "tier", "Named", "logo", WHEN))
    applied = plan.apply(RenameTier(1, "Key"))
    assert applied.description == "Rename tier Named to Key"
    assert plan.playbook.tier_names[1] == "Key"
    assert plan.override("A2", "tier") == Override("A2", "tier", "Key", "logo", WHEN)
    assert plan.classification.tier[2] == 1 and plan.classification.pinned_tier[2]
    assert not plan.classification.override_problems
    plan.apply(applied.inverse)
    assert plan.override("A2", "tier") == Override("A2", "tier", "Named", "logo", WHEN)


def test_pins_key_by_account_id_and_cover_duplicates() -> None:
    frame = accounts(6)
    frame.loc[4, "account_id"] = "A1"
    plan = Plan(frame, default_playbook(), as_of=AS_OF)
    applied = plan.apply(PinAccounts((1,), "category", "Core", "merged record"))
    assert applied.changed_rows.tolist() == [1, 4]
    assert plan.classification.pinned_category.tolist() == [False, True, False, False, True, False]
    saved = plan.overrides
    assert saved.columns.tolist() == ["account_id", "field", "value", "reason", "time"]
    reopened = Plan(frame, default_playbook(), saved, as_of=AS_OF)
    assert reopened.classification.category.tolist() == plan.classification.category.tolist()
    assert reopened.override("A1", "category") == plan.override("A1", "category")


def test_refused_edits_change_nothing() -> None:
    plan = Plan(accounts(), default_playbook(), as_of=AS_OF)
    before = snapshot(plan)
    with pytest.raises(ValueError, match="not a persona"):
        plan.apply(PinAccounts((0,), "persona", "Hunters"))
    with pytest.raises(IndexError):
        plan.apply(PinAccounts((99,), "tier", "Named"))
    with pytest.raises(PlaybookError) as info:
        plan.apply(SetPlaybookValue("tiers[2].cutoff", 0.99))
    assert info.value.key == "tiers[2].cutoff"
    with pytest.raises(PlaybookError):
        plan.apply(RenameTier(9, "Nine"))
    frame = accounts()
    frame.loc[0, "account_id"] = None
    no_id = Plan(frame, default_playbook(), as_of=AS_OF)
    with pytest.raises(ValueError, match="no account_id"):
        no_id.apply(PinAccounts((0,), "tier", "Named"))
    assert_same(snapshot(plan), before)


def test_pin_time_defaults_to_now() -> None:
    plan = Plan(accounts(), default_playbook(), as_of=AS_OF)
    start = datetime.now().replace(microsecond=0)
    plan.apply(PinAccounts((0,), "tier", "Field", "quiet year"))
    pin = plan.override("A0", "tier")
    assert pin is not None and pin.time is not None and pin.time >= start
    assert plan.overrides["reason"].tolist() == ["quiet year"]


def test_coverage_follows_edits() -> None:
    plan = Plan(accounts(30), default_playbook(), as_of=AS_OF)
    before = plan.coverage().cost
    plan.apply(PinAccounts(tuple(range(30)), "tier", "Strategic", "everything is Tier 1"))
    assert plan.coverage().by_tier.loc["Strategic", "accounts"] == 30
    assert plan.coverage().cost > before


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_pins_applied_row_by_row_match_a_full_reclassification(data: st.DataObject) -> None:
    """A pin recomputes only its rows; the result must equal applying every override from scratch."""
    from tierdesk.domain.coverage import coverage
    from tierdesk.domain.overrides import with_overrides

    plan = Plan(accounts(6), default_playbook(), as_of=AS_OF)  # few accounts: pins meet earlier pins
    plan.coverage()  # counted once; pins then update the counts row by row
    for _ in range(data.draw(st.integers(1, 10))):
        edit = data.draw(edits(len(plan.accounts)))
        try:
            plan.apply(edit)
        except (PlaybookError, ValueError):
            continue
        fresh = with_overrides(plan.classification, plan._overrides)
        for f in ("tier", "persona", "category", "pinned_tier", "pinned_persona", "pinned_category"):
            assert np.array_equal(getattr(plan.classification, f), getattr(fresh, f)), f
        assert np.array_equal(plan.classification.over_investment, fresh.over_investment)
        assert np.array_equal(plan.classification.under_investment, fresh.under_investment)
        assert plan.classification.pin_reasons == fresh.pin_reasons
        kept, counted = plan.coverage(), coverage(plan.accounts, plan.classification)
        for table in ("by_role", "by_tier", "by_persona", "by_territory", "by_owner"):
            pd.testing.assert_frame_equal(getattr(kept, table), getattr(counted, table))
        assert (kept.sellers, kept.cost, kept.revenue) == (counted.sellers, counted.cost, counted.revenue)
