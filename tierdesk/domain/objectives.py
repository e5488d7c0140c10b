"""The objectives the playbook's templates set for each account, and the objective table a plan keeps
(editable per objective) with each account plan's completeness."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tierdesk.domain.classification import Classification
from tierdesk.domain.classify import AccountValues
from tierdesk.domain.objective_templates import (
    KIND_LABELS,
    OBJECTIVE_KINDS,
    TARGET_RULES,
    ObjectiveTemplate,
    Target,
    objective_to_dict,
    read_objective,
)

__all__ = [  # the template names are re-exported: callers read kinds and labels here
    "KIND_LABELS",
    "OBJECTIVE_KINDS",
    "STATUSES",
    "TARGET_RULES",
    "YEARS",
    "Objective",
    "ObjectiveTemplate",
    "Target",
    "account_objectives",
    "check_value",
    "completeness",
    "empty_objectives",
    "generate_objectives",
    "objective_records",
    "objective_to_dict",
    "objectives_table",
    "read_objective",
    "records_table",
    "rows_of",
]

STATUSES: tuple[str, ...] = ("Not started", "In progress", "Met", "Missed")
#: Due dates and plan periods lie within these years (dates are kept as pandas timestamps).
YEARS = (1900, 2200)


def _template_targets(values: Any, o: ObjectiveTemplate, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(current, target) numbers for one template on these rows; NaN for milestones and qualitative ones."""
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
    return current, target


def _template_frame(
    cls: Classification, as_of: pd.Timestamp, picks: Iterable[tuple[int, ObjectiveTemplate, np.ndarray]]
) -> pd.DataFrame:
    values = AccountValues(cls.accounts)
    parts = []
    for order, o, rows in picks:
        current, target = _template_targets(values, o, rows)
        text = {"yes": "done", "text": o.target.text or ""}.get(o.target.rule, "")
        parts.append(
            pd.DataFrame(
                {
                    "row": rows,
                    "order": order,
                    "scope": o.scope,
                    "group": o.group,
                    "kind": o.kind,
                    "description": o.description,
                    "current": current,
                    "target": target,
                    "target_text": text,
                    "due": (as_of + pd.DateOffset(months=o.due_months)).normalize(),
                }
            )
        )
    columns = [
        "row",
        "order",
        "scope",
        "group",
        "kind",
        "description",
        "current",
        "target",
        "target_text",
        "due",
    ]
    if not parts:
        return pd.DataFrame(
            {c: pd.Series(dtype="float64" if c in ("current", "target") else "object") for c in columns}
        )
    return pd.concat(parts, ignore_index=True).sort_values(["row", "order"], kind="stable", ignore_index=True)


