"""The kinds of real file planners have, each on a small fixture of its own: companies and their contacts,
notes under the table, accounting-package summaries, revenue from line figures, lookups between sheets,
pivot tables pasted as values, files with no account list, what a column means, other languages."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tierdesk.io.errors import ReadError
from tierdesk.io.load import open_territory
from tierdesk.io.mapping import guess, guess_mapping
from tierdesk.io.reader import probe, read_table


def _book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def _csv(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def _messages(result: object) -> str:
    return "\n".join(i.message for i in result.issues)  # type: ignore[attr-defined]


# 1. company vs contact -------------------------------------------------------------------------------
COMPANIES = ["Acme Corp.", "Brightline GmbH", "Castell & Sons Ltd", "Dunmore Inc."]
BUYERS = {
    "Acme Corp.": ["Ann Lee", "Bo Chen", "Cy Roth"],
    "Brightline GmbH": ["Dana Fox", "Eli Moss"],
    "Castell & Sons Ltd": ["Fay Kim", "Gus Ode", "Hal Pike"],
    "Dunmore Inc.": ["Ivy Rao", "Jon Wu"],
}


def _orders() -> list[list[object]]:
    rows: list[list[object]] = [["Order ID", "Customer Name", "Company Name", "Region", "Sale Amount"]]
    order = 100
    for company, people in BUYERS.items():
        for person in people:
            for amount in (100.0, 250.0):
                order += 1
                rows.append([order, person, company, "West", amount])
    return rows


def test_company_not_contact_is_the_account(tmp_path: Path) -> None:
    result = open_territory(_book(tmp_path / "orders.xlsx", {"Sales": _orders()}))
    assert result.mapping["account_name"] == "Company Name"
    assert sorted(result.accounts["account_name"]) == sorted(COMPANIES)
    acme = result.accounts.set_index("account_name").loc["Acme Corp."]
    assert acme["revenue"] == 3 * 350.0
    assert "Customer Name" in result.accounts.columns  # the contact is kept as a column
    said = _messages(result)
    assert "'Company Name'" in said and "contact column" in said


def test_one_name_per_customer_id_stays_the_account(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Customer ID", "Customer Name", "Segment", "Sales"]]
    rows += [[f"CG-{i % 12:03d}", f"Person {i % 12}", "Consumer", 10.0] for i in range(48)]
    result = open_territory(_book(tmp_path / "superstore.xlsx", {"Orders": rows}))
    assert result.mapping["account_id"] == "Customer ID" and len(result.accounts) == 12


def test_german_kunde_and_firma_pick_the_firm(tmp_path: Path) -> None:
    lines = ["Kunde;Firma;Umsatz"]
    for company, people in BUYERS.items():
        lines += [f"{person};{company};1.250,50" for person in people for _ in range(2)]
    result = open_territory(_csv(tmp_path / "kunden.csv", lines))
    assert result.mapping["account_name"] == "Firma" and len(result.accounts) == 4
    assert result.accounts["revenue"].sum() == pytest.approx(20 * 1250.5)


# 2. notes under the table ------------------------------------------------------------------------------
def test_a_footnote_under_the_table_is_left_out_and_reported(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Sales Data"], [], ["Customer", "Gross Sales", "Gross Profit", "Rating*"]]
    rows += [[i, i * 100, i * 10, 3] for i in range(1, 7)]
    rows += [[], ["*Rates the amount of competition for sales to these customers: 1 = little, 5 = a lot"]]
    result = open_territory(_book(tmp_path / "sales.xlsx", {"Data": rows}))
    assert len(result.accounts) == 6
    assert result.mapping["revenue"] == "Gross Sales"
    note = next(i for i in result.issues if "under the table" in i.message)
    assert note.row == 11 and "*Rates the amount" in note.message and "left out" in note.message


def test_a_last_account_with_a_long_name_is_not_a_note(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Account", "Owner", "Revenue"]]
    rows += [[f"Shop {i}", "Ann", i] for i in range(1, 5)]
    rows += [["The Northern Lights Bicycle and Repair Company of Greater Springfield", "Bo", 9]]
    assert len(open_territory(_book(tmp_path / "a.xlsx", {"A": rows})).accounts) == 5


# 3. accounting-package customer summaries -----------------------------------------------------------
QUICKBOOKS = [
    "Rock Castle Construction",
    "Sales by Customer Summary",
    "January through March 2024",
    "",
    ',,"Jan 24","Feb 24","Mar 24","TOTAL"',
    '"Abercrombie, Kristy",,,,,',
    ',"Family Room","1,200.00",,"300.00","1,500.00"',
    ',"Kitchen",,"2,000.00",,"2,000.00"',
    '"Total Abercrombie, Kristy",,"1,200.00","2,000.00","300.00","3,500.00"',
    '"Babcock\'s Music Shop",,"450.00",,,"450.00"',
    '"Café Müller GmbH",,,"99.50",,"99.50"',
    '"Total Renovations Ltd",,"700.00",,,"700.00"',
    '"Jacobsen, Doug",,,,,',
    ',"Poolhouse",,"5,000.00","(250.00)","4,750.00"',
    '"Total Jacobsen, Doug",,,"5,000.00","(250.00)","4,750.00"',
    '"TOTAL",,"2,350.00","7,099.50","50.00","9,499.50"',
    "",
    '"Accrual Basis Monday, 8 April 2024 10:12 AM GMT-07:00"',
]


def test_quickbooks_customer_summary(tmp_path: Path) -> None:
    result = open_territory(_csv(tmp_path / "summary.csv", QUICKBOOKS, "cp1252"))
    frame = result.accounts.set_index("account_name")
    assert list(frame.index) == [
        "Abercrombie, Kristy", "Babcock's Music Shop", "Café Müller GmbH", "Total Renovations Ltd",
        "Jacobsen, Doug",
    ]  # fmt: skip
    assert result.mapping["revenue"] == "TOTAL"
    assert frame.loc["Abercrombie, Kristy", "revenue"] == 3500.0
    assert frame.loc["Abercrombie, Kristy", "Jan 24"] == 1200.0
    assert frame.loc["Abercrombie, Kristy", "Jobs"] == "Family Room; Kitchen"
    assert frame.loc["Jacobsen, Doug", "revenue"] == 4750.0
    assert frame.loc["Total Renovations Ltd", "revenue"] == 700.0  # a customer, not a subtotal
    assert frame["revenue"].sum() == pytest.approx(9499.5)
    said = _messages(result)
    assert "Windows-1252" in said and "jobs" in said and "totals row ('TOTAL')" in said
    assert "Accrual Basis" in said and "no header" in said


def test_quickbooks_online_total_for_rows_in_one_column(tmp_path: Path) -> None:
    lines = [
        "Sales by Customer Summary",
        ",Total",
        "Amy's Bird Sanctuary,100.00",
        "Freeman Sporting Goods,",
        "   0969 Ocean View Road,50.00",
        "   55 Twin Lane,25.00",
        "Total for Freeman Sporting Goods,$75.00",
        "Total Printing Supplies Co,30.00",
        "TOTAL,$205.00",
    ]
    result = open_territory(_csv(tmp_path / "qbo.csv", lines))
    frame = result.accounts.set_index("account_name")["revenue"]
    assert frame.to_dict() == {
        "Amy's Bird Sanctuary": 100.0, "Freeman Sporting Goods": 75.0, "Total Printing Supplies Co": 30.0,
    }  # fmt: skip


def test_quickbooks_customer_detail_rolls_transactions_up_to_the_customer(tmp_path: Path) -> None:
    lines = [
        "Sales by Customer Detail",
        "December 2023",
        ",Type,Date,Num,Name,Qty,Sales Price,Amount,Balance",
        '"Abercrombie, Kristy",,,,,,,,',
        ',Invoice,12/01/2023,1001,"Abercrombie, Kristy:Family Room",1,"1,200.00","1,200.00","1,200.00"',
        ',Invoice,12/15/2023,1007,"Abercrombie, Kristy:Kitchen",2,"1,000.00","2,000.00","3,200.00"',
        '"Total Abercrombie, Kristy",,,,,,,"3,200.00","3,200.00"',
        "Babcock's Music Shop,,,,,,,,",
        ",Invoice,12/05/2023,1003,Babcock's Music Shop,3,150.00,450.00,450.00",
        "Total Babcock's Music Shop,,,,,,,450.00,450.00",
        'TOTAL,,,,,,,"3,650.00","3,650.00"',
    ]
    result = open_territory(_csv(tmp_path / "detail.csv", lines))
    frame = result.accounts.set_index("account_name")
    assert list(frame.index) == ["Abercrombie, Kristy", "Babcock's Music Shop"]
    assert frame["revenue"].tolist() == [3200.0, 450.0]
    assert [str(d.date()) for d in frame["last_purchase"]] == ["2023-12-15", "2023-12-05"]  # month first
    assert frame["Balance"].tolist() == ["3,200.00", "450.00"]  # a running balance is not summed


def test_xero_sales_by_contact(tmp_path: Path) -> None:
    lines = [
        "Sales By Contact",
        "Demo Company (Global)",
        "For the period 1 January 2024 to 31 March 2024",
        "",
        "Contact,Jan 2024,Feb 2024,Mar 2024,Total",
        "Bayside Club,100.00,,50.00,150.00",
        "City Limousines,,200.00,,200.00",
        "Marine Systems,30.00,30.00,30.00,90.00",
        "Total,130.00,230.00,80.00,440.00",
    ]
    result = open_territory(_csv(tmp_path / "xero.csv", lines))
    assert result.mapping == {"account_name": "Contact", "revenue": "Total"}
    assert result.accounts["revenue"].tolist() == [150.0, 200.0, 90.0]


# 4. revenue from line figures --------------------------------------------------------------------------
def _invoice_lines() -> list[list[object]]:
    rows: list[list[object]] = [["InvoiceNo", "StockCode", "Quantity", "UnitPrice", "CustomerID", "Country"]]
    for i in range(12):
        rows.append([f"5366{i:02d}", "85123A", 2 + i % 3, 2.5, 17850 + i % 4, "United Kingdom"])
    rows.append(["C536700", "85123A", -2, 2.5, 17850, "United Kingdom"])  # a cancellation
    rows.append(["C536701", "22423", 1, 10.0, 17851, "United Kingdom"])  # a credit note written positive
    rows.append(["536702", "22423", 3, 10.0, None, "United Kingdom"])  # no customer
    return rows


def test_revenue_is_quantity_times_unit_price_and_returns_net_off(tmp_path: Path) -> None:
    rows = _invoice_lines()
    result = open_territory(_book(tmp_path / "retail.xlsx", {"Sheet1": rows}))
    assert result.mapping["revenue"].startswith("Line amount = Quantity × UnitPrice")
    frame = result.accounts.set_index("account_id")["revenue"]
    expected = {str(17850 + k): sum((2 + i % 3) * 2.5 for i in range(12) if i % 4 == k) for k in range(4)}
    expected["17850"] -= 5.0
    expected["17851"] -= 10.0
    assert frame.to_dict() == pytest.approx(expected)
    said = _messages(result)
    assert "'Quantity' × 'UnitPrice'" in said and "2 lines are returns or cancellations" in said


def test_an_amount_column_of_formulas_without_values_falls_back_to_the_line_figures(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Order", "Customer", "Qty", "Unit Price", "Discount", "Amount"]]
    for i in range(2, 12):
        rows.append([i, f"Shop {i % 3}", 4, 25.0, 0.1, f"=C{i}*D{i}*(1-E{i})"])
    result = open_territory(_book(tmp_path / "script.xlsx", {"Orders": rows}))
    assert result.mapping["revenue"] == "Line amount = Qty × Unit Price × (1 − Discount)"
    assert result.accounts["revenue"].sum() == pytest.approx(10 * 4 * 25.0 * 0.9)
    said = _messages(result)
    assert "'Amount' reads empty" in said and "formula without a saved value" in said


def test_an_amount_column_wins_over_the_line_figures(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Customer", "Quantity", "Price Each", "Sales"]]
    rows += [[f"Shop {i % 3}", 30, 100.0, 4321.0] for i in range(12)]
    result = open_territory(_book(tmp_path / "s.xlsx", {"S": rows}))
    assert result.mapping["revenue"] == "Sales" and result.accounts["revenue"].sum() == 12 * 4321.0


# 5. lookups between sheets -------------------------------------------------------------------------------
def _lookup_book(path: Path) -> Path:
    lines: list[list[object]] = [["OrderID", "CustomerID", "ProductID", "Quantity", "UnitPrice", "OrderDate"]]
    for i in range(60):
        lines.append([1000 + i, f"C{i % 8:02d}", f"P{i % 5}", 1 + i % 4, 20.0, f"2024-{1 + i % 12:02d}-15"])
    customers: list[list[object]] = [["CustomerID", "Company Name", "Region", "Industry"]]
    customers += [[f"C{i:02d}", f"Customer {i} Ltd", ["North", "South"][i % 2], "Retail"] for i in range(10)]
    products: list[list[object]] = [["ProductID", "Product Name", "Category", "Price"]]
    products += [[f"P{i}", f"Widget {i}", "Widgets", 20.0] for i in range(5)]
    regions: list[list[object]] = [["Region", "Manager"], ["North", "Ann Lee"], ["South", "Bo Chen"]]
    return _book(path, {"Orders": lines, "Products": products, "Customers": customers, "Regions": regions})


def test_the_sheet_the_lines_point_to_is_the_account_list(tmp_path: Path) -> None:
    path = _lookup_book(tmp_path / "shop.xlsx")
    assert probe(path).suggested == "Customers"
    result = open_territory(path)
    assert result.sheet == "Customers" and len(result.accounts) == 10  # two customers have no orders yet
    assert result.mapping["revenue"] == "Revenue (from 'Orders')"
    frame = result.accounts.set_index("account_id")
    assert frame["revenue"].sum() == pytest.approx(sum((1 + i % 4) * 20.0 for i in range(60)))
    assert frame.loc["C00", "order_count"] == 8 and frame.loc["C09"].isna()["revenue"]
    assert str(frame.loc["C01", "last_purchase"].date()) == "2024-10-15"
    assert "come from the 60 lines of sheet 'Orders'" in _messages(result)


def test_lines_keyed_by_id_get_their_names_from_the_customer_sheet(tmp_path: Path) -> None:
    result = open_territory(_lookup_book(tmp_path / "shop.xlsx"), sheet="Orders")
    assert result.rolled_up and len(result.accounts) == 8
    assert result.mapping["account_name"] == "Company Name (from 'Customers')"
    frame = result.accounts.set_index("account_id")
    assert frame.loc["C03", "account_name"] == "Customer 3 Ltd" and frame.loc["C03", "region"] == "South"
    assert "names and other fields are looked up in sheet 'Customers'" in _messages(result)


def test_a_customer_column_of_codes_is_a_key_the_names_are_looked_up(tmp_path: Path) -> None:
    lines: list[list[object]] = [["Invoice", "Customer", "Amount"]]
    lines += [[5000 + i, f"C{i % 6:03d}", 10.0] for i in range(30)]
    customers: list[list[object]] = [["Customer ID", "Customer Name", "Segment"]]
    customers += [[f"C{i:03d}", f"Name {i} GmbH", "SMB"] for i in range(6)]
    path = _book(tmp_path / "codes.xlsx", {"Invoices": lines, "Customers": customers})
    result = open_territory(path, sheet="Invoices")
    assert result.mapping["account_id"] == "Customer"
    assert result.mapping["account_name"] == "Customer Name (from 'Customers')"
    assert result.accounts.set_index("account_id").loc["C002", "account_name"] == "Name 2 GmbH"
    assert "'Customer' holds codes" in _messages(result)


def test_regions_and_products_are_no_account_list(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "ref.xlsx",
        {
            "Products": [["Product ID", "Name", "Price"], *[[i, f"Widget {i}", 2.0] for i in range(20)]],
            "Regions": [["Region ID", "Name"], *[[i, f"Region {i}"] for i in range(8)]],
            "Accounts": [["Account", "Revenue"], *[[f"Shop {i}", i] for i in range(6)]],
        },
    )
    assert probe(path).suggested == "Accounts"


# 6. pivot tables pasted as values -----------------------------------------------------------------------
def test_pivot_outline_filled_down_subtotals_and_grand_total_left_out(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Sum of Sales", None, None, None],
        ["Region", "Customer", "Sum of Sales", "Sum of Sales"],
        ["East", "Acme Corp", 600, 60],
        [None, "Beta GmbH", 400, 40],
        [None, "Gamma Ltd", 300, 30],
        ["East Total", None, 1300, 130],
        ["West", "Delta Inc", 500, 50],
        [None, "Epsilon SA", 200, 20],
        ["West Total", None, 700, 70],
        ["Grand Total", None, 2000, 200],
    ]
    result = open_territory(_book(tmp_path / "pivot.xlsx", {"Pivot": rows}))
    frame = result.accounts.set_index("account_name")
    assert list(frame.index) == ["Acme Corp", "Beta GmbH", "Gamma Ltd", "Delta Inc", "Epsilon SA"]
    assert result.mapping["revenue"] == "Sum of Sales"
    assert frame["revenue"].sum() == 2000
    assert frame.loc["Gamma Ltd", "region"] == "East" and frame.loc["Epsilon SA", "region"] == "West"
    assert "Sum of Sales (2)" in result.accounts.columns  # duplicate header names told apart
    said = _messages(result)
    assert "'Region' shows each group only on its first row" in said
    assert "Rows 6, 9 close a group of 'Region'" in said and "('Grand Total'); left out" in said


def test_pivot_with_column_labels_reads_the_row_below_and_its_grand_total(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Sum of Sales", "Column Labels", None, None],
        ["Row Labels", 2023, 2024, "Grand Total"],
    ]
    rows += [[f"Customer {i} Ltd", i, 2 * i, 3 * i] for i in range(1, 7)]
    rows += [["Grand Total", 21, 42, 63]]
    result = open_territory(_book(tmp_path / "years.xlsx", {"Pivot": rows}))
    assert result.header_row == 2 and len(result.accounts) == 6
    assert result.mapping == {"account_name": "Row Labels", "revenue": "Grand Total"}
    assert result.accounts["revenue"].sum() == 63


def test_pivot_in_compact_form_group_rows_left_out(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Row Labels", "Sum of Sales"], ["Central", 1000], ["Acme Corp", 600]]
    rows += [["Beta GmbH", 400], ["East", 500], ["Gamma Ltd", 500], ["West", 70.5], ["Delta Inc", 20.25]]
    rows += [["Epsilon SA", 50.25], ["Grand Total", 1570.5]]
    result = open_territory(_book(tmp_path / "compact.xlsx", {"Pivot": rows}))
    frame = result.accounts.set_index("account_name")
    assert list(frame.index) == ["Acme Corp", "Beta GmbH", "Gamma Ltd", "Delta Inc", "Epsilon SA"]
    assert frame["revenue"].sum() == 1570.5 and frame.loc["Delta Inc", "Group"] == "West"
    assert "3 group rows, each the sum of the rows under it, are left out" in _messages(result)


def test_a_sparse_column_that_is_no_outline_is_not_filled(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Account", "Parent Account", "Revenue"]]
    rows += [[f"Shop {i}", "Holding A" if i == 0 else None, i] for i in range(6)]
    frame = open_territory(_book(tmp_path / "p.xlsx", {"A": rows})).accounts
    assert frame["Parent Account"].notna().sum() == 1


# 7. no account list at all -------------------------------------------------------------------------------
def test_a_financial_table_without_accounts_is_refused_in_one_sentence(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Segment", "Country", "Product", "Units Sold", "Sales", "Month Name", "Year"]
    ]
    months = ["January", "February", "March", "April"]
    for i in range(24):
        rows.append([["Government", "Midmarket"][i % 2], ["Canada", "France", "Germany"][i % 3],
                     ["Paseo", "Velo"][i % 2], 100 + i, 1000.0 + i, months[i % 4], 2014])  # fmt: skip
    with pytest.raises(ReadError) as caught:
        open_territory(_book(tmp_path / "financial.xlsx", {"Sheet1": rows}))
    assert str(caught.value) == (
        "financial.xlsx, sheet 'Sheet1': no column names or identifies accounts: "
        "the text columns are Segment, Country, Product, Month Name."
    )


def test_a_dashboard_of_pivot_summaries_is_refused(tmp_path: Path) -> None:
    by_month = [["Row Labels", "Sum of Net Sales"], *[[m, 100.0] for m in ("Jan", "Feb", "Mar")]]
    shippers = [
        ["CompanyName", "Net Sales"],
        ["Speedy Express", 10.0],
        ["United Package", 20.0],
        ["Total", 30],
    ]
    by_country = [["Row Labels", "Sum of Sales"], ["USA", 1.0], ["Germany", 2.0], ["Grand Total", 3.0]]
    path = _book(tmp_path / "dash.xlsx", {"Rev.D": by_month, "ship.D": shippers, "Countries": by_country})
    assert probe(path).suggested is None
    with pytest.raises(ReadError, match="no sheet lists accounts"):
        open_territory(path)


def test_numbered_records_are_no_accounts(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Row Labels", "Revenue"],
        *[[f"Opportunity #{i}", 1000.0 * i] for i in range(8)],
    ]
    with pytest.raises(ReadError, match="the text columns are Row Labels"):
        open_territory(_book(tmp_path / "opps.xlsx", {"Sheet1": rows}))


# 8. what a column means ----------------------------------------------------------------------------------
def test_money_that_is_not_revenue() -> None:
    headers = [
        "Customer",
        "Discounts",
        "COGS",
        "Profit",
        "Sales Tax",
        "Freight",
        "Gross Margin",
        "Unit Price",
    ]
    assert "revenue" not in guess_mapping(headers)
    found = guess(["Customer", "Gross Sales", "Net Sales", "Discounts"])
    assert found.mapping["revenue"] == "Net Sales"
    assert "Revenue is 'Net Sales' (net), not 'Gross Sales' (gross)." in found.notes


def test_ownership_is_not_the_owner_and_padded_headers_match(tmp_path: Path) -> None:
    assert "owner" not in guess_mapping(["Company", "Ownership", "Owner Type"])
    rows: list[list[object]] = [["  Account Name ", " Revenue", "Account Owner  "], ["Acme", 1, "Ann"]]
    mapping = open_territory(_book(tmp_path / "pad.xlsx", {"A": rows})).mapping
    assert mapping == {"account_name": "Account Name", "owner": "Account Owner", "revenue": "Revenue"}


def test_amounts_with_scale_words(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Account", "Revenue"]]
    rows += [["A", "18.3 MM"], ["B", "2.1 bn"], ["C", "3,4 Mio."], ["D", "12k"], ["E", "$1.5m"]]
    revenue = open_territory(_book(tmp_path / "scale.xlsx", {"A": rows})).accounts["revenue"]
    assert revenue.tolist() == pytest.approx([18.3e6, 2.1e9, 3.4e6, 12e3, 1.5e6])


# 9. headers in other languages -----------------------------------------------------------------------------
def test_german_semicolon_csv_with_decimal_commas(tmp_path: Path) -> None:
    lines = [
        "Kundennummer;Firma;Umsatz;Vertriebsmitarbeiter;Branche;Region",
        "10001;Müller Maschinenbau GmbH;1.234,50;Jana Fuchs;Maschinenbau;Süd",
        "10002;Bäckerei Schmidt KG;98.765,00;Jan Vogel;Lebensmittel;Nord",
        "10003;Öko Energie AG;12,30;Jana Fuchs;Energie;Süd",
    ]
    result = open_territory(_csv(tmp_path / "kunden.csv", lines, "cp1252"))
    assert result.mapping == {
        "account_id": "Kundennummer", "account_name": "Firma", "region": "Region", "industry": "Branche",
        "owner": "Vertriebsmitarbeiter", "revenue": "Umsatz",
    }  # fmt: skip
    assert result.accounts["revenue"].tolist() == [1234.5, 98765.0, 12.3]
    assert result.accounts["account_name"].iloc[0] == "Müller Maschinenbau GmbH"


def test_french_and_spanish_headers() -> None:
    french = guess_mapping(["N° client", "Société", "Chiffre d'affaires", "Commercial", "Secteur", "Région"])
    assert french == {
        "account_id": "N° client", "account_name": "Société", "region": "Région", "industry": "Secteur",
        "owner": "Commercial", "revenue": "Chiffre d'affaires",
    }  # fmt: skip
    spanish = guess_mapping(["Código cliente", "Empresa", "Importe neto", "Vendedor", "Sector", "Provincia"])
    assert spanish == {
        "account_id": "Código cliente", "account_name": "Empresa", "region": "Provincia",
        "industry": "Sector", "owner": "Vendedor", "revenue": "Importe neto",
    }  # fmt: skip


def test_read_table_keeps_the_derived_columns_visible_for_the_mapping_step(tmp_path: Path) -> None:
    raw = read_table(_book(tmp_path / "retail.xlsx", {"Sheet1": _invoice_lines()}))
    derived = [h for h in raw.headers if h.startswith("Line amount = ")]
    assert derived and raw.label(derived[0]) == f"'{derived[0]}'"
