"""Vectorised classification: projected value and tier, 2x2 persona, relationship category, findings."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime
from typing import NamedTuple

import numpy as np
import pandas as pd

from tierdesk.domain import reasons as explain
from tierdesk.domain.accounts import breadth, label
from tierdesk.domain.plan_date import PlanDate, plan_date
from tierdesk.domain.playbook import CATEGORIES, PERSONAS, UNCLASSIFIED, Formula, Playbook, Threshold
from tierdesk.domain.wallet import PLANNER, SOURCES, WalletEstimate, estimate_wallets
from tierdesk.domain.wallet_notes import NOTHING_TO_GO_ON

__all__ = [
    "CATEGORIES",
    "PERSONAS",
    "UNCLASSIFIED",
    "Classification",
    "Override",
    "classify",
    "field_values",
    "reclassify_personas",
    "with_splits",
]

PINNABLE = ("tier", "persona", "category")


@dataclass(frozen=True)
class Override:
    """A manager's pinned tier, persona or category for one account, with reason and time."""

    account_id: str
    field: str  # "tier", "persona" or "category"
    value: str  # the pinned name
    reason: str = ""
    time: datetime | None = dataclass_field(default_factory=lambda: datetime.now().replace(microsecond=0))


Overrides = Mapping[tuple[str, str], Override]  # keyed by (account_id, field)
#: Overrides as a mapping, a table (account_id, field, value, reason, time) or a list of Override.
OverridesLike = Overrides | pd.DataFrame | Iterable[Override] | None


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


@dataclass(eq=False)
class Classification:
    """Tier, persona and category per account row (int8 codes, -1 = Unclassified), with what decided them."""

    accounts: pd.DataFrame
    playbook: Playbook
    as_of: pd.Timestamp
    projected_value: np.ndarray
    x: np.ndarray  # share of wallet axis
    y: np.ndarray  # growth potential axis
    x_split: float  # in data units
    y_split: float
    tier_cutoffs: np.ndarray  # projected value at each tier's cutoff, top first (len = tiers - 1)
    rank: np.ndarray | None  # rank by projected value (0 = top), for rank cutoffs only
    computed_tier: np.ndarray
    computed_persona: np.ndarray
    computed_category: np.ndarray
    # the rule that decided the category: 0 Strategic, 1 Core, 2 Beachhead by revenue, 3 Beachhead by breadth,
    # 4 Greenfield (lapsed), 5 Greenfield (no purchase on record), 6 Core by revenue (the file has no breadth
    # column), -1 undecided (see `why`)
    category_rule: np.ndarray
    category_thresholds: tuple[float, float, float]  # beachhead revenue, strategic revenue, strategic share
    revenue: np.ndarray
    share_of_wallet: np.ndarray
    breadth: np.ndarray
    last_purchase: np.ndarray  # datetime64[ns], NaT = no purchase on record
    why: dict[str, np.ndarray]  # "tier", "persona", "category" → codes into messages (0 = classified)
    messages: tuple[str, ...]
    issues: dict[str, np.ndarray]  # warning kind → row positions
    # effective codes: computed, or pinned by an override
    tier: np.ndarray
    persona: np.ndarray
    category: np.ndarray
    pinned_tier: np.ndarray
    pinned_persona: np.ndarray
    pinned_category: np.ndarray
    over_investment: np.ndarray
    under_investment: np.ndarray
    pin_reasons: dict[str, dict[int, str]]  # field → {row: the override's reason}
    override_problems: list[str]  # overrides that could not be applied, in words
    #: where each row's wallet came from (file, peers, firmographic, planner) and why: see wallet.py
    wallets: WalletEstimate | None = None
    #: per row, why a term of the projected value was left out (a code into messages; 0: none was)
    score_gaps: np.ndarray | None = None
    #: how `as_of` was chosen (today, or an old file's latest purchase date); None when the caller gave it
    plan_date: PlanDate | None = None
    #: the breadth column categories were measured by ("areas", "products"; None: revenue alone)
    breadth_basis: str | None = "areas"

    @property
    def wallet(self) -> np.ndarray:
        """The wallet each account was classified with (NaN where none): the file's, the planner's or an
        estimate; `wallet_source` and `wallet_notes()` say which and why."""
        if self.wallets is None:
            return np.full(len(self), np.nan)
        return self.wallets.value

    @property
    def wallet_source(self) -> pd.Categorical:
        """file, peers, firmographic or planner per account (<NA> where there is no wallet)."""
        if self.wallets is None:
            return pd.Categorical.from_codes(np.full(len(self), -1, np.int64), pd.Index(SOURCES[1:]))
        return self.wallets.source_names()

    def wallet_notes(self, rows: np.ndarray | None = None) -> np.ndarray:
        """One line per account on its wallet ("Wallet $1.2M: 90th percentile of revenue among 37 ...")."""
        rows = np.arange(len(self)) if rows is None else np.asarray(rows, np.int64)
        if self.wallets is None:
            return np.full(len(rows), "", dtype=object)
        return self.wallets.notes(rows)

    def __len__(self) -> int:
        return len(self.x)

    @property
    def tier_names(self) -> tuple[str, ...]:
        return self.playbook.tier_names

    persona_names = PERSONAS
    category_names = CATEGORIES

    def names(self, what: str) -> tuple[str, ...]:
        return {"tier": self.tier_names, "persona": PERSONAS, "category": CATEGORIES}[what]

    @property
    def role(self) -> np.ndarray:
        """Index into playbook.roles of each account's covering role (-1: tier/persona unknown)."""
        return covering_role(self.playbook, self.tier, self.persona)

    def unclassified(self) -> np.ndarray:
        return (self.tier < 0) | (self.persona < 0) | (self.category < 0)

    def warning_counts(self) -> dict[str, int]:
        return {kind: len(rows) for kind, rows in self.issues.items()}

    def warnings(self, limit: int | None = None) -> list[tuple[int, str]]:
        """(row, message) pairs, in row order; the data problems the classification accepted."""
        pairs = sorted((int(r), kind) for kind, rows in self.issues.items() for r in rows)
        return pairs[:limit] if limit is not None else pairs

    def reason(self, row: int, what: str = "persona") -> str:
        return str(explain.reasons(self, what, np.array([row]))[0])

    def reasons(self, what: str = "persona") -> pd.Series:
        """Why each account has its persona (or "tier", "category"), e.g. "Land & Expand: potential ..."."""
        return pd.Series(explain.reasons(self, what), dtype="string")

    def frame(self) -> pd.DataFrame:
        """Names, role, entitlements, findings and reasons per account, for tables and export."""
        return explain.classification_frame(self)


