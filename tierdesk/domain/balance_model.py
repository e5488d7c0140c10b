"""The balancing problem as a mixed-integer program, solved with SciPy's HiGHS (`scipy.optimize.milp`).

Accounts of one class (same covering role and tier, so the same workload; same region and territory) are
interchangeable for the loads, so the program counts accounts per (seller, class) instead of deciding each
account: `out` leaves a seller, `in` arrives at one, and flows balance per class. Which accounts move is
decided afterwards (the lowest revenue first). Loads that cannot reach their band pay a penalty per unit
of load outside it (and for the largest such gap, so the remainder is shared out), and accounts without an
owner that no seller can take pay a larger one. A 100,000-account, 200-seller territory gives a program of
a few thousand integers."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array, csr_array

__all__ = ["Outcome", "Problem", "Solution", "best_moves", "solve"]


@dataclass(eq=False)
class Problem:
    """Sellers s, classes k, sources (seller, class, movable count) and sinks (seller, class)."""

    size: np.ndarray  # [S] capacity in sellers
    base: np.ndarray  # [S] weight held now
    lo: np.ndarray  # [S] lowest load wanted
    hi: np.ndarray  # [S] highest load wanted
    count: np.ndarray  # [S] accounts held now
    cap: np.ndarray  # [S] most accounts allowed (inf: no limit)
    weight: np.ndarray  # [K] sellers' worth of one account of the class
    forced: np.ndarray  # [K] accounts without a (team) owner: they must move
    src_seller: np.ndarray  # [P]
    src_class: np.ndarray  # [P]
    src_count: np.ndarray  # [P] movable accounts
    src_cost: np.ndarray  # [P] cost of moving one (1 + a small share for its revenue)
    snk_seller: np.ndarray  # [Q]
    snk_class: np.ndarray  # [Q]

    def loads(self, out: np.ndarray, into: np.ndarray) -> np.ndarray:
        """Each seller's load after these flows."""
        s = len(self.size)
        gone = np.bincount(self.src_seller, self.weight[self.src_class] * out, minlength=s)
        come = np.bincount(self.snk_seller, self.weight[self.snk_class] * into, minlength=s)
        return (self.base - gone + come) / self.size

    def reachable(self, relaxed: Solution, steps: int = 0) -> Problem:
        """A copy whose sellers the LP relaxation cannot bring into their band have it widened to what the
        relaxation reaches: what no split can mend then costs the integer program nothing, so it spends its
        time on the moves. With `steps`, every band is `steps` of the seller's smallest accounts wider (whole
        accounts may not fit where fractions of them do)."""
        load = self.loads(relaxed.out, relaxed.into)
        step = np.full(len(self.size), np.inf)
        for seller, k in ((self.src_seller, self.src_class), (self.snk_seller, self.snk_class)):
            np.minimum.at(step, seller, np.where(self.weight[k] > 0, self.weight[k], np.inf))
        step = steps * np.where(np.isfinite(step), step, 0.0) / self.size + 1e-7
        return replace(self, lo=np.minimum(self.lo, load) - step, hi=np.maximum(self.hi, load) + step)

    def restricted(self, relaxed: Solution) -> Problem:
        """The program over the flows the LP relaxation uses (the candidate moves): a few hundred integers
        at 100,000 accounts, solved in a fraction of the full program's time."""
        src, snk = relaxed.out > 1e-9, relaxed.into > 1e-9
        return replace(
            self,
            src_seller=self.src_seller[src],
            src_class=self.src_class[src],
            src_count=self.src_count[src],
            src_cost=self.src_cost[src],
            snk_seller=self.snk_seller[snk],
            snk_class=self.snk_class[snk],
        )

    def penalties(self) -> tuple[float, float, float]:
        """(per unit of load outside a band, for the largest gap, per account left without an owner):
        a unit of load is worth more than the accounts it takes to shift it; an owner more than that."""
        used = np.concatenate([self.weight[self.src_class], self.weight[self.snk_class]])
        used = used[used > 0]
        smallest = float(used.min()) if len(used) else 1.0
        largest = float(used.max()) if len(used) else 1.0
        per_load = (
            2.0 * float(self.src_cost.max(initial=1.0)) * float(self.size.max(initial=1.0)) / smallest + 1.0
        )
        return per_load, per_load, 10.0 * per_load * largest / float(self.size.min(initial=1.0)) + 10.0


@dataclass(frozen=True)
class Solution:
    out: np.ndarray  # [P] accounts leaving each source
    into: np.ndarray  # [Q] accounts arriving at each sink
    left: np.ndarray  # [K] accounts without an owner left so
    moves: float  # accounts moved (sources, plus forced ones placed)
    optimal: bool  # optimal (within 0.1% for the integer program)
    message: str
    feasible: bool = True  # a solution was found (optimal or not)


