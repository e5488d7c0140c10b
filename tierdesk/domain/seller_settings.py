"""The playbook's [sellers] settings: which tiers keep their owner when books are balanced, and how close to
capacity a balanced book must be; read and validated naming the key at fault, and written back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tierdesk.domain.playbook_table import Table

__all__ = ["DEFAULT_TOLERANCE", "SellerSettings", "keep_owner_tiers", "read_sellers", "sellers_to_dict"]

DEFAULT_TOLERANCE = 0.1


@dataclass(frozen=True)
class SellerSettings:
    """The playbook's [sellers] table (resources/playbooks/default.toml documents each key)."""

    keep_owner: tuple[str, ...] | None = None  # tiers whose accounts keep their owner; None: the top tier
    tolerance: float = DEFAULT_TOLERANCE  # a balanced seller's load lies within 1 ± tolerance


def read_sellers(t: Table, tier_names: tuple[str, ...]) -> SellerSettings:
    """The optional [sellers] table, validated naming the key at fault."""
    keep = t.get("keep_owner", "list", None)
    for i, name in enumerate(keep or ()):
        if name not in tier_names:
            t.fail("keep_owner", f"item {i}: no tier named {name!r} (tiers: {', '.join(tier_names)})")
    if keep is not None and len(set(keep)) < len(keep):
        t.fail("keep_owner", "a tier is named twice")
    tolerance = t.number("tolerance", DEFAULT_TOLERANCE)
    if not 0 < tolerance < 1:
        t.fail("tolerance", f"a fraction of capacity above 0 and below 1 (got {tolerance!r}; ±10% is 0.1)")
    t.done()
    return SellerSettings(None if keep is None else tuple(keep), float(tolerance))


def sellers_to_dict(s: SellerSettings) -> dict[str, Any]:
    """TOML-ready data for the [sellers] table; read_sellers of it gives the same settings."""
    return ({} if s.keep_owner is None else {"keep_owner": list(s.keep_owner)}) | {"tolerance": s.tolerance}


def keep_owner_tiers(s: SellerSettings, tier_names: tuple[str, ...]) -> tuple[str, ...]:
    """The tiers whose accounts keep their owner (the top tier when the playbook does not say)."""
    return tier_names[:1] if s.keep_owner is None else tuple(n for n in s.keep_owner if n in tier_names)


def renamed_tier(s: SellerSettings, old: str, new: str) -> SellerSettings:
    """The settings with tier `old` renamed `new`."""
    if s.keep_owner is None:
        return s
    return SellerSettings(tuple(new if n == old else n for n in s.keep_owner), s.tolerance)
