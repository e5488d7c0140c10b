"""A plan checked against the playbook's governance rules (governance_rules.py: caps on the accounts a tier
may hold, a maximum turnover between two planning periods): `check_governance` lists what a plan breaks.
Violations are warnings: a plan that breaks a rule can still be saved and exported.

Turnover is measured against a `PreviousPeriod`: the previous plan's tier of each account (by account_id)
and a label; `previous_period(plan)` takes one from a plan, and a saved plan keeps its own."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from tierdesk.domain.classification import Classification
from tierdesk.domain.governance_rules import CapRule, Governance, TurnoverRule, share_text
from tierdesk.domain.plan import Plan

__all__ = [  # the rules are re-exported: callers name them with the checks
    "CapRule",
    "Governance",
    "PreviousPeriod",
    "TierTurnover",
    "TurnoverRule",
    "Violation",
    "check_governance",
    "governance_violations",
    "period_tiers",
    "previous_period",
    "tier_turnover",
]


@dataclass(frozen=True)
class Violation:
    """A broken rule. Caps: limit and actual are account counts; turnover: shares (0–1)."""

    kind: str  # "cap" or "turnover"
    rule: str  # the rule as text, e.g. "Strategic: at most 5% of accounts"
    tier: str
    limit: float
    actual: float
    message: str


# ---------------------------------------------------------------- the previous period


@dataclass(frozen=True, eq=False)
class PreviousPeriod:
    """The previous planning period as turnover needs it: the tier each account had then, by account_id
    (accounts unclassified then are left out), a label for people (e.g. the previous plan's file name) and
    the previous plan's date. Compare with ==; treat `tiers` as read-only.

    `tiers` (account_id → tier name; see also from_mapping) is kept as a Series of strings with a unique
    string index: missing ids and names are dropped, the first of a repeated id kept."""

    tiers: pd.Series
    label: str = ""
    as_of: dt.date | None = None
    _aligned: dict[str, Any] = field(default_factory=dict, init=False, repr=False)  # see aligned()

    def __post_init__(self) -> None:
        tiers: Any = self.tiers
        if not isinstance(tiers, pd.Series):
            tiers = pd.Series(list(tiers.values()), index=list(tiers.keys()), dtype=object)
        ids = pd.array(tiers.index.to_numpy(object), dtype="string")
        names = pd.array(tiers.to_numpy(object), dtype="string")
        keep = ~(np.asarray(pd.isna(ids)) | np.asarray(pd.isna(names)) | pd.Index(ids).duplicated())
        index = pd.Index(ids[keep], dtype="string", name="account_id")
        object.__setattr__(self, "tiers", pd.Series(names[keep], index=index, name="tier"))
        object.__setattr__(self, "label", str(self.label))
        when: Any = self.as_of
        if isinstance(when, dt.datetime):
            when = when.date()
        elif when is not None and not isinstance(when, dt.date):
            when = dt.date.fromisoformat(str(when)[:10])
        object.__setattr__(self, "as_of", when)

    def __len__(self) -> int:
        return len(self.tiers)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PreviousPeriod):
            return NotImplemented
        return (self.label, self.as_of) == (other.label, other.as_of) and self.tiers.equals(other.tiers)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PreviousPeriod(label={self.label!r}, as_of={self.as_of!r}, accounts={len(self):,})"

    @property
    def title(self) -> str:
        """How messages name it: "Q1 plan.xlsx (plan date 2025-03-31)"."""
        date = f"plan date {self.as_of.isoformat()}" if self.as_of else ""
        if self.label and date:
            return f"{self.label} ({date})"
        return self.label or (f"the plan of {self.as_of.isoformat()}" if self.as_of else "the previous plan")

    def tier_of(self, account_id: str) -> str | None:
        """The account's tier in the previous period (None: not in it, or unclassified then)."""
        value = self.tiers.get(account_id)
        return None if value is None or value is pd.NA else str(value)

    def counts(self) -> dict[str, int]:
        """Accounts per tier in the previous period (tiers with accounts only)."""
        return {str(k): int(v) for k, v in self.tiers.value_counts(sort=False).items()}

    def to_dict(self) -> dict[str, str]:
        return dict(zip(self.tiers.index.tolist(), self.tiers.tolist(), strict=True))

    def frame(self) -> pd.DataFrame:
        """The accounts and their tiers as a table (account_id, tier), to store it."""
        return pd.DataFrame(
            {"account_id": self.tiers.index.array, "tier": self.tiers.array}, index=pd.RangeIndex(len(self))
        )

    @classmethod
    def from_mapping(
        cls, tiers: Mapping[str, str], label: str = "", as_of: dt.date | None = None
    ) -> PreviousPeriod:
        """From a plain account_id → tier name mapping."""
        return cls(pd.Series(list(tiers.values()), index=list(tiers.keys()), dtype=object), label, as_of)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, label: str = "", as_of: dt.date | None = None) -> PreviousPeriod:
        """The period frame() stored."""
        return cls(pd.Series(frame["tier"].array, index=pd.Index(frame["account_id"].array)), label, as_of)

    def aligned(
        self, accounts: pd.DataFrame, names: tuple[str, ...]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The period lined up with an account table: the rows that count (the first of each account_id),
        each such row's tier then as an index into `names` (-1: none), and per tier the accounts then that
        the table no longer holds. Kept for the last table asked about: edits keep it, so it is cheap."""
        last = self._aligned.get("last")  # (accounts, names, value): one entry, replaced whole
        if last is not None and last[0] is accounts and last[1] == names:
            return last[2]  # type: ignore[no-any-return]
        then = pd.Series(
            np.asarray(pd.Categorical(self.tiers.to_numpy(object), categories=list(names)).codes, np.int64),
            index=self.tiers.index,
        )
        if "account_id" in accounts.columns:
            ids = accounts["account_id"].astype("string").reset_index(drop=True)
            keep = (ids.notna() & ~ids.duplicated()).to_numpy(bool)
        else:
            ids, keep = pd.Series([], dtype="string"), np.zeros(len(accounts), bool)
        kept = pd.Index(ids[keep].array, dtype="string") if keep.any() else pd.Index([], dtype="string")
        codes = then.reindex(kept, fill_value=-1).to_numpy(np.int64)
        gone = then[~then.index.isin(kept)].to_numpy(np.int64)
        value = (keep, codes, np.bincount(gone[gone >= 0], minlength=len(names)))
        self._aligned["last"] = (accounts, names, value)
        return value

    def restricted(self, account_ids: Iterable[str]) -> PreviousPeriod:
        """Only the given accounts (e.g. one seller's)."""
        keep = self.tiers.index.isin(pd.Index(list(account_ids), dtype="string").dropna())
        return PreviousPeriod(self.tiers[keep], self.label, self.as_of)


def period_tiers(cls: Classification, accounts: pd.DataFrame) -> pd.Series:
    """Each account_id's tier name (first row of a repeated id; unclassified accounts left out)."""
    if "account_id" not in accounts.columns or not len(accounts):
        return pd.Series([], index=pd.Index([], dtype="string"), dtype="string")
    names = np.array([*cls.tier_names, None], dtype=object)
    ids = accounts["account_id"].astype("string").reset_index(drop=True)
    keep = (ids.notna() & ~ids.duplicated()).to_numpy(bool) & (cls.tier >= 0)
    return pd.Series(
        pd.array(names[cls.tier][keep], dtype="string"), index=pd.Index(ids[keep].array, dtype="string")
    )


def previous_period(plan: Plan, label: str = "") -> PreviousPeriod:
    """A plan as the previous period of a later one: its accounts' tiers (overrides included), the label
    (e.g. the plan's file name) and the plan's date."""
    return PreviousPeriod(period_tiers(plan.classification, plan.accounts), label, plan.as_of.date())


@dataclass(frozen=True)
class TierTurnover:
    """How a tier's accounts changed since the previous period; `share` is (left + joined) / before (1.0 for
    a tier empty before that gained accounts); `limit` the playbook's max_share for the tier, if any."""

    tier: str
    before: int
    now: int
    left: int
    joined: int
    share: float
    limit: float | None
    period: str = ""

    @property
    def broken(self) -> bool:
        return self.limit is not None and self.left + self.joined > 0 and self.share > self.limit + 1e-9


# ---------------------------------------------------------------- checking


def _cap_violations(g: Governance, names: tuple[str, ...], counts: np.ndarray, total: int) -> list[Violation]:
    out = []
    for rule in g.caps:
        actual = int(counts[names.index(rule.tier)])
        by_share = None if rule.max_share is None else math.floor(rule.max_share * total + 1e-9)
        allowed = min(x for x in (rule.max_accounts, by_share) if x is not None)
        note = (
            f" ({share_text(rule.max_share)})" if rule.max_share is not None and by_share == allowed else ""
        )
        if actual > allowed:
            share = f" ({share_text(actual / total)})" if total else ""
            out.append(
                Violation(
                    "cap",
                    rule.text,
                    rule.tier,
                    float(allowed),
                    float(actual),
                    f"{rule.tier} holds {actual:,} accounts{share}: the playbook allows at most "
                    f"{allowed:,}{note}",
                )
            )
    return out


def tier_turnover(
    cls: Classification,
    accounts: pd.DataFrame,
    previous: tuple[Classification, pd.DataFrame] | PreviousPeriod,
) -> list[TierTurnover]:
    """Every tier of cls.playbook (top first) against the previous period, accounts matched by account_id.

    Turnover of a tier = (accounts of the previous period's tier no longer in it + accounts new in it) /
    the previous period's accounts in it (an account dropped from the data counts as left)."""
    names = cls.tier_names
    before = previous if isinstance(previous, PreviousPeriod) else PreviousPeriod(period_tiers(*previous))
    keep, p, gone = before.aligned(accounts, names)
    c = np.asarray(cls.tier, np.int64)[keep]  # -1: unclassified now
    moved = c != p
    n = len(names)
    held = np.bincount(p[p >= 0], minlength=n) + gone  # an account dropped from the data has left
    now = np.bincount(c[c >= 0], minlength=n)
    left = np.bincount(p[moved & (p >= 0)], minlength=n) + gone
    joined = np.bincount(c[moved & (c >= 0)], minlength=n)
    rules = {r.tier: r for r in cls.playbook.governance.turnover}
    out = []
    for i, name in enumerate(names):
        changed = int(left[i] + joined[i])
        share = float(changed / held[i]) if held[i] else float(changed > 0)
        rule = rules.get(name)
        limit, period = (rule.max_share, rule.period) if rule else (None, "")
        out.append(
            TierTurnover(name, int(held[i]), int(now[i]), int(left[i]), int(joined[i]), share, limit, period)
        )
    return out


def _turnover_violations(g: Governance, turnover: list[TierTurnover]) -> list[Violation]:
    by_tier = {t.tier: t for t in turnover}
    out = []
    for rule in g.turnover:
        t = by_tier[rule.tier]
        if t.left + t.joined and t.share > rule.max_share + 1e-9:
            out.append(
                Violation(
                    "turnover",
                    rule.text,
                    rule.tier,
                    rule.max_share,
                    t.share,
                    f"{rule.tier} turnover is {share_text(t.share)} since the previous {rule.period} "
                    f"({t.left:,} of {t.before:,} accounts left, {t.joined:,} joined): "
                    f"the playbook allows at most {share_text(rule.max_share)} per {rule.period}",
                )
            )
    return out


def governance_violations(
    cls: Classification,
    accounts: pd.DataFrame,
    previous: tuple[Classification, pd.DataFrame] | PreviousPeriod | None = None,
) -> list[Violation]:
    """The rules of cls.playbook that a classification breaks: caps, and turnover against `previous` (a
    PreviousPeriod, or the previous period's classification and accounts; compared by account_id) when it
    is given.

    Turnover of a tier = (accounts of the previous period's tier no longer in it + accounts new in it) /
    the previous period's accounts in it (an account dropped from the data counts as left); a tier empty
    in the previous period that gains accounts has turned over 100%."""
    g: Governance = cls.playbook.governance
    if not g:
        return []
    names = cls.tier_names
    counts = np.bincount(cls.tier[cls.tier >= 0], minlength=len(names))
    out = _cap_violations(g, names, counts, len(cls))
    if previous is not None and g.turnover:
        out += _turnover_violations(g, tier_turnover(cls, accounts, previous))
    return out


def check_governance(plan: Plan, previous: Plan | PreviousPeriod | None = None) -> list[Violation]:
    """The playbook's governance rules the plan breaks; turnover only when the previous period is given (a
    PreviousPeriod or the previous period's plan; accounts matched by account_id)."""
    if previous is None or isinstance(previous, PreviousPeriod):
        return governance_violations(plan.classification, plan.accounts, previous)
    return governance_violations(plan.classification, plan.accounts, previous_period(previous))
