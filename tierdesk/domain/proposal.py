"""A balance proposal: the moves (account, from, to, why, workload and cost effect), the loads and their
spread before and after, the sellers the team lacks; accepted whole or in part as one ReassignAccounts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tierdesk.domain.owners import ReassignAccounts
from tierdesk.domain.texts import money
from tierdesk.domain.workload import Books, Spread, short_text, spread_of

if TYPE_CHECKING:
    from tierdesk.domain.plan import Plan

__all__ = ["MOVE_COLUMNS", "Proposal", "Target", "describe", "proposal"]

#: One row per move: the account's row and id, its owner before and after, why, its workload in its covering
#: role's unit, its weight in sellers, the change in each seller's load (fractions of capacity), its revenue
#: and the change in what covering it costs (the seller's role cost against its covering role's).
MOVE_COLUMNS = (
    "row",
    "account_id",
    "account_name",
    "from",
    "to",
    "why",
    "workload",
    "unit",
    "sellers",
    "load_from",
    "load_to",
    "revenue",
    "cost",
)


@dataclass(frozen=True)
class Target:
    """The band of loads balancing aims for, and the team's average load. `evened`: the team cannot carry
    the work (or has capacity to spare), so the band is around the average, not around capacity."""

    low: float
    high: float
    average: float
    evened: bool


@dataclass(eq=False)
class Proposal:
    moves: pd.DataFrame  # MOVE_COLUMNS, in the order proposed
    sellers: list[str]
    loads_before: np.ndarray  # per seller
    loads_after: np.ndarray  # per seller, every move accepted
    before: Spread
    after: Spread
    target: Target
    tolerance: float
    sellers_short: dict[str, int]  # role -> sellers missing (roles missing none left out)
    lower_bound: (
        int  # no proposal bringing every seller as near the band moves fewer accounts (LP relaxation)
    )
    unplaced: int  # accounts without an owner that no seller can take
    messages: list[str] = field(default_factory=list)
    currency: str = "$"
    #: per seller the loads the constraints (locks, roles, regions, maximums) allow: the target, widened to
    #: what the LP relaxation reaches where it cannot reach the target
    bands: tuple[np.ndarray, np.ndarray] = field(default=(np.zeros(0), np.zeros(0)), repr=False)
    #: per move the account's weight, its seller before (-1: none) and after; per seller the size
    _moved: tuple[np.ndarray, np.ndarray, np.ndarray] = field(default=(np.zeros(0),) * 3, repr=False)
    _size: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)

    @property
    def moved_accounts(self) -> int:
        return len(self.moves)

    @property
    def moved_revenue(self) -> float:
        return float(self.moves["revenue"].sum())

    def _pick(self, moves: Sequence[int] | np.ndarray | None) -> np.ndarray:
        picked = np.arange(len(self.moves)) if moves is None else np.unique(np.asarray(moves, np.int64))
        if len(picked) and (picked.min() < 0 or picked.max() >= len(self.moves)):
            raise IndexError(f"the proposal has {len(self.moves)} moves")
        return picked

    def loads_if(self, moves: Sequence[int] | np.ndarray | None = None) -> np.ndarray:
        """Each seller's load when only these moves (positions in `moves`; None: all) are accepted."""
        picked = self._pick(moves)
        weight, source, dest = (w[picked] for w in self._moved)
        size = self._size
        load = self.loads_before * size
        held = source >= 0
        load -= np.bincount(source[held], weight[held], minlength=len(size))
        load += np.bincount(dest, weight, minlength=len(size))
        return load / size

    def spread_if(self, moves: Sequence[int] | np.ndarray | None = None) -> Spread:
        return spread_of(self.loads_if(moves))

    def edit(self, moves: Sequence[int] | np.ndarray | None = None, reason: str = "") -> ReassignAccounts:
        """These moves (positions; None: all) as one edit. Each account's reason is `reason` followed by why
        it moves."""
        picked = self._pick(moves)
        table = self.moves.iloc[picked]
        why = table["why"].astype(str).tolist()
        reasons = tuple(f"{reason}: {w}" if reason else w for w in why)
        count = len(picked)
        text = f"Balance the books: {count:,} account{'s' if count != 1 else ''} reassigned"
        return ReassignAccounts(
            tuple(table["row"].astype(int).tolist()), tuple(table["to"].tolist()), reasons, description=text
        )

    def to_json(self) -> dict[str, Any]:
        """The proposal as plain data: moves {account, from, to, reason, ...}, before and after spreads,
        moved_accounts, moved_revenue, sellers_short {role: count} and the rest."""
        moves = [
            {
                "account": _plain(a),
                "account_name": _plain(n),
                "from": _plain(f),
                "to": t,
                "reason": w,
                "workload": round(float(wl), 4),
                "unit": u,
                "revenue": float(r),
                "cost": round(float(c), 2),
            }
            for a, n, f, t, w, wl, u, r, c in self.moves[
                ["account_id", "account_name", "from", "to", "why", "workload", "unit", "revenue", "cost"]
            ].itertuples(index=False)
        ]
        return {
            "moves": moves,
            "before": self.before.to_json(),
            "after": self.after.to_json(),
            "moved_accounts": self.moved_accounts,
            "moved_revenue": self.moved_revenue,
            "sellers_short": dict(self.sellers_short),
            "tolerance": self.tolerance,
            "target": {
                "low": round(self.target.low, 4),
                "high": round(self.target.high, 4),
                "average_load": round(self.target.average, 4),
                "evened": self.target.evened,
            },
            "lower_bound": self.lower_bound,
            "unplaced": self.unplaced,
            "loads": {
                s: {"before": round(float(a), 4), "after": round(float(b), 4)}
                for s, a, b in zip(self.sellers, self.loads_before, self.loads_after, strict=True)
            },
            "messages": list(self.messages),
        }


