"""When a plan counts recency from: today, or an old extract's own latest purchase date (every account
would look lapsed if an old file were dated today)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

#: a file whose latest purchase is older than this is an old extract: the plan is dated by the file
STALE_AFTER = pd.Timedelta(days=365)


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
