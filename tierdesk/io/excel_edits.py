"""Edits a planner made to a plan workbook in Excel (tiers, personas, categories, objectives): valid ones
become domain edits, every other one an Issue naming its sheet and row."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook

from tierdesk.domain.objectives import KIND_LABELS, STATUSES, YEARS, Objective
from tierdesk.domain.plan import AddObjectives, PinAccounts, SetObjectiveValues, SetWallet
from tierdesk.domain.playbook import CATEGORIES, PERSONAS, UNCLASSIFIED
from tierdesk.io.excel_cells import visible_text, visible_texts
from tierdesk.io.excel_sellers import seller_edits
from tierdesk.io.export_sheets import (
    OBJ_ACCOUNT,
    OBJ_FIELDS,
    OBJ_ID,
    PLAN_CATEGORY,
    PLAN_ID,
    PLAN_PERSONA,
    PLAN_REASON,
    PLAN_TIER,
    PLAN_WALLET,
    objective_order,
)
from tierdesk.io.report import Issue, column_label, row_list, where

if TYPE_CHECKING:
    from tierdesk.domain.plan import Edit
    from tierdesk.io.errors import Steps
    from tierdesk.io.plan_file import PlanFile

EDITED_IN_EXCEL = "Edited in Excel"
MAX_LISTED = 1000  # problems listed one by one; the rest are summed up
PLAN_REVENUE = "Revenue"
#: An editable cell holding a formula: its result is not taken as an edit (the planner is told).
FORMULA = type("Formula", (), {"__repr__": lambda self: "<formula>"})()
_FORMULA_TEXT = "holds a formula; not taken (type the value itself, not a formula)."
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


class Problems:
    """Issues found in the planner's edits, each naming file, sheet, row and column."""

    def __init__(self, path: Path) -> None:
        self.path, self.items, self.left_out = path, list[Issue](), 0
        self.too_big: set[str] = set()
        self.formulas: dict[str, frozenset[tuple[int, int]]] = {}

    def add(self, sheet: str, row: int | None, column: str | None, text: str) -> None:
        if len(self.items) >= MAX_LISTED:
            self.left_out += 1
            return
        shown = column_label(column) if column else None
        self.items.append(
            Issue("warning", sheet, row, column, f"{where(self.path, sheet, row, shown)}: {text}")
        )

    def finish(self) -> list[Issue]:
        if self.left_out:
            self.items.append(
                Issue(
                    "warning",
                    None,
                    None,
                    None,
                    f"{self.path.name}: …and {self.left_out:,} more "
                    "problems with edits made in Excel, not listed.",
                )
            )
        return self.items


def _cell_text(v: Any, strip: bool = True) -> str | None:
    """A cell as text (None when empty); whole numbers without '.0'."""
    if v is None or v == "":
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.date):
        return v.isoformat()
    text = str(v)
    return (text.strip() or None) if strip else text


def _rows(
    book: CalamineWorkbook,
    sheet: str,
    wanted: list[str],
    problems: Problems,
    needed: str,
    formulas: frozenset[tuple[int, int]] = frozenset(),
) -> Iterator[tuple[int, dict[str, Any]]] | None:
    """(Excel row, {header: value}) for every filled row below the header, FORMULA for a cell (row, column)
    in `formulas`; None when the sheet or the `needed` column is missing (a problem says so)."""
    if sheet in problems.too_big:
        problems.add(
            sheet, None, None, "the sheet is far larger than this plan could fill; its edits are not read."
        )
        return None
    try:
        ws = book.get_sheet_by_name(sheet)
    except (CalamineError, ValueError, KeyError):
        problems.add(
            sheet, None, None, "the sheet is missing (deleted or renamed in Excel?); its edits are not read."
        )
        return None
    if ws.start is None:
        problems.add(sheet, None, None, "the sheet is empty; its edits are not read.")
        return None
    header: list[Any] | None = None
    header_at = 0
    kept: list[tuple[int, tuple[Any, ...]]] = []  # (index, the wanted cells) of each filled row
    count = 0
    picks: list[int] = []
    for i, r in enumerate(ws.iter_rows()):  # only the wanted cells are kept: sheets can be large
        count = i + 1
        if all(c in ("", None) for c in r):
            continue
        if header is None:
            header, header_at = list(r), i
            headers = {_cell_text(c): j for j, c in enumerate(header) if _cell_text(c)}
            picks = [headers.get(name, -1) for name in wanted]
            continue
        kept.append((i, tuple(r[j] if 0 <= j < len(r) else None for j in picks)))
    end = ws.end or (count - 1, 0)
    offset = end[0] + 1 - count + 1  # Excel rows count from 1; iter_rows may begin at the used range
    if header is None:
        return None
    names = {name for name, j in zip(wanted, picks, strict=True) if j >= 0}
    if needed not in names:
        problems.add(
            sheet,
            header_at + offset,
            None,
            f"no '{needed}' column (renamed or deleted in Excel?); the sheet's edits are not read.",
        )
        return None
    for name in wanted:
        if name not in names:
            problems.add(sheet, header_at + offset, None, f"no '{name}' column; its edits are not read.")

    first_column = (ws.start[1] if ws.start else 0) + 1

    def gen() -> Iterator[tuple[int, dict[str, Any]]]:
        for i, cells in kept:
            yield (
                i + offset,
                {
                    name: FORMULA if (i + offset, first_column + j) in formulas else v
                    for name, v, j in zip(wanted, cells, picks, strict=True)
                    if j >= 0
                },
            )

    return gen()


