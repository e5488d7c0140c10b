"""Wallet estimates in words: the settings, size bands and peer groups ("37 Healthcare accounts with
1,000–4,999 employees"), texts built once per peer group; wallet.py puts each account's wallet into one line
from them, only where asked (tooltips, export)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from tierdesk.domain.texts import money

if TYPE_CHECKING:
    from tierdesk.domain.wallet_settings import WalletSettings

NOTHING_TO_GO_ON = "nothing to estimate a wallet from (no revenue, company size, industry, segment or region)"
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


def count_text(values: np.ndarray) -> np.ndarray:
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
