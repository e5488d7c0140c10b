"""Reading back the visible sheets of a plan workbook a planner edited in Excel: their rows cell by cell
(formulas marked, not taken), cells as text and numbers, and the problems found, each naming its file,
sheet, row and column. The Account Plans, Objectives and Sellers readers build on it."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook

from tierdesk.io.excel_cells import visible_text
from tierdesk.io.report import Issue, column_label, where
from tierdesk.io.snapshot import PlanSnapshot

__all__ = [
    "FORMULA",
    "FORMULA_TEXT",
    "MAX_LISTED",
    "Problems",
    "cell_text",
    "digits",
    "id_rows",
    "number",
    "sheet_rows",
]

MAX_LISTED = 1000  # problems listed one by one; the rest are summed up
#: An editable cell holding a formula: its result is not taken as an edit (the planner is told).
FORMULA = type("Formula", (), {"__repr__": lambda self: "<formula>"})()
FORMULA_TEXT = "holds a formula; not taken (type the value itself, not a formula)."
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


def cell_text(v: Any, strip: bool = True) -> str | None:
    """A cell as text (None when empty); whole numbers without '.0'."""
    if v is None or v == "":
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.date):
        return v.isoformat()
    text = str(v)
    return (text.strip() or None) if strip else text


def sheet_rows(
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
            headers = {cell_text(c): j for j, c in enumerate(header) if cell_text(c)}
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


def id_rows(state: PlanSnapshot) -> dict[str, list[int]]:
    """Account id as its cell shows it -> the plan rows with that id, in order."""
    out: dict[str, list[int]] = {}
    if "account_id" not in state.accounts.columns:
        return out
    for r, a in enumerate(state.accounts["account_id"].tolist()):
        if a is not None and not (isinstance(a, float) or a is pd.NA):
            out.setdefault(visible_text(str(a)).strip(), []).append(r)
    return out


def number(v: Any) -> float | None:
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


def digits(value: float) -> float:
    """A number to the 15 significant digits Excel keeps (LibreOffice, too, saves no more)."""
    return float(f"{value:.15g}")
