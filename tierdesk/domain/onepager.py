"""What a one-page account plan shows: the account, its tier and entitlements, its place in the 2x2 and its
pins, its relationship category and what that asks for, its figures, objectives and latest changes; and
which accounts a set of one-pagers covers, in the order they are printed."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tierdesk.domain.classify import AccountValues
from tierdesk.domain.objectives import KIND_LABELS
from tierdesk.domain.plan import Plan
from tierdesk.domain.playbook import PERSONAS, UNCLASSIFIED, Tier
from tierdesk.domain.reasons import reasons
from tierdesk.domain.texts import axis_text, money, number, percent

__all__ = [
    "CATEGORY_ASKS",
    "CHANGES_SHOWN",
    "WALLET_SOURCES",
    "OnePager",
    "OnePagerChange",
    "OnePagerObjective",
    "OnePagerPin",
    "account_sheet",
    "account_sheets",
    "onepager_rows",
]

#: What each relationship category asks of the seller: the step deeper its objectives aim for.
CATEGORY_ASKS = {
    "Strategic": "Grow from best-of-breed vendor to trusted advisor, with a broader relationship.",
    "Core": "Enterprise-wide agreements and deeper ties with senior executives; one or two further "
    "geographies or functions this year.",
    "Beachhead": "A major investment and a higher average deal size; reach the senior decision makers.",
    "Greenfield": "A first purchase; refresh the contacts and find the real buyers.",
}
#: Where a wallet figure comes from, as its label says it ("file": the territory file gives it; the others are
#: estimates: from comparable accounts, from company size, or the planner's own figure).
WALLET_SOURCES = {
    "file": "from the file",
    "peers": "estimated from peers",
    "firmographic": "estimated from size",
    "planner": "planner's figure",
}
CHANGES_SHOWN = 6  # the latest changes a one-pager lists
CHANGE_VALUE_CHARS = 90  # a change's from and to values are shortened to this (a note's text, say)
_MONEY_KINDS = frozenset({"revenue", "average_deal_size"})
_FIGURES = ("Revenue", "Wallet", "Share of wallet", "Growth potential", "Projected value", "Last purchase")
_FACTS = (("industry", "Industry"), ("segment", "Segment"), ("region", "Region"), ("country", "Country"))


@dataclass(frozen=True)
class OnePagerPin:
    """A manager's override on the account: what is pinned, to what, why and when."""

    field: str  # tier, persona or category
    value: str
    computed: str  # what the rules would give
    reason: str
    time: dt.datetime | None


@dataclass(frozen=True)
class OnePagerObjective:
    kind: str  # as people read it ("Relationship")
    description: str
    target: str  # "$7.2k → $10.8k", "2", "done"; "" when none
    due: dt.date | None
    status: str
    notes: str


@dataclass(frozen=True)
class OnePagerChange:
    time: dt.datetime
    user: str
    what: str
    old: str
    new: str
    reason: str


@dataclass(frozen=True)
class OnePager:
    """Everything one account's page shows, as text ready to print (figures also as numbers)."""

    plan_title: str
    period: tuple[dt.date, dt.date]
    plan_owner: str
    plan_date: dt.date
    account_id: str
    name: str
    owner: str
    territory: str
    facts: tuple[tuple[str, str], ...]  # industry, segment, region, country where known
    tier: str
    tier_rank: int  # 0 = top tier; -1 Unclassified
    tier_reason: str
    role: str
    entitlements: tuple[tuple[str, str], ...]
    persona: str
    persona_reason: str
    persona_box: int  # where the account's figures put it (PERSONAS index; -1: unknown)
    position: tuple[float, float] | None  # (x, y) in 0..1 within the 2x2, the split lines at 0.5
    axes: tuple[str, str]  # the 2x2's axis texts, e.g. "share of wallet 12% (split 35%)"
    box_counts: tuple[int, ...]  # accounts per persona, in PERSONAS order
    category: str
    category_ask: str
    category_reason: str
    pins: tuple[OnePagerPin, ...]
    figures: tuple[tuple[str, str], ...]  # (label, text): revenue, wallet, share, potential, ...
    revenue: float
    wallet: float
    wallet_source: str  # a WALLET_SOURCES key (file, peers, firmographic, planner); "" when none is known
    share_of_wallet: float
    potential: float
    finding: str  # over- or under-investment, in words; "" when none
    objectives: tuple[OnePagerObjective, ...]
    completeness: float  # 0..1
    missing: str
    changes: tuple[OnePagerChange, ...]  # newest first, at most CHANGES_SHOWN

    @property
    def title(self) -> str:
        """The name a list of pages (a PDF's bookmarks) shows: "Name (ID)"."""
        if self.name and self.account_id and self.name != self.account_id:
            return f"{self.name} ({self.account_id})"
        return self.name or self.account_id


