"""Files that killed, hung or flooded tierdesk, or got "internal error" instead of a sentence (issue 14, items
1-4): each is refused in words before the reader parses it, or read correctly; nothing large is allocated."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.test_io_support import (
    ACCOUNTS,
    FIXTURES,
    ROOT_RELS,
    WORKBOOK,
    WORKBOOK_RELS,
    raw_xlsx,
    rows_xml,
)
from tierdesk.io import book as book_module
from tierdesk.io.coerce import extra_column, extra_columns
from tierdesk.io.errors import ReadError
from tierdesk.io.load import open_territory
from tierdesk.io.reader import probe, read_table

REPO = Path(__file__).resolve().parents[2]


def _no_parse(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []

    def refuse(self: object, name: str, *args: object) -> object:
        parsed.append(name)
        raise AssertionError("the sheet must not reach the reader")

    monkeypatch.setattr(book_module.Book, "_parse", refuse)
    return parsed


def _refused(path: Path) -> str:
    with pytest.raises(ReadError) as caught:
        open_territory(path)
    message = str(caught.value)
    assert path.name in message and "\n" not in message
    return message


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tierdesk", *args],
        capture_output=True,
        text=True,
        timeout=300,  # a safety net for the test run, not a measure
        cwd=REPO,
        env={**os.environ, **(env or {})},
    )


# ---------------------------------------------------------------- 1. the reader's abort, from a few KB


FAR_CELLS = {
    "single quotes": "<row r='1048576'><c r='XFD1048576'><v>5</v></c></row>",
    "spaces around =": '<row r="1048576"><c r = "XFD1048576"><v>5</v></c></row>',
    "tab and newline": '<row r="1048576"><c r\t=\n"XFD1048576"><v>5</v></c></row>',
    "lower case": '<row r="1048576"><c r="xfd1048576"><v>5</v></c></row>',
    "second r wins": '<row r="4"><c r="A4" r="XFD1048576"><v>5</v></c></row>',
    "r glued on": '<row r="4"><c t="n"r="XFD1048576"><v>5</v></c></row>',
    "namespace prefix": '<x:row r="9" xmlns:x="urn:x"><x:c r="XFD1048576"><x:v>5</x:v></x:c></x:row>',
    "no reference after a far row": '<row r="1048576"/><row r="900000"></row><row>'
    + "<c><v>1</v></c>" * 20
    + "</row>",
}


@pytest.mark.parametrize("cells", list(FAR_CELLS.values()), ids=list(FAR_CELLS))
def test_a_far_cell_however_written_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cells: str
) -> None:
    path = raw_xlsx(tmp_path / "far.xlsx", rows_xml(ACCOUNTS) + cells)
    parsed = _no_parse(monkeypatch)
    message = _refused(path)
    assert "too large to read" in message or "beyond Excel's limit" in message
    assert parsed == []


def test_a_cell_in_the_middle_of_ordered_rows_is_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows written in order except one far row hidden among them (not the first or last of any block)."""
    rows = rows_xml(ACCOUNTS) + rows_xml([[f"A-{i}", "x", i] for i in range(5, 3000)], first_row=5)
    rows = rows.replace('<row r="1500">', '<row r="1500"><c r="AZ999999"><v>1</v></c>', 1)
    parsed = _no_parse(monkeypatch)
    assert "too large to read" in _refused(raw_xlsx(tmp_path / "hidden.xlsx", rows))
    assert parsed == []


SHARED = (
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{count}" '
    'uniqueCount="{count}"><si><t>Account ID</t></si><si><t>Acme</t></si></sst>'
)


def test_shared_strings_declaring_four_billion_texts_are_refused(tmp_path: Path) -> None:
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>'
    path = raw_xlsx(
        tmp_path / "sst.xlsx", rows, extra_parts={"xl/sharedStrings.xml": SHARED.format(count=4_000_000_000)}
    )
    message = _refused(path)
    assert "4,000,000,000 texts but holds 2" in message


def test_an_honest_shared_strings_count_reads(tmp_path: Path) -> None:
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>'
    path = raw_xlsx(tmp_path / "sst.xlsx", rows, extra_parts={"xl/sharedStrings.xml": SHARED.format(count=2)})
    assert open_territory(path).accounts["account_id"].tolist() == ["Acme"]


@pytest.mark.parametrize("cells", [FAR_CELLS["single quotes"], FAR_CELLS["spaces around ="]])
def test_the_process_lives_to_say_so(tmp_path: Path, cells: str) -> None:
    """The files that made the process abort (exit 134) now get a one-line answer and exit 2."""
    path = raw_xlsx(tmp_path / "far.xlsx", rows_xml(ACCOUNTS) + cells)
    result = _cli("inspect", str(path))
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("tierdesk: far.xlsx")


