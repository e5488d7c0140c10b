"""Saving and opening a plan workbook: the whole plan comes back exactly; saves are atomic; damage named."""

from __future__ import annotations

import datetime as dt
import errno
import io
import json
import os
import shutil
from functools import cache
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from tierdesk import paths
from tierdesk.domain.plan import MoveSplit, PinAccounts, Plan, PlanInfo, RenameTier, SetPlaybookValue
from tierdesk.domain.plan_objectives import new_plan, set_objective
from tierdesk.domain.playbook import default_playbook
from tierdesk.io.errors import Cancelled, ReadError
from tierdesk.io.plan_file import (
    SaveError,
    check_target,
    inspect_plan,
    is_plan_workbook,
    read_plan,
    write_plan,
)
from tierdesk.io.plan_format import META_SHEET
from tierdesk.io.snapshot import PlanSnapshot

AS_OF = "2025-07-01"
WHEN = dt.datetime(2025, 6, 3, 14, 5, 9)


@cache
def sample_accounts() -> pd.DataFrame:
    from tierdesk.io.load import open_territory

    return open_territory(paths.sample_territory()).accounts


def tricky_accounts() -> pd.DataFrame:
    """Sample accounts with what round trips must survive: NaN, NaT, leading zeros, unicode, extras."""
    a = sample_accounts().head(60).copy()
    a.loc[0, "account_id"] = "00123"
    a.loc[1, "account_id"] = "0000"
    a.loc[2, "account_name"] = "Zürich Ærø 株式会社 😀"
    a.loc[3, "account_name"] = "شركة الخليج"  # right to left
    a.loc[4, "account_name"] = '=HYPERLINK("http://x")'
    a.loc[5, "account_name"] = "tab\tand\r\nnew line \x07 bell"
    a.loc[6, "revenue"] = np.nan
    a.loc[7, "last_purchase"] = pd.NaT
    a.loc[8, "wallet"] = -0.0
    a.loc[9, "revenue"] = 0.1 + 0.2
    a.loc[10, "executive_sponsor"] = pd.NA
    a["Region Code"] = pd.array(["007", None, "N1", "<r>x</r>", *["S2"] * 56], dtype="string")
    a["Seats"] = [np.nan, 1.5, *range(58)]
    a["Mixed"] = pd.Series(
        [1, 1.0, "1", True, None, np.nan, pd.NA, dt.date(2024, 1, 2), *["x"] * 52], dtype=object
    )
    a["Long Note"] = "n" * 40_000
    return a.reset_index(drop=True)


def edited_plan() -> Plan:
    plan = new_plan(
        tricky_accounts(),
        default_playbook(),
        as_of=AS_OF,
        info=PlanInfo("Dana Ortiz", dt.date(2025, 7, 1), dt.date(2026, 6, 30), "FY26 plan"),
    )
    plan.apply(PinAccounts((0, 2), "tier", "Strategic", "CIO wants a platform deal ✓", WHEN))
    plan.apply(PinAccounts((3,), "persona", "Land & Expand", "", WHEN))
    plan.apply(MoveSplit("x", 0.31))  # a moved split
    plan.apply(MoveSplit("y", 0.8, "percentile"))
    plan.apply(SetPlaybookValue("tiers[1].touches_per_quarter", 7))
    plan.apply(RenameTier(3, "Digital"))
    first = int(plan.objectives["objective_id"].iat[0])
    plan.apply(set_objective(first, "status", "In progress"))
    plan.apply(set_objective(first, "notes", "n" * 10_000 + " 😀 \x01"))
    plan.apply(set_objective(first + 1, "due", None))
    plan.apply(set_objective(first + 2, "target", None))
    plan.apply(set_objective(first + 3, "notes", "x" * 40_000))  # more than an Excel cell holds
    return plan


def state_of(plan: Plan) -> PlanSnapshot:
    return PlanSnapshot.from_plan(
        plan,
        mapping={"account_id": "Account ID", "account_name": "Account Name"},
        source_file="territory.xlsx",
        source_sheet="Accounts",
        created=dt.datetime(2025, 6, 1, 9, 0),
    )


# ---------------------------------------------------------------- the round trip


