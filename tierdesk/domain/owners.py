"""Who owns each account, as plan edits: accounts reassigned to a seller (with a reason, kept as an "owner"
override so it survives newer data), a per-account "keep owner" lock, and the sellers table's own edits.
Each edit applied returns its inverse."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from tierdesk.domain.changes import Changed
from tierdesk.domain.classification import Classification
from tierdesk.domain.history import AccountRecord, Record
from tierdesk.domain.overrides import Override, OverridesLike
from tierdesk.domain.playbook import Playbook
from tierdesk.domain.seller_settings import keep_owner_tiers
from tierdesk.domain.sellers import Seller

__all__ = [
    "KEEP_OWNER",
    "OWNER",
    "OWNER_EDITS",
    "LockOwner",
    "OwnerDone",
    "OwnerState",
    "ReassignAccounts",
    "RestoreOwners",
    "apply_owner_edit",
    "lock_text",
    "owner_locks",
    "owner_overrides",
    "owners_at",
    "owners_from_overrides",
    "reassigned",
    "with_owners",
]

OWNER, KEEP_OWNER = "owner", "keep_owner"  # the override fields: an account's new owner, its lock
LOCKED, UNLOCKED = "yes", "no"


def _rows(rows: object) -> tuple[int, ...]:
    return tuple(int(r) for r in np.atleast_1d(np.asarray(rows)))


@dataclass(frozen=True)
class ReassignAccounts:
    """Give account rows a new owner (a seller of the plan; None: no owner), with a reason. `owners` and
    `reason` hold one value for all rows or one per row (a balance proposal moves accounts to different
    sellers, each for its own reason, in one edit). Kept by account_id, like a pin: every row sharing the id
    moves."""

    rows: tuple[int, ...]
    owners: tuple[str | None, ...]
    reason: str | tuple[str, ...] = ""
    time: datetime | None = None  # None: the moment the edit is applied
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", _rows(self.rows))
        owners = (self.owners,) if self.owners is None or isinstance(self.owners, str) else self.owners
        object.__setattr__(self, "owners", tuple(None if o is None else str(o) for o in owners))
        if len(self.owners) not in (1, len(self.rows)):
            raise ValueError(
                f"{len(self.owners)} owners for {len(self.rows)} accounts: give one, or one each"
            )


@dataclass(frozen=True)
class LockOwner:
    """Keep (True) or free (False) the owner of account rows when the books are balanced; None: back to the
    playbook's rule (sellers.keep_owner tiers are kept)."""

    rows: tuple[int, ...]
    locked: bool | None
    reason: str = ""
    time: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", _rows(self.rows))


@dataclass(frozen=True)
class RestoreOwners:
    """Put owners and owner overrides back exactly as they were: the owner of each of `rows`, and the
    (account_id, field, Override or None) `entries` of the fields "owner" and "keep_owner"."""

    rows: tuple[int, ...]
    owners: tuple[str | None, ...]
    entries: tuple[tuple[str, str, Override | None], ...] = ()
    description: str = "Restore owners"


OWNER_EDITS = (ReassignAccounts, LockOwner, RestoreOwners)
OwnerEdit = ReassignAccounts | LockOwner | RestoreOwners


@dataclass
class OwnerState:
    """What owner and seller edits read and change in a plan; `overrides` is changed in place."""

    accounts: pd.DataFrame
    ids: pd.Series  # account_id per row (string)
    overrides: dict[tuple[str, str], Override]
    sellers: tuple[Seller, ...]
    playbook: Playbook
    ids_of: Callable[[tuple[int, ...]], list[str]]  # account ids of rows (raising for rows without one)
    rows_of: Callable[[Iterable[str]], np.ndarray]  # every row of these account ids
    label: Callable[[int], str]  # an account's name for texts
    classification: Classification  # the plan's (owner edits leave tiers alone; the lock rule reads them)
    first_rows: Callable[[Sequence[str]], np.ndarray]  # the first row of each account id (-1: none)


