"""Wallet estimates for the accounts a territory file gives none: a high quantile of what comparable
accounts spend (peers), size x an industry rate (firmographic), or the planner's own figure. Every value
says where it came from, and why, in one line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from tierdesk.domain.texts import join_texts, money, percent
from tierdesk.domain.wallet_notes import NOTHING_TO_GO_ON, count_text, group_texts, ordinal
from tierdesk.domain.wallet_settings import (
    METHODS,
    PEER_FIELDS,
    SIZE_FIELDS,
    WalletSettings,
    read_wallet,
    wallet_to_dict,
)

__all__ = [
    "METHODS",
    "PEER_FIELDS",
    "SIZE_FIELDS",
    "SOURCES",
    "WalletEstimate",
    "WalletSettings",
    "estimate_wallets",
    "group_quantile",
    "read_wallet",
    "wallet_to_dict",
]

#: Where an account's wallet came from; code 0 = no wallet at all.
SOURCES = ("", "file", "peers", "firmographic", "planner")
NONE, FILE, PEERS, FIRMOGRAPHIC, PLANNER = range(5)

# ---------------------------------------------------------------- statistics per group


def group_quantile(groups: np.ndarray, values: np.ndarray, q: float, n_groups: int) -> np.ndarray:
    """The q-th quantile (linear interpolation, as numpy's default) of `values` per group code 0..n-1;
    NaN for a group without values. One sort, no loop over groups."""
    order = np.lexsort((values, groups))
    v = values[order]
    counts = np.bincount(groups, minlength=n_groups)
    starts = np.cumsum(counts) - counts
    pos = starts + q * np.maximum(counts - 1, 0)
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, starts + counts - 1)
    out = np.full(n_groups, np.nan)
    has = counts > 0
    if len(v):
        frac = pos - lo
        out[has] = v[lo[has]] * (1 - frac[has]) + v[hi[has]] * frac[has]
    return out


def group_mean(groups: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    counts = np.bincount(groups, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.bincount(groups, weights=values, minlength=n_groups) / counts


# ---------------------------------------------------------------- the estimate


@dataclass(eq=False)
class WalletEstimate:
    """The wallet of every account row and where it came from. `value` is NaN where there is none.

    For peer estimates: `level` is how many peer fields matched (-1: not a peer estimate), `group` the
    row's group at that level, `peers` its number of peers, `basis` the quantile (of revenue, or of revenue
    per unit of size). `notes()` puts each into words."""

    value: np.ndarray
    source: np.ndarray  # int8 codes into SOURCES
    settings: WalletSettings
    currency: str = "$"
    level: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    group: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    peers: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    basis: np.ndarray = field(default_factory=lambda: np.zeros(0))
    floored: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    size: np.ndarray = field(default_factory=lambda: np.zeros(0))
    size_field: str | None = None
    scaled: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    group_text: dict[int, np.ndarray] = field(default_factory=dict)  # level -> text per group
    fields_used: tuple[str, ...] = ()  # the peer fields the file has, in order
    rate: np.ndarray = field(default_factory=lambda: np.zeros(0))
    industry_rate: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # else the default rate
    planner_reason: dict[int, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.value)

    def with_planner(
        self, rows: np.ndarray, values: np.ndarray, reasons: Sequence[str] = ()
    ) -> WalletEstimate:
        """A copy where these rows carry the planner's own figure (it wins over the file and any estimate)."""
        value, source = self.value.copy(), self.source.copy()
        value[rows], source[rows] = values, PLANNER
        why = dict(zip(np.asarray(rows).tolist(), reasons, strict=False))
        return replace(self, value=value, source=source, planner_reason=why)

    def counts(self) -> dict[str, int]:
        """Accounts per source: file, peers, firmographic, planner, and none."""
        c = np.bincount(self.source, minlength=len(SOURCES))
        return {("none" if i == NONE else s): int(c[i]) for i, s in enumerate(SOURCES)}

    def estimated(self) -> np.ndarray:
        return (self.source == PEERS) | (self.source == FIRMOGRAPHIC)

    def source_names(self) -> pd.Categorical:
        """The source of each row as text (file, peers, firmographic, planner; <NA> where none)."""
        return pd.Categorical.from_codes(self.source.astype(np.int64) - 1, pd.Index(SOURCES[1:]))

    def notes(self, rows: np.ndarray | None = None) -> np.ndarray:
        """One line per row saying where its wallet came from (object array; "" where no wallet)."""
        return wallet_notes(self, np.arange(len(self)) if rows is None else np.asarray(rows, np.int64))


