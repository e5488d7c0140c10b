"""What differs between two classifications of the same accounts: the rows and the names of the values
(per account or plan-wide) an edit changed."""

from __future__ import annotations

from typing import Any

import numpy as np

from tierdesk.domain.classify import Classification

#: The per-account values an edit can change, as Classification attributes.
ROW_FIELDS = (
    "tier",
    "persona",
    "category",
    "pinned_tier",
    "pinned_persona",
    "pinned_category",
    "over_investment",
    "under_investment",
    "projected_value",
    "x",
    "y",
    "role",
    "entitlements",
    "wallet",
)


def _differs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if a.dtype.kind == "f":
        return ~((a == b) | (np.isnan(a) & np.isnan(b)))
    return np.asarray(a != b)


def changes(
    old: Classification,
    new: Classification,
    compare: tuple[str, ...] = ROW_FIELDS,
    rows: np.ndarray | None = None,
) -> tuple[np.ndarray, set[str]]:
    """Rows whose per-account values (those named in `compare`) differ between two classifications of the
    same accounts, and the names of every value that differs (per account or plan-wide). With `rows`, only
    those rows can differ (the caller knows): only they are compared."""
    at = slice(None) if rows is None else rows
    mask = np.zeros(len(new) if rows is None else len(rows), bool)
    fields: set[str] = set()
    for name in compare:
        if name == "entitlements":
            ent_old = [_entitlements(t) for t in old.playbook.tiers]
            ent_new = [_entitlements(t) for t in new.playbook.tiers]
            changed = [i for i in range(len(ent_new)) if i >= len(ent_old) or ent_old[i] != ent_new[i]]
            d = np.isin(new.tier[at], changed)
        else:
            d = _differs(np.asarray(getattr(old, name))[at], np.asarray(getattr(new, name))[at])
        if d.any():
            fields.add(name)
            mask |= d
    for name in ("x_split", "y_split"):
        if not np.array_equal(getattr(old, name), getattr(new, name), equal_nan=True):
            fields.add(name)
    if not np.array_equal(old.tier_cutoffs, new.tier_cutoffs, equal_nan=True):
        fields.add("tier_cutoffs")
    if not np.array_equal(old.category_thresholds, new.category_thresholds, equal_nan=True):
        fields.add("category_thresholds")
    if old.playbook != new.playbook:
        fields.add("playbook")
    return (np.flatnonzero(mask) if rows is None else rows[mask]), fields


def _entitlements(t: Any) -> tuple[Any, ...]:
    return (
        t.role,
        t.touches_per_quarter,
        t.executive_sponsor,
        t.business_reviews_per_year,
        t.marketing,
        t.support,
        t.extra,
    )
