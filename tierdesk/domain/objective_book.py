"""The objective table a plan keeps (sorted by objective_id), its details (PlanInfo) and the next free
objective id; objective and plan-detail edits applied to them, each returning its inverse and a change
record for the history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from tierdesk.domain.changes import Changed
from tierdesk.domain.edits import (
    AddObjectives,
    ObjectiveEdit,
    PlanInfo,
    RemoveObjectives,
    SetObjectiveValues,
    SetPlanInfo,
)
from tierdesk.domain.history import AccountRecord, PlanWideRecord, Record, text
from tierdesk.domain.objectives import (
    EDITABLE,
    KIND_LABELS,
    check_value,
    objective_records,
    objectives_table,
    records_table,
)

__all__ = ["ObjectiveBook"]


#: inverse, account ids touched, description, what changed, the change in words
_Done = tuple[ObjectiveEdit, list[str], str, Changed, Record]


@dataclass
class ObjectiveBook:
    """The plan's objective table (sorted by objective_id), plan details and the next free objective id."""

    table: pd.DataFrame
    info: PlanInfo = field(default_factory=PlanInfo)
    next_id: int = 1

    @classmethod
    def of(cls, objectives: pd.DataFrame | None, info: PlanInfo | None, next_id: int | None) -> ObjectiveBook:
        table = objectives_table(objectives)
        top = int(table["objective_id"].max()) + 1 if len(table) else 1
        return cls(table, info or PlanInfo(), max(top, next_id or 1))

    def reserve(self, n: int) -> list[int]:
        """n objective ids never used in this plan (ids are not handed out twice, even after undo)."""
        first = self.next_id
        self.next_id += n
        return list(range(first, first + n))

    def positions(self, ids: Sequence[int]) -> np.ndarray:
        have = self.table["objective_id"].to_numpy(np.int64)
        wanted = np.asarray(ids, np.int64)
        at = np.searchsorted(have, wanted)
        found = (
            (at < len(have)) & (have[np.minimum(at, max(len(have) - 1, 0))] == wanted)
            if len(have)
            else np.zeros(len(wanted), bool)
        )
        if not found.all():
            raise KeyError(f"no objective {int(wanted[np.argmin(found)])} in this plan")
        return at

    def label(self, objective_id: int) -> str:
        at = self.positions([objective_id])[0]
        return str(self.table["description"].iat[at]) or f"objective {objective_id}"

    def apply(self, edit: ObjectiveEdit, known: pd.Series) -> _Done:
        """Apply; return (inverse, account ids touched, description, what changed, change record). Refused
        edits change nothing. `known` holds the plan's account ids (objectives must belong to one)."""
        if isinstance(edit, SetPlanInfo):
            old = self.info
            self.info = edit.info
            changed = tuple(
                (f.replace("_", " "), text(getattr(old, f)), text(getattr(edit.info, f)))
                for f in ("owner", "title", "period_start", "period_end")
                if getattr(old, f) != getattr(edit.info, f)
            )
            return (
                SetPlanInfo(old, f"Undo: {edit.description}"),
                [],
                edit.description,
                Changed.PLAN_INFO | Changed.COMPLETENESS,
                PlanWideRecord("plan", changed or (("plan info", "", ""),)),
            )
        if isinstance(edit, SetObjectiveValues):
            return self._set(edit)
        if isinstance(edit, AddObjectives):
            return self._add(edit, known)
        if isinstance(edit, RemoveObjectives):
            removed = self.table.iloc[np.sort(self.positions(edit.ids))]
            keep = ~self.table["objective_id"].isin(list(edit.ids))
            description = edit.description or self._count_text("Remove", removed)
            record = _removed_record(self.table, edit.ids)
            self.table = self.table[keep.to_numpy(bool)].reset_index(drop=True)
            inverse = AddObjectives(objective_records(removed), f"Undo: {description}")
            return inverse, _unique(removed["account_id"]), description, _OBJECTIVES_CHANGED, record
        raise TypeError(f"not an objective edit: {edit!r}")

    def _set(self, edit: SetObjectiveValues) -> _Done:
        if not edit.entries:
            raise ValueError("nothing to change")
        ids = [i for i, _, _ in edit.entries]
        at = self.positions(ids)
        checked = []
        for (i, f, v), pos in zip(edit.entries, at.tolist(), strict=True):
            if f not in EDITABLE:
                raise ValueError(f"{f!r} is not an objective field a planner edits ({', '.join(EDITABLE)})")
            checked.append((i, f, check_value(f, v), pos))
        before, table = self.table, self.table.copy()
        old = []
        columns = {c: list(table.columns).index(c) for c in EDITABLE}
        for i, f, v, pos in checked:
            old.append((i, f, _plain(f, table.iat[pos, columns[f]])))
            table.iat[pos, columns[f]] = _stored(f, v)
        self.table = table
        description = edit.description or self._set_text(checked)
        inverse = SetObjectiveValues(tuple(reversed(old)), f"Undo: {description}")
        record = _set_record(before, table, edit)
        return inverse, _unique(table["account_id"].iloc[at]), description, _OBJECTIVES_CHANGED, record

    def _add(self, edit: AddObjectives, known: pd.Series) -> _Done:
        if not edit.objectives:
            raise ValueError("no objectives to add")
        for o in edit.objectives:
            for f in ("account_id", *EDITABLE, "current", "template"):
                check_value(f, getattr(o, f))
        added = records_table(edit.objectives)  # refuses repeated ids
        clash = added["objective_id"].isin(self.table["objective_id"])
        if clash.any():
            raise ValueError(f"objective {int(added['objective_id'][clash].iloc[0])} is already in the plan")
        strangers = ~added["account_id"].isin(known.dropna())
        if strangers.any():
            raise ValueError(f"account {added['account_id'][strangers].iloc[0]!r} is not in this plan")
        self.table = objectives_table(pd.concat([self.table, added], ignore_index=True))
        self.next_id = max(self.next_id, int(added["objective_id"].max()) + 1)
        description = edit.description or self._count_text("Add", added)
        inverse = RemoveObjectives(tuple(added["objective_id"].tolist()), f"Undo: {description}")
        record = AccountRecord(
            "objective",
            [o.account_id for o in edit.objectives],
            "objective",
            "",
            [o.description or f"objective {o.objective_id}" for o in edit.objectives],
        )
        return inverse, _unique(added["account_id"]), description, _OBJECTIVES_CHANGED, record

    def _count_text(self, verb: str, rows: pd.DataFrame) -> str:
        if len(rows) == 1:
            first = rows.iloc[0]
            return f"{verb} objective '{first['description'] or first['objective_id']}'"
        return f"{verb} {len(rows):,} objectives"

    def _set_text(self, checked: list[tuple[int, str, Any, int]]) -> str:
        ids = {i for i, _, _, _ in checked}
        fields = {f for _, f, _, _ in checked}
        if len(ids) == 1 and len(fields) == 1:
            i, f, v, _ = checked[-1]
            shown = KIND_LABELS.get(v, v) if f == "kind" else text(v) if v is not None else None
            what = f.replace("_", " ")
            if f in ("notes", "description", "target_text") or shown is None:
                return f"Edit {what} of '{self.label(i)}'"
            return f"Set {what} of '{self.label(i)}' to {shown}"
        return f"Edit {len(ids):,} objectives"