@dataclass
class OwnerDone:
    """An applied owner or seller edit: its inverse, the rows and values changed, the Edit-menu text, the
    plan's new accounts (owners changed) or sellers table where they changed, and the change record."""

    inverse: object  # the edit that undoes it (an owner or seller edit)
    rows: np.ndarray
    what: Changed
    description: str
    accounts: pd.DataFrame | None = None
    sellers: tuple[Seller, ...] | None = None
    record: Record | None = None  # set by apply_owner_edit / apply_seller_edit


# ---------------------------------------------------------------- the owner column


def _clean(value: object) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return " ".join(str(value).split()) or None


def owners_at(accounts: pd.DataFrame, rows: np.ndarray | Sequence[int]) -> list[str | None]:
    """The owner of each row as text (None: no owner)."""
    if "owner" not in accounts.columns:
        return [None] * len(rows)
    column, rows = accounts["owner"], np.asarray(rows, np.intp)
    if isinstance(column.dtype, pd.CategoricalDtype):  # each name cleaned once, not each account
        names = np.array([*(_clean(c) for c in column.cat.categories.tolist()), None], dtype=object)
        return names[column.cat.codes.to_numpy()[rows]].tolist()
    return [_clean(v) for v in column.iloc[rows].tolist()]


def with_owners(
    accounts: pd.DataFrame, rows: np.ndarray | Sequence[int], owners: Sequence[str | None]
) -> pd.DataFrame:
    """A copy of the accounts whose `rows` have these owners (the frame given is not changed). The owner
    column stays categorical (the canonical dtype), new names joining its categories."""
    rows = np.asarray(rows, np.intp)
    n = len(accounts)
    column = (
        accounts["owner"]
        if "owner" in accounts.columns
        else pd.Series(pd.Categorical([None] * n, categories=pd.Index([], dtype="string")))
    )
    if not isinstance(column.dtype, pd.CategoricalDtype):
        values = column.to_numpy(object, copy=True)
        values[rows] = np.asarray(list(owners), dtype=object)
        kind: Any = column.dtype
        return accounts.assign(owner=pd.Series(values, index=accounts.index, dtype=kind))
    categories = list(column.cat.categories)
    position = {str(c): i for i, c in enumerate(categories)}
    for name in owners:
        if name is not None and name not in position:
            position[name] = len(categories)
            categories.append(name)
    codes = column.cat.codes.to_numpy(copy=True).astype(np.int64)
    codes[rows] = [-1 if o is None else position[o] for o in owners]
    index = pd.Index(
        categories, dtype=column.cat.categories.dtype if len(column.cat.categories) else "string"
    )
    return accounts.assign(owner=pd.Categorical.from_codes(codes, categories=index))


def owners_from_overrides(accounts: pd.DataFrame, overrides: Iterable[Override]) -> pd.DataFrame:
    """The accounts with the owners the plan's "owner" overrides give (a plan carried onto newer data keeps
    its reassignments); the same frame when nothing changes."""
    wanted = {o.account_id: (o.value or None) for o in overrides if o.field == OWNER}
    if not wanted or "account_id" not in accounts.columns:
        return accounts
    ids = accounts["account_id"].astype("string")
    rows = np.flatnonzero(ids.isin(list(wanted)).fillna(False).to_numpy(bool))
    targets = [wanted[str(a)] for a in ids.iloc[rows].tolist()]
    differ = [i for i, (o, t) in enumerate(zip(owners_at(accounts, rows), targets, strict=True)) if o != t]
    if not differ:
        return accounts
    return with_owners(accounts, rows[differ], [targets[i] for i in differ])


def owner_locks(cls: Classification, ids: pd.Series, overrides: Iterable[Override]) -> np.ndarray:
    """Per account row, whether balancing keeps its owner: its tier is one the playbook keeps
    (sellers.keep_owner), unless a "keep owner" override says otherwise."""
    pb = cls.playbook
    kept = [pb.tier_names.index(t) for t in keep_owner_tiers(pb.sellers, pb.tier_names)]
    locked = np.isin(cls.tier, kept)
    explicit = {o.account_id: o.value == LOCKED for o in overrides if o.field == KEEP_OWNER}
    if explicit:
        given = ids.map(explicit)
        at = np.flatnonzero(given.notna().to_numpy(bool))
        locked[at] = given.iloc[at].to_numpy(bool)
    return locked