def read_edits(
    book: CalamineWorkbook,
    state: PlanFile,
    meta: dict[str, Any],
    shown: pd.DataFrame,
    path: Path,
    steps: Steps,
    sizes: dict[str, int] | None = None,
    formulas: dict[str, frozenset[tuple[int, int]]] | None = None,
) -> tuple[list[Issue], list[Edit]]:
    """The valid edits made in Excel and the problems with the others (see the module docstring). `sizes`
    holds each sheet's unpacked XML size: a sheet far larger than this plan could fill is not read.
    `formulas` holds each sheet's cells (row, column) with a formula: those are listed, not taken."""
    problems = Problems(path)
    problems.formulas = formulas or {}
    cells = len(state.accounts) * 48 + len(state.objectives) * 16
    problems.too_big = {s for s, size in (sizes or {}).items() if size > (32 << 20) + 250 * cells}
    per_sheet = int(meta["rows_per_sheet"])
    steps.report(0.0, "Reading edits made in Excel")
    edits: list[Edit] = list(_plan_edits(book, state, meta["sheets"]["plans"], per_sheet, shown, problems))
    steps.report(0.5, "Reading objectives edited in Excel")
    edits += _objective_edits(book, state, meta["sheets"]["objectives"], per_sheet, problems)
    edits += seller_edits(
        book, state, meta["sheets"].get("sellers", []), problems, _rows
    )  # none: older plans
    steps.report(1.0, "Edits read")
    return problems.finish(), edits


# ---------------------------------------------------------------- Account Plans


def _id_rows(state: PlanFile) -> dict[str, list[int]]:
    """Account id as its cell shows it -> the plan rows with that id, in order."""
    out: dict[str, list[int]] = {}
    if "account_id" not in state.accounts.columns:
        return out
    for r, a in enumerate(state.accounts["account_id"].tolist()):
        if a is not None and not (isinstance(a, float) or a is pd.NA):
            out.setdefault(visible_text(str(a)).strip(), []).append(r)
    return out