_OBJECTIVES_CHANGED = Changed.OBJECTIVES | Changed.COMPLETENESS


def _unique(values: pd.Series) -> list[str]:
    return list(dict.fromkeys(str(v) for v in values.tolist()))


def _plain(f: str, value: Any) -> Any:
    """A stored table value as the plain value an edit carries."""
    if f == "due":
        return None if pd.isna(value) else pd.Timestamp(value).date()
    if f == "target":
        return None if pd.isna(value) else float(value)
    return str(value)


def _stored(f: str, value: Any) -> Any:
    if f == "due":
        return pd.NaT if value is None else pd.Timestamp(value)
    if f == "target":
        return np.nan if value is None else value
    return value


# ---------------------------------------------------------------- change records


def _objective_label(table: pd.DataFrame, at: int) -> str:
    label = str(table["description"].iat[at]) if "description" in table.columns else ""
    return label or f"objective {table['objective_id'].iat[at]}"


def _set_record(before: pd.DataFrame, after: pd.DataFrame, edit: SetObjectiveValues) -> AccountRecord:
    """One entry per value set: the account, the field and objective, the value before the edit and after."""
    have = before["objective_id"].to_numpy(np.int64)
    now = after["objective_id"].to_numpy(np.int64)
    ids, what, old, new = [], [], [], []
    for oid, f, _ in edit.entries:
        b = int(np.searchsorted(have, oid))
        a = int(np.searchsorted(now, oid))
        ids.append(str(after["account_id"].iat[a]))
        what.append(f"{f.replace('_', ' ')} ({_objective_label(after, a)})")
        old.append(text(before[f].iat[b]))
        new.append(text(after[f].iat[a]))
    return AccountRecord("objective", ids, what, old, new)


def _removed_record(table: pd.DataFrame, removed: Sequence[int]) -> AccountRecord:
    have = table["objective_id"].to_numpy(np.int64)
    at = [int(np.searchsorted(have, oid)) for oid in removed]
    ids = [str(table["account_id"].iat[b]) for b in at]
    return AccountRecord("objective", ids, "objective", [_objective_label(table, b) for b in at], "")
