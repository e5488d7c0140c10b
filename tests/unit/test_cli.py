"""The command line, run as a planner would run it: real process, real files, exit codes and JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import realdata
from tierdesk import __version__
from tierdesk.paths import sample_territory

REPO = Path(__file__).resolve().parents[2]


def run(*args: str, timeout: int = 180) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "tierdesk", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        env=env,
    )


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"tierdesk {__version__}"


def test_inspect_json_on_the_sample() -> None:
    result = run("inspect", str(sample_territory()), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {"file", "kind", "sheet", "header_row", "accounts", "mapping", "issues"} <= set(report)
    assert report["kind"] == "xlsx" and report["sheet"] == "Accounts" and report["header_row"] == 1
    assert report["accounts"] == 600
    assert report["mapping"]["account_name"] == "Account Name"
    assert report["mapping"]["revenue"] == "Current Revenue (TTM)"


@pytest.mark.parametrize(
    ("content", "needle"),
    [(b"", "empty"), (b"PK\x03\x04" + b"\x00" * 40, "damaged")],
)
def test_inspect_unreadable_file_exits_2_with_one_line(tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)
    result = run("inspect", str(path), "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0].lower() and "broken.xlsx" in lines[0]
    assert "Traceback" not in result.stderr


def test_inspect_missing_file(tmp_path: Path) -> None:
    result = run("inspect", str(tmp_path / "nope.xlsx"))
    assert result.returncode == 2 and "Traceback" not in result.stderr


@pytest.mark.realdata
def test_inspect_northwind_customers_finds_the_real_header() -> None:
    result = run("inspect", str(realdata("northwind.xlsx")), "--sheet", "Customers", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["accounts"] == 91
    assert report["header_row"] == 2
    assert "account_name" in report["mapping"] or "account_id" in report["mapping"]


@pytest.mark.realdata
def test_inspect_order_lines_roll_up() -> None:
    import pandas as pd

    path = realdata("adventureworks_sales_58k.xlsx")
    expected = pd.read_excel(path, engine="calamine")["CustomerKey"].nunique()
    result = run("inspect", str(path), "--json", timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["rolled_up"] is True
    assert report["accounts"] == expected


def test_classify_json_has_the_documented_keys() -> None:
    result = run("classify", str(sample_territory()), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["accounts"] == 600
    assert [t["name"] for t in summary["tiers"]] == ["Strategic", "Named", "Field", "Inside"]
    assert all({"name", "accounts", "revenue", "sellers", "cost"} <= set(t) for t in summary["tiers"])
    assert sum(t["accounts"] for t in summary["tiers"]) + summary["unclassified"] >= 600
    assert set(summary["personas"]) == {
        "Strategic Partnerships",
        "Land & Expand",
        "Protect & Defend",
        "Efficient Engagement",
    }
    assert set(summary["categories"]) == {"Strategic", "Core", "Beachhead", "Greenfield"}
    assert {"sellers", "cost", "cost_share"} <= set(summary["coverage"])
    assert summary["coverage"]["sellers"] == pytest.approx(sum(t["sellers"] for t in summary["tiers"]))


def test_classify_text_report_and_bad_playbook(tmp_path: Path) -> None:
    result = run("classify", str(sample_territory()))
    assert result.returncode == 0
    assert "Tier pyramid" in result.stdout and "Land & Expand" in result.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text("[tiers]\nnot = 'right'\n")
    result = run("classify", str(sample_territory()), "--playbook", str(bad))
    assert result.returncode == 2 and "Traceback" not in result.stderr and "bad.toml" in result.stderr


def test_plan_writes_a_workbook_that_inspect_reports_as_a_plan(tmp_path: Path) -> None:
    out = tmp_path / "plans.xlsx"
    result = run("plan", str(sample_territory()), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.exists()
    report = json.loads(run("inspect", str(out), "--json").stdout)
    assert report["kind"] == "plan" and report["accounts"] == 600 and report["objectives"] > 600


def test_plan_split_by_owner_writes_one_workbook_each(tmp_path: Path) -> None:
    result = run("plan", str(sample_territory()), "-o", str(tmp_path / "by-owner"), "--split-by", "owner")
    assert result.returncode == 0, result.stderr
    files = sorted((tmp_path / "by-owner").glob("*.xlsx"))
    assert len(files) == 5
    counts = [json.loads(run("inspect", str(f), "--json").stdout)["accounts"] for f in files]
    assert sum(counts) == 600


def test_compare_and_progress_against_newer_data(tmp_path: Path) -> None:
    import pandas as pd

    plan = tmp_path / "plan.xlsx"
    assert run("plan", str(sample_territory()), "-o", str(plan)).returncode == 0
    frame = pd.read_excel(sample_territory(), sheet_name="Accounts", engine="calamine")
    frame.loc[:2, "Current Revenue (TTM)"] = frame.loc[:2, "Wallet Estimate"]  # three accounts won big
    newer = tmp_path / "newer.csv"
    frame.iloc[1:].to_csv(newer, index=False)  # the first account is gone
    result = run("compare", str(plan), str(newer), "--json", "-o", str(tmp_path / "cmp.xlsx"))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {"moved", "added", "dropped", "sellers_delta", "cost_delta"} <= set(report)
    assert report["dropped"] == [str(frame["Account ID"].iloc[0])]
    assert all({"account", "field", "from", "to", "cause"} <= set(m) for m in report["moved"])
    assert (tmp_path / "cmp.xlsx").exists()
    result = run("progress", str(plan), str(newer), "--json", "-o", str(tmp_path / "progress.xlsx"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "progress.xlsx").exists()
    assert json.loads(result.stdout)
