"""Sellers' books in the coverage model: the workload each account takes (from its tier, in its covering
role's unit), each seller's load (workload / capacity: 1.0 is a full book), the spread of the loads, and how
many sellers of each role the team lacks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tierdesk.domain.classification import Classification, OverridesLike
from tierdesk.domain.coverage import account_load
from tierdesk.domain.owners import owner_locks, owner_overrides, reassigned
from tierdesk.domain.playbook import Playbook
from tierdesk.domain.sellers import Seller

if TYPE_CHECKING:
    from tierdesk.domain.plan import Plan

__all__ = [
    "BOOK_COLUMNS",
    "NO_OWNER",
    "Books",
    "Spread",
    "book_table",
    "books",
    "books_of",
    "sellers_short",
    "short_text",
    "spread_of",
]

NO_OWNER = "(no owner)"
#: The columns of book_table(), one row per seller (then owners outside the team, then accounts without one).
BOOK_COLUMNS = (
    "seller",
    "role",
    "role_guessed",
    "in_team",
    "capacity",
    "unit",
    "region",
    "territory",
    "max_accounts",
    "takes_new",
    "manager",
    "accounts",
    "locked",
    "workload",
    "sellers",
    "load",
    "revenue",
    "potential",
)


@dataclass(eq=False)
class Books:
    """The accounts and the sellers as arrays. An account weighs its covering role's workload over that
    role's capacity ("sellers' worth", as coverage counts it); a seller's size is their capacity over their
    role's (1.0 at the role's capacity), so load = weight held / size."""

    sellers: tuple[Seller, ...]
    playbook: Playbook
    seller_role: np.ndarray  # per seller: index into playbook.roles (-1: a role the playbook lacks)
    size: np.ndarray  # per seller, in sellers (capacity / the role's capacity)
    capacity: np.ndarray  # per seller, in the role's unit
    owner: np.ndarray  # per account: seller index; -1 no owner; -2 an owner the sellers table lacks
    outside: list[str]  # names of the owners the sellers table lacks
    outside_code: np.ndarray  # per account: index into `outside` (-1: none)
    role: np.ndarray  # per account: covering role (-1: not covered, no workload)
    weight: np.ndarray  # per account, in sellers
    workload: np.ndarray  # per account, in the covering role's unit
    revenue: np.ndarray  # NaN and infinities as 0
    potential: np.ndarray  # growth potential (wallet - revenue, at least 0)
    locked: np.ndarray  # owner kept when balancing (playbook rule or the planner's lock)
    reassigned: np.ndarray  # owner set in this plan

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.sellers]

    def loads(self, owner: np.ndarray | None = None) -> np.ndarray:
        """Each seller's load with these owners per account (default: the current ones)."""
        owner = self.owner if owner is None else owner
        held = owner >= 0
        weight = np.bincount(owner[held], self.weight[held], minlength=len(self.sellers))
        return weight / self.size

    def counts(self, owner: np.ndarray | None = None) -> np.ndarray:
        owner = self.owner if owner is None else owner
        return np.bincount(owner[owner >= 0], minlength=len(self.sellers))


def _clean(values: np.ndarray) -> np.ndarray:
    return np.nan_to_num(np.asarray(values, float), nan=0.0, posinf=0.0, neginf=0.0)


def books(plan: Plan) -> Books:
    """The plan's books: its sellers, the owner, weight and lock of every account (vectorised)."""
    return books_of(plan.accounts, plan.classification, plan.sellers, plan.overrides)


def books_of(
    accounts: pd.DataFrame, cls: Classification, sellers: Sequence[Seller], overrides: OverridesLike
) -> Books:
    """The books of these accounts, classified, with these sellers (owners they lack are outside the team)
    and overrides (the "owner" and "keep owner" ones count)."""
    pb = cls.playbook
    load = account_load(cls)
    roles = {r.name: i for i, r in enumerate(pb.roles)}
    seller_role = np.array([roles.get(s.role, -1) for s in sellers], np.intp)
    capacity = np.array([s.capacity_in(pb) for s in sellers], float)
    role_capacity = np.array([pb.roles[r].capacity if r >= 0 else np.nan for r in seller_role.tolist()])
    with np.errstate(invalid="ignore", divide="ignore"):
        size = np.where(np.isfinite(capacity / role_capacity), capacity / role_capacity, 1.0)
    owner, outside, outside_code = _owners(accounts, [s.name for s in sellers])
    ids = (
        accounts["account_id"].astype("string")
        if "account_id" in accounts.columns
        else pd.Series(pd.NA, index=accounts.index, dtype="string")
    )
    items = owner_overrides(overrides)
    revenue = _clean(cls.revenue)
    return Books(
        sellers=tuple(sellers),
        playbook=pb,
        seller_role=seller_role,
        size=size,
        capacity=capacity,
        owner=owner,
        outside=outside,
        outside_code=outside_code,
        role=load["role"].to_numpy(np.intp),
        weight=_clean(load["sellers"].to_numpy(float)),
        workload=_clean(load["workload"].to_numpy(float)),
        revenue=revenue,
        potential=np.maximum(_clean(cls.wallet) - revenue, 0.0),
        locked=owner_locks(cls, ids, items),
        reassigned=reassigned(ids, items),
    )