def account_objectives(cls: Classification, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """One row per (account, objective) from the playbook's templates for the account's category and persona.

    Columns: row, scope, group, kind, description, current, target (numbers; NaN for milestones),
    target_text (readable), due (date). Accounts whose category/persona is unclassified get none from it.
    """
    as_of = cls.as_of if as_of is None else as_of
    frame = _template_frame(cls, as_of, _matching(cls, np.arange(len(cls)), None))
    frame = frame.sort_values(["row", "scope"], kind="stable", ignore_index=True)
    return frame.drop(columns="order")


def _matching(
    cls: Classification, rows: np.ndarray, templates: Iterable[int] | None
) -> list[tuple[int, ObjectiveTemplate, np.ndarray]]:
    """(template index, template, rows) for each template: the rows whose category/persona it serves, or,
    for templates named explicitly, every row given."""
    picks = []
    names = {"category": cls.category_names, "persona": cls.persona_names}
    codes = {"category": cls.category, "persona": cls.persona}
    chosen = range(len(cls.playbook.objectives)) if templates is None else templates
    for i in chosen:
        o = cls.playbook.objectives[i]
        hit = rows if templates is not None else rows[codes[o.scope][rows] == names[o.scope].index(o.group)]
        if len(hit):
            picks.append((i, o, hit))
    return picks


# ---------------------------------------------------------------- the plan's objective table

#: The objective table a plan keeps and saves: one row per objective, sorted by objective_id.
OBJECTIVE_COLUMNS: dict[str, str] = {
    "objective_id": "int64",
    "account_id": "string",
    "kind": "string",
    "description": "string",
    "current": "float64",
    "target": "float64",
    "target_text": "string",
    "due": "datetime64[ns]",
    "status": "string",
    "notes": "string",
    "template": "string",
}
#: Fields a planner edits per objective.
EDITABLE: tuple[str, ...] = ("kind", "description", "target", "target_text", "due", "status", "notes")
_TEXTS = ("description", "target_text", "notes", "template")


@dataclass(frozen=True)
class Objective:
    """One objective of one account plan, as plain data (missing numbers and dates are None)."""

    objective_id: int
    account_id: str
    kind: str = "custom"
    description: str = ""
    target: float | None = None
    target_text: str = ""
    due: dt.date | None = None
    status: str = "Not started"
    notes: str = ""
    current: float | None = None
    template: str = ""  # "category: Greenfield" for objectives set from a template; "" when added by hand


def check_value(field: str, value: Any) -> Any:
    """An objective value checked and normalised for its field; ValueError names what is wrong."""
    if field == "kind":
        if value not in OBJECTIVE_KINDS:
            raise ValueError(f"{value!r} is not an objective kind (use one of {', '.join(OBJECTIVE_KINDS)})")
        return str(value)
    if field == "status":
        if value not in STATUSES:
            raise ValueError(f"{value!r} is not a status (use one of {', '.join(STATUSES)})")
        return str(value)
    if field in ("target", "current"):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
            raise ValueError(f"the {field} must be a number, got {value!r}")
        if not math.isfinite(float(value)):
            raise ValueError(f"the {field} must be a finite number, got {value!r}")
        return float(value)
    if field == "due":
        if value is None or value is pd.NaT:
            return None
        if isinstance(value, dt.date):  # datetime and Timestamp are dates too
            if not YEARS[0] <= value.year <= YEARS[1]:
                raise ValueError(f"the due date must lie between {YEARS[0]} and {YEARS[1]}, got {value}")
            return dt.date(value.year, value.month, value.day)
        raise ValueError(f"the due date must be a date, got {value!r}")
    if field in _TEXTS or field == "account_id":
        if not isinstance(value, str):
            raise ValueError(f"the {field.replace('_', ' ')} must be text, got {value!r}")
        return value.strip() if field == "target_text" else value  # blank target text is no target
    raise ValueError(f"{field!r} is not an objective field (edit one of {', '.join(EDITABLE)})")


def empty_objectives() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in OBJECTIVE_COLUMNS.items()})


def objectives_table(frame: pd.DataFrame | None) -> pd.DataFrame:
    """A table in the canonical columns and dtypes, sorted by objective_id (ids must be unique)."""
    if frame is None or not len(frame.columns):
        return empty_objectives()
    missing = [c for c in ("objective_id", "account_id") if c not in frame.columns]
    if missing:
        raise ValueError(f"the objective table has no {missing[0]} column")
    out = {}
    for c, d in OBJECTIVE_COLUMNS.items():
        if c not in frame.columns:
            default: Any = {"kind": "custom", "status": STATUSES[0], "due": pd.NaT}.get(
                c, np.nan if d == "float64" else ""
            )
            out[c] = pd.Series(default, index=frame.index, dtype=d)
        else:
            out[c] = frame[c]
    table = pd.DataFrame(out)
    table["due"] = pd.to_datetime(table["due"]).astype("datetime64[ns]").dt.normalize()
    for c, d in OBJECTIVE_COLUMNS.items():
        if c != "due":
            table[c] = table[c].astype(pd.api.types.pandas_dtype(d))
        if c in _TEXTS:
            table[c] = table[c].fillna("")
    if table["objective_id"].duplicated().any():
        raise ValueError("objective ids repeat: each objective needs its own id")
    return table.sort_values("objective_id", kind="stable", ignore_index=True)


