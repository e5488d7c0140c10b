"""Account plans in the domain: objectives set from templates, edited as data with inverses, completeness."""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tierdesk import paths
from tierdesk.domain.changes import Changed
from tierdesk.domain.objectives import (
    OBJECTIVE_COLUMNS,
    STATUSES,
    Objective,
    completeness,
    generate_objectives,
    objective_records,
    records_table,
)
from tierdesk.domain.plan import (
    AddObjectives,
    Edit,
    PinAccounts,
    Plan,
    PlanInfo,
    RemoveObjectives,
    SetObjectiveValues,
    SetPlanInfo,
)
from tierdesk.domain.plan_objectives import add_objective, new_plan, set_objective, template_objectives
from tierdesk.domain.playbook import CATEGORIES, default_playbook

AS_OF = "2025-07-01"


@cache
def sample_accounts() -> pd.DataFrame:
    from tierdesk.io.load import open_territory

    return open_territory(paths.sample_territory()).accounts


def sample_plan() -> Plan:
    return new_plan(sample_accounts(), default_playbook(), as_of=AS_OF)


def objectives_of_category(plan: Plan, category: str) -> pd.DataFrame:
    rows = np.flatnonzero(plan.classification.category == CATEGORIES.index(category))
    ids = plan.accounts["account_id"].iloc[rows]
    return plan.objectives[plan.objectives["account_id"].isin(ids)]


# ---------------------------------------------------------------- generated from the playbook


def test_every_sample_category_gets_its_objectives() -> None:
    plan = sample_plan()
    o = plan.objectives
    assert list(o.columns) == list(OBJECTIVE_COLUMNS)
    assert {c: str(d) for c, d in o.dtypes.items()} == OBJECTIVE_COLUMNS
    assert o["objective_id"].is_monotonic_increasing and o["objective_id"].is_unique
    greenfield = objectives_of_category(plan, "Greenfield")
    assert len(greenfield) > 0
    per_account = greenfield.groupby("account_id")["kind"].agg(set)
    assert per_account.map(lambda kinds: "first_purchase" in kinds).all()  # every Greenfield account
    first = greenfield[greenfield["kind"] == "first_purchase"]
    assert (first["description"] == "Win a first purchase").all()
    assert (first["due"] == pd.Timestamp("2026-07-01")).all()  # 12 months from the plan date
    assert (first["target_text"] == "done").all() and first["target"].isna().all()
    core = objectives_of_category(plan, "Core")
    assert {"agreement", "breadth"} <= set(core["kind"])
    breadth = core[core["kind"] == "breadth"]
    assert (breadth["target"] == breadth["current"] + 1).all()  # one more geography or function
    beachhead = objectives_of_category(plan, "Beachhead")
    major = beachhead[(beachhead["kind"] == "revenue") & (beachhead["template"] == "category: Beachhead")]
    assert np.allclose(major["target"], major["current"] * 1.5)
    strategic = objectives_of_category(plan, "Strategic")
    assert {"relationship", "referenceability"} <= set(strategic["kind"])
    assert (o["status"] == "Not started").all() and (o["notes"] == "").all()


