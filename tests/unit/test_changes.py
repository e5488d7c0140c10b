"""The typed change notices: each edit says what it changed, and every notice is given by some change (none
is dead, so a view that waits for one is waiting for something real)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from tierdesk import paths
from tierdesk.domain.changes import Change, Changed
from tierdesk.domain.owners import LockOwner, ReassignAccounts
from tierdesk.domain.plan import (
    MoveSplit,
    PinAccounts,
    PlanInfo,
    RenameTier,
    SetPlanInfo,
    SetPlaybookValue,
    SetWallet,
    SetWalletSettings,
)
from tierdesk.domain.plan_objectives import new_plan, set_objective
from tierdesk.domain.playbook import default_playbook
from tierdesk.domain.seller_edits import AddSeller
from tierdesk.domain.sellers import Seller
from tierdesk.io.load import open_territory


@pytest.fixture(scope="module")
def accounts() -> pd.DataFrame:
    return open_territory(paths.sample_territory()).accounts


def test_each_edit_names_what_it_changed(accounts: pd.DataFrame) -> None:
    plan = new_plan(accounts, default_playbook(), as_of="2025-07-01")
    seen = Changed.NOTHING
    expected = [
        (
            PinAccounts((0, 1), "tier", "Strategic", "test"),
            Changed.TIER | Changed.PINNED_TIER | Changed.OVERRIDES,
        ),
        (PinAccounts((2,), "persona", "Land & Expand", "test"), Changed.PERSONA | Changed.PINNED_PERSONA),
        (PinAccounts((3,), "category", "Core", "test"), Changed.CATEGORY | Changed.PINNED_CATEGORY),
        (MoveSplit("x", 0.5), Changed.PERSONA | Changed.ROLE | Changed.X_SPLIT),
        (MoveSplit("y", 0.5, "percentile"), Changed.PERSONA | Changed.Y_SPLIT),
        (SetPlaybookValue("tiers[0].cutoff", 0.95), Changed.TIER | Changed.TIER_CUTOFFS | Changed.PLAYBOOK),
        (SetPlaybookValue("tiers[0].touches_per_quarter", 10), Changed.ENTITLEMENTS | Changed.PLAYBOOK),
        (
            SetPlaybookValue("categories.strategic_revenue", {"kind": "percentile", "value": 0.8}),
            Changed.CATEGORY | Changed.CATEGORY_THRESHOLDS,
        ),
        (RenameTier(0, "Key"), Changed.PLAYBOOK),
        (SetWallet((5,), 5e7), Changed.WALLET | Changed.AXES | Changed.PROJECTED_VALUE | Changed.OVERRIDES),
        (SetPlanInfo(PlanInfo(owner="Dana")), Changed.PLAN_INFO | Changed.COMPLETENESS),
        (set_objective(int(plan.objectives["objective_id"].iat[0]), "status", "Met"), Changed.OBJECTIVES),
        (SetWalletSettings(replace(plan.playbook.wallet, quantile=0.5)), Changed.PLAYBOOK),
        (AddSeller(Seller("Test Seller", plan.playbook.role_names[0])), Changed.SELLERS),
        (ReassignAccounts((6,), ("Test Seller",), "test"), Changed.OWNER | Changed.OVERRIDES),
        (LockOwner((7,), True, "test"), Changed.KEEP_OWNER | Changed.OVERRIDES),
    ]
    for edit, named in expected:
        applied = plan.apply(edit)
        assert named in applied.what, (edit, applied.what)
        assert applied.change == Change(applied.what, applied.changed_rows)
        seen |= applied.what
    # a split only moves personas: the playbook is not said to have changed, nor any tier
    moved = plan.apply(MoveSplit("x", 0.3))
    assert not moved.what & (Changed.PLAYBOOK | Changed.TIER)
    # the previous period is the document's to change (tierdesk/qt/document.py), not an edit's
    assert [flag for flag in Changed if not flag & seen] == [Changed.PREVIOUS]


def test_a_change_notice_tells_which_rows() -> None:
    change = Change(Changed.TIER | Changed.PINNED_TIER, np.array([3, 7]))
    assert change.touches(Changed.TIER) and change.touches(Changed.PINS)
    assert not change.touches(Changed.SPLITS | Changed.PLAYBOOK)
    assert change.row_changed(7) and not change.row_changed(4)
    anywhere = Change(Changed.PLAYBOOK)
    assert anywhere.rows is None and anywhere.row_changed(4)  # no rows named: any row may have changed