def _plan_edits(
    book: CalamineWorkbook,
    state: PlanFile,
    sheets: list[str],
    per_sheet: int,
    shown: pd.DataFrame,
    problems: Problems,
) -> list[Edit]:
    fields = {
        PLAN_TIER: ("tier", list(state.playbook.tier_names)),
        PLAN_PERSONA: ("persona", list(PERSONAS)),
        PLAN_CATEGORY: ("category", list(CATEGORIES)),
    }
    lookup = {h: {visible_text(n).strip().casefold(): n for n in names} for h, (_, names) in fields.items()}
    shown_names = {
        h: np.array([*(visible_text(n) for n in names), UNCLASSIFIED], dtype=object)
        for h, (_, names) in fields.items()
    }
    ids = _id_rows(state)
    seen = np.zeros(len(state.accounts), bool)
    if "account_id" in state.accounts.columns:
        seen |= state.accounts["account_id"].isna().to_numpy(bool)  # no id: never matched, never missed
    reasons = shown["reason"].astype("string").fillna("").to_numpy(object)
    codes = {field: shown[field].to_numpy(np.int64) for field in ("tier", "persona", "category")}
    pins: dict[tuple[str, str, str], list[int]] = {}
    wallets = _Wallets(state, shown, problems)
    for part, sheet in enumerate(sheets):
        formulas = problems.formulas.get(sheet, frozenset())
        wanted = [PLAN_ID, *fields, PLAN_REASON, PLAN_REVENUE, *wallets.headers]
        rows = _rows(book, sheet, wanted, problems, PLAN_ID, formulas)
        if rows is None:  # a sheet not read: its accounts are not missing, only unread
            seen[part * per_sheet : (part + 1) * per_sheet] = True
        for excel_row, cells in rows or ():
            account = _cell_text(cells.get(PLAN_ID))
            if account is None:
                problems.add(sheet, excel_row, PLAN_ID, "no Account ID; the row is not read.")
                continue
            candidates = ids.get(account)
            if not candidates:
                problems.add(
                    sheet,
                    excel_row,
                    PLAN_ID,
                    f"account '{account}' is not in this plan; rows added in "
                    "Excel are not taken (add accounts to the territory file).",
                )
                continue
            free = [r for r in candidates if not seen[r]]
            if not free:
                problems.add(
                    sheet, excel_row, PLAN_ID, f"account '{account}' appears again; this row is not read."
                )
                continue
            row = free[0]
            seen[row] = True
            _untaken(cells, state, row, sheet, excel_row, problems)
            typed = _cell_text(cells.get(PLAN_REASON))
            reason = typed if PLAN_REASON in cells and typed and typed != reasons[row].strip() else None
            changed = False
            for header, (field, names) in fields.items():
                if header not in cells:
                    continue
                value = _cell_text(cells[header])
                code = int(codes[field][row])
                if (
                    value is not None
                    and value.casefold() == str(shown_names[header][code]).strip().casefold()
                ):
                    continue
                if value is None:
                    problems.add(
                        sheet,
                        excel_row,
                        header,
                        f"the {field} was cleared; it stays {shown_names[header][code]}.",
                    )
                elif value.casefold() == UNCLASSIFIED.casefold():
                    problems.add(
                        sheet,
                        excel_row,
                        header,
                        f"an account cannot be set to {UNCLASSIFIED}; its "
                        f"{field} stays {shown_names[header][code]}.",
                    )
                elif value.casefold() in lookup[header]:
                    pins.setdefault(
                        (field, lookup[header][value.casefold()], reason or EDITED_IN_EXCEL), []
                    ).append(row)
                    changed = True
                else:
                    problems.add(
                        sheet,
                        excel_row,
                        header,
                        f"'{value}' is not a {field} of this plan (use one of "
                        f"{', '.join(names)}); not taken.",
                    )
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


class _Wallets:
    """Wallets typed in the Account Plans sheet: the planner's own figure (a number above 0), or an empty
    cell where the planner's figure was (back to the file's or the estimate)."""

    def __init__(self, state: PlanFile, shown: pd.DataFrame, problems: Problems) -> None:
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
        text = _cell_text(cells[PLAN_WALLET])
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
            value = _number(cells[PLAN_WALLET])
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
    cells: dict[str, Any], state: PlanFile, row: int, sheet: str, excel_row: int, problems: Problems
) -> None:
    """List what cannot be taken from the row (and drop it): formulas in editable cells, and a revenue
    changed in Excel (it comes from the territory file)."""
    for header in [h for h, v in cells.items() if v is FORMULA]:
        problems.add(sheet, excel_row, header, _FORMULA_TEXT)
        cells.pop(header)
    if PLAN_REVENUE in cells:
        cell, written = cells.pop(PLAN_REVENUE), float(state.classification().revenue[row])
        try:
            typed = _number(cell)
        except ValueError:
            typed = None if written != written else math.nan
        kept = (typed is None and written != written) or (
            typed is not None and written == written and _digits(typed) == _digits(written)
        )
        if not kept:
            problems.add(
                sheet,
                excel_row,
                PLAN_REVENUE,
                f"the revenue was changed to '{_cell_text(cell, False) or ''}'; not taken: revenue comes "
                "from the territory file (change it there and make the plan from it again).",
            )