def test_the_whole_plan_comes_back_exactly(tmp_path: Path) -> None:
    plan = edited_plan()
    state = state_of(plan)
    target = tmp_path / "plan.xlsx"
    notes = write_plan(state, target)
    assert state.saved is not None
    assert any("control character" in n for n in notes) and any("32,767" in n for n in notes)
    back, problems, edits = read_plan(target)
    assert problems == [] and edits == []
    assert state.differences(back) == []
    assert back.playbook.personas.x_split.value == 0.31 and back.playbook.tier_names[3] == "Digital"
    assert back.overrides["reason"].tolist() == [
        "CIO wants a platform deal ✓",
        "CIO wants a platform deal ✓",
        "",
    ]
    assert back.accounts["account_id"].iat[0] == "00123"
    assert [type(v) for v in back.accounts["Mixed"][:8]] == [type(v) for v in state.accounts["Mixed"][:8]]
    reopened = back.to_plan()
    for field in ("tier", "persona", "category", "pinned_tier", "over_investment"):
        assert np.array_equal(getattr(reopened.classification, field), getattr(plan.classification, field))
    assert reopened.next_objective_id == plan.next_objective_id


def test_a_workbook_resaved_by_another_program_still_restores_exactly(tmp_path: Path) -> None:
    state = state_of(edited_plan())
    write_plan(state, tmp_path / "plan.xlsx")
    book = openpyxl.load_workbook(tmp_path / "plan.xlsx")  # rewrites every sheet, drops the tierdesk stamp
    book.save(tmp_path / "resaved.xlsx")
    back, problems, edits = read_plan(tmp_path / "resaved.xlsx")
    assert state.differences(back) == []
    assert edits == [] and problems == []


def test_save_to_a_stream(tmp_path: Path) -> None:
    state = state_of(new_plan(sample_accounts().head(20), default_playbook(), as_of=AS_OF))
    stream = io.BytesIO()
    write_plan(state, stream)
    (tmp_path / "s.xlsx").write_bytes(stream.getvalue())
    assert state.differences(read_plan(tmp_path / "s.xlsx")[0]) == []


def test_plan_from_a_territory_file_and_inspect(tmp_path: Path) -> None:
    from tierdesk.io.load import open_territory

    result = open_territory(paths.sample_territory())
    state = PlanSnapshot.from_territory(result, default_playbook(), as_of=AS_OF)
    assert state.source_file == "sample_territory.xlsx" and state.mapping == result.mapping
    assert len(state.objectives) > len(state.accounts)
    write_plan(state, tmp_path / "p.xlsx")
    info = inspect_plan(tmp_path / "p.xlsx")
    assert info["kind"] == "plan" and info["accounts"] == 600 and info["edits_from_excel"] == 0


def test_progress_rises_to_the_end(tmp_path: Path) -> None:
    seen: list[float] = []
    write_plan(
        state_of(new_plan(sample_accounts(), default_playbook(), as_of=AS_OF)),
        tmp_path / "p.xlsx",
        lambda f, _: seen.append(f),
    )
    assert seen == sorted(seen) and seen[-1] == 1.0


# ---------------------------------------------------------------- telling plan workbooks from others


def test_is_plan_workbook(tmp_path: Path) -> None:
    write_plan(
        state_of(new_plan(sample_accounts().head(5), default_playbook(), as_of=AS_OF)), tmp_path / "p.xlsx"
    )
    assert is_plan_workbook(tmp_path / "p.xlsx")
    assert not is_plan_workbook(paths.sample_territory())
    (tmp_path / "empty.xlsx").write_bytes(b"")
    (tmp_path / "text.xlsx").write_text("a,b\n1,2\n")
    assert not is_plan_workbook(tmp_path / "empty.xlsx") and not is_plan_workbook(tmp_path / "text.xlsx")
    assert not is_plan_workbook(tmp_path / "missing.xlsx")


def test_reading_what_is_not_a_plan(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="not a tierdesk plan"):
        read_plan(paths.sample_territory())
    (tmp_path / "empty.xlsx").write_bytes(b"")
    with pytest.raises(ReadError, match="empty"):
        read_plan(tmp_path / "empty.xlsx")


def _resave(path: Path, change: object) -> Path:
    book = openpyxl.load_workbook(path)
    change(book)  # type: ignore[operator]
    out = path.with_name("changed.xlsx")
    book.save(out)
    return out


def test_hidden_data_changed_outside_tierdesk_is_refused(tmp_path: Path) -> None:
    write_plan(
        state_of(new_plan(sample_accounts().head(30), default_playbook(), as_of=AS_OF)), tmp_path / "p.xlsx"
    )

    def tamper(book: openpyxl.Workbook) -> None:
        ws = book["_tierdesk_accounts"]
        cell = ws.cell(row=ws.max_row, column=4)
        cell.value = str(cell.value)[:-5]

    with pytest.raises(ReadError, match="changed or cut outside tierdesk"):
        read_plan(_resave(tmp_path / "p.xlsx", tamper))


