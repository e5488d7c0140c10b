"""Balance the sellers' books: propose owner changes so every seller's load (workload / capacity) lies within
a tolerance of capacity, moving as few accounts and as little revenue as possible. Locked accounts keep their
owner (and, unless asked, so do accounts reassigned in this plan); an account goes only to a seller whose
role covers it (any seller when the team has nobody in that role), in its region and territory where the
seller has one, who takes new accounts and has room under their maximum; accounts without an owner, or
with one the sellers table lacks, get one. When the team cannot carry the work (or has far more capacity
than it needs), the books are evened instead: every seller within the tolerance of the average load."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from tierdesk.domain.balance_model import Problem, Solution, best_moves
from tierdesk.domain.proposal import Proposal, Target, proposal
from tierdesk.domain.work import CancelFn, ProgressFn, Steps
from tierdesk.domain.workload import Books, books, sellers_short

if TYPE_CHECKING:
    from tierdesk.domain.plan import Plan

__all__ = ["balance", "target"]


def target(b: Books, tolerance: float) -> Target:
    """The band every seller's load should reach: capacity ± tolerance when the team can carry the work,
    else the average load ± tolerance (as a share of it)."""
    total = float(b.weight[b.role >= 0].sum())
    size = float(b.size.sum())
    average = total / size if size > 0 else float("nan")
    if not b.sellers or not average > 0 or 1 - tolerance <= average <= 1 + tolerance:
        return Target(1 - tolerance, 1 + tolerance, average, False)
    return Target(average * (1 - tolerance), average * (1 + tolerance), average, True)


@dataclass(eq=False)
class Classes:
    """Accounts grouped into classes that are interchangeable for the loads, with the sellers who may take
    each class."""

    code: np.ndarray  # per account: class
    role: np.ndarray  # per class: covering role
    weight: np.ndarray  # per class: sellers' worth of one account
    eligible: np.ndarray  # [class, seller]: the seller may take accounts of the class


def _area(accounts: pd.DataFrame, column: str, sellers: list[str | None]) -> tuple[np.ndarray, np.ndarray]:
    """Per account a code for `column` among the sellers' values (0: any seller; 1 + i: seller value i;
    len + 1: a value no seller has) and per seller the code they cover (0: all)."""
    values = sorted({v.casefold() for v in sellers if v})
    if not values or column not in accounts.columns:
        return np.zeros(len(accounts), np.intp), np.zeros(len(sellers), np.intp)
    text = accounts[column].astype("string").str.strip().str.casefold()
    lookup = {v: i + 1 for i, v in enumerate(values)}
    code = text.map(lookup).astype("Float64").fillna(len(values) + 1)
    code = code.where(text.notna() & (text != ""), 0)
    seller = np.array([lookup[v.casefold()] if v else 0 for v in sellers], np.intp)
    return code.to_numpy(np.intp), seller


def classes(b: Books, accounts: pd.DataFrame) -> Classes:
    """The classes (covering role x workload x region x territory) and who may take them."""
    regions, seller_region = _area(accounts, "region", [s.region for s in b.sellers])
    territories, seller_territory = _area(accounts, "territory", [s.territory for s in b.sellers])
    _, w_code = np.unique(b.weight, return_inverse=True)
    key = np.stack([b.role + 1, w_code, regions, territories])
    unique, code = np.unique(key, axis=1, return_inverse=True)
    role, region, territory = unique[0] - 1, unique[2], unique[3]
    weight = np.zeros(unique.shape[1])
    weight[code] = b.weight
    staffed = np.isin(role, b.seller_role)  # a role nobody in the team has: any seller may cover it
    role_ok = (role[:, None] == b.seller_role[None, :]) | ~staffed[:, None] | (role[:, None] < 0)
    region_ok = (
        (seller_region[None, :] == 0) | (region[:, None] == 0) | (region[:, None] == seller_region[None, :])
    )
    territory_ok = (seller_territory[None, :] == 0) | (territory[:, None] == 0)
    territory_ok |= territory[:, None] == seller_territory[None, :]
    takes = np.array([s.takes_new for s in b.sellers], bool)
    return Classes(
        code.ravel().astype(np.intp), role, weight, role_ok & region_ok & territory_ok & takes[None, :]
    )


def _problem(b: Books, c: Classes, band: Target, movable: np.ndarray, forced: np.ndarray) -> Problem:
    s, k = len(b.sellers), len(c.role)
    joint = b.owner[movable] * k + c.code[movable]
    pairs, count = np.unique(joint, return_counts=True)
    revenue = b.revenue[movable]
    cheap = pd.Series(revenue).groupby(joint).median().reindex(pairs).to_numpy(float)
    scale = max(float(b.revenue.max(initial=0.0)), 1.0)
    forced_count = np.bincount(c.code[forced], minlength=k).astype(float)
    supply = np.bincount(pairs % k, count, minlength=k) + forced_count
    sink_class, sink_seller = np.nonzero(c.eligible & (supply > 0)[:, None])
    held = b.owner >= 0
    limits = np.array([np.inf if x.max_accounts is None else x.max_accounts for x in b.sellers], float)
    now = b.counts()
    return Problem(
        size=b.size,
        base=np.bincount(b.owner[held], b.weight[held], minlength=s),
        lo=np.full(s, band.low),
        hi=np.full(s, band.high),
        count=now.astype(float),
        cap=np.maximum(limits, now - np.bincount(b.owner[movable], minlength=s)),
        weight=c.weight,
        forced=forced_count,
        src_seller=(pairs // k).astype(np.intp),
        src_class=(pairs % k).astype(np.intp),
        src_count=count.astype(float),
        src_cost=1.0 + 0.5 * np.nan_to_num(cheap) / scale,
        snk_seller=sink_seller.astype(np.intp),
        snk_class=sink_class.astype(np.intp),
    )


def _first(order: np.ndarray, group: np.ndarray, take: np.ndarray) -> np.ndarray:
    """Of the items `order` lists (sorted by group), the first take[g] of each group g."""
    g = group[order]
    start = np.searchsorted(g, g, side="left")
    return order[(np.arange(len(order)) - start) < take[g]]


def _realise(
    b: Books, c: Classes, p: Problem, solution: Solution, movable_mask: np.ndarray, forced_mask: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(rows, new owner) of the accounts that move: per (seller, class) the lowest-revenue movable ones,
    then the accounts without an owner (largest revenue first); each class's sinks filled in order."""
    out, into, left = (np.rint(v).astype(np.int64) for v in (solution.out, solution.into, solution.left))
    k = len(c.role)
    take = np.zeros(len(b.sellers) * k, np.int64)
    take[p.src_seller * k + p.src_class] = out
    movable = np.flatnonzero(movable_mask)
    joint = b.owner[movable] * k + c.code[movable]
    order = movable[np.lexsort((b.revenue[movable], joint))]
    key = np.zeros(len(b.owner), np.int64)
    key[movable] = joint
    chosen = _first(order, key, take)
    forced = np.flatnonzero(forced_mask)
    order = forced[np.lexsort((-b.revenue[forced], c.code[forced]))]
    placed = _first(order, c.code, (p.forced - left).astype(np.int64))
    rows = np.concatenate([chosen, placed])
    rows = rows[np.lexsort((b.revenue[rows], b.owner[rows], c.code[rows]))]
    sinks = np.repeat(np.arange(len(into)), into)
    sinks = sinks[np.argsort(p.snk_class[sinks], kind="stable")]
    # the solver's flows balance per class; should a time-limited answer not, pair what each class has
    supply = np.bincount(c.code[rows], minlength=k)
    demand = np.bincount(p.snk_class[sinks], minlength=k)
    if not np.array_equal(supply, demand):
        both = np.minimum(supply, demand)
        rows = rows[_first(np.arange(len(rows)), c.code[rows], both)]
        sinks = sinks[_first(np.arange(len(sinks)), p.snk_class[sinks], both)]
    return rows, p.snk_seller[sinks]