# ---------------------------------------------------------------- 2. hangs and floods


def test_a_sparse_grid_is_refused_before_it_is_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = raw_xlsx(
        tmp_path / "zz.xlsx", rows_xml(ACCOUNTS) + "<row r='60000'><c r='ZZ60000'><v>5</v></c></row>"
    )
    parsed = _no_parse(monkeypatch)
    assert "too large to read" in _refused(path) and parsed == []


def test_a_few_cells_far_apart_are_refused_as_mostly_empty(tmp_path: Path) -> None:
    path = raw_xlsx(
        tmp_path / "apart.xlsx", rows_xml(ACCOUNTS) + '<row r="90000"><c r="AZ90000"><v>1</v></c></row>'
    )
    assert "almost all empty" in _refused(path)


def _two_sheets(path: Path, far_sheet: str) -> Path:
    workbook = WORKBOOK.format(prolog="", extra="", name="Accounts").replace(
        "</sheets>", '<sheet name="Junk" sheetId="2" r:id="rId2"/></sheets>'
    )
    rels = WORKBOOK_RELS.replace(
        "</Relationships>",
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet2.xml"/></Relationships>',
    )
    return raw_xlsx(
        path,
        rows_xml(ACCOUNTS),
        extra_parts={
            "xl/workbook.xml": workbook,
            "xl/_rels/workbook.xml.rels": rels,
            "xl/worksheets/sheet2.xml": '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml'
            f'/2006/main"><sheetData>{far_sheet}</sheetData></worksheet>',
        },
    )


def test_the_sheet_preview_is_bounded_by_the_sheet_guard(tmp_path: Path) -> None:
    """One reference changed to AAAAAA1 made the preview build a 30 x 12,356,631 grid (2 GB)."""
    path = _two_sheets(tmp_path / "two.xlsx", rows_xml(ACCOUNTS).replace('r="B2"', 'r="AAAAAA2"'))
    tracemalloc.start()
    try:
        found = probe(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found.suggested == "Accounts"
    assert peak < 50 * 2**20
    with book_module.Book(path, "xlsx") as book, pytest.raises(ReadError, match="column number 12,356,631"):
        book.head("Junk")


def _lying_sizes(path: Path, part: str, declared: int) -> Path:
    """The zip with `part`'s declared unpacked size (local header and directory) set to `declared`."""
    data = bytearray(path.read_bytes())
    name = part.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := data.find(signature, at)) >= 0:
            start = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[start : start + len(name)] == name:
                struct.pack_into("<I", data, at + offset, declared)
            at += 4
    path.write_bytes(bytes(data))
    return path


def test_a_relationships_part_unpacking_past_its_declared_size_is_refused(tmp_path: Path) -> None:
    """The relationships part declared 838 bytes and unpacked to 2 GB: only four parts were ever checked."""
    rels = WORKBOOK_RELS.replace("</Relationships>", " " * 5_000_000 + "</Relationships>")
    path = raw_xlsx(
        tmp_path / "rels.xlsx", rows_xml(ACCOUNTS), extra_parts={"xl/_rels/workbook.xml.rels": rels}
    )
    tracemalloc.start()
    try:
        message = _refused(_lying_sizes(path, "xl/_rels/workbook.xml.rels", 838))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "part 'xl/_rels/workbook.xml.rels' cannot be unpacked" in message
    assert peak < 50 * 2**20


def test_a_part_declaring_more_than_its_kind_holds_is_refused_unopened(tmp_path: Path) -> None:
    path = raw_xlsx(
        tmp_path / "styles.xlsx", rows_xml(ACCOUNTS), extra_parts={"xl/styles.xml": "<styleSheet/>"}
    )
    message = _refused(_lying_sizes(path, "xl/styles.xml", 300 << 20))
    assert "'xl/styles.xml' unpacks to 300.0 MB more than such a part ever holds" in message


def test_a_workbook_of_whitespace_packed_183_times_is_refused(tmp_path: Path) -> None:
    """Under the old 200x limit it unpacked to 2 GB and hung; real sheets pack 5 to 30 times."""
    rnd = np.random.default_rng(3)
    noise = rnd.integers(65, 91, 60_000, dtype=np.uint8).tobytes().decode()
    filler = "".join(noise[i : i + 300] + " " * 53_000 for i in range(0, 60_000, 300))
    rows = rows_xml(ACCOUNTS).replace("</row>", "</row>" + filler, 1)
    path = raw_xlsx(tmp_path / "spaces.xlsx", rows)
    info = zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml")
    assert 100 < info.file_size / info.compress_size < 200
    assert "times smaller), which no real workbook does" in _refused(path)


