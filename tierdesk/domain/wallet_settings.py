"""The playbook's [wallet] settings: how the wallets a territory file lacks are estimated (see wallet.py),
read and validated naming the key at fault, and written back."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Literal

from tierdesk.domain.playbook_table import Table

__all__ = ["METHODS", "PEER_FIELDS", "SIZE_FIELDS", "WalletSettings", "read_wallet", "wallet_to_dict"]

METHODS = ("peers", "firmographic", "given")
#: Company size fields, in the order a size band is taken from.
SIZE_FIELDS = ("employees", "company_revenue")
#: Account fields peers may be matched on; "size" is a band of the first size field the file has.
PEER_FIELDS = ("industry", "size", "segment", "region", "territory", "country")
EMPLOYEE_BANDS = (10.0, 50.0, 250.0, 1_000.0, 5_000.0, 25_000.0)
COMPANY_REVENUE_BANDS = (1e6, 1e7, 5e7, 2.5e8, 1e9, 1e10)


@dataclass(frozen=True)
class WalletSettings:
    """The playbook's [wallet] table (resources/playbooks/default.toml documents each key)."""

    method: Literal["peers", "firmographic", "given"] = "peers"
    quantile: float = 0.9
    peer_fields: tuple[str, ...] = ("industry", "segment", "region")  # size: through per_size, or add "size"
    min_peers: int = 20
    per_size: bool = True  # peers: the quantile of revenue per employee (or per $ of company revenue) x size
    employee_bands: tuple[float, ...] = EMPLOYEE_BANDS
    company_revenue_bands: tuple[float, ...] = COMPANY_REVENUE_BANDS
    size_field: Literal["employees", "company_revenue"] = "employees"  # firmographic: the size rated
    rates: tuple[tuple[str, float], ...] = ()  # firmographic: industry -> spend per unit of size
    default_rate: float | None = None  # firmographic: for industries without a rate (None: no estimate)


# ---------------------------------------------------------------- reading and writing


def _bands(t: Table, name: str, default: tuple[float, ...]) -> tuple[float, ...]:
    values = t.get(name, "list", list(default))
    for i, v in enumerate(values):
        if isinstance(v, bool) or not isinstance(v, int | float) or not v > 0:
            t.fail(name, f"item {i} must be a number above 0, got {v!r}")
    if any(b <= a for a, b in itertools.pairwise(values)):
        t.fail(name, f"band edges must rise, smallest first; got {values!r}")
    return tuple(float(v) for v in values)


def read_wallet(t: Table) -> WalletSettings:
    """The optional [wallet] table, validated naming the key at fault; defaults where keys are left out."""
    d = WalletSettings()
    method = t.get("method", "text", d.method, METHODS)
    q = t.number("quantile", d.quantile)
    if not 0 < q <= 1:
        t.fail(
            "quantile", f"a quantile is a fraction above 0 and at most 1 (got {q!r}; for the 90th write 0.9)"
        )
    fields = t.get("peer_fields", "list", list(d.peer_fields))
    for i, f in enumerate(fields):
        if f not in PEER_FIELDS:
            t.fail("peer_fields", f"item {i}: unknown field {f!r} (use any of: {', '.join(PEER_FIELDS)})")
    if len(set(fields)) < len(fields):
        t.fail("peer_fields", "a field is named twice")
    min_peers = t.get("min_peers", "integer", d.min_peers)
    if min_peers < 1:
        t.fail("min_peers", f"must be 1 or more, got {min_peers!r}")
    per_size = t.get("per_size", "yes/no", d.per_size)
    emp = _bands(t, "employee_bands", d.employee_bands)
    comp = _bands(t, "company_revenue_bands", d.company_revenue_bands)
    firm = t.table("firmographic", optional=True)
    size_field = firm.get("size_field", "text", d.size_field, SIZE_FIELDS)
    default_rate = firm.number("default_rate", None, low=0)
    rates_table = firm.table("rates", optional=True)
    rates = tuple((str(k), float(rates_table.number(k, low=0))) for k in list(rates_table.data))
    rates_table.done()
    firm.done()
    t.done()
    if method == "firmographic" and not rates and default_rate is None:
        t.fail("firmographic", 'method "firmographic" needs rates per industry or a default_rate')
    return WalletSettings(
        method, float(q), tuple(fields), min_peers, per_size, emp, comp, size_field, rates, default_rate
    )


def wallet_to_dict(w: WalletSettings) -> dict[str, Any]:
    """TOML-ready data for the [wallet] table; read_wallet of it gives the same settings."""
    firm: dict[str, Any] = {"size_field": w.size_field}
    if w.default_rate is not None:
        firm["default_rate"] = w.default_rate
    if w.rates:
        firm["rates"] = dict(w.rates)
    return {
        "method": w.method,
        "quantile": w.quantile,
        "peer_fields": list(w.peer_fields),
        "min_peers": w.min_peers,
        "per_size": w.per_size,
        "employee_bands": list(w.employee_bands),
        "company_revenue_bands": list(w.company_revenue_bands),
        "firmographic": firm,
    }
