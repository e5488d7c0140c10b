"""The cheaper open keeps every answer: blocks cut as before, repeated texts shared without merging values
of other types, the unplain-tag search as strict as the two searches it replaced, inflate errors in words."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import numpy as np
import pytest

from tierdesk.io import book, parts, scan
from tierdesk.io.errors import ReadError


def _cut_by_joining(pieces: list[bytes], boundary: bytes) -> list[bytes]:
    """The same blocks, worked out the plain way: everything joined, then cut at each last boundary."""
    out, tail = [], b""
    for block in pieces:
        data = tail + block
        cut = data.rfind(boundary)
        if cut < 0 and boundary != b"<":
            cut, after = data.rfind(b"<"), 0
        else:
            after = len(boundary) if boundary != b"<" else 0
        if cut < 0:
            tail = data
            continue
        out.append(data[: cut + after])
        tail = data[cut + after :]
    return [*out, tail] if tail else out


@pytest.mark.parametrize("boundary", [b"<", b"row>"])
def test_blocks_are_cut_at_the_same_places_as_by_joining(boundary: bytes) -> None:
    rnd = random.Random(5)
    xml = b"".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>'.encode() for i in range(1, 400))
    for _ in range(50):
        cuts = sorted(rnd.sample(range(1, len(xml)), rnd.randrange(1, 40)))
        pieces = [xml[a:b] for a, b in zip([0, *cuts], [*cuts, len(xml)], strict=True)]
        got = [chunk for chunk, _done in parts._cut(iter(pieces), boundary)]
        assert b"".join(got) == xml
        assert got == _cut_by_joining(pieces, boundary)


def test_repeated_texts_are_shared_and_other_values_kept_apart() -> None:
    texts = np.array(["".join(("Nor", "th")) for _ in range(40)], dtype=object)  # equal, not the same
    assert len({id(v) for v in texts}) == 40
    mixed = np.array([1, 1.0, True, "1"] * 10, dtype=object)
    block = np.column_stack([texts, mixed])
    book._share_repeats(block, {0: {}, 1: {}})
    assert len({id(v) for v in block[:, 0]}) == 1  # one object for the one text
    assert [type(v) for v in block[:4, 1]] == [int, float, bool, str]  # 1, 1.0 and True not merged


def test_a_row_tag_hidden_in_a_skipped_cell_leaves_the_chunk_to_the_exact_scan() -> None:
    chunk = b'<row r="1"><c r="A1"><v>1</v></c><c r="B1" t="x<row r=\'9\'>"><v>2</v></c></row>'
    reach = scan._Reach()
    assert not scan._fast_chunk(chunk, reach)  # column B lies beyond the columns seen: looked at closely
    plain = b'<row r="1"><c r="A1" s="1" t="s"><v>1</v></c><c r="B1" cm="1"><v>2</v></c></row>'
    assert scan._fast_chunk(plain, scan._Reach())


def test_a_garbled_sheet_is_refused_in_words(tmp_path: Path) -> None:
    path = tmp_path / "garbled.xlsx"
    sheet = (
        b"<worksheet><sheetData>"
        + b'<row r="1"><c r="A1"><v>1</v></c></row>' * 5000
        + b"</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", '<workbook><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>')
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + 20
    data[start : start + 40] = bytes(random.Random(1).randrange(256) for _ in range(40))
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as zf, pytest.raises(ReadError) as err:
        scan.check_xlsx_sheet(zf, "xl/worksheets/sheet1.xml", path, "S", None)
    assert "sheet 'S' cannot be unpacked (unreadable data)" in str(err.value)
