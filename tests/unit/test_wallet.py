"""Wallet estimates on small tables with figures worked out by hand: peer groups, back-off, quantile, the
floor at own revenue, per-employee scaling, firmographic rates, the planner's figure, prospects."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from tierdesk.domain.changes import Changed
from tierdesk.domain.classification import Override
from tierdesk.domain.classify import PERSONAS, classify
from tierdesk.domain.plan import Plan, SetWallet, SetWalletSettings
from tierdesk.domain.playbook import PlaybookError, default_playbook, playbook_from_dict, playbook_to_dict
from tierdesk.domain.playbook_edits import with_value
from tierdesk.domain.reasons import reason, reason_series
from tierdesk.domain.wallet import WalletSettings, estimate_wallets, group_quantile
from tierdesk.domain.wallet_notes import band_texts, ordinal

NAN = float("nan")
AS_OF = "2026-06-30"
PLAIN = WalletSettings(peer_fields=("industry", "size"), min_peers=3, per_size=False)


def table() -> pd.DataFrame:
    """Four Healthcare accounts with 10–49 employees, three with 50–249, two Retail, one prospect."""
    return pd.DataFrame(
        {
            "account_id": [f"A{i}" for i in range(10)],
            "account_name": [f"Account {i}" for i in range(10)],
            "industry": ["Healthcare"] * 7 + ["Retail"] * 2 + ["Healthcare"],
            "employees": [10, 20, 30, 40, 100, 200, 200, 10, 20, 40],
            "revenue": [100, 200, 300, 400, 1_000, 2_000, 3_000, 50, 60, NAN],
        }
    )


def test_group_quantile_interpolates_like_numpy() -> None:
    values = np.array([5.0, 1, 3, 2, 10, 7])
    groups = np.array([0, 0, 0, 0, 2, 2])
    q = group_quantile(groups, values, 0.9, 3)
    assert q[0] == pytest.approx(np.quantile([5, 1, 3, 2], 0.9))  # 3 + 0.7 x (5 - 3) = 4.4
    assert q[0] == pytest.approx(4.4)
    assert np.isnan(q[1])
    assert q[2] == pytest.approx(7 + 0.9 * 3)


def test_peers_quantile_within_industry_and_size_band() -> None:
    w = estimate_wallets(table(), PLAIN)
    # Healthcare 10–49 employees: revenue 100, 200, 300, 400 → 90th percentile 300 + 0.7 x 100 = 370
    assert w.value[:3].tolist() == pytest.approx([370, 370, 370])
    assert w.value[3] == 400  # the floor: never below the account's own revenue (400 > 370)
    assert w.floored.tolist()[:4] == [False, False, False, True]
    # Healthcare 50–249: 1,000, 2,000, 3,000 → 2,000 + 0.8 x 1,000 = 2,800; the 3,000 account keeps its own
    assert w.value[4:7].tolist() == pytest.approx([2_800, 2_800, 3_000])
    assert w.peers[0] == 4 and w.peers[4] == 3
    assert w.notes(np.array([0]))[0] == (
        "Wallet $370: 90th percentile of revenue among 4 Healthcare accounts with 10–49 employees"
    )
    assert w.notes(np.array([3]))[0].startswith("Wallet $400: its own revenue, above the estimate $370 (")


def test_back_off_to_broader_groups() -> None:
    w = estimate_wallets(table(), PLAIN)
    # Retail has 2 accounts (< 3 peers) in its band: drop size → still 2 → the whole file (9 customers)
    everyone = np.quantile([100, 200, 300, 400, 1_000, 2_000, 3_000, 50, 60], 0.9)
    assert w.value[7] == pytest.approx(everyone) and w.level[7] == 0 and w.peers[7] == 9
    assert w.notes(np.array([7]))[0].endswith("90th percentile of revenue among 9 accounts in the file")
    # the Healthcare prospect with 40 employees has the band's 4 customers as peers
    assert w.value[9] == pytest.approx(370) and w.level[9] == 2
    # one level up: min 5 peers → Healthcare alone (7 customers), no band
    wider = estimate_wallets(table(), replace(PLAIN, min_peers=5))
    healthcare = np.quantile([100, 200, 300, 400, 1_000, 2_000, 3_000], 0.9)
    assert wider.value[0] == pytest.approx(healthcare) and wider.level[0] == 1
    assert "among 7 Healthcare accounts" in wider.notes(np.array([0]))[0]


def test_per_employee_scaling() -> None:
    s = WalletSettings(peer_fields=("industry",), min_peers=3, per_size=True)
    w = estimate_wallets(table(), s)
    # Healthcare revenue per employee: 10, 10, 10, 10, 10, 10, 15 → 90th percentile 10 + 0.4 x 5 = 12
    assert w.basis[0] == pytest.approx(12)
    assert w.value[1] == pytest.approx(12 * 20) and w.value[5] == pytest.approx(12 * 200)
    assert w.value[6] == 3_000  # its own revenue (15 per employee) is above 12 x 200
    assert w.notes(np.array([1]))[0] == (
        "Wallet $240: 20 employees × $12, the 90th percentile of revenue per employee among 7 Healthcare "
        "accounts"
    )


def test_firmographic_rates_and_fallback() -> None:
    s = WalletSettings(method="firmographic", rates=(("healthcare", 25.0),))
    w = estimate_wallets(table(), s)
    assert w.value[0] == 10 * 25 and w.value[5] == 200 * 25 and w.value[6] == 5_000
    assert w.source_names()[0] == "firmographic"
    assert w.notes(np.array([0]))[0] == "Wallet $250: 10 employees × $25 per employee (the industry's rate)"
    # Retail has no rate and no default: the peers estimate steps in
    assert w.source_names()[7] == "peers"
    with_default = estimate_wallets(table(), replace(s, default_rate=2.0))
    assert with_default.value[8] == 60  # 20 x 2 = 40 is below its revenue of 60: the floor
    assert with_default.source_names()[8] == "firmographic"


def test_file_wallet_wins_and_given_estimates_nothing() -> None:
    accounts = table().assign(wallet=[1_000.0] + [NAN] * 9)
    w = estimate_wallets(accounts, PLAIN)
    assert w.value[0] == 1_000 and w.source_names()[0] == "file"
    assert w.source_names()[1] == "peers"  # a blank in a partly filled column is estimated
    given = estimate_wallets(accounts, replace(PLAIN, method="given"))
    assert np.isnan(given.value[1:]).all() and given.counts() == {
        "none": 9, "file": 1, "peers": 0, "firmographic": 0, "planner": 0,
    }  # fmt: skip


def test_prospects_get_share_zero_and_whole_wallet_as_potential() -> None:
    pb = with_value(default_playbook(), "wallet.min_peers", 3)
    pb = with_value(pb, "wallet.peer_fields", ["industry", "size"])
    pb = with_value(pb, "wallet.per_size", False)
    cls = classify(table(), pb, as_of=AS_OF)
    assert cls.share_of_wallet[9] == 0 and cls.y[9] == pytest.approx(370)
    assert cls.persona[9] >= 0 and cls.tier[9] >= 0
    assert cls.wallet_source[9] == "peers"


def test_nothing_to_go_on_stays_unclassified() -> None:
    accounts = pd.DataFrame({"account_id": ["A", "B"], "account_name": ["a", "b"]})
    cls = classify(accounts, default_playbook(), as_of=AS_OF)
    assert (cls.persona == -1).all() and (cls.tier == -1).all()
    assert cls.wallet_notes()[0].startswith("No wallet: nothing to estimate a wallet from")
    assert reason(cls, 0) == (
        "Unclassified: nothing to estimate a wallet from (no revenue, company size, industry, segment or "
        "region): share of wallet unknown"
    )


def test_planner_wallet_overrides_and_is_undone() -> None:
    pb = with_value(default_playbook(), "wallet.min_peers", 3)
    plan = Plan(table(), pb, as_of=AS_OF)
    before = plan.classification
    applied = plan.apply(SetWallet((0,), 50_000, "CIO told us"))
    cls = plan.classification
    assert cls.wallet[0] == 50_000 and cls.wallet_source[0] == "planner"
    assert cls.share_of_wallet[0] == pytest.approx(100 / 50_000)
    assert PERSONAS[cls.persona[0]] in ("Land & Expand", "Strategic Partnerships")
    assert cls.wallet_notes(np.array([0]))[0] == "Wallet $50k: the planner's own figure (CIO told us)"
    assert applied.description == "Set wallet of Account 0 to $50k"
    assert plan.wallet_of("A0") == 50_000
    assert plan.overrides["field"].tolist() == ["wallet"]  # saved with the plan like a pin
    row = plan.history.iloc[-1]
    assert (row["what"], row["new"], row["reason"]) == ("wallet", "$50k (planner)", "CIO told us")
    plan.apply(applied.inverse)
    assert plan.classification.wallet[0] == before.wallet[0]
    assert plan.classification.persona.tolist() == before.persona.tolist()
    assert plan.wallet_of("A0") is None
    with pytest.raises(ValueError):
        SetWallet((0,), -5)


def test_planner_wallet_read_back_from_saved_overrides() -> None:
    table_ = pd.DataFrame(
        {"account_id": ["A3"], "field": ["wallet"], "value": ["9000.0"], "reason": [""], "time": [pd.NaT]}
    )
    cls = classify(table(), default_playbook(), table_, as_of=AS_OF)
    assert cls.wallet[3] == 9_000 and cls.wallet_source[3] == "planner"
    assert not cls.override_problems


def test_wallet_settings_edit_estimates_again_and_names_the_coverage_change() -> None:
    pb = with_value(default_playbook(), "wallet.min_peers", 3)
    plan = Plan(table(), pb, as_of=AS_OF)
    old = plan.classification.wallet.copy()
    applied = plan.apply(SetWalletSettings(replace(pb.wallet, quantile=0.5)))
    assert applied.description.startswith("Estimate wallets: median of peers")
    assert "(coverage " in applied.description
    assert (plan.classification.wallet <= old).all() and (plan.classification.wallet < old).any()
    assert Changed.WALLET in applied.what
    plan.apply(applied.inverse)
    assert plan.classification.wallet.tolist() == old.tolist()
    assert plan.playbook.wallet == pb.wallet


def test_wallet_table_is_validated_naming_the_key() -> None:
    data = playbook_to_dict(default_playbook())
    assert playbook_from_dict(data).wallet == default_playbook().wallet
    for key, value, message in [
        ("quantile", 1.5, "wallet.quantile"),
        ("method", "guess", "wallet.method"),
        ("peer_fields", ["industry", "colour"], "wallet.peer_fields"),
        ("min_peers", 0, "wallet.min_peers"),
        ("employee_bands", [50, 10], "wallet.employee_bands"),
        ("typo", 1, "wallet.typo"),
    ]:
        broken = playbook_to_dict(default_playbook())
        broken["wallet"][key] = value
        with pytest.raises(PlaybookError, match=message.replace(".", r"\.")):
            playbook_from_dict(broken)
    broken = playbook_to_dict(default_playbook())
    broken["wallet"]["method"] = "firmographic"
    with pytest.raises(PlaybookError, match="rates per industry or a default_rate"):
        playbook_from_dict(broken)
    broken["wallet"]["firmographic"]["rates"] = {"Healthcare": -1}
    with pytest.raises(PlaybookError, match=r"wallet\.firmographic\.rates\.Healthcare"):
        playbook_from_dict(broken)


def test_words() -> None:
    assert (
        ordinal(0.9) == "90th percentile" and ordinal(0.5) == "median" and ordinal(0.92) == "92nd percentile"
    )
    assert band_texts((10.0, 50.0), "employees") == [
        "fewer than 10 employees", "10–49 employees", "50 or more employees",
    ]  # fmt: skip


def test_partial_projected_value_says_so() -> None:
    pb = with_value(default_playbook(), "wallet.method", "given")
    accounts = pd.DataFrame({"account_id": ["A", "B"], "revenue": [100.0, 200.0]})
    cls = classify(accounts, pb, as_of=AS_OF)
    assert (cls.tier >= 0).all() and (cls.persona == -1).all()
    assert reason_series(cls, "tier")[0] == (
        "Inside: projected value $100 < cutoff $150 "
        "(from what is known: no wallet estimate column: potential unknown, counted as 0)"
    )


def test_override_field_wallet_is_not_a_pin() -> None:
    cls = classify(table(), default_playbook(), [Override("A1", "wallet", "5000.0")], as_of=AS_OF)
    assert not cls.pinned_persona.any() and not cls.pinned_tier.any() and not cls.override_problems


def test_a_prospect_with_nothing_on_record_gets_no_invented_wallet() -> None:
    accounts = pd.DataFrame(
        {
            "account_id": ["a", "b", "c", "d"],
            "revenue": [100.0, 200.0, NAN, NAN],
            "industry": ["H", "H", None, "H"],
        }
    )
    cls = classify(accounts, default_playbook(), as_of=AS_OF)
    assert pd.isna(cls.wallet_source[2]) and cls.wallet_source[3] == "peers"
    assert cls.persona[2] == -1 and cls.tier[2] == -1
    assert cls.wallet[3] == pytest.approx(np.quantile([100, 200], 0.9))  # an industry on record: peers
    assert cls.persona[3] == PERSONAS.index("Land & Expand")  # share 0, its whole wallet as potential
