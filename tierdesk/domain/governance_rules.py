"""The playbook's governance rules ([governance]): caps on the accounts a tier may hold (a count and/or a
share of all accounts) and a maximum turnover of a tier's accounts between two planning periods; read,
written and renamed with the playbook. governance.py checks a plan against them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tierdesk.domain.playbook_table import Table

__all__ = [
    "CapRule",
    "Governance",
    "TurnoverRule",
    "governance_to_dict",
    "read_governance",
    "renamed",
    "share_text",
]


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
            parts.append(f"at most {share_text(self.max_share)} of accounts")
        return f"{self.tier}: {' and '.join(parts)}"


@dataclass(frozen=True)
class TurnoverRule:
    """At most `max_share` (0–1) of `tier`'s accounts change from one `period` ("quarter") to the next."""

    tier: str
    max_share: float
    period: str

    @property
    def text(self) -> str:
        return f"{self.tier}: at most {share_text(self.max_share)} of its accounts change per {self.period}"


@dataclass(frozen=True)
class Governance:
    """The playbook's governance rules; empty when the playbook has no [governance] table."""

    caps: tuple[CapRule, ...] = ()
    turnover: tuple[TurnoverRule, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.caps or self.turnover)


def share_text(share: float) -> str:
    """A share as a percentage: 0.05 → "5%", 0.125 → "12.5%"."""
    return f"{share * 100:.1f}".rstrip("0").rstrip(".") + "%"


# ---------------------------------------------------------------- reading and writing


def _tier(t: Table, tiers: tuple[str, ...]) -> str:
    name: str = t.get("tier", "text")
    if name not in tiers:
        t.fail("tier", f"no tier named {name!r} (tiers: {', '.join(tiers)})")
    return name


def _share(t: Table, name: str, required: bool = True) -> float | None:
    value = t.get(name, "number") if required else t.get(name, "number", None)
    if value is not None and not 0 <= value <= 1:
        t.fail(name, f"a share is a fraction from 0 to 1 (got {value!r}; for 5% write 0.05)")
    return None if value is None else float(value)


def read_governance(sub: Table, tiers: tuple[str, ...]) -> Governance:
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