def objective_records(frame: pd.DataFrame) -> tuple[Objective, ...]:
    """The table's rows as Objective records (for edits that carry objectives)."""
    due = [None if pd.isna(d) else d.date() for d in frame["due"]]
    columns = {c: frame[c].tolist() for c in OBJECTIVE_COLUMNS if c != "due"}
    for c in ("target", "current"):
        columns[c] = [None if math.isnan(v) else v for v in columns[c]]
    return tuple(
        Objective(int(i), str(a), str(k), d, t, tt, du, s, n, cur, tpl)
        for i, a, k, d, cur, t, tt, s, n, tpl, du in zip(
            columns["objective_id"],
            columns["account_id"],
            columns["kind"],
            columns["description"],
            columns["current"],
            columns["target"],
            columns["target_text"],
            columns["status"],
            columns["notes"],
            columns["template"],
            due,
            strict=True,
        )
    )


def records_table(records: Iterable[Objective]) -> pd.DataFrame:
    items = list(records)
    data: dict[str, list[Any]] = {c: [getattr(o, c) for o in items] for c in OBJECTIVE_COLUMNS}
    for c in ("target", "current"):
        data[c] = [np.nan if v is None else v for v in data[c]]
    data["due"] = [pd.NaT if v is None else pd.Timestamp(v) for v in data["due"]]
    return objectives_table(pd.DataFrame(data)) if items else empty_objectives()


