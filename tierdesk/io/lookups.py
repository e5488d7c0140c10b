"""Sheets that point at each other. Order lines that carry only a customer key get the names (and region,
industry…) from the sheet that lists those keys; an account list gets revenue, last purchase and orders
from the order lines that point at it (through an order-details sheet when the lines have no amounts)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tierdesk.io.coerce import to_dates, to_numbers, to_text
from tierdesk.io.lines import add_line_amounts
from tierdesk.io.mapping import ORDER_NUMBER_HEADERS, guess_mapping, normalise

#: Share of the lines' keys that must be found on the other sheet for the two to be linked.
MATCH_SHARE = 0.5
#: Fields an account list takes from the sheet that names its keys.
LIST_FIELDS = ("account_name", "territory", "region", "country", "industry", "segment", "owner", "employees")


@dataclass
class Sheet:
    """A sheet's header and first rows, or all of it."""

    name: str
    headers: list[str]
    data: pd.DataFrame
    mapping: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, name: str, headers: list[str], data: pd.DataFrame) -> Sheet:
        return cls(name, headers, data, guess_mapping(headers, data.head(200)))

    def key(self) -> str | None:
        return self.mapping.get("account_id") or self.mapping.get("account_name")

    def column_like(self, header: str, field_key: str | None) -> str | None:
        """This sheet's column with the same name as `header`, or mapped to the same field."""
        wanted = normalise(header)
        same = next((h for h in self.headers if normalise(h) == wanted), None)
        if same is None and field_key is not None:
            same = self.mapping.get(field_key)
        return same


@dataclass
class Added:
    """Columns to add to the table being read, and what was done in words."""

    columns: dict[str, pd.Series]
    notes: list[str]


def keys(column: pd.Series) -> pd.Series:
    """A key column as text, so that 12345, 12345.0 and '12345' match."""
    return to_text(column.to_numpy(dtype=object)).str.strip()


def found_share(lines: pd.Series, listing: pd.Series) -> float:
    wanted = pd.unique(lines.dropna())
    if not len(wanted):
        return 0.0
    return float(pd.Index(wanted).isin(listing.dropna()).mean())


def names_for_lines(table: Sheet, other: Sheet) -> Added | None:
    """Lines keyed by an ID only: the names (and other account fields) from a sheet listing those IDs."""
    key = table.mapping.get("account_id")
    if key is None or "account_name" in table.mapping or "account_name" not in other.mapping:
        return None
    theirs = other.column_like(key, "account_id")
    if theirs is None or theirs == other.mapping.get("account_name"):
        return None
    mine, listed = keys(table.data[key]), keys(other.data[theirs])
    share = found_share(mine, listed)
    if share < MATCH_SHARE:
        return None
    first = ~listed.duplicated() & listed.notna()
    index = pd.Index(listed[first])
    at = index.get_indexer(mine)
    columns: dict[str, pd.Series] = {}
    for field_key in LIST_FIELDS:
        source = other.mapping.get(field_key)
        if source is None or field_key in table.mapping or source == theirs:
            continue
        values = other.data[source].to_numpy(dtype=object)[first.to_numpy()]
        picked = np.where(at >= 0, values[np.maximum(at, 0)], "")
        columns[f"{source} (from '{other.name}')"] = pd.Series(picked, index=table.data.index, dtype=object)
    missing = int(mine.notna().sum() - (at >= 0).sum())
    note = (
        f"'{key}' holds only a key: names{' and other fields' if len(columns) > 1 else ''} are looked up in "
        f"sheet '{other.name}' by '{theirs}' ({share:.0%} of the keys found"
        + (f"; {missing:,} lines have a key that sheet does not list)" if missing else ")")
    )
    return Added(columns, [note])