def _pinned(state: PlanFile, row: int) -> list[tuple[str, str]]:
    """The account's current overrides as (field, value): re-pinned when only the reason was edited."""
    account = state.accounts["account_id"].iat[row]
    table = state.overrides[state.overrides["account_id"] == account]
    return list(zip(table["field"].tolist(), table["value"].tolist(), strict=True))


def _missing_accounts(
    state: PlanFile, sheets: list[str], per_sheet: int, seen: np.ndarray, problems: Problems
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


# ---------------------------------------------------------------- Objectives


def _number(v: Any) -> float | None:
    """A target from a cell; ValueError when it is not a number."""
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        raise ValueError
    if isinstance(v, int | float):
        if not math.isfinite(v):
            raise ValueError
        return float(v)
    text = str(v).strip().replace(",", "").replace("\u00a0", "").replace(" ", "").lstrip("$€£¥")
    if not _NUMBER.match(text):
        raise ValueError
    return float(text)


def _date(v: Any) -> dt.date | None:
    """A due date from a cell; ValueError when it is not a date (or lies outside the years plans use)."""
    if v is None or v == "":
        return None
    if isinstance(v, str) and re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", v):
        v = dt.date.fromisoformat(v.strip())
    if isinstance(v, dt.date) and YEARS[0] <= v.year <= YEARS[1]:
        return dt.date(v.year, v.month, v.day)
    raise ValueError


def _parse(field: str, v: Any) -> tuple[Any, str | None]:
    """(value, problem) for one objective cell."""
    if v is FORMULA:
        return None, _FORMULA_TEXT
    if field in ("kind", "status"):
        text = _cell_text(v)
        if text is None:
            return None, None  # cleared: a new objective takes the default, an existing one keeps its value
        names = _KINDS if field == "kind" else _STATUSES
        choices = KIND_LABELS.values() if field == "kind" else STATUSES
        found = names.get(text.casefold())
        what = "an objective kind" if field == "kind" else "a status"
        return (
            (found, None)
            if found
            else (None, f"'{text}' is not {what} (use one of {', '.join(choices)}); not taken.")
        )
    if field == "target":
        try:
            return _number(v), None
        except ValueError:
            return None, f"'{_cell_text(v, False)}' is not a number; not taken."
    if field == "due":
        try:
            return _date(v), None
        except ValueError:
            shown = _cell_text(v, False)
            return (
                None,
                f"'{shown}' is not a date between {YEARS[0]} and {YEARS[1]} (e.g. 2026-06-30); not taken.",
            )
    return _cell_text(v, strip=False) or "", None


_KINDS = {**{k.casefold(): k for k in KIND_LABELS}, **{v.casefold(): k for k, v in KIND_LABELS.items()}}
_STATUSES = {s.casefold(): s for s in STATUSES}


def _digits(value: float) -> float:
    """A number to the 15 significant digits Excel keeps (LibreOffice, too, saves no more)."""
    return float(f"{value:.15g}")


def _as_written(o: pd.DataFrame) -> dict[str, list[Any]]:
    """Each editable objective field as its cell was written, in the form _parse() reads a cell back."""
    target = o["target"].to_numpy(float)
    due = o["due"].to_numpy("datetime64[D]").astype(object)  # datetime.date, None for NaT
    out: dict[str, list[Any]] = {
        "target": [None if t != t else _digits(t) for t in target.tolist()],
        "due": due.tolist(),
        "kind": o["kind"].tolist(),
        "status": o["status"].tolist(),
    }
    for field in ("description", "target_text", "notes"):
        out[field] = visible_texts(o[field].array, literal=False).tolist()
    return out


def _objective_edits(
    book: CalamineWorkbook, state: PlanFile, sheets: list[str], per_sheet: int, problems: Problems
) -> list[Edit]:
    o = state.objectives
    ids = o["objective_id"].to_numpy(np.int64)
    position = {int(i): p for p, i in enumerate(ids.tolist())}
    written = _as_written(o)
    seen = np.zeros(len(o), bool)
    entries: list[tuple[int, str, Any]] = []
    added: list[Objective] = []
    account_ids = _id_rows(state)
    next_id = state.next_objective_id
    order, _ = objective_order(state.accounts, o)
    for part, sheet in enumerate(sheets):
        formulas = problems.formulas.get(sheet, frozenset())
        rows = _rows(book, sheet, [OBJ_ID, OBJ_ACCOUNT, *OBJ_FIELDS], problems, OBJ_ID, formulas)
        if rows is None:
            seen[order[part * per_sheet : (part + 1) * per_sheet]] = True
        for excel_row, cells in rows or ():
            raw = cells.get(OBJ_ID)
            parsed = {f: _parse(f, cells[h]) for h, f in OBJ_FIELDS.items() if h in cells}
            bad = [(h, str(parsed[f][1])) for h, f in OBJ_FIELDS.items() if f in parsed and parsed[f][1]]
            if raw in (None, ""):
                new = _new_objective(cells, parsed, bad, account_ids, next_id, sheet, excel_row, problems)
                if new is not None:
                    added.append(new)
                    next_id += 1
                continue
            text = _cell_text(raw) or ""
            oid = int(text) if text.isdigit() else None
            at = position.get(oid) if oid is not None else None
            if at is None:
                problems.add(
                    sheet,
                    excel_row,
                    OBJ_ID,
                    f"objective '{text}' is not in this plan; the row is not "
                    "taken (leave Objective ID empty to add an objective).",
                )
                continue
            if seen[at]:
                problems.add(
                    sheet, excel_row, OBJ_ID, f"objective {oid} appears again; this row is not read."
                )
                continue
            seen[at] = True
            for header, message in bad:
                problems.add(sheet, excel_row, header, message)
            for field, (value, problem) in parsed.items():
                if problem is None and value is None and field in ("kind", "status"):
                    header = next(h for h, f in OBJ_FIELDS.items() if f == field)
                    kept = str(written[field][at])
                    problems.add(
                        sheet,
                        excel_row,
                        header,
                        f"the {field} was cleared; it stays {KIND_LABELS.get(kept, kept)}.",
                    )
                elif problem is None and written[field][at] != (
                    _digits(value) if field == "target" and value is not None else value
                ):
                    entries.append((int(ids[at]), field, value))
    gone = np.flatnonzero(~seen)
    if len(gone) and sheets:
        place = np.empty(len(order), np.int64)
        place[order] = np.arange(len(order))
        for k in gone[:MAX_LISTED].tolist():
            p = int(place[k])
            problems.add(
                sheets[min(p // per_sheet, len(sheets) - 1)],
                p % per_sheet + 2,
                None,
                f"objective {int(ids[k])} ('{o['description'].iat[k]}') is missing from the sheet (row "
                "deleted in Excel?); it stays in the plan. Remove objectives in tierdesk.",
            )
        if len(gone) > MAX_LISTED:
            problems.add(
                sheets[0],
                None,
                None,
                f"…and {len(gone) - MAX_LISTED:,} more objectives missing "
                f"(ids {row_list(ids[gone[MAX_LISTED:]].tolist(), 5)}).",
            )
    edits: list[Edit] = []
    if entries:
        count = len({i for i, _, _ in entries})
        edits.append(SetObjectiveValues(tuple(entries), f"Objectives edited in Excel ({count:,})"))
    if added:
        edits.append(AddObjectives(tuple(added), f"Objectives added in Excel ({len(added):,})"))
    return edits


def _new_objective(
    cells: dict[str, Any],
    parsed: dict[str, tuple[Any, str | None]],
    bad: list[tuple[str, str]],
    account_ids: dict[str, list[int]],
    oid: int,
    sheet: str,
    excel_row: int,
    problems: Problems,
) -> Objective | None:
    account = _cell_text(cells.get(OBJ_ACCOUNT))
    if account is None or account not in account_ids:
        what = "no Account ID" if account is None else f"account '{account}' is not in this plan"
        problems.add(sheet, excel_row, OBJ_ACCOUNT, f"a new objective row with {what}; not taken.")
        return None
    if bad:
        for header, message in bad:
            problems.add(
                sheet, excel_row, header, message.replace("not taken", "the new objective is not taken")
            )
        return None
    values = {f: v for f, (v, _) in parsed.items()}
    if not values.get("description"):
        problems.add(sheet, excel_row, "Description", "a new objective needs a description; not taken.")
        return None
    return Objective(
        oid,
        account,
        values.get("kind") or "custom",
        values["description"],
        values.get("target"),
        values.get("target_text", ""),
        values.get("due"),
        values.get("status") or STATUSES[0],
        values.get("notes", ""),
    )
