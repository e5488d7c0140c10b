"""A quick look at an xlsx sheet's first rows, parsed from the start of its XML only (to suggest the sheet
that holds the accounts without reading every sheet)."""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tierdesk.io import scan
from tierdesk.io.parts import ZIP_ERRORS

_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ATTR = re.compile(rb"""(?:^|\s)(r|t)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_TEXT = re.compile(rb"<(?:\w+:)?t\b[^>]*>([^<]*)</(?:\w+:)?t>")
_PHONETIC = re.compile(rb"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_SHARED = re.compile(rb"<(?:\w+:)?si>(.*?)</(?:\w+:)?si>", re.S)


def read_head(zf: zipfile.ZipFile, part: str, size: int) -> bytes:
    try:
        with zf.open(part) as fh:
            return fh.read(size)
    except (KeyError, *ZIP_ERRORS):
        return b""


def peek_rows(
    zf: zipfile.ZipFile,
    part: str,
    count: int,
    limit: int = 4 << 20,
    path: Path | None = None,
    sheet: str = "",
) -> np.ndarray:
    """The first `count` filled rows of an xlsx sheet, parsed from the start of its XML only; ReadError (as
    reading the sheet would give) when a cell lies beyond Excel's columns."""
    data = b""
    try:
        with zf.open(part) as fh:
            while len(data) < limit:
                block = fh.read(65536)
                if not block:
                    break
                data += block
                if len(re.findall(rb"</(?:\w+:)?row>", data)) > count:
                    break
    except (KeyError, *ZIP_ERRORS):
        return np.empty((0, 0), dtype=object)
    rows: list[dict[int, object]] = []
    wanted: set[int] = set()
    for row in _ROW.finditer(data):
        cells: dict[int, object] = {}
        column = 0
        for cell in _CELL.finditer(row.group(2) or b""):
            attrs = {k: v1 or v2 for k, v1, v2 in _ATTR.findall(cell.group(1))}
            ref = re.match(rb"([A-Za-z]+)", attrs.get(b"r", b""))
            column = scan.column_number(ref.group(1)) if ref else column + 1
            if column > scan.MAX_COLUMNS:  # the sheet itself is refused for this cell: so is its preview
                scan.refuse_if_too_big(scan.Extent(len(rows) + 1, column), path or Path(part), sheet)
            cells[column] = _cell_value(attrs.get(b"t", b"n"), cell.group(2) or b"", wanted)
        if any(v != "" for v in cells.values()):
            rows.append(cells)
        if len(rows) >= count:
            break
    shared = _shared_strings(zf, max(wanted) + 1) if wanted else []
    width = max((max(r) for r in rows if r), default=0)
    grid = np.full((len(rows), width), "", dtype=object)
    for i, cells in enumerate(rows):
        for column, value in cells.items():
            if isinstance(value, _SharedIndex):
                value = shared[value.index] if value.index < len(shared) else ""
            grid[i, column - 1] = value
    return grid


@dataclass(frozen=True)
class _SharedIndex:
    index: int


def _cell_value(kind: bytes, inner: bytes, wanted: set[int]) -> object:
    value = _VALUE.search(inner)
    raw = value.group(1) if value else b""
    if kind == b"s" and raw.strip().isdigit():
        wanted.add(int(raw))
        return _SharedIndex(int(raw))
    if kind == b"inlineStr":
        return html.unescape(b"".join(_TEXT.findall(inner)).decode("utf-8", "replace"))
    if kind in (b"str", b"d"):
        return html.unescape(raw.decode("utf-8", "replace"))
    if kind == b"b":
        return raw.strip() == b"1"
    if kind == b"e" or not raw:
        return ""
    try:
        return float(raw)
    except ValueError:
        return ""


def _shared_strings(zf: zipfile.ZipFile, needed: int, limit: int = 64 << 20) -> list[str]:
    """The first `needed` shared strings, streaming the table only as far as needed (and no further than
    `limit` bytes: a preview leaves the rest blank)."""
    found: list[str] = []
    tail = b""
    read = 0
    try:
        with zf.open("xl/sharedStrings.xml") as fh:
            while len(found) < needed and read < limit and len(tail) < (4 << 20):
                block = fh.read(1 << 20)
                read += len(block)
                if not block:
                    break
                data = tail + block
                consumed = 0
                for item in _SHARED.finditer(data):
                    text = b"".join(_TEXT.findall(_PHONETIC.sub(b"", item.group(1))))
                    found.append(html.unescape(text.decode("utf-8", "replace")))
                    consumed = item.end()
                tail = data[consumed:]
    except (KeyError, *ZIP_ERRORS):
        pass
    return found
