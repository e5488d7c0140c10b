"""Load a territory file as the account table: mapping applied, types coerced, every problem an Issue."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from tierdesk.domain.accounts import FIELD_BY_KEY, FIELD_KEYS, IDENTITY_FIELDS, dtype_for
from tierdesk.io.coerce import coerce_column, extra_columns
from tierdesk.io.errors import CancelFn, ProgressFn, ReadError, Steps
from tierdesk.io.header import header_text
from tierdesk.io.mapping import Guess, guess, mapping_problems
from tierdesk.io.reader import RawTable, read_table
from tierdesk.io.report import Issue, IssueLog, row_list, where
from tierdesk.io.rollup import (
    ORDER_LINE_REPEAT_SHARE,
    duplicate_ids,
    identity_key,
    looks_like_order_lines,
    roll_up,
)

Duplicates = Literal["keep_first", "merge", "keep_all"]

__all__ = [
    "LoadResult",
    "build_accounts",
    "duplicate_ids",
    "inspect_dict",
    "load_problems",
    "looks_like_order_lines",
    "open_territory",
    "plain_message",
    "reading_notes",
]

_NOT_READ = {
    "money": "is not an amount",
    "number": "is not a number",
    "percent": "is not a percentage",
    "date": "is not a date tierdesk can read (use e.g. 2024-12-31)",
}


@dataclass
class LoadResult:
    file: Path
    kind: str
    sheet: str | None
    header_row: int
    mapping: dict[str, str]
    accounts: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    rolled_up: bool = False
    source_rows: int = 0


def build_accounts(
    raw: RawTable,
    mapping: Mapping[str, str],
    *,
    rollup: bool | None = False,
    duplicates: Duplicates = "keep_first",
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    reasons: Guess | None = None,
) -> LoadResult:
    """The account table from a raw table and a mapping (canonical key -> header); `reasons` is the guess
    the mapping came from, whose decisions are told in the import report (computed when not given).

    `rollup=None` rolls up when the table looks like order lines (its accounts repeat a lot).

    Raises ReadError, with nothing loaded, when no column identifies an account or the mapping names
    columns the file does not have; every other problem becomes an Issue and loading goes on.
    """
    steps = Steps(progress, cancel)
    mapping = {k: h for k, h in mapping.items() if h}
    problems = load_problems(raw, mapping, reasons)
    if problems:
        raise ReadError(f"{where(raw.file, raw.sheet)}: " + " ".join(problems), file=raw.file)
    log = IssueLog(raw.file, raw.sheet)
    log.extend(raw.issues)
    n = len(raw.data)
    columns = _coerced(raw, mapping, steps, log)
    frame = pd.DataFrame(columns, index=pd.RangeIndex(n), copy=False)
    key = identity_key(mapping)
    assert key is not None
    _fill_identity(frame, mapping, raw, log)
    frame["source_row"] = raw.excel_rows.astype(np.int64)

    blank = frame[key].isna().to_numpy(dtype=bool)
    if blank.any():
        _report_blank(raw, mapping[key], FIELD_BY_KEY[key].label, blank, log)

    steps.report(0.65, "Keeping the other columns")
    extras = [h for h in raw.headers if h not in set(mapping.values())]
    names = [header if header not in frame.columns else f"{header} (source)" for header in extras]
    kept = dict(zip(names, extra_columns(raw.data[extras].to_numpy(dtype=object), extras), strict=True))
    extra_names = list(kept)
    if kept:  # joined at once: inserting thousands of columns one by one takes quadratic time
        frame = pd.concat([frame, pd.DataFrame(kept, index=frame.index, copy=False)], axis=1)
    if blank.any():
        frame = frame[~blank].reset_index(drop=True)

    steps.report(0.8, "Checking accounts")
    repeats = frame[key].duplicated().to_numpy(dtype=bool)
    told = IssueLog(raw.file, raw.sheet)  # the decisions come first in the report
    for note in decisions(raw, mapping, reasons or guess(raw.headers, raw.data), int((~repeats).sum())):
        told.add("info", note)
    log.items[:0] = told.items
    if rollup is None:
        rollup = len(frame) >= 10 and repeats.mean() >= ORDER_LINE_REPEAT_SHARE
    rolled = False
    if rollup:
        before = len(frame)
        derived = mapping.get("revenue", "").startswith("Line amount = ")  # its returns are told already
        returns = int((frame["revenue"] < 0).sum()) if "revenue" in frame.columns and not derived else 0
        frame, said = roll_up(frame, key, mapping, extra_names, raw)
        if returns:
            said += f"; {returns:,} lines with negative revenue (returns, credits) net off"
        rolled = True
        log.add(
            "info",
            f"Rolled up {before:,} order lines into {len(frame):,} accounts by '{mapping[key]}': {said}.",
        )
    elif repeats.any():
        frame = _handle_duplicates(frame, key, mapping, raw, log, duplicates)
    frame = _arrange(frame, extra_names)
    steps.report(1.0, "Accounts loaded")
    return LoadResult(
        raw.file, raw.kind, raw.sheet, raw.header_row, dict(mapping), frame, log.items, rolled, n
    )


def _coerced(raw: RawTable, mapping: Mapping[str, str], steps: Steps, log: IssueLog) -> dict[str, pd.Series]:
    """Each mapped column in its field's type; every cell that cannot be read is an issue."""
    columns: dict[str, pd.Series] = {}
    mapped = [k for k in FIELD_KEYS if k in mapping]
    for i, field_key in enumerate(mapped):
        steps.report(0.6 * i / max(len(mapped), 1), "Reading values")
        header = mapping[field_key]
        fld = FIELD_BY_KEY[field_key]
        values = raw.data[header].to_numpy(dtype=object)
        result = coerce_column(values, fld.kind, date1904=raw.date1904)
        columns[field_key] = result.values
        bad = np.flatnonzero(result.bad)
        if len(bad):
            texts = [
                f"'{_shown(values[j])}' {_NOT_READ.get(fld.kind, 'cannot be read')}; left blank."
                for j in bad[:1000]
            ]
            log.cells(
                "warning",
                raw.excel_rows[bad].tolist(),
                texts,
                column=header,
                label=raw.label(header),
                what="cells that cannot be read",
            )
        for note in result.notes:
            log.add("info", f"{fld.label}: {note}.", column=header, label=raw.label(header))
    return columns


