"""Classification: tiers, personas and categories at every boundary, bad values, reasons and overrides."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tierdesk.domain.classification import Override, reclassify_personas, with_splits
from tierdesk.domain.classify import CATEGORIES, PERSONAS, UNCLASSIFIED, classify, field_values
from tierdesk.domain.objectives import account_objectives
from tierdesk.domain.overrides import with_overrides
from tierdesk.domain.playbook import Playbook, default_playbook
from tierdesk.domain.playbook_edits import with_value, with_values
from tierdesk.domain.reasons import classification_frame, reason, reason_series
from tierdesk.paths import sample_territory

NAN, INF = float("nan"), float("inf")
AS_OF = pd.Timestamp("2025-06-30")
SP, LE, PD, EE = PERSONAS


@pytest.fixture(scope="module")
def pb() -> Playbook:
    """The default playbook with splits and category thresholds in money, so answers are exact, and only
    the file's wallets (estimates have their own tests, test_wallet.py)."""
    return with_values(
        default_playbook(),
        {
            "wallet.method": "given",
            "personas.y_split": {"kind": "value", "value": 800_000},
            "categories.beachhead_revenue": {"kind": "value", "value": 50_000},
            "categories.strategic_revenue": {"kind": "value", "value": 1e6},
        },
    )


def names(codes: np.ndarray, labels: tuple[str, ...]) -> list[str]:
    return [labels[c] if c >= 0 else UNCLASSIFIED for c in codes]


# ---------------------------------------------------------------- personas

PERSONA_ROWS = [  # revenue, wallet, share_of_wallet (given), potential (given), expected persona
    (350, 1000, NAN, NAN, PD),  # share exactly on the 35% split counts as high; potential 650 low
    (1, 1, 0.35, 800_000, SP),  # exactly on both splits: high and high
    (1, 1, 0.3499, 799_999, EE),  # just below both
    (252_000, 2_100_000, 0.12, 2_100_000, LE),
    (100, NAN, NAN, NAN, UNCLASSIFIED),  # no wallet estimate
    (100, 0, NAN, NAN, UNCLASSIFIED),  # zero wallet
    (1_500_000, 1_000_000, NAN, NAN, PD),  # wallet below revenue: share 150%, potential negative
    (-100, 1_000_000, NAN, NAN, LE),  # negative revenue: accepted, share just below 0
    (INF, 1_000_000, NAN, NAN, UNCLASSIFIED),  # infinite revenue: treated as missing
    (NAN, NAN, NAN, NAN, UNCLASSIFIED),
    (NAN, NAN, 0.5, 900_000, SP),  # given values need no revenue or wallet
]


@pytest.fixture(scope="module")
def persona_accounts() -> pd.DataFrame:
    rev, wallet, share, potential, _ = zip(*PERSONA_ROWS, strict=True)
    return pd.DataFrame(
        {
            "account_id": [f"P{i}" for i in range(len(rev))],
            "revenue": rev,
            "wallet": wallet,
            "share_of_wallet": share,
            "potential": potential,
        }
    )


def test_personas_at_every_boundary(persona_accounts: pd.DataFrame, pb: Playbook) -> None:
    cls = classify(persona_accounts, pb, as_of=AS_OF)
    assert names(cls.persona, PERSONAS) == [row[-1] for row in PERSONA_ROWS]
    assert cls.x_split == 0.35 and cls.y_split == 800_000
    assert cls.x[0] == 0.35 and cls.y[0] == 650
    assert cls.x[6] == 1.5 and cls.y[6] == -500_000


def test_missing_values_give_reasons_not_defaults(persona_accounts: pd.DataFrame, pb: Playbook) -> None:
    reasons = reason_series(classify(persona_accounts, pb, as_of=AS_OF))
    assert reasons[3] == "Land & Expand: potential $2.1M ≥ split $800k; share of wallet 12% < split 35%"
    assert reasons[4] == "Unclassified: no wallet estimate: share of wallet unknown"
    assert reasons[5] == "Unclassified: wallet is zero: share of wallet unknown"
    assert reasons[8] == "Unclassified: no revenue: share of wallet unknown"
    assert reasons[1] == (
        "Strategic Partnerships: potential $800k ≥ split $800k; share of wallet 35% ≥ split 35%"
    )


