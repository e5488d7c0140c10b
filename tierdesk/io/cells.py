"""A raw column's cells sorted by kind (text, number, date, flag, blank) and the result of coercing it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: Text that means "no value" in a number, date or flag column (compared lower-case).
BLANK_WORDS = frozenset(
    {"", "-", "--", "–", "—", "n/a", "na", "#n/a", "null", "none", "nan", "nil", "#null!"}
)
#: numpy's variable-width text, for string work done in C.
TEXT = np.dtypes.StringDType() if hasattr(np.dtypes, "StringDType") else np.dtype(np.str_)
#: numpy's string functions (np.strings from numpy 2, np.char before).
STRINGS = getattr(np, "strings", np.char)
PLAIN_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")

_TYPE_CODES: dict[type, int] = {
    type(None): 0, type(pd.NA): 0, type(pd.NaT): 0, str: 1, float: 2, int: 2, np.float64: 2, np.int64: 2,
    bool: 3, np.bool_: 3, dt.datetime: 4, dt.date: 4, pd.Timestamp: 4,
}  # fmt: skip
#: str.strip over an object array of texts, as a C-level loop.
STRIP = np.frompyfunc(str.strip, 1, 1)
TYPE_CODE = np.frompyfunc(lambda v: _TYPE_CODES.get(type(v), 9), 1, 1)


@dataclass
class Coerced:
    """A coerced column: values in the canonical dtype, the cells that could not be read, notes on it."""

    values: pd.Series
    bad: np.ndarray
    notes: list[str] = field(default_factory=list)
    #: Number cells written as percentages ('35%').
    pct: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))


@dataclass
class Cells:
    """A raw column split by the Python type of its cells."""

    arr: np.ndarray
    is_str: np.ndarray
    is_num: np.ndarray
    is_bool: np.ndarray
    is_date: np.ndarray
    is_blank: np.ndarray


def split_cells(values: np.ndarray | pd.Series) -> Cells:
    """Which cells are text, numbers, flags, dates or blank ('' and None are blank)."""
    arr = np.asarray(values, dtype=object)
    n = len(arr)
    no = np.zeros(n, dtype=bool)
    blank = arr == "" if n else no
    filled = ~blank
    kind = pd.api.types.infer_dtype(arr[filled] if blank.any() else arr, skipna=False) if n else "empty"
    if kind == "empty":
        return Cells(arr, no, no, no, no, blank | filled)
    if kind == "string":
        return Cells(arr, filled, no, no, no, blank)
    if kind in ("floating", "integer", "mixed-integer-float"):
        nan = _nan(arr, filled)
        return Cells(arr, no, filled & ~nan, no, no, blank | nan)
    if kind in ("date", "datetime"):
        return Cells(arr, no, no, no, filled, blank)
    if kind == "boolean":
        return Cells(arr, no, no, filled, no, blank)
    codes = TYPE_CODE(arr).astype(np.int8)
    is_num = (codes == 2) & filled
    nan = _nan(arr, is_num)
    blank = blank | (codes == 0) | nan
    return Cells(arr, (codes == 1) & filled, is_num & ~nan, codes == 3, codes == 4, blank)


def _nan(arr: np.ndarray, numbers: np.ndarray) -> np.ndarray:
    """Which of the number cells are NaN (a missing value, not a number)."""
    nan = np.zeros(len(arr), dtype=bool)
    if numbers.any():
        with np.errstate(invalid="ignore"):
            nan[numbers] = np.isnan(arr[numbers].astype(np.float64))
    return nan


def stripped(arr: np.ndarray, mask: np.ndarray) -> pd.Series:
    """The text cells picked by `mask`, without surrounding spaces."""
    return pd.Series(STRIP(arr[mask]), dtype=object)
