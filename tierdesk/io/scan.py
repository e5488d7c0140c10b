"""Cheap looks into a workbook's sheets before a reader parses them: how far their cells reach, cell notes.

A tiny file can declare a cell at row 9,999,999 or at XFD1048576; the reader builds a sheet's grid from
its first to its last cell and would then allocate gigabytes, or abort. These scans stream the sheet's XML
and refuse such sheets first. They read cell references as the reader does (any attribute order, quoting,
spacing or namespace prefix; lower-case letters; a cell without a reference placed by counting), so no
spelling of a reference slips past them. (.xls, .xlsb and .ods sheets: see scan_formats; which parts hold a
sheet: book_parts.)
"""

from __future__ import annotations

import functools
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tierdesk.io.errors import ReadError, Steps, one_line
from tierdesk.io.parts import blocks

MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
#: A sheet's grid (rows x columns from its first to its last filled cell) larger than this is refused ...
MAX_CELLS = 40_000_000
#: ... and so is one, above this size, more than SPARSE_FACTOR times larger than the cells written in it:
#: the reader holds every cell of the grid (32 bytes each), so a few cells far apart in a tiny file would
#: otherwise cost gigabytes.
SPARSE_FLOOR = 4_000_000
SPARSE_FACTOR = 10


@dataclass
class Extent:
    rows: int  # the last row holding a cell (1-based)
    columns: int  # the last column holding a cell (1-based)
    xml_bytes: int = 0
    cells: int | None = None  # cells written in the sheet; None: not counted
    first_row: int = 1

    @property
    def grid(self) -> int:
        return max(self.rows - self.first_row + 1, 0) * self.columns


@dataclass
class CellNotes:
    """Cells a reader returns blank although the sheet holds something: formulas never calculated, errors."""

    formulas_without_value: list[tuple[int, int]] = field(default_factory=list)
    errors: list[tuple[int, int, str]] = field(default_factory=list)


