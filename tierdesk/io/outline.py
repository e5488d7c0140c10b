"""Tables laid out as outlines. Accounting packages list a customer's jobs under it and close them with
'Total <customer>' (the jobs are rolled up to the customer, the subtotal left out); pivot tables pasted as
values show a group's label only on its first row (filled down) and close groups with '<group> Total'."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tierdesk.io.amounts import to_numbers
from tierdesk.io.dates import to_dates
from tierdesk.io.mapping import ORDER_NUMBER_HEADERS, normalise

_NUMBER_LIKE = re.compile(r"^[\s$€£(+-]*\d[\d\s.,%')kKmMbBnN]*$")
_TOTAL_FIRST = re.compile(
    r"^(?:total|totals|gesamt|summe|somme|suma)(?:\s+(?:for|of|für|de|del|pour))?\s+(.+)$", re.IGNORECASE
)
_TOTAL_LAST = re.compile(r"^(.+?)\s+(?:total|totals|gesamt|ergebnis|summe)$", re.IGNORECASE)
#: An outline column lists a group at its first row only: at least this share of its cells are blank.
FILL_DOWN_BLANK_SHARE = 0.3
#: Leading columns looked at for outline labels.
LABEL_COLUMNS = 6


@dataclass
class Outline:
    """A table after its outline was resolved, and what was done, in words (for the import report)."""

    data: np.ndarray
    rows: np.ndarray
    headers: list[str]
    notes: list[tuple[str, list[int]]] = field(default_factory=list)


def _numeric(data: np.ndarray) -> np.ndarray:
    """Which cells hold a figure (a number, or text that reads as one)."""
    out = np.zeros(data.shape, dtype=bool)
    for j in range(data.shape[1]):
        col = data[:, j]
        nums = np.fromiter(
            (isinstance(v, (int, float)) and not isinstance(v, bool) and v == v for v in col), bool, len(col)
        )
        texts = np.fromiter((isinstance(v, str) and v != "" for v in col), bool, len(col))
        if texts.any():
            idx = np.flatnonzero(texts)
            texts_at = pd.Series(col[idx], dtype=object).str.strip()
            nums[idx] = texts_at.str.fullmatch(_NUMBER_LIKE).to_numpy(dtype=bool)
        out[:, j] = nums
    return out


def rows_text(rows: list[int]) -> str:
    """'row 5' or 'rows 5, 9, 12' (at most eight shown)."""
    shown = ", ".join(str(r) for r in rows[:8]) + (f", … ({len(rows):,} rows)" if len(rows) > 8 else "")
    return f"row {shown}" if len(rows) == 1 else f"rows {shown}"


def single_cell_rows(data: np.ndarray) -> np.ndarray:
    """Indices of the rows with exactly one filled cell (checked column by column on the rows left)."""
    count = (data[:, 0] != "").astype(np.int64)
    if data.shape[1] > 1:
        count += data[:, 1] != ""
    left = np.flatnonzero(count <= 1)
    for j in range(2, data.shape[1]):
        count[left] += data[left, j] != ""
        left = left[count[left] <= 1]
        if not len(left):
            break
    return left[count[left] == 1]


def _labels(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's first filled cell among the leading columns (as text) and the column it is in (-1: none)."""
    n = len(data)
    labels = np.full(n, "", dtype=object)
    where = np.full(n, -1, dtype=np.int64)
    for j in range(min(LABEL_COLUMNS, data.shape[1])):
        todo = np.flatnonzero(where < 0)
        if not len(todo):
            break
        cells = data[todo, j]
        hit = cells != ""
        labels[todo[hit]] = cells[hit]
        where[todo[hit]] = j
    texts = pd.Series(labels, dtype=object)
    is_text = np.fromiter((isinstance(v, str) for v in labels), bool, len(labels))
    labels[~is_text] = texts[~is_text].astype(str).to_numpy(dtype=object)
    labels[is_text] = texts[is_text].str.strip().to_numpy(dtype=object)
    return labels, where


def _total_of(label: str) -> str | None:
    found = _TOTAL_FIRST.match(label) or _TOTAL_LAST.match(label)
    return found.group(1).strip().casefold() if found else None


