"""An opened workbook: its sheets, a quick look at their top rows, and a sheet's cells as one grid.

Why the Rust reader (python-calamine) runs in this process, not a child one: it aborts the process (no
exception to catch) only when an allocation fails, and it sizes its allocations from numbers in the file
in a few places only, all checked before it is given the file (read from calamine 0.37's source):
- xlsx: a sheet's grid, first to last cell (`Range::from_sparse`), and room for as many shared strings as
  `uniqueCount` says: scan.check_xlsx_sheet reads every cell reference as the reader does, parts.verify_parts
  compares the declared count with the strings held;
- xls: two tables sized from the compound file's header, room for the cells a DIMENSIONS record declares,
  and every sheet's grids, all built when the file opens: scan_formats.check_xls;
- xlsb: a sheet's grid (the reader caps its other reservations): scan_formats.check_xlsb_sheet;
- ods: every table's grid with its repeats, built when the file opens: scan_formats.check_ods;
- any part inflating past what the zip declares, or past what its kind ever holds: parts.unpacked.
A Rust panic (a cut record, a bad index) is raised here as an exception and put in words. Reading in a child
process would make any abort a message too, but costs 0.9 to 1.1 s more on a 100,000-account sheet that
the reader parses in 1.5 s (the cells are pickled across); the checks scan that sheet's 72 MB of XML in
0.42 s of the opening thread's CPU time (0.52 s in all: the sheet unpacks, with ISA-L, on a helper thread
ahead of the scan; 0.67 s before, all on the opening thread). The fuzz harness (tests/fuzz) keeps them honest.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from python_calamine import (
    CalamineSheet,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
    WorksheetNotFound,
    XmlError,
    ZipError,
)

from tierdesk.io import book_parts, scan, scan_formats
from tierdesk.io.errors import Cancelled, ReadError, Steps, one_line, reading
from tierdesk.io.parts import same_part, verify_parts
from tierdesk.io.preview import peek_rows, read_head
from tierdesk.io.sniff import RESAVE_AS_XLSX, is_strict_ooxml, open_zip

ROWS_PER_BLOCK = 10_000
#: Sheets up to this much XML are always searched for formulas without values and error cells.
NOTES_ALWAYS_BYTES = 32 * 1024**2
#: Up to this many cells the grid is filled in place; beyond, block by block (sheets mostly blank).
PREALLOCATE_CELLS = 8_000_000
ZIP_KINDS = ("xlsx", "xlsm", "xlsb", "ods")
#: Rough reading speeds, for progress while the reader parses a sheet (bytes of sheet data per second).
XML_BYTES_PER_SECOND = 60e6
FILE_BYTES_PER_SECOND = 15e6


@dataclass
class SheetInfo:
    name: str
    kind: str
    visible: bool
    rows: int | None


@dataclass
class Grid:
    """A sheet's filled rows: values (rows x columns, object), their Excel row numbers, first column."""

    values: np.ndarray
    rows: np.ndarray
    first_column: int
    notes: scan.CellNotes = field(default_factory=scan.CellNotes)


_SHEET_KINDS = (
    (SheetTypeEnum.WorkSheet, "worksheet"),
    (SheetTypeEnum.ChartSheet, "chart"),
    (SheetTypeEnum.DialogSheet, "dialog"),
    (SheetTypeEnum.MacroSheet, "macro"),
    (SheetTypeEnum.Vba, "vba"),
)


def _sheet_kind(typ: SheetTypeEnum) -> str:
    return next((name for member, name in _SHEET_KINDS if typ == member), "worksheet")


