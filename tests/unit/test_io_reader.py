"""Sheets, header row, totals rows, formulas: BAD_INPUTS rows 11-13 and 18, and the real workbooks."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter

from tests.unit.test_io_support import realdata
from tierdesk.io.load import open_territory
from tierdesk.io.mapping import guess_mapping
from tierdesk.io.reader import probe, read_table


def _workbook(path: Path, sheets: dict[str, list[list[object]]], merge: dict[str, str] | None = None) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(row=r, column=c, value=value)
        if merge and name in merge:
            sheet.merge_cells(merge[name])
    book.save(path)
    return path


def test_chart_sheet_first_and_accounts_on_a_later_sheet(tmp_path: Path) -> None:  # row 11
    path = tmp_path / "plan.xlsx"
    book = xlsxwriter.Workbook(str(path))
    chart_sheet = book.add_chartsheet("Overview")
    notes = book.add_worksheet("Notes")
    notes.write(0, 0, "Territory plan FY25 - confidential")
    data = book.add_worksheet("Data")
    data.write_row(0, 0, ["Region", "Revenue"])
    data.write_row(1, 0, ["North", 10])
    data.write_row(2, 0, ["South", 20])
    accounts = book.add_worksheet("Kundenliste")
    accounts.write_row(0, 0, ["Customer ID", "Company Name", "Account Owner", "Revenue"])
    for i in range(1, 6):
        accounts.write_row(i, 0, [f"C{i}", f"Company {i}", "Ann", i * 100])
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": "=Data!$B$2:$B$3"})
    chart_sheet.set_chart(chart)
    book.close()

    found = probe(path)
    assert [s.name for s in found.sheets] == ["Overview", "Notes", "Data", "Kundenliste"]
    assert found.sheets[0].kind == "chart"
    assert found.suggested == "Kundenliste"
    result = open_territory(path)
    assert result.sheet == "Kundenliste" and len(result.accounts) == 5
    other = open_territory(path, sheet="Data", mapping={"account_name": "Region"})
    assert list(other.accounts["account_name"]) == ["North", "South"]


def test_title_rows_merged_title_blank_rows_and_totals(tmp_path: Path) -> None:  # row 12
    rows: list[list[object]] = [
        ["Territory plan FY2025", None, None, None],
        ["Prepared by Sales Ops", None, None, None],
        [None, None, None, None],
        ["Account ID", "Account Name", "Owner", "Revenue"],
        ["A1", "Acme", "Ann", 100],
        [None, None, None, None],
        ["A2", "Beta", "Bob", 200],
        [None, None, None, None],
        [None, None, None, None],
        ["A3", "Gamma", "Ann", 300],
        ["Subtotal", None, None, 600],
        ["A4", "Delta", "Cy", 50],
        ["TOTAL:", None, None, 650],
    ]
    path = _workbook(tmp_path / "plan.xlsx", {"Plan": rows}, merge={"Plan": "A1:D1"})
    raw = read_table(path)
    assert raw.header_row == 4
    assert raw.headers == ["Account ID", "Account Name", "Owner", "Revenue"]
    assert list(raw.excel_rows) == [5, 7, 10, 12]
    left_out = {i.row: i.message for i in raw.issues if "totals row" in i.message}
    assert set(left_out) == {11, 13}
    assert "'TOTAL:'" in left_out[13]
    result = open_territory(path)
    assert result.accounts["revenue"].sum() == 650
    assert list(result.accounts["source_row"]) == [5, 7, 10, 12]


def test_unlabelled_totals_row_found_by_its_sums(tmp_path: Path) -> None:  # row 12
    rows: list[list[object]] = [["Account", "Revenue", "Orders"]]
    rows += [[f"Shop {i}", i * 10, i] for i in range(1, 6)]
    rows += [[None, 150, 15]]
    raw = read_table(_workbook(tmp_path / "shops.xlsx", {"Shops": rows}))
    assert len(raw.data) == 5
    assert any(i.row == 7 and "totals row" in i.message for i in raw.issues)
    not_a_sum = [*rows[:-1], [None, 151, 15]]
    assert len(read_table(_workbook(tmp_path / "other.xlsx", {"Shops": not_a_sum})).data) == 6


def test_an_account_called_total_with_an_id_stays(tmp_path: Path) -> None:  # row 12
    rows: list[list[object]] = [["Account ID", "Account Name"], ["F-1", "Total"], ["F-2", "Elf"]]
    result = open_territory(_workbook(tmp_path / "a.xlsx", {"A": rows}))
    assert list(result.accounts["account_name"]) == ["Total", "Elf"]


def test_blank_duplicate_and_unknown_headers(tmp_path: Path) -> None:  # row 13
    rows: list[list[object]] = [
        ["Name", None, "Name", "Zorglub", "Revenue", None],
        ["Acme", "x1", "Acme Holding", "q", 10, None],
        ["Beta", "x2", "Beta Group", "r", 20, None],
    ]
    raw = read_table(_workbook(tmp_path / "h.xlsx", {"S": rows}))
    assert raw.headers == ["Name", "Column B", "Name (2)", "Zorglub", "Revenue"]
    assert raw.letters == ["A", "B", "C", "D", "E"]
    notes = [i for i in raw.issues if i.column in ("Column B", "Name (2)")]
    assert [n.message.split(": ", 1)[1] for n in notes] == [
        "Column B has no header; it is called 'Column B'.",
        "Another column is also called 'Name'; column C is called 'Name (2)'.",
    ]
    mapping = guess_mapping(raw.headers, raw.data)
    assert mapping["account_name"] == "Name"
    assert "Zorglub" not in mapping.values() and "Column B" not in mapping.values()
    result = open_territory(tmp_path / "h.xlsx")
    assert list(result.accounts.columns[-4:]) == ["Column B", "Name (2)", "Zorglub", "source_row"]


def test_generic_leftover_header_row_is_skipped(tmp_path: Path) -> None:  # row 12
    rows: list[list[object]] = [
        ["Column1", "Column2", "Column3"],
        ["CustomerID", "CompanyName", "Country"],
        ["ALFKI", "Alfreds Futterkiste", "Germany"],
        ["ANATR", "Ana Trujillo", "Mexico"],
    ]
    raw = read_table(_workbook(tmp_path / "nw.xlsx", {"Customers": rows}))
    assert raw.header_row == 2 and raw.headers == ["CustomerID", "CompanyName", "Country"]


def test_header_row_can_be_chosen(tmp_path: Path) -> None:
    rows: list[list[object]] = [["a", "b"], ["Code", "Label"], ["x", "y"]]
    path = _workbook(tmp_path / "c.xlsx", {"S": rows})
    raw = read_table(path, header_row=1)
    assert raw.headers == ["a", "b"] and list(raw.excel_rows) == [2, 3]


def test_formulas_cached_values_used_and_missing_ones_reported(tmp_path: Path) -> None:  # row 18
    cached = tmp_path / "cached.xlsx"
    book = xlsxwriter.Workbook(str(cached))
    sheet = book.add_worksheet("Accounts")
    sheet.write_row(0, 0, ["Account ID", "Revenue", "Wallet"])
    for i in range(1, 4):
        sheet.write_string(i, 0, f"A{i}")
        sheet.write_number(i, 1, i * 100)
        sheet.write_formula(i, 2, f"=B{i + 1}*3", None, i * 300)
    book.close()
    result = open_territory(cached)
    assert result.accounts["wallet"].tolist() == [300.0, 600.0, 900.0]
    assert not [i for i in result.issues if "formula" in i.message]

    script = tmp_path / "script.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Accounts"
    ws.append(["Account ID", "Revenue", "Wallet"])
    for i in range(1, 4):
        ws.append([f"A{i}", i * 100, f"=B{i + 1}*3"])
    ws["B5"] = "#N/A"
    ws["A5"] = "A4"
    wb.save(script)
    result = open_territory(script)
    formula = next(i for i in result.issues if "formula without a saved value" in i.message)
    assert formula.column == "Wallet" and formula.row == 2 and "rows 2, 3, 4" in formula.message
    assert "open the file in excel, save it" in formula.message.lower()
    error = next(i for i in result.issues if "Excel error" in i.message)
    assert error.column == "Revenue" and error.row == 5 and "#N/A" in error.message


@pytest.mark.realdata
def test_northwind_customers_header_under_leftover_row() -> None:
    path = realdata("northwind.xlsx")
    assert probe(path).suggested == "Customers"
    result = open_territory(path, sheet="Customers")
    assert result.header_row == 2
    assert len(result.accounts) == 91
    assert result.mapping["account_id"] == "CustomerID"
    assert result.mapping["account_name"] == "CompanyName"
    first = result.accounts.iloc[0]
    assert (first["account_id"], first["account_name"]) == ("ALFKI", "Alfreds Futterkiste")
    assert result.accounts["PostalCode"].iloc[1] == "05021"
    assert result.accounts["account_id"].is_unique


@pytest.mark.realdata
def test_adventureworks_stores_demographics() -> None:
    path = realdata("adventureworks_stores.xlsx")
    assert probe(path).suggested == "StoreWithDemographics"
    result = open_territory(path, sheet="StoreWithDemographics")
    assert len(result.accounts) == 701
    assert not result.rolled_up
    truth = pd.read_excel(path, sheet_name="StoreWithDemographics", engine="calamine")
    assert result.accounts["revenue"].sum() == pytest.approx(truth["Annual Revenue"].sum())
    assert set(result.accounts["account_id"]) == {str(int(v)) for v in truth["Business Entity ID"]}
    assert result.accounts["employees"].notna().all()
