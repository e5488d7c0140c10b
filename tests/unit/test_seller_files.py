"""Sellers in files: the sellers table and owner changes saved with the plan and read back exactly, the
visible Sellers sheet and its edits made in Excel, the Summary's load per seller, per-owner workbooks that
follow the new owners, and team tables read from a CSV or a sheet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tierdesk import paths
from tierdesk.domain.balance import balance
from tierdesk.domain.owners import LockOwner
from tierdesk.domain.plan import Plan
from tierdesk.domain.plan_objectives import new_plan
from tierdesk.domain.playbook import default_playbook
from tierdesk.domain.seller_edits import AddSeller, SetSellers
from tierdesk.domain.sellers import Seller, sellers_from_team
from tierdesk.io.errors import ReadError
from tierdesk.io.plan_file import read_plan, write_plan
from tierdesk.io.snapshot import PlanSnapshot
from tierdesk.io.split_export import export_plans
from tierdesk.io.team import read_team

AS_OF = "2025-07-01"
WHEN = dt.datetime(2025, 5, 1, 10, 0)


@cache
def sample_accounts() -> pd.DataFrame:
    from tierdesk.io.load import open_territory

    return open_territory(paths.sample_territory()).accounts


def balanced_plan() -> Plan:
    plan = new_plan(sample_accounts().head(120), default_playbook(), as_of=AS_OF)
    plan.apply(
        AddSeller(Seller("Nadia Kern", "Account manager", capacity=1400, region="EMEA", max_accounts=40))
    )
    plan.apply(LockOwner((3,), True, "the CFO knows her", WHEN))
    plan.apply(balance(plan).edit(reason="Q3 balance"))
    return plan


@pytest.fixture
def saved(tmp_path: Path) -> tuple[Path, PlanSnapshot, Plan]:
    plan = balanced_plan()
    state = PlanSnapshot.from_plan(plan, source_file="territory.xlsx")
    write_plan(state, tmp_path / "plan.xlsx")
    return tmp_path / "plan.xlsx", state, plan


def edit(path: Path, change: Callable[[openpyxl.Workbook], None]) -> Path:
    book = openpyxl.load_workbook(path)
    change(book)
    out = path.with_name("edited.xlsx")
    book.save(out)
    return out


def test_sellers_and_owner_changes_come_back_exactly(saved: tuple[Path, PlanSnapshot, Plan]) -> None:
    path, state, plan = saved
    back, problems, edits = read_plan(path)
    assert problems == [] and edits == []
    assert back.differences(state) == []
    assert back.sellers == plan.sellers
    reopened = back.to_plan()
    assert reopened.sellers == plan.sellers
    assert (
        reopened.accounts["owner"].astype("string").tolist()
        == plan.accounts["owner"].astype("string").tolist()
    )
    assert (reopened.owner_locks() == plan.owner_locks()).all() and reopened.owner_locks()[3]
    assert (reopened.reassigned() == plan.reassigned()).all() and reopened.reassigned().any()
    assert set(back.history["kind"]) >= {"reassigned", "sellers", "override"}


def test_the_sellers_sheet_shows_each_book(saved: tuple[Path, PlanSnapshot, Plan]) -> None:
    path, _state, plan = saved
    ws = openpyxl.load_workbook(path, read_only=True)["Sellers"]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    assert header[:4] == ("Seller", "Role", "Role Guessed", "In Team")
    assert {"Accounts", "Workload", "Capacity", "Load", "Revenue", "Growth Potential"} <= set(header)
    by_name = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert set(by_name) == {s.name for s in plan.sellers}
    nadia = by_name["Nadia Kern"]
    assert (nadia["Role"], nadia["Capacity"], nadia["Region"], nadia["Max Accounts"]) == (
        "Account manager",
        1400,
        "EMEA",
        40,
    )
    counts = plan.accounts["owner"].astype("string").value_counts()
    for name, row in by_name.items():
        assert row["Accounts"] == counts.get(name, 0)
    table = plan.coverage().by_owner
    assert sum(r["Revenue"] for r in by_name.values()) == pytest.approx(table["revenue"].sum())


def test_the_summary_charts_the_load_per_seller(saved: tuple[Path, PlanSnapshot, Plan]) -> None:
    path, _state, plan = saved
    book = openpyxl.load_workbook(path)
    ws = book["Summary"]
    titles = [r[0] for r in ws.iter_rows(values_only=True) if r and isinstance(r[0], str)]
    assert any(t.startswith("Sellers' books: load = workload / capacity") for t in titles)
    assert {s.name for s in plan.sellers} <= set(titles)
    assert len(ws._charts) == 5  # the four charts of before, and the load per seller


def test_seller_edits_made_in_excel_come_back(saved: tuple[Path, PlanSnapshot, Plan]) -> None:
    path, state, _plan = saved

    def change(book: openpyxl.Workbook) -> None:
        ws = book["Sellers"]
        c = {cell.value: cell.column_letter for cell in ws[1]}
        names = [ws[f"A{r}"].value for r in range(1, ws.max_row + 1)]
        at = names.index("Nadia Kern") + 1
        ws[f"{c['Capacity']}{at}"] = 1500
        ws[f"{c['Takes New Accounts']}{at}"] = "No"
        ws[f"{c['Region']}{at}"] = None
        other = next(r for r in range(2, ws.max_row + 1) if ws[f"A{r}"].value not in ("Nadia Kern", None))
        ws[f"{c['Role']}{other}"] = "Wizard"  # not a role: reported, the rest taken
        new = ws.max_row + 1
        ws[f"A{new}"] = "Omar Said"
        ws[f"{c['Role']}{new}"] = "inside seller"
        ws[f"{c['Max Accounts']}{new}"] = 300

    back, problems, edits = read_plan(edit(path, change))
    assert back.differences(state) == []
    assert [p.column for p in problems] == ["Role"]
    assert "'Wizard' is not a role of the playbook" in problems[0].message
    assert len(edits) == 1 and isinstance(edits[0], SetSellers)
    plan = back.to_plan()
    applied = plan.apply(edits[0], note="Edited in Excel")
    assert applied.description == "Sellers edited in Excel (2)"
    nadia = next(s for s in plan.sellers if s.name == "Nadia Kern")
    assert (nadia.capacity, nadia.takes_new, nadia.region, nadia.max_accounts) == (1500.0, False, None, 40)
    omar = plan.sellers[-1]
    assert (omar.name, omar.role, omar.max_accounts, omar.role_guessed) == (
        "Omar Said",
        "Inside seller",
        300,
        False,
    )
    assert set(plan.history["what"].iloc[-2:]) == {"seller Nadia Kern", "seller Omar Said"}


def test_a_workbook_per_owner_follows_the_new_owners(
    saved: tuple[Path, PlanSnapshot, Plan], tmp_path: Path
) -> None:
    _path, state, plan = saved
    files, _notes = export_plans(state, tmp_path / "owners")
    counts = plan.accounts["owner"].astype("string").value_counts()
    by_file = {}
    for f in files:
        sub, _, _ = read_plan(f)
        owners = set(sub.accounts["owner"].astype("string"))
        assert len(owners) == 1
        owner = owners.pop()
        by_file[owner] = len(sub.accounts)
        assert [s.name for s in sub.sellers] == [owner]
    assert by_file == {k: int(v) for k, v in counts.items()}


# ---------------------------------------------------------------- team tables


def test_a_team_csv_like_a_crm_export(tmp_path: Path) -> None:
    team = tmp_path / "sales_teams.csv"
    team.write_text(
        "sales_agent,manager,regional_office\n"
        "Anna Snell,Dana Brink,Central\n"
        "Cecil Lamp,Dana Brink,Central\n"
        "Vera Hill,Cara Losh,East\n"
        "Anna Snell,Cara Losh,East\n",
        encoding="utf-8",
    )
    frame, notes = read_team(team)
    assert frame.columns.tolist()[:3] == ["name", "manager", "region"]
    assert frame["name"].tolist() == ["Anna Snell", "Cecil Lamp", "Vera Hill", "Anna Snell"]
    assert notes == []
    plan = new_plan(sample_accounts().head(60), default_playbook(), as_of=AS_OF)
    sellers, why = sellers_from_team(frame, plan.accounts, plan.classification)
    assert [(s.name, s.region, s.manager, s.role_guessed) for s in sellers] == [
        ("Anna Snell", "Central", "Dana Brink", True),
        ("Cecil Lamp", "Central", "Dana Brink", True),
        ("Vera Hill", "East", "Cara Losh", True),
    ]
    assert why == ["Anna Snell is named twice in the team; the first row is kept"]
    # nobody holds accounts yet: each guess fills the role the team is most short of
    assert len({s.role for s in sellers}) == 3


def test_a_team_sheet_with_roles_and_capacities(tmp_path: Path) -> None:
    path = tmp_path / "team.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Team"
    ws.append(["Team list Q3"])
    ws.append([])
    ws.append(["Seller Name", "Job Title", "Capacity", "Sales Region", "Max Accounts", "Takes New"])
    ws.append(["Priya Raman", "Senior Account Manager", 1200, "EMEA", 45, "yes"])
    ws.append(["Markus Brenner", "Business developer", "lots", None, None, "no"])
    ws.append(["Daniel Okafor", "CEO", None, "AMER", None, None])
    book.save(path)
    frame, notes = read_team(path)
    assert notes == [] and frame.columns.tolist() == [
        "name",
        "role",
        "capacity",
        "region",
        "max_accounts",
        "takes_new",
    ]
    plan = new_plan(sample_accounts(), default_playbook(), as_of=AS_OF)
    sellers, why = sellers_from_team(frame, plan.accounts, plan.classification)
    priya, markus, daniel = sellers
    assert (priya.role, priya.capacity, priya.region, priya.max_accounts, priya.takes_new) == (
        "Account manager",
        1200.0,
        "EMEA",
        45,
        True,
    )
    assert (markus.role, markus.capacity, markus.takes_new, markus.role_guessed) == (
        "Business developer",
        None,
        False,
        False,
    )
    assert daniel.role_guessed and daniel.region == "AMER"
    assert "Markus Brenner: capacity 'lots' is not usable; left out" in why
    assert "Daniel Okafor: role 'CEO' is not a role of the playbook; guessed from the accounts" in why


def test_a_team_without_a_name_column_is_refused(tmp_path: Path) -> None:
    team = tmp_path / "team.csv"
    team.write_text("region,quota\nEast,100\n", encoding="utf-8")
    with pytest.raises(ReadError, match="no column naming the sellers"):
        read_team(team)