def _plain(value: Any) -> Any:
    """None for a missing value (JSON has no NaN)."""
    return None if value is None or value is pd.NA or (isinstance(value, float) and value != value) else value


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def _why(b: Books, rows: np.ndarray, dest: np.ndarray, target: Target) -> list[str]:
    """Why each account moves, in words, from the loads before balancing."""
    loads, names = b.loads(), b.names
    band = f"target {_percent(target.low)}–{_percent(target.high)}"
    staffed = set(b.seller_role.tolist())
    out = []
    for r, d in zip(rows.tolist(), dest.tolist(), strict=True):
        owner = int(b.owner[r])
        if owner >= 0:
            start = f"{names[owner]} carries {_percent(loads[owner])} of capacity"
        elif owner == -2:
            start = f"{b.outside[b.outside_code[r]]} is not in the sellers table"
        else:
            start = "No owner"
        text = f"{start}; {names[d]} {_percent(loads[d])} ({band})"
        role = int(b.role[r])
        if role >= 0 and role not in staffed:
            text += f"; no {b.playbook.roles[role].name} in the team"
        out.append(text)
    return out


def _moves(plan: Plan, b: Books, rows: np.ndarray, dest: np.ndarray, target: Target) -> pd.DataFrame:
    pb = b.playbook
    role_cost = np.array([r.cost for r in pb.roles] + [0.0])
    units = np.array([r.capacity_unit for r in pb.roles] + [""], dtype=object)
    source = b.owner[rows]
    holder_role = np.where(source >= 0, b.seller_role[np.maximum(source, 0)], b.role[rows])
    weight = b.weight[rows]
    accounts = plan.accounts

    def text(column: str) -> np.ndarray:
        if column not in accounts.columns:
            return np.full(len(rows), None, dtype=object)
        values = accounts[column].iloc[rows].astype("string").str.split().str.join(" ")
        values = values.where(values.str.len() > 0)
        return np.array([None if v is pd.NA else v for v in values.tolist()], dtype=object)

    names = np.array(b.names, dtype=object)
    return pd.DataFrame(
        {
            "row": rows.astype(np.int64),
            "account_id": text("account_id"),
            "account_name": text("account_name"),
            "from": text("owner"),
            "to": names[dest] if len(dest) else np.zeros(0, object),
            "why": np.array(_why(b, rows, dest, target), dtype=object),
            "workload": b.workload[rows],
            "unit": units[b.role[rows]],
            "sellers": weight,
            "load_from": np.where(source >= 0, -weight / b.size[np.maximum(source, 0)], np.nan),
            "load_to": weight / b.size[dest] if len(dest) else np.zeros(0),
            "revenue": b.revenue[rows],
            "cost": weight * (role_cost[b.seller_role[dest]] - role_cost[holder_role])
            if len(dest)
            else np.zeros(0),
        },
        columns=list(MOVE_COLUMNS),
    )


