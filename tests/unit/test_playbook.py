"""The playbook file: defaults, validation naming the key at fault, round trips and single-value edits."""

from __future__ import annotations

import copy
import tomllib
from typing import Any

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from tierdesk.domain.playbook import (
    CATEGORIES,
    PERSONAS,
    PlaybookError,
    Threshold,
    default_playbook,
    dump_playbook,
    load_playbook,
    parse_playbook,
    playbook_from_dict,
)
from tierdesk.domain.playbook_edits import get_value, with_tier_renamed, with_value
from tierdesk.paths import default_playbook_path


@pytest.fixture
def raw() -> dict[str, Any]:
    """The default playbook file as parsed TOML, to break in one place per test."""
    return tomllib.loads(default_playbook_path().read_text(encoding="utf-8"))


def error_for(data: dict[str, Any]) -> PlaybookError:
    with pytest.raises(PlaybookError) as info:
        playbook_from_dict(data, "mine.toml")
    return info.value


def test_default_playbook_carries_the_method() -> None:
    pb = default_playbook()
    assert pb.tier_names == ("Strategic", "Named", "Field", "Inside")
    assert pb.cutoff_kind == "percentile"
    assert [t.cutoff for t in pb.tiers] == [0.97, 0.85, 0.5, None]
    assert [t.marketing for t in pb.tiers] == ["1:1", "1:few", "1:few", "1:many"]
    assert pb.score == (("revenue", 1.0), ("potential", 0.5))
    assert pb.personas.x == (("share_of_wallet", 1.0),)
    assert pb.personas.y == (("potential", 1.0),)
    assert pb.personas.x_split == Threshold("value", 0.35)
    assert pb.personas.roles[PERSONAS.index("Land & Expand")] == "Business developer"
    assert pb.categories.greenfield_years == 3
    assert pb.categories.core_min_breadth == 2
    assert {o.group for o in pb.objectives if o.scope == "category"} == set(CATEGORIES)
    assert {o.group for o in pb.objectives if o.scope == "persona"} == set(PERSONAS)
    assert {o.kind for o in pb.objectives} >= {
        "revenue",
        "first_purchase",
        "agreement",
        "breadth",
        "relationship",
        "referenceability",
        "average_deal_size",
    }
    # only the documented optional workloads of "accounts" roles were filled in
    assert all(".workload = " in d for d in pb.defaults_filled)
    assert len(pb.defaults_filled) == 2


def test_dump_then_parse_round_trips() -> None:
    pb = default_playbook()
    again = parse_playbook(dump_playbook(pb), "again.toml")
    assert again == pb
    assert parse_playbook(dump_playbook(again)) == pb


@settings(max_examples=40, deadline=None)
@given(
    cuts=st.lists(st.integers(1, 5000), min_size=1, max_size=5, unique=True),
    x_split=st.floats(0, 1),
    y_pct=st.floats(0, 1),
    headcount=st.none() | st.integers(0, 500),
    extra=st.dictionaries(
        st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True),
        st.integers(-5, 5) | st.text(max_size=8) | st.booleans(),
        max_size=3,
    ),
)
def test_round_trip_any_valid_playbook(
    cuts: list[int], x_split: float, y_pct: float, headcount: int | None, extra: dict[str, Any]
) -> None:
    pb = default_playbook()
    data = tomllib.loads(dump_playbook(pb))
    tiers = [copy.deepcopy(data["tiers"][min(i, 2)]) for i in range(len(cuts))] + [data["tiers"][-1]]
    names = [f"T{i}" for i in range(len(cuts))] + ["Rest"]
    for tier, name, cut in zip(tiers, names, [*sorted(cuts), None], strict=True):
        tier["name"] = name
        tier.pop("cutoff", None)
        if cut is not None:
            tier["cutoff"] = cut
    tiers[0]["extra"] = extra
    data["tiers"] = tiers
    data["tiering"]["cutoffs"] = "rank"
    for role in data["roles"]:
        role["workload"] = dict.fromkeys(names, 1)
        if headcount is not None:
            role["headcount"] = headcount
    data["mismatch"] = {"high_touch": [names[0]], "low_touch": ["Rest"]}
    data.pop("governance", None)  # its rules name the default tiers
    data.pop("sellers", None)  # so does keep_owner
    data["personas"]["x_split"] = {"kind": "value", "value": x_split}
    data["personas"]["y_split"] = {"kind": "percentile", "value": y_pct}
    built = playbook_from_dict(data)
    assert built.tier_names == tuple(names)
    assert parse_playbook(dump_playbook(built)) == built
    assert parse_playbook(tomli_w.dumps(data)) == built


