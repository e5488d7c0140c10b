"""Tampering is never silent (issue 14, item 7): a plan that lost its description sheet is refused as a
damaged plan, not read as a territory file; edits that cannot be taken are listed with the reason."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.unit.test_excel_edits import columns, edit, saved  # noqa: F401 - the fixture
from tierdesk.io.errors import ReadError
from tierdesk.io.plan_file import is_plan_workbook, read_plan
from tierdesk.io.plan_format import META_SHEET
from tierdesk.io.snapshot import PlanSnapshot

REPO = Path(__file__).resolve().parents[2]


def _without_sheet(path: Path, sheet: str) -> Path:
    """The workbook with one sheet removed from its list of sheets (and its part), as a script would."""
    out = path.with_name("tampered.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        workbook = src.read("xl/workbook.xml").decode()
        rel = re.search(
            rf'<sheet name="{sheet}" sheetId="\d+" state="veryHidden" r:id="(rId\d+)"/>', workbook
        )
        assert rel is not None
        rels = src.read("xl/_rels/workbook.xml.rels").decode()
        target = re.search(rf'Id="{rel.group(1)}"[^>]*Target="([^"]+)"', rels) or re.search(
            rf'Target="([^"]+)"[^>]*Id="{rel.group(1)}"', rels
        )
        assert target is not None
        for info in src.infolist():
            if info.filename == "xl/" + target.group(1):
                continue
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                data = workbook.replace(rel.group(0), "").encode()
            dst.writestr(info, data)
    return out


def test_a_plan_without_its_description_sheet_is_refused_as_damaged(saved: tuple[Path, PlanSnapshot]) -> None:  # noqa: F811
    path, _ = saved
    tampered = _without_sheet(path, META_SHEET)
    assert is_plan_workbook(tampered)  # still tierdesk's: never read as an ordinary territory file
    with pytest.raises(ReadError) as caught:
        read_plan(tampered)
    message = str(caught.value)
    assert "tampered.xlsx is a damaged tierdesk plan" in message
    assert f"'{META_SHEET}' is missing" in message and "'_tierdesk_accounts'" in message
    result = subprocess.run(
        [sys.executable, "-m", "tierdesk", "inspect", str(tampered)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [f"tierdesk: {message}"]


def test_formulas_in_editable_cells_are_listed_not_taken(saved: tuple[Path, PlanSnapshot]) -> None:  # noqa: F811
    path, state = saved

    def change(book: openpyxl.Workbook) -> None:
        ws = book["Objectives"]
        ws[f"{columns(ws)['Notes']}2"] = "=1+1"
        ws[f"{columns(ws)['Status']}3"] = "Met"  # an ordinary edit beside it still comes back
        plans = book["Account Plans"]
        plans[f"{columns(plans)['Tier']}4"] = '=IF(TRUE,"Named","Field")'

    _, problems, edits = read_plan(edit(path, change))
    texts = [p.message for p in problems]
    notes = next(t for t in texts if "row 2" in t and "'Notes'" in t)
    assert "holds a formula; not taken" in notes
    tier = next(t for t in texts if "Account Plans" in t and "row 4" in t)
    assert "holds a formula; not taken" in tier
    assert len(edits) == 1  # the status, and nothing from the formulas
    assert edits[0].entries == ((int(state.objectives["objective_id"].iat[1]), "status", "Met"),)


def test_revenue_changed_in_account_plans_is_listed_with_the_reason(saved: tuple[Path, PlanSnapshot]) -> None:  # noqa: F811
    path, _ = saved

    def change(book: openpyxl.Workbook) -> None:
        ws = book["Account Plans"]
        ws[f"{columns(ws)['Revenue']}5"] = "abc"
        ws[f"{columns(ws)['Revenue']}6"] = 123.0

    _, problems, edits = read_plan(edit(path, change))
    revenue = [p for p in problems if p.column == "Revenue"]
    assert [p.row for p in revenue] == [5, 6]
    assert "changed to 'abc'; not taken: revenue comes from the territory file" in revenue[0].message
    assert edits == []


def test_an_untouched_revenue_column_is_no_problem(saved: tuple[Path, PlanSnapshot]) -> None:  # noqa: F811
    path, _ = saved

    def change(book: openpyxl.Workbook) -> None:
        book["Objectives"]["A1"].value = book["Objectives"]["A1"].value  # saved by another program

    _, problems, _ = read_plan(edit(path, change))
    assert not [p for p in problems if p.column == "Revenue"]