class Book:
    """One workbook file, opened read-only: zip checks first, then the calamine reader for values."""

    def __init__(self, path: Path, kind: str) -> None:
        self.path = path
        self.kind = kind
        self.zip: zipfile.ZipFile | None = None
        self.parts: dict[str, str] = {}
        self.date1904 = False
        self.strict = False
        self._parsed: dict[str, CalamineSheet] = {}
        try:
            with reading(path):
                if kind in ZIP_KINDS:
                    self.zip = open_zip(path)
                    self._check_parts()
                elif kind == "xls":
                    scan_formats.check_xls(path)
        except BaseException:
            self.close()
            raise
        try:
            self.reader = CalamineWorkbook.from_path(str(path))
        except BaseException as exc:
            self.close()
            raise self._error(exc, None) from None

    def _check_parts(self) -> None:
        zf = self.zip
        assert zf is not None
        verify_parts(zf, self.path)
        if self.kind == "ods":
            scan_formats.check_ods(zf, self.path)
            return
        self.parts = book_parts.sheet_parts(zf)
        self.strict = is_strict_ooxml(zf)
        self.date1904 = self.kind != "xlsb" and book_parts.uses_1904_dates(zf)

    def close(self) -> None:
        self._parsed.clear()
        if self.zip is not None:
            self.zip.close()
        reader = getattr(self, "reader", None)
        if reader is not None:
            # A cancelled parse may still hold the reader in its thread; it is freed when that ends.
            with contextlib.suppress(Exception):
                reader.close()

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- sheets ---------------------------------------------------------------------------------------

    def sheets(self) -> list[SheetInfo]:
        infos = []
        for meta in self.reader.sheets_metadata:
            kind = _sheet_kind(meta.typ)
            visible = meta.visible == SheetVisibleEnum.Visible
            infos.append(SheetInfo(meta.name, kind, visible, self._row_hint(meta.name, kind)))
        return infos

    def _row_hint(self, name: str, kind: str) -> int | None:
        if kind != "worksheet":
            return None
        if name in self._parsed:
            return self._parsed[name].height
        part = self.parts.get(name)
        if self.zip is None or part is None:
            return None
        head = read_head(self.zip, part, 4096)
        found = re.search(
            rb"""<(?:\w+:)?dimension\s+ref\s*=\s*["'][A-Za-z]+(\d+)(?::[A-Za-z]+(\d+))?""", head
        )
        if not found:
            return None
        rows = int(found.group(2) or found.group(1))
        return rows if rows <= scan.MAX_ROWS else None  # a hint only: a declared size can lie

    def head(self, name: str, rows: int = 30) -> np.ndarray:
        """The first filled rows of a sheet, cheaply: from the XML for xlsx, else from the parsed sheet."""
        part = self.parts.get(name)
        if self.zip is not None and part is not None and self.kind in ("xlsx", "xlsm"):
            return peek_rows(self.zip, part, rows, path=self.path, sheet=name)
        grid = self.grid(name, Steps())
        return grid.values[:rows]

    # --- one sheet's grid -----------------------------------------------------------------------------

    def grid(self, name: str, steps: Steps) -> Grid:
        """All filled rows of the sheet; refuses sheets too large to hold before parsing them."""
        extents = self._check_sheet(name, steps.part(0.0, 0.15))
        xml_bytes = sum(e.xml_bytes for e in extents)
        part = self.parts.get(name)
        side = None
        if part is not None and self._may_hide_values(xml_bytes):
            zf, path = self.zip, self.path
            assert zf is not None

            def side() -> scan.CellNotes:
                return scan.find_cell_notes(zf, part, path, name)

        size = (
            xml_bytes / XML_BYTES_PER_SECOND
            if xml_bytes
            else self.path.stat().st_size / FILE_BYTES_PER_SECOND
        )
        sheet, found = self._parse(name, steps.part(0.15, 0.7), size + 0.05, side)
        try:
            return _grid_of(sheet, steps.part(0.7, 1.0), found or scan.CellNotes())
        except (ReadError, Cancelled, MemoryError):
            raise
        except Exception as exc:  # the reader converts cells as they are taken: a bad one fails here
            raise self._error(exc, name) from None

    def _may_hide_values(self, xml_bytes: int) -> bool:
        """Worth looking for formulas without saved values and error cells: always on small sheets; on
        large ones when Excel saved formulas (errors possible) or another program wrote the file."""
        if self.zip is None or self.kind not in ("xlsx", "xlsm"):
            return False
        if xml_bytes <= NOTES_ALWAYS_BYTES or "xl/calcChain.xml" in self.zip.namelist():
            return True
        app = read_head(self.zip, "docProps/app.xml", 4096)
        made_by = re.search(rb"<(?:\w+:)?Application>([^<]*)<", app)
        return not (made_by and made_by.group(1).strip() == b"Microsoft Excel")

    def check_sheet(self, name: str, steps: Steps) -> list[scan.Extent]:
        """Refuse the sheet (ReadError) when the reader could not hold it; its extent otherwise."""
        return self._check_sheet(name, steps)

    def _check_sheet(self, name: str, steps: Steps) -> list[scan.Extent]:
        """Every part the reader may read for this sheet: those it resolves for the name (all of them when
        the name is not found the same way here), and the usual sheet folder's as a last resort."""
        zf = self.zip
        if zf is None or self.kind == "ods":
            return []
        suffix = ".bin" if self.kind == "xlsb" else ".xml"
        if self.kind == "xlsb":  # its sheet records are binary: every part they may point to is checked
            parts = book_parts.reader_xlsb_parts(zf)
        else:
            resolved = book_parts.reader_sheet_parts(zf)
            parts = resolved.get(name) or {p for ps in resolved.values() for p in ps}
        infos = list({id(i): i for p in sorted(parts) for i in same_part(zf, p)}.values())
        if not infos:
            infos = [i for p in _members(zf, "xl/worksheets/", suffix) for i in same_part(zf, p)]
        if not infos:
            raise ReadError(
                f"{self.path.name} is damaged: sheet '{one_line(name)}' is listed but missing from the file. "
                "Let Excel repair it (File › Open › Open and Repair), or ask for the file again.",
                file=self.path,
            )
        if self.kind == "xlsb":
            return [scan_formats.check_xlsb_sheet(zf, i, self.path, name, steps) for i in infos]
        return [scan.check_xlsx_sheet(zf, i, self.path, name, steps) for i in infos]

    def _parse(
        self, name: str, steps: Steps, estimate: float, side: Any
    ) -> tuple[CalamineSheet, scan.CellNotes | None]:
        """Parse the sheet in a helper thread (the reader releases the GIL), staying cancellable and
        reporting estimated progress; meanwhile run `side` (the cell-notes scan) here."""
        if name in self._parsed:
            return self._parsed[name], side() if side else None
        result: dict[str, Any] = {}

        def work() -> None:
            try:
                result["sheet"] = self.reader.get_sheet_by_name(name)
            except BaseException as exc:
                result["error"] = exc

        thread = threading.Thread(target=work, name="tierdesk-sheet-reader", daemon=True)
        started = time.monotonic()
        thread.start()
        found = side() if side else None
        while thread.is_alive():
            thread.join(0.05)
            steps.report(min(0.95, (time.monotonic() - started) / estimate), "Reading the sheet")
        if "error" in result:
            raise self._error(result["error"], name) from None
        sheet: CalamineSheet = result["sheet"]
        self._parsed[name] = sheet
        steps.report(1.0, "Reading the sheet")
        return sheet, found

    def _error(self, exc: BaseException, sheet: str | None) -> ReadError:
        name = self.path.name
        at = f"{name}, sheet '{one_line(sheet)}'" if sheet else name
        if isinstance(exc, ReadError):
            return exc
        if isinstance(exc, PasswordError):
            return ReadError(
                f"{name} is password-protected: remove the password in Excel and try again.", file=self.path
            )
        if isinstance(exc, WorksheetNotFound):
            names = ", ".join(f"'{one_line(n)}'" for n in self.reader.sheet_names[:20])
            return ReadError(
                f"{name} has no sheet called '{one_line(sheet)}' (its sheets: {names}).", file=self.path
            )
        if isinstance(exc, ZipError):
            return ReadError(
                f"{name} is damaged or incomplete (still downloading or syncing?).", file=self.path
            )
        hint = (
            f" The file is saved as 'Strict Open XML Spreadsheet'. {RESAVE_AS_XLSX}"
            if self.strict
            else (" Let Excel repair it (File › Open › Open and Repair), or ask for the file again.")
        )
        detail = f"{type(exc).__name__}: {_short(exc)}"
        if isinstance(exc, XmlError):
            what = "its data" if sheet else "its list of sheets"
            return ReadError(
                f"{at}: the workbook is damaged ({what} cannot be read).{hint}", file=self.path, detail=detail
            )
        if isinstance(exc, Exception) or type(exc).__name__ == "PanicException":
            return ReadError(
                f"{at}: cannot be read; parts of it are damaged or in a form tierdesk does not know.{hint}",
                file=self.path,
                detail=detail,
            )
        raise exc


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:160] or type(exc).__name__


