"""Read a territory file's sheet into a raw table: header found, blank and totals rows left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from tierdesk.io.book import Book, Grid, SheetInfo
from tierdesk.io.csvtext import read_csv_grid
from tierdesk.io.errors import CancelFn, ProgressFn, ReadError, Steps, reader_boundary
from tierdesk.io.header import find_header, header_names, header_text, note_rows, totals_rows
from tierdesk.io.lines import add_line_amounts
from tierdesk.io.outline import compact_groups, customer_jobs, fill_down, rows_text
from tierdesk.io.report import Issue, IssueLog, column_label, row_list
from tierdesk.io.scan import CellNotes, column_letters, column_number
from tierdesk.io.sheets import Sheet, link_sheets, sheet_score, suggest
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

__all__ = ["Probe", "RawTable", "SheetInfo", "probe", "read_table", "sheet_score"]


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
        suggested, _why = suggest(book, book.sheets())
        return Probe(path, kind, book.sheets(), suggested)


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
        _add_line_amounts(table)
    else:
        with Book(path, kind) as book:
            infos = book.sheets()
            name, why = (sheet, None) if sheet is not None else suggest(book, infos)
            if name is None and why is not None:
                raise ReadError(f"{path.name}: {why}.", file=path)
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
            _add_line_amounts(table)
            _link(book, infos, table, steps.part(0.9, 1.0))
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
    data, data_rows, headers = _resolve_layout(data, data_rows, headers, log)
    letters = letters + [""] * (len(headers) - len(letters))
    notes = notes + [None] * (len(headers) - len(notes))
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


def _link(book: Book, infos: list[SheetInfo], table: RawTable, steps: Steps) -> None:
    """Names looked up for lines keyed by an ID; figures from the order lines pointing at an account list."""
    if (
        table.data.empty
        or table.sheet is None
        or not any(s.kind == "worksheet" for s in infos if s.name != table.sheet)
    ):
        return
    read: dict[str, Sheet] = {}

    def full(name: str) -> Sheet:
        if name not in read:
            grid = book.grid(name, steps.part(len(read) / 3, (len(read) + 1) / 3))
            other = _table(table.file, table.kind, name, grid, None, IssueLog(table.file, name),
                           date1904=book.date1904)  # fmt: skip
            read[name] = Sheet.of(name, other.headers, other.data)
        return read[name]

    me = Sheet.of(table.sheet, table.headers, table.data)
    log = IssueLog(table.file, table.sheet)
    for added in link_sheets(book, infos, me, full):
        for header, values in added.columns.items():
            table.data[header] = values.to_numpy(dtype=object)
            table.headers.append(header)
            table.letters.append("")
        for note in added.notes:
            log.add("info", note + ".")
    table.issues.extend(log.items)


def _add_line_amounts(table: RawTable) -> None:
    """Order lines without an amount get one: quantity × unit price, returns netting off."""
    if table.data.empty:
        return
    found = add_line_amounts(table.headers, table.data)
    if found is None:
        return
    header, values, said = found
    table.data[header] = values
    table.headers.append(header)
    table.letters.append("")
    log = IssueLog(table.file, table.sheet)
    for text in said:
        log.add("info", text + ".", column=header)
    table.issues.extend(log.items)


def _resolve_layout(
    data: np.ndarray, rows: np.ndarray, headers: list[str], log: IssueLog
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Footnotes under the table left out; customers' jobs rolled up; pivot group labels filled down."""
    notes = note_rows(data)
    if notes.any():
        texts = [next((header_text(v) for v in data[i] if header_text(v)), "") for i in np.flatnonzero(notes)]
        shown = "; ".join(f"'{_clip(t)}'" for t in texts[:3])
        found = rows[notes].tolist()
        what = "is a note, not an account" if len(found) == 1 else "are notes, not accounts"
        log.add(
            "info",
            f"{rows_text(found).capitalize()} under the table {what} ({shown}); left out.",
            row=int(found[0]),
        )
        data, rows = data[~notes], rows[~notes]
    for step in (customer_jobs, fill_down, compact_groups):
        outline = step(data, rows, headers)
        for text, where in outline.notes:
            log.add("info", text[:1].upper() + text[1:] + ".", row=int(where[0]) if where else None)
        data, rows, headers = outline.data, outline.rows, outline.headers
    return data, rows, headers


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


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