def test_due_dates_count_from_the_plan_period() -> None:
    info = PlanInfo("Dana", dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    plan = new_plan(sample_accounts().head(40), default_playbook(), as_of=AS_OF, info=info)
    first = plan.objectives[plan.objectives["kind"] == "first_purchase"]
    assert (first["due"] == pd.Timestamp("2027-01-01")).all()
    assert plan.info.period(plan.as_of) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert PlanInfo().period(pd.Timestamp(AS_OF)) == (dt.date(2025, 7, 1), dt.date(2026, 6, 30))
    with pytest.raises(ValueError, match="between 1900 and 2200"):
        PlanInfo("x", dt.date(2262, 1, 1))
    with pytest.raises(ValueError, match="before it starts"):
        PlanInfo("x", dt.date(2026, 2, 1), dt.date(2026, 1, 1))


def test_no_account_id_no_objectives() -> None:
    frame = sample_accounts().head(5).copy()
    frame.loc[2, "account_id"] = pd.NA
    plan = new_plan(frame, default_playbook(), as_of=AS_OF)
    assert not plan.objectives["account_id"].isna().any()
    assert len(plan.objectives_of(2)) == 0
    with pytest.raises(ValueError, match="no account_id"):
        add_objective(plan, 2, "custom", "x")


# ---------------------------------------------------------------- edits and inverses


def test_set_objective_and_its_inverse() -> None:
    plan = sample_plan()
    before = plan.objectives.copy()
    oid = int(plan.objectives["objective_id"].iat[0])
    applied = plan.apply(set_objective(oid, "status", "In progress"))
    assert applied.description == f"Set status of '{before['description'].iat[0]}' to In progress"
    assert applied.what == Changed.OBJECTIVES | Changed.COMPLETENESS
    assert applied.changed_rows.tolist() == [0]
    assert plan.objectives["status"].iat[0] == "In progress"
    assert before["status"].iat[0] == "Not started"  # the table is replaced, not changed in place
    plan.apply(applied.inverse)
    pd.testing.assert_frame_equal(plan.objectives, before, check_exact=True)


def test_add_remove_and_template_on_a_selection() -> None:
    plan = sample_plan()
    before = plan.objectives.copy()
    add = add_objective(plan, 3, "relationship", "Meet the CFO", target=1, due=dt.date(2026, 3, 31))
    applied = plan.apply(add)
    assert applied.description == f"Add objective to {plan.account_label(3)}"
    assert (
        len(plan.objectives_of(3)) == len(before[before["account_id"] == plan.accounts["account_id"][3]]) + 1
    )
    undo = plan.apply(applied.inverse)
    assert isinstance(applied.inverse, RemoveObjectives) and isinstance(undo.inverse, AddObjectives)
    pd.testing.assert_frame_equal(plan.objectives, before, check_exact=True)
    plan.apply(undo.inverse)  # redo adds the same objective, same id
    assert add.objectives[0].objective_id in plan.objectives["objective_id"].tolist()
    template = next(i for i, o in enumerate(plan.playbook.objectives) if o.kind == "first_purchase")
    edit = template_objectives(plan, range(10), template)
    assert edit is not None
    greenfield_already = {
        a
        for a in plan.accounts["account_id"][:10]
        if ((plan.objectives["account_id"] == a) & (plan.objectives["kind"] == "first_purchase")).any()
    }
    assert len(edit.objectives) == 10 - len(greenfield_already)  # accounts that have it are skipped
    assert edit.description == "Apply 'Win a first purchase' to " + (
        f"{10 - len(greenfield_already)} accounts"
    )
    plan.apply(edit)
    assert template_objectives(plan, range(10), template) is None  # nothing left to add
    everything = template_objectives(plan, range(len(plan.accounts)))
    assert everything is None  # every account already holds its own templates


def test_refused_edits_change_nothing() -> None:
    plan = sample_plan()
    before = plan.objectives.copy()
    oid = int(before["objective_id"].iat[5])
    bad: list[Edit] = [
        set_objective(oid, "status", "Done"),
        set_objective(oid, "kind", "upsell"),
        set_objective(oid, "target", "a lot"),
        set_objective(oid, "target", float("inf")),
        set_objective(oid, "due", "next year"),
        set_objective(oid, "due", dt.date(2999, 1, 1)),
        set_objective(oid, "template", "x"),
        set_objective(10**9, "notes", "x"),
        SetObjectiveValues(((oid, "notes", "fine"), (oid, "status", "Done"))),  # all or nothing
        AddObjectives((Objective(oid, "ACC-00149"),)),  # the id is taken
        AddObjectives((Objective(10**9, "NOT-AN-ACCOUNT"),)),
        RemoveObjectives((10**9,)),
    ]
    for edit in bad:
        with pytest.raises((ValueError, KeyError)):
            plan.apply(edit)
        pd.testing.assert_frame_equal(plan.objectives, before, check_exact=True)


def test_plan_info_edit() -> None:
    plan = sample_plan()
    applied = plan.apply(
        SetPlanInfo(PlanInfo("Dana Ortiz", dt.date(2026, 1, 1), dt.date(2026, 12, 31), "FY26"))
    )
    assert plan.info.owner == "Dana Ortiz" and applied.what == Changed.PLAN_INFO | Changed.COMPLETENESS
    assert len(applied.changed_rows) == 0
    plan.apply(applied.inverse)
    assert plan.info == PlanInfo()


def test_records_round_trip_exactly() -> None:
    o = sample_plan().objectives
    pd.testing.assert_frame_equal(records_table(objective_records(o)), o, check_exact=True)


@st.composite
def objective_edits(draw: st.DrawFn, plan: Plan) -> Edit:
    ids = plan.objectives["objective_id"].tolist()
    kind = draw(st.sampled_from(["set", "set", "add", "remove", "template", "info"]))
    if kind == "set" and ids:
        entries = []
        for _ in range(draw(st.integers(1, 4))):
            field = draw(
                st.sampled_from(["kind", "description", "target", "target_text", "due", "status", "notes"])
            )
            value = {
                "kind": st.sampled_from(["revenue", "breadth", "custom"]),
                "description": st.text(max_size=20),
                "target_text": st.text(max_size=10),
                "notes": st.text(max_size=30),
                "status": st.sampled_from(STATUSES),
                "target": st.none() | st.floats(-1e9, 1e9, allow_nan=False),
                "due": st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)),
            }[field]
            entries.append((draw(st.sampled_from(ids)), field, draw(value)))
        return SetObjectiveValues(tuple(entries))
    if kind == "remove" and ids:
        return RemoveObjectives(
            tuple(draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True)))
        )
    if kind == "template":
        edit = template_objectives(
            plan,
            draw(st.lists(st.integers(0, len(plan.accounts) - 1), min_size=1, max_size=5)),
            draw(st.none() | st.integers(0, len(plan.playbook.objectives) - 1)),
            skip_existing=draw(st.booleans()),
        )
        if edit is not None:
            return edit
    if kind == "info":
        return SetPlanInfo(
            PlanInfo(
                draw(st.text(max_size=8)),
                draw(st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31))),
                None,
            )
        )
    return add_objective(
        plan,
        draw(st.integers(0, len(plan.accounts) - 1)),
        "custom",
        draw(st.text(max_size=10)),
        target=draw(st.none() | st.floats(0, 100)),
    )


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_every_objective_edit_then_its_inverse_gives_back_the_same_objectives(data: st.DataObject) -> None:
    plan = new_plan(sample_accounts().head(30), default_playbook(), as_of=AS_OF)
    for _ in range(data.draw(st.integers(1, 5))):
        edit = data.draw(objective_edits(plan))
        before, info = plan.objectives.copy(), plan.info
        try:
            applied = plan.apply(edit)
        except (ValueError, KeyError):
            pd.testing.assert_frame_equal(plan.objectives, before, check_exact=True)
            continue
        after, after_info = plan.objectives.copy(), plan.info
        assert applied.description
        plan.apply(applied.inverse)
        pd.testing.assert_frame_equal(plan.objectives, before, check_exact=True)
        assert plan.info == info
        plan.apply(edit)  # redo: the same edit again gives the same result
        pd.testing.assert_frame_equal(plan.objectives, after, check_exact=True)
        assert plan.info == after_info