def _owners(accounts: pd.DataFrame, names: list[str]) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Per account the seller index (-1 no owner, -2 an owner outside the table), those owners' names and
    each account's index into them."""
    n = len(accounts)
    if "owner" not in accounts.columns:
        return np.full(n, -1, np.intp), [], np.full(n, -1, np.intp)
    text = accounts["owner"].astype("string").str.split().str.join(" ")
    codes, uniques = pd.factorize(text.where(text.str.len() > 0), use_na_sentinel=True)
    position = {name: i for i, name in enumerate(names)}
    known = np.array([position.get(str(u), -2) for u in uniques] + [-1], np.intp)
    owner = known[codes]  # code -1 (no owner) picks the last entry
    strangers = [str(u) for u in uniques if str(u) not in position]
    where = {name: i for i, name in enumerate(strangers)}
    outside = np.array([where.get(str(u), -1) for u in uniques] + [-1], np.intp)[codes]
    return owner.astype(np.intp), strangers, outside


# ---------------------------------------------------------------- the spread and the gaps


@dataclass(frozen=True)
class Spread:
    """How far the loads lie from capacity: the largest overload and underload as fractions of capacity
    (0 when none), and the highest load minus the lowest."""

    max_over: float
    max_under: float
    spread: float
    highest: float
    lowest: float

    def to_json(self) -> dict[str, float]:
        return {
            "max_over": round(self.max_over, 4),
            "max_under": round(self.max_under, 4),
            "spread": round(self.spread, 4),
        }

    def within(self, tolerance: float) -> bool:
        return self.max_over <= tolerance + 1e-6 and self.max_under <= tolerance + 1e-6


def spread_of(loads: np.ndarray) -> Spread:
    loads = np.asarray(loads, float)
    loads = loads[np.isfinite(loads)]
    if not len(loads):
        return Spread(0.0, 0.0, 0.0, float("nan"), float("nan"))
    high, low = float(loads.max()), float(loads.min())
    return Spread(max(0.0, high - 1.0), max(0.0, 1.0 - low), high - low, high, low)


def sellers_short(b: Books, tolerance: float) -> dict[str, int]:
    """Sellers missing per role (at the role's capacity) for the role's sellers to carry its accounts
    within the tolerance of capacity; roles that lack none are left out."""
    n_roles = len(b.playbook.roles)
    covered = b.role >= 0
    needed = np.bincount(b.role[covered], b.weight[covered], minlength=n_roles)
    known = b.seller_role >= 0
    have = np.bincount(b.seller_role[known], b.size[known], minlength=n_roles)
    short = np.ceil(np.maximum(needed / (1.0 + tolerance) - have - 1e-9, 0.0)).astype(int)
    return {b.playbook.roles[i].name: int(short[i]) for i in range(n_roles) if short[i] > 0}


def short_text(short: dict[str, int]) -> str:
    """ "2 Account managers and 1 Inside seller"."""
    parts = [f"{n} {role}" + ("s" if n != 1 and not role.endswith("s") else "") for role, n in short.items()]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1] if parts else ""


# ---------------------------------------------------------------- the book per seller


def book_table(b: Books, owner: np.ndarray | None = None) -> pd.DataFrame:
    """One row per seller (BOOK_COLUMNS), then one per owner the sellers table lacks (in_team False), then
    the accounts without an owner: accounts, locked, workload in the seller's unit, sellers' worth, load
    (workload / capacity), revenue and growth potential."""
    owner = b.owner if owner is None else owner
    m = len(b.sellers)
    held = owner >= 0
    per = {
        "accounts": np.bincount(owner[held], minlength=m),
        "locked": np.bincount(owner[held], b.locked[held], minlength=m),
        "sellers": np.bincount(owner[held], b.weight[held], minlength=m),
        "revenue": np.bincount(owner[held], b.revenue[held], minlength=m),
        "potential": np.bincount(owner[held], b.potential[held], minlength=m),
    }
    units = [b.playbook.roles[r].capacity_unit if r >= 0 else "" for r in b.seller_role.tolist()]
    rows: list[dict[str, Any]] = [
        {
            "seller": s.name,
            "role": s.role,
            "role_guessed": s.role_guessed,
            "in_team": True,
            "capacity": b.capacity[i],
            "unit": units[i],
            "region": s.region,
            "territory": s.territory,
            "max_accounts": s.max_accounts,
            "takes_new": s.takes_new,
            "manager": s.manager,
            **{k: v[i] for k, v in per.items()},
        }
        for i, s in enumerate(b.sellers)
    ]
    strangers = (owner == -2) if owner is b.owner else np.zeros(len(owner), bool)
    for j, name in enumerate(b.outside):
        rows.append({"seller": name, "in_team": False, **_sums(b, strangers & (b.outside_code == j))})
    if (owner == -1).any():
        rows.append({"seller": NO_OWNER, "in_team": False, **_sums(b, owner == -1)})
    table = pd.DataFrame(rows, columns=[c for c in BOOK_COLUMNS if c not in ("workload", "load")])
    table["load"] = table["sellers"] / np.append(b.size, np.full(len(table) - m, np.nan))
    table["workload"] = table["load"] * table["capacity"]
    for column in ("accounts", "locked"):
        table[column] = table[column].fillna(0).astype(np.int64)
    table["max_accounts"] = table["max_accounts"].astype("Int64")
    return table[list(BOOK_COLUMNS)]


def _sums(b: Books, mask: np.ndarray) -> dict[str, Any]:
    return {
        "accounts": int(mask.sum()),
        "locked": int((mask & b.locked).sum()),
        "sellers": float(b.weight[mask].sum()),
        "revenue": float(b.revenue[mask].sum()),
        "potential": float(b.potential[mask].sum()),
    }
