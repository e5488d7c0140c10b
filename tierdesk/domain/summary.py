"""A plan's headline figures as plain data (for `tierdesk classify --json`) and as a plain-text report."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from tierdesk.domain.basis import basis_notes
from tierdesk.domain.classification import Classification
from tierdesk.domain.coverage import Coverage
from tierdesk.domain.governance import (
    PreviousPeriod,
    TierTurnover,
    governance_violations,
    previous_period,
    tier_turnover,
)
from tierdesk.domain.governance_rules import share_text
from tierdesk.domain.plan import Plan
from tierdesk.domain.playbook import CATEGORIES, PERSONAS
from tierdesk.domain.texts import money
from tierdesk.domain.wallet_notes import settings_text


def _num(value: float) -> float | None:
    """A JSON-safe float: None for NaN/inf."""
    value = float(value)
    return value if math.isfinite(value) else None


def plan_summary(plan: Plan, previous: Plan | PreviousPeriod | None = None) -> dict[str, Any]:
    """Counts, pyramid, 2x2, categories, coverage and warnings as JSON-serialisable plain Python types.

    Keys: playbook, currency, as_of, basis (sentences on what the classification stands on: the plan
    dated by an old file's latest purchase, categories measured without dates or breadth), accounts,
    tiers (top first: name, accounts, revenue, sellers, cost),
    personas and categories (name → count), coverage (sellers, cost, cost_share, revenue, roles, warnings),
    findings (over_investment, under_investment), unclassified (accounts unclassified in any view),
    unclassified_by (tier, persona, category), overrides, data_warnings (kind → count), governance (the
    playbook's governance rules broken, as messages; turnover only against a `previous` period),
    previous_period (None, or label, as_of, title and accounts of the previous period), turnover (per
    tier, top first: tier, before, now, left, joined, share, max_share (None: no rule), period, broken;
    empty without a previous period) and wallet (see wallet_summary).
    """
    cls, cov = plan.classification, plan.coverage()
    before = previous_period(previous) if isinstance(previous, Plan) else previous
    turnover = [] if before is None else tier_turnover(cls, plan.accounts, before)
    persona_counts = np.bincount(cls.persona[cls.persona >= 0], minlength=len(PERSONAS))
    category_counts = np.bincount(cls.category[cls.category >= 0], minlength=len(CATEGORIES))
    return {
        "playbook": plan.playbook.name,
        "currency": plan.playbook.currency,
        "as_of": plan.as_of.date().isoformat(),
        "basis": basis_notes(cls),
        "accounts": len(cls),
        "tiers": _tier_rows(plan, cov),
        "personas": {n: int(c) for n, c in zip(PERSONAS, persona_counts, strict=True)},
        "categories": {n: int(c) for n, c in zip(CATEGORIES, category_counts, strict=True)},
        "coverage": {
            "sellers": cov.sellers,
            "cost": cov.cost,
            "cost_share": _num(cov.cost_share),
            "revenue": cov.revenue,
            "uncovered": cov.uncovered,
            "roles": _role_rows(plan, cov),
            "warnings": list(cov.warnings),
        },
        "findings": {"over_investment": cov.over_investment, "under_investment": cov.under_investment},
        "unclassified": int(cls.unclassified().sum()),
        "unclassified_by": {f: int((getattr(cls, f) < 0).sum()) for f in ("tier", "persona", "category")},
        "overrides": len(plan.overrides),
        "data_warnings": cls.warning_counts(),
        "wallet": wallet_summary(cls),
        "governance": [v.message for v in governance_violations(cls, plan.accounts, before)],
        "previous_period": None if before is None else _previous_period(before),
        "turnover": [_turnover_row(t) for t in turnover],
    }


def _tier_rows(plan: Plan, cov: Coverage) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "accounts": int(row["accounts"]),
            "revenue": float(row["revenue"]),
            "sellers": float(row["sellers"]),
            "cost": float(row["cost"]),
        }
        for name, row in cov.by_tier.loc[list(plan.playbook.tier_names)].iterrows()
    ]


def _role_rows(plan: Plan, cov: Coverage) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "unit": str(row["unit"]),
            "accounts": int(row["accounts"]),
            "workload": float(row["workload"]),
            "sellers": float(row["sellers"]),
            "cost": float(row["cost"]),
            "headcount": _num(row["headcount"]),
        }
        for name, row in cov.by_role.loc[list(plan.playbook.role_names)].iterrows()
    ]


def _previous_period(before: PreviousPeriod) -> dict[str, Any]:
    return {
        "label": before.label,
        "as_of": before.as_of.isoformat() if before.as_of else None,
        "title": before.title,
        "accounts": len(before),
    }


def _turnover_row(t: TierTurnover) -> dict[str, Any]:
    return {
        "tier": t.tier,
        "before": t.before,
        "now": t.now,
        "left": t.left,
        "joined": t.joined,
        "share": t.share,
        "max_share": t.limit,
        "period": t.period,
        "broken": t.broken,
    }


def wallet_summary(cls: Classification) -> dict[str, Any]:
    """Where the wallets came from: method, quantile and peer fields of the playbook's [wallet] settings;
    estimated (peers + firmographic), given (the file), planner and none as counts; by_source (file,
    peers, firmographic, planner, none); how (the settings in words); median_share_of_wallet (None: none)."""
    w = cls.playbook.wallet
    counts = cls.wallets.counts() if cls.wallets is not None else {"none": len(cls)}
    by_source = {k: counts.get(k, 0) for k in ("file", "peers", "firmographic", "planner", "none")}
    share = cls.share_of_wallet[np.isfinite(cls.share_of_wallet)]
    return {
        "method": w.method,
        "quantile": w.quantile,
        "peer_fields": list(w.peer_fields),
        "per_size": w.per_size,
        "how": settings_text(w),
        "estimated": by_source["peers"] + by_source["firmographic"],
        "given": by_source["file"],
        "planner": by_source["planner"],
        "none": by_source["none"],
        "by_source": by_source,
        "median_share_of_wallet": float(np.median(share)) if len(share) else None,
    }


def _money(value: float | None, currency: str) -> str:
    return "n/a" if value is None else str(money(value, currency)[0])


def format_summary(d: dict[str, Any]) -> str:
    """A readable plain-text report of plan_summary()'s dict."""
    lines = [f"{d['playbook']} · {d['accounts']:,} accounts · as of {d['as_of']}"]
    lines += [f"  {note}" for note in d.get("basis", [])] + [""]
    lines += _pyramid_lines(d) + _matrix_lines(d)
    if "wallet" in d:
        w = d["wallet"]
        median = "" if w["median_share_of_wallet"] is None else " · median share of wallet "
        median += "" if w["median_share_of_wallet"] is None else share_text(w["median_share_of_wallet"])
        lines += [
            "",
            f"Wallets: {w['given']:,} from the file · {w['estimated']:,} estimated ({w['how']}) · "
            f"{w['planner']:,} the planner's · {w['none']:,} none{median}",
        ]
    lines += _coverage_lines(d)
    if d.get("governance"):
        lines += ["", "Governance"] + [f"  ! {m}" for m in d["governance"]]
    if d.get("previous_period"):
        lines += _turnover_lines(d)
    by = d["unclassified_by"]
    lines += [
        "",
        f"Unclassified: {d['unclassified']:,} account{'' if d['unclassified'] == 1 else 's'} "
        f"(tier {by['tier']:,}, "
        f"persona {by['persona']:,}, category {by['category']:,})",
    ]
    if d["overrides"]:
        lines.append(f"Overrides: {d['overrides']:,}")
    if d["data_warnings"]:
        lines.append("Data warnings: " + "; ".join(f"{k} ({v:,})" for k, v in d["data_warnings"].items()))
    return "\n".join(lines)


def _pyramid_lines(d: dict[str, Any]) -> list[str]:
    cur = d["currency"]
    lines = ["Tier pyramid"]
    top = max(len(t["name"]) for t in d["tiers"]) + 2  # the pyramid widens by 4 per tier
    label_width = top + 2 + 4 * len(d["tiers"])
    lines.append(f"{'':{label_width}}  {'accounts':>9}  {'revenue':>9}  {'sellers':>8}  {'cost':>9}")
    for i, t in enumerate(d["tiers"]):
        bar = f"/{t['name']:^{top + 4 * i}}\\"
        lines.append(
            f"{bar:^{label_width}}  {t['accounts']:>9,}  {_money(t['revenue'], cur):>9}  "
            f"{t['sellers']:>8.1f}  {_money(t['cost'], cur):>9}"
        )
    return lines


def _matrix_lines(d: dict[str, Any]) -> list[str]:
    p = d["personas"]

    def cell(name: str) -> str:
        return f"{name} {p[name]:,}"

    width = max(len(cell(n)) for n in PERSONAS) + 2
    return [
        "",
        "Persona matrix (growth potential x share of wallet)",
        f"{'':16}{'low share':<{width}}{'high share':<{width}}",
        f"{'high potential':16}{cell(PERSONAS[1]):<{width}}{cell(PERSONAS[0]):<{width}}",
        f"{'low potential':16}{cell(PERSONAS[3]):<{width}}{cell(PERSONAS[2]):<{width}}",
        "",
        "Relationship categories",
        "  " + " · ".join(f"{n} {c:,}" for n, c in d["categories"].items()),
    ]


def _coverage_lines(d: dict[str, Any]) -> list[str]:
    cur, c = d["currency"], d["coverage"]
    share = "n/a" if c["cost_share"] is None else f"{c['cost_share'] * 100:.1f}%"
    lines = [
        "",
        "Coverage",
        f"  sellers needed {c['sellers']:.1f} · cost of sales {_money(c['cost'], cur)} · {share} of "
        f"revenue {_money(c['revenue'], cur)}",
    ]
    for r in c["roles"]:
        if not r["accounts"] and r["headcount"] is None:
            continue  # a role this coverage model does not use
        head = "" if r["headcount"] is None else f" (headcount {r['headcount']:g})"
        lines.append(
            f"    {r['name']:<28}{r['accounts']:>7,} accounts  {r['sellers']:>7.1f} sellers  "
            f"{_money(r['cost'], cur):>8}{head}"
        )
    f = d["findings"]
    lines.append(
        f"  over-investment {f['over_investment']:,} accounts · under-investment "
        f"{f['under_investment']:,} accounts"
    )
    return lines + [f"  ! {w}" for w in c["warnings"]]


def _turnover_lines(d: dict[str, Any]) -> list[str]:
    lines = ["", f"Turnover since the previous period: {d['previous_period']['title']}"]
    width = max(len(t["tier"]) for t in d["turnover"]) + 2 if d["turnover"] else 0
    for t in d["turnover"]:
        limit = "" if t["max_share"] is None else f" (at most {share_text(t['max_share'])} per {t['period']})"
        mark = "  ! over the limit" if t["broken"] else ""
        lines.append(
            f"  {t['tier']:<{width}}{t['before']:>7,} then  {t['left']:>6,} left  "
            f"{t['joined']:>6,} joined  turnover {share_text(t['share'])}{limit}{mark}"
        )
    return lines
