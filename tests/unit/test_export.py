"""The plan workbook people read: sheets, tables, dropdowns, charts; user text always literal; Excel's limits
kept without silent loss; one workbook per seller."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from functools import cache
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from defusedxml import ElementTree
from python_calamine import CalamineWorkbook

from tierdesk import paths
from tierdesk.domain.plan import PinAccounts, Plan
from tierdesk.domain.plan_objectives import new_plan, set_objective
from tierdesk.domain.playbook import CATEGORIES, PERSONAS, default_playbook
from tierdesk.io.excel_cells import CUT_MARK, visible_text
from tierdesk.io.file_names import file_stem, sheet_name
from tierdesk.io.plan_file import read_plan, write_plan
from tierdesk.io.snapshot import PlanSnapshot
from tierdesk.io.split_export import export_plans

AS_OF = "2025-07-01"
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
HOSTILE = [
    '=HYPERLINK("http://evil.example","click")',
    "+1",
    "-2",
    "@SUM(A1)",
    "{=A1}",
    "#N/A",
    "\tstarts with a tab",
    "\rstarts with CR",
    "=1+1",
    "http://example.com",
    "1e5",
    "00123",
    "<r><t>rich</t></r>",
    "_x0041_ escaped?",
    "a & b < c",
]


@cache
def sample_accounts() -> pd.DataFrame:
    from tierdesk.io.load import open_territory

    return open_territory(paths.sample_territory()).accounts


def state_of(plan: Plan) -> PlanSnapshot:
    return PlanSnapshot.from_plan(plan, source_file="territory.xlsx", source_sheet="Accounts")


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PlanSnapshot]:
    plan = new_plan(sample_accounts(), default_playbook(), as_of=AS_OF)
    plan.apply(PinAccounts((0,), "tier", "Strategic", "CIO sponsor"))
    state = state_of(plan)
    path = tmp_path_factory.mktemp("book") / "plan.xlsx"
    write_plan(state, path)
    return path, state


def sheet_xml(path: Path, name: str) -> str:
    """The XML of the sheet with this name."""
    with zipfile.ZipFile(path) as zf:
        workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        rid = next(
            s.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
            for s in workbook.iterfind("m:sheets/m:sheet", NS)
            if s.get("name") == name
        )
        target = next(r.get("Target") for r in rels if r.get("Id") == rid)
        return zf.read("xl/" + target.removeprefix("/xl/")).decode("utf-8")


# ---------------------------------------------------------------- layout


def test_sheets_and_their_visibility(sample_book: tuple[Path, PlanSnapshot]) -> None:
    path, _ = sample_book
    book = CalamineWorkbook.from_path(str(path))
    states = {m.name: str(m.visible) for m in book.sheets_metadata}
    assert list(states)[:3] == ["Summary", "Account Plans", "Objectives"]
    assert all(v.endswith("Visible") for v in list(states.values())[:3])
    hidden = [n for n in states if n.startswith("_tierdesk")]
    assert set(hidden) == {
        "_tierdesk_lists",
        "_tierdesk_meta",
        "_tierdesk_accounts",
        "_tierdesk_objectives",
        "_tierdesk_overrides",
    }
    assert all(states[n].endswith("VeryHidden") for n in hidden)


def test_account_plans_is_a_formatted_table_with_dropdowns(sample_book: tuple[Path, PlanSnapshot]) -> None:
    path, state = sample_book
    book = openpyxl.load_workbook(path)
    ws = book["Account Plans"]
    assert dict(ws.tables.items()) == {"AccountPlans": "A1:AF601"}
    assert ws.freeze_panes == "C2"
    headers = [c.value for c in ws[1]]
    assert headers[:8] == [
        "Account ID",
        "Account Name",
        "Territory",
        "Owner",
        "Tier",
        "Persona",
        "Category",
        "Seller Role",
    ]
    col = {h: openpyxl.utils.get_column_letter(i + 1) for i, h in enumerate(headers)}
    lists = {str(v.sqref): v.formula1 for v in ws.data_validations.dataValidation}
    assert lists[f"{col['Tier']}2:{col['Tier']}601"] == "'_tierdesk_lists'!$A$2:$A$5"
    assert lists[f"{col['Persona']}2:{col['Persona']}601"] == "'_tierdesk_lists'!$B$2:$B$5"
    assert lists[f"{col['Category']}2:{col['Category']}601"] == "'_tierdesk_lists'!$C$2:$C$5"
    tier_rules = [
        r
        for rng in ws.conditional_formatting
        for r in rng.rules
        if str(rng.sqref) == f"{col['Tier']}2:{col['Tier']}601"
    ]
    assert [r.formula for r in tier_rules] == [['"Strategic"'], ['"Named"'], ['"Field"'], ['"Inside"']]
    assert ws[f"{col['Last Purchase']}2"].number_format == "yyyy-mm-dd"
    assert ws[f"{col['Plan Completeness']}2"].number_format == "0%"
    assert ws[f"{col['Revenue']}2"].number_format == '"$"#,##0'
    assert (
        ws[f"{col['Tier']}2"].value == "Strategic" and ws[f"{col['Override']}2"].value == "Tier → Strategic"
    )
    assert ws[f"{col['Override Reason']}2"].value == "CIO sponsor"
    assert "pinned (CIO sponsor)" in ws[f"{col['Tier Reason']}2"].value
    lists_sheet = book["_tierdesk_lists"]
    assert [c.value for c in lists_sheet["A"]][1:5] == list(state.playbook.tier_names)
    assert [c.value for c in lists_sheet["B"]][1:5] == list(PERSONAS)
    assert [c.value for c in lists_sheet["C"]][1:5] == list(CATEGORIES)


def test_objectives_is_a_table_with_a_status_dropdown(sample_book: tuple[Path, PlanSnapshot]) -> None:
    path, state = sample_book
    ws = openpyxl.load_workbook(path)["Objectives"]
    n = len(state.objectives)
    assert dict(ws.tables.items()) == {"Objectives": f"A1:O{n + 1}"}
    headers = [c.value for c in ws[1]]
    assert headers == [
        "Objective ID",
        "Account ID",
        "Account Name",
        "Territory",
        "Owner",
        "Tier",
        "Category",
        "Kind",
        "Description",
        "Current",
        "Target",
        "Target (Text)",
        "Due",
        "Status",
        "Notes",
    ]
    lists = {str(v.sqref): v.formula1 for v in ws.data_validations.dataValidation if v.type == "list"}
    assert lists[f"N2:N{n + 1}"] == "'_tierdesk_lists'!$E$2:$E$5"
    assert lists[f"H2:H{n + 1}"] == "'_tierdesk_lists'!$D$2:$D$9"
    assert ws["M2"].number_format == "yyyy-mm-dd" and isinstance(ws["M2"].value, dt.datetime)
    assert ws["N2"].value == "Not started" and ws["B2"].value == state.accounts["account_id"][0]


def test_summary_has_the_figures_and_charts(sample_book: tuple[Path, PlanSnapshot]) -> None:
    path, state = sample_book
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Summary").to_python()
    cells: dict[str, list[object]] = {}
    for r in rows:
        if r and r[0] != "":
            cells.setdefault(r[0], [c for c in r[1:] if c != ""])  # the first table naming it
    assert cells["Plan date"] == [dt.date(2025, 7, 1)]
    assert cells["Source file"] == ["territory.xlsx (sheet 'Accounts')"]
    cov = state.coverage()
    for tier in state.playbook.tier_names:
        assert cells[tier][0] == cov.by_tier.loc[tier, "accounts"]
    assert cells["Total"][0] == 600
    assert cells["High potential"] == ["Land & Expand", "Strategic Partnerships"]  # the 2x2, counts below
    at = next(i for i, r in enumerate(rows) if r[0] == "High potential")
    assert rows[at + 1][1:3] == [
        cov.by_persona.loc["Land & Expand", "accounts"],
        cov.by_persona.loc["Strategic Partnerships", "accounts"],
    ]
    assert rows[at + 3][1:3] == [
        cov.by_persona.loc["Efficient Engagement", "accounts"],
        cov.by_persona.loc["Protect & Defend", "accounts"],
    ]
    assert cells["Sellers needed"][0] == pytest.approx(cov.sellers)
    assert cells["Cost of sales share of revenue"][0] == pytest.approx(cov.cost_share)
    assert cells["Plan completeness"] == [1.0]
    for role in state.playbook.roles:
        assert cells[role.name][:3] == [role.capacity_unit, role.capacity, role.cost]
    assert "Share-of-wallet split (x)" in cells and "Tier pyramid" in cells
    with zipfile.ZipFile(path) as zf:
        charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) >= 3
        assert "Accounts per tier" in zf.read("xl/charts/chart1.xml").decode()


# ---------------------------------------------------------------- user text stays literal


def hostile_plan(names: list[str]) -> Plan:
    a = sample_accounts().head(len(names)).copy()
    a["account_name"] = pd.array(names, dtype="string")
    return new_plan(a.reset_index(drop=True), default_playbook(), as_of=AS_OF)


def test_names_are_written_as_literal_text_never_formulas(tmp_path: Path) -> None:
    plan = hostile_plan(HOSTILE)
    oid = int(plan.objectives["objective_id"].iat[0])
    plan.apply(set_objective(oid, "notes", "=cmd|' /C calc'!A0"))
    write_plan(state_of(plan), tmp_path / "p.xlsx")
    for sheet in ("Summary", "Account Plans", "Objectives"):
        xml = sheet_xml(tmp_path / "p.xlsx", sheet)
        assert "<f>" not in xml and "<f " not in xml, sheet
        assert "<hyperlink" not in xml, sheet
    root = ElementTree.fromstring(sheet_xml(tmp_path / "p.xlsx", "Account Plans"))
    names = [
        c for c in root.iterfind(".//m:c", NS) if re.fullmatch(r"B\d+", c.get("r")) and c.get("r") != "B1"
    ]
    assert len(names) == len(HOSTILE)
    assert all(c.get("t") in ("inlineStr", "s") for c in names)
    shown = (
        CalamineWorkbook.from_path(str(tmp_path / "p.xlsx")).get_sheet_by_name("Account Plans").to_python()
    )
    assert [r[1] for r in shown[1:]] == HOSTILE
    objectives = (
        CalamineWorkbook.from_path(str(tmp_path / "p.xlsx")).get_sheet_by_name("Objectives").to_python()
    )
    assert objectives[1][14] == "=cmd|' /C calc'!A0"
    with zipfile.ZipFile(tmp_path / "p.xlsx") as zf:
        assert not any("externalLink" in n for n in zf.namelist())


def test_control_characters_unicode_and_long_texts(tmp_path: Path) -> None:
    names = [
        "bell\x07 and null\x00",
        "vt\x0b ff\x0c esc\x1b",
        "emoji 😀👩‍👩‍👧",
        "עברית وعربي",
        "lone \ud800 surrogate",
    ]
    plan = hostile_plan(names)
    ids = plan.objectives["objective_id"].tolist()
    plan.apply(set_objective(ids[0], "notes", "é" * 10_000))
    plan.apply(set_objective(ids[1], "notes", "😀" * 20_000))  # 40,000 UTF-16 units
    state = state_of(plan)
    notes = write_plan(state, tmp_path / "p.xlsx")
    assert any("6 control character(s) in 3 text(s)" in n for n in notes), notes
    assert any("1 text(s) longer than Excel's 32,767" in n for n in notes), notes
    book = CalamineWorkbook.from_path(str(tmp_path / "p.xlsx"))
    shown = [r[1] for r in book.get_sheet_by_name("Account Plans").to_python()[1:]]
    assert shown == [
        "bell\ufffd and null\ufffd",
        "vt\ufffd ff\ufffd esc\ufffd",
        names[2],
        names[3],
        "lone \ufffd surrogate",
    ]
    notes_column = {r[0]: r[14] for r in book.get_sheet_by_name("Objectives").to_python()[1:]}
    assert notes_column[ids[0]] == "é" * 10_000
    cut = notes_column[ids[1]]
    assert cut.endswith(CUT_MARK) and len(cut.encode("utf-16-le")) // 2 <= 32_767
    back = read_plan(tmp_path / "p.xlsx")[0]
    assert state.differences(back) == []  # the plan keeps every original character
    assert visible_text("x" * 40_000).endswith(CUT_MARK)


def test_more_rows_than_a_sheet_holds_are_split_across_sheets(tmp_path: Path) -> None:
    plan = new_plan(sample_accounts().head(20), default_playbook(), as_of=AS_OF)
    state = state_of(plan)
    write_plan(state, tmp_path / "p.xlsx", rows_per_sheet=7)
    book = openpyxl.load_workbook(tmp_path / "p.xlsx")
    parts = [n for n in book.sheetnames if n.startswith("Account Plans")]
    assert parts == ["Account Plans", "Account Plans (2)", "Account Plans (3)"]
    assert [book[p].max_row - 1 for p in parts] == [7, 7, 6]
    assert [c.value for c in book["Account Plans (3)"]["A"]][1:] == list(state.accounts["account_id"][14:])
    objective_parts = [n for n in book.sheetnames if n.startswith("Objectives")]
    assert len(objective_parts) == -(-len(state.objectives) // 7)
    assert sum(book[p].max_row - 1 for p in objective_parts) == len(state.objectives)
    assert {t for p in parts for t in book[p].tables} == {"AccountPlans", "AccountPlans2", "AccountPlans3"}
    back, problems, edits = read_plan(tmp_path / "p.xlsx")
    assert state.differences(back) == [] and problems == [] and edits == []


# ---------------------------------------------------------------- names


def test_sheet_names() -> None:
    taken: set[str] = set()
    assert sheet_name("Priya Raman", taken) == "Priya Raman"
    assert sheet_name("priya raman", taken) == "priya raman (2)"  # unique ignoring case
    assert sheet_name("a/b\\c?d*e:f[g]h", taken) == "a_b_c_d_e_f_g_h"
    long = sheet_name("A very long owner name that does not fit", taken)
    assert long == "A very long owner name that doe" and len(long) == 31
    again = sheet_name("A very long owner name that does not fit either", taken)
    assert len(again) <= 31 and again.endswith("(2)")
    assert sheet_name("'quoted'", taken) == "quoted"
    assert sheet_name("", taken) == "Sheet" and sheet_name("History", taken) == "History_"


def test_file_stems() -> None:
    taken: set[str] = set()
    assert file_stem("Plans - Priya Raman", taken) == "Plans - Priya Raman"
    assert file_stem("plans - priya raman", taken) == "plans - priya raman (2)"
    assert file_stem('a<b>c:d"e/f\\g|h?i*j', taken) == "a_b_c_d_e_f_g_h_i_j"
    assert file_stem("CON", taken) == "_CON" and file_stem("nul.txt", taken) == "_nul.txt"
    assert file_stem("trailing dots...", taken) == "trailing dots"
    one, two = file_stem("x" * 300 + "1", taken), file_stem("x" * 300 + "2", taken)
    assert one != two and len(one.encode()) <= 120 and len(two.encode()) <= 120
    assert len(file_stem("😀" * 100, taken).encode()) <= 120


# ---------------------------------------------------------------- one workbook per seller


def test_one_workbook_per_owner(tmp_path: Path) -> None:
    a = sample_accounts().head(120).copy()
    owners = a["owner"].cat.add_categories(["Ann/Lee: West?", "ann/lee: west?", "CON"])
    owners[:3] = ["Ann/Lee: West?", "ann/lee: west?", "CON"]
    owners[3] = None
    a["owner"] = owners
    plan = new_plan(a, default_playbook(), as_of=AS_OF)
    plan.apply(PinAccounts((5,), "tier", "Strategic", "logo"))
    state = state_of(plan)
    files, notes = export_plans(state, tmp_path / "out", "owner", prefix="FY26")
    assert notes == []
    names = sorted(p.name for p in files)
    assert "FY26 - Ann_Lee_ West_.xlsx" in names and "FY26 - ann_lee_ west_ (2).xlsx" in names
    assert "FY26 - (no owner).xlsx" in names and "FY26 - CON.xlsx" in names
    total = 0
    full = plan.classification
    for path in files:
        back, problems, edits = read_plan(path)
        assert problems == [] and edits == []
        rows = np.flatnonzero(state.accounts["account_id"].isin(back.accounts["account_id"]).to_numpy())
        total += len(back.accounts)
        owners_here = set(back.accounts["owner"].astype("string").fillna("(none)"))
        assert len(owners_here) == 1
        mine = back.to_plan().classification
        assert np.array_equal(mine.tier, full.tier[rows]) and np.array_equal(mine.persona, full.persona[rows])
        assert np.array_equal(mine.category, full.category[rows])
        assert set(back.objectives["account_id"]) <= set(back.accounts["account_id"])
        assert set(back.overrides["account_id"]) <= set(back.accounts["account_id"])
    assert total == len(state.accounts)
    by_territory, _ = export_plans(state, tmp_path / "territories", "territory")
    assert len(by_territory) == state.accounts["territory"].nunique()


# ---------------------------------------------------------------- LibreOffice, where installed


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_sample_plan(sample_book: tuple[Path, PlanSnapshot], tmp_path: Path) -> None:
    path, _ = sample_book
    done = subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "plan.pdf").stat().st_size > 0


def test_tier_fields_of_the_playbook_become_unique_columns(tmp_path: Path) -> None:
    from tierdesk.domain.playbook_edits import with_value

    pb = with_value(default_playbook(), "tiers[0].extra", {"revenue": "yes", "Line\nbreak": 3, "Owner": True})
    state = state_of(new_plan(sample_accounts().head(30), pb, as_of=AS_OF))
    write_plan(state, tmp_path / "p.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "p.xlsx")["Account Plans"]
    headers = [c.value for c in ws[1]]
    assert headers[13:16] == ["revenue (2)", "Line break", "Owner (2)"]
    assert len({h.casefold() for h in headers}) == len(headers)
    strategic = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[4] == "Strategic")
    assert strategic[13:16] == ("yes", 3, "True")
    assert state.differences(read_plan(tmp_path / "p.xlsx")[0]) == []