def customer_jobs(data: np.ndarray, rows: np.ndarray, headers: list[str]) -> Outline:
    """Roll each customer's jobs up to the customer: a row with a name and no figures opens a group, the
    rows under it are its jobs, and 'Total <name>' closes it (that subtotal is left out). A row whose name
    merely starts with 'Total' and that closes no group is an ordinary row."""
    outline = Outline(data, rows, headers)
    if len(data) < 3 or data.shape[1] < 2 or not len(single_cell_rows(data)):
        return outline
    labels, where = _labels(data)
    texts = pd.Series(labels, dtype=object)
    candidates = (texts.str.match(_TOTAL_FIRST) | texts.str.match(_TOTAL_LAST)).to_numpy(dtype=bool)
    if not candidates.any():
        return outline
    numeric = _numeric(data)
    figures = numeric.any(axis=1)
    filled = (data != "").sum(axis=1)
    opens = (where >= 0) & ~figures & (filled == 1) & ~candidates
    stack: list[int] = []
    groups: list[tuple[int, int]] = []  # (opening row, closing row), outermost only
    inner: list[int] = []
    for i in range(len(data)):
        if opens[i]:
            stack.append(i)
            continue
        name = _total_of(labels[i]) if candidates[i] else None
        if name is None or not stack:
            continue
        match = next((k for k in range(len(stack) - 1, -1, -1) if labels[stack[k]].casefold() == name), None)
        if match is None:
            continue
        if match == 0:
            groups.append((stack[0], i))
        else:
            inner.extend([stack[match], i])
        del stack[match:]
    if not groups:
        return outline
    return _roll_up_jobs(outline, groups, set(inner), labels, where, numeric)


def _roll_up_jobs(
    outline: Outline,
    groups: list[tuple[int, int]],
    inner: set[int],
    labels: np.ndarray,
    where: np.ndarray,
    numeric: np.ndarray,
) -> Outline:
    data, rows = outline.data, outline.rows
    keep = np.ones(len(data), dtype=bool)
    jobs_column = np.full(len(data), "", dtype=object)
    blank_headers = {j for j, h in enumerate(outline.headers) if h.startswith("Column ")}
    closing: list[int] = []
    mismatched: list[int] = []
    dates: dict[int, np.ndarray] = {}
    out = data.copy()
    for start, end in groups:
        members = [i for i in range(start + 1, end) if i not in inner and numeric[i].any()]
        keep[start + 1 : end + 1] = False
        closing.append(int(rows[end]))
        if not members:
            continue
        block = data[members]
        row = data[start].copy()
        label_columns = {
            int(where[i]) for i in members if where[i] in blank_headers or where[i] == where[start]
        }
        for j in range(data.shape[1]):
            if j in label_columns:
                continue
            how = _how(outline.headers[j], block[:, j], numeric[members, j])
            if how == "sum":
                values = to_numbers(block[:, j], "money").values.to_numpy(dtype=np.float64)
                row[j] = float(np.nansum(values))
                subtotal = to_numbers(data[end : end + 1, j], "money").values.iloc[0]
                if numeric[end, j] and abs(subtotal - row[j]) > max(0.01, 1e-6 * abs(subtotal)):
                    mismatched.append(int(rows[end]))
            elif how == "mean":
                values = to_numbers(block[:, j], "money").values.to_numpy(dtype=np.float64)
                row[j] = float(np.nanmean(values)) if not np.isnan(values).all() else ""
            elif how == "latest":
                if j not in dates:
                    dates[j] = to_dates(data[:, j]).values.to_numpy()  # the column's date order, judged whole
                stamps = dates[j][members]
                if not np.isnat(stamps).all():
                    row[j] = block[int(np.nanargmax(stamps.astype("datetime64[ns]").astype(np.int64)
                                                    .astype(np.float64))), j]  # fmt: skip
            elif _names_the_group(block[:, j], labels[start]):
                row[j] = labels[start]
            elif row[j] == "":
                filled = [v for v in block[:, j] if v != ""]
                row[j] = (filled[-1] if how == "last" else filled[0]) if filled else ""
        out[start] = row
        if all(where[i] in blank_headers or where[i] == where[start] for i in members):
            jobs_column[start] = "; ".join(dict.fromkeys(labels[i] for i in members))
    who = (
        "1 customer lists its jobs under it"
        if len(groups) == 1
        else (f"{len(groups):,} customers list their jobs under them")
    )
    outline.notes.append(
        (f"{who}, closed by a 'Total …' row ({rows_text(closing)}): the jobs are rolled up into the customer "
         "and the subtotal rows are left out", closing)
    )  # fmt: skip
    if mismatched:
        found = sorted(set(mismatched))
        outline.notes.append(
            (f"The subtotal on {rows_text(found)} does not equal the sum of its jobs; the jobs' sum is used",
             found)
        )  # fmt: skip
    outline.data = out[keep]
    outline.rows = rows[keep]
    if (jobs_column != "").any():
        name = "Jobs" if "Jobs" not in outline.headers else "Jobs (rolled up)"
        outline.data = np.column_stack([outline.data, jobs_column[keep]])
        outline.headers = [*outline.headers, name]
    return outline


