"""Issues found while loading a territory file: one per problem, each naming file, sheet, row and column."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]

#: Per column and kind of problem, at most this many cell issues; the rest become one summary issue.
CELL_ISSUE_CAP = 1000


@dataclass(frozen=True)
class Issue:
    severity: Severity
    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def column_label(header: str, letter: str | None = None) -> str:
    """How a column is named in messages: 'Revenue' (H)."""
    return f"'{header}' ({letter})" if letter else f"'{header}'"


def where(file: str | Path, sheet: str | None, row: int | None = None, column: str | None = None) -> str:
    """The place a message is about, as the planner sees it: file, sheet, Excel row, column."""
    parts = [Path(file).name]
    if sheet is not None:
        parts.append(f"sheet '{sheet}'")
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column {column}")
    return ", ".join(parts)


def row_list(rows: Sequence[int], limit: int = 8) -> str:
    """'5, 98, 311' or '5, 98, 311, … (40 rows)'."""
    shown = ", ".join(str(int(r)) for r in rows[:limit])
    return shown if len(rows) <= limit else f"{shown}, … ({len(rows):,} rows)"


class IssueLog:
    """Collects the issues of one load, prefixing each message with where it happened."""

    def __init__(self, file: str | Path, sheet: str | None) -> None:
        self.file = Path(file)
        self.sheet = sheet
        self.items: list[Issue] = []

    def add(
        self,
        severity: Severity,
        text: str,
        *,
        row: int | None = None,
        column: str | None = None,
        label: str | None = None,
    ) -> None:
        """One issue; `column` is the header, `label` how messages show it (defaults to the header)."""
        shown = label if label is not None else (column_label(column) if column is not None else None)
        message = f"{where(self.file, self.sheet, row, shown)}: {text}"
        self.items.append(Issue(severity, self.sheet, row, column, message))

    def cells(
        self,
        severity: Severity,
        rows: Sequence[int],
        texts: Sequence[str],
        *,
        column: str,
        label: str,
        what: str,
        cap: int = CELL_ISSUE_CAP,
    ) -> None:
        """One issue per cell for the first `cap` cells, then one summary: '…and 5,312 more …'."""
        for row, text in zip(rows[:cap], texts[:cap], strict=False):
            self.add(severity, text, row=int(row), column=column, label=label)
        rest = len(rows) - cap
        if rest > 0:
            self.add(
                severity,
                f"…and {rest:,} more {what} in this column (rows {row_list(list(rows[cap:]), 5)}).",
                row=int(rows[cap]),
                column=column,
                label=label,
            )

    def extend(self, issues: Sequence[Issue]) -> None:
        self.items.extend(issues)