def test_bad_values_are_warnings(persona_accounts: pd.DataFrame, pb: Playbook) -> None:
    cls = classify(persona_accounts, pb, as_of=AS_OF)
    counts = cls.warning_counts()
    assert counts["wallet is zero"] == 1
    assert counts["negative revenue"] == 1
    assert counts["wallet below revenue (share of wallet above 100%)"] == 1
    assert counts["current revenue is infinite (treated as missing)"] == 1
    assert (5, "wallet is zero") in cls.warnings()
    assert cls.warnings(limit=2) == cls.warnings()[:2]


def test_derived_values(persona_accounts: pd.DataFrame) -> None:
    share, why = field_values(persona_accounts, "share_of_wallet")
    assert share[0] == 0.35 and share[3] == 0.12
    assert np.isnan(share[4]) and why[4] == "no wallet estimate: share of wallet unknown"
    potential, _ = field_values(persona_accounts.drop(columns="potential"), "potential")
    assert potential[0] == 650 and potential[6] == -500_000


def test_nothing_usable_never_crashes(pb: Playbook) -> None:
    for frame in [
        pd.DataFrame({"account_id": []}),
        pd.DataFrame({"account_id": ["A"], "revenue": [NAN]}),
        pd.DataFrame({"revenue": [INF, -INF, NAN], "wallet": [0.0, -5.0, INF]}),
    ]:
        cls = classify(frame, pb, as_of=AS_OF)
        assert len(cls) == len(frame)
        assert (cls.persona == -1).all() and (cls.tier == -1).all()
        assert len(classification_frame(cls)) == len(frame)


# ---------------------------------------------------------------- tiers

VALUES = [100, 90, 80, 70, 60, 50, 40, 30, 20, 10, NAN]
EXPECTED_TIERS = [0, 0, 1, 1, 1, 2, 2, 2, 3, 3, -1]


@pytest.mark.parametrize(
    ("kind", "cutoffs"), [("value", [90, 60, 30]), ("rank", [2, 5, 8]), ("percentile", [0.8, 0.5, 0.2])]
)
def test_tier_cutoffs(kind: str, cutoffs: list[float], pb: Playbook) -> None:
    pb = with_values(pb, {"tiering.cutoffs": kind} | {f"tiers[{i}].cutoff": c for i, c in enumerate(cutoffs)})
    accounts = pd.DataFrame({"projected_value": VALUES})
    cls = classify(accounts, pb, as_of=AS_OF)
    assert cls.tier.tolist() == EXPECTED_TIERS
    reasons = reason_series(cls, "tier")
    assert reasons[10] == "Unclassified: no current revenue column"
    if kind == "value":
        assert reasons[1] == "Strategic: projected value $90 ≥ cutoff $90"
        assert reasons[9] == "Inside: projected value $10 < cutoff $30"
    if kind == "rank":
        assert reasons[4] == "Named: rank 5 ≤ cutoff rank 5 by projected value"
    if kind == "percentile":
        assert cls.tier_cutoffs.tolist() == pytest.approx([82, 55, 28])


def test_score_formula_when_no_projected_value(pb: Playbook) -> None:
    accounts = pd.DataFrame(
        {
            "revenue": [100.0, 200.0, NAN],
            "wallet": [300.0, 200.0, 100.0],
            "projected_value": [NAN, 999.0, NAN],
        }
    )
    cls = classify(accounts, pb, as_of=AS_OF)
    assert cls.projected_value[0] == 100 + 0.5 * 200  # revenue + 0.5 x potential
    assert cls.projected_value[1] == 999  # the file's own value wins where given
    assert cls.projected_value[2] == 0.5 * 100  # a prospect: revenue 0, potential its whole wallet
    assert reason_series(cls, "tier")[2].endswith("(from what is known: no revenue, counted as 0)")
    ignore_column = with_value(pb, "tiering.use_projected_value", False)
    assert classify(accounts, ignore_column, as_of=AS_OF).projected_value[1] == 200


