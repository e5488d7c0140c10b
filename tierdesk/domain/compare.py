"""Two plans side by side: accounts that changed tier, persona or category and why (data, rule or override),
new and dropped accounts, owner changes, and the change in sellers needed and cost of sales."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from tierdesk.domain.classification import PINNABLE, Classification
from tierdesk.domain.classify import classify
from tierdesk.domain.owners import OWNER
from tierdesk.domain.plan import Plan
from tierdesk.domain.playbook import UNCLASSIFIED

__all__ = ["CAUSES", "Comparison", "compare_plans", "keyed_rows", "objects", "plan_from_territory"]

#: Why an account changed: its own data, the playbook's rules, or a manager's pin.
CAUSES: tuple[str, ...] = ("data", "rule", "override")
MOVED_COLUMNS = ("account_id", "account_name", "field", "from", "to", "cause")
OWNER_COLUMNS = ("account_id", "account_name", "from", "to", "cause", "reason")


def _num(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _text(value: Any) -> str | None:
    return (
        None
        if value is None or value is pd.NA or (isinstance(value, float) and value != value)
        else str(value)
    )


@dataclass(eq=False)
class Comparison:
    """What changed from an old plan to a new one. Accounts are matched by account_id (the first row of an
    id that repeats); `moved` has one row per account and field that changed, `cause` one of CAUSES."""

    moved: pd.DataFrame  # account_id, account_name, field, from, to, cause
    added: pd.DataFrame  # account_id, account_name: accounts only the new plan has
    dropped: pd.DataFrame  # account_id, account_name: accounts only the old plan has
    owner_changes: pd.DataFrame  # account_id, account_name, from, to, cause ("reassigned" or "data"), reason
    sellers_delta: float
    cost_delta: float
    disruption: int  # accounts changing owner or tier, each counted once
    sellers: tuple[float, float] = (0.0, 0.0)  # old, new
    cost: tuple[float, float] = (0.0, 0.0)
    accounts: tuple[int, int] = (0, 0)  # account rows in the old and the new plan
    matched: int = 0  # accounts in both
    currency: str = "$"
    notes: list[str] = field(default_factory=list)

    def moved_counts(self) -> dict[str, dict[str, int]]:
        """field → cause → accounts moved."""
        counts = self.moved.groupby(["field", "cause"]).size() if len(self.moved) else pd.Series(dtype=int)
        return {f: {c: int(counts.get((f, c), 0)) for c in CAUSES} for f in PINNABLE}

    def to_json(self) -> dict[str, Any]:
        """The comparison as JSON-ready plain data (None for unknown numbers and names)."""
        moved = [
            {"account": _text(a), "account_name": _text(n), "field": f, "from": fr, "to": to, "cause": c}
            for a, n, f, fr, to, c in self.moved[list(MOVED_COLUMNS)].itertuples(index=False)
        ]
        owners = [
            {
                "account": _text(a),
                "account_name": _text(n),
                "from": _text(fr),
                "to": _text(to),
                "cause": c,
                "reason": _text(why) or None,
            }
            for a, n, fr, to, c, why in self.owner_changes[list(OWNER_COLUMNS)].itertuples(index=False)
        ]
        return {
            "accounts": {"old": self.accounts[0], "new": self.accounts[1], "matched": self.matched},
            "moved": moved,
            "moved_counts": self.moved_counts(),
            "added": [str(a) for a in self.added["account_id"].tolist()],
            "dropped": [str(a) for a in self.dropped["account_id"].tolist()],
            "owner_changes": owners,
            "sellers": {"old": _num(self.sellers[0]), "new": _num(self.sellers[1])},
            "cost": {"old": _num(self.cost[0]), "new": _num(self.cost[1])},
            "sellers_delta": _num(self.sellers_delta),
            "cost_delta": _num(self.cost_delta),
            "disruption": self.disruption,
            "currency": self.currency,
            "notes": list(self.notes),
        }


def objects(values: pd.Series) -> np.ndarray:
    """A column as an object array with None where a value is missing."""
    out = values.to_numpy(dtype=object, copy=True)
    out[pd.isna(out)] = None
    return out


def keyed_rows(accounts: pd.DataFrame) -> tuple[pd.Index, np.ndarray, int, int]:
    """(account ids, their rows): the first row of each account id. Also how many rows have no id and how
    many repeat an id seen above them (both left out)."""
    if "account_id" not in accounts.columns:
        return pd.Index([], dtype="object"), np.zeros(0, np.int64), len(accounts), 0
    ids = accounts["account_id"].astype("string")
    known = ids.notna().to_numpy(bool)
    first = known & ~ids.duplicated(keep="first").to_numpy(bool)
    rows = np.flatnonzero(first)
    keys = pd.Index(objects(ids)[rows], dtype="object")
    return keys, rows, int((~known).sum()), int(known.sum() - len(rows))


def _names(cls: Classification, what: str, codes: np.ndarray) -> np.ndarray:
    """Names for codes; -1 is Unclassified."""
    return np.array([*cls.names(what), UNCLASSIFIED], dtype=object)[codes]


def _column_text(accounts: pd.DataFrame, column: str, rows: np.ndarray) -> np.ndarray:
    """A column's values as stripped text (None where missing or blank) at these rows."""
    if column not in accounts.columns:
        return np.full(len(rows), None, dtype=object)
    text = accounts[column].iloc[rows].astype("string").str.strip()
    text = text.where(text.str.len() > 0)
    return objects(text)


