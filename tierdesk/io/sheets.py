"""Which sheet of a workbook lists the accounts, judged by what it holds (not by its size), and which other
sheets it is linked to (order lines keyed by its accounts, a customer list naming the lines' keys)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tierdesk.domain.accounts import IDENTITY_FIELDS
from tierdesk.io.book import Book, SheetInfo
from tierdesk.io.errors import ReadError
from tierdesk.io.header import find_header, header_names, header_text
from tierdesk.io.lookups import Added, Sheet, figures_for_list, keys, names_for_lines
from tierdesk.io.mapping import header_match, normalise
from tierdesk.io.words import header_has

#: Rows of each sheet looked at to judge it.
HEAD_ROWS = 100
#: An account list has at least this many different accounts (fewer: a summary, or shippers).
MIN_ACCOUNTS = 5
_ACCOUNT_SHEET_WORDS = ("account", "customer", "client", "kunde", "store", "territor", "compan", "firma")
#: Sheets named for what is not an account list: 'Regions', 'Products', 'Employees', 'Shippers'…
_OTHER_SHEET_WORDS = (
    "region", "regions", "product", "products", "produkte", "produits", "productos", "item", "items",
    "category", "categories", "employee", "employees", "staff", "mitarbeiter", "shipper", "shippers",
    "supplier", "suppliers", "vendor", "vendors", "lieferanten", "manager", "managers", "people", "price",
    "prices", "pricebook", "pricelist", "wage", "wages", "hourlywages", "calendar", "dates", "lookup",
    "lookups", "parameters", "settings", "readme", "instructions", "dashboard", "pivot", "chart", "charts",
    "returns",
)  # fmt: skip

ReadSheet = Callable[[str], Sheet]


def head_sheet(book: Book, info: SheetInfo, rows: int = HEAD_ROWS) -> Sheet | None:
    """A sheet's header and first rows, cheaply; None for an empty or unreadable sheet."""
    try:
        head = book.head(info.name, rows)
    except ReadError:
        return None
    if head.size == 0:
        return None
    top = find_header(head)
    headers, _letters, _notes = header_names(head[top], 1)
    data = pd.DataFrame(head[top + 1 :], columns=headers, dtype=object)
    return Sheet.of(info.name, headers, data)


def sheet_score(head: np.ndarray, info: SheetInfo) -> float:
    """How much a sheet looks like an account list by its headers: naming the account, other known fields."""
    if head.size == 0:
        return -100.0
    cells = head[find_header(head)]
    strong: set[str] = set()
    weak: set[str] = set()
    for value in cells:
        match = header_match(header_text(value))
        if match:
            (strong if match[1] >= 90 else weak).add(match[0])
    identity = len(strong & set(IDENTITY_FIELDS))
    score = 10.0 * identity + 2.0 * len(strong - set(IDENTITY_FIELDS)) + 0.5 * len(weak - strong)
    score += math.log10((info.rows or len(head)) + 1)
    if any(word in normalise(info.name) for word in _ACCOUNT_SHEET_WORDS):
        score += 3.0
    return score - (5.0 if not info.visible else 0.0)


@dataclass
class Judged:
    info: SheetInfo
    sheet: Sheet | None
    score: float
    lists_accounts: bool
    #: An account column, though with fewer than MIN_ACCOUNTS accounts in the first rows.
    few_accounts: bool = False
    #: Shows a pivot table's words ('Row Labels', 'Sum of …', 'Grand Total'): a report, not a list.
    report: bool = False


_REPORT_WORDS = re.compile(
    r"^\s*(row labels|column labels|grand total|(sum|count|average) of \S)", re.IGNORECASE
)


def _judge(book: Book, info: SheetInfo) -> Judged:
    sheet = head_sheet(book, info)
    if sheet is None:
        return Judged(info, None, -math.inf, False)
    head = np.vstack([np.array(sheet.headers, dtype=object), sheet.data.to_numpy(dtype=object)])
    score = sheet_score(head, info)
    key = sheet.key()
    other = header_has(info.name, _OTHER_SHEET_WORDS)
    distinct = int(keys(sheet.data[key]).nunique()) if key is not None else 0
    own = key is not None and not other and _in_first_block(sheet, key)
    lists = own and distinct >= MIN_ACCOUNTS
    report = any(isinstance(v, str) and _REPORT_WORDS.match(v) for v in head.ravel().tolist())
    score += 0.0 if lists else -40.0
    return Judged(info, sheet, score, lists, own and not lists, report)


