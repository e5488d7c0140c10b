"""A team table (a CSV or a sheet listing the sellers, e.g. a CRM's sales_teams export with sales_agent,
manager and regional_office) read into the sellers' fields; domain.sellers.sellers_from_team makes the
sellers of it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tierdesk.domain.sellers import TEAM_FIELDS
from tierdesk.io.errors import CancelFn, ProgressFn, ReadError
from tierdesk.io.mapping import normalise
from tierdesk.io.reader import read_table

__all__ = ["TEAM_SYNONYMS", "read_team"]

#: Header names a team table uses for each sellers' field (compared ignoring case, spaces and punctuation).
TEAM_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": (
        "seller", "seller name", "sales agent", "agent", "sales rep", "rep", "rep name",
        "sales representative", "salesperson", "sales person", "account executive", "ae",
        "account owner", "owner", "name", "full name", "employee", "employee name", "team member", "member",
    ),
    "role": ("role", "seller role", "job title", "title", "position", "job"),
    "capacity": ("capacity", "seller capacity"),
    "region": ("region", "regional office", "sales region", "office", "geo", "geography"),
    "territory": ("territory", "sales territory", "patch"),
    "max_accounts": ("max accounts", "maximum accounts", "account limit", "account cap", "most accounts"),
    "takes_new": (
        "takes new", "takes new accounts", "accepting new accounts", "open to new accounts", "new accounts",
        "accepting",
    ),
    "manager": ("manager", "sales manager", "team lead", "team leader", "reports to", "team"),
}  # fmt: skip
_LOOKUP = {normalise(s): field for field, names in TEAM_SYNONYMS.items() for s in names}
assert set(TEAM_SYNONYMS) == set(TEAM_FIELDS)


def read_team(
    path: str | Path,
    sheet: str | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """The team table of a file (any format tierdesk reads; the header found below title rows) with its
    columns named after the sellers' fields (TEAM_FIELDS, in the file's order; columns of no such field
    left out), empty cells as None; and notes on what was left out. ReadError when no column names the
    sellers."""
    raw = read_table(path, sheet, progress=progress, cancel=cancel)
    taken: dict[str, str] = {}
    notes: list[str] = []
    for header in raw.headers:
        field = _LOOKUP.get(normalise(header))
        if field is None:
            continue
        if field in taken.values():
            notes.append(f"column '{header}' is a second {field.replace('_', ' ')} column; left out")
            continue
        taken[header] = field
    if "name" not in taken.values():
        raise ReadError(
            f"{Path(path).name}: no column naming the sellers (a header like sales_agent, Seller, Rep or "
            f"Name); its headers are {', '.join(raw.headers[:12]) or 'none'}.",
            file=path,
        )
    frame = raw.data[list(taken)].rename(columns=taken).astype(object)
    frame = frame.where(frame.notna() & (frame != ""), None)
    return frame.reset_index(drop=True), notes