# ---------------------------------------------------------------- completeness


def test_completeness_per_account_and_for_the_territory() -> None:
    plan = sample_plan()
    done = plan.completeness()
    assert len(done) == len(plan.accounts)
    assert (done["complete"] == 1).all() and plan.territory_completeness() == 1.0
    oid = int(plan.objectives_of(0)["objective_id"].iat[0])
    plan.apply(SetObjectiveValues(((oid, "due", None), (oid, "target", None), (oid, "target_text", " "))))
    row = plan.completeness().iloc[0]
    assert row["missing"] == "1 without a target; 1 without a due date"
    count = row["objectives"]
    assert row["complete"] == pytest.approx((1 + (count - 1) / count * 2 + 1) / 4)
    ids = tuple(plan.objectives_of(1)["objective_id"])
    plan.apply(RemoveObjectives(ids))
    assert plan.completeness()["missing"].iat[1] == "no objectives"
    assert plan.completeness()["complete"].iat[1] == 0.25  # only the owner check passes
    assert plan.territory_completeness() < 1


def test_completeness_without_an_owner_column_uses_the_plan_owner() -> None:
    frame = sample_accounts().head(3).drop(columns="owner")
    plan = new_plan(frame, default_playbook(), as_of=AS_OF)
    assert set(plan.completeness()["missing"]) == {"no owner"}
    plan.apply(SetPlanInfo(PlanInfo("Dana")))
    assert set(plan.completeness()["missing"]) == {""}


def test_completeness_counts_objectives_for_every_row_of_a_repeated_id() -> None:
    frame = sample_accounts().head(4).copy()
    frame.loc[3, "account_id"] = frame.loc[0, "account_id"]
    table = generate_objectives(Plan(frame, default_playbook(), as_of=AS_OF).classification)
    done = completeness(frame, table)
    assert done["objectives"].iat[0] == done["objectives"].iat[3] > 0


def test_pins_and_objectives_share_one_plan() -> None:
    plan = sample_plan()
    pin = plan.apply(PinAccounts((0,), "tier", "Strategic", "logo"))
    assert len(plan.objectives_of(0)) > 0  # a pin leaves the account plan alone
    plan.apply(pin.inverse)
