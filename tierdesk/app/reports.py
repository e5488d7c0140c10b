"""What a plan says, and how it compares: the classification summary, a comparison with another plan or
newer data, and progress against newer data. The same for the window and the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tierdesk.app.opening import PlaybookLike, load_accounts, load_newer, load_plan_or_territory
from tierdesk.app.workspace import Workspace
from tierdesk.domain.compare import Comparison, compare_plans
from tierdesk.domain.plan import Plan
from tierdesk.domain.progress import Progress, progress
from tierdesk.domain.summary import plan_summary

__all__ = ["compare_files", "compare_with", "progress_of", "progress_with", "summary"]


def summary(workspace: Workspace) -> dict[str, Any]:
    """The open plan's classification and coverage in figures (domain.summary), with governance against
    its previous period."""
    assert workspace.plan is not None
    return plan_summary(workspace.plan, workspace.previous)


def compare_with(plan: Plan, path: str | Path, *, notes: list[str] | None = None) -> Comparison:
    """`plan` against a plan workbook, or newer territory data carried onto the plan."""
    return compare_plans(plan, load_newer(plan, path, notes=notes))


def compare_files(
    old: str | Path, new: str | Path, playbook: PlaybookLike = None, *, notes: list[str] | None = None
) -> Comparison:
    """Two files compared: the old one a plan workbook (or a territory file under `playbook`)."""
    return compare_with(load_plan_or_territory(old, playbook, notes=notes), new, notes=notes)


def progress_with(plan: Plan, newer: str | Path) -> Progress:
    """Objectives met and revenue against target, measured with newer data."""
    return progress(plan, load_accounts(newer))


def progress_of(plan_path: str | Path, newer: str | Path, *, notes: list[str] | None = None) -> Progress:
    return progress_with(load_plan_or_territory(plan_path, notes=notes), newer)
