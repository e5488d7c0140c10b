"""The plan's edit history: who changed what, when, from what to what and why, kept as a DataFrame (one row
per touched account, per objective, or one plan-wide row) so that a pin of 10,000 accounts stays cheap."""

from __future__ import annotations

import datetime as dt
import getpass
import math
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, fields
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tierdesk.domain import owners, seller_edits
from tierdesk.domain.playbook import UNCLASSIFIED
from tierdesk.domain.reasons import axis_text, money
from tierdesk.domain.wallet_notes import settings_text

if TYPE_CHECKING:
    from tierdesk.domain.classify import Classification
    from tierdesk.domain.plan import Applied, Edit, MoveSplit, Plan
    from tierdesk.domain.plan_objectives import PlanInfo
    from tierdesk.domain.playbook import Playbook

__all__ = [
    "COLUMNS",
    "HEADERS",
    "KINDS",
    "Before",
    "HistoryEntry",
    "Rows",
    "as_history",
    "current_user",
    "empty_history",
    "entries_for",
    "filter_history",
    "history_entries",
    "history_for",
    "history_frame",
    "history_rows",
    "rows_frame",
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


# ---------------------------------------------------------------- recording an applied edit


@dataclass(frozen=True)
class Before:
    """What a plan held before an edit (its tables are replaced by edits, never changed, so this is cheap)."""

    classification: Classification
    objectives: pd.DataFrame
    info: PlanInfo
    playbook: Playbook

    @classmethod
    def of(cls, plan: Plan) -> Before:
        return cls(plan.classification, plan.objectives, plan.info, plan.playbook)


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


def entries_for(
    plan: Plan, before: Before, edit: Edit, applied: Applied, user: str, when: dt.datetime, note: str = ""
) -> list[HistoryEntry]:
    """The entries an applied edit adds (see history_for)."""
    return history_entries(history_for(plan, before, edit, applied, user, when, note))


def history_for(
    plan: Plan, before: Before, edit: Edit, applied: Applied, user: str, when: dt.datetime, note: str = ""
) -> pd.DataFrame:
    """History rows for an edit just applied to `plan` (as it was: `before`): one per account for pins and
    overrides, one per objective for objective edits, plan-wide rows for split, playbook and plan edits.
    `note` replaces the edit's description (e.g. "Undo: …")."""
    return rows_frame([history_rows(plan, before, edit, applied, user, when, note)])


def history_rows(
    plan: Plan, before: Before, edit: Edit, applied: Applied, user: str, when: dt.datetime, note: str = ""
) -> Rows:
    """history_for without building the DataFrame (a plan collects these and joins them when read)."""
    from tierdesk.domain import plan as p
    from tierdesk.domain import plan_objectives as po

    description = note or applied.description
    row = {"when": when, "user": user, "description": description}
    if isinstance(edit, owners.OWNER_EDITS) and isinstance(applied.inverse, owners.RestoreOwners):
        return _owners(plan, before, edit, applied.inverse, row)
    if isinstance(edit, seller_edits.SELLER_EDITS):
        changed = seller_edits.seller_changes(edit, applied.inverse, plan.playbook)
        return _plan_wide("sellers", row, changed or [("sellers", "", "")])
    if isinstance(applied.inverse, p.RestoreOverrides) and isinstance(
        edit, p.PinAccounts | p.RestoreOverrides | p.SetWallet
    ):
        kind = "move" if isinstance(edit, p.PinAccounts) and edit.value is not None else "override"
        return _overrides(plan, before, applied.inverse.entries, kind, edit, row)
    if isinstance(edit, p.MoveSplit):
        old = applied.inverse
        assert isinstance(old, p.MoveSplit)
        name = "share-of-wallet split" if edit.axis == "x" else "potential split"
        was, now = _split(before.playbook, old), _split(plan.playbook, edit)
        return _plan_wide("split", row, [(name, was, now)])
    if isinstance(edit, p.SetPlaybookValue):
        old_value = getattr(applied.inverse, "value", None)
        return _plan_wide("playbook", row, [(edit.key, text(old_value), text(edit.value))])
    if isinstance(edit, p.RenameTier):
        old_name = getattr(applied.inverse, "name", "")
        return _plan_wide("playbook", row, [(f"tier {edit.index + 1} name", old_name, edit.name)])
    if isinstance(edit, p.SetWalletSettings):
        old_settings = before.playbook.wallet
        return _plan_wide(
            "playbook", row, [("wallet", settings_text(old_settings), settings_text(edit.settings))]
        )
    if isinstance(edit, p.SetPlaybook):
        return _plan_wide("playbook", row, [("playbook", before.playbook.name, edit.playbook.name)])
    if isinstance(edit, po.SetPlanInfo):
        changed = [
            (f.replace("_", " "), text(getattr(before.info, f)), text(getattr(edit.info, f)))
            for f in ("owner", "title", "period_start", "period_end")
            if getattr(before.info, f) != getattr(edit.info, f)
        ]
        return _plan_wide("plan", row, changed or [("plan info", "", "")])
    if isinstance(edit, po.SetObjectiveValues | po.AddObjectives | po.RemoveObjectives):
        return _objectives(plan, before, edit, row)
    raise TypeError(f"not an edit: {edit!r}")


def _split(playbook: Playbook, move: MoveSplit) -> str:
    """A split as the planner reads it: "47%" of share of wallet, "$800k" of potential, a percentile."""
    if move.kind == "percentile":
        return f"{move.value * 100:g}th percentile"
    formula = playbook.personas.x if move.axis == "x" else playbook.personas.y
    return str(axis_text(formula, move.value, playbook.currency)[0])


def _plan_wide(kind: str, row: dict[str, Any], changes: Sequence[tuple[str, str, str]]) -> Rows:
    what, old, new = (list(c) for c in zip(*changes, strict=True))
    return _rows(
        len(changes), row["when"], row["user"], kind, row["description"], what=what, old=old, new=new
    )


def _accounts(plan: Plan, ids: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First row, name and owner of each account id (row -1, "" for ids the plan does not hold)."""
    rows = plan.first_rows(ids)
    found = rows >= 0
    out = []
    for column in ("account_name", "owner"):
        values = np.full(len(ids), "", object)
        if column in plan.accounts.columns and found.any():
            series = plan.accounts[column]
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


def _overrides(
    plan: Plan,
    before: Before,
    entries: Sequence[tuple[str, str, Any]],
    kind: str,
    edit: Edit,
    row: dict[str, Any],
) -> Rows:
    if not entries:
        return _rows(0, row["when"], row["user"], kind, row["description"])
    ids = [a for a, _, _ in entries]
    what = np.array([f for _, f, _ in entries], dtype=object)
    rows, names, owners = _accounts(plan, ids)
    old = np.full(len(ids), "", object)
    new = np.full(len(ids), "", object)
    for field in np.unique(what).tolist():
        at = what == field
        if field == "wallet":  # the planner's wallet: the amounts before and after
            old[at] = _wallets(before.classification, rows[at])
            new[at] = _wallets(plan.classification, rows[at])
            continue
        old[at] = _names(before.classification, field, rows[at])
        new[at] = _names(plan.classification, field, rows[at])
    reason: Any = getattr(edit, "reason", None)
    if reason is None:
        reason = [o.reason if (o := plan.override(a, f)) is not None else "" for a, f, _ in entries]
    return _rows(
        len(ids),
        row["when"],
        row["user"],
        kind,
        row["description"],
        account_id=ids,
        account_name=names,
        owner=owners,
        what=what,
        old=old,
        new=new,
        reason=reason,
    )


def _owners(plan: Plan, before: Before, edit: Any, undo: owners.RestoreOwners, row: dict[str, Any]) -> Rows:
    """One row per account whose owner (kind "reassigned") or owner lock (kind "override") changed; `undo`
    holds what was there before."""
    if "account_id" not in plan.accounts.columns:
        return _rows(0, row["when"], row["user"], "reassigned", row["description"])
    account_ids = plan.accounts["account_id"].astype("string")
    rows = np.asarray(undo.rows, np.int64)
    first = ~pd.Series(account_ids.iloc[rows].to_numpy(object)).duplicated().to_numpy(bool)
    ids = [str(a) for a in account_ids.iloc[rows[first]].tolist()]
    old = [o or "" for o in np.asarray(undo.owners, dtype=object)[first].tolist()] if len(rows) else []
    new = [o or "" for o in owners.owners_at(plan.accounts, rows[first])]
    kind, what = "reassigned", "owner"
    locks = [(a, o) for a, f, o in undo.entries if f == owners.KEEP_OWNER]
    if locks and not ids:
        kind, what, ids = "override", "keep owner", [a for a, _ in locks]
        found = plan.first_rows(ids).tolist()
        default, now = owners.owner_locks(before.classification, account_ids, ()), plan.owner_locks()
        old = [
            owners.lock_text(o.value == owners.LOCKED if o is not None else bool(default[r]))
            if r >= 0
            else ""
            for (_, o), r in zip(locks, found, strict=True)
        ]
        new = [owners.lock_text(bool(now[r])) if r >= 0 else "" for r in found]
    _, names, holders = _accounts(plan, ids)
    return _rows(
        len(ids),
        row["when"],
        row["user"],
        kind,
        row["description"],
        account_id=ids,
        account_name=names,
        owner=holders,
        what=what,
        old=old,
        new=new,
        reason=_owner_reasons(plan, edit, ids),
    )


def _owner_reasons(plan: Plan, edit: Any, ids: list[str]) -> Any:
    """The reason of each account's change: a reassignment keeps it (one per account) in its override."""
    if isinstance(edit, owners.ReassignAccounts):
        return [o.reason if (o := plan.override(a, owners.OWNER)) is not None else "" for a in ids]
    return getattr(edit, "reason", "")


def _objective_label(table: pd.DataFrame, at: int) -> str:
    label = str(table["description"].iat[at]) if "description" in table.columns else ""
    return label or f"objective {table['objective_id'].iat[at]}"


def _objectives(plan: Plan, before: Before, edit: Any, row: dict[str, Any]) -> Rows:
    from tierdesk.domain import plan_objectives as po

    ids: list[str] = []
    what: list[str] = []
    old: list[str] = []
    new: list[str] = []
    if isinstance(edit, po.SetObjectiveValues):
        have = before.objectives["objective_id"].to_numpy(np.int64)
        after = plan.objectives
        now = after["objective_id"].to_numpy(np.int64)
        for oid, f, _ in edit.entries:
            b = int(np.searchsorted(have, oid))
            a = int(np.searchsorted(now, oid))
            ids.append(str(after["account_id"].iat[a]))
            what.append(f"{f.replace('_', ' ')} ({_objective_label(after, a)})")
            old.append(text(before.objectives[f].iat[b]))
            new.append(text(after[f].iat[a]))
    elif isinstance(edit, po.AddObjectives):
        for o in edit.objectives:
            ids.append(o.account_id)
            what.append("objective")
            old.append("")
            new.append(o.description or f"objective {o.objective_id}")
    else:
        table = before.objectives
        have = table["objective_id"].to_numpy(np.int64)
        for oid in edit.ids:
            b = int(np.searchsorted(have, oid))
            ids.append(str(table["account_id"].iat[b]))
            what.append("objective")
            old.append(_objective_label(table, b))
            new.append("")
    _, names, owners = _accounts(plan, ids)
    return _rows(
        len(ids),
        row["when"],
        row["user"],
        "objective",
        row["description"],
        account_id=ids,
        account_name=names,
        owner=owners,
        what=what,
        old=old,
        new=new,
    )