def _identity(plan: Plan, rows: np.ndarray, keys: pd.Index) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": pd.array(np.asarray(keys, dtype=object), dtype="string"),
            "account_name": pd.array(_column_text(plan.accounts, "account_name", rows), dtype="string"),
        }
    )


def _owner_changes(
    old: Plan, new: Plan, old_rows: np.ndarray, new_rows: np.ndarray, notes: list[str]
) -> np.ndarray:
    """Which matched accounts changed owner (blank counts as no owner); all False without owner columns."""
    has = ["owner" in p.accounts.columns for p in (old, new)]
    if not all(has):
        if any(has):
            which = "new" if has[0] else "old"
            notes.append(f"the {which} accounts have no owner column: owner changes not compared")
        return np.zeros(len(new_rows), bool)
    before = pd.Series(_column_text(old.accounts, "owner", old_rows), dtype="string")
    after = pd.Series(_column_text(new.accounts, "owner", new_rows), dtype="string")
    differ = (before != after).fillna(True) & ~(before.isna() & after.isna())
    return differ.to_numpy(bool)


def _reassigned(new: Plan, changes: pd.DataFrame) -> pd.DataFrame:
    """The owner changes with their cause: "reassigned" (in the plan, with its reason) where the new plan
    gave the account that owner, else "data" (the newer file names another owner)."""
    causes, reasons = [], []
    for account, owner in zip(changes["account_id"].tolist(), changes["to"].tolist(), strict=True):
        o = new.override(str(account), OWNER) if account is not None and account is not pd.NA else None
        by_plan = o is not None and (o.value or None) == (None if owner is pd.NA else owner)
        causes.append("reassigned" if by_plan else "data")
        reasons.append(o.reason if by_plan and o is not None else "")
    return changes.assign(cause=pd.array(causes, dtype=object), reason=pd.array(reasons, dtype="string"))


def _id_notes(*plans: tuple[str, int, int]) -> list[str]:
    """What could not be compared: (which plan, rows without an id, rows repeating an id) for each plan."""
    notes: list[str] = []
    for which, blank, repeat in plans:
        if blank:
            notes.append(f"{blank:,} account rows of the {which} plan have no account id: not compared")
        if repeat:
            notes.append(
                f"{repeat:,} account rows of the {which} plan repeat an account id: first row compared"
            )
    return notes


def _moved(
    old: Plan,
    new: Plan,
    matched_old: np.ndarray,
    matched_new: np.ndarray,
    new_keys: pd.Index,
    new_rows: np.ndarray,
) -> tuple[pd.DataFrame, np.ndarray]:
    """The tier, persona and category moves of the matched accounts with their cause (see compare_plans),
    and which matched accounts changed tier."""
    a, b = old.classification, new.classification
    again: Classification | None = None
    if a.playbook != b.playbook:  # the new data under the old rules: what the data alone would have done
        again = classify(new.accounts, a.playbook, as_of=b.as_of)
    parts = []
    tier_moved = np.zeros(len(matched_new), bool)
    for order, what in enumerate(PINNABLE):
        before = _names(a, what, getattr(a, what)[matched_old])
        after = _names(b, what, getattr(b, what)[matched_new])
        changed = before != after
        pin_old = getattr(a, f"pinned_{what}")[matched_old]
        pin_new = getattr(b, f"pinned_{what}")[matched_new]
        by_pin = (pin_old != pin_new) | (pin_old & pin_new)
        if again is None:
            by_data = np.ones(len(matched_new), bool)
        else:
            data_only = _names(again, what, getattr(again, f"computed_{what}")[matched_new])
            by_data = data_only == _names(b, what, getattr(b, f"computed_{what}")[matched_new])
        cause = np.where(by_pin, "override", np.where(by_data, "data", "rule"))
        hit = np.flatnonzero(changed)
        if what == "tier":
            tier_moved = changed
        parts.append(
            pd.DataFrame(
                {
                    "row": matched_new[hit],
                    "order": order,
                    "field": what,
                    "from": before[hit],
                    "to": after[hit],
                    "cause": cause[hit],
                }
            )
        )
    moved = pd.concat(parts, ignore_index=True).sort_values(["row", "order"], kind="stable")
    ids = pd.Series(pd.array(np.asarray(new_keys, dtype=object), dtype="string"), index=new_rows)
    new_names = pd.Series(_column_text(new.accounts, "account_name", new_rows), index=new_rows)
    moved_rows = moved["row"].to_numpy(np.int64)
    moved = pd.DataFrame(
        {
            "account_id": ids.loc[moved_rows].to_numpy(),
            "account_name": pd.array(new_names.loc[moved_rows].to_numpy(object), dtype="string"),
            "field": moved["field"].to_numpy(object),
            "from": moved["from"].to_numpy(object),
            "to": moved["to"].to_numpy(object),
            "cause": moved["cause"].to_numpy(object),
        }
    )
    return moved, tier_moved