# ---------------------------------------------------------------- categories

CATEGORY_ROWS = [  # last purchase, revenue, wallet, areas, expected category
    (None, 0, 1e6, 0, "Greenfield"),
    ("2022-06-29", 500_000, 1e6, 3, "Greenfield"),  # one day more than three years before AS_OF
    ("2022-06-30", 500_000, 1e6, 3, "Core"),  # exactly three years: still within
    ("2025-01-10", 2_000_000, 2_000_000 / 0.6, 1, "Strategic"),
    ("2025-01-10", 1_000_000, 2_000_000, 1, "Strategic"),  # exactly on revenue and share thresholds
    ("2025-01-10", 2_000_000, 5_000_000, 3, "Core"),  # top spend, share 40%
    ("2025-01-10", 2_000_000, NAN, 3, UNCLASSIFIED),  # top spend, share unknown
    ("2025-01-10", 40_000, 1e6, 4, "Beachhead"),
    ("2025-01-10", 60_000, 1e6, 1, "Beachhead"),
    ("2025-01-10", 60_000, 1e6, None, UNCLASSIFIED),  # breadth unknown
    ("2025-01-10", 50_000, 1e6, "CRM; ERP", "Core"),  # on the beachhead threshold, two areas as text
    ("2025-01-10", NAN, 1e6, 2, UNCLASSIFIED),
]


@pytest.fixture(scope="module")
def category_accounts() -> pd.DataFrame:
    last, rev, wallet, areas, _ = zip(*CATEGORY_ROWS, strict=True)
    return pd.DataFrame(
        {
            "last_purchase": pd.to_datetime(list(last)),
            "revenue": rev,
            "wallet": wallet,
            "areas": pd.Series(areas, dtype=object),
        }
    )


def test_categories_at_every_boundary(category_accounts: pd.DataFrame, pb: Playbook) -> None:
    cls = classify(category_accounts, pb, as_of=AS_OF)
    assert names(cls.category, CATEGORIES) == [row[-1] for row in CATEGORY_ROWS]
    reasons = reason_series(cls, "category")
    assert reasons[0] == "Greenfield: no purchase on record"
    assert reasons[1] == "Greenfield: last purchase 2022-06-29, more than 3 years before 2025-06-30"
    assert reasons[4] == "Strategic: revenue $1M ≥ $1M and share of wallet 50% ≥ 50%"
    assert reasons[6] == "Unclassified: no wallet estimate: share of wallet unknown"
    assert reasons[7] == "Beachhead: revenue $40k < $50k"
    assert reasons[8] == "Beachhead: revenue $60k; areas 1 < 2"
    assert reasons[9] == "Unclassified: no areas present"
    assert reasons[10] == "Core: revenue $50k ≥ $50k; areas 2 ≥ 2"


def test_categories_without_purchase_dates(category_accounts: pd.DataFrame, pb: Playbook) -> None:
    cls = classify(category_accounts.drop(columns="last_purchase"), pb, as_of=AS_OF)
    assert cls.category[0] == -1  # no revenue and no date: cannot tell Greenfield from lapsed
    assert "no last purchase date" in reason(cls, 0, "category")
    assert CATEGORIES[cls.category[3]] == "Strategic"


def test_revenue_without_purchase_date_is_a_warning(pb: Playbook) -> None:
    accounts = pd.DataFrame({"revenue": [10.0], "wallet": [100.0], "last_purchase": [pd.NaT]})
    cls = classify(accounts, pb, as_of=AS_OF)
    assert CATEGORIES[cls.category[0]] == "Greenfield"
    assert cls.warning_counts() == {"revenue but no purchase date (counted as Greenfield)": 1}


# ---------------------------------------------------------------- findings, frame, objectives


