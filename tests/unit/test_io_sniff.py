"""What a file really is, told from its bytes: BAD_INPUTS rows 1-4, 7 and 10."""

from __future__ import annotations

import shutil
import struct
import time
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest

from tests.unit.test_io_support import ACCOUNTS, FIXTURES, XLSM_MAIN, accounts_xlsx
from tierdesk.io.errors import ReadError
from tierdesk.io.load import open_territory
from tierdesk.io.sniff import sniff


def _refusal(path: Path) -> str:
    with pytest.raises(ReadError) as caught:
        open_territory(path)
    message = str(caught.value)
    assert path.name in message
    assert "Traceback" not in message
    return message


def test_zero_byte_file_is_empty(tmp_path: Path) -> None:  # row 1
    path = tmp_path / "accounts.xlsx"
    path.write_bytes(b"")
    assert "is empty" in _refusal(path)


def test_missing_file_is_named(tmp_path: Path) -> None:
    assert "was not found" in _refusal(tmp_path / "gone.xlsx")


def test_csv_renamed_xlsx_loads_as_csv_and_says_so(tmp_path: Path) -> None:  # row 2
    path = tmp_path / "accounts.xlsx"
    path.write_text("Account ID,Account Name,Revenue\nA1,Acme,10\nA2,Beta,20\n", encoding="utf-8")
    assert sniff(path) == "csv"
    result = open_territory(path)
    assert list(result.accounts["account_id"]) == ["A1", "A2"]
    assert any("really a CSV file" in i.message for i in result.issues)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"<!DOCTYPE html><html><body><table><tr><td>1</td></tr></table></body></html>", "web page (HTML)"),
        (b"<html><table><tr><td>Account</td></tr></table></html>", "web page (HTML)"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
        (b"Dear planner,\nplease find the accounts attached.\nRegards\n", "plain text"),
        (
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
            "XML Spreadsheet",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "not a workbook or a CSV"),
    ],
)
def test_renamed_files_are_named_for_what_they_are(  # row 2
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "accounts.xlsx"
    path.write_bytes(content)
    assert expected in _refusal(path)


def test_word_document_renamed_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "accounts.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    assert "Word document" in _refusal(path)


def test_password_protected_workbook(tmp_path: Path) -> None:  # row 3
    path = tmp_path / "locked.xlsx"
    shutil.copy(FIXTURES / "protected.xlsx", path)
    message = _refusal(path)
    assert "password-protected: remove the password in Excel and try again" in message


def _ole_file(path: Path, streams: list[str]) -> Path:
    """A minimal OLE compound file whose directory lists the given (empty) streams."""
    sector = 512
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIII", header, 44, 1, 1, 0, 0x1000)  # 1 FAT sector, directory in sector 1
    struct.pack_into("<III", header, 60, 0xFFFFFFFE, 0, 0xFFFFFFFE)
    difat = [0] + [0xFFFFFFFF] * 108
    struct.pack_into("<109I", header, 76, *difat)
    fat = [0xFFFFFFFD, 0xFFFFFFFE] + [0xFFFFFFFF] * (sector // 4 - 2)
    directory = bytearray()
    for i, name in enumerate(["Root Entry", *streams]):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le")
        entry[: len(encoded)] = encoded
        struct.pack_into("<HB", entry, 64, len(encoded) + 2, 5 if i == 0 else 2)
        struct.pack_into("<III", entry, 68, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
        struct.pack_into("<I", entry, 116, 0xFFFFFFFE)
        directory += entry
    directory = directory.ljust(sector, b"\x00")
    path.write_bytes(bytes(header) + struct.pack(f"<{sector // 4}I", *fat) + bytes(directory))
    return path


def test_encrypted_ole_is_told_apart_from_legacy_xls(tmp_path: Path) -> None:  # rows 3 and 10
    locked = _ole_file(tmp_path / "locked.xls", ["EncryptionInfo", "EncryptedPackage"])
    assert "password-protected" in _refusal(locked)
    word = _ole_file(tmp_path / "letter.xls", ["WordDocument"])
    assert "Word document" in _refusal(word)
    assert sniff(FIXTURES / "accounts.xls") == "xls"


def test_truncated_zip_is_damaged_or_incomplete(tmp_path: Path) -> None:  # row 4
    whole = accounts_xlsx(tmp_path / "whole.xlsx", ACCOUNTS)
    half = tmp_path / "half.xlsx"
    half.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    assert "damaged or incomplete (still downloading or syncing?)" in _refusal(half)


def _zip_bomb(path: Path, megabytes: int) -> Path:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = b"<row/>" * (1 << 17)
    packed = bytearray()
    size = 0
    crc = 0
    while size < megabytes << 20:
        packed += packer.compress(block)
        size += len(block)
        crc = zlib.crc32(block, crc)
    packed += packer.flush()
    accounts_xlsx(path, ACCOUNTS)
    with zipfile.ZipFile(path, "a") as zf:
        info = zipfile.ZipInfo("xl/sharedStrings.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        info.file_size, info.compress_size, info.CRC = size, len(packed), crc
        zf.fp.seek(zf.start_dir)  # type: ignore[union-attr]
        info.header_offset = zf.fp.tell()  # type: ignore[union-attr]
        zf.fp.write(info.FileHeader())  # type: ignore[union-attr]
        zf.fp.write(packed)  # type: ignore[union-attr]
        zf.start_dir = zf.fp.tell()  # type: ignore[union-attr]
        zf.filelist.append(info)
        zf.NameToInfo[info.filename] = info
        zf._didModify = True
    return path


def test_zip_bomb_refused_from_declared_sizes(  # row 7
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _zip_bomb(tmp_path / "bomb.xlsx", 300)
    assert path.stat().st_size < 2_000_000
    unpacked: list[str] = []
    original = zipfile.ZipFile.open

    def spy(self: zipfile.ZipFile, name: object, *args: object, **kwargs: object) -> object:
        unpacked.append(str(getattr(name, "filename", name)))
        return original(self, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    started = time.perf_counter()
    message = _refusal(path)
    assert time.perf_counter() - started < 1.0
    assert "unpacks to 300.0 MB" in message and "sharedStrings" in message
    assert "xl/sharedStrings.xml" not in unpacked


def test_macro_workbook_is_xlsm_and_reads(tmp_path: Path) -> None:  # row 10
    path = accounts_xlsx(tmp_path / "accounts.xlsm", ACCOUNTS, main_type=XLSM_MAIN, dimension="A1:C4")
    assert sniff(path) == "xlsm"
    result = open_territory(path)
    assert result.kind == "xlsm"
    assert list(result.accounts["account_id"]) == ["A-001", "A-002", "A-003"]


def test_legacy_xls_reads_second_sheet_with_text_ids(tmp_path: Path) -> None:  # rows 10 and 11
    result = open_territory(FIXTURES / "accounts.xls")
    assert (result.kind, result.sheet) == ("xls", "Accounts")
    assert list(result.accounts["account_id"]) == ["00017", "00018", "00019"]
    assert result.accounts["revenue"].tolist() == [1234.5, 99.0, 0.0]
    assert str(result.accounts["last_purchase"].iloc[0].date()) == "2024-12-31"
    assert result.accounts["last_purchase"].isna().tolist() == [False, False, True]


def test_binary_xlsb_reads() -> None:  # row 10
    result = open_territory(FIXTURES / "accounts.xlsb")
    assert result.kind == "xlsb"
    assert list(result.accounts["account_name"]) == ["Acme GmbH", "Beta SA"]
    assert result.accounts["revenue"].tolist() == [1234.5, 99.0]


MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def _ods(path: Path, body: str) -> Path:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
        f'<office:spreadsheet><table:table table:name="Accounts">{body}</table:table></office:spreadsheet>'
        "</office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml", MANIFEST)
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def _ods_row(*cells: str, repeat: int = 1, cell_repeat: int = 1) -> str:
    rep = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    crep = f' table:number-columns-repeated="{cell_repeat}"' if cell_repeat > 1 else ""
    inner = "".join(
        f'<table:table-cell{crep} office:value-type="string"><text:p>{c}</text:p></table:table-cell>'
        for c in cells
    )
    return f"<table:table-row{rep}>{inner}</table:table-row>"


def test_ods_reads_and_ignores_empty_filler_rows(tmp_path: Path) -> None:  # row 10
    body = (
        _ods_row("Account ID", "Account Name")
        + _ods_row("A1", "Acme")
        + _ods_row("A2", "Beta")
        + '<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
        'table:number-columns-repeated="1024"/></table:table-row>'
    )
    result = open_territory(_ods(tmp_path / "accounts.ods", body))
    assert result.kind == "ods"
    assert list(result.accounts["account_name"]) == ["Acme", "Beta"]


def test_ods_with_repeated_filled_rows_beyond_the_limit_is_refused(tmp_path: Path) -> None:  # row 8
    body = _ods_row("Account ID") + _ods_row("x", repeat=2_000_000)
    assert "beyond Excel's limit" in _refusal(_ods(tmp_path / "huge.ods", body))


def test_strict_open_xml_reads_and_is_noted(tmp_path: Path) -> None:  # row 10
    plain = tmp_path / "plain.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Accounts"
    for row in ACCOUNTS:
        book.active.append(row)
    book.save(plain)
    strict = tmp_path / "strict.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(strict, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            data = data.replace(
                b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                b"http://purl.oclc.org/ooxml/spreadsheetml/main",
            ).replace(
                b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                b"http://purl.oclc.org/ooxml/officeDocument/relationships",
            )
            dst.writestr(info.filename, data)
    result = open_territory(strict)
    assert len(result.accounts) == 3
    assert any("Strict Open XML" in i.message for i in result.issues)
