"""Reading a plan workbook: its hidden sheets, decoded exactly, and the edits made to its visible sheets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook

from tierdesk.domain.plan import Edit
from tierdesk.io.book import Book
from tierdesk.io.errors import ReadError, Steps
from tierdesk.io.excel_edits import read_edits
from tierdesk.io.plan_codec import DamagedPlanError, collect, digest, read_frame
from tierdesk.io.plan_format import DATA_SHEETS, FORMAT, FORMAT_VERSION, META_SHEET, OPTIONAL_PARTS
from tierdesk.io.plan_meta import snapshot_from_meta
from tierdesk.io.report import Issue
from tierdesk.io.scan import formula_cells
from tierdesk.io.snapshot import PlanSnapshot


def _sheet(book: CalamineWorkbook, name: str, file: str) -> list[list[Any]]:
    try:
        return book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except (CalamineError, ValueError, KeyError, OSError) as exc:
        raise ReadError(
            f"{file}: the plan data in sheet '{name}' is missing or damaged ({exc}). Open the "
            "last copy tierdesk saved, or a recovery copy."
        ) from None


def damaged(name: str, what: str, path: Path) -> ReadError:
    """The error for a plan workbook whose hidden data cannot restore the plan exactly."""
    return ReadError(
        f"{name} is a damaged tierdesk plan: {what}, so the plan cannot be restored exactly. Open the last "
        "copy tierdesk saved, or a recovery copy.",
        file=path,
    )


def saved_plan(
    reader: CalamineWorkbook, name: str, steps: Steps
) -> tuple[dict[str, Any], dict[str, pd.DataFrame], PlanSnapshot]:
    """The plan a workbook keeps in its very hidden sheets: its description, each part decoded (checked
    against the checksum it was saved with) and the snapshot they make."""
    meta_parts = collect(_sheet(reader, META_SHEET, name))
    try:
        meta = json.loads("".join(r[3] for r in meta_parts["meta"]))
    except (KeyError, ValueError):
        raise ReadError(f"{name}: the plan's description (sheet '{META_SHEET}') is damaged.") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ReadError(f"{name} is not a tierdesk plan workbook.")
    if int(meta.get("format_version", 0)) > FORMAT_VERSION:
        raise ReadError(
            f"{name} was saved by a newer tierdesk ({meta.get('tierdesk_version')}): update tierdesk "
            "to open it."
        )
    frames: dict[str, pd.DataFrame] = {}
    sheets: dict[str, dict[str, list[list[str]]]] = {}
    for i, (part, sheet) in enumerate(DATA_SHEETS.items()):
        steps.report(0.1 + 0.5 * i / len(DATA_SHEETS), "Reading the plan")
        if part in OPTIONAL_PARTS and part not in meta["digests"]:
            continue
        if sheet not in sheets:
            sheets[sheet] = collect(_sheet(reader, sheet, name))
        rows = sheets[sheet].get(part, [])
        if digest(rows) != meta["digests"].get(part):
            raise ReadError(
                f"{name}: the saved {part} (sheet '{sheet}') were changed or cut outside tierdesk, "
                "so the plan cannot be restored exactly. Open the last copy tierdesk saved."
            )
        try:
            frames[part] = read_frame(rows)
        except DamagedPlanError as exc:
            raise ReadError(f"{name}: the saved {part} cannot be read: {exc}.") from None
    return meta, frames, snapshot_from_meta(meta, frames, name)


def edits_in_excel(
    book: Book, state: PlanSnapshot, meta: dict[str, Any], shown: pd.DataFrame, steps: Steps
) -> tuple[list[Issue], list[Edit]]:
    """The edits made in Excel to the visible sheets. A sheet the size checks refuse is not read (like one
    far larger than the plan could fill); formulas typed into editable cells are listed, not taken."""
    zf = book.zip
    assert zf is not None
    sizes = {s: zf.getinfo(part).file_size for s, part in book.parts.items() if part in zf.namelist()}
    formulas: dict[str, frozenset[tuple[int, int]]] = {}
    for sheet in [*meta["sheets"]["plans"], *meta["sheets"]["objectives"]]:
        if sheet not in book.parts:
            continue
        try:
            book.check_sheet(sheet, Steps(cancel=steps.cancel))
            formulas[sheet] = frozenset(formula_cells(zf, book.parts[sheet], book.path, sheet))
        except ReadError:
            sizes[sheet] = 1 << 62  # far larger than any plan fills: its edits are not read, and that is said
    return read_edits(book.reader, state, meta, shown, book.path, steps, sizes, formulas)
