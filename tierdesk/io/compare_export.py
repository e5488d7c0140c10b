"""Comparison and progress workbooks (Excel tables, frozen headers, texts kept literal), written atomically.
(The plans and accounts they compare are opened by tierdesk.app.opening.)"""

from __future__ import annotations

import contextlib
import os
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from tierdesk.domain.compare import CAUSES, Comparison, objects
from tierdesk.domain.progress import Progress
from tierdesk.io.errors import Steps
from tierdesk.io.excel_cells import Column, Formats, TableSheet, excel_dates, numbers, visible_texts
from tierdesk.io.parts import ZIP_ERRORS
from tierdesk.io.plan_file import SaveError, is_plan_workbook
from tierdesk.io.print_setup import PageSetup
from tierdesk.io.saving import (
    close_quietly,
    remove_leftovers,
    scratch_folder,
    shareable,
    temporary_file,
    why_not_saved,
)
from tierdesk.io.sniff import is_regular_file

__all__ = [
    "REPORT_PROPERTY",
    "is_report_workbook",
    "write_comparison",
    "write_progress",
]

REPORT_PROPERTY = "tierdesk report"  # custom document property marking the workbooks written here
OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": False,
}
PER_SHEET = 1_048_575
Sheet = tuple[str, str, pd.DataFrame, list[tuple[str, Column]]]  # sheet, table name, rows, (key, column)
Row = tuple[str, Any, str]  # label, value, kind ("" for a section heading)

# ---------------------------------------------------------------- writing


def is_report_workbook(path: str | Path) -> bool:
    """Whether a file is a comparison or progress workbook tierdesk wrote (safe to overwrite)."""
    if not is_regular_file(path):
        return False
    try:
        with zipfile.ZipFile(path) as zf, zf.open("docProps/custom.xml") as fh:
            return REPORT_PROPERTY.encode() in fh.read(1 << 16)
    except (KeyError, *ZIP_ERRORS):
        return False


def _save(path: str | os.PathLike[str], write: Callable[[str, str], None]) -> None:
    """Write to a temporary file in the target's folder (the writer's scratch files in a temporary folder
    beside it), then replace the target. Refuses to overwrite a folder, a pipe or a device, or a file that is
    not a tierdesk report (the territory file or a plan, say)."""
    target = Path(path)
    if target.is_dir():
        raise SaveError(f"{target.name} is a folder: choose a file name for the workbook.", target)
    if target.exists() and not is_report_workbook(target):
        kind = "a tierdesk plan" if is_plan_workbook(target) else "not a tierdesk report"
        raise SaveError(
            f"{target.name} is {kind}; tierdesk never overwrites other files: choose another name.", target
        )
    remove_leftovers(target.parent)
    try:
        tmp = temporary_file(target)
    except OSError as exc:
        raise SaveError(f"Could not save {target.name}: {why_not_saved(exc)}.", target) from exc
    try:
        with scratch_folder(target) as scratch:
            write(tmp, scratch)
        shareable(tmp)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError | FileCreateError):
            close_quietly(exc)
            cause = exc.__cause__ or exc.__context__ if isinstance(exc, FileCreateError) else exc
            reason = why_not_saved(cause) if isinstance(cause, OSError) else str(exc)
            raise SaveError(f"Could not save {target.name}: {reason}.", target) from exc
        raise


def _cells(values: pd.Series, kind: str) -> np.ndarray:
    """Cell values for one column: literal texts, numbers, serial dates or booleans (None where missing)."""
    if kind in ("money", "number", "integer", "percent"):
        return numbers(pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan))
    if kind == "date":
        return excel_dates(pd.to_datetime(values, errors="coerce").to_numpy("datetime64[ns]"))
    if kind == "general":  # yes/no
        return objects(values.astype("boolean"))
    return visible_texts(objects(values.astype("string")))


