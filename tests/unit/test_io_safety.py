"""Hostile and damaged workbooks, and long reads: BAD_INPUTS rows 5, 6, 8 and 9."""

from __future__ import annotations

import datetime as dt
import struct
import time
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from tests.unit.test_io_support import ACCOUNTS, FIXTURES, accounts_xlsx, raw_xlsx, rows_xml
from tierdesk.io import book as book_module
from tierdesk.io.errors import Cancelled, ReadError
from tierdesk.io.load import open_territory
from tierdesk.io.reader import read_table


def _laughs() -> str:
    entities = ['<!ENTITY lol "lol">']
    for i in range(1, 10):
        previous = f"&lol{i - 1};" if i > 1 else "&lol;"
        entities.append(f'<!ENTITY lol{i} "{previous * 10}">')
    return "<!DOCTYPE lolz [" + "".join(entities) + "]>"


LAUGHS = _laughs()
PASSWD = Path("/etc/passwd")
EXTERNAL = f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{PASSWD}">]>'


def _refusal(path: Path, seconds: float = 1.0) -> str:
    started = time.perf_counter()
    with pytest.raises(ReadError) as caught:
        open_territory(path)
    assert time.perf_counter() - started < seconds
    message = str(caught.value)
    assert path.name in message
    return message


def test_zip_without_workbook_part(tmp_path: Path) -> None:  # row 5
    path = accounts_xlsx(tmp_path / "accounts.xlsx", ACCOUNTS, drop=["xl/workbook.xml"])
    assert "workbook part (xl/workbook.xml) is missing" in _refusal(path)


def test_malformed_sheet_xml_names_the_sheet(tmp_path: Path) -> None:  # row 5
    path = raw_xlsx(tmp_path / "accounts.xlsx", rows_xml(ACCOUNTS)[:-40], sheet="Key Accounts")
    message = _refusal(path)
    assert "sheet 'Key Accounts'" in message and "damaged" in message


@pytest.mark.parametrize("part", ["sheet", "workbook", "shared strings"])
def test_entity_bomb_refused_fast(tmp_path: Path, part: str) -> None:  # row 6
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    kwargs: dict[str, object] = {}
    if part == "sheet":
        kwargs["sheet_prolog"] = LAUGHS
    elif part == "workbook":
        kwargs["workbook_prolog"] = LAUGHS
        kwargs["sheet"] = "&lol9;"
        rows = rows_xml(ACCOUNTS)
    else:
        rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        kwargs["extra_parts"] = {
            "xl/sharedStrings.xml": '<?xml version="1.0"?>'
            + LAUGHS
            + '<sst xmlns="http://schemas.openxmlformats.org'
            '/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
        }
    path = raw_xlsx(tmp_path / "bomb.xlsx", rows, **kwargs)  # type: ignore[arg-type]
    message = _refusal(path)
    assert "lollol" not in message


def test_external_entity_reads_no_local_file(tmp_path: Path) -> None:  # row 6
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>Account &xxe;</t></is></c></row>' + rows_xml(
        ACCOUNTS[1:], 2
    )
    path = raw_xlsx(tmp_path / "xxe.xlsx", rows, sheet_prolog=EXTERNAL)
    try:
        result = open_territory(path)
    except ReadError as exc:
        text = str(exc)
    else:
        text = repr(result.accounts.to_dict()) + repr(result.issues)
    if PASSWD.exists():
        assert PASSWD.read_text(errors="replace").splitlines()[0] not in text


