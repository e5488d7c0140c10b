"""The plan workbook, one file: visible sheets for people to read and edit (Summary, Account Plans,
Objectives, Sellers, Change History) and very hidden ones holding the exact plan, written in constant-memory
mode. plan_file.write_plan makes the write atomic; split_export writes one per seller on top of it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.workbook import Workbook

from tierdesk.domain.sellers import sellers_frame
from tierdesk.io.errors import Steps
from tierdesk.io.excel_cells import Formats, TableSheet, TextNotes
from tierdesk.io.export_history import history_block, history_columns
from tierdesk.io.export_sellers import SELLER_COLUMNS, SellerRows
from tierdesk.io.export_sheets import OBJECTIVE_SHEET_COLUMNS, ObjectiveRows, PlanRows, write_lists
from tierdesk.io.export_summary import plan_page, write_summary
from tierdesk.io.plan_codec import CHUNK, HEADER, Digest, frame_rows
from tierdesk.io.plan_format import (
    DATA_SHEETS,
    HISTORY_SHEET,
    LISTS_SHEET,
    MAX_ROWS,
    META_SHEET,
    OBJECTIVES_SHEET,
    PLANS_SHEET,
    SELLERS_SHEET,
    SUMMARY,
)
from tierdesk.io.plan_meta import meta_dict
from tierdesk.io.saving import close_quietly
from tierdesk.io.snapshot import PlanSnapshot

__all__ = ["OPTIONS", "data_parts", "shown_frame", "write_hidden", "write_workbook"]

#: User texts are written as literal text: never as formulas, links or numbers.
OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": False,
}


def write_workbook(
    state: PlanSnapshot,
    target: str | IO[bytes],
    saved: dt.datetime,
    steps: Steps,
    rows_per_sheet: int = MAX_ROWS,
    scratch: str | None = None,
) -> list[str]:
    """Write the plan workbook (see plan_file.write_plan, which makes it atomic; `scratch` is the folder for
    the writer's temporary files); returns notes."""
    notes = TextNotes()
    steps.report(0.0, "Preparing the plan")
    tables = _Tables(state, notes, rows_per_sheet)
    wb = Workbook(target, {**OPTIONS, "tmpdir": scratch} if scratch else OPTIONS)
    try:
        kept = _fill(wb, state, tables, saved, steps)
        steps.report(0.9, "Packing the workbook")
        wb.close()
    except FileCreateError as exc:
        close_quietly(exc)
        cause = exc.__cause__ or exc.__context__
        raise cause if isinstance(cause, OSError) else OSError(str(exc)) from exc
    except BaseException as exc:
        close_quietly(exc)
        raise
    finally:
        _discard(wb)
    return notes.messages() + kept


class _Tables:
    """The plan workbook's table sheets (each over as many sheets as its rows need) and their values."""

    def __init__(self, state: PlanSnapshot, notes: TextNotes, rows_per_sheet: int) -> None:
        self.state, self.notes, self.rows_per_sheet = state, notes, rows_per_sheet
        self.plans = PlanRows(state, notes)
        self.objectives = ObjectiveRows(self.plans)
        page = plan_page(state)
        self.plan_sheet = TableSheet(
            PLANS_SHEET, "AccountPlans", self.plans.columns, self.plans.n, rows_per_sheet, page=page
        )
        self.objective_sheet = TableSheet(
            OBJECTIVES_SHEET,
            "Objectives",
            OBJECTIVE_SHEET_COLUMNS,
            self.objectives.n,
            rows_per_sheet,
            page=page,
        )
        self.history_sheet = TableSheet(
            HISTORY_SHEET, "ChangeHistory", history_columns(), len(state.history), rows_per_sheet, page=page
        )
        self.sellers = SellerRows(state, notes)
        self.seller_sheet = TableSheet(
            SELLERS_SHEET, "Sellers", SELLER_COLUMNS, self.sellers.n, rows_per_sheet
        )
        self.names = {
            "plans": [s[0] for s in self.plan_sheet.sheets],
            "objectives": [s[0] for s in self.objective_sheet.sheets],
            "history": [s[0] for s in self.history_sheet.sheets] if len(state.history) else [],
            "sellers": [s[0] for s in self.seller_sheet.sheets],
        }

    def visible(self) -> list[str]:
        """The visible sheets in their order in the workbook."""
        n = self.names
        return [SUMMARY, *n["plans"], *n["objectives"], *n["sellers"], *n["history"]]

    def write(self, wb: Workbook, fmt: Formats, lists: dict[str, int], steps: Steps) -> None:
        """Fill the table sheets, block by block (`lists`: where the dropdowns' choices are)."""
        plans, objectives, sellers = self.plans, self.objectives, self.sellers
        self.plan_sheet.write(wb, fmt, plans.block, steps.part(0.05, 0.5), plans.decorate(fmt, lists))
        self.objective_sheet.write(
            wb, fmt, objectives.block, steps.part(0.5, 0.85), objectives.decorate(fmt, lists)
        )
        self.seller_sheet.write(wb, fmt, sellers.block, steps.part(0.85, 0.855), sellers.decorate(fmt, lists))
        if self.names["history"]:
            history = history_block(self.state, self.notes)
            self.history_sheet.write(wb, fmt, history, steps.part(0.85, 0.86), _no_decoration)


def _fill(wb: Workbook, state: PlanSnapshot, tables: _Tables, saved: dt.datetime, steps: Steps) -> list[str]:
    """Every sheet of the workbook, in the order constant-memory mode needs; returns the notes on texts
    kept apart from what Excel holds."""
    wb.set_properties(
        {
            "title": f"Account plans: {state.info.title or state.playbook.name}",
            "comments": "Made with tierdesk. Hidden sheets hold the exact plan: keep them.",
            "created": saved,
        }
    )
    wb.set_custom_property("tierdesk plan format", "1")
    fmt = Formats(wb, state.playbook.currency)
    visible = tables.visible()
    for name in [*visible, LISTS_SHEET, META_SHEET, *dict.fromkeys(data_parts(state).values())]:
        wb.add_worksheet(name)
    notes = tables.notes
    tables.write(wb, fmt, write_lists(wb, state, notes), steps)
    steps.report(0.86, "Keeping the exact plan")
    kept: list[str] = []
    digests = write_hidden(wb, state, shown_frame(state, tables.plans), kept, steps)
    messages = notes.messages() + kept
    meta = meta_dict(state, saved) | {
        "digests": digests,
        "sheets": tables.names,
        "tiers": list(state.playbook.tier_names),
        "rows_per_sheet": tables.rows_per_sheet,
    }
    _write_meta(wb, meta)
    steps.report(0.88, "Writing the summary")
    write_summary(wb, state, fmt, notes, saved, messages, visible)
    return kept


def _write_meta(wb: Workbook, meta: dict[str, Any]) -> None:
    """The plan's description into its very hidden sheet, as JSON cut into cells."""
    ws = wb.get_worksheet_by_name(META_SHEET)
    assert ws is not None
    ws.write_row(0, 0, list(HEADER))
    text = json.dumps(meta, ensure_ascii=True, allow_nan=False)
    for i, start in enumerate(range(0, len(text), CHUNK)):
        ws.write_row(i + 1, 0, ["meta", "", "", text[start : start + CHUNK]])
    ws.very_hidden()


def write_hidden(
    wb: Workbook, state: PlanSnapshot, shown: pd.DataFrame, kept: list[str], steps: Steps
) -> dict[str, str]:
    """The exact plan into its very hidden sheets; returns each part's checksum."""
    frames = {
        "accounts": state.accounts,
        "shown": shown,
        "objectives": state.objectives,
        "overrides": state.overrides,
        "history": state.history,
        "sellers": sellers_frame(state.sellers),
    }
    if state.previous is not None:
        frames["previous"] = state.previous.frame()
    digests: dict[str, str] = {}
    rows: dict[str, int] = {}
    for part, sheet in data_parts(state).items():
        ws = wb.get_worksheet_by_name(sheet)
        assert ws is not None
        if sheet not in rows:
            ws.write_row(0, 0, list(HEADER))
            ws.very_hidden()
            rows[sheet] = 1
        digest = Digest()
        for cells in frame_rows(part, frames[part], kept):
            steps.check()
            ws.write_row(rows[sheet], 0, cells)
            digest.add(cells)
            rows[sheet] += 1
        digests[part] = digest.hexdigest()
    return digests


def data_parts(state: PlanSnapshot) -> dict[str, str]:
    """The hidden parts of this plan, each with its sheet: the previous period only when it has one."""
    return {p: s for p, s in DATA_SHEETS.items() if p != "previous" or state.previous is not None}


def _no_decoration(ws: Any, rows: int) -> None:
    pass


def _discard(wb: Workbook) -> None:
    """Close the row files a constant-memory workbook keeps open when writing stopped half way."""
    for ws in wb.worksheets():
        fh = getattr(ws, "row_data_fh", None)
        if fh is not None and not fh.closed:
            fh.close()
            Path(ws.row_data_filename).unlink(missing_ok=True)
    wb.fileclosed = True


def shown_frame(state: PlanSnapshot, plans: PlanRows) -> pd.DataFrame:
    """What the Account Plans sheet shows in its editable columns, to tell the planner's edits from them."""
    cls = plans.cls
    return pd.DataFrame(
        {
            "tier": cls.tier.astype(np.int8),
            "persona": cls.persona.astype(np.int8),
            "category": cls.category.astype(np.int8),
            "reason": pd.array(plans.reasons, dtype="string"),
            "wallet": cls.wallet.astype(np.float64),
        }
    )
