"""Plan workbooks for people and for tierdesk: visible sheets to read and edit, very hidden ones holding the
exact plan; one workbook per seller; safe sheet and file names."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.workbook import Workbook

from tierdesk.domain.coverage import NO_VALUE, group_codes
from tierdesk.domain.playbook import Playbook, PlaybookError
from tierdesk.domain.playbook_edits import with_values
from tierdesk.domain.sellers import sellers_frame
from tierdesk.io.errors import CancelFn, ProgressFn, Steps
from tierdesk.io.excel_cells import (
    LISTS_SHEET,
    Column,
    Formats,
    TableSheet,
    TextNotes,
    excel_dates,
    visible_text,
    visible_texts,
)
from tierdesk.io.export_sellers import SELLER_COLUMNS, SELLERS_SHEET, SellerRows
from tierdesk.io.export_sheets import OBJECTIVE_SHEET_COLUMNS, ObjectiveRows, PlanRows, write_lists
from tierdesk.io.export_summary import SUMMARY, plan_page, write_summary
from tierdesk.io.plan_codec import CHUNK, HEADER, Digest, frame_rows

if TYPE_CHECKING:
    from tierdesk.io.plan_file import PlanFile

__all__ = [
    "HISTORY_SHEET",
    "HISTORY_SHEET_COLUMNS",
    "MAX_ROWS",
    "OBJECTIVES_SHEET",
    "PLANS_SHEET",
    "export_plans",
    "file_stem",
    "sheet_name",
    "write_workbook",
]

MAX_ROWS = 1_048_575  # data rows below a header row on one sheet
PLANS_SHEET, OBJECTIVES_SHEET = "Account Plans", "Objectives"
HISTORY_SHEET = "Change History"  # Excel reserves the name "History"
#: The Change History sheet's columns: (header, width, history column; "" for the account's name and id).
HISTORY_SHEET_COLUMNS = (
    ("When", 17.0, "time"),
    ("Kind", 12.0, "kind"),
    ("Account", 34.0, ""),
    ("What", 26.0, "what"),
    ("From", 20.0, "old"),
    ("To", 20.0, "new"),
    ("Reason", 32.0, "reason"),
    ("User", 14.0, "user"),
)
#: The kinds of change as the sheet names them.
HISTORY_KINDS = {
    "move": "Move",
    "override": "Override",
    "split": "Split line",
    "playbook": "Playbook",
    "objective": "Objective",
    "plan": "Plan details",
}
#: User texts are written as literal text: never as formulas, links or numbers.
OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": False,
}


def write_workbook(
    state: PlanFile,
    target: str | IO[bytes],
    saved: dt.datetime,
    steps: Steps,
    rows_per_sheet: int = MAX_ROWS,
    scratch: str | None = None,
) -> list[str]:
    """Write the plan workbook (see plan_file.write_plan, which makes it atomic; `scratch` is the folder for
    the writer's temporary files); returns notes."""
    from tierdesk.io.plan_file import META_SHEET, meta_dict

    notes = TextNotes()
    steps.report(0.0, "Preparing the plan")
    plans = PlanRows(state, notes)
    objectives = ObjectiveRows(plans)
    page = plan_page(state)
    plan_sheet = TableSheet(PLANS_SHEET, "AccountPlans", plans.columns, plans.n, rows_per_sheet, page=page)
    objective_sheet = TableSheet(
        OBJECTIVES_SHEET, "Objectives", OBJECTIVE_SHEET_COLUMNS, objectives.n, rows_per_sheet, page=page
    )
    history_sheet = TableSheet(
        HISTORY_SHEET, "ChangeHistory", history_columns(), len(state.history), rows_per_sheet, page=page
    )
    sellers = SellerRows(state, notes)
    seller_sheet = TableSheet(SELLERS_SHEET, "Sellers", SELLER_COLUMNS, sellers.n, rows_per_sheet)
    wb = Workbook(target, {**OPTIONS, "tmpdir": scratch} if scratch else OPTIONS)
    try:
        wb.set_properties(
            {
                "title": f"Account plans: {state.info.title or state.playbook.name}",
                "comments": "Made with tierdesk. Hidden sheets hold the exact plan: keep them.",
                "created": saved,
            }
        )
        wb.set_custom_property("tierdesk plan format", "1")
        fmt = Formats(wb, state.playbook.currency)
        visible = [SUMMARY, *[s[0] for s in plan_sheet.sheets], *[s[0] for s in objective_sheet.sheets]]
        visible += [s[0] for s in seller_sheet.sheets]
        history_sheets = [s[0] for s in history_sheet.sheets] if len(state.history) else []
        visible += history_sheets
        for name in [*visible, LISTS_SHEET, META_SHEET, *dict.fromkeys(data_parts(state).values())]:
            wb.add_worksheet(name)
        lists = write_lists(wb, state, notes)
        plan_sheet.write(wb, fmt, plans.block, steps.part(0.05, 0.5), plans.decorate(fmt, lists))
        objective_sheet.write(
            wb, fmt, objectives.block, steps.part(0.5, 0.85), objectives.decorate(fmt, lists)
        )
        seller_sheet.write(wb, fmt, sellers.block, steps.part(0.85, 0.855), sellers.decorate(fmt, lists))
        if history_sheets:
            history_sheet.write(wb, fmt, history_block(state, notes), steps.part(0.85, 0.86), _no_decoration)
        steps.report(0.86, "Keeping the exact plan")
        kept: list[str] = []
        digests = write_hidden(wb, state, shown_frame(state, plans), kept, steps)
        messages = notes.messages() + kept
        meta = meta_dict(state, saved) | {
            "digests": digests,
            "sheets": {
                "plans": [s[0] for s in plan_sheet.sheets],
                "objectives": [s[0] for s in objective_sheet.sheets],
                "history": history_sheets,
                "sellers": [s[0] for s in seller_sheet.sheets],
            },
            "tiers": list(state.playbook.tier_names),
            "rows_per_sheet": rows_per_sheet,
        }
        ws = wb.get_worksheet_by_name(META_SHEET)
        assert ws is not None
        ws.write_row(0, 0, list(HEADER))
        text = json.dumps(meta, ensure_ascii=True, allow_nan=False)
        for i, start in enumerate(range(0, len(text), CHUNK)):
            ws.write_row(i + 1, 0, ["meta", "", "", text[start : start + CHUNK]])
        ws.very_hidden()
        steps.report(0.88, "Writing the summary")
        write_summary(wb, state, fmt, notes, saved, messages, visible)
        steps.report(0.9, "Packing the workbook")
        wb.close()
    except FileCreateError as exc:
        close_quietly(exc)
        cause = exc.__cause__ or exc.__context__
        raise cause if isinstance(cause, OSError) else OSError(str(exc)) from exc
    except BaseException as exc:
        close_quietly(exc)
        raise
    finally:
        _discard(wb)
    return notes.messages() + kept


def close_quietly(exc: BaseException) -> None:
    """Close the zip the writer was packing when it failed (a full disk, say): left open, it would try to
    finish itself when collected and print "Exception ignored in ZipFile.__del__" over the message."""
    tb = exc.__traceback__
    while tb is not None:
        for value in list(tb.tb_frame.f_locals.values()):
            if isinstance(value, zipfile.ZipFile):
                with contextlib.suppress(Exception):
                    value.close()
                value.fp = None
        tb = tb.tb_next


def write_hidden(
    wb: Workbook, state: PlanFile, shown: pd.DataFrame, kept: list[str], steps: Steps
) -> dict[str, str]:
    """The exact plan into its very hidden sheets; returns each part's checksum."""
    frames = {
        "accounts": state.accounts,
        "shown": shown,
        "objectives": state.objectives,
        "overrides": state.overrides,
        "history": state.history,
        "sellers": sellers_frame(state.sellers),
    }
    if state.previous is not None:
        frames["previous"] = state.previous.frame()
    digests: dict[str, str] = {}
    rows: dict[str, int] = {}
    for part, sheet in data_parts(state).items():
        ws = wb.get_worksheet_by_name(sheet)
        assert ws is not None
        if sheet not in rows:
            ws.write_row(0, 0, list(HEADER))
            ws.very_hidden()
            rows[sheet] = 1
        digest = Digest()
        for cells in frame_rows(part, frames[part], kept):
            steps.check()
            ws.write_row(rows[sheet], 0, cells)
            digest.add(cells)
            rows[sheet] += 1
        digests[part] = digest.hexdigest()
    return digests


def data_parts(state: PlanFile) -> dict[str, str]:
    """The hidden parts of this plan, each with its sheet: the previous period only when it has one."""
    from tierdesk.io.plan_file import DATA_SHEETS

    return {p: s for p, s in DATA_SHEETS.items() if p != "previous" or state.previous is not None}


def history_columns() -> list[Column]:
    return [Column(h, w, "datetime" if c == "time" else "text") for h, w, c in HISTORY_SHEET_COLUMNS]


def history_block(state: PlanFile, notes: TextNotes) -> Callable[[int, int], list[np.ndarray]]:
    """The Change History sheet's values, block by block: literal texts (blank where empty), times as Excel
    dates, the kind in words, the account as "name (id)" and what changed starting with a capital."""
    history = state.history

    def texts(values: pd.Series) -> np.ndarray:
        out = visible_texts(values.to_numpy(object), notes)  # texts already made visible stay as they are
        out[out == ""] = None
        return out

    def account(part: pd.DataFrame) -> np.ndarray:
        # name and id made visible apart, so a text Excel cannot hold is noted once however it is shown
        names, ids = (
            pd.Series(visible_texts(part[c].fillna("").str.strip().to_numpy(object), notes, literal=False))
            for c in ("account_name", "account_id")
        )
        both = (names != "") & (ids != "")
        shown = names.where(names != "", ids).where(~both, names + " (" + ids + ")")
        return texts(shown)

    def block(first: int, last: int) -> list[np.ndarray]:
        part = history.iloc[first:last]
        kinds, what = part["kind"].fillna(""), part["what"].fillna("")
        columns: dict[str, np.ndarray] = {
            "time": excel_dates(part["time"]),
            "kind": texts(kinds.map(lambda k: HISTORY_KINDS.get(k, k.capitalize())).astype(object)),
            "": account(part),
            "what": texts(what.str[:1].str.upper() + what.str[1:]),
        }
        return [columns[c] if c in columns else texts(part[c]) for _, _, c in HISTORY_SHEET_COLUMNS]

    return block


def _no_decoration(ws: Any, rows: int) -> None:
    pass


def _discard(wb: Workbook) -> None:
    """Close the row files a constant-memory workbook keeps open when writing stopped half way."""
    for ws in wb.worksheets():
        fh = getattr(ws, "row_data_fh", None)
        if fh is not None and not fh.closed:
            fh.close()
            Path(ws.row_data_filename).unlink(missing_ok=True)
    wb.fileclosed = True


def shown_frame(state: PlanFile, plans: PlanRows) -> pd.DataFrame:
    """What the Account Plans sheet shows in its editable columns, to tell the planner's edits from them."""
    cls = plans.cls
    return pd.DataFrame(
        {
            "tier": cls.tier.astype(np.int8),
            "persona": cls.persona.astype(np.int8),
            "category": cls.category.astype(np.int8),
            "reason": pd.array(plans.reasons, dtype="string"),
            "wallet": cls.wallet.astype(np.float64),
        }
    )


# ---------------------------------------------------------------- names

_SHEET_BAD = re.compile(r"[\\/?*:\[\]\x00-\x1f]")
_FILE_BAD = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid sheet name from any text: at most 31 characters, none of \\ / ? * : [ ], not starting or
    ending with an apostrophe, unique ignoring case among `taken` (which it joins)."""
    name = _SHEET_BAD.sub("_", visible_text(str(text))).strip().strip("'") or "Sheet"
    if name.casefold() == "history":
        name += "_"
    stem, n = name[:31].rstrip(), 1
    name = stem
    while _fold(name) in taken:
        n += 1
        suffix = f" ({n})"
        name = stem[: 31 - len(suffix)].rstrip() + suffix
    taken.add(_fold(name))
    return name


def file_stem(text: str, taken: set[str], max_bytes: int = 120) -> str:
    """A file name (without extension) safe on Windows, macOS and Linux, unique ignoring case among `taken`.
    Long names are cut and given a short hash of the full text, so different long names stay different."""
    stem = _FILE_BAD.sub("_", unicodedata.normalize("NFC", str(text))).strip().rstrip(". ") or "unnamed"
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    if len(stem.encode()) > max_bytes:
        tag = hashlib.sha1(str(text).encode("utf-8", "surrogatepass")).hexdigest()[:8]
        while len(stem.encode()) > max_bytes - 9:
            stem = stem[:-1]
        stem = f"{stem.rstrip('. ')}-{tag}"
    base, n = stem, 1
    while _fold(stem) in taken:
        n += 1
        stem = f"{base} ({n})"
    taken.add(_fold(stem))
    return stem


# ---------------------------------------------------------------- one workbook per seller


def fixed_playbook(state: PlanFile) -> tuple[Playbook, str | None]:
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


def seller_plan(state: PlanFile, rows: np.ndarray, playbook: Playbook, title: str) -> PlanFile:
    """The plan restricted to some accounts (a copy), with the given playbook."""
    from tierdesk.io.plan_file import PlanFile

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
    return PlanFile(
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
    state: PlanFile,
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
        from tierdesk.io.plan_file import SaveError
        from tierdesk.io.saving import why_not_saved

        raise SaveError(f"Could not make the folder {folder.name}: {why_not_saved(exc)}.", folder) from exc
    return missing


def _export_each(
    state: PlanFile, folder: Path, split_by: Literal["owner", "territory"], steps: Steps, prefix: str
) -> tuple[list[Path], list[str]]:
    from tierdesk.io.plan_file import write_plan

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
