"""Edits made in Excel come back: valid ones as domain edits (one undo step), every other one listed with its
sheet and row (BAD_INPUTS row 26)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tierdesk import paths
from tierdesk.domain.objectives import Objective
from tierdesk.domain.plan import AddObjectives, PinAccounts, SetObjectiveValues
from tierdesk.domain.plan_objectives import new_plan
from tierdesk.domain.playbook import default_playbook
from tierdesk.io.plan_file import read_plan, write_plan
from tierdesk.io.report import Issue
from tierdesk.io.snapshot import PlanSnapshot

AS_OF = "2025-07-01"


@cache
def sample_accounts() -> pd.DataFrame:
    from tierdesk.io.load import open_territory

    return open_territory(paths.sample_territory()).accounts


@pytest.fixture
def saved(tmp_path: Path) -> tuple[Path, PlanSnapshot]:
    plan = new_plan(sample_accounts().head(30), default_playbook(), as_of=AS_OF)
    plan.apply(PinAccounts((7,), "tier", "Named", "big logo", dt.datetime(2025, 5, 1)))
    state = PlanSnapshot.from_plan(plan, source_file="territory.xlsx")
    write_plan(state, tmp_path / "plan.xlsx")
    return tmp_path / "plan.xlsx", state


def edit(path: Path, change: Callable[[openpyxl.Workbook], None]) -> Path:
    """The workbook as a planner leaves it after editing in Excel (openpyxl stands in for Excel)."""
    book = openpyxl.load_workbook(path)
    change(book)
    out = path.with_name("edited.xlsx")
    book.save(out)
    return out


def columns(ws: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, str]:
    return {c.value: c.column_letter for c in ws[1]}


def where(problems: list[Issue]) -> list[tuple[str | None, int | None, str | None]]:
    return [(p.sheet, p.row, p.column) for p in problems]


# ---------------------------------------------------------------- Account Plans


def test_tiers_personas_and_categories_picked_in_excel(saved: tuple[Path, PlanSnapshot]) -> None:
    path, state = saved

    def change(book: openpyxl.Workbook) -> None:
        ws = book["Account Plans"]
        c = columns(ws)
        ws[f"{c['Tier']}2"] = "Strategic"  # picked from the dropdown
        ws[f"{c['Tier']}3"] = "Nmaed"  # typed by hand, with a typo
        ws[f"{c['Persona']}4"] = "land & expand"  # any case
        ws[f"{c['Category']}5"] = "Core"
        ws[f"{c['Override Reason']}5"] = "Merged with the parent company"
        ws[f"{c['Tier']}6"] = None  # cleared
        ws[f"{c['Category']}7"] = "Unclassified"
        ws[f"{c['Override Reason']}9"] = "Now a reference logo"  # row 9 holds the pinned account (row 7)
        ws[f"{c['Tier']}10"] = ws[f"{c['Tier']}10"].value  # the same value again: no edit

    back, problems, edits = read_plan(edit(path, change))
    assert state.differences(back) == []
    assert edits == [
        PinAccounts((0,), "tier", "Strategic", "Edited in Excel"),
        PinAccounts((2,), "persona", "Land & Expand", "Edited in Excel"),
        PinAccounts((3,), "category", "Core", "Merged with the parent company"),
        PinAccounts((7,), "tier", "Named", "Now a reference logo"),
    ]
    assert where(problems) == [
        ("Account Plans", 3, "Tier"),
        ("Account Plans", 6, "Tier"),
        ("Account Plans", 7, "Category"),
    ]
    assert (
        "'Nmaed' is not a tier of this plan (use one of Strategic, Named, Field, Inside); not taken"
        in problems[0].message
    )
    assert problems[0].message.startswith("edited.xlsx, sheet 'Account Plans', row 3, column 'Tier': ")
    plan = back.to_plan()
    inverses = [plan.apply(e).inverse for e in edits]  # the GUI applies them as one undo step
    assert plan.override(str(back.accounts["account_id"][0]), "tier").reason == "Edited in Excel"
    assert plan.classification.tier[0] == 0 and plan.classification.pinned_tier[0]
    for inverse in reversed(inverses):
        plan.apply(inverse)
    pd.testing.assert_frame_equal(plan.overrides, back.overrides, check_exact=True)


def test_rows_deleted_added_or_repeated_are_listed(saved: tuple[Path, PlanSnapshot]) -> None:
    path, state = saved

    def change(book: openpyxl.Workbook) -> None:
        ws = book["Account Plans"]
        repeated = [c.value for c in ws[4]]
        ws.delete_rows(12)  # account row 10 deleted
        ws.append(["NEW-001", "A brand new account", None, None, "Named"])  # added
        ws.append(repeated)  # an account copied a second time
        ws.append([None, "No id at all"])

    back, problems, edits = read_plan(edit(path, change))
    assert edits == []
    gone = state.accounts["account_id"][10]
    assert where(problems) == [
        ("Account Plans", 31, "Account ID"),
        ("Account Plans", 32, "Account ID"),
        ("Account Plans", 33, "Account ID"),
        ("Account Plans", 12, None),
    ]
    assert "'NEW-001' is not in this plan; rows added in Excel are not taken" in problems[0].message
    assert "appears again" in problems[1].message and "no Account ID" in problems[2].message
    assert (
        f"account '{gone}' ({state.accounts['account_name'][10]}) is missing from the sheet"
        in problems[3].message
    )
    assert state.differences(back) == []  # nothing lost


def test_sorting_in_excel_is_not_an_edit(saved: tuple[Path, PlanSnapshot]) -> None:
    path, _ = saved

    def reverse(book: openpyxl.Workbook) -> None:
        ws = book["Account Plans"]
        rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
        for r, values in enumerate(reversed(rows), start=2):
            for c, value in enumerate(values, start=1):
                ws.cell(row=r, column=c, value=value)

    _, problems, edits = read_plan(edit(path, reverse))
    assert problems == [] and edits == []


def test_a_missing_sheet_or_column_is_named(saved: tuple[Path, PlanSnapshot]) -> None:
    path, state = saved

    def change(book: openpyxl.Workbook) -> None:
        del book["Objectives"]
        ws = book["Account Plans"]
        ws[f"{columns(ws)['Tier']}1"] = "Tier (edited)"

    back, problems, edits = read_plan(edit(path, change))
    assert state.differences(back) == [] and edits == []
    messages = [p.message for p in problems]
    assert len(messages) == 2  # unread sheets are not taken for deleted rows
    assert "sheet 'Account Plans', row 1: no 'Tier' column; its edits are not read" in messages[0]
    assert "sheet 'Objectives': the sheet is missing" in messages[1]


# ---------------------------------------------------------------- Objectives


def test_objective_edits_come_back(saved: tuple[Path, PlanSnapshot]) -> None:
    path, state = saved
    o = state.objectives
    ids = o["objective_id"].tolist()

    def change(book: openpyxl.Workbook) -> None:
        ws = book["Objectives"]
        ws["N2"] = "Met"  # status from the dropdown
        ws["N3"] = "Done"  # not a status
        ws["K4"] = 250_000  # target
        ws["K5"] = "1,500"  # a number typed as text
        ws["K6"] = "lots"
        ws["M7"] = dt.datetime(2027, 3, 31)  # due
        ws["M8"] = "next year"  # a date that isn't a date
        ws["M15"] = dt.datetime(2999, 1, 1)  # a date no plan reaches
        ws["M9"] = "2027-01-31"  # an ISO date typed as text
        ws["O10"] = "Called the CFO; follow up in May"
        ws["I11"] = "Win the first order"
        ws["H12"] = "Agreement"  # kind by its label
        ws["H13"] = None  # kind cleared
        ws["A14"] = 999_999  # an id typed over
        ws.delete_rows(20)
        ws.append(
            [
                None,
                state.accounts["account_id"][0],
                None,
                None,
                None,
                None,
                None,
                "Relationship",
                "Meet the new CIO",
                None,
                1,
                None,
                dt.datetime(2026, 3, 1),
                None,
                "from Excel",
            ]
        )
        ws.append([None, "NOPE", None, None, None, None, None, None, "Meet someone"])
        ws.append([None, state.accounts["account_id"][1], None, None, None, None, None, None, None, None, 5])

    back, problems, edits = read_plan(edit(path, change))
    assert state.differences(back) == []
    assert edits == [
        SetObjectiveValues(
            (
                (ids[0], "status", "Met"),
                (ids[2], "target", 250_000.0),
                (ids[3], "target", 1500.0),
                (ids[5], "due", dt.date(2027, 3, 31)),
                (ids[7], "due", dt.date(2027, 1, 31)),
                (ids[8], "notes", "Called the CFO; follow up in May"),
                (ids[9], "description", "Win the first order"),
                (ids[10], "kind", "agreement"),
            ),
            "Objectives edited in Excel (8)",
        ),
        AddObjectives(
            (
                Objective(
                    state.next_objective_id,
                    str(state.accounts["account_id"][0]),
                    "relationship",
                    "Meet the new CIO",
                    1.0,
                    "",
                    dt.date(2026, 3, 1),
                    "Not started",
                    "from Excel",
                ),
            ),
            "Objectives added in Excel (1)",
        ),
    ]
    n = len(o)
    assert where(problems) == [
        ("Objectives", 3, "Status"),
        ("Objectives", 6, "Target"),
        ("Objectives", 8, "Due"),
        ("Objectives", 13, "Kind"),
        ("Objectives", 14, "Objective ID"),
        ("Objectives", 15, "Due"),
        ("Objectives", n + 2, "Account ID"),
        ("Objectives", n + 3, "Description"),
        ("Objectives", 14, None),
        ("Objectives", 20, None),
    ]
    messages = [p.message for p in problems]
    assert "'Done' is not a status" in messages[0] and "'lots' is not a number" in messages[1]
    assert "'next year' is not a date" in messages[2] and "the kind was cleared" in messages[3]
    assert f"objective {ids[18]} (" in messages[9] and "missing from the sheet" in messages[9]
    assert "'2999-01-01" in messages[5] and "is not a date between 1900 and 2200" in messages[5]
    plan = back.to_plan()
    steps = [plan.apply(e) for e in edits]
    changed = plan.objectives.set_index("objective_id")
    assert changed.loc[ids[0], "status"] == "Met" and changed.loc[ids[3], "target"] == 1500.0
    assert changed.loc[state.next_objective_id, "description"] == "Meet the new CIO"
    for step in reversed(steps):
        plan.apply(step.inverse)
    pd.testing.assert_frame_equal(plan.objectives, back.objectives, check_exact=True)


def test_edits_on_a_later_part_of_a_split_sheet(tmp_path: Path) -> None:
    state = PlanSnapshot.from_plan(new_plan(sample_accounts().head(20), default_playbook(), as_of=AS_OF))
    write_plan(state, tmp_path / "plan.xlsx", rows_per_sheet=7)

    def change(book: openpyxl.Workbook) -> None:
        ws = book["Account Plans (3)"]
        ws[f"{columns(ws)['Tier']}3"] = "Strategic"  # account row 15
        ws[f"{columns(ws)['Tier']}4"] = "Gold"
        book["Account Plans (2)"].delete_rows(2)  # account row 7

    _, problems, edits = read_plan(edit(tmp_path / "plan.xlsx", change))
    assert edits == [PinAccounts((15,), "tier", "Strategic", "Edited in Excel")]
    assert where(problems) == [("Account Plans (3)", 4, "Tier"), ("Account Plans (2)", 2, None)]


def test_a_visible_sheet_far_larger_than_the_plan_is_not_read(saved: tuple[Path, PlanSnapshot]) -> None:
    from python_calamine import CalamineWorkbook

    from tierdesk.io.errors import Steps
    from tierdesk.io.excel_edits import read_edits
    from tierdesk.io.plan_codec import collect, read_frame
    from tierdesk.io.plan_format import DATA_SHEETS

    path, state = saved
    book = CalamineWorkbook.from_path(str(path))
    shown = read_frame(collect(book.get_sheet_by_name(DATA_SHEETS["shown"]).to_python())["shown"])
    meta = {"rows_per_sheet": 1_048_575, "sheets": {"plans": ["Account Plans"], "objectives": ["Objectives"]}}
    problems, edits = read_edits(book, state, meta, shown, path, Steps(), {"Objectives": 10**10})
    assert edits == [] and [(p.sheet, p.row) for p in problems] == [("Objectives", None)]
    assert "far larger than this plan could fill" in problems[0].message


def test_plan_command_carries_the_edits_made_in_excel(
    saved: tuple[Path, PlanSnapshot], capsys: pytest.CaptureFixture[str]
) -> None:
    """`tierdesk plan EDITED.xlsx -o NEW.xlsx`: the tier picked in Excel is in the new workbook, pinned."""
    from tierdesk.cli import main

    path, _state = saved

    def change(book: openpyxl.Workbook) -> None:
        ws = book["Account Plans"]
        ws[f"{columns(ws)['Tier']}2"] = "Strategic"

    edited = edit(path, change)
    out = path.with_name("rewritten.xlsx")
    assert main(["plan", str(edited), "-o", str(out)]) == 0
    assert "took 1 edit made in Excel" in capsys.readouterr().out
    again, problems, edits = read_plan(out)
    assert problems == [] and edits == []  # taken in: nothing left to take
    plan = again.to_plan()
    assert plan.classification.tier[0] == 0 and plan.classification.pinned_tier[0]
    assert (again.history["reason"] == "Edited in Excel").any()
