"""Governance rules: caps per tier and turnover between periods, read from the playbook naming the key at
fault, checked on a plan, shown by `classify` and in the exported Summary."""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from tierdesk import paths
from tierdesk.domain.governance import CapRule, Governance, TurnoverRule, check_governance
from tierdesk.domain.plan import PinAccounts, Plan, RenameTier
from tierdesk.domain.playbook import (
    Playbook,
    PlaybookError,
    default_playbook,
    dump_playbook,
    parse_playbook,
    playbook_from_dict,
    playbook_to_dict,
)
from tierdesk.domain.playbook_edits import with_value
from tierdesk.domain.summary import format_summary, plan_summary

AS_OF = "2025-06-30"


@cache
def sample_accounts() -> pd.DataFrame:
    from tierdesk.io.load import open_territory

    return open_territory(paths.sample_territory()).accounts


@cache
def governed() -> Playbook:
    """The default playbook with its commented [governance] example switched on."""
    text = paths.default_playbook_path().read_text(encoding="utf-8")
    return parse_playbook(re.sub(r"(?m)^#(?=\[|[a-z_]+ =)", "", text))


def sample_plan(pb: Playbook | None = None) -> Plan:
    return Plan(sample_accounts(), pb or governed(), as_of=AS_OF)


def with_governance(governance: dict[str, Any]) -> dict[str, Any]:
    data = playbook_to_dict(default_playbook())
    data["governance"] = governance
    return data


# ---------------------------------------------------------------- reading


def test_default_playbook_carries_the_example_rules() -> None:
    assert default_playbook().governance == governed().governance
    g = default_playbook().governance
    assert g.caps == (CapRule("Strategic", 30, 0.05),)
    assert g.turnover == (TurnoverRule("Strategic", 0.25, "quarter"),)


def test_omitted_governance_means_no_rules_and_no_defaults_filled() -> None:
    data = playbook_to_dict(governed())
    del data["governance"]
    pb = playbook_from_dict(data)
    assert pb.governance == Governance() and not pb.governance
    assert not any("governance" in f for f in pb.defaults_filled)
    assert "governance" not in playbook_to_dict(pb)
    assert check_governance(sample_plan(pb)) == []


def test_rules_round_trip_through_dump_and_parse() -> None:
    rules = {
        "caps": [
            {"tier": "Strategic", "max_accounts": 30, "max_share": 0.05},
            {"tier": "Named", "max_accounts": 100},
        ],
        "turnover": [{"tier": "Named", "max_share": 0.3, "period": "half-year"}],
    }
    pb = playbook_from_dict(with_governance(rules))
    assert pb.governance.caps[1] == CapRule("Named", 100, None)
    assert parse_playbook(dump_playbook(pb)) == pb
    assert playbook_to_dict(pb)["governance"] == rules


@pytest.mark.parametrize(
    ("governance", "key", "words"),
    [
        ({"caps": [{"tier": "Platinum", "max_accounts": 3}]}, "governance.caps[0].tier", "no tier named"),
        ({"caps": [{"tier": "Strategic", "max_share": 5}]}, "governance.caps[0].max_share", "0 to 1"),
        ({"caps": [{"tier": "Named"}]}, "governance.caps[0].max_accounts", "max_share"),
        ({"caps": [{"tier": "Named", "max_accounts": 2.5}]}, "governance.caps[0].max_accounts", "whole"),
        ({"caps": [{"tier": "Named", "max_accounts": -1}]}, "governance.caps[0].max_accounts", "0 or more"),
        ({"caps": [{"tier": "Named", "max": 3}]}, "governance.caps[0].max", "unknown key"),
        (
            {"turnover": [{"tier": "Strategic", "max_share": -0.1, "period": "quarter"}]},
            "governance.turnover[0].max_share",
            "0 to 1",
        ),
        (
            {"turnover": [{"tier": "Gold", "max_share": 0.2, "period": "quarter"}]},
            "governance.turnover[0].tier",
            "no tier named",
        ),
        ({"turnover": [{"tier": "Strategic", "max_share": 0.2}]}, "governance.turnover[0].period", "missing"),
        ({"limits": []}, "governance.limits", "unknown key"),
    ],
)
def test_errors_name_the_key(governance: dict[str, Any], key: str, words: str) -> None:
    with pytest.raises(PlaybookError) as e:
        playbook_from_dict(with_governance(governance))
    assert e.value.key == key
    assert words in e.value.problem


def test_with_value_edits_a_rule_and_validates_it() -> None:
    pb = with_value(governed(), "governance.caps[0].max_accounts", 10)
    assert pb.governance.caps[0] == CapRule("Strategic", 10, 0.05)
    with pytest.raises(PlaybookError, match=r"governance\.caps\[0\]\.max_share"):
        with_value(pb, "governance.caps[0].max_share", 1.5)


def test_renaming_a_tier_renames_its_rules() -> None:
    plan = sample_plan()
    plan.apply(RenameTier(0, "Key"))
    assert plan.playbook.governance.caps[0].tier == "Key"
    assert plan.playbook.governance.turnover[0].tier == "Key"


# ---------------------------------------------------------------- caps


