"""The plan workbook's Summary sheet: plan details, the pyramid and the 2x2 as tables with charts, coverage,
the playbook figures used, completeness per territory, and notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from tierdesk.domain.governance import governance_violations
from tierdesk.domain.playbook import CATEGORIES, PERSONAS, UNCLASSIFIED
from tierdesk.domain.texts import axis_text, money, percent
from tierdesk.domain.workload import book_table
from tierdesk.io.excel_cells import Formats, TextNotes, visible_texts
from tierdesk.io.plan_format import SUMMARY
from tierdesk.io.print_setup import PageSetup, page_breaks, print_scale
from tierdesk.io.snapshot import PlanSnapshot

HEADER_HEIGHT = 30  # points: a header row of two lines


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

    def header(self, values: Sequence[str], fmt: Any) -> int:
        """A table's header row, two lines high: long headers wrap rather than being cut off."""
        self.ws.set_row(self.row, HEADER_HEIGHT)
        return self.put(values, fmt)

    def skip(self, n: int = 1) -> None:
        self.row += n


COLUMNS = ((0, 0, 30), (1, 2, 22), (3, 8, 14), (9, 9, 28))  # (first, last, width): the tables' columns
CHART_SIZE = (600, 280)  # pixels: two side by side fill the Summary's printed width
CHART_ROWS = 15  # rows the charts take (280 px over rows of 20 px, and a margin)
SECOND_CHART_COLUMN = 4  # the second chart of a pair starts at column E


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
    chart.set_size({"width": CHART_SIZE[0], "height": CHART_SIZE[1]})
    ws.insert_chart(at[0], at[1], chart, {"x_offset": 4, "y_offset": 4})


def plan_page(state: PlanSnapshot) -> PageSetup:
    """The printed pages' header of a plan workbook: its name and period."""
    start, end = state.info.period(state.as_of)
    return PageSetup(f"Account plans: {state.info.title or state.playbook.name}", f"{start} to {end}")


class _Summary:
    """The Summary sheet written block by block; each block (its tables and their charts) prints whole."""

    def __init__(self, wb: Workbook, state: PlanSnapshot, fmt: Formats, notes: TextNotes) -> None:
        ws = wb.get_worksheet_by_name(SUMMARY)
        assert ws is not None
        self.wb, self.ws, self.state, self.fmt = wb, ws, state, fmt
        self.cls, self.cov, self.pb = state.classification(), state.coverage(), state.playbook
        self.w = Lines(ws, notes)
        self.blocks: list[tuple[int, int]] = []  # (first row, rows)
        self._start = 0

    def block(self) -> None:
        """Close the block written since the last call (a blank row after it)."""
        self.blocks.append((self._start, self.w.row - self._start))
        self.w.skip()
        self._start = self.w.row

    def charts(self, *charts: tuple[str, int, int, int, str]) -> None:
        """Charts side by side below the table just written: (title, first row, last row, value column,
        kind)."""
        for i, (title, first, last, col, kind) in enumerate(charts):
            _chart(self.wb, self.ws, title, first, last, col, (self.w.row, i * SECOND_CHART_COLUMN), kind)
        self.w.skip(CHART_ROWS)


def write_summary(
    wb: Workbook,
    state: PlanSnapshot,
    fmt: Formats,
    notes: TextNotes,
    saved: dt.datetime,
    messages: Sequence[str],
    sheets: Sequence[str],
) -> None:
    """The Summary sheet, laid out to print on a few landscape pages with every chart whole."""
    s = _Summary(wb, state, fmt, notes)
    ws = s.ws
    for first, last, width in COLUMNS:
        ws.set_column(first, last, width)
    _facts(s, saved, sheets)
    _pyramid(s)
    _personas(s)
    _coverage(s)
    _seller_loads(s)
    _playbook_figures(s)
    _completeness_by(s)
    if messages:
        s.w.put(["Notes"], fmt.section)
        for text in messages:
            s.w.put([text])
        s.block()
    page = plan_page(state)
    page.apply(ws)
    ws.center_horizontally()
    widths = [w for first, last, w in COLUMNS for _ in range(first, last + 1)]
    scale = print_scale(widths, page.paper)
    ws.set_print_scale(scale)  # a scale, not "fit to": Excel keeps manual page breaks only then
    ws.set_h_pagebreaks(page_breaks(s.blocks, page.rows_per_page(scale) - PAGE_SLACK))
    first, rows = s.blocks[-1]
    ws.print_area(0, 0, first + rows - 1, len(widths) - 1)  # text running past column J stays off
    ws.activate()
    ws.set_first_sheet()


