"""Per-account plan columns shown in the accounts table: tier, persona, category, role, pins, wallet."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from tierdesk.domain.plan import Plan
from tierdesk.domain.playbook import CATEGORIES, PERSONAS, UNCLASSIFIED

WALLET_COLUMN = "Wallet"  # the wallet used (the file's, an estimate or the planner's): typed to override
# table column -> the classification fields (Applied.fields) that change it
PLAN_COLUMNS: dict[str, frozenset[str]] = {
    "Tier": frozenset({"tier"}),
    "Persona": frozenset({"persona"}),
    "Category": frozenset({"category"}),
    "Seller Role": frozenset({"role", "tier", "persona"}),
    "Pinned": frozenset({"pinned_tier", "pinned_persona", "pinned_category"}),
    WALLET_COLUMN: frozenset({"wallet"}),
    "Wallet Source": frozenset({"wallet"}),
}
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


def _categorical(codes: np.ndarray, names: Iterable[str]) -> pd.Categorical:
    names = list(names)
    codes = np.asarray(codes)
    codes = np.where((codes >= 0) & (codes < len(names)), codes, len(names))
    return pd.Categorical.from_codes(codes, [*names, UNCLASSIFIED])


def plan_columns(plan: Plan, changed: Iterable[str] | None = None) -> dict[str, pd.Categorical | np.ndarray]:
    """The plan columns (only those touched by `changed` fields, if given); vectorised, cheap at 100k rows."""
    cls, pb = plan.classification, plan.playbook
    wanted = set(changed) if changed is not None else None
    out: dict[str, pd.Categorical | np.ndarray] = {}
    for column, fields in PLAN_COLUMNS.items():
        if wanted is not None and not (fields & wanted):
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
        else:
            bits = (
                np.asarray(cls.pinned_tier, dtype=np.int8)
                + 2 * np.asarray(cls.pinned_persona, dtype=np.int8)
                + 4 * np.asarray(cls.pinned_category, dtype=np.int8)
            )
            out[column] = pd.Categorical.from_codes(bits, _PIN_NAMES)
    return out
