"""The account table: contract, duplicates, missing identity, roll-up of order lines (rows 14-16)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from tests.unit.test_io_support import realdata
from tierdesk.domain.accounts import FIELD_BY_KEY, dtype_for
from tierdesk.io.errors import ReadError
from tierdesk.io.load import (
    build_accounts,
    duplicate_ids,
    inspect_dict,
    looks_like_order_lines,
    open_territory,
)
from tierdesk.io.reader import read_table


def _xlsx(path: Path, rows: list[list[object]], sheet: str = "Accounts") -> Path:
    book = openpyxl.Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


ROWS: list[list[object]] = [
    ["Account ID", "Account Name", "Territory", "Revenue", "Last Purchase", "Exec Sponsor", "Notes", "Score"],
    ["007", "Acme", "North", "$1,200.50", "2024-03-01", "yes", "key", 3],
    ["008", "Beta", "South", 300, "", "no", "", 4.5],
    ["009", "Gamma", "North", "lots", "31/12/2024", "Jane", "new", 1],
]


def test_account_table_contract(tmp_path: Path) -> None:
    result = open_territory(_xlsx(tmp_path / "a.xlsx", ROWS))
    frame = result.accounts
    assert isinstance(frame.index, pd.RangeIndex)
    assert list(frame.columns) == [
        "account_id", "account_name", "territory", "revenue", "last_purchase", "executive_sponsor",
        "Notes", "Score", "source_row",
    ]  # fmt: skip
    for key in ("account_id", "account_name", "territory", "revenue", "last_purchase", "executive_sponsor"):
        assert str(frame[key].dtype) == dtype_for(FIELD_BY_KEY[key].kind), key
    assert frame["account_id"].tolist() == ["007", "008", "009"]
    assert frame["revenue"].tolist()[:2] == [1200.5, 300.0] and np.isnan(frame["revenue"].iloc[2])
    assert frame["executive_sponsor"].tolist() == [True, False, True]
    assert frame["Notes"].dtype == "string" and frame["Score"].dtype == "float64"
    assert frame["source_row"].dtype == "int64" and frame["source_row"].tolist() == [2, 3, 4]
    bad = [i for i in result.issues if i.row == 4 and i.column == "Revenue"]
    assert len(bad) == 1 and "'lots' is not an amount" in bad[0].message
    assert bad[0].message.startswith("a.xlsx, sheet 'Accounts', row 4, column 'Revenue' (D): ")
    assert not [i for i in result.issues if i.column == "Last Purchase"]


def test_only_one_identity_column_is_copied_into_the_other(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "n.xlsx", [["Company", "Revenue"], ["Acme", 1], ["Beta", 2]])
    frame = open_territory(path).accounts
    assert frame["account_id"].tolist() == frame["account_name"].tolist() == ["Acme", "Beta"]
    assert frame["account_id"].dtype == "string"


def test_no_identifying_column_loads_nothing(tmp_path: Path) -> None:  # row 14
    path = _xlsx(tmp_path / "x.xlsx", [["Zorglub", "Revenue"], ["q", 1]])
    with pytest.raises(ReadError) as caught:
        open_territory(path)
    message = str(caught.value)
    assert message.startswith("x.xlsx, sheet 'Accounts': no column names or identifies accounts")
    assert "the text columns are Zorglub" in message


def test_blank_identity_rows_are_reported_and_left_out(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Account ID", "Account Name"], ["A1", "Acme"], [None, "No id"], ["A3", None]]
    result = open_territory(_xlsx(tmp_path / "b.xlsx", rows))
    assert result.accounts["account_id"].tolist() == ["A1", "A3"]
    assert result.accounts["account_name"].tolist() == ["Acme", "A3"]
    dropped = next(i for i in result.issues if i.row == 3)
    assert dropped.severity == "warning" and "no Account ID; row left out" in dropped.message
    assert any("no name; their ID is used" in i.message for i in result.issues)


def test_duplicate_ids_reported_with_rows_and_planner_chooses(tmp_path: Path) -> None:  # row 15
    rows: list[list[object]] = [
        ["Account ID", "Account Name", "Revenue", "Owner"],
        ["A1", "Acme", 100, None],
        ["A2", "Beta", 50, "Bo"],
        ["A1", "Acme Holding", 70, "Ann"],
        ["A1", "Acme", 10, "Cy"],
    ]
    path = _xlsx(tmp_path / "d.xlsx", rows)
    raw = read_table(path)
    mapping = {
        "account_id": "Account ID",
        "account_name": "Account Name",
        "revenue": "Revenue",
        "owner": "Owner",
    }
    dupes = duplicate_ids(raw, mapping)
    assert dupes["account_id"].tolist() == ["A1"] and dupes["excel_rows"].tolist() == [[2, 4, 5]]
    assert not looks_like_order_lines(raw, mapping)

    first = build_accounts(raw, mapping)
    assert first.accounts["account_id"].tolist() == ["A1", "A2"]
    assert first.accounts["revenue"].tolist() == [100.0, 50.0]
    issue = next(i for i in first.issues if "appears on rows" in i.message)
    assert "rows 2, 4, 5" in issue.message and issue.row == 2 and issue.severity == "warning"

    merged = build_accounts(raw, mapping, duplicates="merge").accounts
    acme = merged[merged["account_id"] == "A1"].iloc[0]
    assert (acme["account_name"], acme["owner"], acme["source_row"]) == ("Acme", "Ann", 2)
    assert build_accounts(raw, mapping, duplicates="keep_all").accounts.shape[0] == 4


def test_cell_issues_are_capped_per_column(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Account ID", "Revenue"]] + [[f"A{i}", "??"] for i in range(1_200)]
    result = open_territory(_xlsx(tmp_path / "c.xlsx", rows))
    revenue = [i for i in result.issues if i.column == "Revenue"]
    assert len(revenue) == 1_001
    assert revenue[-1].message.endswith(
        "…and 200 more cells that cannot be read in this column (rows 1002, "
        "1003, 1004, 1005, 1006, … (200 rows))."
    )


def test_inspect_dict_is_json_ready(tmp_path: Path) -> None:
    result = open_territory(_xlsx(tmp_path / "a.xlsx", ROWS))
    summary = inspect_dict(result)
    assert set(summary) == {
        "file",
        "kind",
        "sheet",
        "header_row",
        "accounts",
        "mapping",
        "rolled_up",
        "issues",
    }
    assert summary["accounts"] == 3 and summary["mapping"]["account_id"] == "Account ID"
    assert set(summary["issues"][0]) == {"severity", "sheet", "row", "column", "message"}
    json.dumps(summary)


def test_small_order_lines_roll_up(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Customer", "Order Date", "Amount", "Product", "Order ID", "Quantity"]]
    lines = [
        ("Acme", "2024-01-05", 100, "CRM", "O1", 1),
        ("Acme", "2024-03-01", 50, "Billing", "O2", 2),
        ("Acme", "2024-03-01", 25, "CRM", "O2", 1),
        ("Beta", "2023-11-30", 10, "CRM", "O3", 5),
    ] * 3
    rows += [list(line) for line in lines]
    path = _xlsx(tmp_path / "orders.xlsx", rows)
    result = open_territory(path)
    assert result.rolled_up and result.source_rows == 12
    frame = result.accounts.set_index("account_id")
    assert frame.loc["Acme", "revenue"] == 525.0
    assert str(frame.loc["Acme", "last_purchase"].date()) == "2024-03-01"
    assert frame.loc["Acme", "products"] == 2 and frame.loc["Beta", "products"] == 1
    assert frame.loc["Acme", "order_count"] == 2
    assert frame.loc["Acme", "Quantity"] == 12
    assert frame.loc["Beta", "source_row"] == 5
    kept = open_territory(path, rollup=False)
    assert not kept.rolled_up and len(kept.accounts) == 2


@pytest.mark.realdata
def test_adventureworks_order_lines_roll_up_to_customers() -> None:
    path = realdata("adventureworks_sales_58k.xlsx")
    truth = pd.read_excel(path, engine="calamine")
    assert len(truth) == 58_189
    customers = truth.groupby("CustomerKey")
    result = open_territory(path)
    assert result.rolled_up and result.source_rows == 58_189
    assert result.mapping["account_id"] == "CustomerKey"
    assert result.mapping["revenue"] == "SalesAmount"
    assert result.mapping["last_purchase"] == "OrderDate"
    assert result.mapping["products"] == "ProductKey"
    frame = result.accounts.set_index("account_id")
    assert len(frame) == truth["CustomerKey"].nunique()
    revenue = customers["SalesAmount"].sum()
    revenue.index = revenue.index.astype(int).astype(str)
    assert np.allclose(frame.loc[revenue.index, "revenue"], revenue)
    assert frame["revenue"].sum() == pytest.approx(truth["SalesAmount"].sum())
    lines = customers.size()
    lines.index = lines.index.astype(int).astype(str)
    assert (frame.loc[lines.index, "order_count"] == lines).all()
    latest = customers["OrderDate"].max()
    latest.index = latest.index.astype(int).astype(str)
    assert (frame.loc[latest.index, "last_purchase"] == pd.to_datetime(latest)).all()
    products = customers["ProductKey"].nunique()
    products.index = products.index.astype(int).astype(str)
    assert (frame.loc[products.index, "products"].astype(float) == products).all()
    assert any("Rolled up 58,189 order lines" in i.message for i in result.issues)
