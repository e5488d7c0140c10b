"""Governance rules of the playbook: caps on the accounts a tier may hold (a count and/or a share of all
accounts) and a maximum turnover of a tier's accounts between two planning periods.

The playbook reads the optional [governance] table through `read_governance`; `check_governance` lists what
a plan breaks. Violations are warnings: a plan that breaks a rule can still be saved and exported."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn, Protocol

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from tierdesk.domain.classify import Classification
    from tierdesk.domain.plan import Plan


@dataclass(frozen=True)
class CapRule:
    """At most `max_accounts` accounts and/or at most `max_share` (0–1) of all accounts in `tier`."""

    tier: str
    max_accounts: int | None = None
    max_share: float | None = None

    @property
    def text(self) -> str:
        parts = []
        if self.max_accounts is not None:
            parts.append(f"at most {self.max_accounts:,} accounts")
        if self.max_share is not None:
            parts.append(f"at most {_pct(self.max_share)} of accounts")
        return f"{self.tier}: {' and '.join(parts)}"


@dataclass(frozen=True)
class TurnoverRule:
    """At most `max_share` (0–1) of `tier`'s accounts change from one `period` ("quarter") to the next."""

    tier: str
    max_share: float
    period: str

    @property
    def text(self) -> str:
        return f"{self.tier}: at most {_pct(self.max_share)} of its accounts change per {self.period}"


@dataclass(frozen=True)
class Governance:
    """The playbook's governance rules; empty when the playbook has no [governance] table."""

    caps: tuple[CapRule, ...] = ()
    turnover: tuple[TurnoverRule, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.caps or self.turnover)


@dataclass(frozen=True)
class Violation:
    """A broken rule. Caps: limit and actual are account counts; turnover: shares (0–1)."""

    kind: str  # "cap" or "turnover"
    rule: str  # the rule as text, e.g. "Strategic: at most 5% of accounts"
    tier: str
    limit: float
    actual: float
    message: str


def _pct(share: float) -> str:
    return f"{share * 100:.1f}".rstrip("0").rstrip(".") + "%"


# ---------------------------------------------------------------- reading and writing


class GovernanceTable(Protocol):
    """The playbook loader's view of one TOML table (see playbook._Table)."""

    data: Mapping[str, Any]

    def key(self, name: str) -> str: ...
    def get(self, name: str, kind: str, default: Any = ..., choices: tuple[str, ...] = ()) -> Any: ...
    def tables(self, name: str, default: Any = ...) -> list[Any]: ...
    def fail(self, name: str, problem: str) -> NoReturn: ...
    def done(self) -> None: ...


def _tier(t: GovernanceTable, tiers: tuple[str, ...]) -> str:
    name: str = t.get("tier", "text")
    if name not in tiers:
        t.fail("tier", f"no tier named {name!r} (tiers: {', '.join(tiers)})")
    return name


def _share(t: GovernanceTable, name: str, required: bool = True) -> float | None:
    value = t.get(name, "number") if required else t.get(name, "number", None)
    if value is not None and not 0 <= value <= 1:
        t.fail(name, f"a share is a fraction from 0 to 1 (got {value!r}; for 5% write 0.05)")
    return None if value is None else float(value)


def read_governance(sub: GovernanceTable, tiers: tuple[str, ...]) -> Governance:
    """The optional [governance] table (empty when absent: no rules), validated naming the key at fault."""
    caps = []
    for t in sub.tables("caps", None):
        tier = _tier(t, tiers)
        count = t.get("max_accounts", "integer", None)
        if count is not None and count < 0:
            t.fail("max_accounts", f"must be 0 or more, got {count}")
        share = _share(t, "max_share", required=False)
        t.done()  # a misspelt limit is reported as an unknown key
        if count is None and share is None:
            t.fail("max_accounts", "give max_accounts (a number of accounts), max_share (0–1) or both")
        caps.append(CapRule(tier, count, share))
    turnover = []
    for t in sub.tables("turnover", None):
        tier = _tier(t, tiers)
        share = _share(t, "max_share")
        period = str(t.get("period", "text")).strip()
        if not period:
            t.fail("period", 'must name the period, e.g. "quarter"')
        t.done()
        assert share is not None
        turnover.append(TurnoverRule(tier, share, period))
    sub.done()
    return Governance(tuple(caps), tuple(turnover))