def column_number(letters: bytes | str) -> int:
    """'A' -> 1, 'XFD' -> 16384 (lower case read as upper case, as readers do)."""
    n = 0
    for ch in (letters.decode("latin-1") if isinstance(letters, bytes) else letters).upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def column_letters(number: int) -> str:
    """1 -> 'A', 16384 -> 'XFD'."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- xlsx / xlsm sheets: how far the cells reach ---------------------------------------------------------

#: What may follow a plain cell or row reference up to the tag's end: anything but a second `r` attribute
#: (the reader takes the last), in any spelling: no `r` outside quotes is followed by `=`, even after
#: spaces. Quoted values are skipped whole, as the reader reads them (a `>` in one does not end the tag).
#: Character-class loops between quoted values cost a fifth less than matching attribute by attribute.
_ATTRS_AFTER = rb""""[^>"'r]*+(?:(?:"[^"]*+"|'[^']*+'|r(?!\s*+=))[^>"'r]*+)*+>"""
#: A cell or row tag with a namespace prefix (the reader matches local names).
_PREFIXED = re.compile(rb":(?:c|row)[\s>/]")
_REF = re.compile(rb"([A-Za-z]*)(\d+)")


def _at_most(n: int) -> bytes:
    """A pattern for the whole numbers 1..n (leading zeros allowed, as the reader allows them)."""
    s = str(max(n, 1))
    same = []
    for i, ch in enumerate(s):
        low = 1 if i == 0 else 0
        if int(ch) > low:
            rest = len(s) - i - 1
            same.append(
                s[:i].encode() + b"[%d-%d]" % (low, int(ch) - 1) + (rb"\d{%d}" % rest if rest else b"")
            )
    same.append(s.encode())
    shorter = [rb"[1-9]\d{0,%d}" % (len(s) - 2)] if len(s) > 1 else []
    return b"0*+(?:" + b"|".join(same + shorter) + b")"


def _letters_at_most(n: int) -> bytes:
    """A pattern for the column letters A up to column n, either case (the reader takes both)."""
    s = column_letters(max(n, 1))

    def exactly(text: str) -> bytes:
        return b"".join(b"[%s%s]" % (c.encode(), c.lower().encode()) for c in text)

    options = [b"[A-Za-z]{1,%d}" % (len(s) - 1)] if len(s) > 1 else []
    for i, ch in enumerate(s):
        if ch > "A":
            below, rest = chr(ord(ch) - 1), len(s) - i - 1
            options.append(
                exactly(s[:i])
                + b"[A-%sa-%s]" % (below.encode(), below.lower().encode())
                + (b"[A-Za-z]{%d}" % rest if rest else b"")
            )
    options.append(exactly(s))
    return b"(?:" + b"|".join(options) + b")(?![A-Za-z])"


@functools.lru_cache(maxsize=256)
def _unplain_cell(widest: int, last_row: int) -> re.Pattern[bytes]:
    """A cell tag not written the plain way, or lying beyond the given column or row."""
    return re.compile(
        rb'<c(?! r="' + _letters_at_most(widest) + _at_most(last_row) + _ATTRS_AFTER + rb")[\s>/]"
    )


@functools.lru_cache(maxsize=256)
def _unplain_row(last_row: int) -> re.Pattern[bytes]:
    """A row tag not written the plain way, or numbered beyond the given row."""
    return re.compile(rb'<row(?! r="' + _at_most(last_row) + _ATTRS_AFTER + rb")[\s>/]")


_CELL_OPENINGS = tuple(b"<c" + end for end in (b" ", b"\t", b"\n", b"\r", b">", b"/"))
_PLAIN_CELL = re.compile(rb'<c r="([A-Za-z]{1,3})(\d{1,7})' + _ATTRS_AFTER)
_LETTERS = re.compile(rb'<c r="([A-Za-z]+)')
#: Widening columns met in one chunk before all its column letters are read at once (a wide header).
_WIDENINGS = 8


class _Reach:
    """The farthest cells seen so far, how many cells were written, and where the reader's count of rows and
    columns stands (for cells written without a reference)."""

    def __init__(self) -> None:
        self.rows = self.columns = self.cells = 0
        self.first_row: int | None = None
        self.row = self.column = 0  # the reader's count: 0-based row and column of the next cell
        self.in_cell = False  # inside a cell the reader takes no tag as a row or a cell, up to the first </c>

    def add(self, row: int, column: int) -> None:
        if row > self.rows:
            self.rows = row
        if column > self.columns:
            self.columns = column
        if self.first_row is None or row < self.first_row:
            self.first_row = row

    def beyond_limits(self) -> bool:
        return self.rows > MAX_ROWS or self.columns > MAX_COLUMNS or self.cells > MAX_CELLS


def _last_number(chunk: bytes, tag: bytes) -> int:
    at = chunk.rfind(tag)
    found = _REF.match(chunk, at + len(tag)) if at >= 0 else None
    return int(found.group(2)) if found else 1


def _fast_chunk(chunk: bytes, reach: _Reach) -> bool:
    """The chunk's cells, when every cell and row tag in it is written the plain way and none lies below the
    chunk's last cell and row (rows in order, as programs write them); False otherwise: then the exact scan
    must take it."""
    last_row, last_tag = _last_number(chunk, b'<c r="'), _last_number(chunk, b'<row r="')
    if _unplain_row(last_tag).search(chunk) or _PREFIXED.search(chunk):
        return False
    widest, at, widenings = max(reach.columns, 1), 0, 0
    while found := _unplain_cell(widest, last_row).search(chunk, at):
        plain = _PLAIN_CELL.match(chunk, found.start())  # a plain cell, only further right?
        if plain is None or int(plain.group(2)) > last_row:
            return False
        widenings += 1
        if widenings > _WIDENINGS:
            widest = max(widest, *map(column_number, set(_LETTERS.findall(chunk))))
        widest, at = max(widest, column_number(plain.group(1))), plain.end()
    cells = chunk.count(b'<c r="')
    if cells:
        reach.cells += cells
        reach.first_row = 1  # not looked for: the grid is taken from row 1
        reach.add(last_row, widest)
    if b"<row " in chunk:  # where the reader's count may stand at most, for cells without a reference
        reach.row = max(reach.row, last_tag)
    reach.column = max(reach.column, reach.columns)
    reach.in_cell = _ends_in_cell(chunk)
    return True


_OPEN_CELL = re.compile(rb"<c(?:\s[^>]*[^/>]|\s|)>")
_SPACED_R = re.compile(rb"r\s+=")


def _ends_in_cell(chunk: bytes) -> bool:
    """Whether the chunk ends inside a cell: a cell opened (not closed at once) after the last </c>."""
    return _OPEN_CELL.search(chunk, max(chunk.rfind(b"</c>"), 0)) is not None


def _counted_chunk(chunk: bytes, reach: _Reach) -> bool:
    """A chunk whose cells have no reference (rows may have a plain one) and no tag a namespace prefix:
    the reader places the cells by counting them along each row. Here every cell tag counts (also the empty
    ones the reader skips), so the estimate can only be larger. False otherwise: the exact scan."""
    if chunk.count(b"r=") != chunk.count(b'<row r="') or _SPACED_R.search(chunk) or _PREFIXED.search(chunk):
        return False
    segments = chunk.split(b"</row>")
    if any(segment.count(b"<row") > 1 for segment in segments):
        return False  # rows inside rows: the exact scan
    for i, segment in enumerate(segments):
        if i:
            reach.row += 1
            reach.column = 0
        at = segment.find(b'<row r="')
        end = segment.find(b">", at)
        if at >= 0 and segment[end - 1 : end] != b"/":  # the reader skips an empty <row/>
            _count_cells(segment[:at], reach)
            found = _REF.match(segment, at + 8)
            reach.row = int(found.group(2)) - 1 if found else reach.row
            segment = segment[at:]
        _count_cells(segment, reach)
    reach.in_cell = _ends_in_cell(chunk)
    return True


def _count_cells(text: bytes, reach: _Reach) -> None:
    cells = sum(text.count(opening) for opening in _CELL_OPENINGS)
    if cells:
        reach.cells += cells
        reach.add(reach.row + 1, reach.column + cells)
        reach.column += cells


_TAG = re.compile(rb"""<(/?)(?:[^\s<>/!?=:"']+:)?(row|c)(?=[\s/>"'])((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_ATTRS = re.compile(rb"""([^=\s][^=]*?)\s*=\s*(?:"([^"]*)"?|'([^']*)'?)""")


