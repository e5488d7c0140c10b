"""Read a territory file's sheet into a raw table: header found, blank and totals rows left out."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from tierdesk.domain.accounts import IDENTITY_FIELDS
from tierdesk.io.book import Book, Grid, SheetInfo
from tierdesk.io.csvtext import read_csv_grid
from tierdesk.io.errors import CancelFn, ProgressFn, ReadError, Steps, reader_boundary
from tierdesk.io.header import find_header, header_names, header_text, totals_rows
from tierdesk.io.mapping import header_match, normalise
from tierdesk.io.report import Issue, IssueLog, column_label, row_list
from tierdesk.io.scan import CellNotes, column_letters, column_number
from tierdesk.io.sniff import sniff

#: Filled rows this far below the rest of the table are strays, not part of it.
BLANK_GAP_ROWS = 10_000
#: File name endings that fit each kind; any other ending earns a note on what the file really is.
_SUFFIXES = {
    "xlsx": (".xlsx", ".xltx"),
    "xlsm": (".xlsm", ".xltm", ".xlam"),
    "xlsb": (".xlsb",),
    "xls": (".xls", ".xlt"),
    "ods": (".ods", ".ots"),
    "csv": (".csv", ".txt", ".tsv", ".tab", ".dat"),
}
_ACCOUNT_SHEET_WORDS = ("account", "customer", "client", "kunde", "store", "territor", "compan", "firma")

__all__ = ["Probe", "RawTable", "SheetInfo", "probe", "read_table"]


@dataclass
class Probe:
    path: Path
    kind: str
    sheets: list[SheetInfo]
    suggested: str | None


@dataclass
class RawTable:
    file: Path
    kind: str
    sheet: str | None
    header_row: int
    headers: list[str]
    data: pd.DataFrame
    excel_rows: np.ndarray
    issues: list[Issue] = field(default_factory=list)
    #: Excel column letter of each header, same order.
    letters: list[str] = field(default_factory=list)
    #: The workbook counts dates from 1904 (old Mac Excel): matters for date serials stored as numbers.
    date1904: bool = False

    def label(self, header: str) -> str:
        """How messages name a column: 'Revenue' (H)."""
        letter = self.letters[self.headers.index(header)] if header in self.headers and self.letters else None
        return column_label(header, letter)


@reader_boundary
def probe(path: str | Path) -> Probe:
    """The file's sheets and the one that looks most like an account list."""
    path = Path(path)
    kind = sniff(path)
    if kind == "csv":
        return Probe(path, kind, [SheetInfo(path.stem, "worksheet", True, None)], path.stem)
    with Book(path, kind) as book:
        suggested = _suggest(book, book.sheets())
        return Probe(path, kind, book.sheets(), suggested)


def _suggest(book: Book, sheets: list[SheetInfo]) -> str | None:
    candidates = [s for s in sheets if s.kind == "worksheet"]
    if len(candidates) <= 1:
        return candidates[0].name if candidates else None
    best, best_score = None, -math.inf
    for info in candidates:
        try:
            score = sheet_score(book.head(info.name), info)
        except ReadError:
            continue
        if score > best_score:
            best, best_score = info.name, score
    return best or candidates[0].name


def sheet_score(head: np.ndarray, info: SheetInfo) -> float:
    """How much a sheet looks like an account list: headers naming the account, other known fields, rows."""
    if head.size == 0:
        return -100.0
    cells = head[find_header(head)]
    strong: set[str] = set()
    weak: set[str] = set()
    for value in cells:
        match = header_match(header_text(value))
        if match:
            (strong if match[1] >= 90 else weak).add(match[0])
    identity = len(strong & set(IDENTITY_FIELDS))
    score = 10.0 * identity + 2.0 * len(strong - set(IDENTITY_FIELDS)) + 0.5 * len(weak - strong)
    score += math.log10((info.rows or len(head)) + 1)
    if any(word in normalise(info.name) for word in _ACCOUNT_SHEET_WORDS):
        score += 3.0
    return score - (5.0 if not info.visible else 0.0)