def _workbook(
    path: str,
    scratch: str,
    what: str,
    currency: str,
    summary: list[Row],
    sheets: list[Sheet],
    period: str = "",
) -> None:
    page = PageSetup(what, period)
    wb = Workbook(path, {**OPTIONS, "tmpdir": scratch})
    try:
        wb.set_properties({"title": what, "comments": "Made with tierdesk."})
        wb.set_custom_property(REPORT_PROPERTY, what)
        fmt = Formats(wb, currency)
        fmt.by_kind["percent"] = wb.add_format({"num_format": "0.0%"})
        parts = [
            (TableSheet(name, table, [c for _, c in cols], len(frame), PER_SHEET, page=page), frame, cols)
            for name, table, frame, cols in sheets
        ]
        ws = wb.add_worksheet("Summary")
        for part, _, _ in parts:
            for name, _, _ in part.sheets:
                wb.add_worksheet(name)
        _summary(ws, fmt, what, summary)
        page.apply(ws, landscape=False)
        ws.fit_to_pages(1, 0)
        for part, frame, cols in parts:
            cells = [_cells(frame[key], c.kind) for key, c in cols]

            def block(first: int, last: int, cells: list[np.ndarray] = cells) -> list[np.ndarray]:
                return [c[first:last] for c in cells]

            part.write(wb, fmt, block, Steps(), _no_decoration)
    finally:
        wb.close()


def _no_decoration(ws: Worksheet, rows: int) -> None:
    return None


def _summary(ws: Worksheet, fmt: Formats, title: str, rows: list[Row]) -> None:
    ws.set_column(0, 0, 46)
    ws.set_column(1, 1, 18)
    ws.write_string(0, 0, title, fmt.title)
    for r, (label, value, kind) in enumerate(rows, start=2):
        if not kind:
            ws.write_string(r, 0, str(visible_texts([label])[0]), fmt.section)
            continue
        ws.write_string(r, 0, label, fmt.label)
        if kind == "text":
            ws.write_string(r, 1, str(visible_texts([value])[0] or ""), fmt.cell)
        elif value is None or (isinstance(value, float) and not np.isfinite(value)):
            ws.write_string(r, 1, "n/a", fmt.cell)
        else:
            ws.write_number(r, 1, float(value), fmt.of(kind))


def _columns(*spec: tuple[str, str, float, str]) -> list[tuple[str, Column]]:
    return [(key, Column(header, width, kind)) for key, header, width, kind in spec]


IDENTITY = (("account_id", "Account ID", 14, "text"), ("account_name", "Account name", 32, "text"))


def write_comparison(comparison: Comparison, path: str | os.PathLike[str]) -> None:
    """The comparison as a workbook: Summary, Moved, Added, Dropped, Owner changes (atomic; SaveError)."""
    c = comparison
    counts = c.moved_counts()
    rows: list[Row] = [
        ("Accounts", None, ""),
        ("Accounts in the old plan", c.accounts[0], "integer"),
        ("Accounts in the new plan", c.accounts[1], "integer"),
        ("Accounts in both", c.matched, "integer"),
        ("New accounts", len(c.added), "integer"),
        ("Dropped accounts", len(c.dropped), "integer"),
        ("Owner changes", len(c.owner_changes), "integer"),
        ("Disruption (accounts changing owner or tier)", c.disruption, "integer"),
        ("Moves, by cause", None, ""),
    ]
    for what, by_cause in counts.items():
        rows += [(f"{what.capitalize()} changes: {cause}", by_cause[cause], "integer") for cause in CAUSES]
    rows += [
        ("Coverage", None, ""),
        ("Sellers needed: old plan", c.sellers[0], "number"),
        ("Sellers needed: new plan", c.sellers[1], "number"),
        ("Sellers needed: change", c.sellers_delta, "number"),
        ("Cost of sales: old plan", c.cost[0], "money"),
        ("Cost of sales: new plan", c.cost[1], "money"),
        ("Cost of sales: change", c.cost_delta, "money"),
    ]
    if c.notes:
        rows += [("Notes", None, ""), *[("Note", n, "text") for n in c.notes]]
    moved = _columns(
        *IDENTITY,
        ("field", "Changed", 10, "text"),
        ("from", "From", 24, "text"),
        ("to", "To", 24, "text"),
        ("cause", "Cause", 10, "text"),
    )
    owners = _columns(
        *IDENTITY,
        ("from", "From owner", 24, "text"),
        ("to", "To owner", 24, "text"),
        ("cause", "Cause", 12, "text"),
        ("reason", "Reason", 40, "text"),
    )
    sheets: list[Sheet] = [
        ("Moved", "Moved", c.moved, moved),
        ("Added", "Added", c.added, _columns(*IDENTITY)),
        ("Dropped", "Dropped", c.dropped, _columns(*IDENTITY)),
        ("Owner changes", "OwnerChanges", c.owner_changes, owners),
    ]
    _save(path, lambda tmp, scratch: _workbook(tmp, scratch, "Plan comparison", c.currency, rows, sheets))


