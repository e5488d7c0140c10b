"""`tierdesk balance`, run as a planner would: a real process on the sample territory, a team CSV, the plan
workbook it writes, and the per-owner workbooks that follow the new owners."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from tests.unit.test_cli import run
from tierdesk.io.plan_file import read_plan
from tierdesk.paths import sample_territory


def test_balance_json_on_the_sample() -> None:
    result = run("balance", str(sample_territory()), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {"moves", "before", "after", "moved_accounts", "moved_revenue", "sellers_short"} <= set(report)
    assert report["moved_accounts"] == len(report["moves"]) > 0
    assert {"account", "from", "to", "reason"} <= set(report["moves"][0])
    assert set(report["before"]) == set(report["after"]) == {"max_over", "max_under", "spread"}
    assert report["after"]["spread"] < report["before"]["spread"] / 3
    # five owners hold about 13 sellers' worth of work: the books are evened and the gaps named
    assert report["target"]["evened"] and 2.5 < report["target"]["average_load"] < 2.8
    assert sum(report["sellers_short"].values()) >= 8
    assert any(m.startswith("The team cannot carry the work") for m in report["messages"])
    assert report["moved_revenue"] == sum(m["revenue"] for m in report["moves"])


def test_balance_with_a_team_writes_the_plan_and_owners_follow(tmp_path: Path) -> None:
    team = tmp_path / "team.csv"
    team.write_text(
        "Seller,Role,Region\n"
        "Megan Holloway,Strategic account manager,\n"
        "Daniel Okafor,Strategic account manager,\n"
        "Priya Raman,Strategic account manager,\n"
        "Sophie Lindgren,Business developer,\n"
        "Markus Brenner,Business developer,\n"
        "Lena Fischer,Business developer,\n"
        "Tom Avery,Account manager,\n"
        "Ines Duarte,Inside seller,\n",
        encoding="utf-8",
    )
    out = tmp_path / "balanced.xlsx"
    result = run(
        "balance", str(sample_territory()), "--sellers", str(team), "--tolerance", "0.15", "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert f"wrote {out}" in result.stdout
    state, problems, edits = read_plan(out)
    assert problems == [] and edits == []
    assert [s.name for s in state.sellers][-2:] == ["Tom Avery", "Ines Duarte"]
    owners = state.accounts["owner"].astype("string").value_counts()
    assert owners["Tom Avery"] > 0 and owners["Ines Duarte"] > 0  # the new hires got books
    assert "reassigned" in set(state.history["kind"]) and "sellers" in set(state.history["kind"])
    sheet = openpyxl.load_workbook(out, read_only=True)["Sellers"]
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)][:3] == [
        "Megan Holloway",
        "Daniel Okafor",
        "Priya Raman",
    ]
    folder = tmp_path / "owners"
    split = run("plan", str(out), "-o", str(folder), "--split-by", "owner")
    assert split.returncode == 0, split.stderr
    by_owner = {}
    for path in folder.iterdir():
        sub, _, _ = read_plan(path)
        (owner,) = set(sub.accounts["owner"].astype("string"))
        by_owner[owner] = len(sub.accounts)
    assert by_owner == {k: int(v) for k, v in owners.items()}


def test_balance_refuses_a_tolerance_out_of_range() -> None:
    result = run("balance", str(sample_territory()), "--tolerance", "1.5")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "tierdesk: --tolerance is a fraction of capacity above 0 and below 1 (0.1 is ±10%), not 1.5"
    ]
