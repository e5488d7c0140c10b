"""Edits a planner made to the Sellers sheet in Excel: a seller's role, capacity, region, territory,
maximum, takes-new or manager changed, and sellers added on new rows, come back as one SetSellers edit;
every cell that cannot be taken is an Issue naming its sheet and row."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from python_calamine import CalamineWorkbook

from tierdesk.domain.seller_edits import SetSellers
from tierdesk.domain.sellers import Seller
from tierdesk.domain.workload import NO_OWNER
from tierdesk.io.excel_cells import visible_text
from tierdesk.io.excel_rows import Problems, sheet_rows
from tierdesk.io.plan_format import YES_NO
from tierdesk.io.snapshot import PlanSnapshot

__all__ = ["seller_edits"]

#: The editable headers of the Sellers sheet and the Seller field each sets.
FIELDS = {
    "Role": "role",
    "Capacity": "capacity",
    "Region": "region",
    "Territory": "territory",
    "Max Accounts": "max_accounts",
    "Takes New Accounts": "takes_new",
    "Manager": "manager",
}


def _text(v: Any) -> str | None:
    if v is None or v == "":
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return " ".join(str(v).split()) or None


def _number(v: Any) -> float | None:
    """A number from a cell (None when empty); ValueError when it is not one."""
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        raise ValueError
    value = float(str(v).replace(",", "").strip()) if isinstance(v, str) else float(v)
    if not math.isfinite(value):
        raise ValueError
    return value


def _value(field: str, cell: Any, roles: dict[str, str]) -> tuple[Any, str | None]:
    """(the Seller field's value, problem) for one cell."""
    text = _text(cell)
    if field == "role":
        if text is None:
            return None, "a seller needs a role; "
        found = roles.get(text.casefold())
        return (
            (found, None)
            if found
            else (None, f"'{text}' is not a role of the playbook ({', '.join(roles.values())}); ")
        )
    if field == "takes_new":
        if text is None:
            return True, None
        answer = {YES_NO[0].casefold(): True, YES_NO[1].casefold(): False}.get(text.casefold())
        return (answer, None) if answer is not None else (None, f"'{text}' is not Yes or No; ")
    if field in ("capacity", "max_accounts"):
        try:
            number = _number(cell)
        except ValueError:
            return None, f"'{text}' is not a number; "
        if number is not None and (
            number <= 0 if field == "capacity" else number < 0 or not number.is_integer()
        ):
            what = "a capacity above 0" if field == "capacity" else "a whole number of accounts"
            return None, f"'{text}' is not {what}; "
        return (int(number) if field == "max_accounts" and number is not None else number), None
    return text, None


def _shown(seller: Seller, field: str, state: PlanSnapshot) -> Any:
    """What the sheet showed for a seller's field, as _value() reads it back."""
    if field == "capacity":
        return seller.capacity_in(state.playbook)
    value = getattr(seller, field)
    return visible_text(value) if isinstance(value, str) else value


def _same(field: str, typed: Any, shown: Any) -> bool:
    if field == "capacity" and typed is not None and shown is not None:
        return abs(typed - shown) <= max(0.005, 1e-9 * abs(shown))
    if isinstance(typed, str) and isinstance(shown, str):
        return typed.casefold() == " ".join(shown.split()).casefold()
    return bool(typed == shown)


def _change(
    seller: Seller, cells: dict[str, Any], state: PlanSnapshot, roles: dict[str, str], report: Any
) -> Seller:
    """The seller with the valid edits of their row."""
    changes: dict[str, Any] = {}
    for header, field in FIELDS.items():
        if header not in cells:
            continue
        typed, problem = _value(field, cells[header], roles)
        if problem:
            report(header, problem + f"the {header.lower()} stays as it was.")
            continue
        if field == "capacity" and typed is None:
            changes["capacity"] = None  # cleared: the role's capacity
        elif not _same(field, typed, _shown(seller, field, state)):
            changes[field] = typed
    if "role" in changes:
        changes["role_guessed"] = False
    return dataclasses.replace(seller, **changes) if changes else seller


def _added(name: str, cells: dict[str, Any], roles: dict[str, str], report: Any) -> Seller | None:
    values: dict[str, Any] = {"name": name}
    for header, field in FIELDS.items():
        typed, problem = _value(field, cells.get(header), roles)
        if problem:
            report(header, problem + "the new seller is not taken.")
            return None
        values[field] = typed
    return Seller(**values)


def seller_edits(
    book: CalamineWorkbook, state: PlanSnapshot, sheets: list[str], problems: Problems
) -> list[SetSellers]:
    """The Sellers sheet's valid edits as one SetSellers edit (none when nothing changed)."""
    if not sheets or not state.sellers:
        return []
    sheet = sheets[0]
    rows = sheet_rows(book, sheet, ["Seller", "In Team", *FIELDS], problems, "Seller")
    if rows is None:
        return []
    roles = {r.casefold(): r for r in state.playbook.role_names}
    by_name = {visible_text(s.name): s for s in state.sellers}
    outside = set(_outside(state))
    after: dict[str, Seller] = {}
    added: list[Seller] = []
    for excel_row, cells in rows:
        name = _text(cells.get("Seller"))

        def report(header: str | None, text: str, row: int = excel_row) -> None:
            problems.add(sheet, row, header, text)

        if name is None:
            report("Seller", "no seller name; the row is not read.")
            continue
        seller = by_name.get(name)
        if seller is None and name in outside:
            continue  # an owner outside the team, or the accounts without one: nothing to edit
        if seller is None:
            new = _added(name, cells, roles, report)
            if new is not None and all(new.name != s.name for s in added):
                added.append(new)
            continue
        if seller.name in after:
            report("Seller", f"{seller.name} appears again; this row is not read.")
            continue
        after[seller.name] = _change(seller, cells, state, roles, report)
    for s in state.sellers:
        if s.name not in after:
            problems.add(
                sheet,
                None,
                None,
                f"seller {s.name} is missing from the sheet (row deleted or renamed?); "
                "they stay in the plan. Remove or rename sellers in tierdesk.",
            )
    table = tuple(after.get(s.name, s) for s in state.sellers) + tuple(added)
    if table == state.sellers:
        return []
    changed = sum(a != b for a, b in zip(table, state.sellers, strict=False)) + len(added)
    return [SetSellers(table, f"Sellers edited in Excel ({changed:,})")]


def _outside(state: PlanSnapshot) -> list[str]:
    b = state.books()
    return [*b.outside, NO_OWNER]
