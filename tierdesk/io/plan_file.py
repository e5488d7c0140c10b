"""A saved plan: a PlanSnapshot written atomically as a plan workbook, and read back exactly together with
the edits a planner made to it in Excel."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import IO, Any

from tierdesk.domain.plan import Edit
from tierdesk.io.book import Book
from tierdesk.io.errors import CancelFn, Cancelled, ProgressFn, ReadError, Steps, reader_boundary
from tierdesk.io.export import write_workbook
from tierdesk.io.parts import ZIP_ERRORS
from tierdesk.io.plan_format import DATA_SHEETS, LISTS_SHEET, MAX_ROWS, META_SHEET
from tierdesk.io.plan_reading import damaged, edits_in_excel, saved_plan
from tierdesk.io.plan_stamp import stamp, untouched
from tierdesk.io.report import Issue
from tierdesk.io.saving import (
    remove_leftovers,
    replace_target,
    scratch_folder,
    temporary_file,
    why_not_saved,
)
from tierdesk.io.snapshot import PlanSnapshot, now
from tierdesk.io.sniff import is_regular_file, sniff

__all__ = [
    "SaveError",
    "check_target",
    "inspect_plan",
    "is_plan_workbook",
    "plan_sheets",
    "read_plan",
    "write_plan",
]


class SaveError(Exception):
    """A plan could not be saved; `str(e)` says why in the planner's words. The previous file is intact."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


# ---------------------------------------------------------------- saving


def check_target(path: str | Path) -> None:
    """Refuse a target tierdesk must not overwrite: a folder, a pipe or a device, or an existing file that
    is not a plan workbook (the territory file, say). Call it before saving through QSaveFile."""
    path = Path(path)
    if path.is_dir():
        raise SaveError(f"{path.name} is a folder: choose a file name for the plan.", path)
    if path.exists() and not is_regular_file(path):
        raise SaveError(
            f"{path.name} is not a regular file (a pipe or a device?): choose another name.", path
        )
    if path.exists() and not is_plan_workbook(path):
        raise SaveError(
            f"{path.name} is not a tierdesk plan workbook (is it the territory file?). tierdesk "
            "never overwrites other files: choose another name.",
            path,
        )


def write_plan(
    state: PlanSnapshot,
    target: str | os.PathLike[str] | IO[bytes],
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    *,
    rows_per_sheet: int | None = None,
) -> list[str]:
    """Save the plan workbook to a path (atomically: a temporary file in the same folder, then a rename) or
    to a binary stream (e.g. a QSaveFile). Returns notes for the planner (texts changed to suit Excel).

    Raises SaveError (the previous file intact) or Cancelled. Sets `state.saved` on success.
    """
    steps = Steps(progress, cancel)
    saved = now()
    limit = rows_per_sheet or MAX_ROWS
    if not isinstance(target, str | os.PathLike):
        try:
            with tempfile.TemporaryFile() as tmp, scratch_folder(None) as scratch:
                notes = write_workbook(state, tmp, saved, steps.part(0.0, 0.9), limit, scratch)
                stamp(tmp)
                tmp.seek(0)
                shutil.copyfileobj(tmp, target, 1 << 20)
                target.flush()
        except OSError as exc:
            raise SaveError(
                f"Could not save the plan: {why_not_saved(exc)}. The previous file is unchanged."
            ) from exc
        state.saved = saved
        return notes
    path = Path(target)
    check_target(path)
    remove_leftovers(path.parent)
    try:
        tmp_name = temporary_file(path)
    except OSError as exc:
        raise SaveError(
            f"Could not save {path.name}: {why_not_saved(exc)}. Use Save As… to save elsewhere.", path
        ) from exc
    try:
        with scratch_folder(path) as scratch:
            notes = write_workbook(state, tmp_name, saved, steps.part(0.0, 0.9), limit, scratch)
        with open(tmp_name, "r+b") as fh:
            stamp(fh)
            fh.flush()
            os.fsync(fh.fileno())
        steps.report(0.95, "Replacing the file")
        replace_target(tmp_name, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError):
            kept = " The previous file is unchanged." if path.exists() else ""
            raise SaveError(
                f"Could not save {path.name}: {why_not_saved(exc)}.{kept} Use Save As… to save elsewhere.",
                path,
            ) from exc
        raise
    state.saved = saved
    steps.report(1.0, "Saved")
    return notes


