"""Plan edits of wallets: the planner's own figure for some accounts, and the playbook's wallet settings
(how the wallets a file lacks are estimated). Both are applied by Plan and return their inverse."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from tierdesk.domain.coverage import Coverage
from tierdesk.domain.overrides import Override
from tierdesk.domain.texts import money
from tierdesk.domain.wallet import WalletSettings
from tierdesk.domain.wallet_notes import settings_text

__all__ = [
    "SetWallet",
    "SetWalletSettings",
    "coverage_change",
    "settings_text",
    "wallet_overrides",
    "wallet_text",
]


@dataclass(frozen=True)
class SetWallet:
    """The planner's own wallet for account rows (it wins over the file and any estimate); None clears it,
    back to the file's or the estimate. Kept by account_id, like a pin, and saved with the plan."""

    rows: tuple[int, ...]
    value: float | None
    reason: str = ""
    time: datetime | None = None  # None: the moment the edit is applied

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", tuple(int(r) for r in np.atleast_1d(np.asarray(self.rows))))
        if self.value is not None:
            value = float(self.value)
            if not math.isfinite(value) or value <= 0:
                raise ValueError(f"a wallet is an amount above 0, not {self.value!r}")
            object.__setattr__(self, "value", value)


@dataclass(frozen=True)
class SetWalletSettings:
    """Replace the playbook's [wallet] settings (method, quantile, peer fields, rates...): every estimate is
    made again, once."""

    settings: WalletSettings
    description: str = ""


def wallet_text(value: float | None, currency: str = "$") -> str:
    """A planner's wallet as the history and menus show it ("" for none)."""
    return "" if value is None or not math.isfinite(value) else str(money(value, currency)[0])


def coverage_change(before: Coverage, after: Coverage, currency: str = "$") -> str:
    """'coverage +1.5 sellers, +$210k' (or 'coverage unchanged')."""
    d_sellers, d_cost = after.sellers - before.sellers, after.cost - before.cost
    parts = []
    if abs(d_sellers) >= 0.05:
        parts.append(f"{d_sellers:+.1f} sellers")
    if abs(d_cost) >= 1:
        sign = "+" if d_cost > 0 else "-"
        parts.append(f"{sign}{money(abs(d_cost), currency)[0]}")
    return "coverage " + (", ".join(parts) if parts else "unchanged")


def wallet_overrides(
    edit: SetWallet, ids: list[str], who: str, currency: str = "$"
) -> tuple[list[tuple[str, str, Override | None]], str]:
    """The overrides (account_id, "wallet", Override or None) a SetWallet makes, and its Edit-menu text."""
    when = edit.time or datetime.now().replace(microsecond=0)
    value = None if edit.value is None else repr(edit.value)
    changes = [
        (a, "wallet", None if value is None else Override(a, "wallet", value, edit.reason, when))
        for a in dict.fromkeys(ids)
    ]
    if edit.value is None:
        return changes, f"Clear the planner's wallet of {who}"
    return changes, f"Set wallet of {who} to {wallet_text(edit.value, currency)}"
