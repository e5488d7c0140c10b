"""The plan workbook's Sellers sheet: one row per seller with their book (accounts, workload against
capacity, load, revenue, growth potential), then owners outside the team and the accounts without one.
Role, capacity, region, territory, maximum, takes-new and manager are editable; a name on a new row adds a
seller. tierdesk takes those edits when it opens the plan (io.excel_sellers)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from xlsxwriter.worksheet import Worksheet

from tierdesk.domain.workload import book_table
from tierdesk.io.excel_cells import Column, Formats, TextNotes, dropdown, numbers, visible_texts
from tierdesk.io.plan_format import YES_NO
from tierdesk.io.snapshot import PlanSnapshot

__all__ = ["SELLER_COLUMNS", "SellerRows"]

_EDIT = "tierdesk takes the change when it opens this plan (one undo step)."
SELLER_COLUMNS = [
    Column(
        "Seller", 24, editable=True, note="Type a name on a new row to add a seller (give a Role). " + _EDIT
    ),
    Column("Role", 26, editable=True, note="The seller's role, from the playbook's roles. " + _EDIT),
    Column("Role Guessed", 14),
    Column("In Team", 9),
    Column(
        "Capacity", 11, "number", editable=True, note="In the role's unit; empty: the role's own. " + _EDIT
    ),
    Column("Capacity Unit", 14),
    Column("Region", 14, editable=True, note="Only accounts of this region (empty: any). " + _EDIT),
    Column("Territory", 14, editable=True, note="Only accounts of this territory (empty: any). " + _EDIT),
    Column("Max Accounts", 14, "integer", editable=True, note="Most accounts (empty: no limit). " + _EDIT),
    Column("Takes New Accounts", 19, editable=True, note="No: balancing gives them no accounts. " + _EDIT),
    Column("Manager", 18, editable=True),
    Column("Accounts", 10, "integer"),
    Column("Locked", 10, "integer"),
    Column("Workload", 12, "number"),
    Column("Load", 10, "percent"),
    Column("Sellers' Worth", 14, "number"),
    Column("Revenue", 14, "money"),
    Column("Growth Potential", 17, "money"),
]


class SellerRows:
    """Values of the Sellers sheet, from the plan's books."""

    def __init__(self, state: PlanSnapshot, notes: TextNotes) -> None:
        self.state, self.notes = state, notes
        self.table = book_table(state.books())
        self.n = len(self.table)

    def block(self, first: int, last: int) -> list[np.ndarray]:
        t = self.table.iloc[first:last]
        team = t["in_team"].to_numpy(bool)

        def texts(column: str) -> np.ndarray:
            return visible_texts(
                t[column].astype(object).where(t[column].notna(), None).to_numpy(object), self.notes
            )

        def yes_no(values: pd.Series) -> np.ndarray:
            out = np.where(
                values.astype("boolean").fillna(False).to_numpy(bool), YES_NO[0], YES_NO[1]
            ).astype(object)
            out[~team] = None
            return out

        limit = t["max_accounts"].astype("Float64").to_numpy(float, na_value=np.nan)
        return [
            texts("seller"),
            texts("role"),
            yes_no(t["role_guessed"]),
            np.where(team, YES_NO[0], YES_NO[1]).astype(object),
            numbers(t["capacity"].to_numpy(float)),
            texts("unit"),
            texts("region"),
            texts("territory"),
            numbers(limit),
            yes_no(t["takes_new"]),
            texts("manager"),
            t["accounts"].to_numpy(np.int64).astype(object),
            t["locked"].to_numpy(np.int64).astype(object),
            numbers(t["workload"].to_numpy(float)),
            numbers(t["load"].to_numpy(float)),
            numbers(t["sellers"].to_numpy(float)),
            numbers(t["revenue"].to_numpy(float)),
            numbers(t["potential"].to_numpy(float)),
        ]

    def decorate(self, fmt: Formats, lists: dict[str, int]) -> Callable[[Worksheet, int], None]:
        col = {c.header: i for i, c in enumerate(SELLER_COLUMNS)}
        roles = len(self.state.playbook.roles)
        tolerance = self.state.playbook.sellers.tolerance
        over = fmt.status["Missed"]
        under = fmt.status["In progress"]

        def apply(ws: Worksheet, last: int) -> None:
            dropdown(ws, col["Role"], last, lists["role"], roles, "role")
            dropdown(ws, col["Takes New Accounts"], last, lists["yes/no"], 2, "Yes or No")
            load = col["Load"]
            for criteria, value, f in ((">", 1 + tolerance, over), ("<", 1 - tolerance, under)):
                ws.conditional_format(
                    1,
                    load,
                    max(last, 1),
                    load,
                    {"type": "cell", "criteria": criteria, "value": value, "format": f},
                )

        return apply
