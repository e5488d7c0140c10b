"""Order lines without an amount: each line's revenue is quantity × unit price (less a discount where one
clearly applies), and returns and cancelled invoices net off."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tierdesk.io.amounts import to_numbers
from tierdesk.io.mapping import ORDER_NUMBER_HEADERS, guess_mapping, normalise
from tierdesk.io.words import header_has

# fmt: off
QUANTITY = frozenset(normalise(h) for h in (
    "quantity", "qty", "quantity ordered", "order quantity", "units", "units sold", "unit count", "menge",
    "anzahl", "stuck", "stueck", "stk", "quantite", "qte", "cantidad", "unidades", "cant",
))
PRICE = frozenset(normalise(h) for h in (
    "unit price", "price", "price each", "unit sale price", "sale price", "sales price", "selling price",
    "price per unit", "net price", "einzelpreis", "stuckpreis", "preis", "vk preis", "verkaufspreis",
    "prix unitaire", "prix", "pu", "prix de vente", "precio unitario", "precio", "precio de venta",
))
DISCOUNT = frozenset(normalise(h) for h in (
    "discount", "discount %", "discount pct", "discount rate", "disc", "rabatt", "rabatt %", "remise",
    "remise %", "descuento", "dto", "dto %",
))
DISCOUNT_AMOUNT = frozenset(normalise(h) for h in (
    "discount amount", "discount value", "rabattbetrag", "montant remise", "importe descuento",
))
# fmt: on
#: What a derived line amount's header starts with (read by the mapping as revenue).
LINE_AMOUNT = "Line amount"


def _find(headers: list[str], names: frozenset[str]) -> str | None:
    return next((h for h in headers if normalise(h) in names), None)


def add_line_amounts(headers: list[str], data: pd.DataFrame) -> tuple[str, pd.Series, list[str]] | None:
    """A 'Line amount = Quantity × Unit Price' column when the lines carry no amount (or an amount column
    that reads empty), with what was done in words; None when the table has an amount or no price."""
    quantity, price = _find(headers, QUANTITY), _find(headers, PRICE)
    if quantity is None or price is None:
        return None
    mapping = guess_mapping(headers, data.head(200))
    revenue = mapping.get("revenue")
    empty_amount = revenue is not None and _is_empty(data[revenue])
    if revenue is not None and not empty_amount:
        return None
    qty = to_numbers(data[quantity].to_numpy(dtype=object)).values.to_numpy(dtype=np.float64)
    unit = to_numbers(data[price].to_numpy(dtype=object), "money").values.to_numpy(dtype=np.float64)
    amount = qty * unit
    formula = f"{quantity} × {price}"
    said = [
        f"Revenue per line is '{quantity}' × '{price}'"
        + (f" ('{revenue}' reads empty: its formulas have no saved values)" if empty_amount else "")
    ]
    discounted = _discount(headers, data, amount)
    if discounted is not None:
        amount, formula, note = discounted[0], formula + discounted[1], discounted[2]
        said[0] += note
    returns = qty < 0
    cancelled = _cancelled(headers, data)
    if cancelled is not None:
        returns |= cancelled
        amount = np.where(cancelled, -np.abs(amount), amount)
    if returns.any():
        said.append(
            f"{int(returns.sum()):,} lines are returns or cancellations (negative quantities"
            + (", invoice numbers starting with 'C'" if cancelled is not None and cancelled.any() else "")
            + f"): they net off {np.nansum(amount[returns]):,.2f} against the sales"
        )
    header = f"{LINE_AMOUNT} = {formula}"
    return header, pd.Series(amount, index=data.index, dtype=object), said


def _is_empty(column: pd.Series) -> bool:
    values = column.to_numpy(dtype=object)
    filled = sum(1 for v in values[:1000] if v != "" and v is not None and v == v)
    return filled == 0 and len(values) > 0


def _discount(
    headers: list[str], data: pd.DataFrame, amount: np.ndarray
) -> tuple[np.ndarray, str, str] | None:
    """Amounts less a discount column that clearly applies: a fraction (0.05), a percentage column
    ('Discount %', 0-100) or an amount ('Discount Amount')."""
    as_amount = _find(headers, DISCOUNT_AMOUNT)
    if as_amount is not None:
        off = to_numbers(data[as_amount].to_numpy(dtype=object), "money").values.to_numpy(dtype=np.float64)
        return amount - np.nan_to_num(off), f" − {as_amount}", f", less '{as_amount}'"
    column = _find(headers, DISCOUNT)
    if column is None:
        return None
    rate = to_numbers(data[column].to_numpy(dtype=object), "percent").values.to_numpy(dtype=np.float64)
    filled = rate[~np.isnan(rate)]
    if not len(filled) or filled.min() < 0 or filled.max() > 1:
        return None
    kept = 1.0 - np.nan_to_num(rate)
    return amount * kept, f" × (1 − {column})", f", less the discount in '{column}'"


def _cancelled(headers: list[str], data: pd.DataFrame) -> np.ndarray | None:
    """Lines of invoices whose number starts with 'C' (a cancellation or credit note)."""
    column = next((h for h in headers if normalise(h) in ORDER_NUMBER_HEADERS), None)
    if column is None or (header_has(column, ("order",)) and not header_has(column, ("invoice",))):
        return None
    text = pd.Series(data[column].to_numpy(dtype=object), dtype=object).astype(str).str.strip()
    found = text.str.match(r"^[Cc]\d").to_numpy(dtype=bool)
    return found if found.any() else None
