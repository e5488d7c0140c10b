"""A column's first values as a person reads them, for the mapping step: 731.94 (not 731.9399999999999),
12,345 for an amount, 42420 for a postal code or 1996 for a year, 2003-02-24 for a date at midnight."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from tierdesk.io.cells import split_cells
from tierdesk.io.coerce import CODE_WORDS, to_text

#: headers of codes and numbered things (ORDERNUMBER, POSTALCODE, invoice no.): figures without separators
NUMBERED = re.compile(
    r"(?i)(number|code|zip|postal|phone|fax|year|sku|ean|upc|duns|vat|num$|(^|[^a-z])(no|nr|nbr)\.?$|#)"
)
#: a number written as plain text in a CSV (no leading zero, no separators): 32370, -12.5
PLAIN_TEXT_NUMBER = re.compile(r"^-?(0|[1-9]\d*)(\.\d+)?$")
#: text dates with a midnight time ("2/24/2003 0:00", "2024-12-31 00:00:00"): the time says nothing
MIDNIGHT = re.compile(r"^(\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4})[ T]0?0:00(:00(\.0+)?)?$")
TOO_LONG = 24


def _number_texts(values: np.ndarray, plain: bool) -> list[str]:
    """Up to 15 significant digits, as Excel shows them; thousands separators unless `plain`."""
    out = []
    for v in values.tolist():
        text = f"{v:.15g}"
        if "e" in text or "inf" in text or "nan" in text or plain:
            out.append(text)
        else:
            whole, _, frac = text.partition(".")
            out.append(f"{int(whole):,}" + (f".{frac}" if frac else "") if whole != "-0" else text)
    return out


def _plain_numbers(header: str, numbers: np.ndarray) -> bool:
    """Codes, numbered things and years read without thousands separators."""
    if CODE_WORDS.search(header) or NUMBERED.search(header):
        return True
    whole = numbers == np.floor(numbers)
    return bool(len(numbers)) and bool(whole.all()) and bool(((numbers >= 1800) & (numbers <= 2100)).all())


def sample_texts(values: pd.Series | np.ndarray, header: str = "", count: int = 4) -> list[str]:
    """The first `count` filled values of a raw column, each as a person would read it."""
    head = np.asarray(values, dtype=object)[: count * 8]
    cells = split_cells(head)
    texts = to_text(head).astype(object).to_numpy(copy=True)
    texts[pd.isna(texts)] = None
    numeric = cells.is_num.copy()
    if cells.is_str.any():  # a CSV's numbers are text
        stripped = pd.Series(texts[cells.is_str], dtype="string").str.strip()
        numeric[cells.is_str] = stripped.str.fullmatch(PLAIN_TEXT_NUMBER.pattern).fillna(False).to_numpy(bool)
    if numeric.any():
        numbers = pd.to_numeric(pd.Series(head[numeric]), errors="coerce").to_numpy(np.float64)
        texts[numeric] = _number_texts(numbers, _plain_numbers(header, numbers))
    shown = []
    for text in texts.tolist():
        if text is None or not str(text).strip():
            continue
        text = str(text).strip()
        text = MIDNIGHT.sub(r"\1", text)
        shown.append(text if len(text) <= TOO_LONG else text[: TOO_LONG - 1] + "…")
        if len(shown) == count:
            break
    return shown