def _matrix(p: Problem) -> tuple[csr_array, np.ndarray, np.ndarray]:
    n_p, n_q, k, s = len(p.src_seller), len(p.snk_seller), len(p.weight), len(p.size)
    at_in, at_left, at_lo, at_hi, at_z = (
        n_p,
        n_p + n_q,
        n_p + n_q + k,
        n_p + n_q + k + s,
        n_p + n_q + k + 2 * s,
    )
    limited = np.flatnonzero(np.isfinite(p.cap))
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []

    def put(r: np.ndarray, c: np.ndarray, v: np.ndarray | float) -> None:
        rows.append(np.asarray(r, np.int64))
        cols.append(np.asarray(c, np.int64))
        vals.append(np.broadcast_to(np.asarray(v, float), np.shape(r)))

    src, snk = np.arange(n_p), np.arange(n_q)
    put(p.src_class, src, 1.0)  # flow per class: out - in - left = -forced
    put(p.snk_class, at_in + snk, -1.0)
    put(np.arange(k), at_left + np.arange(k), -1.0)
    for first, dev, sign in ((k, at_lo, 1.0), (k + s, at_hi, -1.0)):  # load bands, in weight units
        put(first + p.src_seller, src, -p.weight[p.src_class])
        put(first + p.snk_seller, at_in + snk, p.weight[p.snk_class])
        put(first + np.arange(s), dev + np.arange(s), sign * p.size)
    first = k + 2 * s  # accounts per seller within their maximum
    where = np.full(s, -1, np.int64)
    where[limited] = first + np.arange(len(limited))
    hit = where[p.src_seller] >= 0
    put(where[p.src_seller][hit], src[hit], -1.0)
    hit = where[p.snk_seller] >= 0
    put(where[p.snk_seller][hit], at_in + snk[hit], 1.0)
    first += len(limited)  # the largest gap: every deviation at most z
    put(first + np.arange(2 * s), at_lo + np.arange(2 * s), 1.0)
    put(first + np.arange(2 * s), np.full(2 * s, at_z), -1.0)
    n_rows, n_cols = first + 2 * s, at_z + 1
    a = coo_array(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n_rows, n_cols)
    )
    low = np.concatenate(
        [
            -p.forced,
            p.lo * p.size - p.base,
            np.full(s, -np.inf),
            np.full(len(limited), -np.inf),
            np.full(2 * s, -np.inf),
        ]
    )
    high = np.concatenate(
        [-p.forced, np.full(s, np.inf), p.hi * p.size - p.base, (p.cap - p.count)[limited], np.zeros(2 * s)]
    )
    return a.tocsr(), low, high


def solve(p: Problem, integral: bool = True, time_limit: float = 20.0, hard: bool = False) -> Solution:
    """The best moves (see the module docstring); `integral` False solves the LP relaxation (a lower bound
    on the accounts that must move)."""
    n_p, n_q, k, s = len(p.src_seller), len(p.snk_seller), len(p.weight), len(p.size)
    per_load, per_gap, per_owner = p.penalties()
    cost = np.concatenate(
        [p.src_cost, np.zeros(n_q), np.full(k, per_owner), np.full(2 * s, per_load), [per_gap]]
    )
    supply = np.bincount(p.src_class, p.src_count, minlength=k) + p.forced
    gap = 0.0 if hard else np.inf  # hard: every load within its band
    upper = np.concatenate([p.src_count, supply[p.snk_class], p.forced, np.full(2 * s + 1, gap)])
    integer = np.concatenate([np.ones(n_p + n_q + k), np.zeros(2 * s + 1)]) if integral else None
    a, low, high = _matrix(p)
    result = milp(
        cost,
        integrality=integer,
        bounds=Bounds(np.zeros(len(cost)), upper),
        constraints=LinearConstraint(a, low, high),
        options={"time_limit": time_limit, "mip_rel_gap": 1e-3, "disp": False},
    )
    if result.x is None:  # no solution within the time: nothing moves
        return Solution(
            np.zeros(n_p), np.zeros(n_q), p.forced.astype(float), 0.0, False, str(result.message), False
        )
    x = np.asarray(result.x)
    if integral:
        x = np.rint(x)
    out, into, left = x[:n_p], x[n_p : n_p + n_q], x[n_p + n_q : n_p + n_q + k]
    moved = float(out.sum() + (p.forced - left).sum())
    return Solution(out, into, left, moved, bool(result.status == 0), str(result.message))


@dataclass(frozen=True)
class Outcome:
    bound: Solution  # the LP relaxation's moves for bringing every seller at least as near the band
    found: Solution  # the moves
    solved: Problem  # the program `found` solves
    reach: tuple[np.ndarray, np.ndarray]  # per seller the band the relaxation can reach (locks, roles...)


def best_moves(p: Problem, time_limit: float = 20.0, check: Callable[[], None] | None = None) -> Outcome:
    """The moves, and what bounds them. The LP relaxation shows which loads no split can bring into their
    band (those bands are widened to what it reaches) and which moves are worth considering; the integer
    program over those candidate moves keeps every load in its band (as the relaxation has it, else a
    seller's smallest account wider), then the full program likewise, and last with a penalty for loads
    outside their band. `time_limit` is for all of it. The bound: no proposal bringing every seller at
    least as near the band as this one moves fewer accounts."""
    check = check or (lambda: None)
    deadline = time.monotonic() + time_limit

    def left() -> float:
        check()
        return max(deadline - time.monotonic(), 1.0)

    relaxed = solve(p, integral=False, time_limit=left())
    found, used = None, p
    if relaxed.feasible:
        for steps, small in ((0, True), (1, True), (1, False)):
            used = p.reachable(relaxed, steps)
            used = used.restricted(relaxed) if small else used
            found = solve(used, time_limit=left(), hard=True)
            if found.feasible:
                break
    if found is None or not found.feasible:
        found, used = solve(p, time_limit=left()), p
    check()
    reached = used.loads(found.out, found.into)
    near = replace(p, lo=np.minimum(p.lo, reached) - 1e-7, hi=np.maximum(p.hi, reached) + 1e-7)
    bound = solve(near, integral=False, time_limit=left(), hard=True)
    reach = p.reachable(relaxed, 0) if relaxed.feasible else p
    return Outcome(bound, found, used, (reach.lo, reach.hi))
