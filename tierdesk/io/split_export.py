"""One plan workbook per owner (or territory), built on the single-workbook writer: each seller's share of the
plan, with the territory's cutoffs kept, saved through plan_file.write_plan."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from tierdesk.domain.coverage import NO_VALUE, group_codes
from tierdesk.domain.playbook import Playbook, PlaybookError
from tierdesk.domain.playbook_edits import with_values
from tierdesk.io.errors import CancelFn, ProgressFn, Steps
from tierdesk.io.file_names import file_stem
from tierdesk.io.plan_file import SaveError, write_plan
from tierdesk.io.saving import why_not_saved
from tierdesk.io.snapshot import PlanSnapshot

__all__ = ["export_plans", "fixed_playbook", "seller_plan"]


def fixed_playbook(state: PlanSnapshot) -> tuple[Playbook, str | None]:
    """The playbook with every percentile and rank turned into the value it had over the whole territory, so
    a seller's own accounts keep their tiers, personas and categories; a note when that cannot be done."""
    cls, pb = state.classification(), state.playbook
    changes: dict[str, Any] = {}
    if pb.cutoff_kind != "value":
        changes["tiering.cutoffs"] = "value"
        changes |= {f"tiers[{i}].cutoff": float(v) for i, v in enumerate(cls.tier_cutoffs)}
    for axis in ("x", "y"):
        if getattr(pb.personas, f"{axis}_split").kind != "value":
            changes[f"personas.{axis}_split"] = {
                "kind": "value",
                "value": float(getattr(cls, f"{axis}_split")),
            }
    for key, value in zip(
        ("beachhead_revenue", "strategic_revenue", "strategic_share"), cls.category_thresholds, strict=True
    ):
        if getattr(pb.categories, key).kind != "value":
            changes[f"categories.{key}"] = {"kind": "value", "value": float(value)}
    if not changes:
        return pb, None
    try:
        return with_values(pb, changes), None
    except PlaybookError as exc:
        return pb, (
            f"The territory's cutoffs could not be fixed for the sellers' workbooks ({exc}); their "
            "tiers and personas are worked out from their own accounts."
        )


def seller_plan(state: PlanSnapshot, rows: np.ndarray, playbook: Playbook, title: str) -> PlanSnapshot:
    """The plan restricted to some accounts (a copy), with the given playbook."""
    accounts = state.accounts.iloc[rows].reset_index(drop=True)
    ids = (
        accounts["account_id"].astype("string")
        if "account_id" in accounts.columns
        else pd.Series([], dtype="string")
    )
    overrides = state.overrides[state.overrides["account_id"].isin(ids.dropna())].reset_index(drop=True)
    objectives = state.objectives[state.objectives["account_id"].isin(ids.dropna())].reset_index(drop=True)
    history = state.history
    history = history[(history["account_id"] == "") | history["account_id"].isin(ids.dropna())]
    info = type(state.info)(state.info.owner, state.info.period_start, state.info.period_end, title)
    previous = None if state.previous is None else state.previous.restricted(ids.dropna())
    owners = set(accounts["owner"].astype("string").dropna()) if "owner" in accounts.columns else set()
    return PlanSnapshot(
        accounts,
        playbook,
        overrides,
        objectives,
        info,
        state.as_of,
        dict(state.mapping),
        state.source_file,
        state.source_sheet,
        state.created,
        None,
        state.version,
        state.next_objective_id,
        history.reset_index(drop=True),
        previous,
        tuple(s for s in state.sellers if s.name in owners),
    )


def export_plans(
    state: PlanSnapshot,
    folder: str | Path,
    split_by: Literal["owner", "territory"] = "owner",
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    *,
    prefix: str = "Account plans",
) -> tuple[list[Path], list[str]]:
    """One plan workbook per owner (or territory) in `folder`, each holding only that seller's accounts, their
    objectives and overrides, with the territory's cutoffs kept. Returns the files written and notes.

    Files are named "<prefix> - <owner>.xlsx" (made safe, cut when long, numbered when names clash); each is
    saved atomically, and a file there that is not a plan workbook is never overwritten (SaveError). A folder
    made for the export is removed again when the export fails before writing into it."""
    if split_by not in ("owner", "territory"):
        raise ValueError(f"split by 'owner' or 'territory', not {split_by!r}")
    steps = Steps(progress, cancel)
    folder = Path(folder)
    made = _new_folders(folder)
    try:
        return _export_each(state, folder, split_by, steps, prefix)
    except BaseException:
        for made_folder in made:  # a folder made for this export and left empty goes again
            with contextlib.suppress(OSError):
                made_folder.rmdir()
        raise


def _new_folders(folder: Path) -> list[Path]:
    """Make `folder` (and missing parents); returns those it made, innermost first."""
    missing = [p for p in [folder, *folder.parents] if not p.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SaveError(f"Could not make the folder {folder.name}: {why_not_saved(exc)}.", folder) from exc
    return missing


def _export_each(
    state: PlanSnapshot, folder: Path, split_by: Literal["owner", "territory"], steps: Steps, prefix: str
) -> tuple[list[Path], list[str]]:
    codes, names = group_codes(state.accounts, split_by)
    playbook, note = fixed_playbook(state)
    notes = [note] if note else []
    taken: set[str] = set()
    written = []
    for g, name in enumerate(names):
        rows = np.flatnonzero(codes == g)
        if not len(rows):
            continue
        label = f"(no {split_by})" if name == NO_VALUE else name
        part = steps.part(g / len(names), (g + 1) / len(names))
        path = folder / f"{file_stem(f'{prefix} - {label}', taken)}.xlsx"
        sub = seller_plan(state, rows, playbook, f"{state.info.title or prefix}: {label}")
        notes += [f"{path.name}: {n}" for n in write_plan(sub, path, part.report, steps.cancel)]
        written.append(path)
    return written, notes