def _messages(
    b: Books,
    target: Target,
    short: dict[str, int],
    after: np.ndarray,
    unplaced: int,
    bands: tuple[np.ndarray, np.ndarray],
) -> list[str]:
    if not b.sellers:
        return ["The plan has no sellers: add sellers (or read a team) to balance the books."]
    out = []
    band = f"{_percent(target.low)}–{_percent(target.high)}"
    if target.evened and target.average > 1:
        work = float(b.weight[b.role >= 0].sum())
        out.append(
            f"The team cannot carry the work: {work:.1f} sellers' worth of work for {b.size.sum():.1f} "
            f"sellers (average load {_percent(target.average)}). Books evened instead: every seller within "
            f"{band} of capacity, the average load ± the tolerance."
        )
    elif target.evened:
        out.append(
            f"The team has more capacity than the work needs (average load {_percent(target.average)}): "
            f"books evened at the average, {band} of capacity."
        )
    if short:
        out.append(f"Sellers missing: {short_text(short)}.")
    outside = (after < target.low - 1e-6) | (after > target.high + 1e-6)
    kept = outside & ((bands[0] < target.low - 1e-6) | (bands[1] > target.high + 1e-6))
    if kept.any():
        at = np.flatnonzero(kept)
        named = ", ".join(f"{b.names[i]} {_percent(after[i])}" for i in at[:5].tolist())
        more = f" and {len(at) - 5} more" if len(at) > 5 else ""
        out.append(
            f"{len(at)} seller{'s stay' if len(at) > 1 else ' stays'} outside {band} ({named}{more}): locks, "
            "roles, regions, territories or maximums leave no better split."
        )
    if (outside & ~kept).any():
        count = int((outside & ~kept).sum())
        out.append(
            f"{count} seller{'s end' if count > 1 else ' ends'} just outside {band}, within one account of "
            "it: whole accounts do not split finer."
        )
    if unplaced:
        out.append(f"{unplaced:,} accounts without an owner have no seller who can take them.")
    return out


def proposal(
    plan: Plan,
    b: Books,
    target: Target,
    short: dict[str, int],
    moved: tuple[np.ndarray, np.ndarray],
    *,
    tolerance: float,
    lower_bound: int = 0,
    bands: tuple[np.ndarray, np.ndarray] | None = None,
    owed: np.ndarray | None = None,
    notes: Sequence[str] = (),
) -> Proposal:
    """The proposal of moving the account rows moved[0] to the sellers moved[1]; `owed` marks the accounts
    that should get an owner (default: those without one), `notes` join the messages."""
    rows, dest = (np.asarray(m, np.int64) for m in moved)
    moves = _moves(plan, b, rows, dest, target)
    after_owner = b.owner.copy()
    after_owner[rows] = dest
    before, after = b.loads(), b.loads(after_owner)
    owed = b.owner < 0 if owed is None else owed
    unplaced = int((owed & (after_owner < 0)).sum())
    m = len(b.sellers)
    low, high = bands if bands is not None else (np.full(m, target.low), np.full(m, target.high))
    return Proposal(
        moves,
        b.names,
        before,
        after,
        spread_of(before),
        spread_of(after),
        target,
        tolerance,
        short,
        lower_bound,
        unplaced,
        [*_messages(b, target, short, after, unplaced, (low, high)), *notes],
        plan.playbook.currency,
        (low, high),
        (b.weight[rows], b.owner[rows], dest),
        b.size,
    )


def describe(p: Proposal) -> list[str]:
    """The proposal in a few lines for the command line."""
    lines = [
        f"{p.moved_accounts:,} accounts move ({money(p.moved_revenue, p.currency)[0]} revenue); no proposal "
        f"bringing every seller as near the target moves fewer than {p.lower_bound:,}",
        f"load spread {_percent(p.before.spread)} → {_percent(p.after.spread)}; "
        f"most over capacity {_percent(p.before.max_over)} → {_percent(p.after.max_over)}; "
        f"most under {_percent(p.before.max_under)} → {_percent(p.after.max_under)}",
    ]
    return lines + p.messages