def test_sample_keeps_the_default_cap() -> None:
    plan = sample_plan()
    assert int((plan.classification.tier == 0).sum()) == 18
    assert check_governance(plan) == []


def test_cap_breached_by_pins_and_respected_after_the_undo() -> None:
    plan = sample_plan()  # 600 accounts, 18 Strategic; the cap is 5% = 30
    others = np.flatnonzero(plan.classification.tier != 0)[:13]
    applied = plan.apply(PinAccounts(tuple(others), "tier", "Strategic", "board request"))
    [v] = check_governance(plan)
    assert (v.kind, v.tier, v.limit, v.actual) == ("cap", "Strategic", 30, 31)
    assert v.message == "Strategic holds 31 accounts (5.2%): the playbook allows at most 30 (5%)"
    assert v.message in plan_summary(plan)["governance"]

    plan.apply(applied.inverse)  # undo
    assert check_governance(plan) == []
    assert plan_summary(plan)["governance"] == []


def test_the_tighter_of_count_and_share_applies() -> None:
    pb = with_value(governed(), "governance.caps[0].max_accounts", 10)
    [v] = check_governance(sample_plan(pb))
    assert (v.limit, v.actual) == (10, 18)
    assert v.message.endswith("allows at most 10")


# ---------------------------------------------------------------- turnover


def test_turnover_against_the_previous_period() -> None:
    previous, plan = sample_plan(), sample_plan()
    assert check_governance(plan, previous) == []
    strategic = np.flatnonzero(plan.classification.tier == 0)
    others = np.flatnonzero(plan.classification.tier != 0)
    # 2 leave and 2 join: 4 of 18 = 22.2%, within 25%
    plan.apply(PinAccounts(tuple(strategic[:2]), "tier", "Named"))
    step = plan.apply(PinAccounts(tuple(others[:2]), "tier", "Strategic"))
    assert check_governance(plan, previous) == []
    assert check_governance(plan) == []  # no previous plan: caps only
    # one more joins: 5 of 18 = 27.8%
    plan.apply(PinAccounts((int(others[2]),), "tier", "Strategic"))
    [v] = check_governance(plan, previous)
    assert (v.kind, v.tier, v.limit) == ("turnover", "Strategic", 0.25)
    assert v.actual == pytest.approx(5 / 18)
    assert v.message == (
        "Strategic turnover is 27.8% since the previous quarter (2 of 18 accounts left, 3 joined): "
        "the playbook allows at most 25% per quarter"
    )
    assert v.message in plan_summary(plan, previous)["governance"]
    plan.apply(step.inverse)
    assert check_governance(plan, previous) == []  # 2 left, 1 joined


def test_turnover_matches_accounts_by_id_and_counts_dropped_ones() -> None:
    previous = sample_plan()
    strategic = np.flatnonzero(previous.classification.tier == 0)
    accounts = sample_accounts().drop(index=sample_accounts().index[strategic[:5]])
    plan = Plan(accounts.iloc[::-1].reset_index(drop=True), governed(), as_of=AS_OF)
    violations = check_governance(plan, previous)
    turnover = [v for v in violations if v.kind == "turnover"]
    assert turnover and turnover[0].actual >= 5 / 18


# ---------------------------------------------------------------- reports


def test_format_summary_prints_the_governance_section() -> None:
    plan = sample_plan(with_value(governed(), "governance.caps[0].max_accounts", 10))
    d = plan_summary(plan)
    assert d["governance"] == ["Strategic holds 18 accounts (3%): the playbook allows at most 10"]
    text = format_summary(d)
    assert "\nGovernance\n  ! Strategic holds 18 accounts (3%): the playbook allows at most 10" in text
    assert "Governance" not in format_summary(plan_summary(sample_plan()))


def summary_rows(plan: Plan, path: Path) -> list[list[Any]]:
    """The Summary sheet alone, written as the plan workbook writes it."""
    from xlsxwriter.workbook import Workbook

    from tierdesk.io.excel_cells import Formats, TextNotes
    from tierdesk.io.export_summary import write_summary
    from tierdesk.io.plan_format import SUMMARY
    from tierdesk.io.snapshot import PlanSnapshot

    wb = Workbook(str(path))
    wb.add_worksheet(SUMMARY)
    state = PlanSnapshot.from_plan(plan, source_file="t.xlsx")
    write_summary(wb, state, Formats(wb, plan.playbook.currency), TextNotes(), datetime.now(), [], [SUMMARY])
    wb.close()
    rows: list[list[Any]] = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SUMMARY).to_python()
    return rows


def test_exported_summary_lists_the_violations(tmp_path: Path) -> None:
    plan = sample_plan(with_value(governed(), "governance.caps[0].max_accounts", 10))
    rows = summary_rows(plan, tmp_path / "broken.xlsx")
    at = next(i for i, r in enumerate(rows) if r[0] == "Governance")
    assert rows[at + 1][:2] == [
        "Strategic: at most 10 accounts and at most 5% of accounts",
        "Strategic holds 18 accounts (3%): the playbook allows at most 10",
    ]
    rows = summary_rows(sample_plan(), tmp_path / "kept.xlsx")
    at = next(i for i, r in enumerate(rows) if r[0] == "Governance")
    assert rows[at + 1][0] == "No governance rule broken"
