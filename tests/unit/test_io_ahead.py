"""Large sheets unpack on a helper thread ahead of their scan: same pieces, same errors, same refusals."""

from __future__ import annotations

import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tierdesk.io import scan
from tierdesk.io.errors import ReadError, Steps
from tierdesk.io.parts import AHEAD_BYTES, ahead


def _pieces_then_error() -> Iterator[bytes]:
    yield b"one"
    yield b"two"
    raise zipfile.BadZipFile("Bad CRC-32")


def test_pieces_arrive_in_order_and_the_error_after_them() -> None:
    got = []
    with pytest.raises(zipfile.BadZipFile, match="CRC"):
        for piece in ahead(_pieces_then_error()):
            got.append(piece)
    assert got == [b"one", b"two"]


def test_stopping_early_ends_the_helper() -> None:
    endless = (b"x" * 10 for _ in iter(int, 1))
    stream = ahead(endless, depth=2)
    assert next(stream) == b"x" * 10
    stream.close()
    helpers = [t for t in threading.enumerate() if t.name == "tierdesk-unpack"]
    for helper in helpers:
        helper.join(timeout=30)
    assert not any(t.is_alive() for t in helpers)


def _big_sheet(path: Path, last_cell: str) -> zipfile.ZipInfo:
    rows = [
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>Account {r:07d} GmbH</t></is></c>'
        f'<c r="B{r}"><v>{r}</v></c></row>'
        for r in range(1, 60_001)
    ]
    far = f'<row r="60001"><c r="{last_cell}"><v>1</v></c></row>'
    xml = "<worksheet><sheetData>" + "".join(rows) + far + "</sheetData></worksheet>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", xml)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > AHEAD_BYTES  # read through the helper thread
    return info


def test_a_large_sheet_is_measured_through_the_helper(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    info = _big_sheet(path, "C60001")
    with zipfile.ZipFile(path) as zf:
        extent = scan.check_xlsx_sheet(zf, info, path, "Accounts", Steps())
    assert (extent.rows, extent.columns, extent.cells) == (60_001, 3, 120_001)


def test_a_far_cell_at_the_end_of_a_large_sheet_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "far.xlsx"
    info = _big_sheet(path, "XFD1048576")
    with zipfile.ZipFile(path) as zf, pytest.raises(ReadError, match=r"too large|almost all empty"):
        scan.check_xlsx_sheet(zf, info, path, "Accounts", Steps())


def test_a_second_reference_in_a_large_sheet_is_still_read_as_the_reader_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "second.xlsx"
    info = _big_sheet(path, 'C60001" x=">" r="XFD1048576')
    with zipfile.ZipFile(path) as zf, pytest.raises(ReadError, match=r"too large|almost all empty"):
        scan.check_xlsx_sheet(zf, info, path, "Accounts", Steps())