def account_sheet(plan: Plan, row: int) -> OnePager:
    """The one-pager of the account at `row`."""
    return account_sheets(plan, [row])[0]


def account_sheets(plan: Plan, rows: Sequence[int] | np.ndarray) -> list[OnePager]:
    """The one-pagers of these account rows, in the order given. The plan-wide parts (positions in the 2x2,
    objective and history lookups) are worked out once for all of them."""
    rows = np.asarray(rows, dtype=np.int64)
    if not len(rows):
        return []
    shared = _Shared(plan, rows)
    return [shared.sheet(i, int(r)) for i, r in enumerate(rows.tolist())]


def onepager_rows(
    plan: Plan,
    *,
    owner: str | None = None,
    tier: str | None = None,
    account: str | None = None,
    among: Sequence[int] | np.ndarray | None = None,
) -> np.ndarray:
    """The account rows a set of one-pagers covers (all, or those `among` these rows, or one owner's, one
    tier's, or one account id's), ordered as they are printed: by owner, then tier (top first), then name.
    Raises ValueError naming the choices when the owner, tier or account is not in the plan."""
    a, cls = plan.accounts, plan.classification
    keep = np.ones(len(a), bool)
    if among is not None:
        keep[:] = False
        keep[np.asarray(among, dtype=np.int64)] = True
    if owner is not None:
        keep &= _matches(a, "owner", owner, "owner")
    if tier is not None:
        names = [n.casefold() for n in plan.playbook.tier_names]
        if tier.strip().casefold() not in names:
            raise ValueError(f"no tier named {tier!r}; the tiers are {', '.join(plan.playbook.tier_names)}")
        keep &= cls.tier == names.index(tier.strip().casefold())
    if account is not None:
        keep &= _matches(a, "account_id", account, "account ID")
    rows = np.flatnonzero(keep)
    order = pd.DataFrame(
        {
            "owner": _texts(a, "owner")[rows],
            "tier": np.where(cls.tier[rows] < 0, 127, cls.tier[rows]),
            "name": pd.Series(_texts(a, "account_name")[rows]).str.casefold().to_numpy(object),
        }
    ).sort_values(["owner", "tier", "name"], kind="stable")
    return rows[order.index.to_numpy()]


def _matches(a: pd.DataFrame, column: str, wanted: str, what: str) -> np.ndarray:
    if column not in a.columns:
        raise ValueError(f"the plan's accounts have no {what}")
    values = pd.Series(_texts(a, column)).str.strip().str.casefold()
    hit = (values == wanted.strip().casefold()).to_numpy(bool)
    if not hit.any():
        known = sorted(set(_texts(a, column).tolist()) - {""})
        shown = ", ".join(known[:12]) + (f" and {len(known) - 12:,} more" if len(known) > 12 else "")
        raise ValueError(f"no account has the {what} {wanted!r}" + (f"; there are: {shown}" if known else ""))
    return hit


def _texts(a: pd.DataFrame, column: str) -> np.ndarray:
    """A column as plain str (missing as "")."""
    if column not in a.columns:
        return np.full(len(a), "", dtype=object)
    return a[column].astype("string").fillna("").str.strip().to_numpy(object)


