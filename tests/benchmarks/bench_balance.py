"""Balancing sellers' books, against the greedy way of doing it by hand, on a generated territory.

Usage: python tests/benchmarks/bench_balance.py [--rows N] [--sellers S] [--tolerance T] [--seed K]
Without --rows: 10,000 accounts x 25 sellers, then 100,000 x 200.

The territory: accounts classified with the default playbook; sellers given roles in proportion to the work
of each role and capacities that add up to it (so a balanced team is possible), half of them kept to one
region (in roles of 4 sellers or more); the books skewed as real ones are (each role's accounts dealt to its
sellers with Dirichlet(0.5) shares; the locked Strategic tier dealt in proportion to capacity), 2% of the
accounts without an owner.
Reported: the largest deviation from capacity after balancing (target: within the tolerance), the accounts
moved against the LP relaxation's lower bound, the time (targets: 2 s at 10,000, 20 s at 100,000).
Baseline, in the same run and under the same rules (roles, regions, locks): the greedy "move the smallest
accounts from the most loaded seller to the least loaded one until within tolerance". Target: the balance
moves at most 0.8 x the greedy's accounts. Last line: `balance: <n> moves; baseline greedy: <n> moves;
ratio <r>`.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from tierdesk.domain.balance import balance, classes
from tierdesk.domain.coverage import account_load
from tierdesk.domain.plan import Plan
from tierdesk.domain.playbook import default_playbook
from tierdesk.domain.sellers import Seller
from tierdesk.domain.workload import Books, books

AS_OF = "2026-11-01"
REGIONS = ("North", "South", "East", "West")
LIMITS_S = {10_000: 2.0, 100_000: 20.0}


def territory(n: int, s: int, seed: int) -> Plan:
    """A plan of n accounts and s sellers with skewed books (see the module docstring)."""
    rng = np.random.default_rng(seed)
    wallet = rng.lognormal(12.2, 1.3, n)
    revenue = wallet * rng.beta(1.2, 3.0, n)
    accounts = pd.DataFrame(
        {
            "account_id": pd.array([f"A{i:07d}" for i in range(n)], dtype="string"),
            "account_name": pd.array([f"Account {i}" for i in range(n)], dtype="string"),
            "region": pd.Categorical(rng.choice(REGIONS, n)),
            "revenue": revenue,
            "wallet": wallet,
            "areas": rng.integers(0, 6, n).astype("float64"),
            "last_purchase": pd.Timestamp(AS_OF) - pd.to_timedelta(rng.integers(0, 2500, n), unit="D"),
        }
    )
    pb = default_playbook()
    plan = Plan(accounts, pb, as_of=AS_OF)
    load = account_load(plan.classification)
    role, weight = load["role"].to_numpy(), load["sellers"].to_numpy()
    work = np.bincount(role[role >= 0], weight[role >= 0], minlength=len(pb.roles))
    count = np.where(work > 0, np.maximum(1, np.floor(s * work / work.sum())), 0).astype(int)
    while count.sum() < s:
        count[np.argmax(work / np.maximum(count, 1e-9) * (work > 0))] += 1
    while count.sum() > s:
        count[np.argmax(count)] -= 1
    sellers, owner = [], np.full(n, None, dtype=object)
    for r, k in enumerate(count.tolist()):
        if not k:
            continue
        # sellers kept to a region carry less than the others, so each region's work can reach them
        share = np.where(np.arange(k) % 2 & (k >= 4), rng.uniform(0.6, 0.9, k), rng.uniform(0.9, 1.3, k))
        share *= work[r] / share.sum()  # each role's capacity adds up to its work
        names = [f"{pb.roles[r].name} {i + 1}" for i in range(k)]
        # every other seller kept to one region, the regions in turn, where the role has 4 sellers or more
        regions = [REGIONS[(i // 2) % len(REGIONS)] if i % 2 and k >= 4 else None for i in range(k)]
        sellers += [
            Seller(name, pb.roles[r].name, float(pb.roles[r].capacity * share[i]), region=regions[i])
            for i, name in enumerate(names)
        ]
        mine = np.flatnonzero(role == r)
        kept = plan.classification.tier == 0  # the Strategic tier keeps its owner: dealt by capacity
        for region in REGIONS:  # deal the region's accounts to its sellers and to those of no region
            free = [i for i in range(k) if regions[i] in (None, region)] or list(range(k))
            here = mine[accounts["region"].to_numpy()[mine] == region]
            p = rng.dirichlet(np.full(len(free), 0.5))
            who = np.array(names, dtype=object)[free]
            owner[here] = who[rng.choice(len(free), len(here), p=p)]
            locked = here[kept[here]]
            fair = share[free] / share[free].sum()
            owner[locked] = who[rng.choice(len(free), len(locked), p=fair)]
    owner[rng.random(n) < 0.02] = None
    accounts["owner"] = pd.Categorical(owner)
    return Plan(accounts, pb, as_of=AS_OF, sellers=sellers)


def greedy(b: Books, eligible: np.ndarray, code: np.ndarray, tolerance: float) -> tuple[np.ndarray, int]:
    """Accounts without an owner go to the least loaded seller who may take them; then, again and again,
    the most loaded seller gives their smallest account to the least loaded seller who may take it, as long
    as that narrows the gap between the two (a seller who has nothing that helps is passed over for the next
    most loaded), until every load is within tolerance. Returns the loads after and the accounts moved."""
    load, size = b.loads(), b.size
    weight = np.zeros(eligible.shape[0])
    weight[code] = b.weight
    moved = 0
    for a in np.flatnonzero(b.owner < 0).tolist():
        ok = np.flatnonzero(eligible[code[a]])
        if len(ok):
            j = ok[np.argmin(load[ok])]
            load[j] += b.weight[a] / size[j]
            moved += 1
    movable = (b.owner >= 0) & ~b.locked
    count = np.zeros((len(size), len(weight)), np.int64)  # [seller, class] accounts they may give
    np.add.at(count, (b.owner[movable], code[movable]), 1)
    lo, hi = 1 - tolerance, 1 + tolerance
    while load.max() > hi or load.min() < lo:
        receiver_load = np.where(eligible, load[None, :], np.inf)
        j = receiver_load.argmin(1)  # per class, the least loaded seller who may take it
        after_j = receiver_load[np.arange(len(weight)), j] + weight / size[j]
        after_i = load[:, None] - weight[None, :] / size[:, None]
        helps = (count > 0) & (after_j[None, :] < after_i)
        donors = np.flatnonzero(helps.any(1))
        if not len(donors):
            break
        i = donors[np.argmax(load[donors])]
        k = np.flatnonzero(helps[i])[np.argmin(weight[helps[i]])]
        count[i, k] -= 1
        load[i] -= weight[k] / size[i]
        load[j[k]] += weight[k] / size[j[k]]
        moved += 1
    return load, moved


def run(n: int, s: int, tolerance: float, seed: int) -> tuple[int, int]:
    plan = territory(n, s, seed)
    b = books(plan)
    before = b.loads()
    start = time.perf_counter()
    proposal = balance(plan, tolerance)
    took = time.perf_counter() - start
    after = proposal.loads_after
    c = classes(b, plan.accounts)
    start = time.perf_counter()
    greedy_after, greedy_moves = greedy(b, c.eligible, c.code, tolerance)
    greedy_took = time.perf_counter() - start
    low, high = proposal.bands
    near = bool(((after >= low - 1e-6) & (after <= high + 1e-6)).all())
    within = np.abs(after - 1).max() <= tolerance + 1e-6
    limit = LIMITS_S.get(n)
    timing = f"{took:.2f} s" + (f" (limit {limit:g} s: {'ok' if took <= limit else 'OVER'})" if limit else "")
    print(
        f"{n:,} accounts x {s} sellers (tolerance ±{tolerance:.0%}; {int(b.locked.sum()):,} locked, "
        f"{int((b.owner < 0).sum()):,} without an owner)"
    )
    print(
        f"  loads before: {before.min():.2f} to {before.max():.2f}, "
        f"largest deviation {np.abs(before - 1).max():.3f}"
    )
    print(
        f"  balance:  loads {after.min():.3f} to {after.max():.3f}, "
        f"largest deviation {np.abs(after - 1).max():.3f} "
        f"({'within' if within else 'OUTSIDE'} the tolerance; {'as near as' if near else 'FARTHER than'} the "
        f"constraints allow); {proposal.moved_accounts:,} moves, LP lower bound {proposal.lower_bound:,} "
        f"({proposal.moved_accounts / max(proposal.lower_bound, 1):.3f}x); {timing}"
    )
    print(
        f"  greedy:   loads {greedy_after.min():.3f} to {greedy_after.max():.3f}, largest deviation "
        f"{np.abs(greedy_after - 1).max():.3f}; {greedy_moves:,} moves; {greedy_took:.2f} s"
    )
    for message in proposal.messages:
        print(f"  note: {message}")
    return proposal.moved_accounts, greedy_moves


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int)
    parser.add_argument("--sellers", type=int)
    parser.add_argument("--tolerance", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    sizes = (
        [(args.rows, args.sellers or max(2, args.rows // 500))]
        if args.rows
        else [(10_000, 25), (100_000, 200)]
    )
    for n, s in sizes:
        ours, theirs = run(n, args.sellers or s, args.tolerance, args.seed)
        print(f"balance: {ours} moves; baseline greedy: {theirs} moves; ratio {ours / max(theirs, 1):.2f}")


if __name__ == "__main__":
    main()
