"""A saved plan: the PlanFile snapshot, written atomically as a plan workbook and read back exactly, together
with the edits a planner made to it in Excel."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pandas as pd

import tierdesk
from tierdesk.domain.classification import Classification
from tierdesk.domain.classify import classify
from tierdesk.domain.coverage import Coverage, coverage
from tierdesk.domain.governance import PreviousPeriod
from tierdesk.domain.history import as_history, empty_history
from tierdesk.domain.objectives import completeness
from tierdesk.domain.plan import Plan
from tierdesk.domain.plan_objectives import PlanInfo, new_plan
from tierdesk.domain.playbook import Playbook, PlaybookError, dump_playbook, parse_playbook
from tierdesk.domain.sellers import Seller, complete_sellers, sellers_from_frame
from tierdesk.domain.workload import Books, books_of
from tierdesk.io.errors import CancelFn, Cancelled, ProgressFn, ReadError, Steps, reader_boundary
from tierdesk.io.excel_cells import LISTS_SHEET
from tierdesk.io.parts import ZIP_ERRORS
from tierdesk.io.report import Issue
from tierdesk.io.saving import (
    remove_leftovers,
    replace_target,
    scratch_folder,
    temporary_file,
    why_not_saved,
)
from tierdesk.io.sniff import is_regular_file, sniff

if TYPE_CHECKING:
    from tierdesk.domain.plan import Edit
    from tierdesk.io.load import LoadResult

__all__ = [
    "FORMAT_VERSION",
    "META_SHEET",
    "PlanFile",
    "SaveError",
    "check_target",
    "inspect_plan",
    "is_plan_workbook",
    "read_plan",
    "write_plan",
]

META_SHEET = "_tierdesk_meta"
DATA_SHEETS = {
    "accounts": "_tierdesk_accounts",
    "shown": "_tierdesk_accounts",
    "objectives": "_tierdesk_objectives",
    "overrides": "_tierdesk_overrides",
    "history": "_tierdesk_overrides",  # beside the overrides, where plans have always kept it
    "sellers": "_tierdesk_overrides",  # the sellers table, beside the owner changes kept as overrides
    "previous": "_tierdesk_previous",  # only when the plan has a previous period
}
#: Parts a plan may lack: saved before tierdesk kept them (opened with an empty history, no previous period).
OPTIONAL_PARTS = frozenset({"history", "previous", "sellers"})
FORMAT = "tierdesk plan"
FORMAT_VERSION = 1
STAMP = b"tierdesk-plan:"  # zip comment: a hash of the CRCs of the sheets as tierdesk wrote them
STAMP_HASH = b"sha256:"
#: LibreOffice looks for the end of a zip file's directory only in its last 534 bytes, so it refuses a file
#: whose zip comment is longer than 512 bytes ("source file could not be loaded").
STAMP_LIMIT = 512


class SaveError(Exception):
    """A plan could not be saved; `str(e)` says why in the planner's words. The previous file is intact."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


_PLAIN = "playbook info as_of mapping source_file source_sheet created saved version next_objective_id"
_PLAIN_FIELDS = (*_PLAIN.split(), "previous", "sellers")  # the PlanFile fields compared as plain values


@dataclass(eq=False)
class PlanFile:
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
    created: dt.datetime = field(default_factory=_now)
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
    ) -> PlanFile:
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
            created or _now(),
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
    ) -> PlanFile:
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

    def differences(self, other: PlanFile) -> list[str]:
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


# ---------------------------------------------------------------- meta data


def meta_dict(state: PlanFile, saved: dt.datetime) -> dict[str, Any]:
    info = state.info
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tierdesk_version": tierdesk.__version__,
        "created": state.created.isoformat(),
        "saved": saved.isoformat(),
        "as_of": state.as_of.isoformat(),
        "source_file": state.source_file,
        "source_sheet": state.source_sheet,
        "mapping": state.mapping,
        "info": {
            "owner": info.owner,
            "title": info.title,
            "period_start": info.period_start.isoformat() if info.period_start else None,
            "period_end": info.period_end.isoformat() if info.period_end else None,
        },
        "next_objective_id": state.next_objective_id,
        "playbook": dump_playbook(state.playbook),
    } | ({} if state.previous is None else {"previous": _previous_meta(state.previous)})


def _previous_meta(previous: PreviousPeriod) -> dict[str, Any]:
    return {"label": previous.label, "as_of": previous.as_of.isoformat() if previous.as_of else None}