def test_investment_flags_and_frame(pb: Playbook) -> None:
    accounts = pd.DataFrame(
        {
            "account_id": ["big-low", "small-high", "mid"],
            "projected_value": [10_000_000.0, 1.0, 500.0],
            "share_of_wallet": [0.9, 0.05, 0.5],
            "potential": [10.0, 5_000_000.0, 10.0],
        }
    )
    pb = with_values(
        pb,
        {
            "tiering.cutoffs": "value",
            "tiers[0].cutoff": 1_000_000,
            "tiers[1].cutoff": 100_000,
            "tiers[2].cutoff": 1_000,
        },
    )
    cls = classify(accounts, pb, as_of=AS_OF)
    assert cls.over_investment.tolist() == [True, False, False]  # Strategic tier, low potential
    assert cls.under_investment.tolist() == [False, True, False]  # Inside tier, high potential
    frame = classification_frame(cls)
    assert frame["tier"].tolist() == ["Strategic", "Inside", "Inside"]
    assert frame["persona"].tolist() == [PD, LE, PD]
    assert frame["role"].tolist() == ["Account manager", "Business developer", "Account manager"]
    assert frame["touches_per_quarter"].tolist() == [12, 1, 1]
    assert frame["executive_sponsor_entitled"].tolist() == [True, False, False]
    assert frame["marketing"].tolist() == ["1:1", "1:many", "1:many"]
    assert frame["category"].tolist() == [UNCLASSIFIED] * 3  # no revenue column: categories unknown


def test_objectives_follow_category_and_persona(category_accounts: pd.DataFrame, pb: Playbook) -> None:
    cls = classify(category_accounts, pb, as_of=AS_OF)
    objectives = account_objectives(cls)
    greenfield = objectives[objectives["row"] == 0]
    assert set(greenfield["kind"]) >= {"first_purchase", "relationship"}
    beachhead = objectives[
        (objectives["row"] == 7) & (objectives["kind"] == "revenue") & (objectives["scope"] == "category")
    ]
    assert beachhead["target"].tolist() == [60_000]  # revenue x 1.5
    assert (beachhead["due"] == pd.Timestamp("2026-06-30")).all()
    assert not (objectives["row"] == 6).any() or set(objectives.loc[objectives["row"] == 6, "scope"]) == {
        "persona"
    }


# ---------------------------------------------------------------- overrides


def test_override_wins_and_explains(persona_accounts: pd.DataFrame, pb: Playbook) -> None:
    overrides = {
        ("P0", "persona"): Override("P0", "persona", LE, "CIO wants a platform deal"),
        ("P4", "tier"): Override("P4", "tier", "Named", "strategic logo"),
        ("GONE", "persona"): Override("GONE", "persona", SP, ""),
        ("P2", "tier"): Override("P2", "tier", "Platinum", "old playbook"),
    }
    cls = classify(persona_accounts, pb, overrides, as_of=AS_OF)
    assert PERSONAS[cls.persona[0]] == LE and PERSONAS[cls.computed_persona[0]] == PD
    assert cls.pinned_persona.tolist()[:2] == [True, False]
    assert cls.tier[4] == 1 and cls.computed_tier[4] == 3  # tiered by its revenue alone (no wallet)
    assert reason(cls, 4, "tier").endswith(
        "(from what is known: no wallet estimate: potential unknown, counted as 0)"
    )
    assert reason(cls, 0) == (
        "Land & Expand: pinned (CIO wants a platform deal); computed Protect & Defend: "
        "potential $650 < split $800k; share of wallet 35% ≥ split 35%"
    )
    assert any("not in the table" in p for p in cls.override_problems)
    assert any("'Platinum'" in p for p in cls.override_problems)
    cleared = with_overrides(cls, None)
    assert cleared.persona.tolist() == cls.computed_persona.tolist()


def _random_accounts(draw: st.DrawFn, n: int) -> pd.DataFrame:
    values = st.floats(-1e3, 1e7) | st.sampled_from([NAN, INF, -INF, 0.0])
    return pd.DataFrame(
        {
            "account_id": [f"A{i}" for i in range(n)],
            "revenue": draw(st.lists(values, min_size=n, max_size=n)),
            "wallet": draw(st.lists(values, min_size=n, max_size=n)),
        }
    )


