"""Find the header row under titles and leftover generic headers, name the columns, spot totals rows."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from tierdesk.io.mapping import SYNONYM_INDEX, base_header, normalise
from tierdesk.io.scan import column_letters
from tierdesk.io.words import NOTE_STARTS, is_sentence, plain

#: How many filled rows from the top may hold the header.
HEADER_SEARCH_ROWS = 30

_GENERIC = re.compile(
    r"^(column|columna|colonne|colonna|coluna|spalte|kolumne|col|field|feld|campo|champ|f|unnamed|untitled"
    r"|header|sheet)\d+$"
)
_NUMBER_LIKE = re.compile(r"^[\s$€£(+-]*\d[\d\s.,%')kKmMbBnN]*$")
TOTAL_LABELS = frozenset(
    {
        "total",
        "totals",
        "grand total",
        "grandtotal",
        "sub total",
        "subtotal",
        "sub-total",
        "sum",
        "summe",
        "gesamt",
        "gesamtsumme",
        "gesamtergebnis",
        "total general",
        "totaal",
        "totale",
        "somme",
        "total général",
        "overall total",
        "total result",
        "result",
        "suma total",
        "total geral",
        "totalsumme",
        "summe gesamt",
    }
)

#: How totals labels are written: Total, TOTAL, total, Total:, TOTAL: ...
_TOTAL_SPELLINGS = frozenset(
    f"{cased}{end}"
    for label in TOTAL_LABELS
    for cased in (label, label.upper(), label.title(), label.capitalize())
    for end in ("", ":", ".", " :", " ")
)


def is_blank_cell(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value != value


def row_score(cells: np.ndarray, below: np.ndarray | None, width: int) -> float:
    """How much a row looks like a header: distinct words naming known fields, no numbers, data below."""
    texts: list[str] = []
    numbers = 0
    for value in cells:
        if isinstance(value, str):
            text = value.strip()
            if not text:
                continue
            if _NUMBER_LIKE.match(text):
                numbers += 1
            else:
                texts.append(text)
        elif value is not None and value == value and not isinstance(value, bool):
            numbers += 1
    filled = len(texts) + numbers
    if filled == 0:
        return float("-inf")
    keys = [normalise(base_header(t)) for t in texts]
    matches = sum(1 for k in set(keys) if k in SYNONYM_INDEX)
    generic = sum(1 for k in keys if _GENERIC.match(k))
    score = float(len(set(keys)) + 3 * matches - 2 * generic - 2 * numbers)
    if filled == 1 and width > 1:
        score -= 3
    if below is not None:
        below_filled = sum(1 for v in below if not is_blank_cell(v))
        score += 1 if below_filled >= max(1, filled // 2) else -2
    else:
        score -= 2
    return score


def find_header(grid: np.ndarray) -> int:
    """Index (into the grid's rows) of the row that best looks like the header; 0 for an empty grid."""
    if len(grid) == 0:
        return 0
    top = min(len(grid), HEADER_SEARCH_ROWS)
    width = grid.shape[1]
    best, best_score = 0, float("-inf")
    for i in range(top):
        below = grid[i + 1] if i + 1 < len(grid) else None
        score = row_score(grid[i], below, width)
        if score > best_score:
            best, best_score = i, score
    if best + 1 < len(grid) and any(
        isinstance(v, str) and v.strip().lower() in _COLUMN_LABELS for v in grid[best]
    ):
        return best + 1  # a pivot table's 'Column Labels' row: the names of the columns are on the next row
    return best


#: What a pivot table writes above its column items (the real header is the row below).
_COLUMN_LABELS = frozenset(
    {"column labels", "spaltenbeschriftungen", "étiquettes de colonnes", "etiquetas de columna"}
)


def header_text(value: object) -> str:
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is None or value != value:
        return ""
    return str(value)


def header_names(cells: np.ndarray, first_column: int) -> tuple[list[str], list[str], list[str | None]]:
    """Unique column names: blank ones become 'Column C', repeats 'Name (2)'; their Excel letters; and per
    column a note on how it was named, or None."""
    letters = [column_letters(first_column + j) for j in range(len(cells))]
    names: list[str] = []
    notes: list[str | None] = []
    taken: set[str] = set()
    last: dict[str, int] = {}  # the number last given to a repeated name: thousands of repeats stay linear
    for value, letter in zip(cells, letters, strict=True):
        name = header_text(value)
        note = None
        if not name:
            name = f"Column {letter}"
            note = f"Column {letter} has no header; it is called '{name}'."
        base, n = name, last.get(name, 1)
        while name in taken:
            n += 1
            name = f"{base} ({n})"
        last[base] = n
        if n > 1:
            note = f"Another column is also called '{base}'; column {letter} is called '{name}'."
        taken.add(name)
        names.append(name)
        notes.append(note)
    return names, letters, notes


def totals_rows(data: np.ndarray) -> np.ndarray:
    """Rows that are totals, not accounts: labelled 'Total', 'Grand Total', 'Sum'... in their first filled
    cell, or a last row without text whose numbers equal the sums of the columns above."""
    n = len(data)
    found = np.zeros(n, dtype=bool)
    if n == 0:
        return found
    first = data[:, 0].copy()
    for j in range(1, min(6, data.shape[1])):
        empty = np.flatnonzero(first == "")
        if not len(empty):
            break
        first[empty] = data[empty, j]
    labelled = pd.Series(first, dtype=object).isin(_TOTAL_SPELLINGS).to_numpy(dtype=bool)
    for i in np.flatnonzero(labelled):
        other_text = sum(1 for v in data[i] if isinstance(v, str) and v.strip() and not _NUMBER_LIKE.match(v))
        found[i] = other_text <= 2
    if n >= 3 and not found[-1] and _sums_above(data):
        found[-1] = True
    return found


def _number(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value) if value == value else None
    if isinstance(value, str) and _NUMBER_LIKE.match(value.strip()):
        parsed = pd.to_numeric(pd.Series([value.strip().replace(",", "")]), errors="coerce").iloc[0]
        return None if pd.isna(parsed) else float(parsed)
    return None


def _sums_above(data: np.ndarray) -> bool:
    """The last row has no text, and each of its numbers is the sum of the numbers above it."""
    last = data[-1]
    numbers = {j: _number(v) for j, v in enumerate(last) if not is_blank_cell(v)}
    if not numbers or any(v is None for v in numbers.values()):
        return False
    matched = 0
    for j, value in numbers.items():
        column = pd.Series(data[:-1, j])
        if pd.api.types.infer_dtype(column, skipna=True) in ("string", "mixed"):
            is_text = column.map(lambda v: isinstance(v, str))
            column = column.where(~is_text, column.astype(str).str.replace(",", "", regex=False))
        above = pd.to_numeric(column, errors="coerce")
        if above.notna().sum() < 2:
            continue
        total = float(above.sum())
        if value is None or abs(total - value) > max(0.01, 1e-6 * abs(total)):
            return False
        matched += 1
    return matched > 0


def note_rows(data: np.ndarray) -> np.ndarray:
    """Rows at the bottom that are footnotes, not accounts: a sentence or two in one or two cells, no figures
    beside them ('*Rates the amount of competition…', 'Accrual Basis Monday, 10 July 2020 04:33 PM')."""
    n = len(data)
    found = np.zeros(n, dtype=bool)
    if n < 2:
        return found
    typical = float(np.median((data[-200:] != "").sum(axis=1)))
    for i in range(n - 1, 0, -1):
        cells = [v for v in data[i] if not is_blank_cell(v)]
        texts = [v.strip() for v in cells if isinstance(v, str) and not _NUMBER_LIKE.match(v.strip())]
        if not cells or len(texts) != len(cells) or len(cells) > 2:
            if _is_total_label(cells):
                continue
            break
        text = " ".join(texts)
        marked = text[:1] in "*†‡¹²³" or any(plain(text).startswith(s) for s in NOTE_STARTS)
        if marked or (typical >= 3 and len(cells) < typical and is_sentence(text)):
            found[i] = True
            continue
        break
    return found


def _is_total_label(cells: list[object]) -> bool:
    return bool(cells) and isinstance(cells[0], str) and cells[0].strip() in _TOTAL_SPELLINGS
