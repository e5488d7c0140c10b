"""The visible Change History sheet of the plan workbook, the short zip stamp that lets LibreOffice open it,
and LibreOffice itself opening a plan with history (skipped where it is not installed)."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from functools import cache
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from tierdesk import paths
from tierdesk.domain.plan import MoveSplit, PinAccounts, Plan
from tierdesk.domain.plan_objectives import PlanInfo, SetPlanInfo, new_plan
from tierdesk.domain.playbook import default_playbook
from tierdesk.io import plan_stamp
from tierdesk.io.plan_file import read_plan, write_plan
from tierdesk.io.plan_format import HISTORY_SHEET
from tierdesk.io.snapshot import PlanSnapshot

HEADERS = ["When", "Kind", "Account", "What", "From", "To", "Reason", "User"]


@cache
def accounts() -> pd.DataFrame:
    from tierdesk.io.load import open_territory

    return open_territory(paths.sample_territory()).accounts.head(120)


def edited_plan() -> Plan:
    """A plan with four history entries: two pinned accounts, a split line moved, the plan owner set."""
    plan = new_plan(accounts(), default_playbook(), as_of="2025-07-01")
    plan.user = "tester"
    plan.apply(PinAccounts((0, 1), "tier", plan.playbook.tier_names[0], "=SUM(A1) CIO sponsor"))
    plan.apply(MoveSplit("x", 0.5, "percentile"))
    plan.apply(SetPlanInfo(PlanInfo(owner="Dana")))
    return plan


def test_the_workbook_shows_the_history_as_a_table(tmp_path: Path) -> None:
    plan = edited_plan()
    state = PlanSnapshot.from_plan(plan)
    write_plan(state, tmp_path / "p.xlsx")
    book = openpyxl.load_workbook(tmp_path / "p.xlsx")
    visible = [n for n in book.sheetnames if book[n].sheet_state == "visible"]
    assert visible == ["Summary", "Account Plans", "Objectives", "Sellers", HISTORY_SHEET]
    ws = book[HISTORY_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert len(rows) == 1 + len(plan.history) == 5
    ids, names = plan.accounts["account_id"], plan.accounts["account_name"]
    first = rows[1]
    assert abs(pd.Timestamp(first[0]) - plan.history["time"].iat[0]) < pd.Timedelta(seconds=1)
    assert list(first[1:]) == [
        "Move",
        f"{names.iat[0]} ({ids.iat[0]})",
        "Tier",
        plan.history["old"].iat[0],
        "Strategic",
        "=SUM(A1) CIO sponsor",  # a text, never a formula
        "tester",
    ]
    assert ws["G2"].data_type == "s"
    assert rows[2][2] == f"{names.iat[1]} ({ids.iat[1]})"
    old_split = plan.history["old"].iat[2]
    split = ["Split line", None, "Share-of-wallet split", old_split, "50th percentile", None, "tester"]
    assert list(rows[3][1:]) == split
    assert list(rows[4][1:6]) == ["Plan details", None, "Owner", None, "Dana"]
    assert [(t.name, t.ref) for t in ws.tables.values()] == [("ChangeHistory", "A1:H5")]
    assert ws.freeze_panes == "C2"
    summary = [r for r in book["Summary"].iter_rows(values_only=True) if r[0] == "Sheets"]
    assert HISTORY_SHEET in summary[0][1]

    back, problems, edits = read_plan(tmp_path / "p.xlsx")  # and the plan reopens exactly
    assert problems == [] and edits == []
    assert state.differences(back) == []
    pd.testing.assert_frame_equal(back.history, plan.history, check_exact=True)


def test_no_history_no_sheet(tmp_path: Path) -> None:
    plan = new_plan(accounts(), default_playbook(), as_of="2025-07-01")
    write_plan(PlanSnapshot.from_plan(plan), tmp_path / "p.xlsx")
    assert HISTORY_SHEET not in openpyxl.load_workbook(tmp_path / "p.xlsx", read_only=True).sheetnames


def test_a_long_history_continues_on_more_sheets(tmp_path: Path) -> None:
    plan = new_plan(accounts(), default_playbook(), as_of="2025-07-01")
    plan.apply(PinAccounts(tuple(range(25)), "tier", "Named", "review"))
    state = PlanSnapshot.from_plan(plan)
    write_plan(state, tmp_path / "p.xlsx", rows_per_sheet=10)
    book = openpyxl.load_workbook(tmp_path / "p.xlsx")
    parts = [n for n in book.sheetnames if n.startswith(HISTORY_SHEET)]
    assert parts == [HISTORY_SHEET, f"{HISTORY_SHEET} (2)", f"{HISTORY_SHEET} (3)"]
    assert sum(book[n].max_row - 1 for n in parts) == 25
    assert read_plan(tmp_path / "p.xlsx")[0].differences(state) == []


# ---------------------------------------------------------------- the zip stamp


def test_the_stamp_stays_short_however_many_sheets(tmp_path: Path) -> None:
    """LibreOffice refuses a zip whose comment is longer than 512 bytes; the stamp once listed every sheet."""
    plan = edited_plan()
    plan.apply(PinAccounts(tuple(range(40)), "tier", "Named", "review"))
    write_plan(PlanSnapshot.from_plan(plan), tmp_path / "p.xlsx", rows_per_sheet=8)
    with zipfile.ZipFile(tmp_path / "p.xlsx") as zf:
        assert len([n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]) > 30
        assert len(zf.comment) <= plan_stamp.STAMP_LIMIT
        assert plan_stamp.untouched(zf)


def test_a_sheet_changed_elsewhere_is_noticed_and_old_stamps_still_count(tmp_path: Path) -> None:
    path = tmp_path / "p.xlsx"
    write_plan(PlanSnapshot.from_plan(edited_plan()), path)
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
        crcs = {i.filename: i.CRC for i in zf.infolist() if i.filename.startswith("xl/worksheets/")}

    def rewrite(target: Path, comment: bytes, change: str | None = None) -> bool:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in parts.items():
                zf.writestr(name, data + (b" " if name == change else b""))
            zf.comment = comment
        with zipfile.ZipFile(target) as zf:
            return plan_stamp.untouched(zf)

    old_style = plan_stamp.STAMP + json.dumps(crcs, sort_keys=True).encode("ascii")
    assert rewrite(tmp_path / "old.xlsx", old_style)  # plans saved before the stamp was a hash
    with zipfile.ZipFile(path) as zf:
        stamp = zf.comment
    assert rewrite(tmp_path / "same.xlsx", stamp)
    assert not rewrite(tmp_path / "edited.xlsx", stamp, "xl/worksheets/sheet2.xml")
    assert not rewrite(tmp_path / "none.xlsx", b"")


# ---------------------------------------------------------------- LibreOffice


def test_libreoffice_opens_a_plan_with_history(tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not on PATH")
    from tierdesk.domain.governance import previous_period

    plan = edited_plan()
    state = PlanSnapshot.from_plan(plan, previous=previous_period(plan, "before.xlsx"))
    write_plan(state, tmp_path / "plan.xlsx")
    out = tmp_path / "out"
    profile = (tmp_path / "lo-profile").as_uri()  # a private profile: no clash with a running LibreOffice
    try:
        result = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "ods",
                "--outdir",
                str(out),
                str(tmp_path / "plan.xlsx"),
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
    except subprocess.TimeoutExpired:
        pytest.skip("LibreOffice did not finish within 3 minutes")
    converted = out / "plan.ods"
    assert converted.exists(), f"LibreOffice could not open the plan: {result.stdout} {result.stderr}"
    with zipfile.ZipFile(converted) as zf:
        content = zf.read("content.xml").decode("utf-8")
    assert f'table:name="{HISTORY_SHEET}"' in content
    assert "=SUM(A1) CIO sponsor" in content
    assert np.all([f'table:name="{n}"' in content for n in ("Summary", "Account Plans", "Objectives")])
