"""Account-plan edits as the plan editor builds them: an objective set or added, a template applied to a
selection, a new plan with its accounts' objectives. The edit types (edits.py) and the objective book they
change (objective_book.py) are named here too, where callers look for them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from tierdesk.domain.edits import (
    AddObjectives,
    ObjectiveEdit,
    PlanInfo,
    RemoveObjectives,
    SetObjectiveValues,
    SetPlanInfo,
)
from tierdesk.domain.objective_book import ObjectiveBook
from tierdesk.domain.objectives import STATUSES, Objective, generate_objectives, objective_records
from tierdesk.domain.overrides import OverridesLike
from tierdesk.domain.plan import Plan
from tierdesk.domain.playbook import Playbook

__all__ = [  # the edit types and the book are re-exported: callers name them with the builders
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
    plan = Plan(accounts, playbook, overrides, as_of=as_of, info=info)
    start = pd.Timestamp(plan.info.period(plan.as_of)[0])
    plan.book = ObjectiveBook.of(generate_objectives(plan.classification, as_of=start), info, None)
    return plan
