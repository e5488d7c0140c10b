"""Files without a wallet get a plan: real AdventureWorks workbooks (stores, order lines), a prospect list,
order lines' revenue trend, and the wallet block of `tierdesk classify --json`."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from tests.conftest import realdata
from tests.unit.test_cli import run
from tierdesk.domain.classification import Classification
from tierdesk.domain.classify import classify
from tierdesk.domain.playbook import default_playbook
from tierdesk.domain.playbook_edits import with_value
from tierdesk.domain.reasons import reason
from tierdesk.io.load import open_territory

AS_OF = "2026-06-30"


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _check_filled(cls: Classification) -> None:
    assert (cls.tier >= 0).mean() >= 0.95
    assert (cls.persona >= 0).mean() >= 0.95
    share = cls.share_of_wallet[np.isfinite(cls.share_of_wallet)]
    assert 0.10 <= float(np.median(share)) <= 0.90
    assert (share >= 0.999).mean() < 0.25  # not piled up at 100%
    assert (cls.wallet_source == "peers").all()


def test_adventureworks_stores_without_wallet_are_planned() -> None:
    accounts = open_territory(realdata("adventureworks_stores.xlsx")).accounts
    assert len(accounts) == 701 and "wallet" not in accounts.columns
    cls = classify(accounts, default_playbook(), as_of=AS_OF)
    _check_filled(cls)
    note = str(cls.wallet_notes(np.array([0]))[0])
    assert note.startswith("Wallet $") and "90th percentile of revenue per employee among" in note
    assert note in reason(cls, 0)


def test_adventureworks_order_lines_without_wallet_are_planned() -> None:
    result = open_territory(realdata("adventureworks_sales_58k.xlsx"))
    cls = classify(result.accounts, default_playbook(), as_of=AS_OF)
    assert len(cls) == 17_918
    _check_filled(cls)
    trend = result.accounts["trend"]
    assert trend.notna().sum() > 1_000 and (trend.dropna() >= -1).all()
    assert any("Revenue Trend" in i.message for i in result.issues)


def test_prospect_list_with_size_gets_a_pyramid_and_a_matrix(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Account ID", "Account Name", "Industry", "Employees", "Revenue"]]
    rows += [[f"C{i}", f"Customer {i}", "Retail", 100 * (i + 1), 10_000 * (i + 1)] for i in range(30)]
    rows += [[f"P{i}", f"Prospect {i}", "Retail", 500 * (i + 1), None] for i in range(10)]
    accounts = open_territory(_xlsx(tmp_path / "prospects.xlsx", rows)).accounts
    cls = classify(accounts, default_playbook(), as_of=AS_OF)
    prospects = np.flatnonzero(accounts["account_id"].str.startswith("P").to_numpy(bool))
    assert (cls.tier[prospects] >= 0).all() and (cls.persona[prospects] >= 0).all()
    assert (cls.share_of_wallet[prospects] == 0).all()
    assert np.allclose(cls.y[prospects], cls.wallet[prospects])  # potential = the whole wallet
    # 100 x 90th percentile of $100 per employee: all customers spend $100 per employee
    assert cls.wallet[prospects[0]] == pytest.approx(500 * 100)


def test_firmographic_rates_for_a_list_of_prospects_only(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Account ID", "Account Name", "Industry", "Employees"]]
    rows += [[f"P{i}", f"Prospect {i}", "Healthcare", 100 * (i + 1)] for i in range(10)]
    accounts = open_territory(_xlsx(tmp_path / "prospects.xlsx", rows)).accounts
    plain = classify(accounts, default_playbook(), as_of=AS_OF)
    assert (plain.persona == -1).all()  # no revenue anywhere, no rates: nothing to go on
    pb = with_value(default_playbook(), "wallet.firmographic.rates", {"Healthcare": 800})
    cls = classify(accounts, pb, as_of=AS_OF)
    assert cls.wallet.tolist() == [800 * 100 * (i + 1) for i in range(10)]
    assert (cls.wallet_source == "firmographic").all() and (cls.persona >= 0).all()


def test_order_lines_trend_against_the_12_months_before(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Customer ID", "Order Date", "Sales Amount"]]
    rows += [["A", "2024-03-01", 100], ["A", "2025-03-01", 150], ["A", "2025-06-01", 50]]  # 100 → 200
    rows += [["B", "2024-05-01", 400], ["B", "2025-01-01", 100]]  # 400 → 100 (the file ends 2025-06-01)
    rows += [["C", "2025-05-01", 80]] * 10  # new: nothing before
    result = open_territory(_xlsx(tmp_path / "lines.xlsx", rows))
    trend = result.accounts.set_index("account_id")["trend"]
    assert trend["A"] == pytest.approx(1.0) and trend["B"] == pytest.approx(-0.75)
    assert np.isnan(trend["C"])


def test_classify_json_has_the_wallet_block() -> None:
    result = run("classify", str(realdata("adventureworks_stores.xlsx")), "--json")
    assert result.returncode == 0, result.stderr
    wallet = json.loads(result.stdout)["wallet"]
    assert wallet["method"] == "peers" and wallet["quantile"] == 0.9
    assert wallet["estimated"] == 701 and wallet["given"] == 0 and wallet["planner"] == 0
    assert wallet["by_source"] == {"file": 0, "peers": 701, "firmographic": 0, "planner": 0, "none": 0}
    assert 0.1 <= wallet["median_share_of_wallet"] <= 0.9
    text = run("classify", str(realdata("adventureworks_stores.xlsx")))
    assert "Wallets: 0 from the file · 701 estimated (90th percentile of peers' revenue" in text.stdout