def _wallet(plan: Plan, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The wallet these rows were classified with and where it comes from (file, peers, firmographic,
    planner; "" where no wallet is known). The one place a one-pager learns the wallet's source."""
    cls = plan.classification
    source = np.asarray(cls.wallet_source.astype(object)[rows], dtype=object)
    return cls.wallet[rows], np.where(pd.isna(source), "", source).astype(str)


def _positions(values: np.ndarray, split: float) -> np.ndarray:
    """Where each value sits along a 2x2 axis, 0..1 with the split line at 0.5: its rank among the
    accounts on the same side of the split (so a skewed axis still spreads the points); NaN where unknown."""
    out = np.full(len(values), np.nan)
    known = np.isfinite(values)
    if not math.isfinite(split):
        return out
    for high in (False, True):
        side = known & ((values >= split) if high else (values < split))
        if side.any():  # ranks centred in their slots: one account alone sits mid-box
            ranks = pd.Series(values[side]).rank(method="average", pct=True).to_numpy()
            out[side] = 0.5 * high + 0.5 * (ranks - 0.5 / side.sum())
    return np.clip(out, 0.02, 0.98)


def _date(value: Any) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _text(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()


def _entitlements(t: Tier | None) -> tuple[tuple[str, str], ...]:
    if t is None:
        return ()

    def num(v: float) -> str:
        return f"{v:g}"

    return (
        ("Touches / quarter", num(t.touches_per_quarter)),
        ("Business reviews / year", num(t.business_reviews_per_year)),
        ("Executive sponsor", "Yes" if t.executive_sponsor else "No"),
        ("Marketing", t.marketing),
        ("Support", t.support),
        *((str(k), _text(v)) for k, v in t.extra),
    )


class _Shared:
    """The parts of a one-pager worked out once for a whole set of them."""

    def __init__(self, plan: Plan, rows: np.ndarray) -> None:
        self.plan, self.rows = plan, rows
        cls, a, pb = plan.classification, plan.accounts, plan.playbook
        self.cls, self.currency = cls, pb.currency
        self.ids = _texts(a, "account_id")
        self.wallet, self.wallet_source = _wallet(plan, rows)
        # the potential the accounts were classified with: from the file, or from the wallet as estimated
        self.potential = AccountValues(a, cls.wallets).get("potential")[0][rows]
        self.x = _positions(cls.x, cls.x_split)[rows]
        self.y = _positions(cls.y, cls.y_split)[rows]
        self.reasons = {w: reasons(cls, w, rows) for w in ("tier", "persona", "category")}
        self.computed = {w: getattr(cls, f"computed_{w}")[rows] for w in ("tier", "persona", "category")}
        counts = np.bincount(cls.persona[cls.persona >= 0].astype(np.int64), minlength=len(PERSONAS))
        self.box_counts = tuple(int(c) for c in counts[: len(PERSONAS)])
        done = plan.completeness()
        self.complete = done["complete"].to_numpy(float)[rows]
        self.missing = done["missing"].astype("string").fillna("").to_numpy(object)[rows]
        wanted = set(self.ids[rows].tolist()) - {""}
        self.objectives = _objective_lines(plan.objectives, wanted, pb.currency)
        history = plan.history
        history = history[history["account_id"].isin(wanted)]
        self.history = dict(tuple(history.groupby("account_id", sort=False)))
        self.columns = {c: _texts(a, c) for c in ("owner", "territory", *(c for c, _ in _FACTS))}
        self.figures = self._figures(rows)
        self.period = plan.info.period(plan.as_of)
        self.names = _texts(a, "account_name")
        self.roles = cls.role[rows]
        self.axes = [
            np.strings.add(
                f"{_axis_name(formula)} ",
                np.strings.add(
                    axis_text(formula, values[rows], pb.currency),
                    f" (split {axis_text(formula, np.array([split]), pb.currency)[0]})",
                ),
            )
            for formula, values, split in (
                (pb.personas.x, cls.x, cls.x_split),
                (pb.personas.y, cls.y, cls.y_split),
            )
        ]

    def name(self, what: str, code: int) -> str:
        names = self.cls.names(what)
        return names[code] if 0 <= code < len(names) else UNCLASSIFIED

    def sheet(self, i: int, row: int) -> OnePager:
        plan, cls = self.plan, self.cls
        pb = plan.playbook
        account_id = str(self.ids[row])
        tier_code = int(cls.tier[row])
        tier = pb.tiers[tier_code] if 0 <= tier_code < len(pb.tiers) else None
        role_code = int(self.roles[i])
        return OnePager(
            plan_title=plan.info.title or pb.name,
            period=self.period,
            plan_owner=plan.info.owner,
            plan_date=plan.as_of.date(),
            account_id=account_id,
            name=self.names[row] or account_id or f"row {row + 1}",
            owner=self.columns["owner"][row],
            territory=self.columns["territory"][row],
            facts=tuple((label, self.columns[c][row]) for c, label in _FACTS if self.columns[c][row]),
            tier=self.name("tier", tier_code),
            tier_rank=tier_code,
            tier_reason=str(self.reasons["tier"][i]),
            role=pb.role_names[role_code] if 0 <= role_code < len(pb.role_names) else "",
            entitlements=_entitlements(tier),
            persona=self.name("persona", int(cls.persona[row])),
            persona_reason=str(self.reasons["persona"][i]),
            persona_box=int(self.computed["persona"][i]),
            position=None
            if np.isnan(self.x[i]) or np.isnan(self.y[i])
            else (float(self.x[i]), float(self.y[i])),
            axes=(str(self.axes[0][i]), str(self.axes[1][i])),
            box_counts=self.box_counts,
            category=self.name("category", int(cls.category[row])),
            category_ask=CATEGORY_ASKS.get(self.name("category", int(cls.category[row])), ""),
            category_reason=str(self.reasons["category"][i]),
            pins=self._pins(i, row, account_id),
            figures=tuple(zip(self._labels(i), self.figures[i], strict=True)),
            revenue=float(cls.revenue[row]),
            wallet=float(self.wallet[i]),
            wallet_source=str(self.wallet_source[i]),
            share_of_wallet=float(cls.share_of_wallet[row]),
            potential=float(self.potential[i]),
            finding=self._finding(row),
            objectives=self.objectives.get(account_id, ()),
            completeness=float(self.complete[i]) if np.isfinite(self.complete[i]) else 0.0,
            missing=str(self.missing[i]),
            changes=self._changes(account_id),
        )

    def _pins(self, i: int, row: int, account_id: str) -> tuple[OnePagerPin, ...]:
        pins = []
        for what in ("tier", "persona", "category"):
            if not getattr(self.cls, f"pinned_{what}")[row]:
                continue
            override = self.plan.override(account_id, what)
            pins.append(
                OnePagerPin(
                    field=what,
                    value=self.name(what, int(getattr(self.cls, what)[row])),
                    computed=self.name(what, int(self.computed[what][i])),
                    reason=self.cls.pin_reasons[what].get(row, "") or (override.reason if override else ""),
                    time=override.time if override else None,
                )
            )
        return tuple(pins)

    def _figures(self, rows: np.ndarray) -> list[tuple[str, ...]]:
        """Per row, the texts of _FIGURES."""
        cls, cur = self.cls, self.currency
        wallet = money(self.wallet, cur).astype(object)
        wallet[~np.isfinite(self.wallet)] = "not known"
        last = cls.last_purchase[rows]
        columns = [
            money(cls.revenue[rows], cur),
            wallet,
            percent(cls.share_of_wallet[rows]),
            money(self.potential, cur),
            money(cls.projected_value[rows], cur),
            np.where(np.isnat(last), "none on record", np.datetime_as_string(last, "D")),
        ]
        return [tuple(str(v) for v in values) for values in zip(*columns, strict=True)]

    def _labels(self, i: int) -> tuple[str, ...]:
        """The figures' labels; the wallet's names where it comes from."""
        source = WALLET_SOURCES.get(str(self.wallet_source[i]))
        wallet = f"Wallet ({source})" if source else "Wallet"
        return tuple(wallet if label == "Wallet" else label for label in _FIGURES)

    def _finding(self, row: int) -> str:
        if self.cls.over_investment[row]:
            return "Over-investment: a high-touch tier on an account with little growth potential."
        if self.cls.under_investment[row]:
            return "Under-investment: a low-touch tier on a large opportunity."
        return ""

    def _changes(self, account_id: str) -> tuple[OnePagerChange, ...]:
        table = self.history.get(account_id)
        if table is None:
            return ()
        latest = table.iloc[::-1].head(CHANGES_SHOWN)
        return tuple(
            OnePagerChange(
                pd.Timestamp(t).to_pydatetime(),
                _text(u),
                _text(w),
                _short(_text(o)),
                _short(_text(n)),
                _short(_text(r), 200),
            )
            for t, u, w, o, n, r in latest[["time", "user", "what", "old", "new", "reason"]].itertuples(
                index=False
            )
        )


def _objective_lines(
    table: pd.DataFrame, accounts: set[str], currency: str
) -> dict[str, tuple[OnePagerObjective, ...]]:
    """The objectives of these accounts as one-pager lines, by account id (in objective order)."""
    table = table[table["account_id"].isin(accounts)]
    kinds = table["kind"].astype("string").fillna("").to_numpy(object)
    targets = table["target"].to_numpy(float)
    current = table["current"].to_numpy(float)
    as_money = np.isin(kinds, list(_MONEY_KINDS))
    goal = np.where(as_money, money(targets, currency), number(targets))
    was = np.where(as_money, money(current, currency), number(current))
    goal = np.where(np.isfinite(current), np.strings.add(np.strings.add(was, " → "), goal), goal)
    goal = np.where(np.isfinite(targets), goal, "")
    words = table["target_text"].astype("string").fillna("").str.strip().to_numpy(object)
    goal = np.where(words != "", words, goal)
    due = table["due"].to_numpy("datetime64[ns]").astype("datetime64[D]").astype(object)  # date or None
    out: dict[str, list[OnePagerObjective]] = {}
    for account, kind, description, target, when, status, notes in zip(
        table["account_id"].astype("string").to_numpy(object),
        kinds.tolist(),
        table["description"].astype("string").fillna("").to_numpy(object),
        goal.tolist(),
        due.tolist(),
        table["status"].astype("string").fillna("").to_numpy(object),
        table["notes"].astype("string").fillna("").to_numpy(object),
        strict=True,
    ):
        out.setdefault(account, []).append(
            OnePagerObjective(
                kind=KIND_LABELS.get(kind, kind.capitalize()),
                description=description.strip(),
                target=str(target),
                due=when,
                status=status.strip(),
                notes=notes.strip(),
            )
        )
    return {k: tuple(v) for k, v in out.items()}


def _short(text: str, limit: int = CHANGE_VALUE_CHARS) -> str:
    """A changed value as the list of changes shows it: the plan itself shows the full text."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _axis_name(formula: Any) -> str:
    names = [f for f, _ in formula]
    return names[0].replace("_", " ") if len(names) == 1 else "score"
