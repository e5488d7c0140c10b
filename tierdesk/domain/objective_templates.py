"""Objective templates: the playbook's [[objectives]] tables, each setting one objective (kind, target rule,
due date) for the accounts of a relationship category or persona; read and written with the playbook."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tierdesk.domain.playbook_table import Table

__all__ = [
    "KIND_LABELS",
    "OBJECTIVE_KINDS",
    "TARGET_RULES",
    "ObjectiveTemplate",
    "Target",
    "objective_to_dict",
    "read_objective",
]

OBJECTIVE_KINDS: tuple[str, ...] = (
    "revenue",
    "average_deal_size",
    "breadth",
    "relationship",
    "referenceability",
    "first_purchase",
    "agreement",
    "custom",
)
KIND_LABELS: dict[str, str] = {
    "revenue": "Revenue",
    "average_deal_size": "Average deal size",
    "breadth": "Breadth",
    "relationship": "Relationship",
    "referenceability": "Referenceability",
    "first_purchase": "First purchase",
    "agreement": "Agreement",
    "custom": "Custom",
}
#: How a target is set, and the keys each rule needs:
#: growth = field × (1 + value); increase = field + value; value = a fixed number;
#: share_of_wallet = wallet × value (a revenue target); yes = a yes/no milestone; text = qualitative.
TARGET_RULES: dict[str, tuple[str, ...]] = {
    "growth": ("field", "value"),
    "increase": ("field", "value"),
    "value": ("value",),
    "share_of_wallet": ("value",),
    "yes": (),
    "text": ("text",),
}


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
    return {
        o.scope: o.group,
        "kind": o.kind,
        "description": o.description,
        "target": target,
        "due_months": o.due_months,
    }


def read_objective(
    t: Table, categories: tuple[str, ...], personas: tuple[str, ...], fields: tuple[str, ...]
) -> ObjectiveTemplate:
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
    target = Target(
        rule,
        tt.get("field", "text", choices=fields) if "field" in needs else None,
        tt.number("value") if "value" in needs else None,
        tt.get("text", "text") if "text" in needs else None,
    )
    tt.done()
    due = t.get("due_months", "integer")
    if due < 1:
        t.fail("due_months", f"must be at least 1 month, got {due}")
    objective = ObjectiveTemplate(scope, group, kind, t.get("description", "text"), target, due)
    t.done()
    return objective
