"""Amounts, counts and percentages as planners type them: '$1,234.50', '€ 1.234,50', '35%', '1.2M'."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from tierdesk.domain.accounts import FieldKind
from tierdesk.io.cells import BLANK_WORDS, STRINGS, TEXT, Coerced, split_cells

_JUNK = re.compile(
    r"[\s\u00a0\u202f\u2009'’$€£¥₹₩₽₺₪₫฿¢₦₴₱]|(?<![a-z])(?:usd|eur|gbp|chf|jpy|cad|aud|nzd|sek|nok|dkk|pln|"
    r"czk|huf|inr|cny|rmb|brl|mxn|zar|sgd|hkd|try|rub|aed|sar|us|ca|kr|zł|fr)\.?(?![a-z])",
    re.IGNORECASE,
)
_SCALE = re.compile(r"^(.*\d)(thousand|millions?|billions?|tsd|mio|mrd|mm|mn|bn|k|m|b)\.?$", re.IGNORECASE)
_SCALES = {
    "thousand": 1e3, "tsd": 1e3, "k": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "mio": 1e6, "million": 1e6,
    "millions": 1e6, "b": 1e9, "bn": 1e9, "mrd": 1e9, "billion": 1e9, "billions": 1e9,
}  # fmt: skip
#: Characters dropped on the quick path when a column's first cells show them (symbols, spaces, quotes).
_QUICK_JUNK = frozenset(" \u00a0\u202f\u2009'’$€£¥₹")


def parse_numbers(texts: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Numbers written as text: '$1,234.50', '€ 1.234,50', '35%', '(1,200)', '1.2M', '3k', '2.5bn'.

    Returns values, which cells were percentages, which were blank words ('-', 'n/a') and which failed.
    The column's decimal separator is judged from its first cells. Cells whose separators do not fit
    that (thousands groups of three) or that carry suffixes, brackets or codes go the slower way.
    """
    t = texts.astype(object)
    n = len(t)
    values = np.full(n, np.nan)
    pct = np.zeros(n, dtype=bool)
    sample = t.head(200)
    comma = _comma_decimal(sample)
    quick = t.to_numpy(dtype=object).astype(TEXT)
    found = "".join(sorted(set("".join(sample.tolist())) & _QUICK_JUNK))
    if found:
        quick = STRINGS.strip(quick, found)
        inner = STRINGS.strip(sample.to_numpy(dtype=object).astype(TEXT), found)
        for junk in found:
            if STRINGS.find(inner, junk).max(initial=-1) >= 0:
                quick = STRINGS.replace(quick, junk, "")
    last_comma = STRINGS.rfind(quick, ",")
    last_dot = STRINGS.rfind(quick, ".")
    length = STRINGS.str_len(quick)
    if comma:
        fits = (last_dot < 0) | (last_dot + 4 == last_comma) | ((last_comma < 0) & (last_dot + 4 == length))
        quick = STRINGS.replace(STRINGS.replace(quick, ".", ""), ",", ".")
    else:
        fits = (last_comma < 0) | (last_comma + 4 == last_dot) | ((last_dot < 0) & (last_comma + 4 == length))
        quick = STRINGS.replace(quick, ",", "")
    values[fits] = _floats(quick[fits])
    rest = np.isnan(values)
    blank = np.zeros(n, dtype=bool)
    if rest.any():
        idx = np.flatnonzero(rest)
        sub = t.iloc[idx].str.strip().reset_index(drop=True)
        words = sub.str.lower().isin(BLANK_WORDS).to_numpy(dtype=bool)
        blank[idx[words]] = True
        todo = idx[~words]
        if len(todo):
            v, p = _parse_messy(sub[~words].reset_index(drop=True), comma)
            values[todo] = v
            pct[todo] = p
    bad = ~blank & np.isnan(values)
    return values, pct, blank, bad


def _floats(texts: np.ndarray) -> np.ndarray:
    """Clean number texts -> float64 (NaN where one is not a number), parsed in C when all are valid."""
    try:
        return texts.astype(np.float64)
    except ValueError:
        return pd.to_numeric(texts.astype(object), errors="coerce").astype(np.float64)


def _comma_decimal(sample: pd.Series) -> bool:
    """The column writes decimals with a comma ('0,35', '1.234,50') more often than with a point."""
    comma = sample.str.contains(r",\d{1,2}(?!\d)|\.\d{3},|^[^.]*\d,\d{4,}", regex=True).sum()
    point = sample.str.contains(r"\.\d{1,2}(?!\d)|,\d{3}\.|^[^,]*\d\.\d{4,}", regex=True).sum()
    return bool(comma > point)


