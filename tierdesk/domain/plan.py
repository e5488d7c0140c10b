"""The plan being edited: accounts, playbook, overrides and account plans (objectives, owner, period), kept
classified; it applies edits (edits.py) and records each change in its history."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from tierdesk.domain import owners, seller_edits
from tierdesk.domain.changes import Changed
from tierdesk.domain.classification import Classification, with_splits
from tierdesk.domain.classify import classify, resolve
from tierdesk.domain.coverage import Coverage, PairCounts, coverage, group_codes
from tierdesk.domain.edits import (
    AddObjectives,
    Applied,
    Edit,
    MoveSplit,
    PinAccounts,
    PlanInfo,
    RemoveObjectives,
    RenameTier,
    RestoreOverrides,
    SetObjectiveValues,
    SetPlanInfo,
    SetPlaybook,
    SetPlaybookValue,
)
from tierdesk.domain.history import (
    OverrideRecord,
    PlanWideRecord,
    Record,
    Rows,
    append,
    as_history,
    current_user,
    history_rows,
    rows_frame,
    text,
)
from tierdesk.domain.objective_book import ObjectiveBook
from tierdesk.domain.objectives import completeness, rows_of
from tierdesk.domain.overrides import (
    PINNABLE,
    Override,
    OverridesLike,
    id_rows,
    overrides_frame,
    rows_of_ids,
    with_overrides,
    with_overrides_at,
)
from tierdesk.domain.plan_changes import ROW_FIELDS, changes
from tierdesk.domain.playbook import Playbook
from tierdesk.domain.playbook_edits import get_value, with_split, with_tier_renamed, with_value
from tierdesk.domain.sellers import Seller, complete_sellers, sellers_from_frame
from tierdesk.domain.texts import axis_text
from tierdesk.domain.wallet import WalletEstimate, estimate_wallets
from tierdesk.domain.wallet_edits import (
    SetWallet,
    SetWalletSettings,
    coverage_change,
    settings_text,
    wallet_overrides,
)

__all__ = [  # the edit types are re-exported: callers name them with the plan they edit
    "AddObjectives",
    "Applied",
    "Edit",
    "MoveSplit",
    "Override",
    "PinAccounts",
    "Plan",
    "PlanInfo",
    "RemoveObjectives",
    "RenameTier",
    "RestoreOverrides",
    "SetObjectiveValues",
    "SetPlanInfo",
    "SetPlaybook",
    "SetPlaybookValue",
    "SetWallet",
    "SetWalletSettings",
]


_SPLIT_NAMES = ("persona", "over_investment", "under_investment", "role")  # all a split move can change
_SPLIT_FIELDS = tuple(f for f in ROW_FIELDS if f[0] in _SPLIT_NAMES)


class Plan:
    """Accounts + playbook + overrides and objectives (keyed by account_id), with the classification kept
    current, plus the plan's owner and period."""

    def __init__(
        self,
        accounts: pd.DataFrame,
        playbook: Playbook,
        overrides: OverridesLike = None,
        *,
        as_of: pd.Timestamp | datetime | str | None = None,
        objectives: pd.DataFrame | None = None,
        info: PlanInfo | None = None,
        next_objective_id: int | None = None,
        history: pd.DataFrame | None = None,
        sellers: Sequence[Seller] | pd.DataFrame | None = None,
    ) -> None:
        self._history = as_history(history)  # history.COLUMNS, one row per change; replaced, never changed
        self._new_history: list[Rows] = []  # recorded since `history` was last read
        self.user = current_user()  # who the history names
        self._first_rows: pd.Series | None = None
        self.book = ObjectiveBook.of(objectives, info, next_objective_id)
        table = overrides_frame(overrides)
        self._overrides: dict[tuple[str, str], Override] = {}
        for a, f, v, reason, time in table.itertuples(index=False):
            when = None if pd.isna(time) else pd.Timestamp(time).to_pydatetime()
            note = "" if pd.isna(reason) else str(reason)
            self._overrides[(str(a), str(f))] = Override(str(a), str(f), str(v), note, when)
        accounts = owners.owners_from_overrides(accounts, self._overrides.values())  # reassigned in this plan
        self.accounts = accounts
        self._ids = (
            accounts["account_id"].astype("string")
            if "account_id" in accounts.columns
            else pd.Series(pd.NA, index=accounts.index, dtype="string")
        )
        self._wallets = self._estimate(accounts, playbook)  # made once; again only when its settings change
        self.classification = classify(
            accounts, playbook, self._overrides, as_of=as_of, wallets=self._wallets
        )
        self.as_of = self.classification.as_of
        self._groups = {c: group_codes(accounts, c) for c in ("territory", "owner")}
        if isinstance(sellers, pd.DataFrame):
            sellers = sellers_from_frame(sellers)
        #: the sellers table: the ones given, then a guessed one for each owner in the accounts it lacks
        self.sellers: tuple[Seller, ...] = complete_sellers(sellers or (), accounts, self.classification)
        self._coverage: Coverage | None = None
        self._counts: PairCounts | None = None  # of the current classification; None: count again
        self._completeness: pd.DataFrame | None = None

    @staticmethod
    def _estimate(accounts: pd.DataFrame, playbook: Playbook) -> WalletEstimate:
        return estimate_wallets(accounts, playbook.wallet, playbook.currency)

    @property
    def playbook(self) -> Playbook:
        return self.classification.playbook

    @property
    def objectives(self) -> pd.DataFrame:
        """The objective table (see objectives.OBJECTIVE_COLUMNS), sorted by objective_id. Read-only: change
        it through edits; each edit replaces the table, so a reference taken earlier stays as it was."""
        return self.book.table

    @property
    def info(self) -> PlanInfo:
        return self.book.info

    @property
    def next_objective_id(self) -> int:
        return self.book.next_id

    def reserve_objective_ids(self, n: int) -> list[int]:
        return self.book.reserve(n)

    def objectives_of(self, row: int) -> pd.DataFrame:
        """The objectives of the account at `row` (by its account_id)."""
        account: Any = self._ids.iat[row]
        if pd.isna(account):
            return self.book.table.iloc[:0]
        return self.book.table[self.book.table["account_id"] == self._ids.iat[row]]

    def completeness(self) -> pd.DataFrame:
        """Per account row: objectives (count), complete (0–1), missing (text): objectives.completeness."""
        if self._completeness is None:
            lookup = id_rows(self.classification) if "account_id" in self.accounts.columns else None
            self._completeness = completeness(self.accounts, self.book.table, self.info.owner, lookup)
        return self._completeness

    def territory_completeness(self) -> float:
        """The average completeness of the account plans (NaN for a plan without accounts)."""
        score = self.completeness()["complete"]
        return float(score.mean()) if len(score) else float("nan")

    @property
    def overrides(self) -> pd.DataFrame:
        """account_id, field, value, reason, time: the table saved with a plan."""
        return overrides_frame(self._overrides)

    def override(self, account_id: str, field: str) -> Override | None:
        return self._overrides.get((account_id, field))

    def owner_locks(self) -> np.ndarray:
        """Per account row, whether balancing keeps its owner (playbook sellers.keep_owner, or a lock)."""
        return owners.owner_locks(self.classification, self._ids, self._overrides.values())

    def reassigned(self) -> np.ndarray:
        """Per account row, whether its owner was set in this plan (reassigned by hand or by balancing)."""
        return owners.reassigned(self._ids, self._overrides.values())

    def coverage(self) -> Coverage:
        if self._coverage is None:
            if self._counts is None:
                self._counts = PairCounts.of(self.accounts, self.classification, self._groups)
            self._coverage = coverage(
                self.accounts, self.classification, self.playbook, self._groups, self._counts
            )
        return self._coverage

    def coverage_of(self, keep: np.ndarray, classification: Classification | None = None) -> Coverage:
        """Coverage of the accounts `keep` (a boolean per account) keeps: what a filtered view shows. By the
        current classification, or by another one of these accounts (the plan as it was opened)."""
        cls = classification if classification is not None else self.classification
        return coverage(self.accounts, cls, cls.playbook, self._groups, keep=keep)

    def first_rows(self, ids: Sequence[str]) -> np.ndarray:
        """The first row of each account id (-1 for ids the plan does not hold)."""
        unique = id_rows(self.classification)
        if unique is not None:  # the usual case: a dict lookup per id, no index built per call
            return np.asarray([unique.get(a, -1) for a in ids], dtype=np.int64)
        if self._first_rows is None:
            lookup = pd.Series(np.arange(len(self._ids), dtype=np.int64), index=self._ids.to_numpy(object))
            self._first_rows = lookup[~lookup.index.duplicated() & lookup.index.notna()]
        found = self._first_rows.reindex(pd.Index(list(ids), dtype=object))
        return found.fillna(-1).to_numpy(np.int64)

    def account_label(self, row: int) -> str:
        for column in ("account_name", "account_id"):
            value: Any = self.accounts[column].iat[row] if column in self.accounts.columns else None
            if value is not None and pd.notna(value):
                return str(value)
        return f"row {row + 1}"

    # ------------------------------------------------------------ edits

    def apply(self, edit: Edit, *, record: bool = True, note: str = "") -> Applied:
        """Apply an edit; return its inverse, the rows and values that changed and an Edit-menu text. With
        `record` the change joins the history (by `self.user`, now), described by `note` or the edit text."""
        applied = self._apply(edit)
        if record:
            when = getattr(edit, "time", None) or datetime.now().replace(microsecond=0)
            description = note or applied.description
            self._new_history.append(history_rows(applied.record, self, self.user, when, description))
        return applied

    @property
    def history(self) -> pd.DataFrame:
        """Every recorded change (history.COLUMNS), oldest first. Edits collect their rows; they join the
        table when it is read, so a run of edits does not copy it once per edit."""
        if self._new_history:
            self._history = append(self._history, rows_frame(self._new_history))
            self._new_history = []
        return self._history

    @history.setter
    def history(self, frame: pd.DataFrame) -> None:
        self._history = as_history(frame)
        self._new_history = []

    def _apply(self, edit: Edit) -> Applied:
        if isinstance(edit, owners.OWNER_EDITS + seller_edits.SELLER_EDITS):
            return self._apply_owners(edit)  # type: ignore[arg-type]
        if isinstance(edit, SetObjectiveValues | AddObjectives | RemoveObjectives | SetPlanInfo):
            inverse_, ids_, text_, what_, record_ = self.book.apply(edit, self._ids)
            self._completeness = None
            rows_ = (
                np.unique(rows_of(self._ids, pd.Series(ids_, dtype="string"))[1])
                if ids_
                else np.zeros(0, np.int64)
            )
            return Applied(inverse_, rows_, what_, text_, record_)
        if isinstance(edit, PinAccounts | RestoreOverrides | SetWallet):
            return self._apply_overrides(edit)
        old = self.classification
        inverse, description, record = self._apply_playbook(edit)
        self._coverage = None
        compare = ROW_FIELDS
        if isinstance(edit, MoveSplit):  # only personas moved; a tier-based role stays
            compare = _SPLIT_FIELDS if self.playbook.role_from == "persona" else _SPLIT_FIELDS[:-1]
        rows, what = changes(old, self.classification, compare)
        if isinstance(edit, MoveSplit):
            what &= ~Changed.PLAYBOOK  # only a split moved, and X_SPLIT/Y_SPLIT say so
            if self._counts is not None:  # same tiers and rules: re-pair the moved rows
                self._counts.move(self.classification, rows)
        else:
            self._counts = None
        return Applied(inverse, rows, what, description, record)

    def _apply_overrides(self, edit: PinAccounts | RestoreOverrides | SetWallet) -> Applied:
        old = self.classification
        inverse, description, ids = self._edit_overrides(edit)
        wallets = any(f == "wallet" for _, f, _ in inverse.entries)
        quick = None if wallets else with_overrides_at(old, self._overrides, ids)
        self._coverage = None
        if wallets:  # a wallet moves the account's axes and the percentile splits and cutoffs
            self._set_playbook(self.playbook)
        elif quick is not None:  # only the pinned rows can change
            self.classification, touched = quick
            if self._counts is not None:
                self._counts.move(self.classification, touched)
            _rows, what = changes(old, self.classification, ROW_FIELDS, touched)
            what |= Changed.OVERRIDES if len(touched) else Changed.NOTHING
            return Applied(inverse, touched, what, description, self._override_record(edit, inverse, old))
        else:
            self.classification = with_overrides(old, self._overrides)
        touched = rows_of_ids(self.classification, ids)
        rows, what = changes(old, self.classification, ROW_FIELDS)
        self._counts = None
        if len(touched):
            rows = np.union1d(rows, touched)
            what |= Changed.OVERRIDES
        return Applied(inverse, rows, what, description, self._override_record(edit, inverse, old))

    def _override_record(
        self,
        edit: PinAccounts | RestoreOverrides | SetWallet,
        inverse: RestoreOverrides,
        before: Classification,
    ) -> OverrideRecord:
        kind = "move" if isinstance(edit, PinAccounts) and edit.value is not None else "override"
        entries = [(a, f) for a, f, _ in inverse.entries]
        reason: str | list[str]
        if isinstance(edit, RestoreOverrides):  # each restored override keeps its own reason
            reason = [o.reason if (o := self.override(a, f)) is not None else "" for a, f in entries]
        else:
            reason = edit.reason
        return OverrideRecord(kind, entries, before, self.classification, reason)

    def _apply_playbook(
        self, edit: MoveSplit | SetPlaybookValue | RenameTier | SetPlaybook | SetWalletSettings
    ) -> tuple[Edit, str, Record]:
        """Apply an edit of the playbook; (inverse, description, change record)."""
        before = self.playbook
        if isinstance(edit, MoveSplit):
            split = getattr(before.personas, f"{edit.axis}_split")
            inverse = MoveSplit(edit.axis, split.value, split.kind)
            self._set_playbook(with_split(before, edit.axis, edit.kind, edit.value), moved_split=edit.axis)
            name = "share-of-wallet split" if edit.axis == "x" else "potential split"
            change = (name, _split_words(before, inverse), _split_words(self.playbook, edit))
            return inverse, self._split_text(edit), PlanWideRecord("split", (change,))
        if isinstance(edit, SetPlaybookValue):
            old_value = get_value(before, edit.key)
            self._set_playbook(with_value(before, edit.key, edit.value))
            description = f"Remove {edit.key}" if edit.value is None else f"Set {edit.key} to {edit.value!r}"
            change = (edit.key, text(old_value), text(edit.value))
            return SetPlaybookValue(edit.key, old_value), description, PlanWideRecord("playbook", (change,))
        if isinstance(edit, RenameTier):
            renamed = with_tier_renamed(before, edit.index, edit.name)  # checks the index
            old_name = before.tiers[edit.index].name
            for key, o in list(self._overrides.items()):
                if o.field == "tier" and o.value == old_name:
                    self._overrides[key] = Override(o.account_id, o.field, edit.name, o.reason, o.time)
            self._set_playbook(renamed)
            change = (f"tier {edit.index + 1} name", old_name, edit.name)
            record = PlanWideRecord("playbook", (change,))
            return RenameTier(edit.index, old_name), f"Rename tier {old_name} to {edit.name}", record
        if isinstance(edit, SetPlaybook):
            self._set_playbook(edit.playbook)
            record = PlanWideRecord("playbook", (("playbook", before.name, edit.playbook.name),))
            return SetPlaybook(before, edit.description), edit.description, record
        if isinstance(edit, SetWalletSettings):
            return self._set_wallet_settings(edit)
        raise TypeError(f"not an edit: {edit!r}")

    def _apply_owners(self, edit: owners.OwnerEdit | seller_edits.SellerEdit) -> Applied:
        state = owners.OwnerState(
            self.accounts,
            self._ids,
            self._overrides,
            self.sellers,
            self.playbook,
            self._ids_of,
            lambda ids: rows_of_ids(self.classification, ids),
            self.account_label,
            self.classification,
            self.first_rows,
        )
        if isinstance(edit, owners.OWNER_EDITS):
            done = owners.apply_owner_edit(state, edit)
        else:
            done = seller_edits.apply_seller_edit(state, edit)
        if done.sellers is not None:
            self.sellers = done.sellers
        if done.accounts is not None:  # new owners: regroup; tiers and personas do not depend on them
            self.accounts = done.accounts
            self.classification = copy.copy(self.classification)
            self.classification.accounts = done.accounts
            self._groups["owner"] = group_codes(done.accounts, "owner")
            self._coverage = self._counts = self._completeness = None
        assert done.record is not None
        return Applied(done.inverse, done.rows, done.what, done.description, done.record)  # type: ignore[arg-type]

    def _set_playbook(self, playbook: Playbook, moved_split: str | None = None) -> None:
        cls = self.classification
        if moved_split == "x":
            self.classification = with_splits(cls, resolve(playbook.personas.x_split, cls.x), None, playbook)
        elif moved_split == "y":
            self.classification = with_splits(cls, None, resolve(playbook.personas.y_split, cls.y), playbook)
        else:
            if (playbook.wallet, playbook.currency) != (self._wallets.settings, self._wallets.currency):
                self._wallets = self._estimate(self.accounts, playbook)
            self.classification = classify(
                self.accounts, playbook, self._overrides, as_of=self.as_of, wallets=self._wallets
            )

    def _set_wallet_settings(self, edit: SetWalletSettings) -> tuple[Edit, str, Record]:
        """Estimate every wallet again under new settings; the text names them and the coverage change."""
        old_settings, before = self.playbook.wallet, self.coverage()
        self._set_playbook(replace(self.playbook, wallet=edit.settings))
        self._coverage = self._counts = None
        change = coverage_change(before, self.coverage(), self.playbook.currency)
        description = edit.description or f"Estimate wallets: {settings_text(edit.settings)} ({change})"
        inverse = SetWalletSettings(old_settings, f"Estimate wallets: {settings_text(old_settings)}")
        words = ("wallet", settings_text(old_settings), settings_text(edit.settings))
        return inverse, description, PlanWideRecord("playbook", (words,))

    def wallet_of(self, account_id: str) -> float | None:
        """The wallet the planner typed for this account (None: none typed)."""
        o = self._overrides.get((account_id, "wallet"))
        return float(o.value) if o is not None else None

    def _edit_overrides(
        self, edit: PinAccounts | RestoreOverrides | SetWallet
    ) -> tuple[RestoreOverrides, str, list[str]]:
        if isinstance(edit, RestoreOverrides):
            changes_ = [(a, f, o) for a, f, o in edit.entries]
            description = edit.description
        elif isinstance(edit, SetWallet):
            who = self.account_label(edit.rows[0]) if len(edit.rows) == 1 else f"{len(edit.rows)} accounts"
            changes_, description = wallet_overrides(
                edit, self._ids_of(edit.rows), who, self.playbook.currency
            )
        else:
            if edit.field not in PINNABLE:
                raise ValueError(f"cannot pin {edit.field!r}: pin one of {', '.join(PINNABLE)}")
            if edit.value is not None and edit.value not in self.classification.names(edit.field):
                raise ValueError(f"{edit.value!r} is not a {edit.field} of this playbook")
            ids = self._ids_of(edit.rows)
            when = edit.time or datetime.now().replace(microsecond=0)
            unique = list(dict.fromkeys(ids))
            changes_ = [
                (
                    a,
                    edit.field,
                    None if edit.value is None else Override(a, edit.field, edit.value, edit.reason, when),
                )
                for a in unique
            ]
            description = self._pin_text(edit)
        before = tuple((a, f, self._overrides.get((a, f))) for a, f, _ in changes_)
        for a, f, o in changes_:
            if o is None:
                self._overrides.pop((a, f), None)
            else:
                self._overrides[(a, f)] = o
        return RestoreOverrides(before, f"Undo: {description}"), description, [a for a, _, _ in changes_]

    def _ids_of(self, rows: tuple[int, ...]) -> list[str]:
        at = np.asarray(rows, np.int64)
        bad = at[(at < 0) | (at >= len(self.accounts))]
        if len(bad):
            raise IndexError(f"no account at row {bad[0]} (the plan has {len(self.accounts)} rows)")
        ids = self._ids.iloc[list(rows)]
        if ids.isna().any():
            raise ValueError(
                f"row {rows[int(np.argmax(ids.isna().to_numpy()))]} has no account_id: "
                f"overrides are kept by account id"
            )
        return ids.astype(object).tolist()

    def _pin_text(self, edit: PinAccounts) -> str:
        who = self.account_label(edit.rows[0]) if len(edit.rows) == 1 else f"{len(edit.rows)} accounts"
        if edit.value is None:
            return f"Clear {edit.field} override on {who}"
        return f"Move {who} to {edit.value}"

    def _split_text(self, edit: MoveSplit) -> str:
        p = self.playbook.personas
        name = "share-of-wallet" if edit.axis == "x" else "potential"
        if edit.kind == "percentile":
            return f"Move {name} split to the {edit.value * 100:g}th percentile"
        formula = p.x if edit.axis == "x" else p.y
        return f"Move {name} split to {axis_text(formula, edit.value, self.playbook.currency)[0]}"


def _split_words(playbook: Playbook, move: MoveSplit) -> str:
    """A split as the planner reads it: "47%" of share of wallet, "$800k" of potential, a percentile."""
    if move.kind == "percentile":
        return f"{move.value * 100:g}th percentile"
    formula = playbook.personas.x if move.axis == "x" else playbook.personas.y
    return str(axis_text(formula, move.value, playbook.currency)[0])