def test_a_50_mb_line_is_refused_after_a_few_mb(tmp_path: Path) -> None:
    path = tmp_path / "line.csv"
    path.write_bytes(b"Account ID," + b"a," * 25_000_000)
    tracemalloc.start()
    try:
        message = _refused(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "a line longer than 8 MB" in message
    assert peak < 100 * 2**20


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_dev_zero_is_refused_as_a_device() -> None:
    with pytest.raises(ReadError, match=r"zero is a device, not a file"):
        read_table("/dev/zero")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_named_like_a_workbook_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "f.xlsx"
    os.mkfifo(fifo)
    with pytest.raises(ReadError, match=r"f\.xlsx is a pipe, not a file"):
        probe(fifo)
    inspected = _cli("inspect", str(fifo))
    assert inspected.returncode == 2 and "f.xlsx is a pipe" in inspected.stderr
    territory = tmp_path / "t.csv"
    territory.write_text("Account ID,Account Name\nA1,Acme\n")
    planned = _cli("plan", str(territory), "-o", str(fifo))
    assert planned.returncode == 2 and planned.stderr.splitlines() == [
        "tierdesk: f.xlsx is not a regular file (a pipe or a device?): choose another name."
    ]


# ---------------------------------------------------------------- 3. time that grew faster than the file


def test_a_header_wider_than_excel_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(20_000)) + "\n" + ",".join("1" * 20_000) + "\n")
    assert "line 1: it holds 20,000 values, more than the 16,384 columns" in _refused(path)


def test_thousands_of_extra_columns_are_all_kept(tmp_path: Path) -> None:
    n = 3_000
    header = ["Account ID", "Account Name", *[f"Extra {i}" for i in range(n)]]
    rows = [["A1", "Acme", *[str(i) for i in range(n)]], ["A2", "Beta", *["007"] * n]]
    path = tmp_path / "wide.csv"
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n")
    accounts = open_territory(path).accounts
    assert len(accounts.columns) >= n + 2
    assert accounts["Extra 5"].tolist() == ["5", "007"]  # a leading zero keeps the column text


CELL = st.sampled_from(
    ["", " ", "1", "2.5", "-3", "007", "0", "+.5", "1e3", "abc", " 12 ", "05", "1.", "NaN"]
)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 6).flatmap(
        lambda rows: st.lists(st.lists(CELL, min_size=rows, max_size=rows), min_size=1, max_size=5)
    )
)
def test_extra_columns_at_once_match_one_by_one(columns: list[list[str]]) -> None:
    block = np.array(columns, dtype=object).T
    headers = ["Amount", "Postal Code", "Notes", "Row ID", "Region"][: block.shape[1]]
    for j, got in enumerate(extra_columns(block, headers)):
        want = extra_column(block[:, j], headers[j])
        assert str(got.dtype) == str(want.dtype)
        assert list(got) == want.tolist() or (want.isna().tolist() == list(np.isnan(np.asarray(got, float))))


# ---------------------------------------------------------------- 4. sentences, not "internal error"


def _raw_deflate(text: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(text) + packer.flush()


def test_garbled_compressed_data_in_the_relationships_part(tmp_path: Path) -> None:
    path = raw_xlsx(tmp_path / "zlib.xlsx", rows_xml(ACCOUNTS))
    data = bytearray(path.read_bytes())
    packed = _raw_deflate(WORKBOOK_RELS.encode())
    at = data.find(packed[:16])
    data[at + 4 : at + 12] = b"\xff" * 8
    path.write_bytes(bytes(data))
    message = _refused(path)
    assert "is damaged" in message and "internal error" not in message


def test_an_unknown_xml_encoding(tmp_path: Path) -> None:
    workbook = WORKBOOK.format(prolog="", extra="", name="Accounts").replace(
        'encoding="UTF-8"', 'encoding="foo-8"'
    )
    path = raw_xlsx(tmp_path / "enc.xlsx", rows_xml(ACCOUNTS), extra_parts={"xl/workbook.xml": workbook})
    try:
        result = open_territory(path)
    except ReadError as exc:
        assert "internal error" not in str(exc)
    else:
        assert list(result.accounts["account_id"]) == ["A-001", "A-002", "A-003"]


def test_a_packing_method_nobody_knows(tmp_path: Path) -> None:
    path = raw_xlsx(tmp_path / "method.xlsx", rows_xml(ACCOUNTS))
    data = bytearray(path.read_bytes())
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:
        struct.pack_into("<H", data, at + 10, 99)
        local = struct.unpack_from("<I", data, at + 42)[0]
        struct.pack_into("<H", data, local + 8, 99)
        at += 4
    path.write_bytes(bytes(data))
    result = _cli("inspect", str(path))
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert "internal error" not in result.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('Account ID,Account Name\nA1,"Acme\nA2,Beta\n', "a quoted value is opened and never closed"),
        ("Account ID,Account Name\nA1,Ac\rme\nA2,Beta\n", None),
        ('Account ID,Account Name,Notes\nA1,Acme,"' + "n" * 200_000 + '"\nA2,Beta,x\n', None),
        ("Account ID,Account Name\nA1,Acme\x00\x00\nA2,Beta\n", "not a workbook or a CSV file"),
    ],
    ids=["EOF inside a string", "new-line in an unquoted field", "field larger than the csv limit", "NUL"],
)
def test_csv_the_parser_gives_up_on(tmp_path: Path, text: str, expected: str | None) -> None:
    path = tmp_path / "odd.csv"
    path.write_text(text)
    if expected is None:
        assert len(open_territory(path).accounts) >= 1
    else:
        assert expected in _refused(path)