def _names_the_group(cells: np.ndarray, label: str) -> bool:
    """The jobs name their customer: 'Abercrombie, Kristy:Family Room' under 'Abercrombie, Kristy'."""
    filled = [str(v).strip() for v in cells if v != ""]
    return bool(filled) and all(v == label or v.startswith(label + ":") for v in filled)


_KEPT_FIRST = frozenset({"num", "no", "number", "ref", "refno", "docnum", "docno", "type", "memo"})
_KEPT_LAST = frozenset({"balance", "runningbalance", "saldo", "solde"})


def _how(header: str, cells: np.ndarray, numeric: np.ndarray) -> str:
    """How a job column rolls up into its customer: figures summed, dates to the latest, invoice numbers and
    running balances not summed (first, last)."""
    key = normalise(header)
    if key in _KEPT_LAST:
        return "last"
    if key in _KEPT_FIRST or key in ORDER_NUMBER_HEADERS:
        return "first"
    if numeric.any():
        return "mean" if any(w in key for w in ("price", "rate", "preis", "prix", "precio")) else "sum"
    filled = [v for v in cells if v != ""]
    if filled and not to_dates(np.array(filled, dtype=object)).bad.any():
        return "latest"
    return "first"


def fill_down(data: np.ndarray, rows: np.ndarray, headers: list[str]) -> Outline:
    """Fill down the leading columns that show a group's label only on its first row (a pivot table pasted
    as values), and leave out the '<group> Total' rows that close such groups."""
    outline = Outline(data, rows, headers)
    n = len(data)
    if n < 3:
        return outline
    if not (data[:, 0] == "").any():
        return outline
    totals = np.zeros(n, dtype=bool)
    for j in range(min(LABEL_COLUMNS, data.shape[1] - 1)):
        labels = pd.Series([v if isinstance(v, str) else "" for v in data[:, j]], dtype=object)
        totals |= (labels.str.match(_TOTAL_FIRST) | labels.str.match(_TOTAL_LAST)).to_numpy(dtype=bool)
    body = data[~totals]
    run = 0
    while run < min(LABEL_COLUMNS, data.shape[1] - 1):
        blank = body[:, run] == ""
        if not blank.any() or not _outline_column(body, run, blank):
            break
        run += 1
    if run == 0 or (body[:, run] == "").any():
        return outline  # the labels inside the innermost group are on every row but the totals
    out = data.copy()
    for j in range(run):
        blank = out[:, j] == ""
        index = np.maximum.accumulate(np.where(blank, 0, np.arange(len(out))))
        groups = int((body[:, j] != "").sum())
        out[:, j] = out[index, j]
        outline.notes.append(
            (f"'{headers[j]}' shows each group only on its first row (a pivot table's layout): filled down "
             f"to the {int(blank.sum()):,} rows below ({groups:,} groups)", []),
        )  # fmt: skip
        subtotal = _subtotal_rows(out, data, j)
        if subtotal.any():
            found = rows[subtotal].tolist()
            outline.notes.append(
                (f"{rows_text(found).capitalize()} close a group of '{headers[j]}' ('… Total'): subtotals, "
                 "left out", found)
            )  # fmt: skip
            out, data, rows = out[~subtotal], data[~subtotal], rows[~subtotal]
    outline.data, outline.rows = out, rows
    return outline


