"""Numbers as a planner reads them: $1,234,567 in tables, $1.2M on labels, 35% for shares; small amounts
keep their cents ($0.62, not $1)."""

from __future__ import annotations

import math

CURRENCY = "$"


def _cents(v: float) -> str | None:
    """A small amount with its cents ("0.62", "4.25"), or None when whole dollars say it (v ≥ 0)."""
    if v >= 9.995 or round(v, 2) == round(v):
        return None
    return f"{v:.2f}" if v >= 0.005 else None


def format_money(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    sign = "-" if value < 0 else ""
    v = abs(value)
    if 0 < v < 0.005:
        return f"{sign}<{CURRENCY}0.01"
    return f"{sign}{CURRENCY}{_cents(v) or f'{v:,.0f}'}"


def short_money(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    sign = "-" if value < 0 else ""
    v = abs(value)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if v >= limit * 0.9995:  # $999.6 reads "$1k", as it rounds
            scaled = v / limit
            text = f"{scaled:.1f}" if scaled < 100 else f"{scaled:.0f}"
            return f"{sign}{CURRENCY}{text.removesuffix('.0')}{suffix}"
    if 0 < v < 0.005:
        return f"{sign}<{CURRENCY}0.01"
    return f"{sign}{CURRENCY}{_cents(v) or f'{v:.0f}'}"


def signed_money(value: float) -> str:
    return ("+" if value > 0 else "") + short_money(value) if value else f"±{CURRENCY}0"


def percent(value: float | None, digits: int = 0) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value * 100:.{digits}f}%"


def menu_text(text: str) -> str:
    """A name for a menu, an action or a button: its "&" is shown ("Land & Expand"), not taken as the mark
    of a keyboard shortcut ("Land _Expand")."""
    return text.replace("&", "&&")


def short_number(value: float) -> str:
    if not math.isfinite(value):
        return "–"
    v = abs(value)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if v >= limit:
            return f"{value / limit:.1f}".removesuffix(".0") + suffix
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