def _numbers(accounts: pd.DataFrame, name: str) -> np.ndarray:
    if name not in accounts.columns:
        return np.full(len(accounts), np.nan)
    col = accounts[name]
    numeric = col if pd.api.types.is_numeric_dtype(col.dtype) else pd.to_numeric(col, errors="coerce")
    values = numeric.to_numpy(dtype="float64", na_value=np.nan).copy()
    values[~np.isfinite(values)] = np.nan
    return values


def _size(accounts: pd.DataFrame) -> tuple[str | None, np.ndarray]:
    """The first size field the file fills (employees, then company revenue), NaN where unknown or <= 0."""
    for name in SIZE_FIELDS:
        values = _numbers(accounts, name)
        values[values <= 0] = np.nan
        if not np.isnan(values).all():
            return name, values
    return None, np.full(len(accounts), np.nan)


def _codes(accounts: pd.DataFrame, name: str, size: np.ndarray, edges: tuple[float, ...]) -> np.ndarray:
    """Group codes of one peer field (-1: unknown)."""
    if name == "size":
        band = np.searchsorted(np.asarray(edges), size, side="right").astype(np.int64)
        return np.where(np.isnan(size), -1, band)
    col = accounts[name]
    cat = col if isinstance(col.dtype, pd.CategoricalDtype) else col.astype("string").astype("category")
    return np.asarray(cat.cat.codes, np.int64)


def _file_wallet(accounts: pd.DataFrame, revenue: np.ndarray) -> np.ndarray:
    """The wallet the file gives or implies: its wallet column, else revenue + potential, else revenue /
    share of wallet. NaN where it gives none."""
    wallet = _numbers(accounts, "wallet")
    wallet[wallet <= 0] = np.nan  # zero or negative: a data problem the classification reports
    rev = revenue  # implied only where the revenue is known
    potential = _numbers(accounts, "potential")
    share = _numbers(accounts, "share_of_wallet")
    share[share <= 0] = np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        implied = np.where(np.isnan(potential), rev / share, rev + potential)
    implied[~np.isfinite(implied) | (implied <= 0)] = np.nan
    return np.where(np.isnan(wallet), implied, wallet)