def _outline_column(data: np.ndarray, j: int, blank: np.ndarray) -> bool:
    """A column of group labels: its first cell filled, many blanks, each blank row filled further right,
    texts only, and no label repeated on consecutive filled cells (each marks where a group starts)."""
    if blank[0] or blank.mean() < FILL_DOWN_BLANK_SHARE:
        return False
    labels = data[~blank, j]
    if not all(isinstance(v, str) and not _NUMBER_LIKE.match(v) for v in labels):
        return False
    if len(labels) < 2 or any(a == b for a, b in itertools.pairwise(labels)):
        return False
    right = data[blank][:, j + 1 :]
    return bool((right != "").any(axis=1).all())


def _subtotal_rows(filled: np.ndarray, original: np.ndarray, j: int) -> np.ndarray:
    """Rows whose label in column j reads '<group> Total' for a group of that column, with nothing in the
    label columns to its right."""
    groups = {str(v).casefold() for v in filled[:, j] if isinstance(v, str)}
    found = np.zeros(len(filled), dtype=bool)
    for i, value in enumerate(original[:, j]):
        if isinstance(value, str) and value:
            name = _total_of(value.strip())
            if name is not None and name in groups:
                rest = original[i, j + 1 : j + 2]
                found[i] = bool((rest == "").all())
    return found


_GRAND_TOTALS = frozenset(
    {"grand total", "total", "totals", "gesamtergebnis", "total general", "total général"}
)


def compact_groups(data: np.ndarray, rows: np.ndarray, headers: list[str]) -> Outline:
    """A pivot table in compact form pasted as values: group rows ('East') and their items share one label
    column, and each group row's figure is the sum of the items under it. The group rows are left out and
    their names kept in a 'Group' column."""
    outline = Outline(data, rows, headers)
    n = len(data)
    if n < 4 or data.shape[1] < 2:
        return outline
    labels = data[:, 0]
    if not all(isinstance(v, str) and v.strip() and not _NUMBER_LIKE.match(v) for v in labels[: min(n, 50)]):
        return outline
    head = to_numbers(data[: min(n, 50), 1], "money")
    if head.bad.any() or head.values.isna().all():
        return outline
    figures = to_numbers(data[:, 1], "money").values.to_numpy(dtype=np.float64)
    if len(figures) > 1 and 0 <= figures[0] < figures[1]:
        return outline  # a group row is never smaller than its first item (figures not negative)
    texts = pd.Series([v if isinstance(v, str) else "" for v in labels], dtype=object)
    plain = texts.str.strip().str.casefold()
    totals = np.array(
        texts.str.match(_TOTAL_FIRST) | texts.str.match(_TOTAL_LAST) | plain.isin(_GRAND_TOTALS), dtype=bool
    )
    body = np.flatnonzero(~totals)
    groups = _partition(figures[body])
    if groups is None or len(groups) < 2 or sum(end - start > 2 for start, end in groups) < 0.5 * len(groups):
        return outline  # most groups hold several rows; pairs of equal figures are no outline
    keep = np.ones(n, dtype=bool)
    group_column = np.full(n, "", dtype=object)
    for start, end in groups:
        head = body[start]
        keep[head] = False
        group_column[body[start + 1 : end]] = str(labels[head]).strip()
    outline.notes.append(
        (f"'{headers[0]}' is a pivot table's outline: {len(groups):,} group rows, each the sum of the rows "
         "under it, are left out and their names kept in a 'Group' column", rows[~keep].tolist())
    )  # fmt: skip
    name = "Group" if "Group" not in headers else "Group (pivot)"
    outline.data = np.column_stack([data[keep], group_column[keep]])
    outline.rows, outline.headers = rows[keep], [*headers, name]
    return outline


def _partition(values: np.ndarray) -> list[tuple[int, int]] | None:
    """Split the rows into groups [start, end) whose first row is the sum of the others; None if they
    do not split so."""
    groups: list[tuple[int, int]] = []
    i, n = 0, len(values)
    while i < n:
        target, total, j = values[i], 0.0, i + 1
        if np.isnan(target):
            return None
        while j < n and not np.isclose(total, target, rtol=1e-9, atol=0.005):
            if np.isnan(values[j]) or (values[j] >= 0 and total > target + 0.005 and target >= 0):
                return None
            total += values[j]
            j += 1
        if j == i + 1 or not np.isclose(total, target, rtol=1e-9, atol=0.005):
            return None
        groups.append((i, j))
        i = j
    return groups