def _previous(meta: dict[str, Any], frames: dict[str, pd.DataFrame]) -> PreviousPeriod | None:
    if "previous" not in frames or not isinstance(meta.get("previous"), dict):
        return None
    label, as_of = meta["previous"].get("label", ""), meta["previous"].get("as_of")
    return PreviousPeriod.from_frame(frames["previous"], str(label), _date(as_of))


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def state_from_meta(meta: dict[str, Any], frames: dict[str, pd.DataFrame], name: str) -> PlanFile:
    try:
        playbook = parse_playbook(meta["playbook"], f"{name} (saved playbook)")
    except PlaybookError as exc:
        raise ReadError(f"{name}: the playbook saved in this plan cannot be read: {exc}") from None
    i = meta["info"]
    return PlanFile(
        frames["accounts"],
        playbook,
        frames["overrides"],
        frames["objectives"],
        PlanInfo(i["owner"], _date(i["period_start"]), _date(i["period_end"]), i["title"]),
        pd.Timestamp(meta["as_of"]),
        dict(meta["mapping"]),
        meta["source_file"],
        meta["source_sheet"],
        dt.datetime.fromisoformat(meta["created"]),
        dt.datetime.fromisoformat(meta["saved"]),
        meta["tierdesk_version"],
        int(meta["next_objective_id"]),
        as_history(frames.get("history")),
        _previous(meta, frames),
        _sellers(frames, name),
    )


def _sellers(frames: dict[str, pd.DataFrame], name: str) -> tuple[Seller, ...]:
    if "sellers" not in frames:
        return ()  # saved before plans kept sellers: they are guessed from the owners again
    try:
        return sellers_from_frame(frames["sellers"])
    except ValueError as exc:
        raise ReadError(f"{name}: the saved sellers cannot be read: {exc}.") from None


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
    state: PlanFile,
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
    from tierdesk.io.export import MAX_ROWS, write_workbook

    steps = Steps(progress, cancel)
    saved = _now()
    limit = rows_per_sheet or MAX_ROWS
    if not isinstance(target, str | os.PathLike):
        try:
            with tempfile.TemporaryFile() as tmp, scratch_folder(None) as scratch:
                notes = write_workbook(state, tmp, saved, steps.part(0.0, 0.9), limit, scratch)
                _stamp(tmp)
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
            _stamp(fh)
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


def _sheet_crcs(zf: zipfile.ZipFile) -> dict[str, int]:
    return {i.filename: i.CRC for i in zf.infolist() if i.filename.startswith("xl/worksheets/")}


def _crc_hash(crcs: dict[str, int]) -> bytes:
    return hashlib.sha256(json.dumps(crcs, sort_keys=True).encode("ascii")).hexdigest().encode("ascii")


def _stamp(fh: IO[bytes]) -> None:
    """Note a hash of the sheets' CRCs in the zip comment: a file no other program rewrote needs no check for
    edits. The comment must stay short (see STAMP_LIMIT), so it holds the hash, not the CRCs."""
    fh.seek(0)
    with zipfile.ZipFile(fh, "a") as zf:
        comment = STAMP + STAMP_HASH + _crc_hash(_sheet_crcs(zf))
        assert len(comment) <= STAMP_LIMIT
        zf.comment = comment


def _untouched(zf: zipfile.ZipFile) -> bool:
    if not zf.comment.startswith(STAMP):
        return False
    stamp, now = zf.comment[len(STAMP) :], _sheet_crcs(zf)
    if stamp.startswith(STAMP_HASH):
        return bool(now) and stamp[len(STAMP_HASH) :] == _crc_hash(now)
    try:  # plans saved before the stamp was a hash hold the CRCs themselves
        crcs = json.loads(stamp)
    except ValueError:
        return False
    return bool(crcs) and crcs == now


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
) -> tuple[PlanFile, list[Issue], list[Edit]]:
    """Open a plan workbook: the saved plan exactly, the problems found in edits made in Excel (each with its
    sheet and row), and the valid edits (pins, objective changes) for the GUI to apply as one undo step.

    The workbook passes the same checks as any file before the reader parses it; a plan that lost its
    description sheet, or whose hidden data was changed, is refused as damaged."""
    from tierdesk.io.book import Book
    from tierdesk.io.plan_reading import damaged, edits_in_excel, saved_plan

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
        if _untouched(book.zip):
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
