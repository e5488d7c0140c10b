"""Dates as workbooks and planners write them: Excel serials (1900 and 1904 systems), date cells, text."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tierdesk.io.cells import BLANK_WORDS, Coerced, split_cells

_TIME_SUFFIX = (
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp]\.?[Mm]\.?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)$"
)
_MONTH_FORMATS = (
    "%b %d %Y", "%d %b %Y", "%B %d %Y", "%d %B %Y", "%d-%b-%Y", "%d-%b-%y", "%b-%d-%Y", "%d %b %y",
    "%b %d %y", "%Y %b %d",
)  # fmt: skip
_FIRST_DAY = pd.Timestamp("1900-01-01")
_LAST_DAY = pd.Timestamp("2200-12-31")


def serial_dates(numbers: np.ndarray, date1904: bool = False) -> np.ndarray:
    """Excel date serials (and yyyymmdd numbers) -> datetime64[ns]; NaT where it is not a date.

    1900 system: serial 1 is 1900-01-01 and Excel's phantom 1900-02-29 (serial 60) reads as 1900-02-28.
    """
    v = np.asarray(numbers, dtype=np.float64)
    out = np.full(len(v), np.datetime64("NaT"), dtype="datetime64[ns]")
    with np.errstate(invalid="ignore"):
        finite = np.isfinite(v)
        days = np.floor(np.where(finite, v, 0)).astype(np.int64)
        ymd = finite & (v >= 19000101) & (v <= 22001231) & (v == days)
        serial = finite & ~ymd & (v >= (0 if date1904 else 1)) & (v < 109_575)
    if serial.any():
        d = days[serial]
        if date1904:
            out[serial] = (np.datetime64("1904-01-01", "D") + d).astype("datetime64[ns]")
        else:
            base = np.where(
                d < 60, np.datetime64("1899-12-31", "D") + d, np.datetime64("1899-12-30", "D") + d
            )
            base = np.where(d == 60, np.datetime64("1900-02-28", "D"), base)
            out[serial] = base.astype("datetime64[ns]")
    if ymd.any():
        text = pd.Series(days[ymd]).astype(str)
        out[ymd] = pd.to_datetime(text, format="%Y%m%d", errors="coerce").to_numpy(dtype="datetime64[ns]")
    return out


def parse_dates(texts: pd.Series) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Dates written as text: ISO, 31/12/2024, 12/31/2024, 31.12.2024, Dec 31 2024, 31-Dec-24, serials.

    Returns datetime64[ns] values, which cells were blank words, and notes on how ambiguous days were read.
    """
    t = texts.astype(object).str.strip().str.replace(r"\s+", " ", regex=True)
    n = len(t)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    blank = t.str.lower().isin(BLANK_WORDS).to_numpy(dtype=bool)
    notes: list[str] = []
    t = t.str.replace(_TIME_SUFFIX, "", regex=True)
    todo = ~blank

    ymd = t.str.extract(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
    hit = todo & ymd[0].notna().to_numpy(dtype=bool)
    if hit.any():
        out[hit] = _from_parts(ymd[0][hit], ymd[1][hit], ymd[2][hit])
        todo &= ~hit

    dmy = t.str.extract(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})$")
    hit = todo & dmy[0].notna().to_numpy(dtype=bool)
    if hit.any():
        a = dmy[0][hit].astype(int).to_numpy()
        b = dmy[2][hit].astype(int).to_numpy()
        dotted = (dmy[1][hit] == ".").to_numpy(dtype=bool)
        years = dmy[3][hit].astype(int).to_numpy()
        years = np.where(years < 100, np.where(years < 70, 2000 + years, 1900 + years), years)
        month_first = bool((b[~dotted] > 12).any()) and not bool((a[~dotted] > 12).any())
        ambiguous = ~dotted & (a <= 12) & (b <= 12)
        mdy = ~dotted & ((b > 12) | (ambiguous & month_first))
        if ambiguous.any() and not (a[~dotted] > 12).any() and not month_first:
            notes.append("dates like 03/04/2024 read as day/month/year")
        elif ambiguous.any() and month_first:
            notes.append("dates like 03/04/2024 read as month/day/year")
        day = np.where(mdy, b, a)
        month = np.where(mdy, a, b)
        out[hit] = _from_parts(pd.Series(years), pd.Series(month), pd.Series(day))
        todo &= ~hit

    serial = todo & t.str.fullmatch(r"\d{5}(\.\d+)?|\d{8}").to_numpy(dtype=bool, na_value=False)
    if serial.any():
        out[serial] = serial_dates(pd.to_numeric(t[serial], errors="coerce").to_numpy(dtype=np.float64))
        todo &= ~serial

    if todo.any():
        words = (
            t[todo]
            .str.replace(",", " ", regex=False)
            .str.replace(r"(\d)(st|nd|rd|th)\b", r"\1", regex=True)
            .str.replace(r"^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.? ", "", regex=True, case=False)
            .str.replace(r"\s+", " ", regex=True)
            .str.strip()
        )
        idx = np.flatnonzero(todo)
        found = np.full(len(idx), np.datetime64("NaT"), dtype="datetime64[ns]")
        left = np.ones(len(idx), dtype=bool)
        for fmt in _MONTH_FORMATS:
            if not left.any():
                break
            parsed = pd.to_datetime(words[left], format=fmt, errors="coerce").to_numpy(dtype="datetime64[ns]")
            found[np.flatnonzero(left)] = parsed
            left &= np.isnat(found)
        out[idx] = found
    return out, blank, notes


def _from_parts(years: pd.Series, months: pd.Series, days: pd.Series) -> np.ndarray:
    frame = pd.DataFrame(
        {
            "year": years.astype(int).to_numpy(),
            "month": months.astype(int).to_numpy(),
            "day": days.astype(int).to_numpy(),
        }
    )
    return pd.to_datetime(frame, errors="coerce").to_numpy(dtype="datetime64[ns]")


def to_dates(values: np.ndarray | pd.Series, date1904: bool = False) -> Coerced:
    """date -> datetime64[ns]; blank is 'no purchase' (NaT, not a problem)."""
    c = split_cells(values)
    out = np.full(len(c.arr), np.datetime64("NaT"), dtype="datetime64[ns]")
    bad = c.is_bool | ~(c.is_str | c.is_num | c.is_bool | c.is_date | c.is_blank)
    notes: list[str] = []
    if c.is_date.any():
        out[c.is_date] = pd.to_datetime(pd.Series(c.arr[c.is_date]), errors="coerce").to_numpy(
            dtype="datetime64[ns]"
        )
    if c.is_num.any():
        out[c.is_num] = serial_dates(c.arr[c.is_num].astype(np.float64), date1904)
        bad |= c.is_num & np.isnat(out)
    if c.is_str.any():
        idx = np.flatnonzero(c.is_str)
        parsed, blank, notes = parse_dates(pd.Series(c.arr[idx], dtype=object))
        out[idx] = parsed
        bad[idx] = ~blank & np.isnat(parsed)
    with np.errstate(invalid="ignore"):
        outside = ~np.isnat(out) & ((out < _FIRST_DAY.to_datetime64()) | (out > _LAST_DAY.to_datetime64()))
    if outside.any():
        out[outside] = np.datetime64("NaT")
        bad |= outside
    return Coerced(pd.Series(out, dtype="datetime64[ns]"), bad, notes)
