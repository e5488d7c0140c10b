"""Size checks for the other workbook formats, mirroring what the reader allocates for them.

- .xls: the reader parses every sheet when the file opens; it reserves room for the cells a sheet's
  DIMENSIONS record declares, builds each sheet's grid (values and formulas) from its cells, and sizes two
  tables from numbers in the compound file's header. Each of those is checked here first.
- .xlsb: a sheet's grid, from its row headers and cell records (streamed).
- .ods: the reader parses every table when the file opens, repeating rows and cells as they say.
"""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path

from tierdesk.io.errors import ReadError, Steps
from tierdesk.io.parts import blocks, same_part
from tierdesk.io.scan import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, Extent, refuse_if_too_big, refuse_if_too_many

_U16 = struct.Struct("<H").unpack_from
_U32 = struct.Struct("<I").unpack_from
END_OF_CHAIN = 0xFFFFFFFE
#: The reader sizes a table of four-byte sector numbers from a header field it reads at bytes 62-65; a real
#: file puts small numbers there.
MAX_HEADER_TABLE = 16 << 20

# --- .xls ------------------------------------------------------------------------------------------------


def _damaged(path: Path, what: str) -> ReadError:
    return ReadError(
        f"{path.name} is damaged: {what}. Open it in Excel and save it again, or ask for the file again.",
        file=path,
    )


def check_xls(path: Path) -> None:
    """Refuse an .xls whose reader would reserve or fill more memory than any real workbook needs."""
    with path.open("rb") as fh:
        data = fh.read()
    if len(data) < 512:
        return  # the reader refuses it itself
    shift = _U16(data, 30)[0]
    sector = 1 << shift if shift in (9, 12) else 512
    sectors = len(data) // sector + 1
    fat_len, odd_table = _U32(data, 44)[0], _U32(data, 62)[0]
    if fat_len > sectors or odd_table > MAX_HEADER_TABLE:
        raise _damaged(path, "its internal table of contents gives impossible sizes")
    for stream in _workbook_streams(data, sector):  # the reader takes one of them: each is checked
        extents = [(_xls_sheet(stream, pos, path), name) for pos, name in _sheets(stream)]
        for extent, name in extents:
            refuse_if_too_big(extent, path, name)
        refuse_if_too_many((e for e, _ in extents), path)


def _records(stream: bytes, at: int) -> Iterator[tuple[int, int, int]]:
    """(type, start, end) of each record from `at`, CONTINUE records folded into the one before (as the
    reader does); stops at a record cut short."""
    n = len(stream)
    while at + 4 <= n:
        kind, size = _U16(stream, at)[0], _U16(stream, at + 2)[0]
        start, at = at + 4, at + 4 + size
        if at > n:
            return
        while at + 4 <= n and _U16(stream, at)[0] == 0x003C:
            at += 4 + _U16(stream, at + 2)[0]
        yield kind, start, start + size


def _sheets(stream: bytes) -> list[tuple[int, str]]:
    """(where its records start, name) of each sheet, from the BoundSheet8 records."""
    found = []
    for kind, start, end in _records(stream, 0):
        if kind == 0x0085 and end - start >= 4:
            found.append((_U32(stream, start)[0], _sheet_name(stream[start + 6 : end])))
        elif kind == 0x000A:  # EOF of the workbook globals
            break
    return found


def _sheet_name(raw: bytes) -> str:
    if len(raw) < 2:
        return "?"
    count, wide = raw[0], raw[1] & 1
    text = raw[2 : 2 + count * (2 if wide else 1)]
    return text.decode("utf-16-le" if wide else "latin-1", "replace") or "?"


_CELL_RECORDS = {0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006}  # number, label, ..., formula


