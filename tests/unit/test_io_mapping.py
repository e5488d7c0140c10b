"""Header synonyms, the mapping guess, header signatures and mapping problems (BAD_INPUTS rows 13-14)."""

from __future__ import annotations

import pandas as pd

from tierdesk.domain.accounts import FIELD_KEYS
from tierdesk.io.mapping import SYNONYMS, guess_mapping, header_signature, mapping_problems, normalise


def test_every_field_has_synonyms_and_they_do_not_collide() -> None:
    assert set(SYNONYMS) == set(FIELD_KEYS)
    owners: dict[str, str] = {}
    for key, names in SYNONYMS.items():
        for name in names:
            assert owners.setdefault(normalise(name), key) == key, (name, key, owners[normalise(name)])


def test_headers_compare_normalised() -> None:
    assert normalise("Acct. Name") == normalise("acct name") == "acctname"
    assert normalise("Kunden-Nr.") == normalise("kunden nr")
    assert normalise("País") == "pais"
    mapping = guess_mapping(
        ["Acct. Name", "ACCOUNT #", "Sales Rep", "TTM Revenue", "Share of Wallet %", "Vertical"]
    )
    assert mapping == {
        "account_id": "ACCOUNT #",
        "account_name": "Acct. Name",
        "industry": "Vertical",
        "owner": "Sales Rep",
        "revenue": "TTM Revenue",
        "share_of_wallet": "Share of Wallet %",
    }


def test_each_header_and_field_used_once_best_match_wins() -> None:
    mapping = guess_mapping(["Customer", "Customer Name", "Annual Sales", "Annual Revenue", "Ship Country"])
    assert mapping["account_name"] == "Customer Name"
    assert mapping["revenue"] == "Annual Revenue"
    assert mapping["country"] == "Ship Country"
    assert len(set(mapping.values())) == len(mapping)


def test_sample_values_settle_close_calls() -> None:
    headers = ["Account", "Last Purchase", "Order Date"]
    data = pd.DataFrame(
        {
            "Account": ["A", "B", "C", "D"],
            "Last Purchase": ["laptop", "see notes", "printer", "desk"],
            "Order Date": ["2024-01-02", "2024-02-03", "2023-12-01", "2024-05-06"],
        },
        dtype=object,
    )
    assert guess_mapping(headers)["last_purchase"] == "Last Purchase"
    assert guess_mapping(headers, data)["last_purchase"] == "Order Date"
    numbers = pd.DataFrame(
        {"Revenue": ["high", "low", "mid", "low"], "Amount": [1.0, 2.0, 3.0, 4.0]}, dtype=object
    )
    assert guess_mapping(["Revenue", "Amount"])["revenue"] == "Revenue"
    assert guess_mapping(["Revenue", "Amount"], numbers)["revenue"] == "Amount"


def test_unknown_headers_are_left_for_the_planner() -> None:  # row 13
    assert guess_mapping(["Zorglub", "Column B", "Notes"]) == {}


def test_header_signature_is_stable_and_order_free() -> None:
    a = header_signature(["Account ID", "Name", "Revenue"])
    assert a == header_signature(["Revenue", "Account ID ", "Name"])
    assert a != header_signature(["Account ID", "Name", "Revenue", "Owner"])
    assert a.startswith("h1-") and len(a) == 23


def test_mapping_problems_in_planner_words() -> None:  # row 14
    assert mapping_problems({"account_name": "Company"}, ["Company"]) == []
    assert mapping_problems({"revenue": "Sales"}) == [
        "Map a column to Account ID or Account Name: tierdesk needs one of them to tell accounts apart."
    ]
    problems = mapping_problems({"account_id": "ID", "owner": "ID", "tier": "X", "revenue": "Gone"}, ["ID"])
    assert any("mapped twice" in p and "'ID'" in p for p in problems)
    assert any("'tier' is not an account field" in p for p in problems)
    assert any("'Gone'" in p and "not in the file" in p for p in problems)
