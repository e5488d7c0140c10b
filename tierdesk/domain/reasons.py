"""Why each account has its tier, persona and category, in words; and the classification as a table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tierdesk.domain.classification import Classification
from tierdesk.domain.playbook import CATEGORIES, PERSONAS, UNCLASSIFIED
from tierdesk.domain.texts import axis_text, join_texts, money, number_strings, percent


def _persona_text(cls: Classification, rows: np.ndarray, code: np.ndarray) -> np.ndarray:
    p, cur = cls.playbook.personas, cls.playbook.currency
    x, y = cls.x[rows], cls.y[rows]
    cmp_y = np.where(y >= cls.y_split, " ≥ split ", " < split ")
    cmp_x = np.where(x >= cls.x_split, " ≥ split ", " < split ")
    return join_texts(
        np.array(PERSONAS)[code],
        ": potential ",
        axis_text(p.y, y, cur),
        cmp_y,
        axis_text(p.y, cls.y_split, cur),
        "; share of wallet ",
        axis_text(p.x, x, cur),
        cmp_x,
        axis_text(p.x, cls.x_split, cur),
    )


def _tier_text(cls: Classification, rows: np.ndarray, code: np.ndarray) -> np.ndarray:
    pb = cls.playbook
    names = np.array(pb.tier_names)[code]
    last = len(pb.tiers) - 1
    above = code < last
    if cls.rank is not None:
        cut = np.array([t.cutoff for t in pb.tiers[:-1]], np.int64)[np.minimum(code, last - 1)]
        rank = number_strings(cls.rank[rows] + 1.0)
        return join_texts(
            names,
            ": rank ",
            rank,
            np.where(above, " ≤ cutoff rank ", " > cutoff rank "),
            number_strings(cut.astype(float)),
            " by projected value",
        )
    cut = cls.tier_cutoffs[np.minimum(code, last - 1)]
    return join_texts(
        names,
        ": projected value ",
        money(cls.projected_value[rows], pb.currency),
        np.where(above, " ≥ cutoff ", " < cutoff "),
        money(cut, pb.currency),
    )


def _category_text(cls: Classification, rows: np.ndarray, code: np.ndarray) -> np.ndarray:
    del code
    pb, rules = cls.playbook, cls.playbook.categories
    low_text, high_text = (str(money(t, pb.currency)[0]) for t in cls.category_thresholds[:2])
    share_text = str(percent(cls.category_thresholds[2])[0])
    floor = str(number_strings(np.array([rules.core_min_breadth], float))[0])
    years = str(number_strings(np.array([rules.greenfield_years], float))[0])
    areas = f"; {cls.breadth_basis or rules.breadth} "

    def rev(r: np.ndarray) -> np.ndarray:
        return money(cls.revenue[r], pb.currency)

    def reach(r: np.ndarray) -> np.ndarray:
        return number_strings(np.round(cls.breadth[r], 1))

    texts = {
        0: lambda r: join_texts(
            "Strategic: revenue ",
            rev(r),
            f" ≥ {high_text} and share of wallet ",
            percent(cls.share_of_wallet[r]),
            f" ≥ {share_text}",
        ),
        1: lambda r: join_texts("Core: revenue ", rev(r), f" ≥ {low_text}{areas}", reach(r), f" ≥ {floor}"),
        2: lambda r: join_texts("Beachhead: revenue ", rev(r), f" < {low_text}"),
        3: lambda r: join_texts("Beachhead: revenue ", rev(r), areas, reach(r), f" < {floor}"),
        4: lambda r: join_texts(
            "Greenfield: last purchase ",
            np.datetime_as_string(cls.last_purchase[r], unit="D"),
            f", more than {years} years before {cls.as_of.date()}",
        ),
        5: lambda r: np.full(len(r), "Greenfield: no purchase on record", object),
        6: lambda r: join_texts(
            "Core: revenue ", rev(r), f" ≥ {low_text} (no breadth in the file: by revenue alone)"
        ),
    }
    rule = cls.category_rule[rows]
    out = np.empty(len(rows), object)
    for k, build in texts.items():
        at = np.flatnonzero(rule == k)
        if len(at):
            out[at] = build(rows[at])
    return out


_BUILDERS = {"persona": _persona_text, "tier": _tier_text, "category": _category_text}


def reasons(cls: Classification, what: str = "persona", rows: np.ndarray | None = None) -> np.ndarray:
    """Reason text per row (object array): the computed rule's numbers, or what is missing, and any pin."""
    rows = np.arange(len(cls)) if rows is None else np.asarray(rows, np.int64)
    out = np.empty(len(rows), object)
    code = getattr(cls, f"computed_{what}")[rows]
    known = code >= 0
    if known.any():
        out[known] = _BUILDERS[what](cls, rows[known], code[known])
    messages = np.array(cls.messages, object)
    out[~known] = "Unclassified: " + messages[cls.why[what][rows[~known]]]
    _wallet_words(cls, what, rows, known, out)
    pinned = getattr(cls, f"pinned_{what}")[rows]
    names = cls.names(what)
    for i in np.flatnonzero(pinned):
        row = int(rows[i])
        note = cls.pin_reasons[what].get(row) or "no reason given"
        pinned_name = names[getattr(cls, what)[row]]
        out[i] = f"{pinned_name}: pinned ({note}); computed {out[i]}"
    return out