def _no_parse(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []

    def refuse(self: object, name: str, *args: object) -> object:
        parsed.append(name)
        raise AssertionError("the sheet must not reach the reader")

    monkeypatch.setattr(book_module.Book, "_parse", refuse)
    return parsed


def test_cell_beyond_excel_rows_is_refused_before_parsing(  # row 8
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = rows_xml(ACCOUNTS) + '<row r="9999999"><c r="A9999999"><v>5</v></c></row>'
    path = raw_xlsx(tmp_path / "far.xlsx", rows)
    parsed = _no_parse(monkeypatch)
    message = _refusal(path)
    assert "row 9,999,999" in message and "beyond Excel's limit" in message
    assert parsed == []


def test_cell_at_xfd1048576_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = rows_xml(ACCOUNTS) + '<row r="1048576"><c r="XFD1048576"><v>5</v></c></row>'
    path = raw_xlsx(tmp_path / "corner.xlsx", rows, dimension="A1:XFD1048576")
    parsed = _no_parse(monkeypatch)
    message = _refusal(path)
    assert "too large to read" in message and "XFD" in message
    assert parsed == []


def test_far_cell_out_of_order_and_without_reference_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = '<row r="1048576"><c><v>1</v></c><c><v>2</v></c></row>' + rows_xml(ACCOUNTS[:2])
    rows += '<row r="3">' + "".join("<c><v>1</v></c>" for _ in range(60)) + "</row>"
    path = raw_xlsx(tmp_path / "odd.xlsx", rows)
    parsed = _no_parse(monkeypatch)
    assert "too large to read" in _refusal(path)
    assert parsed == []


def test_lying_dimension_is_read_correctly(tmp_path: Path) -> None:  # row 8
    path = accounts_xlsx(tmp_path / "accounts.xlsx", ACCOUNTS, dimension="A1:XFD1048576")
    result = open_territory(path)
    assert list(result.accounts["account_id"]) == ["A-001", "A-002", "A-003"]


def test_stray_cell_far_below_is_left_out_with_a_warning(tmp_path: Path) -> None:  # row 8
    rows = rows_xml(ACCOUNTS) + rows_xml([["A-999", "Stray", 1]], first_row=40_000)
    path = raw_xlsx(tmp_path / "stray.xlsx", rows)
    result = open_territory(path)
    assert len(result.accounts) == 3
    warning = next(i for i in result.issues if i.row == 40_000)
    assert warning.severity == "warning" and "blank rows below the table" in warning.message


def _big_workbook(path: Path, rows: int) -> Path:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Accounts")
    sheet.write_row(0, 0, ["Account ID", "Account Name", "Revenue", "Last Purchase"])
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for i in range(1, rows + 1):
        sheet.write_string(i, 0, f"A{i:06d}")
        sheet.write_string(i, 1, f"Customer {i}")
        sheet.write_number(i, 2, i * 1.5)
        sheet.write_datetime(i, 3, dt.datetime(2024, 1, 1) + dt.timedelta(days=i % 300), date_format)
    book.close()
    return path


def test_progress_is_reported_and_cancel_stops_the_read(tmp_path: Path) -> None:  # row 9
    path = _big_workbook(tmp_path / "big.xlsx", 45_000)
    seen: list[tuple[float, str]] = []
    result = open_territory(path, progress=lambda f, stage: seen.append((f, stage)))
    assert len(result.accounts) == 45_000
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)
    stages = {s for _, s in seen}
    assert {"Checking the sheet", "Reading rows", "Reading values"} <= stages
    assert sum(1 for _, s in seen if s == "Reading rows") >= 45_000 // 20_000

    rows_seen: list[float] = []

    def cancel_in_rows() -> bool:
        return len(rows_seen) >= 1

    with pytest.raises(Cancelled):
        read_table(
            path,
            progress=lambda f, s: rows_seen.append(f) if s == "Reading rows" else None,
            cancel=cancel_in_rows,
        )
    assert len(rows_seen) == 1

    calls = []
    with pytest.raises(Cancelled):
        open_territory(path, cancel=lambda: calls.append(1) or len(calls) > 3)


def test_cancel_while_the_reader_parses(tmp_path: Path) -> None:  # row 9
    path = _big_workbook(tmp_path / "big.xlsx", 30_000)
    stages: list[str] = []
    with pytest.raises(Cancelled):
        read_table(path, progress=lambda f, s: stages.append(s), cancel=lambda: "Reading the sheet" in stages)
    assert "Reading rows" not in stages


def test_csv_cancel_between_chunks(tmp_path: Path) -> None:  # row 9
    path = tmp_path / "big.csv"
    path.write_text("Account ID,Name\n" + "".join(f"A{i},Customer {i}\n" for i in range(60_000)))
    reported: list[float] = []
    with pytest.raises(Cancelled):
        read_table(path, progress=lambda f, s: reported.append(f), cancel=lambda: len(reported) > 2)


def _patched_xlsb(path: Path, row: int) -> Path:
    """The xlsb fixture with its last row header moved to `row` (0-based), cells following it."""
    with zipfile.ZipFile(FIXTURES / "accounts.xlsb") as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = bytearray(src.read(info.filename))
            if info.filename == "xl/worksheets/sheet1.bin":
                i, last_row_header = 0, -1
                while i < len(data):
                    kind = data[i]
                    i += 1
                    if kind & 0x80:
                        kind = (kind & 0x7F) | ((data[i] & 0x7F) << 7)
                        i += 1
                    size = shift = 0
                    while True:
                        byte = data[i]
                        i += 1
                        size |= (byte & 0x7F) << shift
                        shift += 7
                        if not byte & 0x80:
                            break
                    if kind == 0:
                        last_row_header = i
                    i += size
                struct.pack_into("<I", data, last_row_header, row)
            dst.writestr(info, bytes(data))
    return path


def test_xlsb_row_beyond_excel_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = _no_parse(monkeypatch)
    message = _refusal(_patched_xlsb(tmp_path / "far.xlsb", 9_999_998))
    assert "row 9,999,999" in message and parsed == []
