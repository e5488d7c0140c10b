"""Account-plan edits as plain data: objectives set, added and removed, plan owner and period; each applied
edit returns its inverse. Also the builders the plan editor uses (a template applied to a selection)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tierdesk.domain.changes import Changed
from tierdesk.domain.history import text
from tierdesk.domain.objectives import (
    EDITABLE,
    KIND_LABELS,
    STATUSES,
    YEARS,
    Objective,
    check_value,
    generate_objectives,
    objective_records,
    objectives_table,
    records_table,
)

if TYPE_CHECKING:
    from tierdesk.domain.classify import OverridesLike
    from tierdesk.domain.plan import Plan
    from tierdesk.domain.playbook import Playbook

__all__ = [
    "AddObjectives",
    "ObjectiveBook",
    "ObjectiveEdit",
    "PlanInfo",
    "RemoveObjectives",
    "SetObjectiveValues",
    "SetPlanInfo",
    "add_objective",
    "new_plan",
    "set_objective",
    "template_objectives",
]


@dataclass(frozen=True)
class PlanInfo:
    """Who owns the plan and the period it covers (None: twelve months from the plan date)."""

    owner: str = ""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    title: str = ""

    def __post_init__(self) -> None:
        for name in ("period_start", "period_end"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, dt.date):
                raise ValueError(f"the plan's {name.replace('_', ' ')} must be a date, got {value!r}")
            if isinstance(value, dt.datetime):
                object.__setattr__(self, name, value.date())
            if value is not None and not YEARS[0] <= value.year <= YEARS[1]:
                raise ValueError(f"the plan period must lie between {YEARS[0]} and {YEARS[1]}, got {value}")
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValueError(
                f"the plan period ends ({self.period_end}) before it starts ({self.period_start})"
            )

    def period(self, as_of: pd.Timestamp) -> tuple[dt.date, dt.date]:
        """(start, end) of the plan period, the defaults filled from the plan date."""
        start = self.period_start or as_of.date()
        end = self.period_end or (pd.Timestamp(start) + pd.DateOffset(years=1) - pd.Timedelta(days=1)).date()
        return start, end


@dataclass(frozen=True)
class SetPlanInfo:
    info: PlanInfo
    description: str = "Change plan owner and period"


@dataclass(frozen=True)
class SetObjectiveValues:
    """Set objective fields: (objective_id, field, value) entries, applied in order; fields in EDITABLE."""

    entries: tuple[tuple[int, str, Any], ...]
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "entries", tuple((int(i), str(f), v) for i, f, v in self.entries))


@dataclass(frozen=True)
class AddObjectives:
    """Add objectives (ids reserved with Plan.reserve_objective_ids, so redo adds the same ones)."""

    objectives: tuple[Objective, ...]
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "objectives", tuple(self.objectives))


@dataclass(frozen=True)
class RemoveObjectives:
    ids: tuple[int, ...]
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "ids", tuple(int(i) for i in self.ids))


ObjectiveEdit = SetObjectiveValues | AddObjectives | RemoveObjectives | SetPlanInfo
_Done = tuple[ObjectiveEdit, list[str], str, Changed]  # inverse, account ids, description, what changed


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
        """Apply; return (inverse, account ids touched, description, what changed). Refused edits change
        nothing. `known` holds the plan's account ids (objectives must belong to one)."""
        if isinstance(edit, SetPlanInfo):
            old = self.info
            self.info = edit.info
            return (
                SetPlanInfo(old, f"Undo: {edit.description}"),
                [],
                edit.description,
                Changed.PLAN_INFO | Changed.COMPLETENESS,
            )
        if isinstance(edit, SetObjectiveValues):
            return self._set(edit)
        if isinstance(edit, AddObjectives):
            return self._add(edit, known)
        if isinstance(edit, RemoveObjectives):
            removed = self.table.iloc[np.sort(self.positions(edit.ids))]
            keep = ~self.table["objective_id"].isin(list(edit.ids))
            description = edit.description or self._count_text("Remove", removed)
            self.table = self.table[keep.to_numpy(bool)].reset_index(drop=True)
            inverse = AddObjectives(objective_records(removed), f"Undo: {description}")
            return inverse, _unique(removed["account_id"]), description, _OBJECTIVES_CHANGED
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
        table = self.table.copy()
        old = []
        columns = {c: list(table.columns).index(c) for c in EDITABLE}
        for i, f, v, pos in checked:
            old.append((i, f, _plain(f, table.iat[pos, columns[f]])))
            table.iat[pos, columns[f]] = _stored(f, v)
        self.table = table
        description = edit.description or self._set_text(checked)
        inverse = SetObjectiveValues(tuple(reversed(old)), f"Undo: {description}")
        return inverse, _unique(table["account_id"].iloc[at]), description, _OBJECTIVES_CHANGED

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
        return inverse, _unique(added["account_id"]), description, _OBJECTIVES_CHANGED

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


