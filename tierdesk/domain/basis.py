"""What a classification stands on, in words: the plan's date (today, or an old file's own latest date) and
what the relationship categories were measured by when the file lacks purchase dates or breadth."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from tierdesk.domain.accounts import label
from tierdesk.domain.wallet import PEERS
from tierdesk.domain.wallet_notes import ordinal

if TYPE_CHECKING:
    from tierdesk.domain.classify import Classification

#: a file whose latest purchase is older than this is an old extract: the plan is dated by the file
STALE_AFTER = pd.Timedelta(days=365)
_BREADTH = {"areas": "product areas", "products": "products"}


@dataclass(frozen=True)
class PlanDate:
    """The date recency counts back from, and whether it is the file's own latest date."""

    date: pd.Timestamp
    latest: pd.Timestamp | None = None  # the file's latest purchase date (None: it gives none)
    today: pd.Timestamp | None = None  # set when `date` is the file's latest date instead of today

    @property
    def from_file(self) -> bool:
        return self.today is not None

    def note(self, greenfield_years: float | None = None) -> str:
        """One sentence for the import report ("" when the plan is dated today)."""
        if self.today is None:
            return ""
        years = ""
        if greenfield_years is not None:
            years = f" (Greenfield: no purchase in {greenfield_years:g} years)"
        return (
            f"Plan dated {self.date.date().isoformat()}, the latest purchase in the file: the file ends more "
            f"than a year before today ({self.today.date().isoformat()}), so recency{years} counts back from "
            "the file's own latest date rather than from today."
        )


def latest_purchase(accounts: pd.DataFrame) -> pd.Timestamp | None:
    """The latest last-purchase date in the account table (None when it has none)."""
    if "last_purchase" not in accounts.columns:
        return None
    dates = pd.to_datetime(accounts["last_purchase"], errors="coerce")
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)
    latest = dates.max()
    return None if pd.isna(latest) else pd.Timestamp(latest).normalize()


def plan_date(accounts: pd.DataFrame, today: pd.Timestamp | None = None) -> PlanDate:
    """Today, unless the file's latest purchase is more than a year before today (an old extract: every
    account would look lapsed); then that latest date."""
    now = pd.Timestamp(today if today is not None else pd.Timestamp.today()).normalize()
    latest = latest_purchase(accounts)
    if latest is not None and latest < now - STALE_AFTER:
        return PlanDate(latest, latest, now)
    return PlanDate(now, latest)


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