def _report_blank(raw: RawTable, header: str, label: str, blank: np.ndarray, log: IssueLog) -> None:
    rows = raw.excel_rows[blank].tolist()
    log.cells(
        "warning",
        rows,
        [f"no {label}; row left out." for _ in rows[:1000]],
        column=header,
        label=raw.label(header),
        what=f"rows without {label}",
    )


def load_problems(raw: RawTable, mapping: Mapping[str, str], reasons: Guess | None = None) -> list[str]:
    """What keeps a mapping from loading this table; with no account column, the sentence that says which
    text columns the table has instead ('no column names or identifies accounts: the text columns are …')."""
    problems = mapping_problems(mapping, raw.headers)
    if identity_key(mapping) is None:
        refusal = (reasons or guess(raw.headers, raw.data)).refusal
        if refusal:
            problems = [refusal.rstrip(".") + ".", *problems[1:]]
    return problems


def reading_notes(raw: RawTable, mapping: Mapping[str, str] | None = None) -> list[str]:
    """How tierdesk read the table, as sentences for the mapping step: which column tells accounts apart
    and why, what was filled down or left out, which columns were added; or why no column holds accounts."""
    reasons = guess(raw.headers, raw.data)
    chosen = dict(reasons.mapping if mapping is None else mapping)
    notes = decisions(raw, chosen, reasons)
    if identity_key(chosen) is None and reasons.refusal:
        notes.insert(0, reasons.refusal[:1].upper() + reasons.refusal[1:].rstrip(".") + ".")
    notes.extend(plain_message(i.message, raw.file) for i in raw.issues if i.severity == "info")
    return notes


def plain_message(message: str, file: Path) -> str:
    """An issue's message without the place it starts with ('book.xlsx, sheet 'A', row 5: ')."""
    return message.split(": ", 1)[1] if message.startswith(file.name) and ": " in message else message


def decisions(
    raw: RawTable, mapping: Mapping[str, str], reasons: Guess, distinct: int | None = None
) -> list[str]:
    """How the table was read, in words: which column tells accounts apart and why, which column is the
    revenue, and what the guess decided on the way (a company over its contacts, net over gross)."""
    key = identity_key(mapping)
    if key is None:
        return []
    header = mapping[key]
    same = all(reasons.mapping.get(k) == mapping.get(k) for k in ("account_id", "account_name", "revenue"))
    if not same:
        why = ", as chosen in the column mapping"
    elif any(f"'{header}'" in note for note in reasons.notes):
        why = ""  # the note that follows says why
    else:
        why = ", as its header says"
    counted = f": {distinct:,} different values" if distinct is not None else ""
    told = [f"Accounts are told apart by '{header}' ({FIELD_BY_KEY[key].label}){why}{counted}."]
    if mapping.get("revenue"):
        told.append(f"Current Revenue is read from '{mapping['revenue']}'.")
    return told + reasons.notes if same else told