# ---------------------------------------------------------------- builders for the plan editor


def set_objective(objective_id: int, field: str, value: Any, description: str = "") -> SetObjectiveValues:
    return SetObjectiveValues(((objective_id, field, value),), description)


def add_objective(
    plan: Plan,
    row: int,
    kind: str = "custom",
    description: str = "",
    *,
    target: float | None = None,
    target_text: str = "",
    due: dt.date | None = None,
    status: str = STATUSES[0],
    notes: str = "",
) -> AddObjectives:
    """A new objective for the account at `row`, its id reserved now so undo/redo keep it."""
    account: Any = plan.accounts["account_id"].iat[row] if "account_id" in plan.accounts.columns else None
    if account is None or pd.isna(account):
        raise ValueError(f"row {row} has no account_id: objectives are kept by account id")
    (oid,) = plan.reserve_objective_ids(1)
    o = Objective(oid, str(account), kind, description, target, target_text, due, status, notes)
    return AddObjectives((o,), f"Add objective to {plan.account_label(row)}")


def template_objectives(
    plan: Plan, rows: Iterable[int], template: int | None = None, *, skip_existing: bool = True
) -> AddObjectives | None:
    """Objectives from one playbook template (by index) for every selected account, or, with template None,
    each selected account's own category and persona templates. Accounts that already hold an objective of
    the same template and kind are skipped when `skip_existing`. None when there is nothing to add."""
    chosen = np.unique(np.asarray(list(rows), np.int64))
    templates = None if template is None else [template]
    if template is not None and not 0 <= template < len(plan.playbook.objectives):
        raise IndexError(
            f"no objective template {template} (the playbook has {len(plan.playbook.objectives)})"
        )
    start = pd.Timestamp(plan.info.period(plan.as_of)[0])
    found = generate_objectives(plan.classification, chosen, templates, first_id=0, as_of=start)
    if skip_existing and len(found) and len(plan.objectives):
        have = pd.MultiIndex.from_frame(plan.objectives[["account_id", "template", "kind"]].astype(object))
        key = pd.MultiIndex.from_frame(found[["account_id", "template", "kind"]].astype(object))
        found = found[~key.isin(have)]
    if not len(found):
        return None
    found = found.assign(objective_id=np.asarray(plan.reserve_objective_ids(len(found)), np.int64))
    what = "their templates" if template is None else f"'{plan.playbook.objectives[template].description}'"
    accounts = found["account_id"].nunique()
    who = "1 account" if accounts == 1 else f"{accounts:,} accounts"
    return AddObjectives(objective_records(found), f"Apply {what} to {who}")


def new_plan(
    accounts: pd.DataFrame,
    playbook: Playbook,
    overrides: OverridesLike = None,
    *,
    as_of: pd.Timestamp | dt.datetime | str | None = None,
    info: PlanInfo | None = None,
) -> Plan:
    """A new plan whose accounts start with the objectives their category and persona templates set."""
    from tierdesk.domain.plan import Plan

    plan = Plan(accounts, playbook, overrides, as_of=as_of, info=info)
    start = pd.Timestamp(plan.info.period(plan.as_of)[0])
    plan.book = ObjectiveBook.of(generate_objectives(plan.classification, as_of=start), info, None)
    return plan