def _members(zf: zipfile.ZipFile, folder: str, suffix: str) -> list[str]:
    return [n for n in zf.namelist() if n.startswith(folder) and n.endswith(suffix) and "/_rels/" not in n]


def _grid_of(sheet: CalamineSheet, steps: Steps, notes: scan.CellNotes) -> Grid:
    """The sheet's non-blank rows as one object array, read in blocks so cancel is checked often.

    Columns of few distinct texts (territory, owner, yes/no) share one string object per distinct
    value, so a large sheet holds far fewer objects.
    """
    width = sheet.width
    start, end = sheet.start, sheet.end
    if start is None or end is None or width == 0 or sheet.height == 0:
        return Grid(np.empty((0, 0), dtype=object), np.empty(0, dtype=np.int64), 1, notes)
    total = end[0] + 1
    rows = sheet.iter_rows()
    values = np.empty((total, width), dtype=object) if total * width <= PREALLOCATE_CELLS else None
    blocks: list[np.ndarray] = []
    kept: list[np.ndarray] = []
    shared: dict[int, dict[str, str]] | None = None
    seen = filled_rows = 0
    while True:
        # fromiter: no list in between, and no looking into each cell for nested sequences as np.array does
        block = np.fromiter(
            itertools.chain.from_iterable(itertools.islice(rows, ROWS_PER_BLOCK)), dtype=object
        )
        if not len(block):
            break
        block = block.reshape(-1, width)
        filled = _filled_rows(block)
        if not filled.all():
            block = block[filled]
        if shared is None:
            shared = {j: {} for j in _repetitive_columns(block)}
        _share_repeats(block, shared)
        if values is not None:
            values[filled_rows : filled_rows + len(block)] = block
        else:
            blocks.append(block)
        filled_rows += len(block)
        kept.append(np.flatnonzero(filled) + seen)
        seen += len(filled)
        steps.report(seen / total, "Reading rows")
    if values is None:
        values = np.concatenate(blocks) if len(blocks) > 1 else blocks[0]
    elif filled_rows < 0.9 * total:
        values = values[:filled_rows].copy()
    else:
        values = values[:filled_rows]
    first_row = end[0] + 2 - seen
    excel_rows = np.concatenate(kept) + first_row
    return Grid(values, excel_rows.astype(np.int64), start[1] + 1, notes)


