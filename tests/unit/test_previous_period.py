"""The previous period: taken from a plan, checked for turnover, kept in the plan workbook, shown by
`classify --previous`, written by `plan --previous` into the Summary sheet, and reopened exactly.

Known answer: under a playbook whose Strategic tier is the top 4 by rank, the previous plan has 4 Strategic
accounts; the current plan moves 2 of them down and 1 other account up, so Strategic turnover is
(2 + 1) / 4 = 75%, above the default playbook's 25% per quarter."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from tierdesk import paths
from tierdesk.app.opening import load_previous_period
from tierdesk.domain.governance import (
    PreviousPeriod,
    check_governance,
    governance_violations,
    previous_period,
    tier_turnover,
)
from tierdesk.domain.plan import PinAccounts, Plan
from tierdesk.domain.playbook import Playbook, default_playbook, dump_playbook
from tierdesk.domain.playbook_edits import with_values
from tierdesk.domain.summary import format_summary, plan_summary
from tierdesk.io import plan_format
from tierdesk.io.plan_file import read_plan, write_plan
from tierdesk.io.snapshot import PlanSnapshot

REPO = Path(__file__).resolve().parents[2]
BROKEN = (
    "Strategic turnover is 75% since the previous quarter (2 of 4 accounts left, 1 joined): "
    "the playbook allows at most 25% per quarter"
)


@cache
def accounts() -> pd.DataFrame:
    from tierdesk.io.load import open_territory

    return open_territory(paths.sample_territory()).accounts


@cache
def top4() -> Playbook:
    """The default playbook (its turnover rule: Strategic, at most 25% per quarter) with 4 Strategic."""
    changes = {"tiering.cutoffs": "rank", "tiers[0].cutoff": 4, "tiers[1].cutoff": 60, "tiers[2].cutoff": 250}
    return with_values(default_playbook(), changes)


def old_plan() -> Plan:
    return Plan(accounts(), top4(), as_of="2025-03-31")


def current_plan(joined: int = 1) -> Plan:
    """2 of the 4 Strategic accounts moved to Named, `joined` Named accounts moved up."""
    plan = Plan(accounts(), top4(), as_of="2025-06-30")
    strategic = np.flatnonzero(plan.classification.tier == 0)
    named = np.flatnonzero(plan.classification.tier == 1)
    plan.apply(PinAccounts(tuple(strategic[:2]), "tier", "Named", "less to win"))
    if joined:
        plan.apply(PinAccounts(tuple(named[:joined]), "tier", "Strategic", "new sponsor"))
    return plan


def within_plan() -> Plan:
    """1 of the 4 Strategic accounts moved down: 25%, within the rule."""
    plan = Plan(accounts(), top4(), as_of="2025-06-30")
    plan.apply(PinAccounts((int(np.flatnonzero(plan.classification.tier == 0)[0]),), "tier", "Named", "x"))
    return plan


# ---------------------------------------------------------------- the domain


def test_a_previous_period_taken_from_a_plan() -> None:
    old = old_plan()
    prev = previous_period(old, "q1.xlsx")
    ids = old.accounts["account_id"].to_numpy(object)[old.classification.tier == 0]
    assert len(prev) == 600 and prev.counts()["Strategic"] == 4
    assert {prev.tier_of(a) for a in ids} == {"Strategic"} and prev.tier_of("no such id") is None
    assert prev.as_of == dt.date(2025, 3, 31) and prev.label == "q1.xlsx"
    assert prev.title == "q1.xlsx (plan date 2025-03-31)"
    assert prev == PreviousPeriod.from_mapping(prev.to_dict(), "q1.xlsx", dt.date(2025, 3, 31))
    assert prev != PreviousPeriod.from_mapping(prev.to_dict(), "other.xlsx", dt.date(2025, 3, 31))
    assert PreviousPeriod.from_frame(prev.frame(), prev.label, prev.as_of) == prev
    mine = prev.restricted(ids[:3])
    assert len(mine) == 3 and mine.counts() == {"Strategic": 3}


def test_turnover_known_answer_breaks_the_rule() -> None:
    plan, prev = current_plan(), previous_period(old_plan(), "q1.xlsx")
    [v] = check_governance(plan, prev)
    assert (v.kind, v.tier, v.limit, v.actual, v.message) == ("turnover", "Strategic", 0.25, 0.75, BROKEN)
    assert check_governance(plan, old_plan()) == [v]  # a previous Plan still works
    assert governance_violations(plan.classification, plan.accounts, (old_plan().classification, accounts()))
    assert check_governance(plan) == []  # no previous period: caps only
    strategic = tier_turnover(plan.classification, plan.accounts, prev)[0]
    assert (strategic.before, strategic.now, strategic.left, strategic.joined) == (4, 3, 2, 1)
    assert strategic.share == 0.75 and strategic.limit == 0.25 and strategic.broken


def test_turnover_within_the_limit_reports_nothing() -> None:
    plan, prev = within_plan(), previous_period(old_plan())
    assert check_governance(plan, prev) == []
    strategic = tier_turnover(plan.classification, plan.accounts, prev)[0]
    assert (strategic.left, strategic.joined, strategic.share, strategic.broken) == (1, 0, 0.25, False)
    d = plan_summary(plan, prev)
    assert d["governance"] == [] and d["turnover"][0]["share"] == 0.25


def test_the_summary_reports_turnover() -> None:
    d = plan_summary(current_plan(), previous_period(old_plan(), "q1.xlsx"))
    assert d["governance"] == [BROKEN]
    assert d["previous_period"] == {
        "label": "q1.xlsx",
        "as_of": "2025-03-31",
        "title": "q1.xlsx (plan date 2025-03-31)",
        "accounts": 600,
    }
    assert d["turnover"][0] == {
        "tier": "Strategic",
        "before": 4,
        "now": 3,
        "left": 2,
        "joined": 1,
        "share": 0.75,
        "max_share": 0.25,
        "period": "quarter",
        "broken": True,
    }
    json.dumps(d)
    text = format_summary(d)
    assert f"Governance\n  ! {BROKEN}" in text
    assert "Turnover since the previous period: q1.xlsx (plan date 2025-03-31)" in text
    assert plan_summary(current_plan())["previous_period"] is None


# ---------------------------------------------------------------- the plan workbook


def summary_rows(path: Path) -> list[list[Any]]:
    rows: list[list[Any]] = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Summary").to_python()
    return rows


def governance_rows(path: Path) -> list[list[Any]]:
    rows = summary_rows(path)
    at = next(i for i, r in enumerate(rows) if r[0] == "Governance") + 1
    end = next(i for i in range(at, len(rows)) if not any(str(c) for c in rows[i]))
    return [r[:2] for r in rows[at:end]]


def test_a_plan_keeps_its_previous_period_exactly(tmp_path: Path) -> None:
    prev = previous_period(old_plan(), "q1.xlsx")
    state = PlanSnapshot.from_plan(current_plan(), previous=prev)
    write_plan(state, tmp_path / "q2.xlsx")
    back, problems, edits = read_plan(tmp_path / "q2.xlsx")
    assert problems == [] and edits == []
    assert back.previous == prev and state.differences(back) == []
    sheets = CalamineWorkbook.from_path(str(tmp_path / "q2.xlsx")).sheets_metadata
    states = {m.name: str(m.visible) for m in sheets}
    assert states["_tierdesk_previous"].endswith("VeryHidden")
    assert back.previous is not None
    pd.testing.assert_series_equal(back.previous.tiers, prev.tiers, check_exact=True)
    assert governance_rows(tmp_path / "q2.xlsx") == [
        ["Strategic: at most 25% of its accounts change per quarter", BROKEN],
        ["Turnover checked against", "q1.xlsx (plan date 2025-03-31)"],
    ]
    write_plan(back, tmp_path / "again.xlsx")  # saved again: still there
    assert read_plan(tmp_path / "again.xlsx")[0].previous == prev
    differences = state.differences(PlanSnapshot.from_plan(current_plan()))
    assert [d for d in differences if d.startswith("previous")] == [f"previous: {prev!r} != None"]


def test_within_the_limit_the_summary_says_so(tmp_path: Path) -> None:
    write_plan(
        PlanSnapshot.from_plan(within_plan(), previous=previous_period(old_plan())), tmp_path / "p.xlsx"
    )
    assert governance_rows(tmp_path / "p.xlsx") == [
        ["No governance rule broken", ""],
        ["Turnover checked against", "the plan of 2025-03-31"],
    ]


def test_plans_without_a_previous_period_open_as_before(tmp_path: Path) -> None:
    write_plan(PlanSnapshot.from_plan(current_plan()), tmp_path / "none.xlsx")
    back = read_plan(tmp_path / "none.xlsx")[0]
    assert back.previous is None
    assert "_tierdesk_previous" not in CalamineWorkbook.from_path(str(tmp_path / "none.xlsx")).sheet_names
    assert governance_rows(tmp_path / "none.xlsx") == [
        ["No governance rule broken", ""],
        ["Turnover not checked: this plan has no previous period to compare with", ""],
    ]
    saved = dict(plan_format.DATA_SHEETS)  # a plan saved before tierdesk kept previous periods
    plan_format.DATA_SHEETS.pop("previous")
    try:
        state = PlanSnapshot.from_plan(current_plan(), previous=previous_period(old_plan()))
        write_plan(state, tmp_path / "old.xlsx")
    finally:
        plan_format.DATA_SHEETS.clear()
        plan_format.DATA_SHEETS.update(saved)
    assert "_tierdesk_previous" not in CalamineWorkbook.from_path(str(tmp_path / "old.xlsx")).sheet_names
    assert read_plan(tmp_path / "old.xlsx")[0].previous is None


def test_a_changed_previous_period_is_refused(tmp_path: Path) -> None:
    import openpyxl

    from tierdesk.io.errors import ReadError

    path = tmp_path / "p.xlsx"
    write_plan(PlanSnapshot.from_plan(current_plan(), previous=previous_period(old_plan())), path)
    book = openpyxl.load_workbook(path)
    book["_tierdesk_previous"]["D3"] = "edited"
    book.save(path)
    with pytest.raises(ReadError, match="previous"):
        read_plan(path)


def test_seller_workbooks_keep_only_their_accounts(tmp_path: Path) -> None:
    from tierdesk.io.split_export import export_plans

    prev = previous_period(old_plan(), "q1.xlsx")
    files, _ = export_plans(PlanSnapshot.from_plan(current_plan(), previous=prev), tmp_path, "owner")
    periods = [read_plan(f)[0].previous for f in files]
    assert all(p is not None and p.label == "q1.xlsx" for p in periods)
    assert sum(len(p) for p in periods if p is not None) == len(prev)


def test_load_previous_period_from_a_plan_or_a_territory_file(tmp_path: Path) -> None:
    write_plan(PlanSnapshot.from_plan(old_plan()), tmp_path / "q1.xlsx")
    from_plan = load_previous_period(tmp_path / "q1.xlsx")
    assert from_plan == previous_period(old_plan(), "q1.xlsx")
    from_territory = load_previous_period(paths.sample_territory(), top4())
    assert from_territory.as_of is None and from_territory.label == paths.sample_territory().name
    assert from_territory.tiers.equals(from_plan.tiers)


# ---------------------------------------------------------------- the command line


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    command = [sys.executable, "-m", "tierdesk", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, cwd=REPO, env=env)


def test_classify_and_plan_with_previous(tmp_path: Path) -> None:
    write_plan(PlanSnapshot.from_plan(old_plan()), tmp_path / "q1.xlsx")
    write_plan(PlanSnapshot.from_plan(current_plan()), tmp_path / "q2.xlsx")
    result = run("classify", str(tmp_path / "q2.xlsx"), "--previous", str(tmp_path / "q1.xlsx"), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["governance"] == [BROKEN]
    assert summary["previous_period"]["title"] == "q1.xlsx (plan date 2025-03-31)"
    assert summary["turnover"][0]["share"] == 0.75

    out = tmp_path / "out.xlsx"
    result = run("plan", str(tmp_path / "q2.xlsx"), "-o", str(out), "--previous", str(tmp_path / "q1.xlsx"))
    assert result.returncode == 0, result.stderr
    assert f"warning: {BROKEN}" in result.stdout
    assert [r[1] for r in governance_rows(out) if r[0].startswith("Strategic")] == [BROKEN]
    assert read_plan(out)[0].previous == previous_period(old_plan(), "q1.xlsx")
    result = run("classify", str(out))  # the previous period travels with the plan
    assert result.returncode == 0, result.stderr
    assert f"Governance\n  ! {BROKEN}" in result.stdout
    assert "Turnover since the previous period: q1.xlsx (plan date 2025-03-31)" in result.stdout


def test_classify_a_territory_against_a_previous_territory_file(tmp_path: Path) -> None:
    book = tmp_path / "top4.toml"
    book.write_text(dump_playbook(top4()), encoding="utf-8")
    sample = str(paths.sample_territory())
    result = run("classify", sample, "--playbook", str(book), "--previous", sample, "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["governance"] == []  # the same accounts, the same tiers: no turnover
    assert summary["previous_period"]["title"] == paths.sample_territory().name
    assert all(t["left"] == t["joined"] == 0 for t in summary["turnover"])
    result = run("classify", sample, "--previous", str(tmp_path / "missing.xlsx"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
