"""Read real files people published and check what tierdesk makes of them against answers worked out by
reading each file by hand (pandas, one file at a time). Not part of the test run: the files are other
people's and are fetched, not committed.

Usage: python tests/realworld/check_realfiles.py [FOLDER ...]
       (default: /tmp/realfiles, /tmp/realfiles_extra and ../shared/realdata; absent files are skipped)

Prints, per file: accounts, the column that tells accounts apart, total revenue and the verdict; exits 1
when any present file is read wrong.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tierdesk.io.errors import ReadError
from tierdesk.io.load import open_territory
from tierdesk.io.rollup import identity_key

REPO = Path(__file__).resolve().parents[2]
DEFAULT_FOLDERS = [Path("/tmp/realfiles"), Path("/tmp/realfiles_extra"), REPO.parent / "shared" / "realdata"]


@dataclass(frozen=True)
class Answer:
    """What is right for a file: accounts, key column, revenue (None: no revenue column); or a refusal."""

    file: str
    accounts: int | None
    key: str | None = None
    revenue: float | None = None
    refused: str | None = None  # words the refusal must contain
    why: str = ""


# Worked out by reading each file with pandas (see the `why` of each).
ANSWERS = (
    Answer("CogsleyServices-SalesData-US.xlsx", 100, "Company Name", 29_003_253.80,
           why="8,399 lines; 794 buyers (Customer Name) inside 100 companies; Sale Amount summed"),
    Answer("Sample - Superstore.xls", 793, "Customer ID", 2_297_200.8603,
           why="legacy xls, 9,994 order lines, Sales summed"),
    Answer("sales_data_sample.csv", 92, "CUSTOMERNAME", 10_032_628.85,
           why="2,823 lines, text dates; SALES (not QUANTITYORDERED × PRICEEACH, which is capped at 100)"),
    Answer("Financial Sample.xlsx", None, refused="no column names or identifies accounts",
           why="text columns are Segment, Country, Product, Discount Band, Month Name: no accounts"),
    Answer("Online Retail.xlsx", 3_621, "CustomerID", 580_032.851,
           why="40,000 invoice lines, no amount: Quantity × UnitPrice; 778 returns net off; "
               "10,057 lines without a customer left out"),
    Answer("SalesData.xlsx", 60, "Customer", 1_500_990.0,
           why="title row above the header; a footnote under the table ('*Rates the amount…')"),
    Answer("accounts.csv", 85, "account", 169_543.8, why="CRM account list, one row per account"),
    Answer("sales_pipeline.csv", 85, "account", 10_005_534.0,
           why="8,800 opportunities, 1,425 without an account; close_value of won deals"),
    Answer("sales_teams.csv", None, refused="no column names or identifies accounts",
           why="sales agents, managers and offices: no accounts"),
    Answer("Northwind.xlsx", None, refused="no sheet lists accounts",
           why="a dashboard of pivot summaries: years, countries, categories, products, shippers"),
    # Found while building: other files of the same kinds (see the report for where they come from).
    Answer("clientes.csv", 91, "CodigoCliente", None, why="Spanish Northwind (AbelDM/neptuno) customers"),
    Answer("hechoPedido.csv", 89, "KeyCliente", 1_356_335.0,
           why="Spanish order facts: KeyCliente, MontoVenta; MontoFlete (freight) is no revenue"),
    Answer("kunden.csv", 200, "KundenID", None, why="German customer list: KundenID, Name, Kundentyp, Land"),
    Answer("verkaeufe.csv", 200, "KundenID", None, why="German sales lines keyed by KundenID, no amounts"),
    Answer("Opportunity Tracking Sample no PV.xlsx", None, refused="no sheet lists accounts",
           why="a pivot of 486 'Opportunity #n' rows: deals, not accounts"),
    Answer("Customer Profitability Sample-no-PV.xlsx", None, refused="holds notes, not a table",
           why="only an Info sheet: the data lives in the workbook's data model"),
    Answer("northwind.xlsx", 91, "CustomerID", 1_265_793.04,
           why="Customers sheet; revenue: Orders Details (UnitPrice × Quantity × (1 − Discount)) via Orders"),
    Answer("adventureworks_stores.xlsx", 701, "Business Entity ID", 111_090_000.0,
           why="StoreWithDemographics, Annual Revenue"),
    Answer("adventureworks_sales_58k.xlsx", 17_918, "CustomerKey", 29_307_836.5907,
           why="58,189 order lines, SalesAmount summed"),
)  # fmt: skip


def check(path: Path, answer: Answer) -> tuple[str, bool]:
    started = time.perf_counter()
    try:
        result = open_territory(path)
    except ReadError as exc:
        ok = answer.refused is not None and answer.refused in str(exc)
        return f"refused: {exc}", ok
    seconds = time.perf_counter() - started
    key = identity_key(result.mapping)
    column = result.mapping.get(key) if key else None
    revenue = float(result.accounts["revenue"].sum()) if "revenue" in result.accounts else None
    shown = (
        f"{len(result.accounts):,} accounts by '{column}', revenue {revenue:,.2f}"
        if revenue is not None
        else (f"{len(result.accounts):,} accounts by '{column}', no revenue")
    )
    ok = (
        answer.refused is None
        and len(result.accounts) == answer.accounts
        and column == answer.key
        and (
            answer.revenue is None
            or (revenue is not None and math.isclose(revenue, answer.revenue, rel_tol=1e-6))
        )
    )
    return f"{shown} ({seconds:.1f} s)", ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=DEFAULT_FOLDERS)
    args = parser.parse_args()
    wrong = 0
    for answer in ANSWERS:
        path = next((f / answer.file for f in args.folders if (f / answer.file).exists()), None)
        if path is None:
            print(f"SKIP   {answer.file}: absent")
            continue
        said, ok = check(path, answer)
        expected = (
            f"refused ({answer.refused})"
            if answer.refused
            else f"{answer.accounts:,} by '{answer.key}', revenue "
            + ("none" if answer.revenue is None else f"{answer.revenue:,.2f}")
        )
        print(f"{'RIGHT' if ok else 'WRONG'}  {answer.file}: {said}")
        if not ok:
            print(f"       expected {expected}: {answer.why}")
            wrong += 1
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