def nothing_to_go_on(accounts: pd.DataFrame, revenue: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Accounts with no revenue, no company size and none of the peer fields filled: any wallet for them
    would be invented, so they get none (and stay Unclassified, saying why)."""
    known = (revenue > 0) | ~np.isnan(size) | ~np.isnan(_numbers(accounts, "company_revenue"))
    for name in PEER_FIELDS:
        if name != "size" and name in accounts.columns:
            known |= accounts[name].notna().to_numpy(bool)
    return ~known


def file_gives(accounts: pd.DataFrame) -> np.ndarray:
    """Rows whose file gives a wallet, a potential or a share of wallet: they need no estimate."""
    given = np.zeros(len(accounts), bool)
    for name in ("wallet", "potential", "share_of_wallet"):
        given |= ~np.isnan(_numbers(accounts, name))
    return given


@dataclass
class _Peers:
    value: np.ndarray
    level: np.ndarray
    group: np.ndarray
    peers: np.ndarray
    basis: np.ndarray
    scaled: np.ndarray
    group_text: dict[int, np.ndarray]


def peer_wallets(
    accounts: pd.DataFrame,
    settings: WalletSettings,
    revenue: np.ndarray,
    size_field: str | None,
    size: np.ndarray,
    *,
    average: bool = False,
) -> _Peers:
    """The q-th quantile of the revenue of comparable accounts (customers: revenue above 0), backing off to
    broader groups (the last peer field dropped, then the whole file) until a group has `min_peers`.
    With `per_size`, accounts with a size get the quantile of revenue per unit of size among peers with a
    size, times their own size. `average` takes the peers' mean revenue instead (the benchmark's baseline)."""
    n = len(accounts)
    edges = settings.employee_bands if size_field == "employees" else settings.company_revenue_bands
    fields = [f for f in settings.peer_fields if (f == "size" and size_field) or f in accounts.columns]
    codes = [_codes(accounts, f, size, edges) for f in fields]
    customer = revenue > 0
    scaled = settings.per_size and not average and size_field is not None
    has_size = ~np.isnan(size) if scaled else np.zeros(n, bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(has_size, revenue / size, np.nan)
    out = _Peers(
        np.full(n, np.nan), np.full(n, -1, np.int8), np.full(n, -1, np.int64), np.zeros(n, np.int64),
        np.full(n, np.nan), np.zeros(n, bool), {},
    )  # fmt: skip
    todo = np.ones(n, bool)
    for level in range(len(fields), -1, -1):
        if level:
            key = pd.DataFrame({f: c for f, c in zip(fields[:level], codes[:level], strict=True)})
            group = key.groupby(list(key.columns), sort=False).ngroup().to_numpy(np.int64)
        else:
            group = np.zeros(n, np.int64)
        n_groups = int(group.max()) + 1 if n else 0
        need = settings.min_peers if level else 1
        for per_size, members in ((True, customer & has_size), (False, customer)):
            targets = todo & (has_size if per_size else ~has_size)
            if not targets.any():
                continue
            values = ratio[members] if per_size else revenue[members]
            g = group[members]
            count = np.bincount(g, minlength=n_groups)
            if average:
                stat = group_mean(g, values, n_groups)
            else:
                stat = group_quantile(g, values, settings.quantile, n_groups)
            ok = targets & (count[group] >= need)
            rows = np.flatnonzero(ok)
            out.basis[rows] = stat[group[rows]]
            out.value[rows] = out.basis[rows] * (size[rows] if per_size else 1.0)
            out.level[rows], out.group[rows], out.peers[rows] = level, group[rows], count[group[rows]]
            out.scaled[rows] = per_size
            todo &= ~ok
        if level not in out.group_text and (out.level == level).any():
            out.group_text[level] = group_texts(
                accounts, fields[:level], codes[:level], group, edges, size_field
            )
    return out


def firmographic_wallets(
    accounts: pd.DataFrame, settings: WalletSettings
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(wallet, size, rate, industry's rate or not): the size field times the industry's rate (or the
    default rate)."""
    size = _numbers(accounts, settings.size_field)
    size[size <= 0] = np.nan
    n = len(accounts)
    rate = np.full(n, np.nan if settings.default_rate is None else settings.default_rate)
    if settings.rates and "industry" in accounts.columns:
        lookup = {k.casefold(): v for k, v in settings.rates}
        industry = accounts["industry"].astype("string").str.strip().str.casefold()
        given = industry.map(lookup).astype("float64").to_numpy(na_value=np.nan)
        rate = np.where(np.isnan(given), rate, given)
        return size * rate, size, rate, ~np.isnan(given)
    return size * rate, size, rate, np.zeros(n, bool)