PAGE_SLACK = 3  # rows kept free on a page: the title and section rows are taller than the rest


def _facts(s: _Summary, saved: dt.datetime, sheets: Sequence[str]) -> None:
    state, fmt, w, pb = s.state, s.fmt, s.w, s.pb
    box, cell = fmt.boxed, fmt.cell
    done = state.completeness()
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
        ("Accounts", len(state.accounts), box["integer"]),
        ("Objectives", len(state.objectives), box["integer"]),
        ("Plan completeness", float(done["complete"].mean()) if len(done) else None, box["percent"]),
        ("Complete account plans", int((done["complete"] >= 1).sum()), box["integer"]),
        ("Overrides", len(state.overrides), box["integer"]),
        ("Sheets", ", ".join(sheets), None),
        ("Saved by", f"tierdesk {state.version}", None),
    ]
    for label, value, f in facts:
        w.put([label, value], [fmt.label, f or cell])
    s.block()


def _pyramid(s: _Summary) -> None:
    """The pyramid as a table, its charts below it."""
    fmt, w, pb, cov = s.fmt, s.w, s.pb, s.cov
    m, pc, num, whole = (fmt.boxed[k] for k in ("money", "percent", "number", "integer"))
    cell = fmt.cell
    w.put(["Tier pyramid"], fmt.section)
    w.header(
        [
            "Tier",
            "Accounts",
            "Share of Accounts",
            "Revenue",
            "Sellers Needed",
            "Cost of Sales",
            "Cutoff (Projected Value)",
        ],
        fmt.summary_header,
    )
    tiers = cov.by_tier
    names = [*pb.tier_names, *([UNCLASSIFIED] if UNCLASSIFIED in tiers.index else [])]
    cutoffs = [*s.cls.tier_cutoffs.tolist(), None, None]
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
    w.skip()
    s.charts(
        ("Accounts per tier", first, last, 1, "column"), ("Sellers needed per tier", first, last, 4, "column")
    )
    s.block()


def _personas(s: _Summary) -> None:
    """The 2x2, the persona and category tables, and their charts below them."""
    fmt, w, cov, cls = s.fmt, s.w, s.cov, s.cls
    m, num, whole, cell = fmt.boxed["money"], fmt.boxed["number"], fmt.boxed["integer"], fmt.cell
    head = fmt.summary_header
    w.put(["Persona matrix: growth potential × share of wallet"], fmt.section)
    counts = cov.by_persona["accounts"]
    w.header(["Accounts", "Low share of wallet", "High share of wallet"], head)
    for label, (low, high) in (("High potential", (1, 0)), ("Low potential", (3, 2))):
        w.put([label, PERSONAS[low], PERSONAS[high]], [fmt.label, cell, cell])
        w.put(
            ["", int(counts.get(PERSONAS[low], 0)), int(counts.get(PERSONAS[high], 0))],
            [fmt.label, whole, whole],
        )
    w.skip()
    w.header(["Persona", "Accounts", "Revenue", "Sellers Needed", "Cost of Sales", "Seller Role"], head)
    personas = w.row
    roles = [*s.pb.personas.roles, ""]
    for i, name in enumerate([*PERSONAS, *([UNCLASSIFIED] if UNCLASSIFIED in cov.by_persona.index else [])]):
        r: Any = cov.by_persona.loc[name]
        w.put(
            [name, int(r["accounts"]), r["revenue"], r["sellers"], r["cost"], roles[i]],
            [cell, whole, m, num, m, cell],
        )
    w.skip()
    w.header(["Relationship category", "Accounts", "Revenue"], head)
    codes = cls.category
    revenue = np.nan_to_num(cls.revenue)
    categories = w.row
    for i, name in enumerate([*CATEGORIES, UNCLASSIFIED]):
        mask = codes == (i if i < len(CATEGORIES) else -1)
        if i < len(CATEGORIES) or mask.any():
            w.put([name, int(mask.sum()), float(revenue[mask].sum())], [cell, whole, m])
    w.skip()
    s.charts(
        ("Accounts per persona", personas, personas + len(PERSONAS) - 1, 1, "bar"),
        ("Accounts per relationship category", categories, categories + len(CATEGORIES) - 1, 1, "bar"),
    )
    s.block()