def owner_overrides(overrides: OverridesLike) -> list[Override]:
    """The "owner" and "keep owner" overrides among these (a mapping, a table or a list of them)."""
    if overrides is None:
        return []
    if isinstance(overrides, pd.DataFrame):
        table = overrides[overrides["field"].isin([OWNER, KEEP_OWNER])]
        return [
            Override(str(a), str(f), "" if pd.isna(v) else str(v), "" if pd.isna(r) else str(r))
            for a, f, v, r in table[["account_id", "field", "value", "reason"]].itertuples(index=False)
        ]
    items = overrides.values() if isinstance(overrides, Mapping) else overrides
    return [o for o in items if o.field in (OWNER, KEEP_OWNER)]


def lock_text(locked: bool) -> str:
    """An owner lock as the history shows it."""
    return "owner kept" if locked else "may move"


def reassigned(ids: pd.Series, overrides: Iterable[Override]) -> np.ndarray:
    """Per account row, whether its owner was set in this plan (an "owner" override)."""
    moved = {o.account_id for o in overrides if o.field == OWNER}
    return ids.isin(list(moved)).fillna(False).to_numpy(bool) if moved else np.zeros(len(ids), bool)


# ---------------------------------------------------------------- applying


def apply_owner_edit(state: OwnerState, edit: OwnerEdit) -> OwnerDone:
    """Apply an owner edit to the state (its overrides change in place); see OwnerDone."""
    if isinstance(edit, ReassignAccounts):
        done = _reassign(state, edit)
    elif isinstance(edit, RestoreOwners):
        done = _restore(state, edit)
    else:
        done = _lock(state, edit)
    return replace(done, record=_record(state, edit, done))


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _restore_entries(
    state: OwnerState, entries: Iterable[tuple[str, str, Override | None]]
) -> tuple[tuple[str, str, Override | None], ...]:
    """Set these overrides; returns the entries that put back what was there."""
    before = []
    for a, f, o in entries:
        before.append((a, f, state.overrides.get((a, f))))
        if o is None:
            state.overrides.pop((a, f), None)
        else:
            state.overrides[(a, f)] = o
    return tuple(before)


def _reassign(state: OwnerState, edit: ReassignAccounts) -> OwnerDone:
    known = {s.name for s in state.sellers}
    targets = edit.owners * len(edit.rows) if len(edit.owners) == 1 else edit.owners
    for t in dict.fromkeys(targets):
        if t is not None and t not in known:
            raise ValueError(f"{t!r} is not a seller of this plan: add them to the sellers first")
    ids = state.ids_of(edit.rows)
    wanted = dict(zip(ids, targets, strict=True))  # the last one wins for an id
    given = (edit.reason,) if isinstance(edit.reason, str) else edit.reason
    why = dict(zip(ids, given * len(ids) if len(given) == 1 else given, strict=True))
    rows = np.sort(state.rows_of(list(wanted)))
    row_ids = state.ids.iloc[rows].to_numpy(object)
    new = np.asarray(pd.Series(row_ids, dtype=object).map(wanted).to_numpy(object), dtype=object)
    new[pd.isna(new)] = None
    old = np.asarray(owners_at(state.accounts, rows), dtype=object)
    differ = np.flatnonzero(old != new)
    rows, new, old = rows[differ], new[differ].tolist(), old[differ].tolist()
    moved = list(dict.fromkeys(row_ids[differ].tolist()))
    when = edit.time or _now()
    description = edit.description or _reassign_text(state, edit.rows, set(targets))
    entries = _restore_entries(
        state, [(a, OWNER, Override(a, OWNER, wanted[a] or "", why[a], when)) for a in moved]
    )
    inverse = RestoreOwners(tuple(rows.tolist()), tuple(old), entries, f"Undo: {description}")
    accounts = with_owners(state.accounts, rows, new) if len(rows) else None
    what = Changed.OWNER | Changed.OVERRIDES if len(rows) else Changed.NOTHING
    return OwnerDone(inverse, rows, what, description, accounts)


def _reassign_text(state: OwnerState, rows: tuple[int, ...], targets: set[str | None]) -> str:
    who = state.label(rows[0]) if len(rows) == 1 else f"{len(rows):,} accounts"
    if len(targets) > 1:
        return f"Reassign {who} to {len(targets)} sellers"
    target = next(iter(targets))
    return f"Reassign {who} to {target}" if target is not None else f"Leave {who} without an owner"


