"""Edits a planner made to the Account Plans sheet in Excel: a tier, persona or category picked (a pin,
with the Override Reason typed beside it), a wallet typed or cleared; rows deleted, repeated or added, and
revenue changed, are listed as problems."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from tierdesk.domain.plan import Edit, PinAccounts, SetWallet
from tierdesk.domain.playbook import CATEGORIES, PERSONAS, UNCLASSIFIED
from tierdesk.io.excel_cells import visible_text
from tierdesk.io.excel_rows import (
    FORMULA,
    FORMULA_TEXT,
    MAX_LISTED,
    Problems,
    cell_text,
    digits,
    id_rows,
    number,
    sheet_rows,
)
from tierdesk.io.plan_format import (
    PLAN_CATEGORY,
    PLAN_ID,
    PLAN_PERSONA,
    PLAN_REASON,
    PLAN_REVENUE,
    PLAN_TIER,
    PLAN_WALLET,
)
from tierdesk.io.snapshot import PlanSnapshot

__all__ = ["EDITED_IN_EXCEL", "plan_edits"]

EDITED_IN_EXCEL = "Edited in Excel"
#: A pin to make: (field, value, reason) -> the plan rows it applies to.
Pins = dict[tuple[str, str, str], list[int]]


def plan_edits(
    book: CalamineWorkbook,
    state: PlanSnapshot,
    sheets: list[str],
    per_sheet: int,
    shown: pd.DataFrame,
    problems: Problems,
) -> list[Edit]:
    """The Account Plans sheets' valid edits (pins grouped by field, value and reason; wallets); every other
    change becomes a problem."""
    choices = _Choices(state, shown)
    ids = id_rows(state)
    seen = np.zeros(len(state.accounts), bool)
    if "account_id" in state.accounts.columns:
        seen |= state.accounts["account_id"].isna().to_numpy(bool)  # no id: never matched, never missed
    reasons = shown["reason"].astype("string").fillna("").to_numpy(object)
    pins: Pins = {}
    wallets = _Wallets(state, shown, problems)
    for part, sheet in enumerate(sheets):
        formulas = problems.formulas.get(sheet, frozenset())
        wanted = [PLAN_ID, *choices.fields, PLAN_REASON, PLAN_REVENUE, *wallets.headers]
        rows = sheet_rows(book, sheet, wanted, problems, PLAN_ID, formulas)
        if rows is None:  # a sheet not read: its accounts are not missing, only unread
            seen[part * per_sheet : (part + 1) * per_sheet] = True
        for excel_row, cells in rows or ():
            row = _account_row(cells, ids, seen, sheet, excel_row, problems)
            if row is None:
                continue
            _untaken(cells, state, row, sheet, excel_row, problems)
            typed = cell_text(cells.get(PLAN_REASON))
            reason = typed if PLAN_REASON in cells and typed and typed != reasons[row].strip() else None
            changed = choices.read(cells, row, reason, pins, sheet, excel_row, problems)
            changed |= wallets.read(sheet, excel_row, row, cells, reason)
            if reason and not changed:
                for field, value in _pinned(state, row):
                    pins.setdefault((field, value, reason), []).append(row)
    _missing_accounts(state, sheets, per_sheet, seen, problems)
    return [
        *(
            PinAccounts(tuple(rows), field, value, reason)  # type: ignore[arg-type]
            for (field, value, reason), rows in pins.items()
        ),
        *wallets.edits,
    ]


def _account_row(
    cells: dict[str, Any],
    ids: dict[str, list[int]],
    seen: np.ndarray,
    sheet: str,
    excel_row: int,
    problems: Problems,
) -> int | None:
    """The plan row a sheet row edits (marked seen); None, with a problem, when it has no such account or
    repeats one already read."""
    account = cell_text(cells.get(PLAN_ID))
    if account is None:
        problems.add(sheet, excel_row, PLAN_ID, "no Account ID; the row is not read.")
        return None
    candidates = ids.get(account)
    if not candidates:
        problems.add(
            sheet,
            excel_row,
            PLAN_ID,
            f"account '{account}' is not in this plan; rows added in "
            "Excel are not taken (add accounts to the territory file).",
        )
        return None
    free = [r for r in candidates if not seen[r]]
    if not free:
        problems.add(sheet, excel_row, PLAN_ID, f"account '{account}' appears again; this row is not read.")
        return None
    seen[free[0]] = True
    return free[0]


class _Choices:
    """The tier, persona and category columns: the names the sheet showed, and those a planner may pick."""

    def __init__(self, state: PlanSnapshot, shown: pd.DataFrame) -> None:
        self.fields = {
            PLAN_TIER: ("tier", list(state.playbook.tier_names)),
            PLAN_PERSONA: ("persona", list(PERSONAS)),
            PLAN_CATEGORY: ("category", list(CATEGORIES)),
        }
        self.lookup = {
            h: {visible_text(n).strip().casefold(): n for n in names} for h, (_, names) in self.fields.items()
        }
        self.shown_names = {
            h: np.array([*(visible_text(n) for n in names), UNCLASSIFIED], dtype=object)
            for h, (_, names) in self.fields.items()
        }
        self.codes = {field: shown[field].to_numpy(np.int64) for field in ("tier", "persona", "category")}

    def read(
        self,
        cells: dict[str, Any],
        row: int,
        reason: str | None,
        pins: Pins,
        sheet: str,
        excel_row: int,
        problems: Problems,
    ) -> bool:
        """Add the row's picks to `pins`; whether any was made (a cleared or unknown choice is a problem)."""
        changed = False
        for header, (field, names) in self.fields.items():
            if header not in cells:
                continue
            value = cell_text(cells[header])
            was = self.shown_names[header][int(self.codes[field][row])]
            if value is not None and value.casefold() == str(was).strip().casefold():
                continue
            if value is None:
                problems.add(sheet, excel_row, header, f"the {field} was cleared; it stays {was}.")
            elif value.casefold() == UNCLASSIFIED.casefold():
                problems.add(
                    sheet,
                    excel_row,
                    header,
                    f"an account cannot be set to {UNCLASSIFIED}; its {field} stays {was}.",
                )
            elif value.casefold() in self.lookup[header]:
                key = (field, self.lookup[header][value.casefold()], reason or EDITED_IN_EXCEL)
                pins.setdefault(key, []).append(row)
                changed = True
            else:
                problems.add(
                    sheet,
                    excel_row,
                    header,
                    f"'{value}' is not a {field} of this plan (use one of {', '.join(names)}); not taken.",
                )
        return changed


