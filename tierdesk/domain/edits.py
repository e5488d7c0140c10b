"""The edits of a plan as plain data, each applied by Plan.apply and returning its inverse: pins, splits,
playbook values, objectives and the plan's details (PlanInfo); with the wallet, owner and seller edits of
their own modules they make up `Edit`. `Applied` is what an applied edit did."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import numpy as np
import pandas as pd

from tierdesk.domain import owners, seller_edits
from tierdesk.domain.changes import Change, Changed
from tierdesk.domain.history import Record
from tierdesk.domain.objectives import YEARS, Objective
from tierdesk.domain.overrides import Override
from tierdesk.domain.playbook import Playbook
from tierdesk.domain.wallet_edits import SetWallet, SetWalletSettings

__all__ = [
    "AddObjectives",
    "Applied",
    "Edit",
    "MoveSplit",
    "ObjectiveEdit",
    "PinAccounts",
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


@dataclass(frozen=True)
class PinAccounts:
    """Pin a tier, persona or category (by name) on account rows, with a reason; value None clears the pin.

    A pin is keyed by the row's account_id, so it applies to every row sharing that id.
    """

    rows: tuple[int, ...]
    field: Literal["tier", "persona", "category"]
    value: str | None
    reason: str = ""
    time: datetime | None = None  # None: the moment the edit is applied

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", tuple(int(r) for r in np.atleast_1d(np.asarray(self.rows))))


@dataclass(frozen=True)
class RestoreOverrides:
    """Put overrides back exactly as they were: (account_id, field, Override or None for no override)."""

    entries: tuple[tuple[str, str, Override | None], ...]
    description: str = "Restore overrides"


@dataclass(frozen=True)
class MoveSplit:
    """Move the share-of-wallet ("x") or potential ("y") split line: a value in data units or a percentile."""

    axis: Literal["x", "y"]
    value: float
    kind: Literal["value", "percentile"] = "value"

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", float(self.value))


@dataclass(frozen=True)
class SetPlaybookValue:
    """Change one playbook value by key path (e.g. "tiers[1].touches_per_quarter"); None removes the key."""

    key: str
    value: Any


@dataclass(frozen=True)
class RenameTier:
    """Rename a tier everywhere it is named, carrying its pins along."""

    index: int
    name: str


@dataclass(frozen=True)
class SetPlaybook:
    """Replace the whole playbook (e.g. from the playbook editor or a file)."""

    playbook: Playbook
    description: str = "Change playbook"


# ---------------------------------------------------------------- account plans


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


Edit = (
    PinAccounts
    | RestoreOverrides
    | MoveSplit
    | SetPlaybookValue
    | RenameTier
    | SetPlaybook
    | SetObjectiveValues
    | AddObjectives
    | RemoveObjectives
    | SetPlanInfo
    | SetWallet
    | SetWalletSettings
    | owners.OwnerEdit
    | seller_edits.SellerEdit
)


@dataclass(frozen=True)
class Applied:
    """What an applied edit did. `what` says which per-account and plan-wide values changed (see Changed);
    `changed_rows` are the row positions whose per-account values changed (and, for override and objective
    edits, every row of the accounts touched); `record` says in words what changed, for the history."""

    inverse: Edit
    changed_rows: np.ndarray
    what: Changed
    description: str
    record: Record  # what changed, for the history

    @property
    def change(self) -> Change:
        """The notice views redraw from."""
        return Change(self.what, self.changed_rows)