def test_cutoffs_out_of_order_name_both_keys(raw: dict[str, Any]) -> None:
    raw["tiers"][1]["cutoff"] = 0.4
    raw["tiers"][2]["cutoff"] = 0.5
    err = error_for(raw)
    assert err.key == "tiers[2].cutoff"
    assert str(err) == "tiers[2].cutoff: must be below tiers[1].cutoff (0.5 ≥ 0.4) (in mine.toml)"


def test_rank_cutoffs_must_rise(raw: dict[str, Any]) -> None:
    raw["tiering"]["cutoffs"] = "rank"
    for tier, cut in zip(raw["tiers"], [50, 300, 200], strict=False):
        tier["cutoff"] = cut
    err = error_for(raw)
    assert err.key == "tiers[2].cutoff"
    assert "must be above tiers[1].cutoff" in str(err)


def test_rank_cutoff_must_be_a_whole_number(raw: dict[str, Any]) -> None:
    raw["tiering"]["cutoffs"] = "rank"
    for tier, cut in zip(raw["tiers"], [50.0, 300, 900], strict=False):
        tier["cutoff"] = cut
    assert error_for(raw).key == "tiers[0].cutoff"


def test_missing_key_is_named(raw: dict[str, Any]) -> None:
    del raw["tiers"][1]["touches_per_quarter"]
    err = error_for(raw)
    assert err.key == "tiers[1].touches_per_quarter"
    assert "missing" in str(err)


def test_wrong_type_is_named(raw: dict[str, Any]) -> None:
    raw["tiers"][0]["executive_sponsor"] = "yes"
    err = error_for(raw)
    assert err.key == "tiers[0].executive_sponsor"
    assert "true or false" in err.problem


def test_boolean_is_not_a_number(raw: dict[str, Any]) -> None:
    raw["roles"][0]["capacity"] = True
    assert error_for(raw).key == "roles[0].capacity"


@pytest.mark.parametrize("count", [1, 7])
def test_tier_count_is_2_to_6(raw: dict[str, Any], count: int) -> None:
    tiers = [copy.deepcopy(raw["tiers"][0]) for _ in range(count)]
    for i, t in enumerate(tiers):
        t["name"], t["cutoff"] = f"T{i}", 0.9 - i * 0.1
    del tiers[-1]["cutoff"]
    raw["tiers"] = tiers
    err = error_for(raw)
    assert err.key == "tiers"
    assert f"has {count}" in str(err)


def test_last_tier_has_no_cutoff(raw: dict[str, Any]) -> None:
    raw["tiers"][3]["cutoff"] = 0.1
    assert error_for(raw).key == "tiers[3].cutoff"


def test_percentile_written_as_percent_is_refused(raw: dict[str, Any]) -> None:
    raw["tiers"][0]["cutoff"] = 95
    err = error_for(raw)
    assert err.key == "tiers[0].cutoff"
    assert "0.95" in str(err)


def test_split_percentile_out_of_range(raw: dict[str, Any]) -> None:
    raw["personas"]["y_split"] = {"kind": "percentile", "value": 75}
    assert error_for(raw).key == "personas.y_split.value"


def test_unknown_key_is_refused_not_ignored(raw: dict[str, Any]) -> None:
    raw["tiers"][2]["touchs_per_quarter"] = 3
    err = error_for(raw)
    assert err.key == "tiers[2].touchs_per_quarter"
    assert "unknown key" in str(err)


def test_unknown_role_and_workload_tier(raw: dict[str, Any]) -> None:
    broken = copy.deepcopy(raw)
    broken["personas"]["roles"]["land_and_expand"] = "Hunter"
    assert error_for(broken).key == "personas.roles.land_and_expand"
    broken = copy.deepcopy(raw)
    del broken["roles"][0]["workload"]["Field"]
    assert error_for(broken).key == "roles[0].workload.Field"
    broken = copy.deepcopy(raw)
    broken["roles"][0]["workload"]["Gold"] = 3
    assert error_for(broken).key == "roles[0].workload.Gold"


