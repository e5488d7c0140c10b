"""The plan workbook's Change History sheet: one row per change kept in the plan's history (when, what kind,
which account, what changed from what to what, why and by whom), written as literal text, block by block."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from tierdesk.io.excel_cells import Column, TextNotes, excel_dates, visible_texts
from tierdesk.io.snapshot import PlanSnapshot

__all__ = ["HISTORY_KINDS", "HISTORY_SHEET_COLUMNS", "history_block", "history_columns"]

#: The Change History sheet's columns: (header, width, history column; "" for the account's name and id).
HISTORY_SHEET_COLUMNS = (
    ("When", 17.0, "time"),
    ("Kind", 12.0, "kind"),
    ("Account", 34.0, ""),
    ("What", 26.0, "what"),
    ("From", 20.0, "old"),
    ("To", 20.0, "new"),
    ("Reason", 32.0, "reason"),
    ("User", 14.0, "user"),
)
#: The kinds of change as the sheet names them.
HISTORY_KINDS = {
    "move": "Move",
    "override": "Override",
    "split": "Split line",
    "playbook": "Playbook",
    "objective": "Objective",
    "plan": "Plan details",
}


def history_columns() -> list[Column]:
    """The sheet's columns, for TableSheet."""
    return [Column(h, w, "datetime" if c == "time" else "text") for h, w, c in HISTORY_SHEET_COLUMNS]


def history_block(state: PlanSnapshot, notes: TextNotes) -> Callable[[int, int], list[np.ndarray]]:
    """The Change History sheet's values, block by block: literal texts (blank where empty), times as Excel
    dates, the kind in words, the account as "name (id)" and what changed starting with a capital."""
    history = state.history

    def texts(values: pd.Series) -> np.ndarray:
        out = visible_texts(values.to_numpy(object), notes)  # texts already made visible stay as they are
        out[out == ""] = None
        return out

    def account(part: pd.DataFrame) -> np.ndarray:
        # name and id made visible apart, so a text Excel cannot hold is noted once however it is shown
        names, ids = (
            pd.Series(visible_texts(part[c].fillna("").str.strip().to_numpy(object), notes, literal=False))
            for c in ("account_name", "account_id")
        )
        both = (names != "") & (ids != "")
        shown = names.where(names != "", ids).where(~both, names + " (" + ids + ")")
        return texts(shown)

    def block(first: int, last: int) -> list[np.ndarray]:
        part = history.iloc[first:last]
        kinds, what = part["kind"].fillna(""), part["what"].fillna("")
        columns: dict[str, np.ndarray] = {
            "time": excel_dates(part["time"]),
            "kind": texts(kinds.map(lambda k: HISTORY_KINDS.get(k, k.capitalize())).astype(object)),
            "": account(part),
            "what": texts(what.str[:1].str.upper() + what.str[1:]),
        }
        return [columns[c] if c in columns else texts(part[c]) for _, _, c in HISTORY_SHEET_COLUMNS]

    return block