def _restore(state: OwnerState, edit: RestoreOwners) -> OwnerDone:
    rows = np.asarray(edit.rows, np.intp)
    old = owners_at(state.accounts, rows)
    entries = _restore_entries(state, edit.entries)
    inverse = RestoreOwners(edit.rows, tuple(old), entries, f"Undo: {edit.description}")
    changed = [i for i, (o, n) in enumerate(zip(old, edit.owners, strict=True)) if o != n]
    accounts = with_owners(state.accounts, rows, edit.owners) if changed else None
    touched = np.union1d(rows[changed], state.rows_of([a for a, _, _ in edit.entries])).astype(np.int64)
    fields = {f for _, f, _ in edit.entries}
    what = Changed.OWNER if changed or OWNER in fields else Changed.NOTHING
    what |= Changed.KEEP_OWNER if KEEP_OWNER in fields else Changed.NOTHING
    what |= Changed.OVERRIDES if edit.entries else Changed.NOTHING
    return OwnerDone(inverse, touched, what, edit.description, accounts)


def _lock(state: OwnerState, edit: LockOwner) -> OwnerDone:
    ids = list(dict.fromkeys(state.ids_of(edit.rows)))
    when = edit.time or _now()
    value = None if edit.locked is None else LOCKED if edit.locked else UNLOCKED
    who = state.label(edit.rows[0]) if len(edit.rows) == 1 else f"{len(edit.rows):,} accounts"
    description = {
        None: f"Owner of {who} kept by the playbook's rule",
        LOCKED: f"Keep the owner of {who}",
        UNLOCKED: f"Let balancing move {who}",
    }[value]
    entries = _restore_entries(
        state,
        [
            (a, KEEP_OWNER, None if value is None else Override(a, KEEP_OWNER, value, edit.reason, when))
            for a in ids
        ],
    )
    inverse = RestoreOwners((), (), entries, f"Undo: {description}")
    return OwnerDone(inverse, state.rows_of(ids), Changed.KEEP_OWNER | Changed.OVERRIDES, description)


# ---------------------------------------------------------------- the change in words


def _record(state: OwnerState, edit: OwnerEdit, done: OwnerDone) -> AccountRecord:
    """One entry per account whose owner (kind "reassigned") or owner lock (kind "override") changed; the
    inverse holds what was there before."""
    undo = done.inverse
    assert isinstance(undo, RestoreOwners)
    accounts = done.accounts if done.accounts is not None else state.accounts
    if "account_id" not in accounts.columns:
        return AccountRecord("reassigned", [], "owner", "", "")
    rows = np.asarray(undo.rows, np.int64)
    first = ~pd.Series(state.ids.iloc[rows].to_numpy(object)).duplicated().to_numpy(bool)
    ids = [str(a) for a in state.ids.iloc[rows[first]].tolist()]
    old = [o or "" for o in np.asarray(undo.owners, dtype=object)[first].tolist()] if len(rows) else []
    new = [o or "" for o in owners_at(accounts, rows[first])]
    kind, what = "reassigned", "owner"
    locks = [(a, o) for a, f, o in undo.entries if f == KEEP_OWNER]
    if locks and not ids:
        kind, what, ids = "override", "keep owner", [a for a, _ in locks]
        found = state.first_rows(ids).tolist()
        default = owner_locks(state.classification, state.ids, ())
        now = owner_locks(state.classification, state.ids, state.overrides.values())
        old = [
            lock_text(o.value == LOCKED if o is not None else bool(default[r])) if r >= 0 else ""
            for (_, o), r in zip(locks, found, strict=True)
        ]
        new = [lock_text(bool(now[r])) if r >= 0 else "" for r in found]
    reason: str | list[str] = getattr(edit, "reason", "")
    if isinstance(edit, ReassignAccounts):  # a reassignment keeps each account's reason in its override
        reason = [o.reason if (o := state.overrides.get((a, OWNER))) is not None else "" for a in ids]
    return AccountRecord(kind, ids, what, old, new, reason)
