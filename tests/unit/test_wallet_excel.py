"""Wallets in the plans workbook: the Account Plans sheet shows each wallet with its source and note, and a
wallet typed there comes back as the planner's own figure (one undoable edit per account)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

from tests.unit.test_excel_edits import columns, edit, sample_accounts, where
from tierdesk.domain.plan import SetWallet
from tierdesk.domain.plan_objectives import new_plan
from tierdesk.domain.playbook import default_playbook
from tierdesk.io.plan_file import read_plan, write_plan
from tierdesk.io.snapshot import PlanSnapshot

AS_OF = "2025-07-01"


def _saved(tmp_path: Path) -> tuple[Path, PlanSnapshot]:
    accounts = sample_accounts().head(40).drop(columns=["wallet", "potential"])
    accounts.loc[accounts.index[:2], "wallet"] = [5e6, 7e6]  # a partly filled column: the rest estimated
    plan = new_plan(accounts, default_playbook(), as_of=AS_OF)
    plan.apply(SetWallet((5,), 2_500_000, "CFO's own number"))
    state = PlanSnapshot.from_plan(plan, source_file="territory.xlsx")
    write_plan(state, tmp_path / "plan.xlsx")
    return tmp_path / "plan.xlsx", state


def test_account_plans_sheet_shows_wallet_source_and_note(tmp_path: Path) -> None:
    path, state = _saved(tmp_path)
    sheet = pd.read_excel(path, sheet_name="Account Plans", engine="calamine")
    assert sheet["Wallet"].iloc[0] == 5e6 and sheet["Wallet Source"].iloc[0] == "file"
    assert sheet["Wallet Source"].iloc[5] == "planner" and sheet["Wallet"].iloc[5] == 2_500_000
    assert sheet["Wallet Note"].iloc[5] == "Wallet $2.5M: the planner's own figure (CFO's own number)"
    assert set(sheet["Wallet Source"].iloc[2:5]) == {"peers"}
    assert (
        sheet["Wallet Note"].iloc[2].startswith("Wallet $")
        and "percentile of revenue" in sheet["Wallet Note"].iloc[2]
    )
    assert "Wallet → $2.5M" in sheet["Override"].iloc[5]
    back, problems, edits = read_plan(path)
    assert state.differences(back) == [] and not problems and not edits
    assert back.to_plan().classification.wallet_source[5] == "planner"  # saved with the plan


def test_wallet_typed_in_excel_comes_back(tmp_path: Path) -> None:
    path, _ = _saved(tmp_path)

    def change(book: openpyxl.Workbook) -> None:
        ws = book["Account Plans"]
        c = columns(ws)
        ws[f"{c['Wallet']}4"] = 9_000_000  # account row 2: a new figure
        ws[f"{c['Override Reason']}4"] = "Their IT budget doubled"
        ws[f"{c['Wallet']}5"] = "lots"  # not a number
        ws[f"{c['Wallet']}6"] = -3  # not above 0
        ws[f"{c['Wallet']}7"] = None  # row 5: the planner's figure cleared
        ws[f"{c['Wallet']}8"] = ws[f"{c['Wallet']}8"].value  # the same value: no edit
        ws[f"{c['Wallet']}9"] = None  # an estimate cleared: it stays

    back, problems, edits = read_plan(edit(path, change))
    assert edits == [
        SetWallet((2,), 9_000_000, "Their IT budget doubled"),
        SetWallet((5,), None, "Edited in Excel"),
    ]
    assert where(problems) == [
        ("Account Plans", 5, "Wallet"),
        ("Account Plans", 6, "Wallet"),
        ("Account Plans", 9, "Wallet"),
    ]
    plan = back.to_plan()
    for e in edits:
        plan.apply(e, note="Edited in Excel")
    cls = plan.classification
    assert cls.wallet[2] == 9_000_000 and cls.wallet_source[2] == "planner"
    assert cls.wallet_source[5] == "peers"
