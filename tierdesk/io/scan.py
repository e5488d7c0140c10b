"""Cheap looks into a workbook's parts before a reader parses them: sheet size, date system, cell notes.

A tiny file can declare a cell at row 9,999,999 or at XFD1048576; a reader that builds the sheet's grid
would then allocate gigabytes. These scans stream the sheet's XML (or binary records) and refuse such
sheets first.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import defusedxml.ElementTree as SafeET

from tierdesk.io.errors import ReadError, Steps

MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
#: A sheet's grid (rows x columns from its first to its last filled cell) larger than this is refused.
MAX_CELLS = 40_000_000

CHUNK = 1 << 20


@dataclass
class Extent:
    rows: int
    columns: int
    xml_bytes: int = 0


@dataclass
class CellNotes:
    """Cells a reader returns blank although the sheet holds something: formulas never calculated, errors."""

    formulas_without_value: list[tuple[int, int]] = field(default_factory=list)
    errors: list[tuple[int, int, str]] = field(default_factory=list)


def column_number(letters: bytes | str) -> int:
    """'A' -> 1, 'XFD' -> 16384."""
    n = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def column_letters(number: int) -> str:
    """1 -> 'A', 16384 -> 'XFD'."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- workbook structure ------------------------------------------------------------------------------


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> zip member holding it, from workbook.xml and its relationships (xlsx/xlsm/xlsb)."""
    book = "xl/workbook.xml" if "xl/workbook.xml" in zf.namelist() else "xl/workbook.bin"
    rels_name = posixpath.join(posixpath.dirname(book), "_rels", posixpath.basename(book) + ".rels")
    try:
        rels = SafeET.fromstring(zf.read(rels_name))
    except (KeyError, SafeET.ParseError, zipfile.BadZipFile, ValueError):
        return {}
    targets: dict[str, str] = {}
    for rel in rels.iter():
        if rel.tag.endswith("Relationship") and rel.get("Id") and rel.get("Target"):
            target = rel.get("Target", "")
            if target.startswith("/"):
                part = target.lstrip("/")
            else:
                part = posixpath.normpath(posixpath.join(posixpath.dirname(book), target))
            targets[rel.get("Id", "")] = part
    if book.endswith(".bin"):
        return {}
    try:
        root = SafeET.fromstring(zf.read(book))
    except (KeyError, SafeET.ParseError, zipfile.BadZipFile, ValueError):
        return {}
    parts: dict[str, str] = {}
    for element in root.iter():
        if element.tag.endswith("}sheet"):
            rel_id = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
            name = element.get("name")
            if name is not None and rel_id in targets:
                parts[name] = targets[rel_id]
    return parts


def uses_1904_dates(zf: zipfile.ZipFile) -> bool:
    """True for workbooks on the 1904 date system (old Mac Excel): serial 0 is 1904-01-01."""
    try:
        with zf.open("xl/workbook.xml") as fh:
            head = fh.read(65536)
    except (KeyError, zipfile.BadZipFile, OSError):
        return False
    match = re.search(rb'date1904="(1|true)"', head)
    return match is not None


def verify_part(zf: zipfile.ZipFile, part: str, path: Path, steps: Steps | None = None) -> None:
    """Unpack a part once, discarding it: a part that unpacks to more than it declares is damaged."""
    for _ in _blocks(zf, part, path, steps, None):
        pass


def _unpacked(path: Path, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part's bytes, unpacked straight from the file; checks the declared size and checksum."""
    with path.open("rb") as fh:
        fh.seek(info.header_offset)
        header = fh.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile("bad local header")
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        fh.seek(info.header_offset + 30 + name_len + extra_len)
        left = info.compress_size
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 1:
            raise zipfile.BadZipFile("unsupported packing")
        inflate = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
        crc = size = 0
        while left > 0 or (inflate is not None and inflate.unconsumed_tail):
            if inflate is not None and inflate.unconsumed_tail:
                packed = inflate.unconsumed_tail
            else:
                packed = fh.read(min(left, CHUNK // 4))
                if not packed:
                    raise EOFError
                left -= len(packed)
            piece = inflate.decompress(packed, CHUNK) if inflate is not None else packed
            size += len(piece)
            if size > info.file_size:
                raise zipfile.BadZipFile("unpacks to more than declared")
            crc = zlib.crc32(piece, crc)
            if piece:
                yield piece
        if size != info.file_size or crc != info.CRC:
            raise zipfile.BadZipFile("Bad CRC-32")


def _blocks(
    zf: zipfile.ZipFile,
    part: str,
    path: Path,
    steps: Steps | None,
    sheet: str | None,
    boundary: bytes = b"<",
) -> Iterator[bytes]:
    """The part's bytes in blocks that end just before a `boundary` ('<': a tag) or just after it
    ('row>': a whole row), so no tag or row is cut in two and none is seen twice."""
    try:
        info = zf.getinfo(part)
    except KeyError:
        return
    after = boundary != b"<"
    done = 0
    tail = b""
    try:
        for block in _unpacked(path, info):
            done += len(block)
            if steps is not None:
                steps.report(done / max(info.file_size, 1), "Checking the sheet")
            data = tail + block if tail else block
            cut = data.rfind(boundary)
            if cut < 0 and after:
                cut, after_cut = data.rfind(b"<"), 0
            else:
                after_cut = len(boundary) if after else 0
            if cut < 0:
                tail = data
                continue
            yield data[: cut + after_cut]
            tail = data[cut + after_cut :]
        if tail:
            yield tail
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error) as exc:
        what = f"sheet '{sheet}'" if sheet else f"part '{part}'"
        raise ReadError(
            f"{path.name} is damaged: {what} cannot be unpacked ({_plain(exc)}). "
            "Let Excel repair it (File › Open › Open and Repair), or ask for the file again.",
            file=path,
        ) from None


def _plain(exc: Exception) -> str:
    text = str(exc)
    if "CRC" in text:
        return "its checksum does not match"
    return "the data ends early" if isinstance(exc, EOFError) else "unreadable data"


# --- xlsx / xlsm sheets ------------------------------------------------------------------------------


def _sheet_patterns(prefix: bytes) -> tuple[re.Pattern[bytes], bytes]:
    p = re.escape(prefix)
    # A cell at column AA or beyond, at row 1,000,000 or beyond, or without r= as its first attribute
    # (then the reader places it by counting, and only the slow exact scan can tell where it lands).
    cells = re.compile(rb"<" + p + rb'c(?: r="([A-Z])(?:([A-Z]+)(\d*)|(\d{7,}))|(?! r=")[\s>])')
    return cells, b"<" + prefix + b'row r="'


def check_xlsx_sheet(zf: zipfile.ZipFile, part: str, path: Path, sheet: str, steps: Steps) -> Extent:
    """Size of the sheet's grid from its XML, refusing sheets beyond Excel's limits or too big to hold."""
    info = zf.getinfo(part)
    max_row = 0
    max_col = 26
    odd = False
    patterns: tuple[re.Pattern[bytes], bytes] | None = None
    for chunk in _blocks(zf, part, path, steps, sheet):
        if patterns is None:
            prefix = re.search(rb"<(\w+:)?sheetData\b", chunk)
            patterns = _sheet_patterns(prefix.group(1) or b"" if prefix else b"")
        cells, row_tag = patterns
        for first, letters, digits, far_row in cells.findall(chunk):
            if letters:
                max_col = max(max_col, column_number(first + letters))
                if digits:
                    max_row = max(max_row, int(digits))
            elif far_row:
                max_row = max(max_row, int(far_row))
            else:
                odd = True
        last = chunk.rfind(row_tag)
        if last >= 0:
            end = chunk.find(b'"', last + len(row_tag))
            if end > 0 and chunk[last + len(row_tag) : end].isdigit():
                max_row = max(max_row, int(chunk[last + len(row_tag) : end]))
        if max_row > MAX_ROWS or max_col > MAX_COLUMNS:
            break
    if odd and max_row <= MAX_ROWS and max_col <= MAX_COLUMNS:
        max_row, max_col = _exact_extent(zf, part, path, sheet, steps)
    extent = Extent(max_row, max_col, info.file_size)
    refuse_if_too_big(extent, path, sheet)
    return extent


def _exact_extent(zf: zipfile.ZipFile, part: str, path: Path, sheet: str, steps: Steps) -> tuple[int, int]:
    """Slow path for sheets written with unusual attribute order or cells without references."""
    ref = re.compile(rb"<(?:\w+:)?(row|c)\b([^>]*?)(/?)>")
    attr_r = re.compile(rb'\br="([A-Z]*)(\d+)"')
    max_row = max_col = 0
    row = col = 0
    for chunk in _blocks(zf, part, path, steps, sheet):
        for tag, attrs, _ in ref.findall(chunk):
            found = attr_r.search(attrs)
            if tag == b"row":
                row = int(found.group(2)) if found else row + 1
                col = 0
            else:
                if found and found.group(1):
                    col = column_number(found.group(1))
                    row = int(found.group(2))
                else:
                    col += 1
                max_col = max(max_col, col)
            max_row = max(max_row, row)
    return max_row, max(max_col, 1)


def refuse_if_too_big(extent: Extent, path: Path, sheet: str) -> None:
    if extent.rows > MAX_ROWS or extent.columns > MAX_COLUMNS:
        where_ = (
            f"row {extent.rows:,}" if extent.rows > MAX_ROWS else f"column {column_letters(extent.columns)}"
        )
        raise ReadError(
            f"{path.name}, sheet '{sheet}': a cell lies at {where_}, beyond Excel's limit of "
            f"{MAX_ROWS:,} rows and {MAX_COLUMNS:,} columns. The file is damaged or was not made by a "
            "spreadsheet program; tierdesk does not read it.",
            file=path,
        )
    if extent.rows * extent.columns > MAX_CELLS:
        raise ReadError(
            f"{path.name}, sheet '{sheet}': its cells reach row {extent.rows:,} and column "
            f"{column_letters(extent.columns)}, a grid of {extent.rows * extent.columns:,} cells, too large "
            f"to read (at most {MAX_CELLS:,}). If most of it is empty, delete the unused rows and columns "
            "in Excel (select them, right-click › Delete), save, and try again.",
            file=path,
        )


def find_cell_notes(zf: zipfile.ZipFile, part: str, path: Path, sheet: str) -> CellNotes:
    """Formulas without a saved value and cells showing an Excel error: a reader returns both blank."""
    notes = CellNotes()
    formula = re.compile(
        rb'<(?:\w+:)?c r="([A-Z]+)(\d+)"[^>]*>(?:<(?:\w+:)?f[^>]*/>|<(?:\w+:)?f[^>]*>[^<]*</(?:\w+:)?f>)'
        rb"(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v></(?:\w+:)?v>)?</(?:\w+:)?c>"
    )
    error = re.compile(
        rb'<(?:\w+:)?c r="([A-Z]+)(\d+)"[^>]*\bt="e"[^>]*>(?:<(?:\w+:)?f[^>]*/>|<(?:\w+:)?f[^>]*>[^<]*'
        rb"</(?:\w+:)?f>)?<(?:\w+:)?v>([^<]*)</"
    )
    seen_f: set[tuple[int, int]] = set()
    seen_e: set[tuple[int, int]] = set()
    quick: re.Pattern[bytes] | None = None
    for chunk in _blocks(zf, part, path, None, sheet, boundary=b"row>"):
        if quick is None:
            prefix = re.search(rb"<(\w+:)?sheetData\b", chunk)
            quick = re.compile(rb"<" + re.escape(prefix.group(1) or b"" if prefix else b"") + rb"f[ >/]")
        if quick.search(chunk) is not None:
            for letters, digits in formula.findall(chunk):
                key = (int(digits), column_number(letters))
                if key not in seen_f:
                    seen_f.add(key)
                    notes.formulas_without_value.append(key)
        if b't="e"' in chunk:
            for letters, digits, text in error.findall(chunk):
                key = (int(digits), column_number(letters))
                if key not in seen_e:
                    seen_e.add(key)
                    notes.errors.append((key[0], key[1], text.decode("utf-8", "replace")))
    return notes


# --- ods ---------------------------------------------------------------------------------------------


def check_ods(zf: zipfile.ZipFile, path: Path) -> None:
    """Refuse OpenDocument sheets whose repeated rows/cells holding values would expand past the limits."""
    try:
        info = zf.getinfo("content.xml")
    except KeyError:
        raise ReadError(f"{path.name} is damaged: it has no spreadsheet content.", file=path) from None
    try:
        content = zf.read(info)
    except (zipfile.BadZipFile, EOFError, OSError):
        raise ReadError(
            f"{path.name} is damaged or incomplete (still downloading or syncing?).", file=path
        ) from None
    rows = content.count(b"<table:table-row")
    extra_rows = 0
    for match in re.finditer(rb'<table:table-row\b[^>]*?number-rows-repeated="(\d+)"[^>]*>', content):
        end = content.find(b"</table:table-row>", match.end())
        if b"value-type" in content[match.end() : end if end >= 0 else None]:
            extra_rows += int(match.group(1)) - 1
    widest = 1
    for match in re.finditer(rb'<table:table-cell\b[^>]*?number-columns-repeated="(\d+)"[^>]*>', content):
        if b"value-type" in match.group(0):
            widest = max(widest, int(match.group(1)))
    refuse_if_too_big(Extent(rows + extra_rows, widest), path, "(all sheets)")


# --- xlsb --------------------------------------------------------------------------------------------

XLSB_ROW_HEADER = 0
#: BrtCellBlank .. BrtFmlaError (1-13) and BrtCellRString (62): records whose payload starts with a column.
XLSB_LAST_CELL = 13
XLSB_RICH_CELL = 62
_UINT32 = struct.Struct("<I").unpack_from


def check_xlsb_sheet(zf: zipfile.ZipFile, part: str, path: Path, sheet: str, steps: Steps) -> Extent:
    """Walk the binary sheet's records for the highest row and column that hold a cell."""
    try:
        info = zf.getinfo(part)
        data = zf.read(info)
    except KeyError:
        raise ReadError(f"{path.name} is damaged: sheet '{sheet}' is missing.", file=path) from None
    except (zipfile.BadZipFile, EOFError, OSError):
        raise ReadError(f"{path.name} is damaged: sheet '{sheet}' cannot be unpacked.", file=path) from None
    max_row, max_col = _xlsb_extent(data, steps)
    extent = Extent(max_row, max(max_col, 1), info.file_size)
    refuse_if_too_big(extent, path, sheet)
    return extent


def _xlsb_extent(data: bytes, steps: Steps) -> tuple[int, int]:
    """Highest row (from row headers) and column (from cell records), 1-based, walking the records."""
    max_row = max_col = -1
    i, n = 0, len(data) - 4
    records = 0
    while i < n:
        kind = data[i]
        i += 1
        if kind & 0x80:
            kind = (kind & 0x7F) | ((data[i] & 0x7F) << 7)
            i += 1
        size = data[i]
        i += 1
        if size & 0x80:
            size &= 0x7F
            for shift in (7, 14, 21):
                byte = data[i]
                i += 1
                size |= (byte & 0x7F) << shift
                if not byte & 0x80:
                    break
        if kind <= XLSB_LAST_CELL or kind == XLSB_RICH_CELL:
            value = _UINT32(data, i)[0] if i <= n else 0
            if kind == XLSB_ROW_HEADER:
                max_row = value if value > max_row else max_row
            elif value > max_col:
                max_col = value
        i += size
        records += 1
        if not records % 200_000:
            steps.report(i / max(n, 1), "Checking the sheet")
            if max_row >= MAX_ROWS or max_col >= MAX_COLUMNS:
                break
    return max_row + 1, max_col + 1
