"""What differs between two classifications of the same accounts: the rows and the values (per account or
plan-wide, as Changed flags) an edit changed."""

from __future__ import annotations

from typing import Any

import numpy as np

from tierdesk.domain.changes import Changed
from tierdesk.domain.classification import Classification

#: The per-account values an edit can change, as Classification attributes, and the notice each one's change
#: gives.
ROW_FIELDS: tuple[tuple[str, Changed], ...] = (
    ("tier", Changed.TIER),
    ("persona", Changed.PERSONA),
    ("category", Changed.CATEGORY),
    ("pinned_tier", Changed.PINNED_TIER),
    ("pinned_persona", Changed.PINNED_PERSONA),
    ("pinned_category", Changed.PINNED_CATEGORY),
    ("over_investment", Changed.OVER_INVESTMENT),
    ("under_investment", Changed.UNDER_INVESTMENT),
    ("projected_value", Changed.PROJECTED_VALUE),
    ("x", Changed.X),
    ("y", Changed.Y),
    ("role", Changed.ROLE),
    ("entitlements", Changed.ENTITLEMENTS),
    ("wallet", Changed.WALLET),
)


def _differs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if a.dtype.kind == "f":
        return ~((a == b) | (np.isnan(a) & np.isnan(b)))
    return np.asarray(a != b)


def changes(
    old: Classification,
    new: Classification,
    compare: tuple[tuple[str, Changed], ...] = ROW_FIELDS,
    rows: np.ndarray | None = None,
) -> tuple[np.ndarray, Changed]:
    """Rows whose per-account values (those named in `compare`) differ between two classifications of the
    same accounts, and every value that differs (per account or plan-wide). With `rows`, only those rows
    can differ (the caller knows): only they are compared."""
    at = slice(None) if rows is None else rows
    mask = np.zeros(len(new) if rows is None else len(rows), bool)
    what = Changed.NOTHING
    for name, flag in compare:
        if name == "entitlements":
            ent_old = [_entitlements(t) for t in old.playbook.tiers]
            ent_new = [_entitlements(t) for t in new.playbook.tiers]
            changed = [i for i in range(len(ent_new)) if i >= len(ent_old) or ent_old[i] != ent_new[i]]
            d = np.isin(new.tier[at], changed)
        else:
            d = _differs(np.asarray(getattr(old, name))[at], np.asarray(getattr(new, name))[at])
        if d.any():
            what |= flag
            mask |= d
    for name, flag in (
        ("x_split", Changed.X_SPLIT),
        ("y_split", Changed.Y_SPLIT),
        ("tier_cutoffs", Changed.TIER_CUTOFFS),
        ("category_thresholds", Changed.CATEGORY_THRESHOLDS),
    ):
        if not np.array_equal(getattr(old, name), getattr(new, name), equal_nan=True):
            what |= flag
    if old.playbook != new.playbook:
        what |= Changed.PLAYBOOK
    return (np.flatnonzero(mask) if rows is None else rows[mask]), what


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