def covering_role(pb: Playbook, tier: np.ndarray, persona: np.ndarray) -> np.ndarray:
    """Index into pb.roles of the role covering each account: its tier's or its persona's (pb.role_from)."""
    by = [t.role for t in pb.tiers] if pb.role_from == "tier" else list(pb.personas.roles)
    lut = np.array([pb.role_names.index(r) for r in by] + [-1], np.int8)
    return lut[tier if pb.role_from == "tier" else persona]


def _touch_masks(pb: Playbook, tier: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    high = np.array([n in pb.high_touch for n in pb.tier_names] + [False])
    low = np.array([n in pb.low_touch for n in pb.tier_names] + [False])
    return high[tier], low[tier]


def investment_flags(
    pb: Playbook, tier: np.ndarray, persona: np.ndarray, touch: tuple[np.ndarray, np.ndarray] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(over-investment, under-investment): high-touch tier with low potential; low-touch tier with high.

    `touch` may carry the accounts' (high-touch, low-touch) tier masks when the tiers did not change.
    """
    high, low = touch or _touch_masks(pb, tier)
    # personas 0, 1 (Strategic Partnerships, Land & Expand) have high potential; -1 is 255 as uint8
    return high & (persona >= 2), low & (persona.view(np.uint8) <= 1)


def classify_personas(
    x: np.ndarray, y: np.ndarray, x_split: float, y_split: float, unknown: np.ndarray | None = None
) -> np.ndarray:
    """Index into PERSONAS per account; -1 where x or y is unknown. On a split line counts as high."""
    code = np.int8(3) - (y >= y_split).view(np.int8) * np.int8(2) - (x >= x_split).view(np.int8)
    code[np.isnan(x) | np.isnan(y) if unknown is None else unknown] = -1
    return code


def _drag_state(cls: Classification) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """What a split move cannot change, worked out once per classification and shared by its copies:
    rows with x or y unknown, pinned persona rows, high/low-touch tier masks."""
    key = (cls.x, cls.y, cls.pinned_persona, cls.tier, cls.playbook.high_touch, cls.playbook.low_touch)
    hit = cls.__dict__.get("_drag_state")
    fresh = hit is not None and all(a is b for a, b in zip(hit[0][:4], key[:4], strict=True))
    if not fresh or hit is None or hit[0][4:] != key[4:]:
        state = (
            np.isnan(cls.x) | np.isnan(cls.y),
            np.flatnonzero(cls.pinned_persona),
            _touch_masks(cls.playbook, cls.tier),
        )
        hit = (key, state)
        cls.__dict__["_drag_state"] = hit
    return hit[1]


def reclassify_personas(
    cls: Classification, x_split: float | None = None, y_split: float | None = None
) -> np.ndarray:
    """Personas with split lines moved (data units), overrides kept: the fast path while a line is dragged."""
    unknown, pinned_rows, _ = _drag_state(cls)
    xs = cls.x_split if x_split is None else x_split
    ys = cls.y_split if y_split is None else y_split
    persona = classify_personas(cls.x, cls.y, xs, ys, unknown)
    persona[pinned_rows] = cls.persona[pinned_rows]
    return persona


def with_splits(
    cls: Classification,
    x_split: float | None = None,
    y_split: float | None = None,
    playbook: Playbook | None = None,
) -> Classification:
    """The classification with split lines moved (data units): personas and findings new, the rest shared."""
    unknown, pinned_rows, touch = _drag_state(cls)
    new = copy.copy(cls)
    new.playbook = playbook or cls.playbook
    new.x_split = cls.x_split if x_split is None else x_split
    new.y_split = cls.y_split if y_split is None else y_split
    new.computed_persona = classify_personas(new.x, new.y, new.x_split, new.y_split, unknown)
    new.persona = new.computed_persona.copy()
    new.persona[pinned_rows] = cls.persona[pinned_rows]
    if (new.playbook.high_touch, new.playbook.low_touch) != (cls.playbook.high_touch, cls.playbook.low_touch):
        touch = _touch_masks(new.playbook, new.tier)
    new.over_investment, new.under_investment = investment_flags(new.playbook, new.tier, new.persona, touch)
    return new


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
    from tierdesk.domain.overrides import planner_wallets, with_overrides  # they build on this module

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