def _in_first_block(sheet: Sheet, column: str) -> bool:
    """A report sheet holds several tables side by side, separated by blank columns; only the first is
    the sheet's own table (the others summarise shippers, products, months…)."""
    at = sheet.headers.index(column)
    for j in range(at):
        header, values = sheet.headers[j], sheet.data.iloc[:, j]
        if header.startswith("Column ") and not (values.astype(str).str.strip() != "").any():
            return False
    return True


def suggest(book: Book, infos: list[SheetInfo]) -> tuple[str | None, str | None]:
    """The sheet that lists the accounts, by content; or None and why no sheet does.

    A sheet whose account column is only a key that another sheet's order lines point to (and names) is
    the account list even when the lines are the larger sheet.
    """
    candidates = [s for s in infos if s.kind == "worksheet"]
    if len(candidates) <= 1:
        return (candidates[0].name if candidates else None), None
    judged = [_judge(book, info) for info in candidates]
    for lines in judged:
        if lines.sheet is None or not _key_only_lines(lines.sheet):
            continue
        key = lines.sheet.mapping["account_id"]
        for target in judged:
            if target is lines or target.sheet is None or "account_name" not in target.sheet.mapping:
                continue
            if target.sheet.column_like(key, "account_id") is not None and target.lists_accounts:
                target.score += 15.0
                lines.score -= 5.0
    best = max((j for j in judged if j.lists_accounts), key=lambda j: j.score, default=None)
    if best is None and not any(j.report for j in judged):
        best = max((j for j in judged if j.few_accounts), key=lambda j: j.score, default=None)
    if best is not None:
        return best.info.name, None
    looked = [j.info.name for j in judged if j.sheet is not None]
    if not looked:
        return None, "no sheet has cells with data"
    shown = ", ".join(f"'{n}'" for n in looked[:8]) + (
        f" and {len(looked) - 8} more" if len(looked) > 8 else ""
    )
    return None, (
        f"no sheet lists accounts: none of its sheets ({shown}) has a column that names or identifies "
        f"at least {MIN_ACCOUNTS} customers"
    )


def _key_only_lines(sheet: Sheet) -> bool:
    key = sheet.mapping.get("account_id")
    if key is None or "account_name" in sheet.mapping:
        return False
    values = keys(sheet.data[key]).dropna()
    return bool(len(values) >= 10 and values.duplicated().mean() >= 0.2)


def link_sheets(book: Book, infos: list[SheetInfo], table: Sheet, read: ReadSheet) -> list[Added]:
    """Columns the table gets from the sheets linked to it: names for lines keyed by an ID only, or
    revenue, last purchase and orders for an account list from the order lines pointing at it."""
    others = [s for s in infos if s.kind == "worksheet" and s.name != table.name]
    if not others or table.key() is None:
        return []
    heads = [h for h in (head_sheet(book, info) for info in others) if h is not None]
    if _key_only_lines(table):
        key = table.mapping["account_id"]
        for head in heads:
            if "account_name" in head.mapping and head.column_like(key, "account_id") is not None:
                added = names_for_lines(table, read(head.name))
                if added is not None:
                    return [added]
        return []
    mine = keys(table.data[table.key()]).dropna()
    if len(mine) < MIN_ACCOUNTS or mine.duplicated().mean() > 0.1:
        return []
    field_key = "account_id" if table.mapping.get("account_id") == table.key() else "account_name"

    def details(order: str) -> Sheet | None:
        for head in heads:
            column = head.column_like(order, None)
            if column is not None and keys(head.data[column]).duplicated().any():
                return read(head.name)
        return None

    for head in heads:
        theirs = head.column_like(str(table.key()), field_key)
        if theirs is None or not keys(head.data[theirs]).duplicated().any():
            continue
        added = figures_for_list(table, read(head.name), details)
        if added is not None:
            return [added]
    return []
