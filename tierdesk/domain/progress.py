"""Progress against a saved plan from newer account data: revenue against target, objectives met, and
attainment by owner, territory and tier."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray

from tierdesk.domain.classify import field_values
from tierdesk.domain.compare import keyed_rows, objects
from tierdesk.domain.coverage import group_codes
from tierdesk.domain.plan import Plan
from tierdesk.domain.playbook import UNCLASSIFIED
from tierdesk.domain.texts import money, number

__all__ = ["FLAG_COLUMNS", "GROUP_COLUMNS", "Progress", "progress"]

#: Objective kinds judged (besides their status) from a yes/no column of the newer data.
FLAG_COLUMNS: dict[str, str] = {"referenceability": "referenceable", "relationship": "executive_sponsor"}
#: Columns of the by_owner, by_territory and by_tier tables (index: the group's name).
GROUP_COLUMNS = (
    "accounts",
    "objectives",
    "met",
    "met_share",
    "revenue_then",
    "revenue_now",
    "revenue_target",
    "revenue_now_targeted",
    "revenue_attainment",
)
_TRUE = frozenset({"true", "yes", "y", "1", "x", "ja", "oui", "si", "sí"})
DEAL_SIZE_COLUMNS = ("average_deal_size", "avg_deal_size", "deal_size")


def _num(value: Any) -> float | None:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _column(values: pd.Series) -> list[Any]:
    """A column as JSON-ready values: None for missing or non-finite, dates as ISO text."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        days = values.dt.strftime("%Y-%m-%d")
        return [None if pd.isna(d) else d for d in days.tolist()]
    if pd.api.types.is_bool_dtype(values.dtype):
        return [None if pd.isna(b) else bool(b) for b in values.tolist()]
    if pd.api.types.is_integer_dtype(values.dtype):
        return [None if pd.isna(i) else int(i) for i in values.tolist()]
    if pd.api.types.is_float_dtype(values.dtype):
        numbers = values.to_numpy(dtype=float, na_value=np.nan)
        out = numbers.astype(object)
        out[~np.isfinite(numbers)] = None
        return out.tolist()
    return [None if v is None or v is pd.NA or v != v else str(v) for v in values.tolist()]


def _records(frame: pd.DataFrame, index: str | None = None) -> list[dict[str, Any]]:
    table = frame.reset_index(names=index) if index else frame
    columns = [str(c) for c in table.columns]
    values = [_column(table[c]) for c in table.columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


@dataclass(eq=False)
class Progress:
    """Progress of a plan. Shares and attainment are fractions (0.5 is 50%); NaN where nothing to measure.
    revenue_attainment compares the revenue now of the accounts that have a revenue target with those
    targets (an account's target: the highest of its revenue objectives)."""

    per_account: pd.DataFrame
    per_objective: pd.DataFrame  # the plan's objective rows + value_now, met, evidence
    by_owner: pd.DataFrame
    by_territory: pd.DataFrame
    by_tier: pd.DataFrame
    plan_date: pd.Timestamp
    currency: str = "$"
    notes: list[str] = field(default_factory=list)

    def totals(self) -> dict[str, Any]:
        """The whole plan's figures (as one group of the by_* tables), None where nothing to measure."""
        a = self.per_account
        whole = _grouped(a, np.zeros(len(a), np.intp), ["all"], keep_all=1).iloc[0]
        out: dict[str, Any] = {"accounts": len(a)}
        for name in GROUP_COLUMNS[1:]:
            out[name] = int(whole[name]) if name in ("objectives", "met") else _num(whole[name])
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "plan_date": self.plan_date.date().isoformat(),
            "currency": self.currency,
            "totals": self.totals(),
            "by_owner": _records(self.by_owner, "owner"),
            "by_territory": _records(self.by_territory, "territory"),
            "by_tier": _records(self.by_tier, "tier"),
            "accounts": _records(self.per_account),
            "objectives": _records(self.per_objective),
            "notes": list(self.notes),
        }


def _flags(accounts: pd.DataFrame, column: str) -> np.ndarray | None:
    """A yes/no column as bools (missing is no); None when the column is absent."""
    if column not in accounts.columns:
        return None
    values = accounts[column]
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("boolean").fillna(False).to_numpy(bool)
    if pd.api.types.is_numeric_dtype(values.dtype):
        return (values.fillna(0) != 0).to_numpy(bool)
    text = values.astype("string").str.strip().str.lower()
    return text.isin(list(_TRUE)).fillna(False).to_numpy(bool)


