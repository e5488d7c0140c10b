"""Per-account plan columns shown in the accounts table: tier, persona, category, role, pins, wallet, owner
kept; and the file's columns that plan edits change (the owner)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from tierdesk.domain.changes import Changed
from tierdesk.domain.plan import Plan
from tierdesk.domain.playbook import CATEGORIES, PERSONAS, UNCLASSIFIED

#: the plan columns by name: names (categorical) or numbers
PlanColumns: TypeAlias = "dict[str, pd.Categorical[Any] | np.ndarray]"
WALLET_COLUMN = "Wallet"  # the wallet used (the file's, an estimate or the planner's): typed to override
# table column -> the changes that change it
PLAN_COLUMNS: dict[str, Changed] = {
    "Tier": Changed.TIER,
    "Persona": Changed.PERSONA,
    "Category": Changed.CATEGORY,
    "Seller Role": Changed.ROLE | Changed.TIER | Changed.PERSONA,
    "Pinned": Changed.PINS,
    WALLET_COLUMN: Changed.WALLET,
    "Wallet Source": Changed.WALLET,
    "Owner Kept": Changed.KEEP_OWNER | Changed.TIER | Changed.PLAYBOOK,
}
#: the file's columns that edits change -> the changes that change them
FILE_COLUMNS: dict[str, Changed] = {"owner": Changed.OWNER}
_PIN_NAMES = (
    "",
    "tier",
    "persona",
    "tier, persona",
    "category",
    "tier, category",
    "persona, category",
    "tier, persona, category",
)


def _categorical(codes: np.ndarray, names: Iterable[str]) -> pd.Categorical[str]:
    names = list(names)
    codes = np.asarray(codes, dtype=np.int64)
    codes = np.where((codes >= 0) & (codes < len(names)), codes, len(names))
    return pd.Categorical.from_codes(codes, categories=pd.Index([*names, UNCLASSIFIED]))


def plan_columns(plan: Plan, changed: Changed | None = None) -> PlanColumns:
    """The plan columns (only those `changed` touches, if given); vectorised, cheap at 100k rows."""
    cls, pb = plan.classification, plan.playbook
    out: PlanColumns = {}
    for column, touched_by in PLAN_COLUMNS.items():
        if changed is not None and not (touched_by & changed):
            continue
        if column == "Tier":
            out[column] = _categorical(cls.tier, pb.tier_names)
        elif column == "Persona":
            out[column] = _categorical(cls.persona, PERSONAS)
        elif column == "Category":
            out[column] = _categorical(cls.category, CATEGORIES)
        elif column == "Seller Role":
            out[column] = _categorical(cls.role, pb.role_names)
        elif column == WALLET_COLUMN:
            out[column] = cls.wallet
        elif column == "Wallet Source":
            out[column] = cls.wallet_source
        elif column == "Owner Kept":
            kept = plan.owner_locks().astype(np.int8)
            out[column] = pd.Categorical.from_codes(kept, categories=pd.Index(["", "yes"]))
        else:
            bits = (
                np.asarray(cls.pinned_tier, dtype=np.int8)
                + 2 * np.asarray(cls.pinned_persona, dtype=np.int8)
                + 4 * np.asarray(cls.pinned_category, dtype=np.int8)
            )
            out[column] = pd.Categorical.from_codes(bits, categories=pd.Index(_PIN_NAMES))
    return out


def file_columns(plan: Plan, changed: Changed) -> PlanColumns:
    """The file's columns that `changed` touches, as the plan has them now (the owners after a reassign)."""
    out: PlanColumns = {}
    for column, touched_by in FILE_COLUMNS.items():
        if touched_by & changed and column in plan.accounts.columns:
            values = plan.accounts[column]
            kept = values.array if isinstance(values.dtype, pd.CategoricalDtype) else None
            out[column] = kept if isinstance(kept, pd.Categorical) else values.to_numpy(object)
    return out
