"""What a classification is: tier, persona and category codes per account with what decided them, the
planner's pins (overrides) as values, and what follows from the codes alone (covering role, over- and
under-investment, personas with the split lines moved)."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime

import numpy as np
import pandas as pd

from tierdesk.domain.plan_date import PlanDate
from tierdesk.domain.playbook import CATEGORIES, PERSONAS, Playbook
from tierdesk.domain.wallet import SOURCES, WalletEstimate

__all__ = [
    "PINNABLE",
    "Classification",
    "Override",
    "Overrides",
    "OverridesLike",
    "classify_personas",
    "covering_role",
    "investment_flags",
    "reclassify_personas",
    "touch_masks",
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


def covering_role(pb: Playbook, tier: np.ndarray, persona: np.ndarray) -> np.ndarray:
    """Index into pb.roles of the role covering each account: its tier's or its persona's (pb.role_from)."""
    by = [t.role for t in pb.tiers] if pb.role_from == "tier" else list(pb.personas.roles)
    lut = np.array([pb.role_names.index(r) for r in by] + [-1], np.int8)
    return lut[tier if pb.role_from == "tier" else persona]


def touch_masks(pb: Playbook, tier: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    high = np.array([n in pb.high_touch for n in pb.tier_names] + [False])
    low = np.array([n in pb.low_touch for n in pb.tier_names] + [False])
    return high[tier], low[tier]


def investment_flags(
    pb: Playbook, tier: np.ndarray, persona: np.ndarray, touch: tuple[np.ndarray, np.ndarray] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(over-investment, under-investment): high-touch tier with low potential; low-touch tier with high.

    `touch` may carry the accounts' (high-touch, low-touch) tier masks when the tiers did not change.
    """
    high, low = touch or touch_masks(pb, tier)
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
            touch_masks(cls.playbook, cls.tier),
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
        touch = touch_masks(new.playbook, new.tier)
    new.over_investment, new.under_investment = investment_flags(new.playbook, new.tier, new.persona, touch)
    return new
