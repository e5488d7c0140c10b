"""Edits a planner made to a plan workbook in Excel (tiers, personas, categories, wallets, objectives,
sellers): valid ones become domain edits, every other one an Issue naming its sheet and row. Each visible
sheet has its own reader (excel_plans, excel_objectives, excel_sellers) on excel_rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from python_calamine import CalamineWorkbook

from tierdesk.domain.plan import Edit
from tierdesk.io.errors import Steps
from tierdesk.io.excel_objectives import objective_edits
from tierdesk.io.excel_plans import plan_edits
from tierdesk.io.excel_rows import Problems
from tierdesk.io.excel_sellers import seller_edits
from tierdesk.io.report import Issue
from tierdesk.io.snapshot import PlanSnapshot

__all__ = ["read_edits"]


def read_edits(
    book: CalamineWorkbook,
    state: PlanSnapshot,
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
    edits: list[Edit] = plan_edits(book, state, meta["sheets"]["plans"], per_sheet, shown, problems)
    steps.report(0.5, "Reading objectives edited in Excel")
    edits += objective_edits(book, state, meta["sheets"]["objectives"], per_sheet, problems)
    edits += seller_edits(book, state, meta["sheets"].get("sellers", []), problems)  # none: older plans
    steps.report(1.0, "Edits read")
    return problems.finish(), edits
