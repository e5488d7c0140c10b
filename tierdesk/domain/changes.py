"""What an edit (or any other change to an open plan) changed: a typed notice that views redraw from.

Every edit returns one (`Applied.change`); the Qt document emits one for its own operations too (the previous
period). A view tests the flags it draws from, `if change.what & (Changed.TIER | Changed.PLAYBOOK)`: a
misspelt flag is an error for mypy and at run time, never a test that silently stays false.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np

__all__ = ["Change", "Changed"]


class Changed(enum.Flag):
    """What changed. Per-account values come with the rows that changed; plan-wide ones with none (after a
    plan-wide change tier names and every reason text may differ)."""

    NOTHING = 0
    # per account: the classification (Classification's arrays of the same name)
    TIER = enum.auto()
    PERSONA = enum.auto()
    CATEGORY = enum.auto()  # relationship category
    ROLE = enum.auto()  # the seller role covering the account
    PINNED_TIER = enum.auto()  # whether the tier is pinned by hand
    PINNED_PERSONA = enum.auto()
    PINNED_CATEGORY = enum.auto()
    OVER_INVESTMENT = enum.auto()  # the mismatch flags
    UNDER_INVESTMENT = enum.auto()
    PROJECTED_VALUE = enum.auto()
    X = enum.auto()  # the persona axes' values: share of wallet and growth potential
    Y = enum.auto()
    ENTITLEMENTS = enum.auto()  # what the account's tier entitles it to (touches, reviews, role…)
    WALLET = enum.auto()  # the wallet used (the file's, an estimate or the planner's) and where it came from
    # per account: what the planner keeps with it
    OVERRIDES = enum.auto()  # pins, reasons and typed wallets (every row of the accounts touched)
    OBJECTIVES = enum.auto()  # the account plans' objectives (every row of the accounts touched)
    COMPLETENESS = enum.auto()  # how fully the account plans are written
    OWNER = (
        enum.auto()
    )  # who owns the account (the plan's accounts are then a new frame; the old one is kept)
    KEEP_OWNER = enum.auto()  # whether balancing keeps the account's owner (a lock, or the playbook's rule)
    # plan-wide
    X_SPLIT = enum.auto()  # where the share-of-wallet split line stands
    Y_SPLIT = enum.auto()  # where the growth-potential split line stands
    TIER_CUTOFFS = enum.auto()
    CATEGORY_THRESHOLDS = enum.auto()
    PLAYBOOK = enum.auto()  # anything else in the playbook: tiers, names, rules, entitlements
    PLAN_INFO = enum.auto()  # the plan's owner, title and period
    PREVIOUS = enum.auto()  # the previous period that tier turnover is measured against
    SELLERS = enum.auto()  # the plan's sellers table: who they are, their roles and capacity

    # groups, for views that draw from several at once
    PINS = PINNED_TIER | PINNED_PERSONA | PINNED_CATEGORY
    SPLITS = X_SPLIT | Y_SPLIT
    AXES = X | Y


@dataclass(frozen=True)
class Change:
    """A change notice: what changed, and the rows (account positions) whose per-account values changed;
    None when any row may have (a view then looks at every row)."""

    what: Changed
    rows: np.ndarray | None = None

    def touches(self, flags: Changed) -> bool:
        """Whether any of `flags` changed."""
        return bool(self.what & flags)

    def row_changed(self, row: int) -> bool:
        """Whether the values of the account at `row` may have changed."""
        return self.rows is None or bool(np.isin(row, self.rows))