def test_a_plan_from_a_newer_tierdesk_is_refused(tmp_path: Path) -> None:
    write_plan(
        state_of(new_plan(sample_accounts().head(3), default_playbook(), as_of=AS_OF)), tmp_path / "p.xlsx"
    )

    def newer(book: openpyxl.Workbook) -> None:
        cell = book[META_SHEET].cell(row=2, column=4)
        meta = json.loads(cell.value)
        meta["format_version"] = 99
        cell.value = json.dumps(meta)

    with pytest.raises(ReadError, match="newer tierdesk"):
        read_plan(_resave(tmp_path / "p.xlsx", newer))


# ---------------------------------------------------------------- failed saves keep the old file


@pytest.fixture
def saved(tmp_path: Path) -> tuple[PlanSnapshot, Path, bytes]:
    state = state_of(new_plan(sample_accounts().head(40), default_playbook(), as_of=AS_OF))
    target = tmp_path / "plan.xlsx"
    write_plan(state, target)
    return state, target, target.read_bytes()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "plan.xlsx")


class FailingStream(io.RawIOBase):
    """A stream whose device fills up after some bytes."""

    def __init__(self, room: int) -> None:
        self.room, self.data = room, bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b: bytes) -> int:  # type: ignore[override]
        if len(self.data) + len(b) > self.room:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.data += b
        return len(b)


def test_a_stream_failing_mid_write_raises_a_clear_error(saved: tuple[PlanSnapshot, Path, bytes]) -> None:
    state, target, before = saved
    stream = FailingStream(10_000)
    with pytest.raises(SaveError, match="the disk is full"):
        write_plan(state, stream)
    assert target.read_bytes() == before


def test_a_disk_filling_up_during_the_save_leaves_the_old_file(
    saved: tuple[PlanSnapshot, Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    from xlsxwriter.workbook import Workbook

    state, target, before = saved
    close = Workbook.close

    def full(self: Workbook) -> None:
        close(self)
        with open(self.filename, "r+b") as fh:  # half the file reached the disk
            fh.truncate(os.path.getsize(self.filename) // 2)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Workbook, "close", full)
    with pytest.raises(SaveError) as caught:
        write_plan(state, target)
    assert "the disk is full" in str(caught.value) and "previous file is unchanged" in str(caught.value)
    assert target.read_bytes() == before
    assert _leftovers(target.parent) == []


def test_a_rename_refused_leaves_the_old_file(
    saved: tuple[PlanSnapshot, Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    state, target, before = saved

    def refused(src: str, dst: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", refused)
    with pytest.raises(SaveError, match="may not write there"):
        write_plan(state, target)
    assert target.read_bytes() == before and _leftovers(target.parent) == []


def test_cancel_leaves_the_old_file(saved: tuple[PlanSnapshot, Path, bytes]) -> None:
    state, target, before = saved
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(Cancelled):
        write_plan(state, target, cancel=cancel)
    assert target.read_bytes() == before and _leftovers(target.parent) == []


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    state = state_of(new_plan(sample_accounts().head(3), default_playbook(), as_of=AS_OF))
    with pytest.raises(SaveError, match="folder no longer exists"):
        write_plan(state, tmp_path / "gone" / "plan.xlsx")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder(saved: tuple[PlanSnapshot, Path, bytes]) -> None:
    state, target, before = saved
    target.parent.chmod(0o555)
    try:
        with pytest.raises(SaveError, match="may not write there"):
            write_plan(state, target)
    finally:
        target.parent.chmod(0o755)
    assert target.read_bytes() == before


def test_the_territory_file_is_never_overwritten(tmp_path: Path) -> None:
    territory = tmp_path / "territory.xlsx"
    shutil.copy(paths.sample_territory(), territory)
    before = territory.read_bytes()
    state = state_of(new_plan(sample_accounts().head(3), default_playbook(), as_of=AS_OF))
    with pytest.raises(SaveError, match="never overwrites"):
        write_plan(state, territory)
    with pytest.raises(SaveError, match="is a folder"):
        check_target(tmp_path)
    assert territory.read_bytes() == before


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_workbook_resaved_by_libreoffice_restores_exactly_with_no_edits(tmp_path: Path) -> None:
    import subprocess

    state = state_of(new_plan(sample_accounts().head(80), default_playbook(), as_of=AS_OF))
    write_plan(state, tmp_path / "plan.xlsx")
    command = ["soffice", "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML"]
    command += ["--outdir", str(tmp_path / "lo"), str(tmp_path / "plan.xlsx")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    back, problems, edits = read_plan(tmp_path / "lo" / "plan.xlsx")  # numbers re-saved to 15 digits
    assert state.differences(back) == [] and problems == [] and edits == []