def balance(
    plan: Plan,
    tolerance: float | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    *,
    move_reassigned: bool = False,
    time_limit: float = 20.0,
) -> Proposal:
    """A proposal balancing the plan's books (see the module docstring); the plan is not changed. Accept
    it, or some of its moves, with `Proposal.edit()`. Raises Cancelled when `cancel` says so."""
    steps = Steps(progress, cancel)
    steps.report(0.0, "Reading the books")
    tolerance = plan.playbook.sellers.tolerance if tolerance is None else float(tolerance)
    if not 0 < tolerance < 1:
        raise ValueError(f"a tolerance is a fraction of capacity above 0 and below 1, not {tolerance!r}")
    b = books(plan)
    band, short = target(b, tolerance), sellers_short(b, tolerance)
    no_id = (
        plan.accounts["account_id"].isna().to_numpy(bool)
        if "account_id" in plan.accounts.columns
        else np.ones(len(plan.accounts), bool)
    )  # owners are changed by account id, like every override
    keep = b.locked | (b.reassigned & (not move_reassigned)) | no_id
    movable = (b.owner >= 0) & ~keep
    forced = (b.owner < 0) & ~no_id
    notes = (
        [f"{int(no_id.sum()):,} accounts have no account ID: they keep their owner."] if no_id.any() else []
    )
    if not b.sellers:
        return proposal(plan, b, band, short, (np.zeros(0), np.zeros(0)), tolerance=tolerance, notes=notes)
    c = classes(b, plan.accounts)
    p = _problem(b, c, band, movable, forced)
    steps.report(0.2, "Choosing the moves")
    outcome = best_moves(p, time_limit, steps.check)
    steps.report(0.9, "Writing the proposal")
    rows, dest = _realise(b, c, outcome.solved, outcome.found, movable, forced)
    lower = int(np.ceil(outcome.bound.moves - 1e-6)) if outcome.bound.feasible else 0
    result = proposal(
        plan,
        b,
        band,
        short,
        (rows, dest),
        tolerance=tolerance,
        lower_bound=lower,
        bands=outcome.reach,
        owed=forced,
        notes=notes,
    )
    steps.report(1.0, "Proposal ready")
    return result