class _Wallets:
    """Wallets typed in the Account Plans sheet: the planner's own figure (a number above 0), or an empty
    cell where the planner's figure was (back to the file's or the estimate)."""

    def __init__(self, state: PlanSnapshot, shown: pd.DataFrame, problems: Problems) -> None:
        self.state, self.problems = state, problems
        self.shown = shown["wallet"].to_numpy(float) if "wallet" in shown.columns else None
        self.headers = [PLAN_WALLET] if self.shown is not None else []  # plans saved before: no column
        table = state.overrides
        self.planner = set(table.loc[table["field"] == "wallet", "account_id"].astype(str))
        self.edits: list[SetWallet] = []

    def read(self, sheet: str, excel_row: int, row: int, cells: dict[str, Any], reason: str | None) -> bool:
        if self.shown is None or PLAN_WALLET not in cells:
            return False
        before = self.shown[row]
        account = str(self.state.accounts["account_id"].iat[row])
        text = cell_text(cells[PLAN_WALLET])
        if text is None:
            if account in self.planner:
                self.edits.append(SetWallet((row,), None, reason or EDITED_IN_EXCEL))
                return True
            if math.isfinite(before):
                self.problems.add(
                    sheet, excel_row, PLAN_WALLET, "the wallet was cleared; it stays as it was."
                )
            return False
        try:
            value = number(cells[PLAN_WALLET])
        except ValueError:
            value = None
        if value is None or value <= 0:
            self.problems.add(
                sheet, excel_row, PLAN_WALLET, f"'{text}' is not a wallet (an amount above 0); not taken."
            )
            return False
        if math.isfinite(before) and abs(value - before) <= max(0.005, 1e-9 * abs(before)):
            return False
        self.edits.append(SetWallet((row,), value, reason or EDITED_IN_EXCEL))
        return True


def _untaken(
    cells: dict[str, Any], state: PlanSnapshot, row: int, sheet: str, excel_row: int, problems: Problems
) -> None:
    """List what cannot be taken from the row (and drop it): formulas in editable cells, and a revenue
    changed in Excel (it comes from the territory file)."""
    for header in [h for h, v in cells.items() if v is FORMULA]:
        problems.add(sheet, excel_row, header, FORMULA_TEXT)
        cells.pop(header)
    if PLAN_REVENUE in cells:
        cell, written = cells.pop(PLAN_REVENUE), float(state.classification().revenue[row])
        try:
            typed = number(cell)
        except ValueError:
            typed = None if written != written else math.nan
        kept = (typed is None and written != written) or (
            typed is not None and written == written and digits(typed) == digits(written)
        )
        if not kept:
            problems.add(
                sheet,
                excel_row,
                PLAN_REVENUE,
                f"the revenue was changed to '{cell_text(cell, False) or ''}'; not taken: revenue comes "
                "from the territory file (change it there and make the plan from it again).",
            )


def _pinned(state: PlanSnapshot, row: int) -> list[tuple[str, str]]:
    """The account's current overrides as (field, value): re-pinned when only the reason was edited."""
    account = state.accounts["account_id"].iat[row]
    table = state.overrides[state.overrides["account_id"] == account]
    return list(zip(table["field"].tolist(), table["value"].tolist(), strict=True))


def _missing_accounts(
    state: PlanSnapshot, sheets: list[str], per_sheet: int, seen: np.ndarray, problems: Problems
) -> None:
    gone = np.flatnonzero(~seen)
    if not len(gone) or not sheets:
        return
    a = state.accounts
    ids = a["account_id"].tolist() if "account_id" in a.columns else list(range(1, len(a) + 1))
    names = a["account_name"].tolist() if "account_name" in a.columns else None
    for r in gone[:MAX_LISTED].tolist():
        part = min(r // per_sheet, len(sheets) - 1)
        who = f"account '{ids[r]}'" + (f" ({names[r]})" if names is not None else "")
        problems.add(
            sheets[part],
            r % per_sheet + 2,
            None,
            f"{who} is missing from the sheet (row deleted in Excel?); it stays in the plan unchanged.",
        )
    if len(gone) > MAX_LISTED:
        problems.add(
            sheets[0], None, None, f"…and {len(gone) - MAX_LISTED:,} more accounts missing from the sheet."
        )