def compare_plans(old: Plan, new: Plan) -> Comparison:
    """What moved between two plans of the same territory (or a plan and its newer data) and why.

    Cause per account and field: "override" when a pin was added, removed or changed; otherwise "data"
    when the new data under the old playbook already gives the new value, "rule" when it does not (the
    playbook, its split lines or cutoffs, moved the account). With the same playbook every change is data:
    percentile cutoffs that move because the territory's numbers moved count as data too.
    """
    old_keys, old_rows, old_blank, old_repeat = keyed_rows(old.accounts)
    new_keys, new_rows, new_blank, new_repeat = keyed_rows(new.accounts)
    notes = _id_notes(("old", old_blank, old_repeat), ("new", new_blank, new_repeat))
    at_old = old_keys.get_indexer(new_keys)
    both = np.flatnonzero(at_old >= 0)
    matched_new, matched_old = new_rows[both], old_rows[at_old[both]]
    added = np.flatnonzero(at_old < 0)
    dropped = np.flatnonzero(new_keys.get_indexer(old_keys) < 0)

    moved, tier_moved = _moved(old, new, matched_old, matched_new, new_keys, new_rows)
    owner_moved = _owner_changes(old, new, matched_old, matched_new, notes)
    hit = np.flatnonzero(owner_moved)
    owner_changes = _identity(new, matched_new[hit], new_keys[both[hit]]).assign(
        **{
            "from": pd.array(_column_text(old.accounts, "owner", matched_old[hit]), dtype="string"),
            "to": pd.array(_column_text(new.accounts, "owner", matched_new[hit]), dtype="string"),
        }
    )
    owner_changes = _reassigned(new, owner_changes)
    cov_old, cov_new = old.coverage(), new.coverage()
    return Comparison(
        moved=moved,
        added=_identity(new, new_rows[added], new_keys[added]),
        dropped=_identity(old, old_rows[dropped], old_keys[dropped]),
        owner_changes=owner_changes,
        sellers_delta=cov_new.sellers - cov_old.sellers,
        cost_delta=cov_new.cost - cov_old.cost,
        disruption=int((tier_moved | owner_moved).sum()),
        sellers=(cov_old.sellers, cov_new.sellers),
        cost=(cov_old.cost, cov_new.cost),
        accounts=(len(old.accounts), len(new.accounts)),
        matched=len(both),
        currency=new.playbook.currency,
        notes=notes,
    )


def plan_from_territory(
    old: Plan, accounts: pd.DataFrame, *, as_of: pd.Timestamp | dt.datetime | str | None = None
) -> Plan:
    """The old plan carried onto newer account data: its playbook, owner and period, and the overrides and
    objectives of the accounts still there (those of dropped accounts go; new accounts start with none).
    `as_of` is the newer data's date (default: today)."""
    ids = (
        accounts["account_id"].astype("string").dropna().unique().tolist()
        if "account_id" in accounts.columns
        else []
    )
    overrides = old.overrides
    overrides = overrides[overrides["account_id"].isin(ids).to_numpy(bool)]
    objectives = old.objectives
    objectives = objectives[objectives["account_id"].isin(ids).to_numpy(bool)]
    return Plan(
        accounts,
        old.playbook,
        overrides,
        as_of=as_of,
        objectives=objectives,
        info=old.info,
        next_objective_id=old.next_objective_id,
        sellers=old.sellers,
    )
