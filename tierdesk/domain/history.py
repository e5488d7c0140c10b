"""The plan's edit history: who changed what, when, from what to what and why, kept as a DataFrame (one row
per touched account, per objective, or one plan-wide row) so that a pin of 10,000 accounts stays cheap.

Every applied edit returns a change record (PlanWideRecord, AccountRecord, OverrideRecord) saying what it
changed; the history puts records into rows without knowing the edits that made them."""

from __future__ import annotations

import datetime as dt
import getpass
import math
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, fields
from typing import Any, Protocol

import numpy as np
import pandas as pd

from tierdesk.domain.classification import Classification
from tierdesk.domain.playbook import UNCLASSIFIED
from tierdesk.domain.texts import money

__all__ = [
    "COLUMNS",
    "HEADERS",
    "KINDS",
    "AccountBook",
    "AccountRecord",
    "HistoryEntry",
    "OverrideRecord",
    "PlanWideRecord",
    "Record",
    "Rows",
    "as_history",
    "current_user",
    "empty_history",
    "filter_history",
    "history_entries",
    "history_for",
    "history_frame",
    "history_rows",
    "rows_frame",
    "text",
]

KINDS = ("move", "override", "split", "playbook", "objective", "plan", "reassigned", "sellers")
COLUMNS = (
    "time",
    "user",
    "kind",
    "account_id",
    "account_name",
    "owner",
    "what",
    "old",
    "new",
    "reason",
    "description",
)
#: Column titles for people (the History panel and the exported sheet), by column.
HEADERS = {
    "time": "When",
    "user": "User",
    "kind": "Kind",
    "account_id": "Account ID",
    "account_name": "Account",
    "owner": "Owner",
    "what": "What",
    "old": "From",
    "new": "To",
    "reason": "Reason",
    "description": "Change",
}
_TIME = "datetime64[ns]"


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change; account_id "" for a plan-wide change."""

    time: dt.datetime
    user: str
    kind: str
    account_id: str
    account_name: str
    owner: str
    what: str
    old: str
    new: str
    reason: str
    description: str


def current_user() -> str:
    """The login name, or "unknown" where the system cannot tell."""
    try:
        return getpass.getuser() or "unknown"
    except (KeyError, OSError, ImportError):
        return "unknown"


#: History rows not yet in a DataFrame: each column of COLUMNS as a numpy array ("time" datetime64[ns],
#: the others object arrays of str). Cheap to make per edit; `rows_frame` joins many at once.
Rows = dict[str, np.ndarray]


def empty_history() -> pd.DataFrame:
    return rows_frame([])


def rows_frame(chunks: Sequence[Rows]) -> pd.DataFrame:
    """One history table of many Rows (in order)."""
    empty = _rows(0, dt.datetime(2000, 1, 1), "", "plan", "")
    chunks = [c for c in chunks if len(c["time"])] or [empty]
    data: dict[str, Any] = {"time": np.concatenate([c["time"] for c in chunks])}
    for c in COLUMNS[1:]:
        data[c] = pd.array(np.concatenate([chunk[c] for chunk in chunks]), dtype="string")
    return pd.DataFrame(data)


def as_history(frame: pd.DataFrame | None) -> pd.DataFrame:
    """A history table with exactly COLUMNS and their dtypes (None: empty)."""
    if frame is None:
        return empty_history()
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"a history table needs the columns {', '.join(missing)}")
    out = pd.DataFrame(
        {
            c: frame[c].to_numpy(_TIME) if c == "time" else pd.array(frame[c].to_numpy(object), "string")
            for c in COLUMNS
        }
    )
    return out


def history_frame(entries: Iterable[HistoryEntry]) -> pd.DataFrame:
    rows = [astuple(e) for e in entries]
    if not rows:
        return empty_history()
    return as_history(pd.DataFrame(rows, columns=[f.name for f in fields(HistoryEntry)]))


def history_entries(frame: pd.DataFrame) -> list[HistoryEntry]:
    times = pd.to_datetime(frame["time"]).dt.to_pydatetime()
    texts = [frame[c].fillna("").astype(str).tolist() for c in COLUMNS[1:]]
    return [HistoryEntry(t, *row) for t, *row in zip(times, *texts, strict=True)]


def append(history: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    if not len(rows):
        return history
    if not len(history):
        return rows.reset_index(drop=True)
    return pd.concat([history, rows], ignore_index=True)


def filter_history(
    frame: pd.DataFrame, account: str | None = None, owner: str | None = None, kind: str | None = None
) -> pd.DataFrame:
    """Rows whose account id or name holds `account` (any case), whose owner is `owner` and whose kind is
    `kind`; None or "" leaves that part out."""
    keep = np.ones(len(frame), bool)
    if account:
        needle = account.casefold()
        for_id = frame["account_id"].str.casefold().str.contains(needle, regex=False)
        for_name = frame["account_name"].str.casefold().str.contains(needle, regex=False)
        keep &= (for_id.fillna(False) | for_name.fillna(False)).to_numpy(bool)
    if owner:
        keep &= (frame["owner"] == owner).fillna(False).to_numpy(bool)
    if kind:
        keep &= (frame["kind"] == kind).fillna(False).to_numpy(bool)
    return frame[keep]


# ---------------------------------------------------------------- change records


@dataclass(frozen=True)
class PlanWideRecord:
    """A plan-wide change (a split, the playbook, the plan's details, the sellers): one history row per
    (what, from, to) in `changes`."""

    kind: str  # one of KINDS
    changes: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class AccountRecord:
    """Changes to accounts, in words: one history row per entry (account id, what, from, to); each value
    is one text for every entry or one per entry. The history adds each account's name and owner."""

    kind: str
    account_ids: Sequence[str]
    what: str | Sequence[str]
    old: str | Sequence[str]
    new: str | Sequence[str]
    reason: str | Sequence[str] = ""


@dataclass(frozen=True)
class OverrideRecord:
    """Overrides set or cleared: one history row per (account id, field) in `entries`, from the account's
    tier, persona or category (or wallet, for the planner's wallet) in the classification `before` to the
    one in `after`. The words are looked up only when the change is recorded."""

    kind: str
    entries: Sequence[tuple[str, str]]
    before: Classification
    after: Classification
    reason: str | Sequence[str] = ""


#: What an applied edit changed, as Plan.apply returns it (Applied.record) and the history records it.
Record = PlanWideRecord | AccountRecord | OverrideRecord


class AccountBook(Protocol):
    """What the history reads of a plan: its accounts and the first row of each account id."""

    @property
    def accounts(self) -> pd.DataFrame: ...

    def first_rows(self, ids: Sequence[str]) -> np.ndarray: ...


def text(value: Any) -> str:
    """A value as the history shows it."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float | np.floating):
        number = float(value)
        if math.isnan(number):
            return ""
        if math.isinf(number) or abs(number) >= 1e15:
            return f"{number:g}"
        return f"{number:,.2f}".rstrip("0").rstrip(".")  # 25,000 and 0.25, never 2.5e+04
    if isinstance(value, pd.Timestamp | dt.datetime | dt.date):
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat(" ")
    return str(value)


def _rows(n: int, when: dt.datetime, user: str, kind: str, description: str, **columns: Any) -> Rows:
    fixed = {"user": user, "kind": kind, "description": description}
    data: Rows = {"time": np.full(n, np.datetime64(when, "ns"))}
    for c in COLUMNS[1:]:
        value = fixed.get(c, columns.get(c, ""))
        data[c] = np.full(n, value, object) if isinstance(value, str) else np.asarray(value, object)
    return data


def history_rows(record: Record, book: AccountBook, user: str, when: dt.datetime, description: str) -> Rows:
    """The history rows of a change record: plan-wide rows, or one per account entry named and owned as in
    `book` (the plan after the change)."""
    if isinstance(record, PlanWideRecord):
        what, old, new = (list(c) for c in zip(*record.changes, strict=True))
        return _rows(len(what), when, user, record.kind, description, what=what, old=old, new=new)
    if isinstance(record, OverrideRecord):
        return _override_rows(record, book, user, when, description)
    _, names, owners = _accounts(book, record.account_ids)
    return _rows(
        len(record.account_ids),
        when,
        user,
        record.kind,
        description,
        account_id=list(record.account_ids),
        account_name=names,
        owner=owners,
        what=record.what,
        old=record.old,
        new=record.new,
        reason=record.reason,
    )


def history_for(
    record: Record, book: AccountBook, user: str, when: dt.datetime, description: str
) -> pd.DataFrame:
    """history_rows as a history table."""
    return rows_frame([history_rows(record, book, user, when, description)])


def _override_rows(
    record: OverrideRecord, book: AccountBook, user: str, when: dt.datetime, description: str
) -> Rows:
    if not record.entries:
        return _rows(0, when, user, record.kind, description)
    ids = [a for a, _ in record.entries]
    what = np.array([f for _, f in record.entries], dtype=object)
    rows, names, owners = _accounts(book, ids)
    old = np.full(len(ids), "", object)
    new = np.full(len(ids), "", object)
    for field in np.unique(what).tolist():
        at = what == field
        if field == "wallet":  # the planner's wallet: the amounts before and after
            old[at] = _wallets(record.before, rows[at])
            new[at] = _wallets(record.after, rows[at])
            continue
        old[at] = _names(record.before, field, rows[at])
        new[at] = _names(record.after, field, rows[at])
    return _rows(
        len(ids),
        when,
        user,
        record.kind,
        description,
        account_id=ids,
        account_name=names,
        owner=owners,
        what=what,
        old=old,
        new=new,
        reason=record.reason,
    )


def _accounts(book: AccountBook, ids: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First row, name and owner of each account id (row -1, "" for ids the plan does not hold)."""
    rows = book.first_rows(ids)
    found = rows >= 0
    out = []
    for column in ("account_name", "owner"):
        values = np.full(len(ids), "", object)
        if column in book.accounts.columns and found.any():
            series = book.accounts[column]
            if found.sum() <= _FEW:  # one account moved: skip building Series for it
                values[found] = [_cell(series.iat[r]) for r in rows[found].tolist()]
            else:
                picked = series.iloc[rows[found]]
                values[found] = picked.astype("string").fillna("").to_numpy(object)
        out.append(values)
    return rows, out[0], out[1]


_FEW = 64


def _cell(value: Any) -> str:
    return (
        ""
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
        else str(value)
    )


def _names(cls: Classification, field: str, rows: np.ndarray) -> np.ndarray:
    names = np.array([*cls.names(field), UNCLASSIFIED], dtype=object)
    codes = np.asarray(getattr(cls, field))
    picked = np.full(len(rows), -1, np.int64)
    picked[rows >= 0] = codes[rows[rows >= 0]]
    return names[np.where(picked < 0, -1, picked)]


def _wallets(cls: Classification, rows: np.ndarray) -> np.ndarray:
    values = np.full(len(rows), np.nan)
    values[rows >= 0] = cls.wallet[rows[rows >= 0]]
    text = np.asarray(money(values, cls.playbook.currency), dtype=object)
    sources = np.asarray(cls.wallet_source.astype(object))
    where = np.full(len(rows), None, dtype=object)
    where[rows >= 0] = sources[rows[rows >= 0]]
    return np.array(
        [f"{t} ({s})" if isinstance(s, str) else "" for t, s in zip(text, where, strict=True)], object
    )
