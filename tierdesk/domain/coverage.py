"""Coverage: sellers needed and cost of sales per role, tier, persona, territory and owner, with warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from tierdesk.domain.classification import Classification, covering_role
from tierdesk.domain.playbook import PERSONAS, UNCLASSIFIED, Playbook

NO_VALUE = "(none)"
MAX_LISTED = 10  # owners over capacity named one by one in the warnings
ROLE_COLUMNS = (
    "accounts",
    "revenue",
    "unit",
    "workload",
    "sellers",
    "cost",
    "cost_share",
    "capacity",
    "headcount",
)  # the columns of Coverage.by_role, in order


@dataclass
class Coverage:
    """Tables have one row per group (index = group name) and the columns accounts, revenue, sellers, cost,
    cost_share; by_role adds unit, workload, capacity and headcount. An "Unclassified" (tier, persona,
    role) or "(none)" (territory, owner) row appears when some accounts fall there; every table sums to
    the totals."""

    by_role: pd.DataFrame
    by_tier: pd.DataFrame
    by_persona: pd.DataFrame
    sellers: float
    cost: float
    revenue: float
    cost_share: float  # cost / revenue covered (NaN when the revenue is not positive)
    accounts: int
    uncovered: int  # accounts with no role or tier: no workload counted
    over_investment: int
    under_investment: int
    warnings: list[str] = field(default_factory=list)
    #: column -> (group names, accounts, revenue, sellers, cost per group): by_territory and by_owner are
    #: made from these when first read (a drag redraws many coverages and reads neither)
    group_sums: dict[str, tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = field(
        default_factory=dict, repr=False
    )
    _tables: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)

    def by(self, column: str) -> pd.DataFrame:
        if column not in self._tables:
            names, count, revenue, sellers, cost = self.group_sums[column]
            self._tables[column] = _frame(names, count, revenue, sellers, cost, 0)
        return self._tables[column]

    @property
    def by_territory(self) -> pd.DataFrame:
        return self.by("territory")

    @property
    def by_owner(self) -> pd.DataFrame:
        return self.by("owner")


@dataclass(frozen=True)
class PairLoad:
    """Covering role, workload, sellers and cost for one account of each (tier, persona) pair.

    Pair k is tier k // (personas + 1), persona k % (personas + 1); the last of each is Unclassified.
    Role and workload depend on nothing else, so sums over accounts reduce to counts per pair.
    """

    tier: np.ndarray
    persona: np.ndarray
    role: np.ndarray  # -1: not covered (no tier, or no role for an unclassified persona)
    workload: np.ndarray
    sellers: np.ndarray
    cost: np.ndarray

    def index(self, cls: Classification) -> np.ndarray:
        """The pair of each account."""
        n_personas = len(PERSONAS) + 1
        n_tiers = len(self.tier) // n_personas
        return (cls.tier.astype(np.intp) % n_tiers) * n_personas + cls.persona.astype(np.intp) % n_personas


def pair_load(pb: Playbook) -> PairLoad:
    n_tiers, n_personas, n_roles = len(pb.tiers) + 1, len(PERSONAS) + 1, len(pb.roles)
    tier = np.repeat(np.arange(n_tiers), n_personas)
    persona = np.tile(np.arange(n_personas), n_tiers)
    no_tier, no_persona = tier == n_tiers - 1, persona == n_personas - 1
    role = covering_role(pb, np.where(no_tier, -1, tier), np.where(no_persona, -1, persona))
    role = np.where(no_tier, -1, role).astype(np.intp)  # no tier: workload unknown
    workload = np.zeros((n_roles + 1, n_tiers))
    workload[:n_roles, : n_tiers - 1] = [r.workload for r in pb.roles]
    capacity = np.array([r.capacity for r in pb.roles] + [1.0])
    unit_cost = np.array([r.cost for r in pb.roles] + [0.0])
    w = workload[role, tier]
    sellers = w / capacity[role]
    return PairLoad(tier, persona, role, w, sellers, sellers * unit_cost[role])


def account_load(cls: Classification) -> pd.DataFrame:
    """Per account row: covering role (index, -1 = not covered), workload, sellers and cost it takes."""
    load = pair_load(cls.playbook)
    pair = load.index(cls)
    return pd.DataFrame(
        {
            "role": load.role[pair],
            "workload": load.workload[pair],
            "sellers": load.sellers[pair],
            "cost": load.cost[pair],
        }
    )


def group_codes(accounts: pd.DataFrame, column: str) -> tuple[np.ndarray, list[str]]:
    """Codes 0..k-1 per row and the k group names; missing values and a missing column form "(none)"."""
    if column not in accounts.columns:
        return np.zeros(len(accounts), np.intp), [NO_VALUE]
    values = accounts[column]
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy().astype(np.intp)
        names = [str(c) for c in values.cat.categories]
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        names = [str(u) for u in uniques]
    if (codes < 0).any():
        codes = np.where(codes < 0, len(names), codes)
        names.append(NO_VALUE)
    return codes, names


def _frame(
    names: list[str],
    count: np.ndarray,
    revenue: np.ndarray,
    sellers: np.ndarray,
    cost: np.ndarray,
    keep_empty: int,
    order: tuple[str, ...] = (),
    **extra: list[Any] | np.ndarray,
) -> pd.DataFrame:
    """Sums per group; groups past the first `keep_empty` appear only when they hold accounts."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        share = np.where(revenue > 0, cost / revenue, np.nan)
    keep = np.flatnonzero((np.arange(len(names)) < keep_empty) | (count > 0))
    columns: dict[str, Any] = {
        "accounts": count.astype(np.int64),
        "revenue": revenue,
        "sellers": sellers,
        "cost": cost,
        "cost_share": share,
    }
    columns |= {k: np.asarray(v, dtype=object if k == "unit" else float) for k, v in extra.items()}
    if order:
        columns = {k: columns[k] for k in order}
    return pd.DataFrame(
        {k: v[keep] for k, v in columns.items()},
        index=pd.Index(np.asarray(names, object)[keep], name="group"),
        copy=False,
    )