def figures_for_list(table: Sheet, lines: Sheet, details: Callable[[str], Sheet | None]) -> Added | None:
    """An account list: revenue, last purchase and orders from order lines that point at its key, rolled up
    per account. When the lines carry no amount, a sheet of order details keyed by the lines' order number
    gives it."""
    key = table.key()
    if key is None or lines.name == table.name:
        return None
    field_key = "account_id" if table.mapping.get("account_id") == key else "account_name"
    theirs = lines.column_like(key, field_key)
    if theirs is None:
        return None
    mine, pointed = keys(table.data[key]), keys(lines.data[theirs])
    if pointed.duplicated().sum() < 0.2 * pointed.notna().sum() or found_share(pointed, mine) < MATCH_SHARE:
        return None
    amount, said = _line_revenue(lines, details)
    frame = pd.DataFrame({"key": pointed})
    wanted = [k for k in ("revenue", "last_purchase", "order_count") if k not in table.mapping]
    if "revenue" in wanted and amount is not None:
        frame["revenue"] = amount
    date = lines.mapping.get("last_purchase")
    if "last_purchase" in wanted and date is not None:
        frame["last_purchase"] = to_dates(lines.data[date].to_numpy(dtype=object)).values
    order = next((h for h in lines.headers if normalise(h) in ORDER_NUMBER_HEADERS), None)
    if "order_count" in wanted:
        frame["order_count"] = (
            keys(lines.data[order]) if order is not None else pd.Series(1, index=frame.index)
        )
    if frame.shape[1] == 1:
        return None
    grouped = frame.dropna(subset=["key"]).groupby("key", sort=False)
    per_key: dict[str, pd.Series] = {}
    if "revenue" in frame:
        per_key["Revenue"] = grouped["revenue"].sum(min_count=1)
    if "last_purchase" in frame:
        per_key["Last Purchase"] = grouped["last_purchase"].max()
    if "order_count" in frame:
        counted = grouped["order_count"].nunique() if order is not None else grouped["order_count"].sum()
        per_key["Orders"] = counted.astype("float64")
    columns = {
        f"{label} (from '{lines.name}')": values.reindex(mine.to_numpy())
        .reset_index(drop=True)
        .astype(object)
        for label, values in per_key.items()
    }
    for column in columns.values():
        column.index = table.data.index
    with_lines = int(mine.isin(pointed.dropna()).sum())
    orphans = int((~pd.Index(pd.unique(pointed.dropna())).isin(mine.dropna())).sum())
    note = (
        f"{', '.join(label.lower() for label in per_key)} come from the {len(lines.data):,} lines of sheet "
        f"'{lines.name}', joined on '{theirs}' ({with_lines:,} of {len(mine):,} accounts have lines"
        + (f"; {orphans:,} keys on the lines are not in this list and are left out)" if orphans else ")")
    )
    return Added(columns, [note[:1].upper() + note[1:], *said])


def _line_revenue(lines: Sheet, details: Callable[[str], Sheet | None]) -> tuple[pd.Series | None, list[str]]:
    """Each line's revenue: its amount column, quantity × price, or the sum of its order's detail lines."""
    revenue = lines.mapping.get("revenue")
    if revenue is not None:
        values = to_numbers(lines.data[revenue].to_numpy(dtype=object), "money").values
        if values.notna().any():
            return values, []
    derived = add_line_amounts(lines.headers, lines.data)
    if derived is not None:
        values = to_numbers(derived[1].to_numpy(dtype=object), "money").values
        return values, [f"In sheet '{lines.name}': {derived[2][0].lower()}"]
    order = next((h for h in lines.headers if normalise(h) in ORDER_NUMBER_HEADERS), None)
    if order is None:
        return None, []
    found = details(order)
    if found is None:
        return None, []
    by_order = found.column_like(order, None)
    derived = add_line_amounts(found.headers, found.data)
    source = found.mapping.get("revenue")
    if by_order is None or (derived is None and source is None):
        return None, []
    amounts = derived[1] if derived is not None else found.data[source]
    values = to_numbers(amounts.to_numpy(dtype=object), "money").values
    per_order = pd.DataFrame({"order": keys(found.data[by_order]), "amount": values}).groupby("order")[
        "amount"
    ]
    totals = per_order.sum(min_count=1)
    how = derived[0].split(" = ", 1)[1] if derived is not None else f"'{source}'"
    line_orders = keys(lines.data[order])
    share = found_share(line_orders, pd.Series(totals.index))
    if share < MATCH_SHARE:
        return None, []
    note = f"Order amounts are summed from sheet '{found.name}' ({how} per line, joined on '{by_order}')"
    return pd.Series(totals.reindex(line_orders.to_numpy()).to_numpy(), index=lines.data.index), [note]