_WALLET_TERMS = frozenset({"wallet", "potential", "share_of_wallet"})


def _wallet_words(
    cls: Classification, what: str, rows: np.ndarray, known: np.ndarray, out: np.ndarray
) -> None:
    """Say where a wallet that was not in the file came from (persona: the whole note; tier: its source), and
    which terms a projected value had to leave out."""
    w = cls.wallets
    if what == "tier" and cls.score_gaps is not None:
        gap = cls.score_gaps[rows]
        at = np.flatnonzero(known & (gap > 0))
        if len(at):
            left_out = np.array(cls.messages, object)[gap[at]]
            out[at] = join_texts(out[at].astype(str), " (from what is known: ", left_out, ", counted as 0)")
    if w is None or what == "category":
        return
    formula = cls.playbook.personas.x + cls.playbook.personas.y if what == "persona" else cls.playbook.score
    if not {f for f, _ in formula} & _WALLET_TERMS:
        return
    source = w.source[rows]
    at = np.flatnonzero(known & (source >= 2))  # peers, firmographic, planner
    if not len(at):
        return
    if what == "persona":
        out[at] = join_texts(out[at].astype(str), ". ", w.notes(rows[at]))
    else:
        words = np.array(["", "", " (wallet estimated from peers)", " (wallet estimated firmographically)",
                          " (the planner's wallet)"], dtype=object)  # fmt: skip
        out[at] = join_texts(out[at].astype(str), words[source[at]])


def _codes(codes: np.ndarray, names: tuple[str, ...]) -> pd.Categorical:
    """Codes as a Categorical of names, -1 shown as Unclassified."""
    categories = pd.Index([*names, UNCLASSIFIED], dtype=object)
    return pd.Categorical.from_codes(np.where(codes < 0, len(names), codes), categories)


def reason(cls: Classification, row: int, what: str = "persona") -> str:
    """Why one account has its persona (or "tier", "category")."""
    return str(reasons(cls, what, np.array([row]))[0])


def reason_series(cls: Classification, what: str = "persona") -> pd.Series:
    """Why each account has its persona (or "tier", "category"), e.g. "Land & Expand: potential ..."."""
    return pd.Series(reasons(cls, what), dtype="string")


def classification_frame(cls: Classification) -> pd.DataFrame:
    """One row per account (RangeIndex, aligned with the account rows): names, role, axes, entitlements,
    wallet (the wallet used: float, NaN where none), wallet_source (file, peers, firmographic, planner;
    <NA> where none), wallet_note (where the wallet came from, in one line), pins, findings and reasons.
    Entitlement columns come from the account's (effective) tier."""
    pb = cls.playbook
    role = cls.role
    data: dict[str, object] = {
        "tier": _codes(cls.tier, pb.tier_names),
        "persona": _codes(cls.persona, PERSONAS),
        "category": _codes(cls.category, CATEGORIES),
        "role": _codes(role, pb.role_names),
        "projected_value": cls.projected_value,
        "x_share_of_wallet": cls.x,
        "y_potential": cls.y,
    }
    per_tier = {
        "tier_role": ("role", "string"),
        "touches_per_quarter": ("touches_per_quarter", "Float64"),
        "executive_sponsor_entitled": ("executive_sponsor", "boolean"),
        "business_reviews_per_year": ("business_reviews_per_year", "Float64"),
        "marketing": ("marketing", "string"),
        "support": ("support", "string"),
    }
    for column, (attr, dtype) in per_tier.items():
        lut = np.array([getattr(t, attr) for t in pb.tiers] + [None], object)
        data[column] = pd.array(lut[cls.tier], dtype=dtype)
    for key in dict.fromkeys(k for t in pb.tiers for k, _ in t.extra):
        lut = np.array([dict(t.extra).get(key) for t in pb.tiers] + [None], object)
        data.setdefault(key, lut[cls.tier])
    data |= {
        "wallet": cls.wallet,
        "wallet_source": cls.wallet_source,
        "wallet_note": cls.wallet_notes(),
        "pinned_tier": cls.pinned_tier,
        "pinned_persona": cls.pinned_persona,
        "pinned_category": cls.pinned_category,
        "over_investment": cls.over_investment,
        "under_investment": cls.under_investment,
        "reason": reasons(cls, "persona"),
        "tier_reason": reasons(cls, "tier"),
        "category_reason": reasons(cls, "category"),
    }
    frame = pd.DataFrame(data)
    for column in ("reason", "tier_reason", "category_reason", "wallet_note"):
        frame[column] = frame[column].astype("string")
    return frame
