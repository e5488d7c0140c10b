"""Small amounts keep their cents wherever money is written: a per-employee rate of $0.73 is not "$1"."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tierdesk.domain.plan import Plan
from tierdesk.domain.playbook import default_playbook
from tierdesk.domain.texts import money, round_as_shown

CASES = [
    (0.62, "$0.62"),
    (0.7345, "$0.73"),
    (1.0, "$1"),
    (1.5, "$1.50"),
    (4.004, "$4"),
    (9.999, "$10"),
    (12.4, "$12"),
    (950.0, "$950"),
    (-0.62, "-$0.62"),
    (0.001, "<$0.01"),
    (0.0, "$0"),
]


@pytest.mark.parametrize(("value", "text"), CASES)
def test_money_keeps_cents_below_ten(value: float, text: str) -> None:
    assert money(value)[0] == text


def test_money_of_larger_amounts_is_unchanged() -> None:
    texts = money(np.array([999.6, 1234.0, 812_345.0, 2.5e6, -12_500.0, np.nan])).tolist()
    assert texts == ["$1k", "$1.2k", "$812k", "$2.5M", "-$12.5k", "n/a"]


def test_a_split_dragged_on_a_small_money_axis_lands_on_the_cents_shown() -> None:
    assert round_as_shown((("potential", 1.0),), 0.7345) == 0.73
    assert round_as_shown((("potential", 1.0),), 812_345.0) == 812_000.0


def test_the_wallet_note_names_a_small_rate_with_its_cents() -> None:
    # accounts.csv's layout: revenue in thousands, so revenue per employee is well below a dollar
    accounts = pd.DataFrame(
        {
            "account_id": [f"A{i}" for i in range(30)],
            "revenue": np.linspace(100.0, 1100.04, 30),
            "employees": np.linspace(400, 2822, 30).round(),
        }
    )
    notes = Plan(accounts, default_playbook()).classification.wallet_notes()
    assert "2,822 employees × $0." in notes[-1]
    assert "× $1," not in notes[-1] and "× $0," not in notes[-1]


@pytest.mark.parametrize(("value", "text"), CASES)
def test_table_and_label_money_keep_cents_below_ten(value: float, text: str) -> None:
    from tierdesk.qt.formatting import format_money, short_money  # plain Python: no Qt is imported

    assert short_money(value) == text
    assert format_money(value) == text


def test_table_money_of_larger_amounts_is_unchanged() -> None:
    from tierdesk.qt.formatting import format_money, short_money

    assert [format_money(v) for v in (1234.5, 2.5e6)] == ["$1,234", "$2,500,000"]
    assert [short_money(v) for v in (1234.5, 2.5e6, 999.6)] == ["$1.2k", "$2.5M", "$1k"]
