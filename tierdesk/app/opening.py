"""Opening files as plans: a territory file as a new plan, a plan workbook with the edits made to it in Excel,
and the plans and accounts that the previous period, compare and progress read.

Long reads take progress and cancel hooks (domain/work.py) so the window runs them off the GUI thread.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from tierdesk.app.workspace import Opened, Workspace
from tierdesk.domain.basis import basis_notes
from tierdesk.domain.compare import plan_from_territory
from tierdesk.domain.governance import PreviousPeriod, previous_period
from tierdesk.domain.plan import Plan
from tierdesk.domain.plan_objectives import new_plan
from tierdesk.domain.playbook import Playbook, default_playbook, load_playbook
from tierdesk.domain.wallet import file_gives
from tierdesk.domain.wallet_notes import estimate_plan
from tierdesk.domain.work import CancelFn, ProgressFn
from tierdesk.io.load import LoadResult, open_territory
from tierdesk.io.plan_file import is_plan_workbook, read_plan
from tierdesk.io.report import Issue

__all__ = [
    "PlaybookLike",
    "load_accounts",
    "load_newer",
    "load_plan_or_territory",
    "load_previous_period",
    "new_territory_plan",
    "open_path",
    "read_plan_workbook",
]

PlaybookLike = Playbook | str | os.PathLike[str] | None  # a Playbook, a TOML path, or None: the bundled one


def playbook_of(playbook: PlaybookLike) -> Playbook:
    if isinstance(playbook, Playbook):
        return playbook
    return load_playbook(Path(playbook)) if playbook else default_playbook()


def read_plan_workbook(
    path: Path, progress: ProgressFn | None = None, cancel: CancelFn | None = None
) -> Opened:
    """A plan workbook as saved, with the valid edits made to it in Excel still to take (Workspace.open) and
    the problems of the others in its issues."""
    state, problems, edits = read_plan(path, progress, cancel)
    if progress is not None:
        progress(0.95, "Classifying accounts")
    plan = state.to_plan()
    plan.completeness()
    plan.coverage()  # cached on the plan, like completeness: the views' first look is free on the GUI thread
    source = LoadResult(
        path, "plan", None, 1, dict(state.mapping), state.accounts, problems, False, len(state.accounts)
    )
    return Opened(source, plan, state, list(edits))


def new_territory_plan(result: LoadResult, playbook: Playbook, *, objectives: bool = True) -> Opened:
    """A new plan of a loaded territory; every account starts with the objectives its templates set (unless
    `objectives` is False). Which fields are estimated, and how, joins the file's issues."""
    plan = new_plan(result.accounts, playbook) if objectives else Plan(result.accounts, playbook)
    accounts = result.accounts
    blanks = int((~file_gives(accounts)).sum())
    said = estimate_plan(set(accounts.columns), blanks, len(accounts), playbook.wallet)
    if said:
        result.issues.append(Issue("info", result.sheet, None, None, f"{result.file.name}: {said}"))
    for note in basis_notes(plan.classification):  # an old file's own date, categories without breadth
        result.issues.append(Issue("info", result.sheet, None, None, f"{result.file.name}: {note}"))
    plan.completeness()  # cached on the plan: the plan editor's first look costs nothing on the GUI thread
    plan.coverage()
    return Opened(result, plan)


def open_path(
    path: str | Path,
    playbook: PlaybookLike = None,
    *,
    sheet: str | None = None,
    notes: Callable[[str], None] | None = None,
    objectives: bool = True,
) -> Workspace:
    """Open any file headlessly: a plan workbook with the edits made in Excel taken (the problems of the rest
    go to `notes`), or a territory file as a new plan under `playbook`."""
    path = Path(path)
    if is_plan_workbook(path):
        opened = read_plan_workbook(path)
        for issue in opened.source.issues:
            if notes is not None:
                notes(issue.message)
    else:
        result = open_territory(path, sheet=sheet)
        made = new_plan if objectives else Plan
        opened = Opened(result, made(result.accounts, playbook_of(playbook)))
    workspace = Workspace()
    workspace.open(opened)
    return workspace


def _collect(notes: list[str] | None) -> Callable[[str], None] | None:
    return notes.append if notes is not None else None


def load_plan_or_territory(
    path: str | Path,
    playbook: PlaybookLike = None,
    *,
    sheet: str | None = None,
    notes: list[str] | None = None,
) -> Plan:
    """A plan workbook's plan (edits made in Excel taken; their problems go to `notes`), or a new plan of a
    territory file under the given playbook."""
    plan = open_path(path, playbook, sheet=sheet, notes=_collect(notes)).plan
    assert plan is not None
    return plan


def load_previous_period(
    path: str | Path,
    playbook: PlaybookLike = None,
    *,
    sheet: str | None = None,
    notes: list[str] | None = None,
) -> PreviousPeriod:
    """The previous period from a saved plan workbook (its tiers, overrides and edits made in Excel
    included) or from a territory file classified under `playbook` (the current plan's); labelled with the
    file's name and, for a plan workbook, dated with its plan date."""
    path = Path(path)
    period = previous_period(load_plan_or_territory(path, playbook, sheet=sheet, notes=notes), path.name)
    return period if is_plan_workbook(path) else dataclasses.replace(period, as_of=None)


def load_newer(
    old: Plan, path: str | Path, *, sheet: str | None = None, notes: list[str] | None = None
) -> Plan:
    """What to compare `old` with: a plan workbook's plan, or newer territory data carried onto the old
    plan's playbook and overrides (plan_from_territory)."""
    path = Path(path)
    if is_plan_workbook(path):
        return load_plan_or_territory(path, notes=notes)
    return plan_from_territory(old, open_territory(path, sheet=sheet).accounts)


def load_accounts(path: str | Path, *, sheet: str | None = None) -> pd.DataFrame:
    """The account table of a territory file, or of a plan workbook (for progress against newer data)."""
    path = Path(path)
    if is_plan_workbook(path):
        return read_plan(path)[0].accounts
    return open_territory(path, sheet=sheet).accounts