def _shown(value: object) -> str:
    text = header_text(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _fill_identity(frame: pd.DataFrame, mapping: Mapping[str, str], raw: RawTable, log: IssueLog) -> None:
    """Both account_id and account_name always exist: a missing one is copied from the other."""
    if "account_id" not in frame.columns:
        frame["account_id"] = frame["account_name"].astype("string")
        return
    if "account_name" not in frame.columns:
        frame["account_name"] = frame["account_id"].astype("string")
        return
    nameless = frame["account_name"].isna() & frame["account_id"].notna()
    if nameless.any():
        rows = raw.excel_rows[nameless.to_numpy(dtype=bool)].tolist()
        frame.loc[nameless, "account_name"] = frame.loc[nameless, "account_id"]
        log.add(
            "info",
            f"{len(rows):,} account(s) have no name; their ID is used as the name (rows {row_list(rows)}).",
            row=rows[0],
            column=mapping["account_name"],
            label=raw.label(mapping["account_name"]),
        )


def _handle_duplicates(
    frame: pd.DataFrame, key: str, mapping: Mapping[str, str], raw: RawTable, log: IssueLog, how: Duplicates
) -> pd.DataFrame:
    repeated = frame.duplicated(key, keep=False).to_numpy(dtype=bool)
    if not repeated.any():
        return frame
    label = FIELD_BY_KEY[key].label
    groups = frame.loc[repeated, [key, "source_row"]].groupby(key, sort=False, observed=True)["source_row"]
    listed = groups.agg(list)
    outcome = {
        "keep_first": "kept the first row",
        "merge": "merged into one account, first filled value of each column",
        "keep_all": "all rows kept",
    }[how]
    header = mapping[key]
    for count, (value, rows) in enumerate(listed.items()):
        if count == 1000:
            log.add(
                "warning",
                f"…and {len(listed) - 1000:,} more duplicated values of {label}.",
                column=header,
                label=raw.label(header),
            )
            break
        log.add(
            "warning",
            f"{label} '{value}' appears on rows {row_list(rows)}; {outcome}.",
            row=int(rows[0]),
            column=header,
            label=raw.label(header),
        )
    if how == "keep_all":
        return frame
    if how == "keep_first":
        return frame[~frame.duplicated(key, keep="first")].reset_index(drop=True)
    merged = frame.groupby(key, sort=False, observed=True, dropna=True).first()
    merged["source_row"] = frame.groupby(key, sort=False, observed=True)["source_row"].min()
    return merged.reset_index()


def _arrange(frame: pd.DataFrame, extras: list[str]) -> pd.DataFrame:
    """Canonical fields in their order with their dtypes, then the file's other columns, then source_row."""
    canonical = [k for k in FIELD_KEYS if k in frame.columns]
    out = frame[[*canonical, *[e for e in extras if e in frame.columns], "source_row"]]
    for key in canonical:
        wanted = dtype_for(FIELD_BY_KEY[key].kind)
        if key in IDENTITY_FIELDS or str(out[key].dtype) != wanted:
            out[key] = out[key].astype(pd.api.types.pandas_dtype(wanted))
    out["source_row"] = out["source_row"].astype(np.int64)
    return out.reset_index(drop=True)


def open_territory(
    path: str | Path,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
    rollup: bool | None = None,
    duplicates: Duplicates = "keep_first",
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    *,
    header_row: int | None = None,
) -> LoadResult:
    """Headless one-shot: suggested sheet -> read -> guessed mapping -> roll-up if order lines -> accounts."""
    steps = Steps(progress, cancel)
    path = Path(path)
    raw = read_table(path, sheet, header_row=header_row, progress=steps.part(0.0, 0.75).report, cancel=cancel)
    reasons = guess(raw.headers, raw.data)
    return build_accounts(
        raw,
        reasons.mapping if mapping is None else mapping,
        rollup=rollup,
        duplicates=duplicates,
        progress=steps.part(0.75, 1.0).report,
        cancel=cancel,
        reasons=reasons,
    )


def inspect_dict(result: LoadResult) -> dict[str, Any]:
    """A JSON-ready summary of a load, for the command line and logs."""
    return {
        "file": str(result.file),
        "kind": result.kind,
        "sheet": result.sheet,
        "header_row": result.header_row,
        "accounts": len(result.accounts),
        "mapping": dict(result.mapping),
        "rolled_up": result.rolled_up,
        "issues": [issue.as_dict() for issue in result.issues],
    }
