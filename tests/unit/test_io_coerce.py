"""Numbers, dates, flags and text as planners' files write them: BAD_INPUTS rows 16 and 17."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from tierdesk.io.coerce import coerce_column, extra_column, serial_dates, to_text
from tierdesk.io.load import open_territory


def _numbers(values: list[object], kind: str = "money") -> tuple[list[float], list[bool]]:
    result = coerce_column(np.array(values, dtype=object), kind)  # type: ignore[arg-type]
    return result.values.tolist(), result.bad.tolist()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$1,234.50", 1234.5),
        ("€ 1.234,50", 1234.5),
        ("1.234,50 €", 1234.5),
        ("35%", 0.35),
        ("(1,200)", -1200.0),
        ("1200-", -1200.0),
        ("1.2M", 1_200_000.0),
        ("3k", 3000.0),
        ("2.5bn", 2_500_000_000.0),
        ("EUR 12.5 Mio", 12_500_000.0),
        ("CHF 1'234.50", 1234.5),
        ("1 234 567", 1_234_567.0),
        ("−7", -7.0),
        ("0,35", 0.35),
        ("1.234.567", 1_234_567.0),
        ("12", 12.0),
    ],
)
def test_number_text_is_parsed(text: str, expected: float) -> None:  # row 16
    values, bad = _numbers([text])
    assert values[0] == pytest.approx(expected) and bad == [False]


def test_blank_dash_and_na_are_no_value_not_a_problem() -> None:
    values, bad = _numbers(["", "-", "n/a", "  ", None, "NA"])
    assert all(np.isnan(values)) and not any(bad)


def test_unreadable_number_cells_are_marked() -> None:  # row 16
    values, bad = _numbers(["12 apples", "1,2,3.4.5", True, dt.date(2024, 1, 1), 7.0])
    assert bad == [True, True, True, True, False]
    assert values[-1] == 7.0 and all(np.isnan(values[:4]))


def test_mostly_numeric_column_with_some_text() -> None:
    cells: list[object] = [float(i) for i in range(100)] + ["$1,000", "oops", ""]
    values, bad = _numbers(cells)
    assert values[100] == 1000.0 and bad[101] and not bad[102] and np.isnan(values[102])


def test_a_column_writes_decimals_with_commas_consistently() -> None:
    values, _ = _numbers(["1.234,50", "0,35", "1.234", "12,5"])
    assert values == [1234.5, 0.35, 1234.0, 12.5]
    values, _ = _numbers(["1,234.50", "0.35", "1,234", "12.5"])
    assert values == [1234.5, 0.35, 1234.0, 12.5]


def test_percent_columns_become_fractions() -> None:
    values, _ = _numbers([0.35, "40%", 0.1], "percent")
    assert values == pytest.approx([0.35, 0.4, 0.1])
    result = coerce_column(np.array([35, 50, "12"], dtype=object), "percent")
    assert result.values.tolist() == pytest.approx([0.35, 0.5, 0.12])
    assert result.notes == ["numbers read as percentages (35 means 35%)"]


@pytest.mark.parametrize(
    "value",
    [
        "2024-12-31",
        "31/12/2024",
        "12/31/2024",
        "31.12.2024",
        "Dec 31 2024",
        "31 Dec 2024",
        "December 31st, 2024",
        "31-Dec-24",
        "2024/12/31",
        "2024-12-31 17:45:00",
        "20241231",
        45657.0,
        "45657",
        dt.date(2024, 12, 31),
        dt.datetime(2024, 12, 31, 0, 0),
    ],
)
def test_dates_in_many_forms(value: object) -> None:  # row 17
    result = coerce_column(np.array([value], dtype=object), "date")
    assert result.values.dtype == "datetime64[ns]"
    assert result.values.iloc[0].date() == dt.date(2024, 12, 31)
    assert not result.bad.any()


def test_empty_date_is_no_purchase_and_nonsense_is_reported() -> None:  # row 17
    result = coerce_column(
        np.array(["", None, "-", "soon", "31/02/2024", "0001-01-01"], dtype=object), "date"
    )
    assert result.values.isna().all()
    assert result.bad.tolist() == [False, False, False, True, True, True]


def test_ambiguous_day_month_follows_the_column() -> None:
    us = coerce_column(np.array(["03/04/2024", "12/31/2024"], dtype=object), "date").values
    assert [d.date() for d in us] == [dt.date(2024, 3, 4), dt.date(2024, 12, 31)]
    eu = coerce_column(np.array(["03/04/2024", "31/12/2024"], dtype=object), "date").values
    assert [d.date() for d in eu] == [dt.date(2024, 4, 3), dt.date(2024, 12, 31)]
    unsure = coerce_column(np.array(["03/04/2024"], dtype=object), "date")
    assert unsure.values.iloc[0].date() == dt.date(2024, 4, 3)
    assert unsure.notes == ["dates like 03/04/2024 read as day/month/year"]


def test_excel_serials_including_the_1900_leap_bug_and_1904() -> None:
    days = serial_dates(np.array([1.0, 59.0, 60.0, 61.0, 45657.0]))
    assert [str(d)[:10] for d in days] == [
        "1900-01-01",
        "1900-02-28",
        "1900-02-28",
        "1900-03-01",
        "2024-12-31",
    ]
    mac = serial_dates(np.array([0.0, 44195.0]), date1904=True)
    assert [str(d)[:10] for d in mac] == ["1904-01-01", "2024-12-31"]


def test_1904_workbook_dates_and_raw_serials(tmp_path: Path) -> None:  # row 17
    path = tmp_path / "mac.xlsx"
    book = openpyxl.Workbook()
    book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.append(["Account ID", "Last Purchase", "Last Order"])
    sheet.append(["A1", dt.date(2024, 12, 31), 44195])
    sheet.append(["A2", None, None])
    book.save(path)
    result = open_territory(path, mapping={"account_id": "Account ID", "last_purchase": "Last Order"})
    assert result.accounts["last_purchase"].iloc[0].date() == dt.date(2024, 12, 31)
    assert pd.isna(result.accounts["last_purchase"].iloc[1])
    assert result.accounts["Last Purchase"].iloc[0] == "2024-12-31"
    default = open_territory(path)
    assert default.accounts["last_purchase"].iloc[0].date() == dt.date(2024, 12, 31)


def test_flags() -> None:
    cells = ["yes", "No", "Y", "n", "TRUE", "false", "1", "0", "x", "", None, "Jane Doe", True, 0.0, "n/a"]
    result = coerce_column(np.array(cells, dtype=object), "flag")
    assert result.values.dtype == "boolean"
    expected = [True, False, True, False, True, False, True, False, True, None, None, True, True, False, None]
    assert [None if pd.isna(v) else bool(v) for v in result.values] == expected


def test_text_ids_keep_zeros_and_drop_float_tails() -> None:
    text = to_text(
        np.array(["007", " A-1 ", 12345.0, 1.5, "", None, dt.date(2024, 1, 2), True], dtype=object)
    )
    assert text.dtype == "string"
    assert text.tolist()[:5] == ["007", "A-1", "12345", "1.5", pd.NA]
    assert text.tolist()[6:] == ["2024-01-02", "TRUE"]


def test_categories_merge_padded_spellings() -> None:
    result = coerce_column(np.array(["North", "North ", "South", "", None], dtype=object), "category")
    assert result.values.dtype == "category"
    assert list(result.values.cat.categories) == ["North", "South"]
    assert result.values.isna().tolist() == [False, False, False, True, True]


def test_extra_columns_numeric_only_when_wholly_numeric() -> None:
    assert extra_column(np.array(["1", "2.5", "", None], dtype=object)).dtype == "float64"
    assert extra_column(np.array(["05021", "12209"], dtype=object)).dtype == "string"
    assert extra_column(np.array([1.0, "x"], dtype=object)).tolist() == ["1", "x"]
    assert extra_column(np.array([1.0, 2.0, ""], dtype=object)).tolist()[:2] == [1.0, 2.0]


@pytest.mark.parametrize("header", ["Postal Code", "Row ID", "CustomerID", "ZIP", "Year", "phone"])
def test_code_columns_keep_their_numbers_as_text(header: str) -> None:
    """An .xls file stores every number as a float: a postal code reads 42420, not 42420.0 or 42,420."""
    column = extra_column(np.array([42420.0, 10024.0, None], dtype=object), header)
    assert column.dtype == "string" and column.tolist()[:2] == ["42420", "10024"]


@pytest.mark.parametrize("header", ["Employees", "Number of orders", "Quantity", "Discount"])
def test_amount_columns_stay_numbers(header: str) -> None:
    assert extra_column(np.array([12.0, 3.5, None], dtype=object), header).dtype == "float64"