def estimate_wallets(
    accounts: pd.DataFrame, settings: WalletSettings | None = None, currency: str = "$"
) -> WalletEstimate:
    """The wallet of every account: the file's where it gives one; else the settings' method (peers or
    firmographic, each falling back on the other where it has nothing to go on); never below the account's
    own revenue. Vectorised: a few group-bys over the whole table, no loop over accounts."""
    settings = settings or WalletSettings()
    n = len(accounts)
    revenue = _numbers(accounts, "revenue")
    file_value = _file_wallet(accounts, revenue)
    source = np.where(np.isnan(file_value), NONE, FILE).astype(np.int8)
    value = file_value.copy()
    size_field, size = _size(accounts)
    est = WalletEstimate(value, source, settings, currency, size=size, size_field=size_field)
    est.level, est.group = np.full(n, -1, np.int8), np.full(n, -1, np.int64)
    est.peers, est.basis, est.rate = np.zeros(n, np.int64), np.full(n, np.nan), np.full(n, np.nan)
    est.scaled, est.floored, est.industry_rate = np.zeros(n, bool), np.zeros(n, bool), np.zeros(n, bool)
    need = ~file_gives(accounts) & ~nothing_to_go_on(accounts, revenue, size)
    if settings.method == "given" or not need.any():
        return est
    peers = peer_wallets(accounts, settings, revenue, size_field, size)
    firm, firm_size, rate, by_industry = firmographic_wallets(accounts, settings)
    order = (PEERS, FIRMOGRAPHIC) if settings.method == "peers" else (FIRMOGRAPHIC, PEERS)
    for kind in order:
        candidate = peers.value if kind == PEERS else firm
        take = need & np.isnan(value) & ~np.isnan(candidate)
        value[take] = candidate[take]
        source[take] = kind
    at = source == PEERS
    est.level[at], est.group[at], est.peers[at] = peers.level[at], peers.group[at], peers.peers[at]
    est.basis[at], est.scaled[at] = peers.basis[at], peers.scaled[at]
    est.group_text = peers.group_text
    est.fields_used = tuple(f for f in settings.peer_fields if (f == "size" and size_field) or f in accounts)
    firm_at = source == FIRMOGRAPHIC
    est.rate[firm_at] = rate[firm_at]
    est.industry_rate = firm_at & by_industry
    if firm_at.any() and settings.size_field != size_field:
        est.size = np.where(firm_at, firm_size, size)
    estimated = at | firm_at
    below = estimated & (revenue > value)
    value[below] = revenue[below]  # a wallet is never below what the account already spends with us
    est.floored = below
    return est


# ---------------------------------------------------------------- each account's wallet in words


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
    return np.strings.add(count_text(size).astype(str), " employees").astype(object), "employee"


def _peer_notes(w: WalletEstimate, rows: np.ndarray, head: np.ndarray) -> np.ndarray:
    q = ordinal(w.settings.quantile)
    level, group = w.level[rows], w.group[rows]
    among = np.full(len(rows), "", dtype=object)
    for lv in np.unique(level).tolist():
        at = level == lv
        texts = w.group_text.get(lv)
        among[at] = texts[group[at]] if texts is not None else "accounts"
    among = join_texts(
        " among ", np.array([f"{p:,}" for p in w.peers[rows].tolist()], dtype=object), " ", among
    )
    scaled = w.scaled[rows]
    size_text, unit = _size_text(w, w.size[rows])
    if unit == "company":
        per = join_texts(
            percent(w.basis[rows]), " of ", size_text, f", the {q} of revenue as a share of company revenue"
        )
    else:
        per = join_texts(
            size_text, " × ", money(w.basis[rows], w.currency), f", the {q} of revenue per employee"
        )
    body = np.where(scaled, join_texts(per, among), join_texts(f"{q} of revenue", among))
    estimate = np.where(scaled, w.basis[rows] * w.size[rows], w.basis[rows])
    floored = w.floored[rows]
    raised = join_texts(
        ": its own revenue, above the estimate ", money(estimate, w.currency), " (", body, ")"
    )
    return np.where(floored, head + raised, head + ": " + body).astype(object)


def _firmographic_notes(w: WalletEstimate, rows: np.ndarray, head: np.ndarray) -> np.ndarray:
    s = w.settings
    size = w.size[rows]
    rate = w.rate[rows]
    if s.size_field == "company_revenue":
        body = join_texts(
            "company revenue ", money(size, w.currency), " × ", percent(rate), " spent in our category"
        )
    else:
        body = join_texts(count_text(size), " employees × ", money(rate, w.currency), " per employee")
    kind = np.where(w.industry_rate[rows], " (the industry's rate)", " (the default rate)")
    body = join_texts(body, kind.astype(object))
    floored = w.floored[rows]
    raised = join_texts(
        ": its own revenue, above the estimate ", money(size * rate, w.currency), " (", body, ")"
    )
    return np.where(floored, head + raised, head + ": " + body).astype(object)
