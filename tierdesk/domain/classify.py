"""Vectorised classification: projected value and tier, 2x2 persona, relationship category, findings."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

import numpy as np
import pandas as pd

from tierdesk.domain.accounts import breadth, label
from tierdesk.domain.classification import (
    PINNABLE,
    Classification,
    OverridesLike,
    classify_personas,
    investment_flags,
)
from tierdesk.domain.overrides import planner_wallets, with_overrides
from tierdesk.domain.plan_date import PlanDate, plan_date
from tierdesk.domain.playbook import CATEGORIES, PERSONAS, UNCLASSIFIED, Formula, Playbook, Threshold
from tierdesk.domain.wallet import PLANNER, WalletEstimate, estimate_wallets
from tierdesk.domain.wallet_notes import NOTHING_TO_GO_ON

__all__ = ["CATEGORIES", "PERSONAS", "UNCLASSIFIED", "AccountValues", "classify", "field_values", "resolve"]


class AccountValues:
    """Numbers the rules read from the account table, with why each is missing and warnings per kind."""

    def __init__(self, accounts: pd.DataFrame, wallets: WalletEstimate | None = None) -> None:
        self.accounts = accounts
        self.wallets = wallets  # the wallet of every row: the file's, the planner's or an estimate
        self.infinite: dict[str, np.ndarray] = {}
        self.gaps = np.zeros(len(accounts), np.int16)
        self.n = len(accounts)
        self.messages: list[str] = [""]
        self.issues: dict[str, list[np.ndarray]] = {}
        self._cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def code(self, message: str) -> int:
        if message not in self.messages:
            self.messages.append(message)
        return self.messages.index(message)

    def warn(self, mask: np.ndarray, kind: str) -> None:
        if mask.any():
            self.issues.setdefault(kind, []).append(np.flatnonzero(mask))

    def _column(self, name: str, missing: str) -> tuple[np.ndarray, np.ndarray]:
        codes = np.zeros(self.n, np.int16)
        if name not in self.accounts.columns:
            codes[:] = self.code(f"no {label(name).lower()} column")
            return np.full(self.n, np.nan), codes
        col = self.accounts[name]
        if name in ("products", "areas"):
            values = np.array(breadth(col), dtype=np.float64)  # a copy: it may be a read-only view
        else:
            numeric = col if pd.api.types.is_numeric_dtype(col.dtype) else pd.to_numeric(col, errors="coerce")
            values = numeric.to_numpy(dtype="float64", na_value=np.nan).copy()
        infinite = np.isinf(values)
        self.infinite[name] = infinite
        self.warn(infinite, f"{label(name).lower()} is infinite (treated as missing)")
        values[infinite] = np.nan
        codes[np.isnan(values)] = self.code(missing)
        return values, codes

    def get(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(values, why-missing codes into self.messages; 0 where the value is known)."""
        if name not in self._cache:
            self._cache[name] = self._resolve(name)
        return self._cache[name]

    def _resolve(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        if name == "revenue":
            rev, codes = self._column("revenue", "no revenue")
            self.warn(rev < 0, "negative revenue")
            return rev, codes
        if name == "wallet":
            wallet, codes = self._column("wallet", "no wallet estimate")
            rev = self.get("revenue")[0]
            self.warn(wallet == 0, "wallet is zero")
            self.warn(wallet < 0, "negative wallet")
            self.warn((wallet > 0) & (wallet < rev), "wallet below revenue (share of wallet above 100%)")
            codes[wallet == 0] = self.code("wallet is zero")
            codes[wallet < 0] = self.code("negative wallet")
            wallet = np.where(wallet > 0, wallet, np.nan)
            if self.wallets is not None:
                known = ~np.isnan(self.wallets.value)
                wallet = np.where(known, self.wallets.value, wallet)
                codes[known] = 0
                if self.wallets.settings.method != "given":  # an estimate was tried: nothing to go on
                    codes[~known & (codes == self.code("no wallet estimate"))] = self.code(NOTHING_TO_GO_ON)
                    codes[~known & (codes == self.code("no wallet estimate column"))] = self.code(
                        NOTHING_TO_GO_ON
                    )
            return wallet, codes
        if name in ("share_of_wallet", "potential"):
            what = "share of wallet" if name == "share_of_wallet" else "potential"
            (rev, rev_codes), (wallet, wallet_codes) = self.get("revenue"), self.get("wallet")
            rev = np.where(self.prospects(), 0.0, rev)
            with np.errstate(over="ignore", invalid="ignore"):  # a huge ratio becomes inf: high share
                derived = rev / wallet if name == "share_of_wallet" else wallet - rev
            codes = np.zeros(self.n, np.int16)
            for source, source_codes in ((wallet, wallet_codes), (rev, rev_codes)):
                for c in np.unique(source_codes[np.isnan(source)]):
                    message = self.code(f"{self.messages[c]}: {what} unknown")
                    codes[(source_codes == c) & (codes == 0)] = message
            if name in self.accounts.columns:
                given, _ = self._column(name, "")
                known = ~np.isnan(given)
                if name == "share_of_wallet":
                    self.warn((given < 0) | (given > 1), "share of wallet outside 0–100%")
                else:
                    self.warn(given < 0, "negative growth potential")
                if self.wallets is not None:  # the planner's wallet wins over the file's figures
                    known &= self.wallets.source != PLANNER
                derived = np.where(known, given, derived)
                codes[known] = 0
            return derived, codes
        return self._column(name, f"no {label(name).lower()}")

    def prospects(self) -> np.ndarray:
        """Accounts with no revenue on record (blank, not a broken figure) but a wallet: share of wallet 0,
        potential = their whole wallet."""
        rev, wallet = self.get("revenue")[0], self.get("wallet")[0]
        return np.isnan(rev) & ~np.isnan(wallet) & ~self.infinite.get("revenue", np.zeros(self.n, bool))

    def formula(self, f: Formula, partial: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """The weighted sum and why it is missing. With `partial`, an account with revenue (or a prospect)
        counts its missing terms as 0; `self.gaps` then holds, per row, why a term was left out (0: none)."""
        total = np.zeros(self.n)
        codes = np.zeros(self.n, np.int16)
        some = np.zeros(self.n, bool)
        if partial:
            eligible = ~np.isnan(self.get("revenue")[0]) | self.prospects()
        for name, weight in f:
            if weight == 0:
                continue
            values, why = self.get(name)
            known = ~np.isnan(values)
            some |= known
            with np.errstate(over="ignore", invalid="ignore"):
                total = total + weight * (np.where(known, values, 0.0) if partial else values)
            codes = np.where(codes == 0, why, codes)
        if partial:
            some &= eligible
            self.gaps = np.where(some, codes, 0).astype(np.int16)
            total[~some] = np.nan
            codes[some] = 0
        codes[np.isnan(total) & (codes == 0)] = self.code("values too large to combine")  # inf - inf
        return total, codes

    def warnings(self) -> dict[str, np.ndarray]:
        return {kind: np.unique(np.concatenate(parts)) for kind, parts in self.issues.items()}


def field_values(accounts: pd.DataFrame, name: str) -> tuple[np.ndarray, np.ndarray]:
    """One account field as float64 (derived where needed), and why each missing value is missing
    (an object array of text, None where the value is known)."""
    values = AccountValues(accounts)
    data, codes = values.get(name)
    return data, np.array([None, *values.messages[1:]], object)[codes]


def resolve(threshold: Threshold, values: np.ndarray) -> float:
    """A split or threshold in data units: its value, or the percentile of the known values."""
    if threshold.kind == "value":
        return float(threshold.value)
    known = values[np.isfinite(values)]
    return float(np.quantile(known, threshold.value)) if len(known) else float("nan")


def _tiers(pb: Playbook, score: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Tier codes, cutoffs in score units (top first), and ranks (rank cutoffs only)."""
    known = ~np.isnan(score)
    cut = np.array([t.cutoff for t in pb.tiers[:-1]], float)
    tier = np.full(len(score), -1, np.int8)
    rank = None
    if pb.cutoff_kind == "rank":
        order = np.flatnonzero(known)[np.argsort(-score[known], kind="stable")]
        rank = np.full(len(score), -1, np.int64)
        rank[order] = np.arange(len(order))
        tier[order] = np.searchsorted(cut, np.arange(len(order)), side="right")
        at = np.minimum(cut.astype(np.int64), len(order)) - 1
        thresholds = np.where(at >= 0, score[order[np.maximum(at, 0)]] if len(order) else np.nan, np.nan)
        return tier, thresholds, rank
    if pb.cutoff_kind == "percentile":
        cut = np.quantile(score[known], cut) if known.any() else np.full(len(cut), np.nan)
    above = len(cut) - np.searchsorted(cut[::-1], score[known], side="right")
    tier[known] = above
    return tier, cut, rank


class _Categories(NamedTuple):
    rule: np.ndarray
    category: np.ndarray
    why: np.ndarray
    last: np.ndarray
    thresholds: tuple[float, float, float]
    share: np.ndarray
    reach: np.ndarray
    basis: str | None


def _breadth(pb: Playbook, values: AccountValues) -> tuple[np.ndarray, np.ndarray, str | None]:
    """Breadth per account, its why-missing codes and the column it was counted in: the playbook's, else
    the other breadth column when the file has no value at all in the playbook's (None: neither)."""
    wanted = pb.categories.breadth
    for name in (wanted, "products" if wanted == "areas" else "areas"):
        reach, codes = values.get(name)
        if not np.isnan(reach).all():
            return reach, codes, name
    reach, codes = values.get(wanted)
    return reach, codes, None


def _categories(pb: Playbook, values: AccountValues, as_of: pd.Timestamp) -> _Categories:
    rules = pb.categories
    n = values.n
    rev, rev_codes = values.get("revenue")
    share, share_codes = values.get("share_of_wallet")
    reach, reach_codes, basis = _breadth(pb, values)
    rule = np.full(n, -1, np.int8)
    why = np.zeros(n, np.int16)
    if "last_purchase" in values.accounts.columns:
        dates = pd.to_datetime(values.accounts["last_purchase"], errors="coerce")
        if getattr(dates.dt, "tz", None) is not None:
            dates = dates.dt.tz_localize(None)
        last = dates.to_numpy("datetime64[ns]")
        since = as_of - pd.DateOffset(months=round(12 * rules.greenfield_years))  # N years to the day
        bought = last >= np.datetime64(since)
        rule[np.isnat(last)] = 5
        rule[~np.isnat(last) & ~bought] = 4
        values.warn(np.isnat(last) & (rev > 0), "revenue but no purchase date (counted as Greenfield)")
    else:
        last = np.full(n, np.datetime64("NaT"), "datetime64[ns]")
        bought = rev > 0
        why[~bought] = values.code("no last purchase date: cannot tell Greenfield from a lapsed customer")
    buyers = rev[bought]
    low, high = resolve(rules.beachhead_revenue, buyers), resolve(rules.strategic_revenue, buyers)
    min_share = resolve(rules.strategic_share, share[bought])
    top = bought & (rev >= high)
    strategic = top & (share >= min_share)
    open_share = top & np.isnan(share)  # top spend, share unknown: could be Strategic
    settled = bought & ~strategic & ~open_share
    rule[strategic] = 0
    rule[settled & (rev < low)] = 2
    rest = settled & (rev >= low)
    if basis is None:  # no breadth in the file at all: a regular spender above the beachhead is Core
        rule[rest] = 6
    rule[rest & (reach >= rules.core_min_breadth)] = 1
    rule[rest & (reach < rules.core_min_breadth)] = 3
    undecided = bought & (rule < 0)
    why = np.where(undecided & np.isnan(rev), rev_codes, why)
    why = np.where(undecided & (why == 0) & open_share, share_codes, why)
    why = np.where(undecided & (why == 0), reach_codes, why)
    category = np.array([0, 1, 2, 2, 3, 3, 1, -1], np.int8)[rule]
    thresholds = (low, high, min_share)
    return _Categories(rule, category, why.astype(np.int16), last, thresholds, share, reach, basis)


def classify(
    accounts: pd.DataFrame,
    playbook: Playbook,
    overrides: OverridesLike = None,
    *,
    as_of: pd.Timestamp | datetime | str | None = None,
    wallets: WalletEstimate | None = None,
) -> Classification:
    """Classify every account row: never raises on bad values; they show as Unclassified or as warnings.

    `as_of` is the date "no purchase within N years" counts back from; by default today, or the file's
    latest purchase date when that is more than a year before today (basis.plan_date). `wallets`: the
    wallet estimate of these accounts under playbook.wallet, when the caller keeps one (estimated here
    otherwise); wallets the planner typed (overrides of field "wallet") are laid over it.
    """
    dated: PlanDate | None = None
    if as_of is None:
        dated = plan_date(accounts)
        as_of = dated.date
    as_of = pd.Timestamp(as_of).normalize()
    if wallets is None:
        wallets = estimate_wallets(accounts, playbook.wallet, playbook.currency)
    wallets = planner_wallets(wallets, accounts, overrides)
    values = AccountValues(accounts, wallets)
    score, score_why = values.formula(playbook.score, partial=True)
    if playbook.use_projected_value and "projected_value" in accounts.columns:
        given, _ = values.get("projected_value")
        score = np.where(np.isnan(given), score, given)
        score_why = np.where(np.isnan(given), score_why, 0).astype(np.int16)
        values.gaps[~np.isnan(given)] = 0
    tier, cutoffs, rank = _tiers(playbook, score)
    p = playbook.personas
    x, x_why = values.formula(p.x)
    y, y_why = values.formula(p.y)
    x_split, y_split = resolve(p.x_split, x), resolve(p.y_split, y)
    cat = _categories(playbook, values, as_of)
    rev = values.get("revenue")[0]
    persona = classify_personas(x, y, x_split, y_split)
    over, under = investment_flags(playbook, tier, persona)
    unpinned = np.zeros(len(accounts), bool)
    cls = Classification(
        accounts=accounts,
        playbook=playbook,
        as_of=as_of,
        projected_value=score,
        x=x,
        y=y,
        x_split=x_split,
        y_split=y_split,
        tier_cutoffs=np.asarray(cutoffs, float),
        rank=rank,
        computed_tier=tier,
        computed_persona=persona,
        computed_category=cat.category,
        category_rule=cat.rule,
        category_thresholds=cat.thresholds,
        revenue=rev,
        share_of_wallet=cat.share,
        breadth=cat.reach,
        last_purchase=cat.last,
        why={"tier": score_why, "persona": np.where(x_why > 0, x_why, y_why), "category": cat.why},
        messages=tuple(values.messages),
        issues=values.warnings(),
        tier=tier,
        persona=persona,
        category=cat.category,
        pinned_tier=unpinned,
        pinned_persona=unpinned,
        pinned_category=unpinned,
        over_investment=over,
        under_investment=under,
        pin_reasons={f: {} for f in PINNABLE},
        override_problems=[],
        wallets=wallets,
        score_gaps=values.gaps,
        plan_date=dated,
        breadth_basis=cat.basis,
    )
    return with_overrides(cls, overrides) if overrides is not None else cls
