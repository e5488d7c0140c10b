"""Numbers as a planner reads them ($2.1M, 35%, 3.25), vectorised; the digits a dragged split line
rounds to; and element-wise joining of text arrays."""

from __future__ import annotations

from itertools import repeat

import numpy as np

from tierdesk.domain.playbook import Formula

__all__ = ["axis_text", "join_texts", "money", "number", "number_strings", "percent", "round_as_shown"]

_PERCENT = frozenset({"share_of_wallet"})
_MONEY = frozenset({"revenue", "wallet", "potential", "projected_value"})


def number_strings(values: np.ndarray) -> np.ndarray:
    """Rounded numbers as text, without a trailing ".0" (vectorised; -0 shows as 0)."""
    text = (values + 0.0).astype(str)
    return np.where(np.strings.endswith(text, ".0"), np.strings.slice(text, 0, -2), text)


def money(values: np.ndarray | float, currency: str = "$") -> np.ndarray:
    """$2.1M, $800k, $950, $0.62 (cents below $10, "<$0.01" below a cent), -$12.5k; "n/a" where unknown."""
    v = np.atleast_1d(np.asarray(values, float))
    a = np.abs(v)
    unit = (a >= 999.5).astype(np.int8) + (a >= 999_500) + (a >= 999_500_000)
    scaled = a / 1000.0**unit
    rounded = np.where((scaled < 100) & (unit > 0), np.round(scaled, 1), np.round(scaled))
    cents = np.round(a, 2)
    small = (unit == 0) & (a < 9.995) & (cents != np.round(a))  # $0.62, $4.25: not "$1" or "$4"
    rounded = np.where(small, cents, rounded)
    sign = np.where((v < 0) & (rounded > 0), "-", "")
    figures = np.where(small, np.char.mod("%.2f", cents), number_strings(rounded))
    text = np.strings.add(np.strings.add(sign, currency), figures)
    text = np.strings.add(text, np.array(["", "k", "M", "B"])[unit])
    tiny = (a > 0) & (a < 0.005)
    text = np.where(tiny, np.strings.add(np.where(v < 0, "-<", "<"), f"{currency}0.01"), text)
    return np.where(np.isfinite(v), text, "n/a")


def percent(values: np.ndarray | float) -> np.ndarray:
    """12%, 35%, 4.5%; "n/a" where unknown."""
    p = np.atleast_1d(np.asarray(values, float)) * 100
    text = np.strings.add(number_strings(np.where(np.abs(p) < 10, np.round(p, 1), np.round(p))), "%")
    return np.where(np.isfinite(p), text, "n/a")


def number(values: np.ndarray | float) -> np.ndarray:
    v = np.atleast_1d(np.asarray(values, float))
    small = np.where(np.isfinite(v), number_strings(np.round(v, 2)), "n/a")
    return np.where(np.abs(v) >= 1000, money(v, ""), small)


def axis_text(formula: Formula, values: np.ndarray | float, currency: str) -> np.ndarray:
    names = {f for f, _ in formula}
    if names <= _PERCENT:
        return percent(values)
    return money(values, currency) if names <= _MONEY else number(values)


def round_as_shown(formula: Formula, value: float) -> float:
    """`value` rounded to the digits axis_text shows of it (47%, $812k, $1.2M, 3.25): a split line set by
    dragging lands on the figure the planner read on it."""
    if not np.isfinite(value):
        return value
    names = {f for f, _ in formula}
    if names <= _PERCENT:
        shown = value * 100
        return round(shown, 1 if abs(shown) < 10 else 0) / 100
    if names <= _MONEY or abs(value) >= 999.5:
        a = abs(value)
        if a < 9.995:
            return round(value, 2)  # cents, as money() shows small amounts
        unit = 1000.0 ** int((a >= 999.5) + (a >= 999_500) + (a >= 999_500_000))
        scaled = a / unit
        kept = round(scaled, 1) if scaled < 100 and unit > 1 else round(scaled)
        return float(np.copysign(kept * unit, value))
    return round(value, 2)


def join_texts(*parts: np.ndarray | str) -> np.ndarray:
    """Join text arrays and constants (str or one-element arrays) element-wise, as an object array of str."""
    n = max(len(p) for p in parts if isinstance(p, np.ndarray))
    columns = [
        p.tolist()
        if isinstance(p, np.ndarray) and len(p) == n
        else repeat(str(p[0]) if isinstance(p, np.ndarray) else p, n)
        for p in parts
    ]
    out = np.empty(n, object)
    out[:] = ["".join(t) for t in zip(*columns, strict=False)]  # constants repeat without end
    return out