def _numbers(accounts: pd.DataFrame, column: str) -> np.ndarray:
    values = pd.to_numeric(accounts[column], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    return np.where(np.isfinite(values), values, np.nan)


def _deal_size(accounts: pd.DataFrame) -> tuple[np.ndarray, str] | None:
    """Average deal size per row: a deal size column, or revenue / orders; None when neither exists."""
    for column in DEAL_SIZE_COLUMNS:
        if column in accounts.columns:
            return _numbers(accounts, column), column
    if "order_count" in accounts.columns:
        revenue, orders = field_values(accounts, "revenue")[0], _numbers(accounts, "order_count")
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(
                orders > 0, revenue / np.where(orders > 0, orders, 1.0), np.nan
            ), "revenue / orders"
    return None


def _breadth_fields(plan: Plan, objectives: pd.DataFrame) -> np.ndarray:
    """The field ("areas" or "products") each objective's breadth is counted in: its template's, else the
    playbook's category rule."""
    known = {
        (f"{o.scope}: {o.group}", o.kind): o.target.field
        for o in plan.playbook.objectives
        if o.target.field in ("areas", "products")
    }
    fallback = plan.playbook.categories.breadth
    pairs = zip(objectives["template"].tolist(), objectives["kind"].tolist(), strict=True)
    return np.array([known.get((t, k), fallback) for t, k in pairs], dtype=object)


class _Verdicts:
    """Objective rows being judged: the value measured now, met, and the evidence in words."""

    def __init__(self, objectives: pd.DataFrame, found: np.ndarray) -> None:
        n = len(objectives)
        self.found = found
        self.target = objectives["target"].to_numpy(float)
        status = objectives["status"].astype("string").fillna("").to_numpy(dtype=object)
        self.met = status == "Met"
        self.value = np.full(n, np.nan)
        self.evidence = np.strings.add("status: ", status.astype(str)).astype(object)
        self.evidence[~found] = self.evidence[~found] + " (account not in the newer data)"

    def say(self, mask: np.ndarray, *parts: str | np.ndarray | Callable[[np.ndarray], np.ndarray]) -> None:
        """Evidence for the masked rows, joined from texts, per-row arrays (full length) and functions giving
        the texts of the masked rows (so only those are formatted)."""
        if not mask.any():
            return
        text = np.full(int(mask.sum()), "")
        for p in parts:
            piece = p(mask) if callable(p) else p[mask] if isinstance(p, np.ndarray) else p
            text = np.strings.add(text, np.asarray(piece).astype(str))
        self.evidence[mask] = text.astype(object)

    def measure(
        self, mask: np.ndarray, now: np.ndarray, what: str, shown: Callable[[np.ndarray], np.ndarray]
    ) -> None:
        """Met where the value now reaches the target (rows where both are known and the target is above
        zero: a zero target measures nothing); `shown` writes values."""
        ok = mask & self.found & np.isfinite(now) & np.isfinite(self.target) & (self.target > 0)
        self.value[ok] = now[ok]
        self.met[ok] = now[ok] >= self.target[ok]
        target = self.target
        self.say(ok, what, " now ", lambda m: shown(now[m]), " vs target ", lambda m: shown(target[m]))


def _judge(plan: Plan, newer: pd.DataFrame, objectives: pd.DataFrame, at: np.ndarray) -> None:
    """Add value_now, met and evidence to the objective rows; `at` is each one's row in `newer` (-1: none)."""
    cur = plan.playbook.currency
    found = at >= 0
    pick = np.maximum(at, 0)
    kind = objectives["kind"].to_numpy(dtype=object)
    v = _Verdicts(objectives, found)

    def now(values: np.ndarray) -> np.ndarray:
        return values[pick] if len(values) else np.full(len(pick), np.nan)

    revenue = now(field_values(newer, "revenue")[0])

    def amount(values: np.ndarray) -> np.ndarray:
        return money(values, cur)

    v.measure(kind == "revenue", revenue, "revenue", amount)

    first = (kind == "first_purchase") & found
    if first.any():
        by_revenue = np.isfinite(revenue) & (revenue > 0)
        since = np.zeros(len(kind), bool)
        when = np.full(len(kind), np.datetime64("NaT"), "datetime64[ns]")
        dated = "last_purchase" in newer.columns
        if dated:
            last = pd.to_datetime(newer["last_purchase"], errors="coerce")
            if getattr(last.dt, "tz", None) is not None:
                last = last.dt.tz_localize(None)
            when = now(last.to_numpy("datetime64[ns]"))
            since = ~np.isnat(when) & (when > plan.as_of.to_datetime64())
        judged = first & (np.isfinite(revenue) | dated)
        bought = by_revenue | since
        v.value[judged] = bought[judged].astype(float)
        v.met[judged] = bought[judged]
        v.say(judged & by_revenue, "revenue now ", lambda m: amount(revenue[m]))
        v.say(
            judged & ~by_revenue & since,
            "last purchase ",
            lambda m: np.datetime_as_string(when[m], unit="D"),
            f", after the plan date {plan.as_of.date().isoformat()}",
        )
        v.say(judged & ~bought, "no purchase since the plan date")

    breadth = kind == "breadth"
    if breadth.any():
        fields = np.full(len(kind), None, dtype=object)
        fields[breadth] = _breadth_fields(plan, objectives[breadth])
        for name in ("areas", "products"):
            mask = breadth & (fields == name)
            if mask.any() and name in newer.columns:
                reach = now(field_values(newer, name)[0])
                v.measure(mask, reach, name, number)

    deal = kind == "average_deal_size"
    sized = _deal_size(newer) if deal.any() else None
    if sized is not None:
        size = now(sized[0])
        v.measure(deal, size, f"average deal size ({sized[1]})", amount)

    for what, column in FLAG_COLUMNS.items():
        mask = (kind == what) & found
        flag = _flags(newer, column) if mask.any() else None
        if flag is not None:
            yes = now(flag.astype(float)) > 0
            v.value[mask] = yes[mask].astype(float)
            v.say(mask & yes & ~v.met, column.replace("_", " "), ": yes in the newer data")
            v.met |= mask & yes
    objectives["value_now"] = v.value
    objectives["met"] = v.met
    objectives["evidence"] = pd.array(v.evidence, dtype="string")


def _grouped(frame: pd.DataFrame, codes: np.ndarray, names: list[str], keep_all: int = 0) -> pd.DataFrame:
    """Sums per group: accounts, objectives, met, revenues; shares from the sums. Empty groups go, except
    the first `keep_all`."""
    k = len(names)
    target = frame["revenue_target"].to_numpy(float)
    now = np.nan_to_num(frame["revenue_now"].to_numpy(float))
    has_target = np.isfinite(target) & (target > 0)

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(codes, np.nan_to_num(np.asarray(values, float)), minlength=k)

    out = pd.DataFrame(
        {
            "accounts": np.bincount(codes, minlength=k).astype(np.int64),
            "objectives": total(frame["objectives"].to_numpy()).astype(np.int64),
            "met": total(frame["met"].to_numpy()).astype(np.int64),
            "revenue_then": total(frame["revenue_then"].to_numpy(float)),
            "revenue_now": total(now),
            "revenue_target": total(np.where(has_target, target, 0.0)),
            "revenue_now_targeted": total(np.where(has_target, now, 0.0)),
        },
        index=pd.Index(names, name="group", dtype=object),
    )
    objectives, met = out["objectives"].to_numpy(float), out["met"].to_numpy(float)
    goal, reached = out["revenue_target"].to_numpy(float), out["revenue_now_targeted"].to_numpy(float)
    out["met_share"] = np.where(objectives > 0, met / np.maximum(objectives, 1.0), np.nan)
    out["revenue_attainment"] = np.where(goal > 0, reached / np.where(goal > 0, goal, 1.0), np.nan)
    keep = (np.arange(k) < keep_all) | (out["accounts"].to_numpy() > 0)
    return out.loc[keep, list(GROUP_COLUMNS)]


def progress(plan: Plan, newer_accounts: pd.DataFrame) -> Progress:
    """How far the plan has come, judged from newer account data matched by account_id.

    Met, per objective kind: revenue when revenue now ≥ target; first purchase when revenue now > 0 or the
    last purchase is after the plan date; breadth when products/areas now ≥ target; average deal size when
    the deal size (a deal size column, or revenue / orders) ≥ target. Where the newer data cannot tell
    (no value, no target above zero, account gone) and for relationship, agreement, referenceability and
    custom objectives, the objective's status decides (Met); referenceability and relationship objectives
    are also met when the newer data says referenceable / executive_sponsor = yes.
    Accounts are grouped by the plan's owner, territory and tier (the plan being tracked).
    """
    notes: list[str] = []
    keys, rows, blank, repeat = keyed_rows(plan.accounts)
    if blank:
        notes.append(f"{blank:,} plan rows have no account id: left out")
    if repeat:
        notes.append(f"{repeat:,} plan rows repeat an account id: the first row counts")
    new_keys, new_rows, _, _ = keyed_rows(newer_accounts)
    at_newer = new_keys.get_indexer(keys)
    newer_row = _take(new_rows, at_newer, -1)
    gone = int((at_newer < 0).sum())
    if gone:
        notes.append(f"{gone:,} plan accounts are not in the newer data: revenue now counted as 0")
    now = _take(field_values(newer_accounts, "revenue")[0], newer_row, np.nan)

    objectives = plan.objectives.copy()
    n = len(keys)
    account = keys.get_indexer(pd.Index(objects(objectives["account_id"].astype("string")), dtype="object"))
    at = _take(newer_row, account, -1)
    _judge(plan, newer_accounts, objectives, at)
    missing = int((at < 0).sum())
    if missing:
        notes.append(
            f"{missing:,} objectives belong to accounts not in the newer data: judged by their status"
        )
    mine = account >= 0
    count = np.bincount(account[mine], minlength=n)
    met = np.bincount(account[mine], objectives["met"].to_numpy(bool)[mine], minlength=n).astype(np.int64)
    revenue_goal = objectives["target"].where((objectives["kind"] == "revenue").to_numpy(bool))
    goal = revenue_goal.groupby(account).max().reindex(range(n)).to_numpy(float)
    cls = plan.classification
    tier_names = [*cls.tier_names, UNCLASSIFIED]
    with np.errstate(divide="ignore", invalid="ignore"):
        per_account = pd.DataFrame(
            {
                "account_id": pd.array(np.asarray(keys, dtype=object), dtype="string"),
                "account_name": _text(plan.accounts, "account_name", rows),
                "owner": _text(plan.accounts, "owner", rows),
                "territory": _text(plan.accounts, "territory", rows),
                "tier": np.array(tier_names, dtype=object)[cls.tier[rows]],
                "revenue_then": cls.revenue[rows],
                "revenue_now": now,
                "revenue_target": goal,
                "revenue_attainment": np.where(goal > 0, now / np.where(goal > 0, goal, 1.0), np.nan),
                "objectives": count.astype(np.int64),
                "met": met,
                "met_share": np.where(count > 0, met / np.maximum(count, 1), np.nan),
            }
        )
    subset = plan.accounts.iloc[rows]
    groups = {c: group_codes(subset, c) for c in ("owner", "territory")}
    tier_codes = np.where(cls.tier[rows] < 0, len(cls.tier_names), cls.tier[rows]).astype(np.intp)
    return Progress(
        per_account=per_account,
        per_objective=objectives,
        by_owner=_grouped(per_account, *groups["owner"]),
        by_territory=_grouped(per_account, *groups["territory"]),
        by_tier=_grouped(per_account, tier_codes, tier_names, keep_all=len(cls.tier_names)),
        plan_date=plan.as_of,
        currency=plan.playbook.currency,
        notes=notes,
    )


def _take(values: np.ndarray, at: np.ndarray, missing: Any) -> np.ndarray:
    """values[at], with `missing` where at is -1 (values may be empty)."""
    if not len(values):
        return np.full(len(at), missing, dtype=np.result_type(values.dtype, np.asarray(missing).dtype))
    return np.where(at >= 0, values[np.maximum(at, 0)], missing)


def _text(accounts: pd.DataFrame, column: str, rows: np.ndarray) -> ExtensionArray:
    """A column's values at these rows as text (missing where absent)."""
    if column not in accounts.columns:
        return pd.array([None] * len(rows), dtype="string")
    values = objects(accounts[column].iloc[rows].astype("string"))
    return pd.array(values, dtype="string")