def _parse_messy(u: pd.Series, column_comma: bool) -> tuple[np.ndarray, np.ndarray]:
    u = u.str.replace("−", "-", regex=False)
    neg = (u.str.startswith("(") & u.str.endswith(")")).to_numpy(dtype=bool)
    u = u.where(~neg, u.str.slice(1, -1))
    pct = u.str.endswith("%").to_numpy(dtype=bool)
    u = u.where(~pct, u.str.slice(0, -1))
    u = u.str.replace(_JUNK, "", regex=True)
    trailing_minus = (u.str.endswith("-") & (u.str.len() > 1)).to_numpy(dtype=bool)
    u = u.where(~trailing_minus, u.str.slice(0, -1))
    neg = neg ^ trailing_minus
    scale = np.ones(len(u))
    scaled = u.str.extract(_SCALE)
    has_scale = scaled[1].notna().to_numpy(dtype=bool)
    if has_scale.any():
        scale[has_scale] = scaled[1][has_scale].str.lower().map(_SCALES).to_numpy(dtype=np.float64)
        u = u.where(~has_scale, scaled[0])
    u = _decimal_point(u, column_comma)
    values = pd.to_numeric(u, errors="coerce").to_numpy(dtype=np.float64)
    values = np.where(neg, -np.abs(values), values) * scale
    values = np.where(pct, values / 100.0, values)
    return values, pct


def _decimal_point(u: pd.Series, column_comma: bool) -> pd.Series:
    """Remove thousands separators and make the decimal separator '.', cell by cell.

    The separator written last is the decimal one when both appear; a lone ',' is decimal unless it groups
    thousands ('1,234'); when the column clearly writes decimals with ',' ('0,35', '1.234,50') ambiguous
    cells follow the column.
    """
    last_comma = u.str.rfind(",").to_numpy(dtype=np.float64)
    last_dot = u.str.rfind(".").to_numpy(dtype=np.float64)
    has_comma = last_comma >= 0
    has_dot = last_dot >= 0
    grouped_comma = u.str.fullmatch(r"[+-]?\d{1,3}(,\d{3})+").to_numpy(dtype=bool, na_value=False)
    many_dots = (u.str.count(r"\.") > 1).to_numpy(dtype=bool)
    comma_votes = (has_comma & has_dot & (last_comma > last_dot)) | (has_comma & ~has_dot & ~grouped_comma)
    comma_decimal = comma_votes | (column_comma & has_comma & ~(has_dot & (last_dot > last_comma)))
    comma_decimal |= column_comma & many_dots & ~has_comma
    out = u.str.replace(",", "", regex=False)
    if comma_decimal.any():
        as_comma = u[comma_decimal].str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        out = out.where(~comma_decimal, as_comma)
    dots_group = many_dots & ~has_comma
    if dots_group.any():
        out = out.where(~dots_group, u.str.replace(".", "", regex=False))
    return out


def to_numbers(values: np.ndarray | pd.Series, kind: FieldKind = "number") -> Coerced:
    """money, number or percent -> float64 (percent as a fraction: 35% is 0.35)."""
    arr = np.asarray(values, dtype=object)
    n = len(arr)
    if not _mostly_numbers(arr):
        out, pct, bad = _cell_by_kind(arr)
        return _percent(out, pct, kind, bad)
    floats = _plain_floats(arr)
    out = pd.to_numeric(arr, errors="coerce").astype(np.float64) if floats is None else floats
    pct = np.zeros(n, dtype=bool)
    bad = np.zeros(n, dtype=bool)
    left = np.isnan(out)
    left[left] = arr[left] != ""
    if left.any():
        out[left], pct[left], bad[left] = _cell_by_kind(arr[left])
    return _percent(out, pct, kind, bad)


def _plain_floats(arr: np.ndarray) -> np.ndarray | None:
    """A column of numbers only, as floats (converted in C, as to_numeric would); None for any other."""
    if pd.api.types.infer_dtype(arr, skipna=False) not in ("floating", "integer", "mixed-integer-float"):
        return None
    try:
        return arr.astype(np.float64)
    except (OverflowError, ValueError, TypeError):  # an integer beyond floats: to_numeric tells
        return None


def _cell_by_kind(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Values, percent cells and unreadable cells, each cell read by its kind (number, text, other)."""
    c = split_cells(arr)
    n = len(c.arr)
    out = np.full(n, np.nan)
    bad = c.is_bool | c.is_date | ~(c.is_str | c.is_num | c.is_bool | c.is_date | c.is_blank)
    if c.is_num.any():
        out[c.is_num] = c.arr[c.is_num].astype(np.float64)
    pct = np.zeros(n, dtype=bool)
    if c.is_str.any():
        idx = np.flatnonzero(c.is_str)
        v, p, _blank, failed = parse_numbers(pd.Series(c.arr[idx], dtype=object))
        out[idx] = v
        pct[idx] = p
        bad[idx] = failed
    return out, pct, bad


def _mostly_numbers(arr: np.ndarray) -> bool:
    """The column's first filled cells are nearly all numbers (a quick C-level parse suits it)."""
    sample = [v for v in arr[:256].tolist() if v != "" and v is not None][:64]
    numbers = sum(1 for v in sample if isinstance(v, (float, int)) and not isinstance(v, bool))
    return bool(sample) and numbers >= 0.9 * len(sample)


def _percent(out: np.ndarray, pct: np.ndarray, kind: FieldKind, bad: np.ndarray) -> Coerced:
    notes: list[str] = []
    if kind == "percent":
        plain = ~pct & ~np.isnan(out)
        if plain.any():
            magnitude = np.abs(out[plain])
            if (magnitude > 1.0).any() and (magnitude <= 100.0).all():
                out[plain] = out[plain] / 100.0
                notes.append("numbers read as percentages (35 means 35%)")
    return Coerced(pd.Series(out, dtype="float64"), bad, notes, pct)
