"""Order lines -> one row per account, and accounts listed more than once (duplicate IDs)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from tierdesk.domain.accounts import FIELD_BY_KEY
from tierdesk.io.coerce import to_text
from tierdesk.io.mapping import ORDER_NUMBER_HEADERS, normalise
from tierdesk.io.reader import RawTable

#: Share of lines whose account already appeared above, from which a table is order lines, not accounts.
ORDER_LINE_REPEAT_SHARE = 0.2
_SUMMED_WORDS = (
    "amount",
    "amt",
    "qty",
    "quantity",
    "cost",
    "tax",
    "total",
    "sales",
    "revenue",
    "value",
    "units",
    "volume",
    "margin",
    "profit",
    "freight",
    "discount",
    "umsatz",
    "menge",
    "betrag",
)
_AVERAGED_WORDS = ("price", "rate", "preis")


def identity_key(mapping: Mapping[str, str]) -> str | None:
    """The field that tells accounts apart: Account ID if mapped, else Account Name."""
    if mapping.get("account_id"):
        return "account_id"
    if mapping.get("account_name"):
        return "account_name"
    return None


def identity_values(raw: RawTable, mapping: Mapping[str, str]) -> pd.Series:
    """The identifying text of every raw row (ID, or name when no ID is mapped); <NA> where blank."""
    key = identity_key(mapping)
    if key is None or mapping[key] not in raw.data.columns:
        return pd.Series(pd.NA, index=raw.data.index, dtype="string")
    return to_text(raw.data[mapping[key]].to_numpy(dtype=object))


def looks_like_order_lines(raw: RawTable, mapping: Mapping[str, str]) -> bool:
    """The account column repeats a lot: order lines or invoices rather than one row per account."""
    key = identity_key(mapping)
    if key is None or mapping[key] not in raw.data.columns:
        return False
    cells = raw.data[mapping[key]].to_numpy(dtype=object)
    cells = cells[~pd.isna(cells)]
    filled = len(cells)
    if filled < 10:
        return False
    repeated = 1.0 - distinct_count(cells) / filled
    return repeated >= ORDER_LINE_REPEAT_SHARE


def distinct_count(cells: np.ndarray, chunk: int = 16_384) -> int:
    """How many different values; counted a chunk at a time, so that a GUI thread waiting for the GIL gets
    it between chunks (one hashing pass over 100,000 cells would hold it for tens of milliseconds)."""
    seen: set[object] = set()
    for start in range(0, len(cells), chunk):
        seen.update(cells[start : start + chunk].tolist())
    return len(seen)


def duplicate_ids(raw: RawTable, mapping: Mapping[str, str]) -> pd.DataFrame:
    """IDs (or names, when no ID is mapped) found on more than one row: columns account_id, excel_rows."""
    ids = identity_values(raw, mapping)
    frame = pd.DataFrame({"account_id": ids, "row": raw.excel_rows}).dropna(subset=["account_id"])
    repeated = frame[frame.duplicated("account_id", keep=False)]
    if repeated.empty:
        return pd.DataFrame(
            {"account_id": pd.Series([], dtype="string"), "excel_rows": pd.Series([], dtype=object)}
        )
    grouped = repeated.groupby("account_id", sort=False, observed=True)["row"].agg(list)
    return pd.DataFrame({"account_id": grouped.index.astype("string"), "excel_rows": grouped.to_numpy()})


def roll_up(
    accounts: pd.DataFrame,
    key: str,
    mapping: Mapping[str, str],
    extras: list[str],
    raw: RawTable,
) -> tuple[pd.DataFrame, str]:
    """One row per account from order lines; returns the rolled-up frame and what was done, in words.

    Revenue is summed, the latest date is the last purchase, orders are counted (distinct order numbers
    if the file has them, else lines), products and areas are counted as distinct values, flags are set if
    any line sets them, amounts and quantities in other columns are summed, prices averaged, and any other
    field takes its first filled value.
    """
    how: dict[str, str] = {}
    said: list[str] = []
    frame = accounts.copy()
    for column in frame.columns:
        if column in (key, "source_row"):
            continue
        field = FIELD_BY_KEY.get(column)
        source = mapping.get(column, column)
        if column == "revenue":
            how[column] = "sum"
            said.append(f"'{source}' summed as Current Revenue")
        elif column == "last_purchase":
            how[column] = "max"
            said.append(f"latest '{source}' as Last Purchase")
        elif column == "order_count":
            how[column] = "sum"
        elif column in ("products", "areas"):
            how[column] = "nunique"
            said.append(f"distinct '{source}' counted as {field.label if field else column}")
        elif field is not None and field.kind == "flag":
            how[column] = "max"
        elif field is None and column in extras and pd.api.types.is_float_dtype(frame[column].dtype):
            words = normalise(column)
            if any(w in words for w in _AVERAGED_WORDS):
                how[column] = "mean"
            elif any(w in words for w in _SUMMED_WORDS):
                how[column] = "sum"
            else:
                how[column] = "first"
        else:
            how[column] = "first"
    order_numbers = next(
        (h for h in raw.headers if normalise(h) in ORDER_NUMBER_HEADERS and h in extras), None
    )
    if "order_count" not in frame.columns:
        if order_numbers is not None:
            frame["order_count"] = frame[order_numbers]
            how["order_count"] = "nunique"
            said.append(f"distinct '{order_numbers}' counted as Orders")
        else:
            frame["order_count"] = 1.0
            how["order_count"] = "sum"
            said.append("lines per account counted as Orders")
    how["source_row"] = "min"
    grouped = frame.groupby(key, sort=False, observed=True, dropna=True)
    parts = {}
    for column, func in how.items():
        series = grouped[column]
        if func == "sum":
            parts[column] = series.sum(min_count=1)
        elif func == "nunique":
            parts[column] = series.nunique().astype("float64")
        else:
            parts[column] = series.agg(func)
    rolled = pd.DataFrame(parts)
    trend = revenue_trend(frame, key)
    if trend is not None and "trend" not in rolled.columns:
        rolled["trend"] = trend.reindex(rolled.index)
        said.append("revenue in the last 12 months against the 12 before as Revenue Trend")
    rolled.index.name = key
    rolled = rolled.reset_index()
    for column in accounts.columns:
        if column in rolled.columns and isinstance(accounts[column].dtype, pd.CategoricalDtype):
            rolled[column] = rolled[column].astype("category")
    text = "; ".join(said)
    return rolled, text


def revenue_trend(lines: pd.DataFrame, key: str) -> pd.Series | None:
    """Per account, revenue in the file's last 12 months against the 12 months before, as growth
    (0.25 = +25%; NaN where it had no revenue in the earlier 12 months). None when the order dates span no
    more than 12 months (nothing to compare with) or the lines have no revenue or dates."""
    if "revenue" not in lines.columns or "last_purchase" not in lines.columns:
        return None
    dates = pd.to_datetime(lines["last_purchase"], errors="coerce")
    end, start = dates.max(), dates.min()
    if pd.isna(end) or start > end - pd.DateOffset(months=12):
        return None
    cut, first = end - pd.DateOffset(months=12), end - pd.DateOffset(months=24)
    revenue = pd.to_numeric(lines["revenue"], errors="coerce").fillna(0.0)
    recent = revenue.where(dates > cut, 0.0)
    before = revenue.where((dates > first) & (dates <= cut), 0.0)
    sums = (
        pd.DataFrame({key: lines[key], "recent": recent, "before": before})
        .groupby(key, sort=False, observed=True, dropna=True)[["recent", "before"]]
        .sum()
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = sums["recent"] / sums["before"].where(sums["before"] > 0) - 1.0
    return growth.astype("float64")