def _exact_chunk(chunk: bytes, reach: _Reach) -> None:
    """Every row and cell tag, as the reader takes them: it skips empty <row/> and <c/> elements, places a
    cell with a reference there, and one without at the next column of the row it counts."""
    for closing, name, attrs in _TAG.findall(chunk):
        if reach.in_cell:
            reach.in_cell = not (closing and name == b"c")
            continue
        if closing:
            if name == b"row":
                reach.row += 1
                reach.column = 0
            continue
        if attrs.rstrip().endswith(b"/"):
            continue
        refs = _references(attrs) if b"r" in attrs else []
        if name == b"row":
            if refs:
                reach.row = max(r for r, _ in refs) - 1
            continue
        reach.cells += 1
        reach.in_cell = True
        if refs:
            row, column = max(r for r, _ in refs), max(c for _, c in refs)
            reach.column = column - 1
            reach.add(row, column)
        else:
            reach.add(reach.row + 1, reach.column + 1)
        reach.column += 1


def _references(attrs: bytes) -> list[tuple[int, int]]:
    """(row, column) of each `r` attribute that reads as a reference (a reader fails on the others)."""
    out = []
    for key, double, single in _ATTRS.findall(attrs):
        if key.strip() == b"r":
            found = _REF.fullmatch(double or single)
            if found:
                out.append((int(found.group(2)), column_number(found.group(1)) if found.group(1) else 0))
    return out


def check_xlsx_sheet(
    zf: zipfile.ZipFile, part: str | zipfile.ZipInfo, path: Path, sheet: str, steps: Steps
) -> Extent:
    """How far the sheet's cells reach, refusing sheets beyond Excel's limits or too big to hold."""
    info = part if isinstance(part, zipfile.ZipInfo) else zf.getinfo(part)
    reach = _Reach()
    for chunk in blocks(zf, info, path, steps, sheet):
        if not (_fast_chunk(chunk, reach) or _counted_chunk(chunk, reach)):
            _exact_chunk(chunk, reach)
        if reach.beyond_limits():
            break
    extent = Extent(reach.rows, max(reach.columns, 1), info.file_size, reach.cells, reach.first_row or 1)
    refuse_if_too_big(extent, path, sheet)
    return extent


