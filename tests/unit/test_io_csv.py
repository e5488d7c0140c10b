"""Delimited text as planners get it: BAD_INPUTS row 19."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from tierdesk.io.load import open_territory
from tierdesk.io.reader import probe, read_table


def _write(path: Path, text: str, encoding: str = "utf-8", bom: bytes = b"") -> Path:
    path.write_bytes(bom + text.encode(encoding))
    return path


def test_semicolon_bom_decimal_comma_and_leading_zero_ids(tmp_path: Path) -> None:
    text = "Kundennummer;Firma;Umsatz;Land\r\n00123;Müller GmbH;1.234,50;DE\r\n00456;Ölwerk AG;99,90;AT\r\n"
    path = _write(tmp_path / "kunden.csv", text, bom=codecs.BOM_UTF8)
    result = open_territory(path)
    frame = result.accounts
    assert frame["account_id"].tolist() == ["00123", "00456"]
    assert frame["account_name"].tolist() == ["Müller GmbH", "Ölwerk AG"]
    assert frame["revenue"].tolist() == [1234.5, 99.9]
    assert result.sheet is None and result.kind == "csv"
    assert any("semicolons" in i.message for i in result.issues)


def test_cp1252_file_is_decoded(tmp_path: Path) -> None:
    path = _write(tmp_path / "accounts.csv", "Account ID,Account Name\nA1,Café Zürich – Süd\n", "cp1252")
    result = open_territory(path)
    assert result.accounts["account_name"].tolist() == ["Café Zürich – Süd"]
    assert any("Windows-1252" in i.message for i in result.issues)


def test_utf16_tab_separated_export(tmp_path: Path) -> None:
    path = _write(tmp_path / "export.txt", "Account ID\tAccount Name\nA1\tAcme\n", "utf-16")
    assert open_territory(path).accounts["account_name"].tolist() == ["Acme"]


def test_quoted_newlines_keep_row_numbers_as_excel_shows_them(tmp_path: Path) -> None:
    text = (
        'Account ID,Account Name,Notes\nA1,Acme,"line one\nline two"\nA2,Beta,"x"\n,,\nA3,"Gamma, Inc",ok\n'
    )
    raw = read_table(_write(tmp_path / "a.csv", text))
    assert raw.data["Notes"].tolist() == ["line one\nline two", "x", "ok"]
    assert raw.excel_rows.tolist() == [2, 3, 5]
    assert raw.data["Account Name"].tolist()[2] == "Gamma, Inc"


def test_na_is_a_real_value_in_text_columns(tmp_path: Path) -> None:
    text = "Account ID,Account Name,Region,Revenue\nA1,Acme,NA,NA\nA2,Beta,EMEA,10\n"
    result = open_territory(_write(tmp_path / "a.csv", text))
    assert result.accounts["region"].tolist() == ["NA", "EMEA"]
    assert result.accounts["revenue"].isna().tolist() == [True, False]
    assert not [i for i in result.issues if i.severity != "info"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_are_detected(tmp_path: Path, delimiter: str) -> None:
    text = "\n".join(
        delimiter.join(row) for row in [["Account ID", "Name", "Owner"], ["1", "A", "x"], ["2", "B", "y"]]
    )
    result = open_territory(_write(tmp_path / "a.csv", text + "\n"))
    assert result.accounts["account_name"].tolist() == ["A", "B"]


def test_excel_sep_line_and_ragged_rows(tmp_path: Path) -> None:
    text = "sep=;\nAccount ID;Name\nA1;Acme;extra\nA2;Beta\n"
    raw = read_table(_write(tmp_path / "a.csv", text))
    assert raw.header_row == 2
    assert raw.headers == ["Account ID", "Name", "Column C"]
    assert raw.excel_rows.tolist() == [3, 4]


def test_csv_probe_has_one_sheet_named_after_the_file(tmp_path: Path) -> None:
    found = probe(_write(tmp_path / "q3 accounts.csv", "Account ID,Name\n1,A\n"))
    assert [s.name for s in found.sheets] == ["q3 accounts"] and found.suggested == "q3 accounts"