def _coverage(s: _Summary) -> None:
    """Coverage figures and governance; then the seller roles."""
    fmt, w, cov, state = s.fmt, s.w, s.cov, s.state
    box = fmt.boxed
    m, num, whole, cell = box["money"], box["number"], box["integer"], fmt.cell
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
    broken = governance_violations(s.cls, state.accounts, state.previous)
    for v in broken:
        w.put([v.rule, v.message], [fmt.label, cell])
    if not broken:
        w.put(["No governance rule broken" if s.pb.governance else "No governance rules in the playbook"])
    if state.previous is not None:
        w.put(["Turnover checked against", state.previous.title], [fmt.label, cell])
    elif s.pb.governance.turnover:
        w.put(["Turnover not checked: this plan has no previous period to compare with"])
    s.block()
    w.put(["Seller roles"], fmt.section)
    w.header(
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
        fmt.summary_header,
    )
    for role in s.pb.roles:
        r: Any = cov.by_role.loc[role.name]
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
    s.block()


def _playbook_figures(s: _Summary) -> None:
    """The playbook figures this plan used: tiers and entitlements, split lines and thresholds."""
    fmt, w, pb, cls = s.fmt, s.w, s.pb, s.cls
    cell, m, cur = fmt.cell, fmt.boxed["money"], pb.currency
    cutoffs = [*cls.tier_cutoffs.tolist(), None, None]
    w.put(["Playbook figures used"], fmt.section)
    w.header(
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
        fmt.summary_header,
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
    w.header(["Split line or threshold", "Kind", "Setting", "In Data Units"], fmt.summary_header)
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
    s.block()


#: sellers listed one by one on the Summary (and in its chart); the Sellers sheet lists them all
SUMMARY_SELLERS = 25


def _seller_loads(s: _Summary) -> None:
    """The sellers' books: accounts, load (workload / capacity) and revenue per seller, with a bar chart of
    the loads beside the table (a block of its own, printed whole)."""
    fmt, w = s.fmt, s.w
    table = book_table(s.state.books())
    in_team = table["in_team"].to_numpy(bool)
    team = table[in_team].head(SUMMARY_SELLERS)
    if not len(team):
        return
    tolerance = s.pb.sellers.tolerance
    band = f"{1 - tolerance:.0%} to {1 + tolerance:.0%}"
    w.put([f"Sellers' books: load = workload / capacity (balanced: {band})"], fmt.section)
    w.header(["Seller", "Role", "Accounts", "Load", "Revenue"], fmt.summary_header)
    first, box = w.row, fmt.boxed
    for r in team.to_dict("records"):
        w.put(
            [str(r["seller"]), str(r["role"]), int(r["accounts"]), float(r["load"]), float(r["revenue"])],
            [fmt.cell, fmt.cell, box["integer"], box["percent"], box["money"]],
        )
    last = w.row - 1
    for r in table[~in_team].to_dict("records"):
        w.put(
            [str(r["seller"]), "(not in the team)", int(r["accounts"]), None, float(r["revenue"])],
            [fmt.cell, fmt.cell, box["integer"], fmt.cell, box["money"]],
        )
    if int(in_team.sum()) > len(team):
        w.put([f"…and {int(in_team.sum()) - len(team):,} more sellers on the Sellers sheet"])
    chart = s.wb.add_chart({"type": "bar"})
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
    rows = max(CHART_ROWS - 2, len(team) + 3)  # beside the table: as tall as it, or a chart's height
    chart.set_size({"width": CHART_SIZE[0], "height": rows * 20})
    s.ws.insert_chart(first - 1, 5, chart, {"x_offset": 10, "y_offset": 4})
    w.skip(max(0, rows - (w.row - first + 1)))
    s.block()


def _completeness_by(s: _Summary) -> None:
    state, fmt, w = s.state, s.fmt, s.w
    done = state.completeness()
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
        w.header([label, "Accounts", "Completeness", "Complete Plans"], fmt.summary_header)
        for key, r in table.head(1000).iterrows():
            w.put(
                [str(key), int(r["accounts"]), float(r["completeness"]), int(r["complete"])],
                [fmt.cell, fmt.boxed["integer"], fmt.boxed["percent"], fmt.boxed["integer"]],
            )
        if len(table) > 1000:
            w.put([f"…and {len(table) - 1000:,} more"])
        s.block()