@dataclass
class PairCounts:
    """Accounts and revenue per (group, tier × persona pair) for the territory and owner groupings: what
    coverage() sums. Revenue is kept in whole cents (integer-valued floats, exact up to $90 trillion), so
    moving a few accounts (`move`) updates the sums exactly, without a pass over every account."""

    pair: np.ndarray  # each account's pair (PairLoad.index)
    cents: np.ndarray  # each account's revenue in cents (NaN and infinities count 0)
    groups: dict[str, tuple[np.ndarray, list[str]]]  # column -> (codes per account, names)
    count: dict[str, np.ndarray]  # column -> accounts [group, pair]
    money: dict[str, np.ndarray]  # column -> cents [group, pair]
    keep: np.ndarray | None = None  # the accounts counted (a filter); None: all

    @classmethod
    def of(
        cls,
        accounts: pd.DataFrame,
        classification: Classification,
        groups: dict[str, tuple[np.ndarray, list[str]]] | None = None,
        keep: np.ndarray | None = None,
    ) -> PairCounts:
        revenue = np.nan_to_num(classification.revenue, nan=0.0, posinf=0.0, neginf=0.0)
        groups = dict(groups or {})
        for column in ("territory", "owner"):
            groups[column] = groups.get(column) or group_codes(accounts, column)
        kept = None if keep is None else np.asarray(keep, bool)
        counts = cls(np.zeros(0, np.intp), np.rint(revenue * 100.0), groups, {}, {}, kept)
        counts._count_all(classification)
        return counts

    def _count_all(self, classification: Classification) -> None:
        load = pair_load(classification.playbook)
        self.pair = load.index(classification)
        n_pairs = len(load.tier)
        keep = self.keep
        cents = self.cents if keep is None else self.cents[keep]
        for column, (codes, names) in self.groups.items():
            joint = codes * n_pairs + self.pair
            if keep is not None:
                joint = joint[keep]
            size = len(names) * n_pairs
            self.count[column] = np.bincount(joint, minlength=size).reshape(len(names), n_pairs)
            self.money[column] = np.bincount(joint, cents, minlength=size).reshape(len(names), n_pairs)

    def move(self, classification: Classification, rows: np.ndarray) -> None:
        """Re-pair `rows` after their tier or persona changed in `classification` (same playbook)."""
        rows = np.unique(np.asarray(rows, np.intp))
        if len(rows) > len(self.pair) // 8:  # many moved: counting again is faster
            self._count_all(classification)
            return
        if not len(rows):
            return
        old, new = self.pair[rows], _pair_of(classification, rows)
        self.pair[rows] = new
        if self.keep is not None:  # accounts left out by the filter are not in the sums
            counted = self.keep[rows]
            rows, old, new = rows[counted], old[counted], new[counted]
        cents = self.cents[rows]
        for column, (codes, _names) in self.groups.items():
            g = codes[rows]
            np.subtract.at(self.count[column], (g, old), 1)
            np.add.at(self.count[column], (g, new), 1)
            np.subtract.at(self.money[column], (g, old), cents)
            np.add.at(self.money[column], (g, new), cents)


def _pair_of(cls: Classification, rows: np.ndarray) -> np.ndarray:
    n_personas = len(PERSONAS) + 1
    n_tiers = len(cls.playbook.tiers) + 1
    tier = cls.tier[rows].astype(np.intp) % n_tiers
    return tier * n_personas + cls.persona[rows].astype(np.intp) % n_personas