def test_a_sheet_name_with_line_breaks_stays_on_one_line(tmp_path: Path) -> None:
    path = raw_xlsx(
        tmp_path / "name.xlsx",
        rows_xml(ACCOUNTS) + FAR_CELLS["single quotes"],
        sheet="Accounts&#10;Q3&#13;final",
    )
    result = _cli("inspect", str(path))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert "sheet 'Accounts Q3 final'" in result.stderr


# ---------------------------------------------------------------- .xls: what the reader sizes from the file


def _patched_xls(path: Path, patch: object) -> Path:
    data = bytearray((FIXTURES / "accounts.xls").read_bytes())
    patch(data)  # type: ignore[operator]
    path.write_bytes(bytes(data))
    return path


def _records(data: bytearray, kind: int, length: int | None = None) -> list[int]:
    head = struct.pack("<H", kind) + (struct.pack("<H", length) if length is not None else b"")
    return [i for i in range(len(data) - 4) if data[i : i + len(head)] == head]


def test_xls_dimensions_declaring_billions_of_cells_are_refused(tmp_path: Path) -> None:
    def patch(data: bytearray) -> None:
        at = _records(data, 0x0200, 14)[-1]
        struct.pack_into("<IIHH", data, at + 4, 10, 5, 0, 200)  # rows 10..4: the reader's arithmetic wraps

    message = _refused(_patched_xls(tmp_path / "dims.xls", patch))
    assert "DIMENSIONS" in message


def test_an_xls_cell_far_away_is_refused(tmp_path: Path) -> None:
    def patch(data: bytearray) -> None:
        at = _records(data, 0x00FD)[-1]  # a text cell of the account sheet: row, column
        struct.pack_into("<HH", data, at + 4, 65535, 255)

    assert "almost all empty" in _refused(_patched_xls(tmp_path / "far.xls", patch))


def test_an_xls_header_sizing_a_16_gb_table_is_refused(tmp_path: Path) -> None:
    def patch(data: bytearray) -> None:
        struct.pack_into("<I", data, 44, 0xFFFFFFF0)  # sectors in the allocation table

    assert "impossible sizes" in _refused(_patched_xls(tmp_path / "header.xls", patch))


def test_the_xls_fixture_still_reads(tmp_path: Path) -> None:
    assert len(open_territory(FIXTURES / "accounts.xls").accounts) == 3


