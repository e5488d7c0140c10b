"""The account table: canonical fields a territory file is mapped onto, with their kinds and dtypes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

FieldKind = Literal["id", "text", "category", "money", "number", "percent", "date", "flag", "list"]


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: FieldKind
    description: str


FIELDS: tuple[Field, ...] = (
    Field("account_id", "Account ID", "id", "Identifies one account; kept as text (leading zeros survive)."),
    Field("account_name", "Account Name", "text", "The customer's name."),
    Field("territory", "Territory", "category", "The set of accounts a seller or team covers."),
    Field("region", "Region", "category", "Sales region."),
    Field("country", "Country", "category", "Country."),
    Field("industry", "Industry", "category", "Vertical or industry."),
    Field("segment", "Segment", "category", "Customer segment (Enterprise, Mid-Market, SMB...)."),
    Field("owner", "Owner", "category", "The seller who owns the account."),
    Field("revenue", "Current Revenue", "money", "Our revenue from the account (e.g. last 12 months)."),
    Field("wallet", "Wallet Estimate", "money", "The account's total spend in our category."),
    Field("potential", "Growth Potential", "money", "Upside still to win: wallet - revenue if not given."),
    Field("projected_value", "Projected Value", "money", "Expected worth: revenue plus realistic growth."),
    Field("share_of_wallet", "Share of Wallet", "percent", "Our revenue / wallet, if the file states it."),
    Field("employees", "Employees", "number", "Headcount."),
    Field("last_purchase", "Last Purchase", "date", "Date of the latest purchase; empty means no purchase."),
    Field("products", "Products Owned", "list", "Products bought: a count or a list ('CRM; Billing')."),
    Field("areas", "Areas Present", "list", "Business units or geographies present: a count or a list."),
    Field("executive_sponsor", "Executive Sponsor", "flag", "Has an executive sponsor (yes/no or a name)."),
    Field("referenceable", "Referenceable", "flag", "Willing to act as a reference."),
    Field("order_count", "Orders", "number", "Number of orders (set when order lines are rolled up)."),
    Field("company_revenue", "Company Revenue", "money", "The company's own total revenue: its size."),
    Field(
        "trend",
        "Revenue Trend",
        "percent",
        "Revenue in the file's last 12 months against the 12 before (+25%: grew by a quarter); order lines.",
    ),
)

FIELD_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
FIELD_KEYS: tuple[str, ...] = tuple(f.key for f in FIELDS)
IDENTITY_FIELDS: tuple[str, ...] = ("account_id", "account_name")
NUMERIC_KINDS: frozenset[str] = frozenset({"money", "number", "percent"})


def dtype_for(kind: FieldKind) -> str:
    """The pandas dtype a canonical column of this kind has after coercion."""
    return {
        "id": "string",
        "text": "string",
        "category": "category",
        "money": "float64",
        "number": "float64",
        "percent": "float64",  # a fraction: 35% is 0.35
        "date": "datetime64[ns]",
        "flag": "boolean",
        "list": "object",  # text list or count; see breadth()
    }[kind]


def label(column: str) -> str:
    """Display label for a column: the canonical label, or the source header for extra columns."""
    field = FIELD_BY_KEY.get(column)
    return field.label if field else column


def breadth(values: pd.Series) -> np.ndarray:
    """How many products/areas each account has, from a count or from list text ('CRM; Billing, ERP').

    Vectorised. Empty or missing gives NaN.
    """
    if pd.api.types.is_numeric_dtype(values.dtype):
        return values.to_numpy(dtype="float64", na_value=np.nan)
    numeric = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    text = values.astype("string").str.strip()
    items = (text.str.count(r"[;,|/\n]") + 1).astype("Float64")
    items = items.where(text.str.len() > 0)
    counted = items.to_numpy(dtype="float64", na_value=np.nan)
    return np.where(np.isnan(numeric), counted, numeric)