def governance_to_dict(g: Governance) -> dict[str, Any]:
    """TOML-ready data for the [governance] table (empty lists left out)."""
    out: dict[str, Any] = {}
    if g.caps:
        out["caps"] = [
            {"tier": c.tier}
            | ({} if c.max_accounts is None else {"max_accounts": c.max_accounts})
            | ({} if c.max_share is None else {"max_share": c.max_share})
            for c in g.caps
        ]
    if g.turnover:
        out["turnover"] = [{"tier": r.tier, "max_share": r.max_share, "period": r.period} for r in g.turnover]
    return out


def renamed(g: Governance, old: str, new: str) -> Governance:
    """The rules with tier `old` renamed `new`."""
    return Governance(
        tuple(CapRule(new if c.tier == old else c.tier, c.max_accounts, c.max_share) for c in g.caps),
        tuple(TurnoverRule(new if r.tier == old else r.tier, r.max_share, r.period) for r in g.turnover),
    )


# ---------------------------------------------------------------- checking


def _cap_violations(g: Governance, names: tuple[str, ...], counts: np.ndarray, total: int) -> list[Violation]:
    out = []
    for rule in g.caps:
        actual = int(counts[names.index(rule.tier)])
        by_share = None if rule.max_share is None else math.floor(rule.max_share * total + 1e-9)
        allowed = min(x for x in (rule.max_accounts, by_share) if x is not None)
        note = f" ({_pct(rule.max_share)})" if rule.max_share is not None and by_share == allowed else ""
        if actual > allowed:
            share = f" ({_pct(actual / total)})" if total else ""
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


def _keyed_tiers(cls: Classification, accounts: pd.DataFrame, names: tuple[str, ...]) -> pd.Series:
    """Each account_id's tier (first row of a repeated id) as an index into `names` (-1: none of them)."""
    if "account_id" not in accounts.columns or not len(accounts):
        return pd.Series(np.zeros(0, np.int64), index=pd.Index([], dtype="string"))
    lut = np.array([names.index(n) if n in names else -1 for n in cls.tier_names] + [-1], np.int64)
    codes = lut[cls.tier]  # -1 (unclassified) picks the trailing -1
    ids = accounts["account_id"].astype("string").reset_index(drop=True)
    keep = (ids.notna() & ~ids.duplicated()).to_numpy(bool)
    return pd.Series(codes[keep], index=pd.Index(ids[keep], dtype="string"))


def _turnover_violations(
    g: Governance,
    names: tuple[str, ...],
    now: tuple[Classification, pd.DataFrame],
    before: tuple[Classification, pd.DataFrame],
) -> list[Violation]:
    cur, prev = _keyed_tiers(*now, names), _keyed_tiers(*before, names)
    keys = cur.index.union(prev.index)
    c = cur.reindex(keys, fill_value=-1).to_numpy(np.int64)
    p = prev.reindex(keys, fill_value=-1).to_numpy(np.int64)
    moved = c != p
    n = len(names)
    held = np.bincount(p[p >= 0], minlength=n)
    left = np.bincount(p[moved & (p >= 0)], minlength=n)
    joined = np.bincount(c[moved & (c >= 0)], minlength=n)
    out = []
    for rule in g.turnover:
        i = names.index(rule.tier)
        changed = int(left[i] + joined[i])
        if not changed:
            continue
        share = changed / held[i] if held[i] else 1.0
        if share > rule.max_share + 1e-9:
            out.append(
                Violation(
                    "turnover",
                    rule.text,
                    rule.tier,
                    rule.max_share,
                    share,
                    f"{rule.tier} turnover is {_pct(share)} since the previous {rule.period} "
                    f"({int(left[i]):,} of {int(held[i]):,} accounts left, {int(joined[i]):,} joined): "
                    f"the playbook allows at most {_pct(rule.max_share)} per {rule.period}",
                )
            )
    return out


def governance_violations(
    cls: Classification,
    accounts: pd.DataFrame,
    previous: tuple[Classification, pd.DataFrame] | None = None,
) -> list[Violation]:
    """The rules of cls.playbook that a classification breaks: caps, and turnover against `previous` (the
    previous period's classification and accounts, compared by account_id) when it is given.

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
        out += _turnover_violations(g, names, (cls, accounts), previous)
    return out


def check_governance(plan: Plan, previous: Plan | None = None) -> list[Violation]:
    """The playbook's governance rules the plan breaks; turnover only when the previous period's plan is
    given (accounts matched by account_id)."""
    before = None if previous is None else (previous.classification, previous.accounts)
    return governance_violations(plan.classification, plan.accounts, before)
