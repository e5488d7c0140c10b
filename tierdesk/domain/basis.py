"""What a classification stands on, in words: the plan's date (today, or an old file's own latest date) and
what the relationship categories were measured by when the file lacks purchase dates or breadth."""

from __future__ import annotations

import numpy as np

from tierdesk.domain.accounts import label
from tierdesk.domain.classification import Classification
from tierdesk.domain.plan_date import plan_date
from tierdesk.domain.wallet import PEERS
from tierdesk.domain.wallet_notes import ordinal

_BREADTH = {"areas": "product areas", "products": "products"}


def category_basis(cls: Classification) -> str:
    """What the relationship categories were measured by, when the file lacks a part of the rule
    ("" when it has purchase dates and the playbook's breadth column)."""
    rules = cls.playbook.categories
    parts = []
    if "last_purchase" not in cls.accounts.columns:
        parts.append(
            "the file has no purchase dates, so accounts with revenue count as buying customers and "
            "accounts without revenue stay Unclassified (no way to tell Greenfield from lapsed)"
        )
    if cls.breadth_basis is None:
        parts.append(
            "it has no product areas or products to measure breadth by, so buying customers are Core or "
            "Beachhead by revenue alone (Beachhead below the beachhead revenue, Core at or above it)"
        )
    elif cls.breadth_basis != rules.breadth:
        parts.append(
            f"it has no {_BREADTH[rules.breadth]} column, so breadth is counted in "
            f"{label(cls.breadth_basis).lower()}"
        )
    if not parts:
        return ""
    counts = np.bincount(cls.computed_category[cls.computed_category >= 0], minlength=len(cls.category_names))
    made = " · ".join(f"{n} {int(c):,}" for n, c in zip(cls.category_names, counts, strict=True))
    return f"Relationship categories from what the file has ({made}): " + "; ".join(parts) + "."


def basis_notes(cls: Classification) -> list[str]:
    """The sentences the planner should read about what this classification stands on: the plan's date
    when it is an old file's own latest date, and what the categories were measured by (may be empty)."""
    return [n for n in (dated_by_file(cls), category_basis(cls)) if n]


def dated_by_file(cls: Classification) -> str:
    """The sentence saying the plan is dated by an old file's latest purchase ("" when it is not)."""
    dated = cls.plan_date or plan_date(cls.accounts)
    return dated.note(cls.playbook.categories.greenfield_years) if dated.date == cls.as_of else ""


def curves_note(cls: Classification) -> str:
    """Why the 2x2's points lie on curves, when they do ("" otherwise): most wallets are a quantile of the
    peers' revenue (the file gives no company size to scale them by), so within a peer group share of wallet
    and growth potential are both set by the account's revenue alone."""
    wallets = cls.wallets
    if wallets is None or not len(wallets):
        return ""
    unscaled = (wallets.source == PEERS) & ~wallets.scaled
    if unscaled.mean() < 0.5:
        return ""
    q = ordinal(wallets.settings.quantile)
    return (
        f"Curves: no company size in the file, so each wallet is the {q} of its peers' revenue (one curve "
        "per peer group)."
    )


CURVES_HINT = (
    "Share of wallet and growth potential then follow revenue alone within a peer group: more revenue, more "
    "share and less potential. Add employees or company revenue to the file, or type the wallets you know "
    "(the Wallet column), for a 2x2 that tells accounts of the same revenue apart."
)
