"""Edits a planner made to the Objectives sheet in Excel: values changed (kind, description, target, due date,
status, notes) and objectives added on new rows; rows deleted or repeated, and values that cannot be taken,
are listed as problems."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from tierdesk.domain.objectives import KIND_LABELS, STATUSES, YEARS, Objective
from tierdesk.domain.plan import AddObjectives, Edit, SetObjectiveValues
from tierdesk.io.excel_cells import visible_texts
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
from tierdesk.io.export_sheets import objective_order
from tierdesk.io.plan_format import OBJ_ACCOUNT, OBJ_FIELDS, OBJ_ID
from tierdesk.io.report import row_list
from tierdesk.io.snapshot import PlanSnapshot

__all__ = ["objective_edits"]

#: A cell's value parsed for its objective field, and the problem that kept it from being taken.
Parsed = dict[str, tuple[Any, str | None]]


def objective_edits(
    book: CalamineWorkbook, state: PlanSnapshot, sheets: list[str], per_sheet: int, problems: Problems
) -> list[Edit]:
    """The Objectives sheets' valid edits: the values changed as one edit, the objectives added as another."""
    o = state.objectives
    ids = o["objective_id"].to_numpy(np.int64)
    position = {int(i): p for p, i in enumerate(ids.tolist())}
    written = _as_written(o)
    seen = np.zeros(len(o), bool)
    entries: list[tuple[int, str, Any]] = []
    added: list[Objective] = []
    account_ids = id_rows(state)
    next_id = state.next_objective_id
    order, _ = objective_order(state.accounts, o)
    for part, sheet in enumerate(sheets):
        formulas = problems.formulas.get(sheet, frozenset())
        rows = sheet_rows(book, sheet, [OBJ_ID, OBJ_ACCOUNT, *OBJ_FIELDS], problems, OBJ_ID, formulas)
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
            at = _objective_at(raw, position, seen, sheet, excel_row, problems)
            if at is None:
                continue
            for header, message in bad:
                problems.add(sheet, excel_row, header, message)
            entries += _changes(int(ids[at]), parsed, written, at, sheet, excel_row, problems)
    _missing_objectives(o, order, seen, sheets, per_sheet, problems)
    edits: list[Edit] = []
    if entries:
        count = len({i for i, _, _ in entries})
        edits.append(SetObjectiveValues(tuple(entries), f"Objectives edited in Excel ({count:,})"))
    if added:
        edits.append(AddObjectives(tuple(added), f"Objectives added in Excel ({len(added):,})"))
    return edits


def _objective_at(
    raw: Any, position: dict[int, int], seen: np.ndarray, sheet: str, excel_row: int, problems: Problems
) -> int | None:
    """The position in the plan of the objective a row edits (marked seen); None, with a problem, when the
    plan has no such objective or the row repeats one already read."""
    text = cell_text(raw) or ""
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
        return None
    if seen[at]:
        problems.add(sheet, excel_row, OBJ_ID, f"objective {oid} appears again; this row is not read.")
        return None
    seen[at] = True
    return at


def _changes(
    oid: int,
    parsed: Parsed,
    written: dict[str, list[Any]],
    at: int,
    sheet: str,
    excel_row: int,
    problems: Problems,
) -> list[tuple[int, str, Any]]:
    """(objective id, field, value) for each value of an existing objective changed in its row; a kind or
    status cleared is a problem (it keeps its value)."""
    out = []
    for field, (value, problem) in parsed.items():
        if problem is None and value is None and field in ("kind", "status"):
            header = next(h for h, f in OBJ_FIELDS.items() if f == field)
            kept = str(written[field][at])
            problems.add(
                sheet, excel_row, header, f"the {field} was cleared; it stays {KIND_LABELS.get(kept, kept)}."
            )
        elif problem is None and written[field][at] != (
            digits(value) if field == "target" and value is not None else value
        ):
            out.append((oid, field, value))
    return out


def _missing_objectives(
    o: pd.DataFrame,
    order: np.ndarray,
    seen: np.ndarray,
    sheets: list[str],
    per_sheet: int,
    problems: Problems,
) -> None:
    """A problem for each objective no sheet row holds (row deleted in Excel?): it stays in the plan."""
    gone = np.flatnonzero(~seen)
    if not len(gone) or not sheets:
        return
    ids = o["objective_id"].to_numpy(np.int64)
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
        return None, FORMULA_TEXT
    if field in ("kind", "status"):
        text = cell_text(v)
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
            return number(v), None
        except ValueError:
            return None, f"'{cell_text(v, False)}' is not a number; not taken."
    if field == "due":
        try:
            return _date(v), None
        except ValueError:
            shown = cell_text(v, False)
            return (
                None,
                f"'{shown}' is not a date between {YEARS[0]} and {YEARS[1]} (e.g. 2026-06-30); not taken.",
            )
    return cell_text(v, strip=False) or "", None


_KINDS = {**{k.casefold(): k for k in KIND_LABELS}, **{v.casefold(): k for k, v in KIND_LABELS.items()}}
_STATUSES = {s.casefold(): s for s in STATUSES}


def _as_written(o: pd.DataFrame) -> dict[str, list[Any]]:
    """Each editable objective field as its cell was written, in the form _parse() reads a cell back."""
    target = o["target"].to_numpy(float)
    due = o["due"].to_numpy("datetime64[D]").astype(object)  # datetime.date, None for NaT
    out: dict[str, list[Any]] = {
        "target": [None if t != t else digits(t) for t in target.tolist()],
        "due": due.tolist(),
        "kind": o["kind"].tolist(),
        "status": o["status"].tolist(),
    }
    for field in ("description", "target_text", "notes"):
        out[field] = visible_texts(o[field].array, literal=False).tolist()
    return out


def _new_objective(
    cells: dict[str, Any],
    parsed: Parsed,
    bad: list[tuple[str, str]],
    account_ids: dict[str, list[int]],
    oid: int,
    sheet: str,
    excel_row: int,
    problems: Problems,
) -> Objective | None:
    account = cell_text(cells.get(OBJ_ACCOUNT))
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
