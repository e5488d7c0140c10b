"""Turn a column of raw cell values into one canonical type, vectorised, marking the cells it cannot read."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from tierdesk.domain.accounts import FieldKind
from tierdesk.io.amounts import parse_numbers, to_numbers
from tierdesk.io.cells import BLANK_WORDS, PLAIN_NUMBER, STRIP, Coerced, split_cells, stripped
from tierdesk.io.dates import parse_dates, serial_dates, to_dates

__all__ = [
    "BLANK_WORDS", "Coerced", "coerce_column", "extra_column", "extra_columns", "parse_dates",
    "parse_numbers", "sample_fit", "serial_dates", "to_dates", "to_flags", "to_numbers", "to_text",
]  # fmt: skip

TRUE_WORDS = frozenset(
    {"yes", "y", "true", "t", "1", "x", "ja", "j", "oui", "si", "sí", "wahr", "vrai", "✓", "✔", "☑", "1.0"}
)
FALSE_WORDS = frozenset(
    {"no", "n", "false", "f", "0", "nein", "non", "falsch", "faux", "0.0", "-", "–", "—", "none", "☐"}
)


# --- flags, text -------------------------------------------------------------------------------------


def to_flags(values: np.ndarray | pd.Series) -> Coerced:
    """flag -> boolean: yes/no/y/n/true/false/1/0/x; any other text (a sponsor's name) is True."""
    c = split_cells(values)
    out = pd.array(np.zeros(len(c.arr), dtype=bool), dtype="boolean")
    known = c.is_bool | c.is_num | c.is_str | c.is_date
    if c.is_bool.any():
        out[c.is_bool] = c.arr[c.is_bool].astype(bool)
    if c.is_num.any():
        out[c.is_num] = c.arr[c.is_num].astype(np.float64) != 0
    if c.is_date.any():
        out[c.is_date] = True
    if c.is_str.any():
        words = stripped(c.arr, c.is_str).str.lower()
        is_false = words.isin(FALSE_WORDS).to_numpy(dtype=bool)
        is_blank = words.isin(BLANK_WORDS - FALSE_WORDS).to_numpy(dtype=bool)
        flags = ~is_false
        strs = np.flatnonzero(c.is_str)
        out[strs] = flags
        known[strs[is_blank]] = False
    out[~known] = pd.NA
    return Coerced(pd.Series(out, dtype="boolean"), np.zeros(len(c.arr), dtype=bool))


def to_text(values: np.ndarray | pd.Series) -> pd.Series:
    """id/text/category -> string: numbers without '.0' (12345.0 -> '12345'), dates as 2024-12-31."""
    arr = np.asarray(values, dtype=object)
    if len(arr) and pd.api.types.infer_dtype(arr, skipna=False) == "string":  # texts only ('' is blank)
        text = STRIP(arr)
        text[text == ""] = None
        return pd.Series(text, dtype="string")
    c = split_cells(arr)
    n = len(c.arr)
    out = np.empty(n, dtype=object)
    out[:] = None
    if c.is_str.any():
        out[c.is_str] = stripped(c.arr, c.is_str).to_numpy(dtype=object)
    if c.is_num.any():
        out[c.is_num] = _number_text(c.arr[c.is_num].astype(np.float64))
    if c.is_bool.any():
        out[c.is_bool] = np.where(c.arr[c.is_bool].astype(bool), "TRUE", "FALSE")
    if c.is_date.any():
        stamps = pd.to_datetime(pd.Series(c.arr[c.is_date]), errors="coerce")
        has_time = bool((stamps.dt.normalize() != stamps).any())
        out[c.is_date] = stamps.dt.strftime("%Y-%m-%d %H:%M" if has_time else "%Y-%m-%d").to_numpy(
            dtype=object
        )
    other = ~(c.is_str | c.is_num | c.is_bool | c.is_date | c.is_blank)
    if other.any():
        out[other] = np.frompyfunc(str, 1, 1)(c.arr[other])
    series = pd.Series(out, dtype="string")
    return series.where(series != "", pd.NA)


def _number_text(v: np.ndarray) -> np.ndarray:
    integral = (v == np.floor(v)) & (np.abs(v) < 1e15)
    out = pd.Series(v).astype(str).to_numpy(dtype=object)
    if integral.any():
        out[integral] = pd.Series(v[integral].astype(np.int64)).astype(str).to_numpy(dtype=object)
    return out


#: words that name a column of codes rather than amounts: its numbers are kept as text (42420, not 42,420.0)
CODE_WORDS = re.compile(
    r"(?i)(?:^|[^a-z])(?:id|code|zip|zipcode|postal|postcode|plz|phone|tel|telephone|fax|year|sku|ean|upc|duns"
    r"|vat)(?:$|[^a-z])|[a-z]ID$"
)


def extra_column(values: np.ndarray | pd.Series, header: str = "") -> pd.Series:
    """A column no field is mapped to: float if it holds only numbers (no '007'-style codes), else text.
    A column whose `header` names codes ("Postal Code", "Row ID", "CustomerID", "Year") stays text, so that
    an .xls file, which stores every number as a float, shows 42420 rather than 42420.0 or 42,420."""
    c = split_cells(values)
    if not (c.is_str | c.is_num).any() or (c.is_bool | c.is_date).any() or CODE_WORDS.search(header):
        return to_text(values)
    if not c.is_str.any():
        return pd.Series(np.where(c.is_num, c.arr, np.nan).astype(np.float64), dtype="float64")
    texts = stripped(c.arr, c.is_str)
    filled = texts[texts != ""]
    if filled.empty:
        out = np.full(len(c.arr), np.nan)
        out[c.is_num] = c.arr[c.is_num].astype(np.float64)
        return pd.Series(out, dtype="float64")
    if not filled.head(64).str.fullmatch(PLAIN_NUMBER).all():
        return to_text(values)
    if filled.str.match(r"^[+-]?0\d").any() or not filled.str.fullmatch(PLAIN_NUMBER).all():
        return to_text(values)
    out = np.full(len(c.arr), np.nan)
    out[c.is_num] = c.arr[c.is_num].astype(np.float64)
    idx = np.flatnonzero(c.is_str)
    out[idx] = pd.to_numeric(texts.where(texts != "", None), errors="coerce").to_numpy(dtype=np.float64)
    return pd.Series(out, dtype="float64")


def extra_columns(block: np.ndarray, headers: Sequence[str]) -> list[Any]:
    """`extra_column` for every column of a 2-D block (its `headers` in order), each as an array; a block of
    texts only (a CSV file) is done at once, so thousands of columns cost about as much as one long one."""
    rows, width = block.shape
    flat = np.ascontiguousarray(block.T).reshape(-1)
    if not width or not rows or pd.api.types.infer_dtype(flat, skipna=False) != "string":
        return [extra_column(block[:, j], headers[j]).array for j in range(width)]
    texts = pd.Series(STRIP(flat), dtype=object)
    written = (flat != "").reshape(width, rows)
    filled = (texts != "").to_numpy(bool)
    plain = texts.str.fullmatch(PLAIN_NUMBER).to_numpy(bool)
    zero_led = texts.str.match(r"^[+-]?0\d").to_numpy(bool)
    odd = (filled & (~plain | zero_led)).reshape(width, rows).any(axis=1)
    codes = np.array([bool(CODE_WORDS.search(h)) for h in headers], dtype=bool)
    numeric = written.any(axis=1) & ~odd & ~codes
    as_text = pd.Series(texts.where(filled, None), dtype="string").array
    as_number = pd.to_numeric(texts.where(filled, None), errors="coerce").to_numpy(np.float64)
    return [
        as_number[j * rows : (j + 1) * rows] if numeric[j] else as_text[j * rows : (j + 1) * rows]
        for j in range(width)
    ]


def sample_fit(column: pd.Series, kind: FieldKind, size: int = 50) -> float | None:
    """Share of a column's first non-blank values that read as this kind; None if too few to tell."""
    c = split_cells(column.to_numpy(dtype=object)[: size * 4])
    filled = ~c.is_blank & ~(c.is_str & (c.arr == ""))
    if filled.sum() < 3:
        return None
    sample = c.arr[filled][:size]
    if kind in ("money", "number", "percent"):
        return float((~to_numbers(sample).bad).mean())
    if kind == "date":
        dated = to_dates(sample)
        return float((~dated.bad & dated.values.notna().to_numpy()).mean())
    if kind in ("id", "text", "category"):
        cs = split_cells(sample)
        texts = pd.Series(sample[cs.is_str], dtype=object)
        return float((~texts.str.fullmatch(PLAIN_NUMBER)).sum() / len(sample))
    return 1.0


def coerce_column(values: np.ndarray | pd.Series, kind: FieldKind, *, date1904: bool = False) -> Coerced:
    """Coerce a raw column into the dtype of a canonical field kind (see `accounts.dtype_for`)."""
    n = len(values)
    if kind in ("money", "number", "percent"):
        return to_numbers(values, kind)
    if kind == "date":
        return to_dates(values, date1904)
    if kind == "flag":
        return _by_distinct(values, lambda distinct: to_flags(distinct).values)
    if kind == "list":
        return _lists(values)
    if kind == "category":
        return _by_distinct(values, _category_text, categorical=True)
    return Coerced(to_text(values), np.zeros(n, dtype=bool))


def _category_text(distinct: np.ndarray) -> pd.Series:
    return to_text(distinct)


def _by_distinct(values: np.ndarray | pd.Series, convert: Any, *, categorical: bool = False) -> Coerced:
    """Convert each distinct raw value once, then spread the results back (flags, categories)."""
    arr = np.asarray(values, dtype=object)
    codes, distinct = pd.factorize(arr, use_na_sentinel=True)
    converted = pd.Series(convert(np.asarray(distinct, dtype=object))).reset_index(drop=True)
    if categorical:
        inverse, categories = pd.factorize(converted.astype("string"), use_na_sentinel=True)
        spread = np.append(inverse, -1)[codes]  # a blank cell's code, -1, takes the -1 appended
        index = pd.Index(np.asarray(categories, dtype=object), dtype="string")
        result = pd.Series(pd.Categorical.from_codes(spread, categories=index))
    else:
        taken = converted.take(np.where(codes >= 0, codes, 0)).reset_index(drop=True)
        result = taken.where(pd.Series(codes >= 0), pd.NA).astype(converted.dtype)
    return Coerced(result, np.zeros(len(arr), dtype=bool))


def _lists(values: np.ndarray | pd.Series) -> Coerced:
    """products/areas: a count stays a number, a list stays text ('CRM; Billing')."""
    c = split_cells(values)
    out = np.empty(len(c.arr), dtype=object)
    out[:] = None
    if c.is_num.any():
        out[c.is_num] = c.arr[c.is_num].astype(np.float64)
    if c.is_str.any():
        texts = stripped(c.arr, c.is_str)
        out[np.flatnonzero(c.is_str)] = texts.where(texts != "", None).to_numpy(dtype=object)
    return Coerced(pd.Series(out, dtype=object), np.zeros(len(c.arr), dtype=bool))