def refuse_if_too_big(extent: Extent, path: Path, sheet: str) -> None:
    """Refuse a sheet whose cells lie beyond Excel's limits, or whose grid is too large or mostly empty."""
    at = f"{path.name}, sheet '{one_line(sheet)}'"
    if extent.rows > MAX_ROWS or extent.columns > MAX_COLUMNS:
        where_ = f"row {extent.rows:,}" if extent.rows > MAX_ROWS else f"column {_letters(extent.columns)}"
        raise ReadError(
            f"{at}: a cell lies at {where_}, beyond Excel's limit of {MAX_ROWS:,} rows and {MAX_COLUMNS:,} "
            "columns. The file is damaged or was not made by a spreadsheet program; tierdesk does not read "
            "it.",
            file=path,
        )
    if (extent.cells or 0) > MAX_CELLS:
        raise ReadError(
            f"{at}: it holds more than {MAX_CELLS:,} cells, too many to read. Split the table over several "
            "files, or delete columns tierdesk does not need.",
            file=path,
        )
    grid = extent.grid
    span = f"rows {extent.first_row:,} to {extent.rows:,} and columns A to {column_letters(extent.columns)}"
    if grid > MAX_CELLS:
        raise ReadError(
            f"{at}: its cells span {span}, a grid of {grid:,} cells, too large to read (at most "
            f"{MAX_CELLS:,}). If most of it is empty, delete the unused rows and columns in Excel (select "
            "them, right-click › Delete), save, and try again.",
            file=path,
        )
    if extent.cells is not None and grid > max(SPARSE_FLOOR, SPARSE_FACTOR * extent.cells):
        raise ReadError(
            f"{at}: its {extent.cells:,} cells are spread over {span}, a grid of {grid:,} cells that is "
            "almost all empty and too large to read. Delete the unused rows and columns in Excel (or copy "
            "the table to a new sheet), save, and try again.",
            file=path,
        )


def _letters(number: int) -> str:
    return column_letters(number) if number <= 18_278 else f"number {number:,}"


def refuse_if_too_many(extents: Iterable[Extent], path: Path) -> None:
    """Readers that parse every sheet on opening (.xls, .ods) hold all their grids at once."""
    total = sum(e.grid for e in extents)
    if total > MAX_CELLS:
        raise ReadError(
            f"{path.name}: its sheets hold grids of {total:,} cells in all, too many to read (at most "
            f"{MAX_CELLS:,}). Delete unused sheets, rows and columns in Excel, save, and try again.",
            file=path,
        )


# --- formulas and errors, which readers return blank -------------------------------------------------

_P = rb"(?:[^\s<>/!?=:\"']+:)?"
_R_ATTR = rb"""[^>]*?\sr\s*=\s*["']([A-Za-z]+)(\d+)["']"""


def find_cell_notes(zf: zipfile.ZipFile, part: str, path: Path, sheet: str) -> CellNotes:
    """Formulas without a saved value and cells showing an Excel error: a reader returns both blank."""
    notes = CellNotes()
    formula = re.compile(
        rb"<"
        + _P
        + rb"c"
        + _R_ATTR
        + rb"[^>]*>(?:<"
        + _P
        + rb"f[^>]*/>|<"
        + _P
        + rb"f[^>]*>[^<]*</"
        + _P
        + rb"f>)(?:<"
        + _P
        + rb"v\s*/>|<"
        + _P
        + rb"v></"
        + _P
        + rb"v>)?</"
        + _P
        + rb"c>"
    )
    error = re.compile(
        rb"<"
        + _P
        + rb"c"
        + _R_ATTR
        + rb"""[^>]*\bt\s*=\s*["']e["'][^>]*>(?:<"""
        + _P
        + rb"f[^>]*/>|<"
        + _P
        + rb"f[^>]*>[^<]*</"
        + _P
        + rb"f>)?<"
        + _P
        + rb"v>([^<]*)</"
    )
    quick = re.compile(rb"<" + _P + rb"f[\s>/]")
    seen_f: set[tuple[int, int]] = set()
    seen_e: set[tuple[int, int]] = set()
    for chunk in blocks(zf, part, path, None, sheet, boundary=b"row>"):
        if quick.search(chunk) is not None:
            for letters, digits in formula.findall(chunk):
                key = (int(digits), column_number(letters))
                if key not in seen_f:
                    seen_f.add(key)
                    notes.formulas_without_value.append(key)
        if b"e" in chunk and re.search(rb"""\bt\s*=\s*["']e["']""", chunk):
            for letters, digits, text in error.findall(chunk):
                key = (int(digits), column_number(letters))
                if key not in seen_e:
                    seen_e.add(key)
                    notes.errors.append((key[0], key[1], text.decode("utf-8", "replace")))
    return notes


def formula_cells(zf: zipfile.ZipFile, part: str, path: Path, sheet: str) -> set[tuple[int, int]]:
    """(row, column) of every cell holding a formula (with or without a saved value)."""
    found: set[tuple[int, int]] = set()
    cell = re.compile(rb"<" + _P + rb"c" + _R_ATTR + rb"[^>]*>\s*<" + _P + rb"f[\s>/]")
    quick = re.compile(rb"<" + _P + rb"f[\s>/]")
    for chunk in blocks(zf, part, path, None, sheet):
        if quick.search(chunk) is not None:
            found.update((int(digits), column_number(letters)) for letters, digits in cell.findall(chunk))
    return found