GROUP = (
    ("accounts", "Accounts", 10, "integer"),
    ("objectives", "Objectives", 11, "integer"),
    ("met", "Met", 8, "integer"),
    ("met_share", "Share met", 10, "percent"),
    ("revenue_then", "Revenue then", 14, "money"),
    ("revenue_now", "Revenue now", 14, "money"),
    ("revenue_target", "Revenue target", 14, "money"),
    ("revenue_now_targeted", "Revenue now (accounts with a target)", 18, "money"),
    ("revenue_attainment", "Revenue attainment", 12, "percent"),
)


def write_progress(progress: Progress, path: str | os.PathLike[str]) -> None:
    """Progress as a workbook: Summary, By owner, By territory, By tier, Accounts, Objectives (atomic)."""
    p = progress
    t = p.totals()
    rows: list[Row] = [
        ("Plan", None, ""),
        ("Plan date", p.plan_date.date().isoformat(), "text"),
        ("Accounts", t["accounts"], "integer"),
        ("Objectives", None, ""),
        ("Objectives", t["objectives"], "integer"),
        ("Objectives met", t["met"], "integer"),
        ("Share met", t["met_share"], "percent"),
        ("Revenue", None, ""),
        ("Revenue then", t["revenue_then"], "money"),
        ("Revenue now", t["revenue_now"], "money"),
        ("Revenue target", t["revenue_target"], "money"),
        ("Revenue now (accounts with a target)", t["revenue_now_targeted"], "money"),
        ("Revenue attainment", t["revenue_attainment"], "percent"),
    ]
    if p.notes:
        rows += [("Notes", None, ""), *[("Note", n, "text") for n in p.notes]]
    names = p.per_account.set_index("account_id")["account_name"]
    objectives = p.per_objective.assign(
        account_name=p.per_objective["account_id"].map(names[~names.index.duplicated()])
    )
    accounts = _columns(
        *IDENTITY,
        ("owner", "Owner", 18, "text"),
        ("territory", "Territory", 18, "text"),
        ("tier", "Tier", 12, "text"),
        ("revenue_then", "Revenue then", 14, "money"),
        ("revenue_now", "Revenue now", 14, "money"),
        ("revenue_target", "Revenue target", 14, "money"),
        ("revenue_attainment", "Revenue attainment", 12, "percent"),
        ("objectives", "Objectives", 11, "integer"),
        ("met", "Met", 8, "integer"),
        ("met_share", "Share met", 10, "percent"),
    )
    objective_columns = _columns(
        ("objective_id", "Objective ID", 11, "integer"),
        *IDENTITY,
        ("kind", "Kind", 16, "text"),
        ("description", "Objective", 40, "text"),
        ("target", "Target", 12, "number"),
        ("target_text", "Target (text)", 24, "text"),
        ("due", "Due", 11, "date"),
        ("status", "Status", 12, "text"),
        ("value_now", "Value now", 12, "number"),
        ("met", "Met", 8, "general"),
        ("evidence", "Evidence", 48, "text"),
    )
    sheets: list[Sheet] = []
    for title, table, frame, key in (
        ("By owner", "ByOwner", p.by_owner, "Owner"),
        ("By territory", "ByTerritory", p.by_territory, "Territory"),
        ("By tier", "ByTier", p.by_tier, "Tier"),
    ):
        grouped = frame.reset_index(names="group")
        sheets.append((title, table, grouped, _columns(("group", key, 22, "text"), *GROUP)))
    sheets += [
        ("Accounts", "Accounts", p.per_account, accounts),
        ("Objectives", "Objectives", objectives, objective_columns),
    ]
    period = f"plan of {p.plan_date.date().isoformat()}"
    _save(
        path, lambda tmp, scratch: _workbook(tmp, scratch, "Plan progress", p.currency, rows, sheets, period)
    )
