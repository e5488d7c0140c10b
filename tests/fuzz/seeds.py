"""The files the fuzzer starts from: the binary fixtures, small workbooks written here the way Excel,
xlsxwriter and hand-made generators write them, a tierdesk plan workbook, and CSV texts as planners get them.
Built in memory, deterministically (no dates from the clock), each well under 1 MB."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from functools import cache
from pathlib import Path

import xlsxwriter

from tests.unit.test_io_support import ACCOUNTS, FIXTURES, accounts_xlsx, raw_xlsx, rows_xml

HEADERS = ["Account ID", "Account Name", "Territory", "Owner", "Revenue", "Wallet", "Last Purchase"]


def _rows(count: int) -> list[list[object]]:
    owners = ["Ana Ruiz", "Bo Chen", "Cy Duma", '=HYPERLINK("x")']
    return [
        [
            f"A-{i:04d}",
            f"Customer {i} GmbH" if i % 7 else f"Zürich Ærø {i} 株式会社 😀",
            f"T{i % 5}",
            owners[i % 4],
            round(1000.5 * (i % 13 + 1), 2),
            f"${2500 * (i % 9 + 1):,}.00",
            dt.date(2023, 1 + i % 12, 1 + i % 27),
        ]
        for i in range(count)
    ]


def _xlsxwriter_book(count: int, sheets: int = 1) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    book.set_properties({"created": dt.datetime(2025, 1, 1)})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    for s in range(sheets):
        ws = book.add_worksheet("Accounts" if s == 0 else f"Notes {s}")
        ws.write_row(0, 0, HEADERS)
        for r, row in enumerate(_rows(count), start=1):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date)
                elif isinstance(value, str):
                    ws.write_string(r, c, value)
                else:
                    ws.write_number(r, c, value)
        ws.write_formula(count + 1, 4, f"=SUM(E2:E{count + 1})")
    book.close()
    return out.getvalue()


def _raw(builder: object, **kwargs: object) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "seed.xlsx"
        builder(path, **kwargs)  # type: ignore[operator]
        return path.read_bytes()


def _plan_workbook() -> bytes:
    import tempfile

    from tierdesk.domain.plan_objectives import new_plan
    from tierdesk.domain.playbook import default_playbook
    from tierdesk.io.load import open_territory
    from tierdesk.io.plan_file import write_plan
    from tierdesk.io.snapshot import PlanSnapshot

    with tempfile.TemporaryDirectory() as folder:
        territory = Path(folder) / "territory.xlsx"
        territory.write_bytes(_xlsxwriter_book(40))
        result = open_territory(territory)
        state = PlanSnapshot.from_plan(
            new_plan(result.accounts, default_playbook(), as_of="2025-07-01"),
            result,
            created=dt.datetime(2025, 7, 1, 9, 0),
        )
        target = Path(folder) / "plan.xlsx"
        write_plan(state, target)
        return _without_stamp(target.read_bytes())


def _without_stamp(data: bytes) -> bytes:
    """The plan's zip comment dates nothing, but drop it anyway so mutated sheets are always re-read."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            info.date_time = (2025, 1, 1, 0, 0, 0)
            dst.writestr(info, src.read(info))
    return out.getvalue()


CSV_SEEDS = {
    "comma.csv": 'Account ID,Account Name,Revenue,Owner\nA1,Acme,"1,234.50",Ana\nA2,"Beta, Inc",99,Bo\n',
    "semicolon.csv": "Kundennummer;Firma;Umsatz\r\n00123;Müller GmbH;1.234,50\r\n00456;Ölwerk AG;99,90\r\n",
    "quoted.csv": 'Account ID,Name,Notes\nA1,Acme,"line one\nline two"\nA2,Beta,"say ""hi"""\n,,\n',
    "sep.csv": "sep=|\nAccount ID|Name|Revenue\n1|A|10\n2|B|20\n",
    "tabs.tsv": "Account ID\tAccount Name\tRevenue\nA1\tAcme\t1.2M\nA2\tBeta\t(1,200)\n",
    "orders.csv": "Order,Customer,Amount\n" + "".join(f"O{i},Customer {i % 9},{i * 10}\n" for i in range(60)),
    "hostile.csv": "Account ID,Account Name\n=1+1,@SUM(A1)\n+cmd|' /C calc'!A0,-2\n\t\r,#N/A\n",
}


@cache
def seeds() -> dict[str, bytes]:
    """Name (its suffix gives the family) -> the seed file's bytes."""
    found = {
        "accounts.xls": (FIXTURES / "accounts.xls").read_bytes(),
        "accounts.xlsb": (FIXTURES / "accounts.xlsb").read_bytes(),
        "protected.xlsx": (FIXTURES / "protected.xlsx").read_bytes(),
        "minimal.xlsx": _raw(accounts_xlsx, rows=ACCOUNTS),
        "inline.xlsx": _raw(raw_xlsx, rows_markup=rows_xml([HEADERS, *_rows(20)]), dimension="A1:G21"),
        "shared.xlsx": _xlsxwriter_book(30),
        "sheets.xlsx": _xlsxwriter_book(12, sheets=3),
        "plan.xlsx": _plan_workbook(),
    }
    found.update({name: text.encode("utf-8") for name, text in CSV_SEEDS.items()})
    found["cp1252.csv"] = "Account ID,Account Name\nA1,Café Zürich – Süd\n".encode("cp1252")
    found["utf16.csv"] = "Account ID\tAccount Name\nA1\tAcme\n".encode("utf-16")
    return found