# ---------------------------------------------------------------- reading


_OWN_SHEET = re.compile(rb"""\bname\s*=\s*["'](_tierdesk_[A-Za-z]+)["']""")


def plan_sheets(path: str | Path) -> set[str]:
    """tierdesk's own (very hidden) sheets in a workbook: cheap, from xl/workbook.xml; empty for any other
    file, a pipe or a device included."""
    if not is_regular_file(path):
        return set()
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("xl/workbook.xml")
            if info.file_size > 8 << 20:
                return set()
            with zf.open(info) as fh:
                found = _OWN_SHEET.findall(fh.read())
    except (KeyError, *ZIP_ERRORS):
        return set()
    return {name.decode("ascii") for name in found} & {META_SHEET, LISTS_SHEET, *DATA_SHEETS.values()}


def is_plan_workbook(path: str | Path) -> bool:
    """Whether a file is a tierdesk plan workbook, whole or damaged (it holds tierdesk's hidden sheets)."""
    return bool(plan_sheets(path))


@reader_boundary
def read_plan(
    path: str | Path, progress: ProgressFn | None = None, cancel: CancelFn | None = None
) -> tuple[PlanSnapshot, list[Issue], list[Edit]]:
    """Open a plan workbook: the saved plan exactly, the problems found in edits made in Excel (each with its
    sheet and row), and the valid edits (pins, objective changes) for the GUI to apply as one undo step.

    The workbook passes the same checks as any file before the reader parses it; a plan that lost its
    description sheet, or whose hidden data was changed, is refused as damaged."""
    path = Path(path)
    steps = Steps(progress, cancel)
    name = path.name
    kind = sniff(path)
    own = plan_sheets(path)
    if kind not in ("xlsx", "xlsm") or not own:
        raise ReadError(
            f"{name} is not a tierdesk plan workbook: open it as a territory file instead.", file=path
        )
    if META_SHEET not in own:
        kept = ", ".join(f"'{s}'" for s in sorted(own))
        raise damaged(
            name,
            f"its very hidden description sheet '{META_SHEET}' is missing (its other sheets {kept} remain)",
            path,
        )
    with Book(path, kind) as book:
        steps.report(0.05, "Reading the plan")
        for sheet in sorted(own):
            book.check_sheet(sheet, Steps(cancel=cancel))
        try:
            meta, frames, state = saved_plan(book.reader, name, steps)
        except (ReadError, Cancelled):
            raise
        except Exception as exc:  # the hidden sheets hold tierdesk's own data: anything odd there is damage
            problem = damaged(name, "its hidden data cannot be decoded", path)
            problem.detail = f"{type(exc).__name__}: {exc}"
            raise problem from None
        assert book.zip is not None
        if untouched(book.zip):
            steps.report(1.0, "Plan read")
            return state, [], []
        problems, edits = edits_in_excel(book, state, meta, frames["shown"], steps.part(0.6, 1.0))
    return state, problems, edits


def inspect_plan(path: str | Path) -> dict[str, Any]:
    """A JSON-ready description of a plan workbook, for `tierdesk inspect`."""
    state, problems, edits = read_plan(path)
    return {
        "file": str(path),
        "kind": "plan",
        "accounts": len(state.accounts),
        "objectives": len(state.objectives),
        "overrides": len(state.overrides),
        "playbook": state.playbook.name,
        "as_of": state.as_of.date().isoformat(),
        "source_file": state.source_file,
        "source_sheet": state.source_sheet,
        "saved": state.saved.isoformat() if state.saved else None,
        "tierdesk_version": state.version,
        "previous_period": None if state.previous is None else state.previous.title,
        "edits_from_excel": len(edits),
        "problems": [p.as_dict() for p in problems],
    }
