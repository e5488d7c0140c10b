"""The plan as a plan workbook keeps it: a snapshot of the plan's tables and playbook with the facts about its
files (the territory file it came from, its mapping, when it was made and saved, the previous period to
compare with), apart from the code that writes and reads workbooks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

import tierdesk
from tierdesk.domain.classify import Classification, classify
from tierdesk.domain.coverage import Coverage, coverage
from tierdesk.domain.governance import PreviousPeriod
from tierdesk.domain.history import empty_history
from tierdesk.domain.objectives import completeness
from tierdesk.domain.plan import Plan
from tierdesk.domain.plan_objectives import PlanInfo, new_plan
from tierdesk.domain.playbook import Playbook
from tierdesk.domain.sellers import Seller, complete_sellers
from tierdesk.domain.workload import Books, books_of
from tierdesk.io.load import LoadResult

__all__ = ["PlanSnapshot", "now"]


def now() -> dt.datetime:
    """The time a snapshot is made or saved: now, to the second."""
    return dt.datetime.now().replace(microsecond=0)


_PLAIN = "playbook info as_of mapping source_file source_sheet created saved version next_objective_id"
_PLAIN_FIELDS = (*_PLAIN.split(), "previous", "sellers")  # the fields compared as plain values


@dataclass(eq=False)
class PlanSnapshot:
    """Everything a plan workbook restores. The frames are shared with the plan it was taken from: treat
    them as read-only (the plan's edits replace its tables rather than change them)."""

    accounts: pd.DataFrame
    playbook: Playbook
    overrides: pd.DataFrame  # account_id, field, value, reason, time
    objectives: pd.DataFrame  # objectives.OBJECTIVE_COLUMNS
    info: PlanInfo
    as_of: pd.Timestamp
    mapping: dict[str, str] = field(default_factory=dict)  # canonical field -> source header
    source_file: str = ""  # the territory file's name
    source_sheet: str | None = None
    created: dt.datetime = field(default_factory=now)
    saved: dt.datetime | None = None
    version: str = tierdesk.__version__  # the tierdesk that saved it
    next_objective_id: int = 1
    history: pd.DataFrame = field(default_factory=empty_history)  # history.COLUMNS
    previous: PreviousPeriod | None = None  # the previous period, for turnover; None: not set
    sellers: tuple[Seller, ...] = ()  # the sellers table (the plan's: given, then guessed from the owners)
    _classification: Classification | None = field(default=None, repr=False)
    _coverage: Coverage | None = field(default=None, repr=False)
    _completeness: pd.DataFrame | None = field(default=None, repr=False)

    @classmethod
    def from_plan(
        cls,
        plan: Plan,
        source: LoadResult | None = None,
        *,
        mapping: dict[str, str] | None = None,
        source_file: str | None = None,
        source_sheet: str | None = None,
        created: dt.datetime | None = None,
        previous: PreviousPeriod | None = None,
    ) -> PlanSnapshot:
        """A snapshot of the plan as it is now (cheap: the frames are shared, not copied), with the previous
        period to check turnover against (keep the one of the plan it was opened from)."""
        return cls(
            plan.accounts,
            plan.playbook,
            plan.overrides,
            plan.objectives,
            plan.info,
            plan.as_of,
            dict(mapping if mapping is not None else source.mapping if source else {}),
            source_file if source_file is not None else Path(source.file).name if source else "",
            source_sheet if source_sheet is not None else source.sheet if source else None,
            created or now(),
            None,
            tierdesk.__version__,
            plan.next_objective_id,
            plan.history,
            previous,
            plan.sellers,
            _classification=plan.classification,
            _coverage=plan.coverage(),
        )

    @classmethod
    def from_territory(
        cls,
        result: LoadResult,
        playbook: Playbook,
        *,
        as_of: pd.Timestamp | dt.datetime | str | None = None,
        info: PlanInfo | None = None,
    ) -> PlanSnapshot:
        """A new plan from a loaded territory file, objectives set from the playbook's templates."""
        return cls.from_plan(new_plan(result.accounts, playbook, as_of=as_of, info=info), result)

    def to_plan(self) -> Plan:
        return Plan(
            self.accounts,
            self.playbook,
            self.overrides,
            as_of=self.as_of,
            objectives=self.objectives,
            info=self.info,
            next_objective_id=self.next_objective_id,
            history=self.history,
            sellers=self.sellers,
        )

    def classification(self) -> Classification:
        if self._classification is None:
            self._classification = classify(self.accounts, self.playbook, self.overrides, as_of=self.as_of)
        return self._classification

    def coverage(self) -> Coverage:
        if self._coverage is None:
            self._coverage = coverage(self.accounts, self.classification(), self.playbook)
        return self._coverage

    def books(self) -> Books:
        """The sellers' books (see workload.books); a plan saved before plans kept sellers guesses them."""
        cls = self.classification()
        sellers = self.sellers or complete_sellers((), self.accounts, cls)
        return books_of(self.accounts, cls, sellers, self.overrides)

    def completeness(self) -> pd.DataFrame:
        if self._completeness is None:
            self._completeness = completeness(self.accounts, self.objectives, self.info.owner)
        return self._completeness

    def differences(self, other: PlanSnapshot) -> list[str]:
        """What differs from another snapshot, exactly (values, dtypes, column order); empty when equal."""
        out = []
        for name in ("accounts", "overrides", "objectives", "history"):
            try:
                pd.testing.assert_frame_equal(
                    getattr(self, name),
                    getattr(other, name),
                    check_exact=True,
                    check_column_type=True,
                    check_index_type=True,
                )
            except AssertionError as exc:
                out.append(f"{name}: {str(exc).strip().splitlines()[0:3]}")
            else:
                mine, theirs = getattr(self, name), getattr(other, name)
                for c in mine.columns:
                    if mine[c].dtype == object and [type(v) for v in mine[c]] != [type(v) for v in theirs[c]]:
                        out.append(f"{name}: the value types in column {c!r} differ")
        for name in _PLAIN_FIELDS:
            if getattr(self, name) != getattr(other, name):
                out.append(f"{name}: {getattr(self, name)!r} != {getattr(other, name)!r}")
        return out