@st.composite
def plans(draw: st.DrawFn) -> tuple[pd.DataFrame, dict[tuple[str, str], Override]]:
    n = draw(st.integers(1, 30))
    accounts = _random_accounts(draw, n)
    tier_names = default_playbook().tier_names
    overrides = {}
    for row in draw(st.lists(st.integers(0, n - 1), max_size=n)):
        field = draw(st.sampled_from(["tier", "persona", "category"]))
        choices = {"tier": tier_names, "persona": PERSONAS, "category": CATEGORIES}[field]
        value = draw(st.sampled_from(choices))
        overrides[(f"A{row}", field)] = Override(f"A{row}", field, value, "judgement")
    return accounts, overrides


@settings(max_examples=60, deadline=None)
@given(case=plans(), x_split=st.floats(-1, 2), y_split=st.floats(-1e6, 1e7))
def test_an_override_always_wins(
    case: tuple[pd.DataFrame, dict[tuple[str, str], Override]], x_split: float, y_split: float
) -> None:
    accounts, overrides = case
    pb = default_playbook()
    cls = classify(accounts, pb, overrides, as_of=AS_OF)
    moved = with_splits(cls, x_split, y_split)
    rebuilt = classify(
        accounts,
        with_value(pb, "personas.x_split", {"kind": "value", "value": x_split}),
        overrides,
        as_of=AS_OF,
    )
    for c in (cls, moved, rebuilt):
        for (account, field), o in overrides.items():
            row = int(account[1:])
            assert c.names(field)[getattr(c, field)[row]] == o.value
            assert getattr(c, f"pinned_{field}")[row]
        unpinned = ~c.pinned_persona
        assert (c.persona[unpinned] == c.computed_persona[unpinned]).all()


@settings(max_examples=60, deadline=None)
@given(case=plans(), x_split=st.floats(-1, 2), y_split=st.floats(-1e6, 1e7))
def test_fast_split_path_matches_a_full_classification(
    case: tuple[pd.DataFrame, dict[tuple[str, str], Override]], x_split: float, y_split: float
) -> None:
    accounts, overrides = case
    pb = default_playbook()
    cls = classify(accounts, pb, overrides, as_of=AS_OF)
    full_pb = with_values(
        pb,
        {
            "personas.x_split": {"kind": "value", "value": x_split},
            "personas.y_split": {"kind": "value", "value": y_split},
        },
    )
    full = classify(accounts, full_pb, overrides, as_of=AS_OF)
    assert reclassify_personas(cls, x_split, y_split).tolist() == full.persona.tolist()
    moved = with_splits(cls, x_split, y_split)
    assert moved.over_investment.tolist() == full.over_investment.tolist()
    assert moved.under_investment.tolist() == full.under_investment.tolist()


# ---------------------------------------------------------------- the bundled sample

SAMPLE_HEADERS = {
    "Account ID": "account_id",
    "Account Name": "account_name",
    "Territory": "territory",
    "Account Owner": "owner",
    "Current Revenue (TTM)": "revenue",
    "Wallet Estimate": "wallet",
    "Growth Potential": "potential",
    "Last Purchase": "last_purchase",
    "Products Owned": "products",
    "Business Units Present": "areas",
}


def test_sample_territory_fills_every_box() -> None:
    path = sample_territory()
    if not path.is_file():
        pytest.skip(f"no sample workbook at {path}")
    accounts = pd.read_excel(path, sheet_name="Accounts", engine="openpyxl").rename(columns=SAMPLE_HEADERS)
    cls = classify(accounts, default_playbook(), as_of="2026-11-01")
    assert len(cls) >= 500
    assert set(np.unique(cls.persona)) == set(range(len(PERSONAS)))
    assert set(np.unique(cls.category)) == set(range(len(CATEGORIES)))
    assert set(np.unique(cls.tier)) == {0, 1, 2, 3}
