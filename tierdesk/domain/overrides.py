"""Overrides (pins) over a classification: applied all at once or, for a few changed accounts, row by row;
the id → row lookups they use; and the table form they are saved in."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from tierdesk.domain.classification import (
    PINNABLE,
    Classification,
    Override,
    Overrides,
    OverridesLike,
    investment_flags,
)
from tierdesk.domain.wallet import WalletEstimate

__all__ = [  # the override types are named here too, with the code that applies them
    "PINNABLE",
    "WALLET_FIELD",
    "Override",
    "Overrides",
    "OverridesLike",
    "id_rows",
    "overrides_frame",
    "planner_wallets",
    "rows_of_ids",
    "with_overrides",
    "with_overrides_at",
]

#: The override field that holds a wallet typed by the planner (its value: the amount as text).
WALLET_FIELD = "wallet"


def with_overrides(cls: Classification, overrides: OverridesLike) -> Classification:
    """The classification with these overrides (and only these) applied over the computed codes."""
    new = copy.copy(cls)
    n = len(cls)
    codes = {f: getattr(cls, f"computed_{f}").copy() for f in PINNABLE}
    pinned = {f: np.zeros(n, bool) for f in PINNABLE}
    reasons: dict[str, dict[int, str]] = {f: {} for f in PINNABLE}
    problems: list[str] = []
    lookup = id_rows(cls) if "account_id" in cls.accounts.columns else None
    if isinstance(overrides, Mapping) and lookup is not None:
        # the common case (a Plan's own overrides, unique ids): no table, O(number of overrides)
        _apply_pins(cls, list(overrides.values()), lookup, codes, pinned, reasons, problems)
        table = None
    else:
        table = overrides_frame(overrides)
    if table is None:
        pass
    elif len(table) and "account_id" not in cls.accounts.columns:
        problems.append(f"{len(table)} overrides ignored: the accounts have no account_id column")
    elif len(table):
        hits = _rows_of(cls, table)
        lost = hits["row"].isna()
        if lost.any():
            missing = hits.loc[lost, "account_id"].nunique()
            problems.append(f"{missing} overridden accounts are not in the table")
        hits = hits[~lost]
        for f in PINNABLE:
            part = hits[hits["field"] == f]
            names = list(cls.names(f))
            code = part["value"].map({n: i for i, n in enumerate(names)})
            for v in part.loc[code.isna(), "value"].unique():
                problems.append(f"{f} overrides name {v!r}, which the playbook has no longer: not applied")
            part = part[code.notna()]
            r = part["row"].to_numpy(dtype=np.int64)
            codes[f][r] = code[code.notna()].to_numpy(dtype=np.int8)
            pinned[f][r] = True
            reasons[f] = dict(zip(r.tolist(), part["reason"].astype(str).tolist(), strict=True))
    for f in PINNABLE:
        setattr(new, f, codes[f])
        setattr(new, f"pinned_{f}", pinned[f])
    new.pin_reasons, new.override_problems = reasons, problems
    new.over_investment, new.under_investment = investment_flags(new.playbook, new.tier, new.persona)
    return new


def with_overrides_at(
    cls: Classification, overrides: Mapping[tuple[str, str], Override], ids: Iterable[str]
) -> tuple[Classification, np.ndarray] | None:
    """with_overrides(cls, overrides) when only the overrides of `ids` changed since `cls` was made, and the
    rows of those ids: only those rows are recomputed (a one-account move stays O(1) in the plan's size).
    None when this shortcut does not apply (repeated ids, or overrides that cannot be applied)."""
    lookup = id_rows(cls) if "account_id" in cls.accounts.columns else None
    if lookup is None or cls.override_problems:
        return None
    wanted = set(ids)
    if any(a not in lookup for a in wanted):
        return None
    rows = np.array(sorted(lookup[a] for a in wanted), dtype=np.int64)
    new = copy.copy(cls)
    codes = {f: getattr(cls, f).copy() for f in PINNABLE}
    pinned = {f: getattr(cls, f"pinned_{f}").copy() for f in PINNABLE}
    at = set(rows.tolist())
    reasons = {f: {r: t for r, t in cls.pin_reasons[f].items() if r not in at} for f in PINNABLE}
    for f in PINNABLE:
        codes[f][rows] = getattr(cls, f"computed_{f}")[rows]
        pinned[f][rows] = False
    problems: list[str] = []
    items = [o for (a, _f), o in overrides.items() if a in wanted]
    _apply_pins(cls, items, lookup, codes, pinned, reasons, problems)
    if problems:
        return None
    for f in PINNABLE:
        setattr(new, f, codes[f])
        setattr(new, f"pinned_{f}", pinned[f])
    new.pin_reasons, new.override_problems = reasons, []
    over, under = cls.over_investment.copy(), cls.under_investment.copy()
    over[rows], under[rows] = investment_flags(new.playbook, new.tier[rows], new.persona[rows])
    new.over_investment, new.under_investment = over, under
    return new, rows


def _apply_pins(
    cls: Classification,
    items: list[Override],
    lookup: dict[str, int],
    codes: dict[str, np.ndarray],
    pinned: dict[str, np.ndarray],
    reasons: dict[str, dict[int, str]],
    problems: list[str],
) -> None:
    """Set pinned codes from override objects (same outcome and messages as the table path)."""
    names = {f: {name: i for i, name in enumerate(cls.names(f))} for f in PINNABLE}
    missing: set[str] = set()
    unknown: dict[str, list[str]] = {f: [] for f in PINNABLE}
    for o in items:
        if o.field not in PINNABLE:  # a planner's wallet: laid over the wallet estimate, not a pin
            continue
        row = lookup.get(o.account_id)
        if row is None:
            missing.add(o.account_id)
            continue
        code = names[o.field].get(o.value)
        if code is None:
            if o.value not in unknown[o.field]:
                unknown[o.field].append(o.value)
            continue
        codes[o.field][row] = code
        pinned[o.field][row] = True
        reasons[o.field][row] = o.reason
    if missing:
        problems.append(f"{len(missing)} overridden accounts are not in the table")
    for f in PINNABLE:
        for v in unknown[f]:
            problems.append(f"{f} overrides name {v!r}, which the playbook has no longer: not applied")


def planner_wallets(
    wallets: WalletEstimate, accounts: pd.DataFrame, overrides: OverridesLike
) -> WalletEstimate:
    """The wallet estimate with the planner's own figures (overrides of field "wallet") laid over it."""
    if overrides is None or "account_id" not in accounts.columns:
        return wallets
    if isinstance(overrides, Mapping):
        items = [o for o in overrides.values() if o.field == WALLET_FIELD]
        if not items:
            return wallets
        table = overrides_frame(items)
    else:
        table = overrides_frame(overrides)
        table = table[table["field"] == WALLET_FIELD]
        if table.empty:
            return wallets
    amount = pd.to_numeric(table["value"], errors="coerce")
    table = (
        table[amount.notna() & (amount > 0)].assign(amount=amount).drop_duplicates("account_id", keep="last")
    )
    ids = accounts["account_id"].astype("string")
    hit = ids.isin(table["account_id"]).fillna(False).to_numpy(bool)
    rows = np.flatnonzero(hit)
    by_id = table.set_index("account_id")
    picked = by_id.reindex(ids.iloc[rows].to_numpy(object))
    reasons = picked["reason"].fillna("").astype(str).tolist()
    return wallets.with_planner(rows, picked["amount"].to_numpy(float), reasons)


def _position_dict(ids: pd.Index, chunk: int = 16_384) -> dict[str, int]:
    """id → position, built a chunk at a time: a GUI thread waiting for the GIL gets it between chunks."""
    out: dict[str, int] = {}
    for start in range(0, len(ids), chunk):
        stop = min(start + chunk, len(ids))
        out.update(zip(ids[start:stop].tolist(), range(start, stop), strict=True))
    return out


def id_rows(cls: Classification) -> dict[str, int] | None:
    """account_id → row position when ids are unique (None otherwise); built once, shared by copies."""
    cached = cls.__dict__.get("_id_rows", False)
    if cached is False:
        ids = pd.Index(cls.accounts["account_id"].astype("string"))
        cached = _position_dict(ids) if ids.is_unique else None
        cls.__dict__["_id_rows"] = cached
    return cached


def rows_of_ids(cls: Classification, ids: Iterable[str]) -> np.ndarray:
    """Row positions of these account ids (every row where ids repeat); unknown ids are skipped."""
    lookup = id_rows(cls)
    if lookup is not None:
        found = [lookup.get(a, -1) for a in ids]
        rows = np.asarray(found, dtype=np.int64)
        return rows[rows >= 0]
    wanted = pd.Index(list(ids)).astype("string")
    hits = cls.accounts["account_id"].astype("string").isin(wanted).fillna(False)
    return np.flatnonzero(hits.to_numpy(bool))


def _rows_of(cls: Classification, table: pd.DataFrame) -> pd.DataFrame:
    """The override table with the row position of each account (one line per row where ids repeat)."""
    lookup = id_rows(cls)
    if lookup is not None:
        rows = np.array([lookup.get(a, -1) for a in table["account_id"].tolist()], dtype=np.int64)
        return table.assign(row=np.where(rows < 0, np.nan, rows))
    ids = pd.Index(cls.accounts["account_id"].astype("string"))
    frame = pd.DataFrame({"account_id": ids, "row": np.arange(len(ids))})
    return table.merge(frame, on="account_id", how="left")


def overrides_frame(overrides: OverridesLike) -> pd.DataFrame:
    """Overrides as a table: account_id, field, value, reason, time (the form saved with a plan)."""
    columns = ["account_id", "field", "value", "reason", "time"]
    if isinstance(overrides, pd.DataFrame):
        table = overrides[columns].copy()
    else:
        items = list(overrides.values()) if isinstance(overrides, Mapping) else list(overrides or ())
        table = pd.DataFrame(
            [[o.account_id, o.field, o.value, o.reason, o.time] for o in items], columns=columns
        )
    table["account_id"] = table["account_id"].astype("string")
    table["time"] = pd.to_datetime(table["time"])
    return table