def coverage(
    accounts: pd.DataFrame,
    classification: Classification,
    playbook: Playbook | None = None,
    groups: dict[str, tuple[np.ndarray, list[str]]] | None = None,
    counts: PairCounts | None = None,
    keep: np.ndarray | None = None,
) -> Coverage:
    """Sellers needed (= workload / capacity) and cost of sales (= sellers x cost) by every grouping.

    `groups` may carry precomputed group_codes() for "territory" and "owner", and `counts` the PairCounts
    of this classification (a plan keeps both). Accounts are counted per (group, tier, persona); sellers
    and cost follow from those counts (see PairLoad). `keep` (a boolean per account) counts only the
    accounts a filter keeps; `counts`, when given, must have been made with the same `keep`.
    """
    pb = playbook or classification.playbook
    cls = classification
    load = pair_load(pb)
    n_tiers, n_personas, n_roles = len(pb.tiers) + 1, len(PERSONAS) + 1, len(pb.roles)
    counts = counts or PairCounts.of(accounts, cls, groups, keep)
    kept = np.ones(len(cls), bool) if counts.keep is None else counts.keep
    tables = {}
    pair_count = pair_revenue = np.zeros(n_tiers * n_personas)
    for column in ("territory", "owner"):
        names = counts.groups[column][1]
        count, money = counts.count[column], counts.money[column] / 100.0
        tables[column] = (names, count.sum(1), money.sum(1), count @ load.sellers, count @ load.cost)
        pair_count, pair_revenue = count.sum(0), money.sum(0)  # the same from either grouping

    def sums(keys: np.ndarray, k: int) -> list[np.ndarray]:
        keys = np.where(keys < 0, k - 1, keys)
        weights = (
            pair_count,
            pair_revenue,
            pair_count * load.sellers,
            pair_count * load.cost,
            pair_count * load.workload,
        )
        return [np.bincount(keys, w, minlength=k) for w in weights]

    def by(keys: np.ndarray, names: tuple[str, ...]) -> pd.DataFrame:
        count, money, sellers, cost, _ = sums(keys, len(names) + 1)
        return _frame([*names, UNCLASSIFIED], count, money, sellers, cost, keep_empty=len(names))

    count, money, role_sellers, cost, role_workload = sums(load.role, n_roles + 1)
    by_role = _frame(
        [*pb.role_names, UNCLASSIFIED],
        count,
        money,
        role_sellers,
        cost,
        keep_empty=n_roles,
        unit=[r.capacity_unit for r in pb.roles] + [""],
        workload=role_workload,
        capacity=[r.capacity for r in pb.roles] + [np.nan],
        headcount=[np.nan if r.headcount is None else r.headcount for r in pb.roles] + [np.nan],
        order=ROLE_COLUMNS,
    )
    total_rev, total_cost = float(pair_revenue.sum()), float(pair_count @ load.cost)
    result = Coverage(
        by_role=by_role,
        by_tier=by(np.where(load.tier == n_tiers - 1, -1, load.tier), pb.tier_names),
        by_persona=by(np.where(load.persona == n_personas - 1, -1, load.persona), PERSONAS),
        sellers=float(pair_count @ load.sellers),
        cost=total_cost,
        revenue=total_rev,
        cost_share=total_cost / total_rev if total_rev > 0 else float("nan"),
        accounts=int(kept.sum()),
        uncovered=int(pair_count[load.role < 0].sum()),
        over_investment=int((cls.over_investment & kept).sum()),
        under_investment=int((cls.under_investment & kept).sum()),
        group_sums=tables,
    )
    result.warnings = capacity_warnings(result, pb, role_sellers[:n_roles], "owner" in accounts.columns)
    return result


def capacity_warnings(cov: Coverage, pb: Playbook, role_sellers: np.ndarray, has_owner: bool) -> list[str]:
    """Roles needing more sellers than their headcount, owners carrying more than one seller's capacity."""
    out = [
        f"{r.name}: {needed:.1f} sellers needed, headcount {r.headcount:g}"
        for r, needed in zip(pb.roles, role_sellers.tolist(), strict=True)
        if r.headcount is not None and needed > r.headcount
    ]
    if has_owner:
        names, accounts, _revenue, sellers, _cost = cov.group_sums["owner"]
        owners = np.asarray(names, object)
        over = np.flatnonzero((sellers > 1) & (owners != NO_VALUE) & (accounts > 0))
        out += [
            f"Owner {owners[i]}: {sellers[i]:.2f} sellers' worth of work on {accounts[i]} accounts, "
            f"more than one seller can carry"
            for i in over[:MAX_LISTED]
        ]
        if len(over) > MAX_LISTED:
            out.append(f"…and {len(over) - MAX_LISTED} more owners over one seller's capacity")
    if cov.uncovered:
        out.append(f"{cov.uncovered} accounts not covered: tier or persona unclassified, no workload counted")
    return out


def code_sums(
    codes: np.ndarray, k: int, revenue: np.ndarray, mask: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Accounts and revenue per code 0..k-1 (code -1, unclassified, is left out), over the accounts `mask`
    keeps (None: all). Two bincounts, no per-row selection."""
    index = np.asarray(codes).astype(np.intp) + 1
    if mask is None:
        counts = np.bincount(index, minlength=k + 1)[1 : k + 1]
        money = np.bincount(index, revenue, minlength=k + 1)[1 : k + 1]
        return counts, money
    counts = np.bincount(index, mask, minlength=k + 1)[1 : k + 1].astype(np.int64)
    money = np.bincount(index, np.where(mask, revenue, 0.0), minlength=k + 1)[1 : k + 1]
    return counts, money