@reader_boundary
def read_table(
    path: str | Path,
    sheet: str | None = None,
    *,
    header_row: int | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> RawTable:
    """The sheet (default: the suggested one) as a raw table; `header_row` (Excel row) overrides the guess."""
    path = Path(path)
    steps = Steps(progress, cancel)
    steps.report(0.0, "Opening the file")
    kind = sniff(path)
    if kind == "csv":
        csv_grid = read_csv_grid(path, steps.part(0.0, 0.9))
        values = csv_grid.values
        rows = np.arange(csv_grid.first_row, csv_grid.first_row + len(values), dtype=np.int64)
        filled = ~(values == "").all(axis=1) if values.size else np.zeros(len(values), dtype=bool)
        grid = Grid(values[filled], rows[filled], 1, CellNotes())
        log = IssueLog(path, None)
        if csv_grid.notes:
            log.add("info", "CSV " + "; ".join(csv_grid.notes) + ".")
        table = _table(path, kind, None, grid, header_row, log, date1904=False)
    else:
        with Book(path, kind) as book:
            infos = book.sheets()
            name = sheet if sheet is not None else _suggest(book, infos)
            if name is None:
                raise ReadError(
                    f"{path.name} has no worksheet with cells (only charts or macros).", file=path
                )
            info = next((s for s in infos if s.name == name), None)
            if info is not None and info.kind != "worksheet":
                raise ReadError(
                    f"{path.name}, sheet '{name}' is a {info.kind} sheet, not a table. Choose a worksheet.",
                    file=path,
                )
            grid = book.grid(name, steps.part(0.0, 0.9))
            log = IssueLog(path, name)
            if book.strict:
                log.add(
                    "info", "The workbook is saved as 'Strict Open XML Spreadsheet'; it was read as usual."
                )
            table = _table(path, kind, name, grid, header_row, log, date1904=book.date1904)
    if path.suffix.lower() not in _SUFFIXES[kind]:
        table.issues.insert(
            0,
            Issue(
                "info",
                None,
                None,
                None,
                f"{path.name} is really a {kind.upper()} file despite its name; read as {kind.upper()}.",
            ),
        )
    steps.report(1.0, "Table read")
    return table


def _table(
    path: Path,
    kind: str,
    sheet: str | None,
    grid: Grid,
    header_row: int | None,
    log: IssueLog,
    *,
    date1904: bool,
) -> RawTable:
    values, rows = grid.values, grid.rows
    if values.size == 0:
        where = f"{path.name}, sheet '{sheet}'" if sheet else path.name
        raise ReadError(f"{where} has no cells with data.", file=path)
    if header_row is not None:
        hits = np.flatnonzero(rows == header_row)
        if not len(hits):
            raise ReadError(
                f"{log.file.name}: row {header_row} is blank or outside the table; "
                "choose another header row.",
                file=path,
            )
        top = int(hits[0])
    else:
        top = find_header(values)
    header_excel_row = int(rows[top])
    if top > 0:
        log.add(
            "info",
            f"Header found on row {header_excel_row}; rows above it "
            f"({row_list(list(rows[:top]))}) are titles or notes and were left out.",
        )
    headers, letters, notes = header_names(values[top], grid.first_column)
    data, data_rows = values[top + 1 :], rows[top + 1 :]
    data, data_rows = _cut_strays(data, data_rows, log)
    totals = totals_rows(data)
    for i in np.flatnonzero(totals):
        label = next((header_text(v) for v in data[i] if header_text(v)), "")
        log.add(
            "info",
            f"Row {int(data_rows[i])} looks like a totals row ('{label}'); left out.",
            row=int(data_rows[i]),
        )
    if totals.any():
        data, data_rows = data[~totals], data_rows[~totals]
    keep = [
        j for j, h in enumerate(headers) if not (h == f"Column {letters[j]}" and (data[:, j] == "").all())
    ]
    if len(keep) < len(headers):
        data = data[:, keep]
        headers = [headers[j] for j in keep]
        letters = [letters[j] for j in keep]
        notes = [notes[j] for j in keep]
    for header, letter, note in zip(headers, letters, notes, strict=True):
        if note:
            log.add("info", note, column=header, label=column_label(header, letter))
    frame = pd.DataFrame(data, columns=headers, dtype=object, copy=False) if len(headers) else pd.DataFrame()
    table = RawTable(
        path, kind, sheet, header_excel_row, headers, frame, data_rows, log.items, letters, date1904
    )
    _note_hidden_cells(table, grid.notes, log)
    return table


def _cut_strays(data: np.ndarray, rows: np.ndarray, log: IssueLog) -> tuple[np.ndarray, np.ndarray]:
    """Leave out filled rows separated from the table by a long run of blank rows (stray cells far below)."""
    if len(rows) < 2:
        return data, rows
    gaps = np.flatnonzero(np.diff(rows) > BLANK_GAP_ROWS)
    if not len(gaps):
        return data, rows
    cut = int(gaps[0]) + 1
    log.add(
        "warning",
        f"Rows {row_list(list(rows[cut:]))} lie {int(rows[cut] - rows[cut - 1] - 1):,} blank rows "
        "below the table and were left out; move them up if they are accounts.",
        row=int(rows[cut]),
    )
    return data[:cut], rows[:cut]


def _note_hidden_cells(table: RawTable, notes: CellNotes, log: IssueLog) -> None:
    """Formulas without a saved value and Excel errors read as blank: tell, per column, where they are."""
    if not (notes.formulas_without_value or notes.errors) or table.data.empty:
        return
    row_set = set(table.excel_rows.tolist())
    by_letter = dict(zip(table.letters, table.headers, strict=True))

    def per_column(cells: list[tuple[int, int]]) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for row, column in cells:
            header = by_letter.get(column_letters(column))
            if header is not None and row in row_set:
                found.setdefault(header, []).append(row)
        return found

    for header, rows in per_column(notes.formulas_without_value).items():
        rows.sort()
        log.add(
            "warning",
            f"{len(rows):,} cell(s) hold a formula without a saved value (rows {row_list(rows)}); they read "
            "as blank. Open the file in Excel, save it, and load it again.",
            row=rows[0],
            column=header,
            label=table.label(header),
        )
    errors = [(r, c) for r, c, _ in notes.errors]
    texts = {(r, c): t for r, c, t in notes.errors}
    for header, rows in per_column(errors).items():
        rows.sort()
        letter = table.letters[table.headers.index(header)]
        shown = sorted({texts.get((r, column_number(letter)), "") for r in rows} - {""})
        log.add(
            "warning",
            f"{len(rows):,} cell(s) show an Excel error ({', '.join(shown) or 'error'}) on rows "
            f"{row_list(rows)}; they read as blank.",
            row=rows[0],
            column=header,
            label=table.label(header),
        )