def _filled_rows(block: np.ndarray) -> np.ndarray:
    """Rows with at least one non-empty cell; looks at further columns only for rows still empty."""
    filled = block[:, 0] != ""
    for j in range(1, block.shape[1]):
        empty = np.flatnonzero(~filled)
        if not len(empty):
            break
        filled[empty] = block[empty, j] != ""
    return filled


def _repetitive_columns(block: np.ndarray) -> list[int]:
    """Columns whose texts repeat a lot in the first block."""
    found = []
    for j in range(block.shape[1]):
        column = block[:, j]
        texts = column[column != ""]
        if (
            len(texts) >= 20
            and pd.api.types.infer_dtype(texts, skipna=False) == "string"
            and len(set(texts.tolist())) <= 0.3 * len(texts)
        ):
            found.append(j)
    return found


def _share_repeats(block: np.ndarray, shared: dict[int, dict[str, str]]) -> None:
    """One string object per distinct text in these columns, instead of one per cell. A block whose column
    holds anything but texts is left as it is (factorizing would take 1, 1.0 and True for one value); only
    texts equal texts, so distinct values that are all texts mean every cell is one."""
    for j, pool in shared.items():
        codes, distinct = pd.factorize(block[:, j])
        texts = distinct.tolist()
        if all(type(t) is str for t in texts) and (len(codes) == 0 or codes.min() >= 0):
            canonical = np.array([pool.setdefault(t, t) for t in texts], dtype=object)
            block[:, j] = canonical[codes]
