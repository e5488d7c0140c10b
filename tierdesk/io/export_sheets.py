"""The plan workbook's table sheets, Account Plans and Objectives: values prepared per block of rows with
pandas from the plan's compact arrays, and the very hidden sheet the dropdowns read their choices from."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from tierdesk.domain import reasons as explain
from tierdesk.domain.objectives import KIND_LABELS, STATUSES, rows_of
from tierdesk.domain.playbook import CATEGORIES, PERSONAS
from tierdesk.io.excel_cells import (
    STATUS_COLOURS,
    Column,
    Formats,
    TextNotes,
    blank_where,
    colour_by_names,
    dropdown,
    excel_dates,
    lookup_names,
    numbers,
    visible_text,
    visible_texts,
)
from tierdesk.io.plan_format import (
    LISTS_SHEET,
    OBJ_ACCOUNT,
    OBJ_ID,
    PLAN_CATEGORY,
    PLAN_ID,
    PLAN_PERSONA,
    PLAN_REASON,
    PLAN_REVENUE,
    PLAN_TIER,
    PLAN_WALLET,
)
from tierdesk.io.snapshot import PlanSnapshot

# ---------------------------------------------------------------- Account Plans

_PICK = (
    "Pick from the list; tierdesk takes the change as an override (reason: Edited in Excel, or the "
    "Override Reason you type) when it opens this plan."
)


def plan_columns(extras: Sequence[str]) -> list[Column]:
    """The sheet's columns; the playbook's own tier fields (`extras`) sit beside the entitlements."""
    columns = [
        Column(PLAN_ID, 14),
        Column("Account Name", 32),
        Column("Territory", 16),
        Column("Owner", 18),
        Column(PLAN_TIER, 12, editable=True, note=_PICK),
        Column(PLAN_PERSONA, 20, editable=True, note=_PICK),
        Column(PLAN_CATEGORY, 12, editable=True, note=_PICK),
        Column("Seller Role", 24),
        Column("Touches / Quarter", 10, "general"),
        Column("Executive Sponsor", 10),
        Column("Business Reviews / Year", 10, "general"),
        Column("Marketing", 10),
        Column("Support", 22),
        *[Column(f"\0{i}", 14, "general") for i in range(len(extras))],
        Column(PLAN_REVENUE, 13, "money"),
        Column("Projected Value", 13, "money"),
        Column("Share of Wallet", 10, "percent"),
        Column(
            PLAN_WALLET,
            13,
            "money",
            editable=True,
            note="The account's total spend in our category. Type your own figure to replace the file's or "
            "the estimate (Wallet Source says which it is); tierdesk takes it when it opens this plan.",
        ),
        Column("Wallet Source", 12),
        Column("Wallet Note", 48),
        Column("Last Purchase", 12, "date"),
        Column("Objectives", 10, "integer"),
        Column("Objective Summary", 40),
        Column("Next Due", 12, "date"),
        Column("Plan Completeness", 12, "percent"),
        Column("Missing", 24),
        Column("Override", 24),
        Column(
            PLAN_REASON,
            28,
            editable=True,
            note="The reason kept with an override you make here; type it before changing the tier.",
        ),
        Column("Overridden On", 16, "datetime"),
        Column("Finding", 16),
        Column("Tier Reason", 40),
        Column("Persona Reason", 48),
        Column("Category Reason", 40),
    ]
    taken = {c.header.casefold() for c in columns}
    for i, key in enumerate(extras):  # a table's headers: one line each, unique ignoring case
        header = " ".join(visible_text(str(key)).split())[:200] or "Tier field"
        base, n = header, 1
        while header.casefold() in taken:
            n += 1
            header = f"{base} ({n})"
        taken.add(header.casefold())
        at = next(j for j, c in enumerate(columns) if c.header == f"\0{i}")
        columns[at] = Column(header, 14, "general")
    return columns


def override_texts(
    state: PlanSnapshot, notes: TextNotes | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per account row: what is pinned ("Tier → Named"), the reasons, the latest time (NaT when none)."""
    n = len(state.accounts)
    text = np.full(n, None, dtype=object)
    reason = np.full(n, None, dtype=object)
    when = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")  # sparse in practice: few overrides
    table = state.overrides
    if not len(table) or "account_id" not in state.accounts.columns:
        return text, reason, when
    table = table.sort_values(["account_id", "field"], kind="stable")
    pins: dict[str, list[str]] = {}
    whys: dict[str, list[str]] = {}
    latest: dict[str, pd.Timestamp] = {}
    for account, field_, value, why, time in table[
        ["account_id", "field", "value", "reason", "time"]
    ].itertuples(index=False):
        if field_ == "wallet":  # the planner's wallet: an amount
            value = explain.money(float(value), state.playbook.currency)[0]
        pins.setdefault(account, []).append(f"{str(field_).capitalize()} → {value}")
        reasons = whys.setdefault(account, [])
        if isinstance(why, str) and why and why not in reasons:
            reasons.append(why)
        if not pd.isna(time) and (account not in latest or time > latest[account]):
            latest[account] = time
    keys = pd.Series(list(pins), dtype="string")
    at, rows = rows_of(state.accounts["account_id"], keys)
    accounts = keys.to_numpy(object)[at]
    text[rows] = visible_texts(["; ".join(pins[a]) for a in accounts], notes)
    reason[rows] = visible_texts(["; ".join(whys[a]) or None for a in accounts], notes)
    when[rows] = [latest.get(a, pd.NaT) for a in accounts]
    return text, reason, when


