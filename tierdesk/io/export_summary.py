"""The plan workbook's Summary sheet: plan details, the pyramid and the 2x2 as tables with charts, coverage,
the playbook figures used, completeness per territory, and notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from tierdesk.domain.governance import governance_violations
from tierdesk.domain.playbook import CATEGORIES, PERSONAS, UNCLASSIFIED
from tierdesk.domain.reasons import axis_text, money, percent
from tierdesk.domain.workload import book_table
from tierdesk.io.excel_cells import Formats, TextNotes, visible_texts

if TYPE_CHECKING:
    from tierdesk.io.plan_file import PlanFile

SUMMARY = "Summary"


class Lines:
    """Writes a sheet top to bottom (constant-memory mode needs rows in order)."""

    def __init__(self, ws: Worksheet, notes: TextNotes) -> None:
        self.ws, self.notes, self.row = ws, notes, 0

    def put(self, values: Sequence[Any], formats: Sequence[Any] | Any = None, col: int = 0) -> int:
        texts = visible_texts(
            np.array([v if isinstance(v, str) else None for v in values], dtype=object), self.notes
        )
        for i, v in enumerate(values):
            f = formats[i] if isinstance(formats, list | tuple) else formats
            if isinstance(v, str):
                self.ws.write_string(self.row, col + i, texts[i], f)
            elif isinstance(v, bool):
                self.ws.write_boolean(self.row, col + i, v, f)
            elif isinstance(v, int | float | np.integer | np.floating) and np.isfinite(v):
                self.ws.write_number(self.row, col + i, float(v), f)
            elif isinstance(v, dt.date):
                self.ws.write_datetime(self.row, col + i, v, f)
            elif f is not None:
                self.ws.write_blank(self.row, col + i, None, f)
        self.row += 1
        return self.row - 1

    def skip(self, n: int = 1) -> None:
        self.row += n


def _chart(
    wb: Workbook,
    ws: Worksheet,
    title: str,
    first: int,
    last: int,
    value_col: int,
    at: tuple[int, int],
    kind: str = "column",
) -> None:
    chart = wb.add_chart({"type": kind})
    chart.add_series(
        {
            "name": title,
            "categories": [SUMMARY, first, 0, last, 0],
            "values": [SUMMARY, first, value_col, last, value_col],
            "data_labels": {"value": True},
            "fill": {"color": "#2E75B6"},
        }
    )
    chart.set_title({"name": title, "name_font": {"size": 11}})
    chart.set_legend({"none": True})
    chart.set_size({"width": 430, "height": 250})
    ws.insert_chart(at[0], at[1], chart, {"x_offset": 10, "y_offset": 4})


def write_summary(
    wb: Workbook,
    state: PlanFile,
    fmt: Formats,
    notes: TextNotes,
    saved: dt.datetime,
    messages: Sequence[str],
    sheets: Sequence[str],
) -> None:
    ws = wb.get_worksheet_by_name(SUMMARY)
    assert ws is not None
    cls, cov, pb = state.classification(), state.coverage(), state.playbook
    done = state.completeness()
    cur = pb.currency
    box = fmt.boxed
    m, pc, num, whole, cell = box["money"], box["percent"], box["number"], box["integer"], fmt.cell
    head = fmt.summary_header
    ws.set_column(0, 0, 34)
    ws.set_column(1, 2, 22)
    ws.set_column(3, 9, 16)
    ws.set_column(10, 22, 10)
    w = Lines(ws, notes)
    start, end = state.info.period(state.as_of)
    w.put([f"Account plans: {state.info.title or pb.name}"], fmt.title)
    w.skip()
    source = state.source_file + (f" (sheet '{state.source_sheet}')" if state.source_sheet else "")
    facts: list[tuple[str, Any, Any]] = [
        ("Plan date", state.as_of.date(), box["date"]),
        ("Plan period", f"{start} to {end}", None),
        ("Plan owner", state.info.owner or "(not set)", None),
        ("Source file", source or "(none)", None),
        ("Saved", saved, box["datetime"]),
        ("Playbook", pb.name, None),
        ("Accounts", len(state.accounts), whole),
        ("Objectives", len(state.objectives), whole),
        ("Plan completeness", float(done["complete"].mean()) if len(done) else None, pc),
        ("Complete account plans", int((done["complete"] >= 1).sum()), whole),
        ("Overrides", len(state.overrides), whole),
        ("Sheets", ", ".join(sheets), None),
        ("Saved by", f"tierdesk {state.version}", None),
    ]
    for label, value, f in facts:
        w.put([label, value], [fmt.label, f or cell])
    w.skip()

    # the pyramid, with its charts beside it
    w.put(["Tier pyramid"], fmt.section)
    w.put(
        [
            "Tier",
            "Accounts",
            "Share of Accounts",
            "Revenue",
            "Sellers Needed",
            "Cost of Sales",
            "Cutoff (Projected Value)",
        ],
        head,
    )
    tiers = cov.by_tier
    names = [*pb.tier_names, *([UNCLASSIFIED] if UNCLASSIFIED in tiers.index else [])]
    cutoffs = [*cls.tier_cutoffs.tolist(), None, None]
    first = w.row
    total = max(int(tiers["accounts"].sum()), 1)
    for i, name in enumerate(names):
        r: Any = tiers.loc[name]
        w.put(
            [
                name,
                int(r["accounts"]),
                r["accounts"] / total,
                r["revenue"],
                r["sellers"],
                r["cost"],
                cutoffs[i] if i < len(pb.tiers) else None,
            ],
            [cell, whole, pc, m, num, m, m],
        )
    last = w.row - 1
    w.put(
        ["Total", int(tiers["accounts"].sum()), 1.0, tiers["revenue"].sum(), cov.sellers, cov.cost],
        [fmt.label, whole, pc, m, num, m],
    )
    _chart(wb, ws, "Accounts per tier", first, last, 1, (first - 2, 8))
    _chart(wb, ws, "Sellers needed per tier", first, last, 4, (first - 2, 15))
    w.skip(max(0, 14 - (w.row - first)))

    # the 2x2
    w.put(["Persona matrix: growth potential × share of wallet"], fmt.section)
    counts = cov.by_persona["accounts"]
    w.put(["Accounts", "Low share of wallet", "High share of wallet"], head)
    for label, (low, high) in (("High potential", (1, 0)), ("Low potential", (3, 2))):
        w.put([label, PERSONAS[low], PERSONAS[high]], [fmt.label, cell, cell])
        w.put(
            ["", int(counts.get(PERSONAS[low], 0)), int(counts.get(PERSONAS[high], 0))],
            [fmt.label, whole, whole],
        )
    w.skip()
    w.put(["Persona", "Accounts", "Revenue", "Sellers Needed", "Cost of Sales", "Seller Role"], head)
    first = w.row
    roles = [*pb.personas.roles, ""]
    for i, name in enumerate([*PERSONAS, *([UNCLASSIFIED] if UNCLASSIFIED in cov.by_persona.index else [])]):
        r = cov.by_persona.loc[name]
        w.put(
            [name, int(r["accounts"]), r["revenue"], r["sellers"], r["cost"], roles[i]],
            [cell, whole, m, num, m, cell],
        )
    _chart(wb, ws, "Accounts per persona", first, first + len(PERSONAS) - 1, 1, (first - 7, 8), "bar")
    w.skip()
    w.put(["Relationship category", "Accounts", "Revenue"], head)
    codes = cls.category
    revenue = np.nan_to_num(cls.revenue)
    first = w.row
    for i, name in enumerate([*CATEGORIES, UNCLASSIFIED]):
        mask = codes == (i if i < len(CATEGORIES) else -1)
        if i < len(CATEGORIES) or mask.any():
            w.put([name, int(mask.sum()), float(revenue[mask].sum())], [cell, whole, m])
    _chart(
        wb,
        ws,
        "Accounts per relationship category",
        first,
        first + len(CATEGORIES) - 1,
        1,
        (first - 1, 15),
        "bar",
    )
    w.skip(2)

    # coverage
    w.put(["Coverage"], fmt.section)
    for label, value, f in [
        ("Sellers needed", cov.sellers, num),
        ("Cost of sales", cov.cost, m),
        ("Revenue covered", cov.revenue, m),
        ("Cost of sales share of revenue", cov.cost_share, box["percent1"]),
        ("Over-investment (accounts)", cov.over_investment, whole),
        ("Under-investment (accounts)", cov.under_investment, whole),
        ("Not covered (accounts)", cov.uncovered, whole),
    ]:
        w.put([label, value], [fmt.label, f])
    w.skip()
    w.put(["Governance"], fmt.section)  # caps, and turnover when the plan has a previous period
    broken = governance_violations(cls, state.accounts, state.previous)
    for v in broken:
        w.put([v.rule, v.message], [fmt.label, cell])
    if not broken:
        w.put(["No governance rule broken" if pb.governance else "No governance rules in the playbook"])
    if state.previous is not None:
        w.put(["Turnover checked against", state.previous.title], [fmt.label, cell])
    elif pb.governance.turnover:
        w.put(["Turnover not checked: this plan has no previous period to compare with"])
    w.skip()
    w.put(
        [
            "Seller Role",
            "Capacity Unit",
            "Capacity",
            "Cost per Seller",
            "Headcount",
            "Accounts",
            "Workload",
            "Sellers Needed",
            "Cost of Sales",
        ],
        head,
    )
    for role in pb.roles:
        r = cov.by_role.loc[role.name]
        w.put(
            [
                role.name,
                role.capacity_unit,
                role.capacity,
                role.cost,
                role.headcount,
                int(r["accounts"]),
                r["workload"],
                r["sellers"],
                r["cost"],
            ],
            [cell, cell, cell, m, cell, whole, num, num, m],
        )
    w.skip()
    _seller_loads(wb, ws, w, state, fmt)

    # the playbook figures this plan used
    w.put(["Playbook figures used"], fmt.section)
    w.put(
        [
            "Tier",
            "Cutoff Kind",
            "Cutoff",
            "In Projected Value",
            "Role",
            "Touches / Quarter",
            "Executive Sponsor",
            "Business Reviews / Year",
            "Marketing",
            "Support",
        ],
        head,
    )
    for i, t in enumerate(pb.tiers):
        w.put(
            [
                t.name,
                pb.cutoff_kind if t.cutoff is not None else "the rest",
                t.cutoff,
                cutoffs[i] if t.cutoff is not None else None,
                t.role,
                t.touches_per_quarter,
                "Yes" if t.executive_sponsor else "No",
                t.business_reviews_per_year,
                t.marketing,
                t.support,
            ],
            [cell, cell, cell, m, cell, cell, cell, cell, cell, cell],
        )
    w.skip()
    p, c = pb.personas, pb.categories
    w.put(["Split line or threshold", "Kind", "Setting", "In Data Units"], head)
    lines = [
        ("Share-of-wallet split (x)", p.x_split, str(axis_text(p.x, cls.x_split, cur)[0])),
        ("Growth-potential split (y)", p.y_split, str(axis_text(p.y, cls.y_split, cur)[0])),
        ("Beachhead revenue below", c.beachhead_revenue, str(money(cls.category_thresholds[0], cur)[0])),
        ("Strategic revenue from", c.strategic_revenue, str(money(cls.category_thresholds[1], cur)[0])),
        ("Strategic share of wallet from", c.strategic_share, str(percent(cls.category_thresholds[2])[0])),
    ]
    for label, threshold, units in lines:
        w.put([label, threshold.kind, threshold.value, units], [fmt.label, cell, cell, cell])
    w.put(["Greenfield: no purchase for (years)", "", c.greenfield_years], [fmt.label, cell, cell])
    w.put([f"Core: {c.breadth} at least", "", c.core_min_breadth], [fmt.label, cell, cell])
    w.skip()

    _completeness_by(w, state, done, fmt)
    if messages:
        w.skip()
        w.put(["Notes"], fmt.section)
        for text in messages:
            w.put([text])
    ws.set_landscape()
    ws.fit_to_pages(1, 0)  # printed one page wide, charts included
    ws.activate()
    ws.set_first_sheet()


#: sellers listed one by one on the Summary (and in its chart); the Sellers sheet lists them all
SUMMARY_SELLERS = 60


def _seller_loads(wb: Workbook, ws: Worksheet, w: Lines, state: PlanFile, fmt: Formats) -> None:
    """The sellers' books: accounts, load (workload / capacity) and revenue per seller, and a bar chart of
    the loads beside them."""
    table = book_table(state.books())
    team = table[table["in_team"].to_numpy(bool)].head(SUMMARY_SELLERS)
    if not len(team):
        return
    tolerance = state.playbook.sellers.tolerance
    w.put(
        [
            f"Sellers' books: load = workload / capacity (balanced: {1 - tolerance:.0%} to "
            f"{1 + tolerance:.0%})"
        ],
        fmt.section,
    )
    w.put(["Seller", "Role", "Accounts", "Load", "Revenue"], fmt.summary_header)
    first = w.row
    box = fmt.boxed
    for r in team.to_dict("records"):
        w.put(
            [str(r["seller"]), str(r["role"]), int(r["accounts"]), float(r["load"]), float(r["revenue"])],
            [fmt.cell, fmt.cell, box["integer"], box["percent"], box["money"]],
        )
    last = w.row - 1
    for r in table[~table["in_team"].to_numpy(bool)].to_dict("records"):
        w.put(
            [str(r["seller"]), "(not in the team)", int(r["accounts"]), None, float(r["revenue"])],
            [fmt.cell, fmt.cell, box["integer"], fmt.cell, box["money"]],
        )
    if int(table["in_team"].sum()) > len(team):
        w.put([f"…and {int(table['in_team'].sum()) - len(team):,} more sellers on the Sellers sheet"])
    chart = wb.add_chart({"type": "bar"})
    chart.add_series(
        {
            "name": "Load",
            "categories": [SUMMARY, first, 0, last, 0],
            "values": [SUMMARY, first, 3, last, 3],
            "data_labels": {"value": True, "num_format": "0%"},
            "fill": {"color": "#2E75B6"},
        }
    )
    chart.set_title({"name": "Load per seller", "name_font": {"size": 11}})
    chart.set_legend({"none": True})
    chart.set_x_axis({"num_format": "0%", "min": 0})
    chart.set_y_axis({"reverse": True})
    height = max(250, 22 * len(team) + 80)
    chart.set_size({"width": 430, "height": height})
    ws.insert_chart(first - 2, 8, chart, {"x_offset": 10, "y_offset": 4})
    w.skip(max(1, height // 20 - (w.row - first) + 1))


def _completeness_by(w: Lines, state: PlanFile, done: pd.DataFrame, fmt: Formats) -> None:
    for column, label in (("territory", "Territory"), ("owner", "Owner")):
        if column not in state.accounts.columns:
            continue
        keys = state.accounts[column].astype("string").fillna("(none)")
        groups = pd.DataFrame(
            {
                "key": keys.to_numpy(object),
                "score": done["complete"].to_numpy(),
                "full": (done["complete"] >= 1).to_numpy(),
            }
        ).groupby("key", sort=True)
        table = groups.agg(
            accounts=("score", "size"), completeness=("score", "mean"), complete=("full", "sum")
        )
        w.put([f"Completeness by {label.lower()}"], fmt.section)
        w.put([label, "Accounts", "Completeness", "Complete Plans"], fmt.summary_header)
        for key, r in table.head(1000).iterrows():
            w.put(
                [str(key), int(r["accounts"]), float(r["completeness"]), int(r["complete"])],
                [fmt.cell, fmt.boxed["integer"], fmt.boxed["percent"], fmt.boxed["integer"]],
            )
        if len(table) > 1000:
            w.put([f"…and {len(table) - 1000:,} more"])
        w.skip()