def test_hours_role_needs_its_workload(raw: dict[str, Any]) -> None:
    del raw["roles"][0]["workload"]  # an "hours" role: no default workload
    assert error_for(raw).key == "roles[0].workload"


def test_unknown_formula_field(raw: dict[str, Any]) -> None:
    raw["tiering"]["score"]["revnue"] = 1.0
    assert error_for(raw).key == "tiering.score.revnue"
    raw["tiering"]["score"] = {"projected_value": 1.0}
    assert error_for(raw).key == "tiering.score.projected_value"


def test_category_thresholds_in_order(raw: dict[str, Any]) -> None:
    raw["categories"]["beachhead_revenue"] = {"kind": "percentile", "value": 0.95}
    err = error_for(raw)
    assert err.key == "categories.beachhead_revenue.value"
    assert "(0.95 ≥ 0.9)" in str(err)


def test_mismatch_names_tiers(raw: dict[str, Any]) -> None:
    raw["mismatch"]["low_touch"] = ["Digital"]
    assert error_for(raw).key == "mismatch.low_touch"
    raw["mismatch"]["low_touch"] = ["Named"]
    assert error_for(raw).key == "mismatch.low_touch"


def test_objective_errors_are_named(raw: dict[str, Any]) -> None:
    broken = copy.deepcopy(raw)
    broken["objectives"][2]["kind"] = "upsell"
    assert error_for(broken).key == "objectives[2].kind"
    broken = copy.deepcopy(raw)
    broken["objectives"][0]["persona"] = "Land & Expand"  # and category: two scopes
    assert error_for(broken).key == "objectives[0].category"
    broken = copy.deepcopy(raw)
    del broken["objectives"][5]["target"]["field"]
    assert error_for(broken).key == "objectives[5].target.field"


def test_optional_keys_fill_documented_defaults_and_say_so(raw: dict[str, Any]) -> None:
    del raw["categories"]["greenfield_years"]
    del raw["mismatch"]
    del raw["coverage"]
    pb = playbook_from_dict(raw)
    assert pb.categories.greenfield_years == 3
    assert pb.high_touch == ("Strategic",) and pb.low_touch == ("Inside",)
    assert pb.role_from == "persona"
    assert "categories.greenfield_years = 3" in pb.defaults_filled
    assert "mismatch.high_touch = ['Strategic']" in pb.defaults_filled
    assert "coverage.role_from = 'persona'" in pb.defaults_filled


def test_user_values_are_kept(raw: dict[str, Any]) -> None:
    raw["categories"]["greenfield_years"] = 5
    pb = playbook_from_dict(raw)
    assert pb.categories.greenfield_years == 5
    assert not any(d.startswith("categories.greenfield_years") for d in pb.defaults_filled)


def test_invalid_toml_and_file_name(tmp_path: Any) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("name = \n", encoding="utf-8")
    with pytest.raises(PlaybookError) as info:
        load_playbook(path)
    assert "broken.toml" in str(info.value)
    assert "not valid TOML" in str(info.value)


def test_with_value_validates_and_round_trips() -> None:
    pb = default_playbook()
    moved = with_value(pb, "personas.x_split.value", 0.4)
    assert moved.personas.x_split == Threshold("value", 0.4)
    assert get_value(moved, "personas.x_split.value") == 0.4
    assert with_value(moved, "personas.x_split.value", 0.35) == pb
    assert get_value(pb, "tiers[1].touches_per_quarter") == 6
    assert get_value(pb, "roles[0].headcount") is None
    assert with_value(pb, "roles[0].headcount", 4).roles[0].headcount == 4
    with pytest.raises(PlaybookError) as info:
        with_value(pb, "tiers[2].cutoff", 0.9)
    assert info.value.key == "tiers[2].cutoff"
    with pytest.raises(PlaybookError) as info:
        with_value(pb, "tiers[9].cutoff", 0.1)
    assert info.value.key == "tiers[9].cutoff"
    with pytest.raises(PlaybookError):
        with_value(pb, "tiers[1].role", None)  # removing a required key


def test_rename_tier_renames_every_reference() -> None:
    pb = with_tier_renamed(default_playbook(), 1, "Key")
    assert pb.tier_names == ("Strategic", "Key", "Field", "Inside")
    assert pb.high_touch == ("Strategic", "Key")
    assert pb.roles[0].workload == default_playbook().roles[0].workload
    with pytest.raises(PlaybookError):
        with_tier_renamed(pb, 1, "Strategic")
