"""Objective templates per relationship category and persona, and the objectives they set for each account."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn, Protocol

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from tierdesk.domain.classify import Classification

OBJECTIVE_KINDS: tuple[str, ...] = ("revenue", "average_deal_size", "breadth", "relationship",
                                    "referenceability", "first_purchase", "agreement", "custom")
#: How a target is set, and the keys each rule needs:
#: growth = field × (1 + value); increase = field + value; value = a fixed number;
#: share_of_wallet = wallet × value (a revenue target); yes = a yes/no milestone; text = qualitative.
TARGET_RULES: dict[str, tuple[str, ...]] = {"growth": ("field", "value"), "increase": ("field", "value"),
                                            "value": ("value",), "share_of_wallet": ("value",), "yes": (),
                                            "text": ("text",)}


@dataclass(frozen=True)
class Target:
    rule: str
    field: str | None = None
    value: float | None = None
    text: str | None = None


@dataclass(frozen=True)
class ObjectiveTemplate:
    scope: str  # "category" or "persona"
    group: str  # the category or persona it applies to
    kind: str
    description: str
    target: Target
    due_months: int


def objective_to_dict(o: ObjectiveTemplate) -> dict[str, Any]:
    target: dict[str, Any] = {"rule": o.target.rule}
    for key in TARGET_RULES[o.target.rule]:
        target[key] = getattr(o.target, key)
    return {o.scope: o.group, "kind": o.kind, "description": o.description, "target": target,
            "due_months": o.due_months}


class TableReader(Protocol):
    """The playbook loader's view of one TOML table (see playbook._Table)."""

    data: Mapping[str, Any]

    def get(self, name: str, kind: str, default: Any = ..., choices: tuple[str, ...] = ()) -> Any: ...
    def number(self, name: str) -> Any: ...
    def table(self, name: str) -> TableReader: ...
    def fail(self, name: str, problem: str) -> NoReturn: ...
    def done(self) -> None: ...


def read_objective(t: TableReader, categories: tuple[str, ...], personas: tuple[str, ...],
                   fields: tuple[str, ...]) -> ObjectiveTemplate:
    """One [[objectives]] table, validated (errors name the key)."""
    scopes = [s for s in ("category", "persona") if s in t.data]
    if len(scopes) != 1:
        t.fail("category", "give exactly one of category = ... or persona = ...")
    scope = scopes[0]
    group = t.get(scope, "text", choices=categories if scope == "category" else personas)
    kind = t.get("kind", "text", choices=OBJECTIVE_KINDS)
    tt = t.table("target")
    rule = tt.get("rule", "text", choices=tuple(TARGET_RULES))
    needs = TARGET_RULES[rule]
    target = Target(rule, tt.get("field", "text", choices=fields) if "field" in needs else None,
                    tt.number("value") if "value" in needs else None,
                    tt.get("text", "text") if "text" in needs else None)
    tt.done()
    due = t.get("due_months", "integer")
    if due < 1:
        t.fail("due_months", f"must be at least 1 month, got {due}")
    objective = ObjectiveTemplate(scope, group, kind, t.get("description", "text"), target, due)
    t.done()
    return objective


def account_objectives(cls: Classification, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """One row per (account, objective) from the playbook's templates for the account's category and persona.

    Columns: row, scope, group, kind, description, current, target (numbers; NaN for milestones),
    target_text (readable), due (date). Accounts whose category/persona is unclassified get none from it.
    """
    from tierdesk.domain.classify import AccountValues  # classify imports the playbook, which imports us

    values = AccountValues(cls.accounts)
    as_of = cls.as_of if as_of is None else as_of
    names = {"category": cls.category_names, "persona": cls.persona_names}
    codes = {"category": cls.category, "persona": cls.persona}
    parts = []
    for o in cls.playbook.objectives:
        rows = np.flatnonzero(codes[o.scope] == names[o.scope].index(o.group))
        if not len(rows):
            continue
        t = o.target
        current = np.full(len(rows), np.nan)
        target = np.full(len(rows), np.nan)
        if t.rule in ("growth", "increase") and t.field:
            current = values.get(t.field)[0][rows]
            step = t.value or 0.0
            target = current * (1 + step) if t.rule == "growth" else current + step
        elif t.rule == "value":
            target[:] = t.value
        elif t.rule == "share_of_wallet":
            current = values.get("revenue")[0][rows]
            target = values.get("wallet")[0][rows] * (t.value or 0)
        text = {"yes": "done", "text": t.text or ""}.get(t.rule, "")
        parts.append(pd.DataFrame({
            "row": rows, "scope": o.scope, "group": o.group, "kind": o.kind, "description": o.description,
            "current": current, "target": target, "target_text": text,
            "due": as_of + pd.DateOffset(months=o.due_months),
        }))
    columns = ["row", "scope", "group", "kind", "description", "current", "target", "target_text", "due"]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("current", "target") else "object")
                             for c in columns})
    return pd.concat(parts, ignore_index=True).sort_values(["row", "scope"], kind="stable", ignore_index=True)