def test_a_second_sheet_part_spelled_in_capitals_is_checked_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader looks parts up ignoring case, and takes the last such entry: both are checked."""
    path = raw_xlsx(tmp_path / "twins.xlsx", rows_xml(ACCOUNTS))
    far = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + rows_xml(ACCOUNTS)
        + FAR_CELLS["single quotes"]
        + "</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("XL/WORKSHEETS/SHEET1.XML", far)
    parsed = _no_parse(monkeypatch)
    assert "too large to read" in _refused(path) and parsed == []


# ---------------------------------------------------------------- which part the reader takes for a sheet

_REL = (
    '<Relationship Id="{id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="{target}"/>'
)
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _rels(*pairs: tuple[str, str]) -> str:
    links = "".join(_REL.format(id=i, target=t) for i, t in pairs)
    return f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{links}</Relationships>'


def _book(sheets: str) -> str:
    return (
        f'<workbook {_NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<sheets>{sheets}</sheets></workbook>"
    )


def _sheet(rows: str) -> str:
    return f"<worksheet {_NS}><sheetData>{rows}</sheetData></worksheet>"


FAR_SHEET = _sheet(rows_xml(ACCOUNTS) + "<row r='1048576'><c r='XFD1048576'><v>5</v></c></row>")
ONE = '<sheet name="Accounts" sheetId="1" r:id="rId1"/>'
DECOYS = {
    "the first of two sheets of one name": {
        "xl/workbook.xml": _book(ONE.replace("rId1", "rId2") + ONE.replace('sheetId="1"', 'sheetId="2"')),
        "xl/_rels/workbook.xml.rels": _rels(
            ("rId1", "worksheets/sheet1.xml"), ("rId2", "worksheets/sheet2.xml")
        ),
        "xl/worksheets/sheet2.xml": FAR_SHEET,
    },
    "a workbook in another folder": {
        "_rels/.rels": ROOT_RELS.replace('Target="xl/workbook.xml"', 'Target="/foo/workbook.xml"'),
        "foo/workbook.xml": _book(ONE),
        "foo/_rels/workbook.xml.rels": _rels(("rId1", "data/s.xml")),
        "foo/data/s.xml": FAR_SHEET,
    },
    "a target joined untidily": {
        "xl/_rels/workbook.xml.rels": _rels(("rId1", "../x.xml")),
        "x.xml": _sheet(rows_xml(ACCOUNTS)),
        "xl/../x.xml": FAR_SHEET,
    },
}


@pytest.mark.parametrize("parts", list(DECOYS.values()), ids=list(DECOYS))
def test_the_part_the_reader_takes_is_the_one_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parts: dict[str, str]
) -> None:
    """A harmless sheet where tierdesk used to look, and a far-reaching one where the reader looks."""
    path = raw_xlsx(tmp_path / "decoy.xlsx", rows_xml(ACCOUNTS), extra_parts=parts)  # type: ignore[arg-type]
    parsed = _no_parse(monkeypatch)
    assert "too large to read" in _refused(path) and parsed == []


# ---------------------------------------------------------------- found by the long fuzz run


def test_a_cell_on_row_zero_among_plain_cells(tmp_path: Path) -> None:
    """The fast scan used to look at the same cell again and again: a row the reader does not accept."""
    rows = rows_xml(ACCOUNTS).replace('r="B3"', 'r="B0"')
    with pytest.raises(ReadError):
        open_territory(raw_xlsx(tmp_path / "zero.xlsx", rows))


def test_thousands_of_columns_with_one_name(tmp_path: Path) -> None:
    path = tmp_path / "same.csv"
    path.write_text("Account ID," + ",".join(["c"] * 5_000) + "\nA1," + ",".join(["1"] * 5_000) + "\n")
    columns = read_table(path).headers
    assert len(set(columns)) == 5_001 and columns[-1] == "c (5000)"


def test_old_mac_line_breaks_count_as_lines(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(b"Account ID,Account Name\rA1,Acme\rA2,Beta\r" + b"A3," + b"x," * 6_000 + b"\r" * 2_000)
    assert "almost all empty" in _refused(path)
    path.write_bytes(b"Account ID,Account Name\r" + b"".join(b"A%d,Name %d\r" % (i, i) for i in range(2_000)))
    assert len(open_territory(path).accounts) == 2_000


def test_packed_data_going_on_after_its_end(tmp_path: Path) -> None:
    """Bytes after the end of a part's packed stream made the unpacking loop forever (found by fuzzing)."""
    inflated = b"<sst>" + b" " * 3_000_000 + b"</sst>"
    packed = _raw_deflate(inflated) + bytes(range(200)) * 3
    path = raw_xlsx(tmp_path / "trail.xlsx", rows_xml(ACCOUNTS))
    with zipfile.ZipFile(path, "a") as zf:  # stored as it is, then marked as packed (deflated)
        zf.writestr("xl/sharedStrings.xml", packed, compress_type=zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    name = b"xl/sharedStrings.xml"
    for signature, method, crc, size in ((b"PK\x03\x04", 8, 14, 22), (b"PK\x01\x02", 10, 16, 24)):
        at = 0
        while (at := data.find(signature, at)) >= 0:
            start = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[start : start + len(name)] == name:
                struct.pack_into("<H", data, at + method, zipfile.ZIP_DEFLATED)
                struct.pack_into("<I", data, at + crc, zlib.crc32(inflated))
                struct.pack_into("<I", data, at + size, len(inflated))
            at += 4
    path.write_bytes(bytes(data))
    try:
        open_territory(path)
    except ReadError as exc:
        assert "internal error" not in str(exc)
