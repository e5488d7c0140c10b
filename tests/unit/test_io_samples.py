"""Sample values in the mapping step read as a person reads them."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from tierdesk.io.samples import sample_texts


def cells(*values: object) -> np.ndarray:
    return np.array(values, dtype=object)


@pytest.mark.parametrize(
    ("values", "header", "shown"),
    [
        # an .xls stores sums with float noise; Excel shows 15 significant digits
        (
            cells(261.96, 731.9399999999999, 219.58199999999997, -383.03100000000006),
            "Sales",
            ["261.96", "731.94", "219.582", "-383.031"],
        ),
        (
            cells(32370.0, 1321.0, 1618.5, 2_500_000.0),
            "Gross Sales",
            ["32,370", "1,321", "1,618.5", "2,500,000"],
        ),
        (
            cells("2871", "2765.9", "007", ""),
            "SALES",
            ["2,871", "2,765.9", "007"],
        ),  # a CSV's numbers are text
        (cells(42420.0, 90036.0), "Postal Code", ["42420", "90036"]),
        (cells("10022", "51100"), "POSTALCODE", ["10022", "51100"]),
        (cells("10107", "10121"), "ORDERNUMBER", ["10107", "10121"]),
        (cells("2125557818", "+33 1 46 62 7555"), "PHONE", ["2125557818", "+33 1 46 62 7555"]),
        (cells("1996", "2012"), "year_established", ["1996", "2012"]),
        (cells(2014.0, 2015.0), "Jahr", ["2014", "2015"]),
        (cells(2822.0, 495.0), "employees", ["2,822", "495"]),
        (
            cells("2/24/2003 0:00", "2024-12-31 00:00:00", "1/2/2003 13:00"),
            "ORDERDATE",
            ["2/24/2003", "2024-12-31", "1/2/2003 13:00"],
        ),
        (
            cells(dt.datetime(2013, 11, 9), None, "", float("nan"), dt.datetime(2013, 6, 13)),
            "Order Date",
            ["2013-11-09", "2013-06-13"],
        ),
        (
            cells("Bush Somerset Collection Bookcase", "Chair"),
            "Product Name",
            ["Bush Somerset Collectio…", "Chair"],
        ),
    ],
)
def test_samples_read_as_people_read_them(values: np.ndarray, header: str, shown: list[str]) -> None:
    assert sample_texts(values, header) == shown


def test_only_the_first_few_filled_values() -> None:
    assert sample_texts(cells(None, 1.5, "", 2.25, 3.0, 4.0, 5.0), "x", count=3) == ["1.5", "2.25", "3"]