def generate_objectives(
    cls: Classification,
    rows: np.ndarray | None = None,
    templates: Iterable[int] | None = None,
    first_id: int = 1,
    as_of: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Objectives set from the playbook's templates, in the plan table's form, ids counting from first_id.

    Without `templates`, each account gets the templates of its category and persona; with template
    indices, every row in `rows` gets those templates (applying a template to a selection). Rows without
    an account_id get none. Due dates count from `as_of` (default: the classification's date).
    """
    rows = np.arange(len(cls)) if rows is None else np.asarray(rows, np.int64)
    if "account_id" not in cls.accounts.columns:
        return empty_objectives()
    ids = cls.accounts["account_id"].astype("string")
    rows = rows[ids.iloc[rows].notna().to_numpy(bool)]
    found = _template_frame(cls, cls.as_of if as_of is None else as_of, _matching(cls, rows, templates))
    if not len(found):
        return empty_objectives()
    table = pd.DataFrame(
        {
            "objective_id": np.arange(first_id, first_id + len(found), dtype=np.int64),
            "account_id": ids.iloc[found["row"].to_numpy(np.int64)].to_numpy(object),
            "kind": found["kind"],
            "description": found["description"],
            "current": found["current"],
            "target": found["target"],
            "target_text": found["target_text"],
            "due": found["due"],
            "status": STATUSES[0],
            "notes": "",
            "template": _joined(found["scope"], found["group"]),
        }
    )
    return objectives_table(table)


def _joined(scope: pd.Series, group: pd.Series) -> np.ndarray:
    """ "scope: group" per row, made once per distinct pair (few) rather than once per row (100,000)."""
    s_codes, s_names = pd.factorize(scope)
    g_codes, g_names = pd.factorize(group)
    pairs, codes = np.unique(s_codes.astype(np.int64) * (len(g_names) + 1) + g_codes, return_inverse=True)
    width = len(g_names) + 1
    labels = np.array([f"{s_names[p // width]}: {g_names[p % width]}" for p in pairs.tolist()], dtype=object)
    return labels[codes] if len(labels) else np.zeros(0, dtype=object)


# ---------------------------------------------------------------- completeness


def rows_of(
    account_ids: pd.Series, wanted: pd.Series, lookup: Mapping[str, int] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(position in `wanted`, account row) for every row whose account_id is wanted (ids may repeat).

    `lookup` (id -> row, for unique ids) is used when given: a lookup a chunk at a time lets a GUI thread
    waiting for the GIL have it between chunks, where one hashing pass would hold it for tens of ms."""
    if lookup is not None:
        keys_list = wanted.astype("string").to_numpy(object)  # <NA> finds nothing
        found = np.empty(len(keys_list), np.int64)
        for start in range(0, len(keys_list), 16_384):
            chunk = keys_list[start : start + 16_384].tolist()
            found[start : start + len(chunk)] = [lookup.get(k, -1) for k in chunk]
        hit = np.flatnonzero(found >= 0)
        return hit, found[hit]
    ids = pd.Index(account_ids.astype("string"))
    keys = pd.Index(wanted.astype("string"))
    if ids.is_unique:
        rows = ids.get_indexer(keys)
        hit = np.flatnonzero(rows >= 0)
        return hit, rows[hit].astype(np.int64)
    left = pd.DataFrame({"key": keys, "at": np.arange(len(keys))})
    right = pd.DataFrame({"key": ids, "row": np.arange(len(ids))}).dropna()
    both = left.merge(right, on="key", how="inner")
    return both["at"].to_numpy(np.int64), both["row"].to_numpy(np.int64)


def completeness(
    accounts: pd.DataFrame,
    objectives: pd.DataFrame,
    plan_owner: str = "",
    lookup: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Per account row: objectives (count), complete (0–1) and missing (what keeps the plan incomplete).

    An account plan is complete when it has at least one objective, every objective has a target (a number
    or a text) and a due date, and the account has an owner (the account's, or else the plan's). The score
    averages those four checks; the target and due checks count the share of objectives that pass.
    """
    n = len(accounts)
    if "account_id" in accounts.columns and len(objectives):
        at, rows = rows_of(accounts["account_id"], objectives["account_id"], lookup)
    else:
        at = rows = np.zeros(0, np.int64)
    # texts are stored stripped (check_value), so "has a text target" is "not empty": object→bool runs in C
    texts = objectives["target_text"].to_numpy(dtype=object, na_value="")
    has_target = objectives["target"].notna().to_numpy(bool) | texts.astype(bool)  # loaded texts: stripped
    has_due = objectives["due"].notna().to_numpy(bool)
    count = np.bincount(rows, minlength=n)
    targets = np.bincount(rows, has_target[at].astype(float), minlength=n)
    dues = np.bincount(rows, has_due[at].astype(float), minlength=n)
    if "owner" in accounts.columns:
        owner = accounts["owner"]
        if isinstance(owner.dtype, pd.CategoricalDtype):  # test each owner name once, not each account
            named = np.asarray(owner.cat.categories.astype("string").str.strip() != "", dtype=bool)
            codes = owner.cat.codes.to_numpy()
            owned = (codes >= 0) & np.append(named, False)[codes]
        else:
            owned = (owner.astype("string").str.strip().fillna("") != "").to_numpy(bool)
    else:
        owned = np.full(n, bool(plan_owner.strip()))
    with np.errstate(invalid="ignore", divide="ignore"):
        share_target = np.where(count > 0, targets / np.maximum(count, 1), 0.0)
        share_due = np.where(count > 0, dues / np.maximum(count, 1), 0.0)
    score = ((count > 0) + share_target + share_due + owned) / 4.0
    no_target, no_due = (count - targets).astype(np.int64), (count - dues).astype(np.int64)
    missing = np.full(n, "", dtype=object)
    gaps = np.flatnonzero((count == 0) | (no_target > 0) | (no_due > 0) | ~owned)  # only these need words
    missing[gaps] = [
        "; ".join(
            p
            for p in (
                "" if c else "no objectives",
                f"{t} without a target" if t else "",
                f"{d} without a due date" if d else "",
                "" if o else "no owner",
            )
            if p
        )
        for c, t, d, o in zip(
            count[gaps].tolist(),
            no_target[gaps].tolist(),
            no_due[gaps].tolist(),
            owned[gaps].tolist(),
            strict=True,
        )
    ]
    return pd.DataFrame(
        {
            "objectives": count.astype(np.int64),
            "complete": score,
            "missing": pd.array(missing, dtype="string"),
        }
    )