class PlanRows:
    """Values of the Account Plans sheet, prepared block by block from the plan's compact arrays."""

    def __init__(self, state: PlanSnapshot, notes: TextNotes) -> None:
        self.state, self.notes = state, notes
        self.cls = state.classification()
        pb = state.playbook
        self.n = len(state.accounts)
        self.extras = list(dict.fromkeys(k for t in pb.tiers for k, _ in t.extra))
        self.columns = plan_columns(self.extras)
        self.groups = {c: self._group(c) for c in ("territory", "owner")}
        self.names = {
            "tier": lookup_names(pb.tier_names, notes),
            "persona": lookup_names(PERSONAS, notes),
            "category": lookup_names(CATEGORIES, notes),
            "role": lookup_names(pb.role_names, notes),
        }
        tiers = pb.tiers
        self.entitled = [  # per tier, the last entry for Unclassified
            numbers([*(t.touches_per_quarter for t in tiers), np.nan]),
            np.array([*("Yes" if t.executive_sponsor else "No" for t in tiers), None], dtype=object),
            numbers([*(t.business_reviews_per_year for t in tiers), np.nan]),
            lookup_names([t.marketing for t in tiers], notes, None),
            lookup_names([t.support for t in tiers], notes, None),
            *[self._extra(k) for k in self.extras],
        ]
        self.done = state.completeness()
        self.first, self.second, self.next_due = self._objective_index()
        self.pins, self.reasons, self.when = override_texts(state, notes)
        self.descriptions = state.objectives["description"].array

    def _group(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """(codes, visible names; the last one for a missing value)."""
        a = self.state.accounts
        if column not in a.columns:
            return np.full(self.n, -1, np.int64), np.array([None], dtype=object)
        values = a[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            codes, names = np.asarray(values.cat.codes, np.int64), values.cat.categories.astype(str)
        else:
            codes, names = pd.factorize(values.astype("string"))
        return codes, visible_texts(np.array([*names, None], dtype=object), self.notes)

    def _extra(self, key: str) -> np.ndarray:
        values = [dict(t.extra).get(key) for t in self.state.playbook.tiers] + [None]
        return np.array(
            [
                v
                if isinstance(v, int | float) and not isinstance(v, bool)
                else None
                if v is None
                else visible_text(str(v), self.notes)
                for v in values
            ],
            dtype=object,
        )

    def _objective_index(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per row: position of its first and second objective (-1: none), and its next open due date."""
        o = self.state.objectives
        first = np.full(self.n, -1, np.int64)
        second = np.full(self.n, -1, np.int64)
        due = np.full(self.n, np.datetime64("NaT"), "datetime64[ns]")
        if not len(o) or "account_id" not in self.state.accounts.columns:
            return first, second, due
        at, rows = rows_of(self.state.accounts["account_id"], o["account_id"])
        order = np.lexsort((at, rows))
        at, rows = at[order], rows[order]
        starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        first[rows[starts]] = at[starts]
        nxt = starts[starts + 1 < len(rows)] + 1
        same = rows[nxt] == rows[nxt - 1]
        second[rows[nxt[same]]] = at[nxt[same]]
        keep = ~o["status"].isin(["Met", "Missed"]).to_numpy(bool)[at] & o["due"].notna().to_numpy(bool)[at]
        if keep.any():
            soonest = pd.Series(o["due"].to_numpy("datetime64[ns]")[at[keep]]).groupby(rows[keep]).min()
            due[soonest.index.to_numpy()] = soonest.to_numpy("datetime64[ns]")
        return first, second, due

    def _summaries(self, r: slice) -> np.ndarray:
        desc, out = self.descriptions, list[str | None]()
        for a, b, c in zip(
            self.first[r].tolist(),
            self.second[r].tolist(),
            self.done["objectives"].array[r].tolist(),
            strict=True,
        ):
            if a < 0:
                out.append(None)
                continue
            text = desc[a] if b < 0 else f"{desc[a]}; {desc[b]}"
            out.append(text if c <= 2 else f"{text} (+{c - 2} more)")
        return visible_texts(out, self.notes)

    def block(self, first: int, last: int) -> list[np.ndarray]:
        r = slice(first, last)
        cls, a, names = self.cls, self.state.accounts, self.names
        rows = np.arange(first, last)
        tier = cls.tier[r]
        missing = self.done["missing"].to_numpy(object)[r]
        finding = np.full(last - first, None, dtype=object)
        finding[cls.under_investment[r]] = "Under-investment"
        finding[cls.over_investment[r]] = "Over-investment"
        return [
            self._text(a, "account_id", r),
            self._text(a, "account_name", r),
            *[names_[codes[r]] for codes, names_ in self.groups.values()],
            names["tier"][tier],
            names["persona"][cls.persona[r]],
            names["category"][cls.category[r]],
            names["role"][cls.role[r]],
            *[lut[tier] for lut in self.entitled],
            numbers(cls.revenue[r]),
            numbers(cls.projected_value[r]),
            numbers(cls.share_of_wallet[r]),
            numbers(cls.wallet[r]),
            np.asarray(cls.wallet_source[r].astype(object), dtype=object),
            visible_texts(cls.wallet_notes(rows), self.notes),
            excel_dates(cls.last_purchase[r]),
            self.done["objectives"].to_numpy(np.int64)[r].astype(object),
            self._summaries(r),
            excel_dates(self.next_due[r]),
            numbers(self.done["complete"].to_numpy(float)[r]),
            blank_where(missing == "", missing),
            self.pins[r],
            self.reasons[r],
            excel_dates(self.when[r]),
            finding,
            *[
                visible_texts(explain.reasons(cls, what, rows), self.notes)
                for what in ("tier", "persona", "category")
            ],
        ]

    def _text(self, a: pd.DataFrame, column: str, r: slice) -> np.ndarray:
        if column not in a.columns:
            return np.full(r.stop - r.start, None, dtype=object)
        return visible_texts(a[column].array[r], self.notes)

    def decorate(self, fmt: Formats, lists: dict[str, int]) -> Callable[[Worksheet, int], None]:
        col = {c.header: i for i, c in enumerate(self.columns)}
        tier_names = list(self.state.playbook.tier_names)

        def apply(ws: Worksheet, last: int) -> None:
            dropdown(ws, col[PLAN_TIER], last, lists["tier"], len(tier_names), "tier")
            dropdown(ws, col[PLAN_PERSONA], last, lists["persona"], len(PERSONAS), "persona")
            dropdown(ws, col[PLAN_CATEGORY], last, lists["category"], len(CATEGORIES), "category")
            colour_by_names(ws, col[PLAN_TIER], last, tier_names, fmt.tiers)
            ws.conditional_format(
                1,
                col["Plan Completeness"],
                max(last, 1),
                col["Plan Completeness"],
                {
                    "type": "data_bar",
                    "bar_color": "#63BE7B",
                    "min_type": "num",
                    "min_value": 0,
                    "max_type": "num",
                    "max_value": 1,
                },
            )

        return apply


# ---------------------------------------------------------------- Objectives

OBJECTIVE_SHEET_COLUMNS = [
    Column(OBJ_ID, 11, "integer"),
    Column(OBJ_ACCOUNT, 14),
    Column("Account Name", 30),
    Column("Territory", 16),
    Column("Owner", 18),
    Column("Tier", 11),
    Column("Category", 12),
    Column("Kind", 18, editable=True, note="Pick a kind from the list."),
    Column("Description", 44, editable=True),
    Column("Current", 13, "general"),
    Column("Target", 13, "general", editable=True, note="A number; leave it empty for a milestone."),
    Column("Target (Text)", 28, editable=True),
    Column("Due", 12, "date", editable=True),
    Column("Status", 13, editable=True, note="Pick a status: " + ", ".join(STATUSES) + "."),
    Column("Notes", 40, editable=True),
]


def objective_order(accounts: pd.DataFrame, objectives: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The Objectives sheet's order (positions in the table: by account row, then id) and each one's account
    row (-1: no such account)."""
    n = len(objectives)
    row = np.full(n, -1, np.int64)
    if n and "account_id" in accounts.columns:
        at, rows = rows_of(accounts["account_id"], objectives["account_id"])
        first = pd.Series(rows).groupby(at).min()  # accounts repeated by id: the first row
        row[first.index.to_numpy()] = first.to_numpy()
    key = np.where(row < 0, np.iinfo(np.int64).max, row)
    order = np.lexsort((objectives["objective_id"].to_numpy(np.int64), key))
    return order, row[order]


class ObjectiveRows:
    """Values of the Objectives sheet: one row per objective, in account order."""

    def __init__(self, plans: PlanRows) -> None:
        self.plans = plans
        self.frame = plans.state.objectives
        self.n = len(self.frame)
        self.order, self.row = objective_order(plans.state.accounts, self.frame)

    def block(self, first: int, last: int) -> list[np.ndarray]:
        at = self.order[first:last]
        o, p, notes = self.frame, self.plans, self.plans.notes
        rows = self.row[first:last]
        known = rows >= 0
        safe = np.where(known, rows, 0)

        def by_row(values: np.ndarray) -> np.ndarray:
            return blank_where(~known, values)

        accounts = p.state.accounts
        names = (
            visible_texts(accounts["account_name"].array[safe], notes)
            if "account_name" in accounts.columns
            else np.full(len(at), None, dtype=object)
        )
        groups = [lut[codes[safe]] for codes, lut in p.groups.values()]
        kinds = o["kind"].to_numpy(object)[at]
        return [
            o["objective_id"].to_numpy(np.int64)[at].astype(object),
            visible_texts(o["account_id"].array[at], notes),
            by_row(names),
            by_row(groups[0]),
            by_row(groups[1]),
            by_row(p.names["tier"][p.cls.tier[safe]]),
            by_row(p.names["category"][p.cls.category[safe]]),
            np.array([KIND_LABELS.get(k, k) for k in kinds], dtype=object),
            visible_texts(o["description"].array[at], notes),
            numbers(o["current"].to_numpy(float)[at]),
            numbers(o["target"].to_numpy(float)[at]),
            visible_texts(o["target_text"].array[at], notes),
            excel_dates(o["due"].to_numpy("datetime64[ns]")[at]),
            visible_texts(o["status"].array[at], notes),
            visible_texts(o["notes"].array[at], notes),
        ]

    def decorate(self, fmt: Formats, lists: dict[str, int]) -> Callable[[Worksheet, int], None]:
        col = {c.header: i for i, c in enumerate(OBJECTIVE_SHEET_COLUMNS)}
        tier_names = list(self.plans.state.playbook.tier_names)

        def apply(ws: Worksheet, last: int) -> None:
            dropdown(ws, col["Kind"], last, lists["kind"], len(KIND_LABELS), "kind")
            dropdown(ws, col["Status"], last, lists["status"], len(STATUSES), "status")
            ws.data_validation(
                1,
                col["Due"],
                max(last, 1),
                col["Due"],
                {
                    "validate": "date",
                    "criteria": "between",
                    "minimum": pd.Timestamp("1900-03-01").to_pydatetime(),
                    "maximum": pd.Timestamp("9999-12-31").to_pydatetime(),
                    "error_type": "warning",
                    "error_title": "Not a date",
                    "error_message": "Type a date, e.g. 2026-06-30.",
                },
            )
            ws.data_validation(
                1,
                col["Target"],
                max(last, 1),
                col["Target"],
                {
                    "validate": "decimal",
                    "criteria": "between",
                    "minimum": -1e300,
                    "maximum": 1e300,
                    "error_type": "warning",
                    "error_title": "Not a number",
                    "error_message": "Type a number, or leave it empty and use Target (Text).",
                },
            )
            colour_by_names(ws, col["Status"], last, list(STATUS_COLOURS), list(fmt.status.values()))
            colour_by_names(ws, col["Tier"], last, tier_names, fmt.tiers)

        return apply


def write_lists(wb: Workbook, state: PlanSnapshot, notes: TextNotes) -> dict[str, int]:
    """The very hidden sheet the dropdowns read their choices from; returns the column of each list."""
    ws = wb.get_worksheet_by_name(LISTS_SHEET)
    assert ws is not None
    lists = {
        "tier": list(state.playbook.tier_names),
        "persona": list(PERSONAS),
        "category": list(CATEGORIES),
        "kind": list(KIND_LABELS.values()),
        "status": list(STATUSES),
        "role": list(state.playbook.role_names),
        "yes/no": ["Yes", "No"],
    }
    columns = list(lists.values())
    ws.write_row(0, 0, [k.capitalize() for k in lists])
    shown = [visible_texts(np.array(c, dtype=object), notes) for c in columns]
    for r in range(max(len(c) for c in columns)):
        ws.write_row(r + 1, 0, [c[r] if r < len(c) else None for c in shown])
    ws.very_hidden()
    return {k: i for i, k in enumerate(lists)}
