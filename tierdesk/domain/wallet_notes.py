"""Wallets in words: "Wallet $1.2M: 90th percentile of revenue among 37 Healthcare accounts with 1,000–4,999
employees". Texts are built per peer group, then per account only where asked (tooltips, export)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from tierdesk.domain.reasons import _cat, money, percent

if TYPE_CHECKING:
    from tierdesk.domain.wallet import WalletEstimate
    from tierdesk.domain.wallet_settings import WalletSettings

NOTHING_TO_GO_ON = "nothing to estimate a wallet from (no revenue, company size, industry, segment or region)"
FILE, PEERS, FIRMOGRAPHIC, PLANNER = 1, 2, 3, 4  # codes of wallet.SOURCES (0: none)
_PLACES = {"region": "in", "country": "in", "territory": "in territory"}


def ordinal(q: float) -> str:
    """0.9 → "90th percentile", 0.5 → "median", 0.925 → "92.5th percentile"."""
    if q == 0.5:
        return "median"
    p = f"{q * 100:.4g}"
    whole = p.split(".")[0]
    suffix = (
        "th" if whole[-2:] in ("11", "12", "13") else {"1": "st", "2": "nd", "3": "rd"}.get(whole[-1], "th")
    )
    return f"{p}{suffix} percentile"


def settings_text(w: WalletSettings) -> str:
    """The wallet settings in a few words: 'peers, 90th percentile, industry × size × region, ≥ 20 peers'."""
    if w.method == "given":
        return "the file's wallets only"
    per = " per employee" if w.per_size else ""
    same = f"same {', '.join(w.peer_fields)}" if w.peer_fields else "the whole file"
    peers = f"{ordinal(w.quantile)} of peers' revenue{per} (peers: {same}; at least {w.min_peers})"
    firm = "firmographic rates" if w.rates or w.default_rate is not None else ""
    if w.method == "firmographic":
        return firm + (f", else {peers}" if peers else "")
    return peers + (f", else {firm}" if firm else "")


def _count(values: np.ndarray) -> np.ndarray:
    """Whole numbers with thousands separators: 1,200."""
    return np.array([f"{v:,.0f}" for v in values.tolist()], dtype=object)


def band_texts(edges: tuple[float, ...], size_field: str | None, currency: str = "$") -> list[str]:
    """The size bands as words, smallest first: "fewer than 10 employees", "10–49 employees", ..."""
    if size_field == "employees":
        lows = ["", *(f"{e:,.0f}" for e in edges)]
        highs = [*(f"{e - 1:,.0f}" for e in edges), ""]
        unit = "employees"
    else:
        lows = ["", *money(np.array(edges), currency).tolist()]
        highs = [*money(np.array(edges), currency).tolist(), ""]
        unit = "company revenue"
    out = []
    for lo, hi in zip(lows, highs, strict=True):
        if not lo:
            out.append(
                f"fewer than {edges[0]:,.0f} employees" if unit == "employees" else f"{unit} below {hi}"
            )
        elif not hi:
            out.append(f"{lo} or more employees" if unit == "employees" else f"{unit} of {lo} or more")
        else:
            out.append(f"{lo}–{hi} employees" if unit == "employees" else f"{unit} {lo}–{hi}")
    return out


def group_texts(
    accounts: pd.DataFrame,
    fields: list[str],
    codes: list[np.ndarray],
    group: np.ndarray,
    edges: tuple[float, ...],
    size_field: str | None,
) -> np.ndarray:
    """Per group id, what its accounts share, e.g. "Healthcare accounts with 1,000–4,999 employees in West"
    ("accounts in the file" for the whole file). One text per group, from its first member."""
    n_groups = int(group.max()) + 1 if len(group) else 0
    if not fields:
        return np.full(n_groups, "accounts in the file", dtype=object)
    _, first = np.unique(group, return_index=True)
    before: list[np.ndarray] = []
    after: list[np.ndarray] = []
    for name, code in zip(fields, codes, strict=True):
        c = code[first]
        if name == "size":
            labels = np.array([*band_texts(edges, size_field), "no size on record"], dtype=object)
            after.append(np.strings.add("with ", labels[c].astype(str)).astype(object))
            continue
        col = accounts[name]
        cats = (
            col.cat.categories
            if isinstance(col.dtype, pd.CategoricalDtype)
            else col.astype("category").cat.categories
        )
        names = np.array([*(str(v) for v in cats), ""], dtype=object)[c]
        if name in ("industry", "segment"):
            before.append(np.where(c < 0, "", np.strings.add(names.astype(str), " ")).astype(object))
            if (c < 0).any():
                after.append(np.where(c < 0, f"with no {name}", "").astype(object))
        else:
            place = np.strings.add(f"{_PLACES[name]} ", names.astype(str))
            after.append(np.where(c < 0, f"with no {name}", place).astype(object))
    text = np.full(len(first), "", dtype=object)
    for part in before:
        text = text + part
    text = text + "accounts"
    for part in after:
        text = np.where(part == "", text, text + " " + part)
    out = np.full(n_groups, "", dtype=object)
    out[group[first]] = text
    return out


def wallet_notes(w: WalletEstimate, rows: np.ndarray) -> np.ndarray:
    """One line per row: the wallet and where it came from (object array of str, "" for no row)."""
    out = np.full(len(rows), "", dtype=object)
    source = w.source[rows]
    value = money(w.value[rows], w.currency)
    head = np.strings.add("Wallet ", value.astype(str)).astype(object)
    at = source == FILE
    out[at] = head[at] + ": given in the file"
    at = np.flatnonzero(source == PLANNER)
    for i in at.tolist():
        reason = w.planner_reason.get(int(rows[i]), "")
        out[i] = f"{head[i]}: the planner's own figure" + (f" ({reason})" if reason else "")
    at = np.flatnonzero(source == PEERS)
    if len(at):
        out[at] = _peer_notes(w, rows[at], head[at])
    at = np.flatnonzero(source == FIRMOGRAPHIC)
    if len(at):
        out[at] = _firmographic_notes(w, rows[at], head[at])
    at = source == 0
    if w.settings.method == "given":
        out[at] = 'No wallet: the file gives none and the playbook estimates none ([wallet] method "given")'
    else:
        out[at] = f"No wallet: {NOTHING_TO_GO_ON}"
    return out


def _size_text(w: WalletEstimate, size: np.ndarray) -> tuple[np.ndarray, str]:
    if w.size_field == "company_revenue":
        return np.strings.add("company revenue ", money(size, w.currency).astype(str)).astype(
            object
        ), "company"
    return np.strings.add(_count(size).astype(str), " employees").astype(object), "employee"


def _peer_notes(w: WalletEstimate, rows: np.ndarray, head: np.ndarray) -> np.ndarray:
    q = ordinal(w.settings.quantile)
    level, group = w.level[rows], w.group[rows]
    among = np.full(len(rows), "", dtype=object)
    for lv in np.unique(level).tolist():
        at = level == lv
        texts = w.group_text.get(lv)
        among[at] = texts[group[at]] if texts is not None else "accounts"
    among = _cat(" among ", np.array([f"{p:,}" for p in w.peers[rows].tolist()], dtype=object), " ", among)
    scaled = w.scaled[rows]
    size_text, unit = _size_text(w, w.size[rows])
    if unit == "company":
        per = _cat(
            percent(w.basis[rows]), " of ", size_text, f", the {q} of revenue as a share of company revenue"
        )
    else:
        per = _cat(size_text, " × ", money(w.basis[rows], w.currency), f", the {q} of revenue per employee")
    body = np.where(scaled, _cat(per, among), _cat(f"{q} of revenue", among))
    estimate = np.where(scaled, w.basis[rows] * w.size[rows], w.basis[rows])
    floored = w.floored[rows]
    raised = _cat(": its own revenue, above the estimate ", money(estimate, w.currency), " (", body, ")")
    return np.where(floored, head + raised, head + ": " + body).astype(object)


def _firmographic_notes(w: WalletEstimate, rows: np.ndarray, head: np.ndarray) -> np.ndarray:
    s = w.settings
    size = w.size[rows]
    rate = w.rate[rows]
    if s.size_field == "company_revenue":
        body = _cat(
            "company revenue ", money(size, w.currency), " × ", percent(rate), " spent in our category"
        )
    else:
        body = _cat(_count(size), " employees × ", money(rate, w.currency), " per employee")
    kind = np.where(w.industry_rate[rows], " (the industry's rate)", " (the default rate)")
    body = _cat(body, kind.astype(object))
    floored = w.floored[rows]
    raised = _cat(": its own revenue, above the estimate ", money(size * rate, w.currency), " (", body, ")")
    return np.where(floored, head + raised, head + ": " + body).astype(object)


def estimate_plan(fields: set[str], blanks: int | None, n: int, settings: WalletSettings) -> str:
    """What will be estimated and how, for a file with these account fields ("" when nothing will be):
    `blanks` is how many of `n` accounts have no wallet, potential or share (None: not known yet)."""
    given = fields & {"wallet", "potential", "share_of_wallet"}
    if given and not blanks:
        return ""
    if settings.method == "given":
        return (
            ""
            if given
            else "No wallet in this file and the playbook estimates none: personas stay Unclassified."
        )
    basis = [
        f
        for f in settings.peer_fields
        if f in fields or (f == "size" and fields & {"employees", "company_revenue"})
    ]
    size = next((f for f in ("employees", "company_revenue") if f in fields), None)
    if not given:
        what = "This file has no wallet, growth potential or share of wallet"
    else:
        what = f"{blanks:,} of {n:,} accounts have no wallet, growth potential or share of wallet"
    how = settings_text(
        replace(settings, peer_fields=tuple(basis), per_size=settings.per_size and size is not None)
    )
    if (
        "revenue" not in fields
        and settings.method == "peers"
        and not settings.rates
        and settings.default_rate is None
    ):
        return f"{what}, and no revenue to compare peers by: personas stay Unclassified."
    return (
        f"{what}: tierdesk estimates their wallets ({how}); share of wallet and growth potential follow. "
        "Each estimate says where it came from; type your own figure to override it "
        "(File ▸ Wallet Estimates… changes how)."
    )
