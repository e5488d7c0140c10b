"""What a classification stands on: an old extract is dated by its own latest purchase, and categories are
decided by what the file has (revenue, products) rather than left Unclassified; both said in words."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from tests.unit.test_cli import run
from tierdesk.domain.basis import basis_notes
from tierdesk.domain.plan import Plan
from tierdesk.domain.plan_date import plan_date
from tierdesk.domain.playbook import default_playbook
from tierdesk.domain.reasons import reason, reason_series
from tierdesk.io.load import open_territory


def order_lines(path: Path, last_day: pd.Timestamp, customers: int = 40) -> Path:
    """A Superstore-like export: order lines over four years up to `last_day`, one customer lapsed for
    more than three years of it, products by id."""
    rng = np.random.default_rng(7)
    rows = []
    for c in range(customers):
        lines = 3 + c % 5
        newest = last_day - pd.Timedelta(days=int(rng.integers(0, 300)) if c > 1 else 0)
        if c == 0:  # bought once, long before the file's end
            newest, lines = last_day - pd.DateOffset(years=3, months=6), 1
        for k in range(lines):
            rows.append(
                {
                    "Order ID": f"CA-{c}-{k}",
                    "Order Date": (newest - pd.Timedelta(days=90 * k)).date().isoformat(),
                    "Customer ID": f"CU-{c:04d}",
                    "Customer Name": f"Customer {c}",
                    "Segment": ("Consumer", "Corporate")[c % 2],
                    "Product ID": f"P-{(c * 7 + k) % 23}",
                    "Sales": round(float(rng.lognormal(5, 1)), 4),
                }
            )
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_an_old_extract_is_dated_by_its_latest_purchase_not_today(tmp_path: Path) -> None:
    last = pd.Timestamp("2017-12-30")
    accounts = open_territory(order_lines(tmp_path / "superstore.csv", last)).accounts
    plan = Plan(accounts, default_playbook())
    cls = plan.classification
    assert plan.as_of == last  # not today: every account would have lapsed
    counts = pd.Series(np.asarray(cls.category_names)[cls.category]).value_counts()
    assert counts.get("Greenfield", 0) == 1  # only the customer that really lapsed
    assert counts.get("Core", 0) > 10 and counts.get("Beachhead", 0) > 0
    lapsed = reason(cls, int(np.flatnonzero(accounts["account_id"] == "CU-0000")[0]), "category")
    assert lapsed.startswith("Greenfield: last purchase 2014-") and "before 2017-12-30" in lapsed
    notes = basis_notes(cls)
    assert "Plan dated 2017-12-30, the latest purchase in the file" in notes[0]
    assert "more than a year before today" in notes[0]
    # the products the order lines name measure breadth when the file has no product areas: said so
    assert "breadth is counted in products owned" in notes[1]
    core = reason_series(cls, "category")[cls.category == 1].iloc[0]
    assert "; products " in core


def test_a_recent_file_is_dated_today_and_says_nothing(tmp_path: Path) -> None:
    today = pd.Timestamp.today().normalize()
    accounts = open_territory(order_lines(tmp_path / "recent.csv", today - pd.Timedelta(days=20))).accounts
    cls = Plan(accounts, default_playbook()).classification
    assert cls.as_of == today
    assert not any("Plan dated" in n for n in basis_notes(cls))
    dated = plan_date(accounts, today + pd.DateOffset(years=2))  # the same file read two years later
    assert dated.from_file and dated.date == today - pd.Timedelta(days=20)


def test_a_given_plan_date_is_kept(tmp_path: Path) -> None:
    accounts = open_territory(order_lines(tmp_path / "old.csv", pd.Timestamp("2017-12-30"))).accounts
    cls = Plan(accounts, default_playbook(), as_of="2026-06-01").classification
    assert cls.as_of == pd.Timestamp("2026-06-01")  # a saved plan's date is its own
    assert set(np.asarray(cls.category_names)[cls.category]) == {"Greenfield"}
    assert not any("Plan dated" in n for n in basis_notes(cls))


def firmographics(path: Path) -> Path:
    """An accounts.csv-like file: name, sector, revenue, employees; no dates, no products."""
    rng = np.random.default_rng(3)
    pd.DataFrame(
        {
            "account": [f"Firm {i}" for i in range(60)],
            "sector": [("medical", "retail", "software")[i % 3] for i in range(60)],
            "revenue": np.round(rng.lognormal(6, 1, 60), 2),
            "employees": rng.integers(50, 5000, 60),
        }
    ).to_csv(path, index=False)
    return path


def test_without_dates_or_breadth_every_customer_gets_a_category_by_revenue(tmp_path: Path) -> None:
    accounts = open_territory(firmographics(tmp_path / "accounts.csv")).accounts
    cls = Plan(accounts, default_playbook()).classification
    assert (cls.category >= 0).all()  # was: "Unclassified: no areas present column" for most
    names = np.asarray(cls.category_names)[cls.category]
    assert set(names) >= {"Core", "Beachhead"}
    reasons = reason_series(cls, "category")
    assert reasons[names == "Core"].str.endswith("(no breadth in the file: by revenue alone)").all()
    low = cls.category_thresholds[0]
    assert (cls.revenue[names == "Core"] >= low).all() and (cls.revenue[names == "Beachhead"] < low).all()
    (note,) = basis_notes(cls)
    assert "no purchase dates" in note and "by revenue alone" in note
    assert f"Core {int((names == 'Core').sum()):,}" in note


def test_classify_prints_what_the_plan_stands_on(tmp_path: Path) -> None:
    path = order_lines(tmp_path / "superstore.csv", pd.Timestamp("2017-12-30"))
    done = run("classify", str(path))
    assert done.returncode == 0, done.stderr
    head = done.stdout.splitlines()[:3]
    assert head[0].endswith("as of 2017-12-30")
    assert "Plan dated 2017-12-30, the latest purchase in the file" in head[1]
    as_json = json.loads(run("classify", str(path), "--json").stdout)
    assert as_json["as_of"] == "2017-12-30" and len(as_json["basis"]) == 2