def _xls_sheet(stream: bytes, at: int, path: Path) -> Extent:
    """The grid the reader builds for the sheet starting at `at`, and what its DIMENSIONS reserve."""
    rows = columns = cells = 0
    first_row: int | None = None
    depth, seen_bof = 0, False
    for kind, start, end in _records(stream, at):
        if depth:  # an embedded chart or another nested substream: skipped, as the reader does
            depth += kind == 0x0809
            depth -= kind == 0x000A
            continue
        if kind == 0x0809:
            depth, seen_bof = (1, True) if seen_bof else (0, True)
        elif kind == 0x000A:
            break
        elif kind == 0x0200:
            _check_dimensions(stream[start:end], path)
        elif kind in _CELL_RECORDS or kind == 0x00BD:
            if end - start < 4:
                continue
            row, column = _U16(stream, start)[0] + 1, _U16(stream, start + 2)[0] + 1
            if kind == 0x00BD and end - start >= 6:  # MULRK: one cell per six bytes from the first column
                column += max((end - start - 6) // 6 - 1, 0)
            cells += 1
            rows, columns = max(rows, row), max(columns, column)
            first_row = row if first_row is None else min(first_row, row)
    return Extent(rows, max(columns, 1), 0, cells, first_row or 1)


def _check_dimensions(record: bytes, path: Path) -> None:
    """The reader reserves rows x columns cells from DIMENSIONS, with its own 32-bit arithmetic."""
    if len(record) == 14:
        first_row, last_row = _U32(record, 0)[0], _U32(record, 4)[0]
        first_col, last_col = _U16(record, 8)[0], _U16(record, 10)[0]
    elif len(record) == 10:
        first_row, last_row, first_col, last_col = (_U16(record, i)[0] for i in (0, 2, 4, 6))
    else:
        return
    if first_col > 0xFF or last_col < first_col:
        first_col = 0
    end_row, end_col = (
        (last_row - 1, last_col - 1) if last_row >= 1 and last_col >= 1 else (first_row, first_col)
    )
    reserve = ((end_row - first_row + 1) % 2**32) * ((end_col - first_col + 1) % 2**32)
    if reserve > MAX_CELLS:
        raise _damaged(path, f"a sheet declares {reserve:,} cells (DIMENSIONS), far more than a sheet holds")


def _workbook_streams(data: bytes, sector: int) -> list[bytes]:
    """The compound file's Workbook (or Book) streams, whatever their case; none when its structure is
    broken (the reader then refuses the file itself)."""
    found: list[bytes] = []
    try:
        fat = _fat(data, sector)
        directory = _chain(data, sector, fat, _U32(data, 48)[0])
        mini_cutoff = _U32(data, 56)[0]
        root_start = root_size = None
        entries = []
        for off in range(0, len(directory) - 127, 128):
            length = _U16(directory, off + 64)[0]
            name = directory[off : off + max(min(length, 64) - 2, 0)].decode("utf-16-le", "replace")
            start, size = _U32(directory, off + 116)[0], _U32(directory, off + 120)[0]
            if directory[off + 66] == 5 and root_start is None:
                root_start, root_size = start, size
            elif directory[off + 66] == 2 and name.upper() in ("WORKBOOK", "BOOK"):
                entries.append((start, size))
        for start, size in entries:
            if size >= mini_cutoff or root_start is None:
                found.append(_chain(data, sector, fat, start)[:size])
            else:
                mini_fat = _table(_chain(data, sector, fat, _U32(data, 60)[0]))
                mini = _chain(data, sector, fat, root_start)[: root_size or 0]
                found.append(_chain(mini, 64, mini_fat, start, base=0)[:size])
    except (struct.error, IndexError, ValueError):
        return found
    return found


def _table(raw: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(raw) // 4}I", raw[: len(raw) // 4 * 4]))


def _fat(data: bytes, sector: int) -> list[int]:
    fat_sectors = [s for s in struct.unpack_from("<109I", data, 76) if s < END_OF_CHAIN]
    next_difat, count = _U32(data, 68)[0], _U32(data, 72)[0]
    seen: set[int] = set()
    while next_difat < END_OF_CHAIN and next_difat not in seen and len(seen) < count + 1:
        seen.add(next_difat)
        entries = _table(_sector(data, sector, next_difat))
        if not entries:
            break
        fat_sectors.extend(s for s in entries[:-1] if s < END_OF_CHAIN)
        next_difat = entries[-1]
    return _table(b"".join(_sector(data, sector, s) for s in fat_sectors))


def _sector(data: bytes, size: int, index: int, base: int = 1) -> bytes:
    start = (index + base) * size
    return data[start : start + size]


def _chain(data: bytes, size: int, fat: list[int], start: int, base: int = 1) -> bytes:
    """The sectors of a chain joined, stopping at its end, a loop, or a sector outside the file."""
    out, seen, current = [], set(), start
    while current < len(fat) and current not in seen and current < END_OF_CHAIN:
        seen.add(current)
        piece = _sector(data, size, current, base)
        if not piece:
            break
        out.append(piece)
        current = fat[current]
    return b"".join(out)


# --- .xlsb -----------------------------------------------------------------------------------------------

XLSB_ROW_HEADER = 0
#: BrtCellBlank .. BrtFmlaError (1-13) and BrtCellRString (62): records whose payload starts with a column.
XLSB_LAST_CELL = 13
XLSB_RICH_CELL = 62


def check_xlsb_sheet(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, sheet: str, steps: Steps
) -> Extent:
    """Walk the binary sheet's records (streamed) for the highest row and column that hold a cell."""
    rows = columns = cells = 0
    first_row: int | None = None
    carry, skip = b"", 0
    for block in blocks(zf, info, path, steps, sheet, None):
        if skip >= len(block):
            skip -= len(block)
            continue
        data = carry + block[skip:] if carry else block[skip:]
        skip, i, n = 0, 0, len(data)
        while True:
            parsed = _xlsb_header(data, i)
            if parsed is None:  # the header or the cell's first bytes run into the next block
                carry = data[i:]
                break
            kind, size, body = parsed
            if kind <= XLSB_LAST_CELL or kind == XLSB_RICH_CELL:
                value = _U32(data, body)[0] + 1
                if kind == XLSB_ROW_HEADER:
                    rows = max(rows, value)
                    first_row = value if first_row is None else min(first_row, value)
                else:
                    cells += 1
                    columns = max(columns, value)
            i = body + size
            if i >= n:
                skip, carry = i - n, b""
                break
        if rows > MAX_ROWS or columns > MAX_COLUMNS or cells > MAX_CELLS:
            break
    extent = Extent(rows, max(columns, 1), info.file_size, cells, first_row or 1)
    refuse_if_too_big(extent, path, sheet)
    return extent


def _xlsb_header(data: bytes, i: int) -> tuple[int, int, int] | None:
    """(record type, payload size, payload start) at i; None when the bytes needed are not all there."""
    n = len(data)
    if i + 2 > n:
        return None
    kind = data[i]
    i += 1
    if kind & 0x80:
        kind = (kind & 0x7F) | ((data[i] & 0x7F) << 7)
        i += 1
    size = 0
    for shift in (0, 7, 14, 21):
        if i >= n:
            return None
        byte = data[i]
        i += 1
        size |= (byte & 0x7F) << shift
        if not byte & 0x80:
            break
    if (kind <= XLSB_LAST_CELL or kind == XLSB_RICH_CELL) and i + 4 > n:
        return None
    return kind, size, i


# --- .ods ------------------------------------------------------------------------------------------------

_ODS_TAG = re.compile(
    rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"
)
_REPEAT = re.compile(rb"number-(?:rows|columns)-repeated\s*=\s*[\"'](\d+)")
_VALUED = re.compile(rb"office:value-type\s*=|table:formula\s*=")


class _OdsTable:
    """The grid the reader builds for one table: rows (repeats counted) from the first to the last holding a
    value, by the widest row up to its last value; and the cells it pushes while reading."""

    def __init__(self) -> None:
        self.rows = self.first = self.last = self.width = self.pushed = self.cells = 0
        self.row_repeats = self.column = self.row_width = 0

    def start_row(self, attrs: bytes) -> None:
        found = _REPEAT.search(attrs)
        # not capped as the reader does: rows beyond Excel's limit would be dropped without a word
        self.row_repeats = int(found.group(1)) if found else 1
        self.column = self.row_width = 0

    def cell(self, attrs: bytes) -> None:
        found = _REPEAT.search(attrs)
        self.column = min(self.column + (int(found.group(1)) if found else 1), MAX_COLUMNS)
        self.cells += 1
        if _VALUED.search(attrs):
            self.row_width = self.column

    def end_row(self) -> None:
        if self.row_width:
            if not self.last:
                self.first = self.rows + 1
            self.last = self.rows + self.row_repeats
            self.width = max(self.width, self.row_width)
        self.pushed += self.row_width
        self.rows += self.row_repeats

    def extent(self) -> Extent:
        rows = max(self.last, 0)
        return Extent(rows, max(self.width, 1), 0, self.cells, self.first or 1)


def check_ods(zf: zipfile.ZipFile, path: Path) -> None:
    """Refuse OpenDocument tables whose repeated rows and cells would expand past what can be held."""
    contents = same_part(zf, "content.xml")
    if not contents:
        raise ReadError(f"{path.name} is damaged: it has no spreadsheet content.", file=path)
    for content in contents:
        _check_ods_content(zf, content, path)


def _check_ods_content(zf: zipfile.ZipFile, content: zipfile.ZipInfo, path: Path) -> None:
    tables: list[_OdsTable] = []
    table = _OdsTable()
    for chunk in blocks(zf, content, path, None, None):
        for closing, name, attrs in _ODS_TAG.findall(chunk):
            empty = attrs.rstrip().endswith(b"/")
            if name == b"table":
                if closing:
                    tables.append(table)
                    table = _OdsTable()
            elif name == b"table-row":
                if closing:
                    table.end_row()
                else:
                    table.start_row(attrs)
                    if empty:
                        table.end_row()
            elif not closing:
                table.cell(attrs)
        if sum(t.pushed for t in tables) + table.pushed > MAX_CELLS:
            break
    tables.append(table)
    extents = [t.extent() for t in tables]
    for extent in extents:
        refuse_if_too_big(extent, path, "(a table)")
    pushed = sum(t.pushed for t in tables)
    refuse_if_too_many([*extents, Extent(pushed, 1)], path)
