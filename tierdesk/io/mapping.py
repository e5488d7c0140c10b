"""Which source column holds which canonical account field: header synonyms, a guess, and its problems."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping

import pandas as pd

from tierdesk.domain.accounts import FIELD_BY_KEY, FIELD_KEYS, IDENTITY_FIELDS, NUMERIC_KINDS
from tierdesk.io.coerce import sample_fit

#: canonical key -> header names it is known by, best first; compared normalised (see `normalise`).
# fmt: off
SYNONYMS: dict[str, tuple[str, ...]] = {
    "account_id": (
        "account id", "account number", "account no", "account #", "account code", "account key", "acct id",
        "acct no", "acct number", "customer id", "customer number", "customer no", "customer #",
        "customer code", "customer key", "client id", "client number", "client no", "company id",
        "organisation id", "organization id", "business entity id", "store id", "store key", "crm id",
        "salesforce id", "sfdc id", "sold-to", "sold to party", "debtor number", "kundennummer", "kunden nr",
        "kundennr", "numero client", "n client", "id cliente", "codigo cliente", "id",
    ),
    "account_name": (
        "account name", "account", "customer name", "customer", "client name", "client", "company name",
        "company", "organisation", "organization", "organisation name", "organization name", "business name",
        "store name", "store", "account title", "legal name", "name", "firma", "firmenname", "kunde",
        "kundenname", "nom client", "raison sociale", "nombre cliente", "razon social", "cliente",
    ),
    "territory": (
        "territory", "territory name", "sales territory", "territory id", "territory code",
        "sales territory key", "sales territory id", "territory key", "district", "patch", "gebiet",
        "vertriebsgebiet",
    ),
    "region": (
        "region", "sales region", "geo", "geography", "sales area", "zone", "regione",
    ),
    "country": (
        "country", "country name", "country region", "country/region", "country region name", "country code",
        "nation", "land", "pays", "pais",
    ),
    "industry": (
        "industry", "vertical", "sector", "industry segment", "industry group", "sic description",
        "naics description", "branche", "secteur", "industria",
    ),
    "segment": (
        "segment", "customer segment", "market segment", "account segment", "customer type", "account type",
        "company size", "size", "business type", "customer class", "kundensegment",
    ),
    "owner": (
        "owner", "account owner", "sales rep", "sales representative", "salesperson", "sales person",
        "account manager", "key account manager", "account executive", "seller", "rep", "am", "ae", "kam",
        "assigned to", "owner name", "sales owner", "betreuer", "vendeur", "employee id",
    ),
    "revenue": (
        "revenue", "current revenue", "annual revenue", "revenue ttm", "ttm revenue", "ltm revenue",
        "revenue ltm", "revenue last 12 months", "sales amount", "sales", "net sales", "total sales",
        "annual sales", "arr", "bookings", "turnover", "amount", "umsatz", "chiffre d affaires", "ventas",
        "line total", "extended price",
    ),
    "wallet": (
        "wallet", "wallet estimate", "wallet size", "total wallet", "category spend", "total spend",
        "addressable spend", "it spend", "spend", "tam", "total addressable market", "wallet potential",
    ),
    "potential": (
        "growth potential", "potential", "upside", "opportunity", "whitespace", "white space",
        "open opportunity", "headroom", "expansion potential", "potenzial",
    ),
    "projected_value": (
        "projected value", "projected revenue", "forecast", "forecast revenue", "expected value",
        "expected revenue", "next year revenue", "plan revenue", "target revenue",
    ),
    "share_of_wallet": (
        "share of wallet", "sow", "wallet share", "share", "penetration", "sow %",
    ),
    "employees": (
        "employees", "number of employees", "number employees", "employee count", "no of employees",
        "headcount", "fte", "ftes", "staff", "company size employees", "mitarbeiter", "effectif",
    ),
    "last_purchase": (
        "last purchase", "last purchase date", "last order", "last order date", "last invoice date",
        "last sale", "last sale date", "last transaction", "last transaction date", "most recent order",
        "order date", "invoice date", "purchase date", "transaction date", "date",
    ),
    "products": (
        "products", "products owned", "product count", "number of products", "product lines", "product",
        "product key", "product id", "product name", "sku", "item", "item code", "solutions", "produkte",
    ),
    "areas": (
        "areas", "areas present", "business units", "geographies", "divisions", "sites", "locations",
        "departments", "footprint", "countries present",
    ),
    "executive_sponsor": (
        "executive sponsor", "exec sponsor", "sponsor", "has executive sponsor", "c level sponsor",
        "executive sponsor name",
    ),
    "referenceable": (
        "referenceable", "reference", "reference account", "reference customer", "referencable",
    ),
    "order_count": (
        "orders", "order count", "number of orders", "no of orders", "# orders", "orders count",
    ),
    "company_revenue": (
        "company revenue", "company annual revenue", "annual company revenue", "total company revenue",
        "firm revenue", "organisation revenue", "organization revenue", "revenue (company)",
    ),
    "trend": ("revenue trend", "trend", "growth rate", "yoy growth", "revenue growth"),
}
# fmt: on

#: Headers of an order or invoice number: on order lines, orders are counted as distinct numbers.
ORDER_NUMBER_HEADERS = frozenset(
    {
        "auftragsnummer", "bestellnummer", "documentnumber", "invoiceid", "invoiceno", "invoicenumber",
        "orderid", "orderno", "ordernumber", "salesorderid", "salesordernumber",
    }
)  # fmt: skip


def normalise(text: object) -> str:
    """'Acct. Name' -> 'acctname'; compares headers ignoring case, accents, spaces and punctuation."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    plain = plain.replace("&", "and").replace("#", "number").replace("%", "pct")
    return re.sub(r"[^0-9a-z]+", "", plain)


_NORMALISED: dict[str, tuple[str, ...]] = {k: tuple(normalise(s) for s in v) for k, v in SYNONYMS.items()}
#: normalised synonym -> canonical key (first key wins).
SYNONYM_INDEX: dict[str, str] = {}
for _key, _names in _NORMALISED.items():
    for _name in _names:
        SYNONYM_INDEX.setdefault(_name, _key)


def header_match(header: str) -> tuple[str, float] | None:
    """The canonical key a header names best and how sure that is (100 exact ... 30 partial)."""
    best: tuple[str, float] | None = None
    for key, score in _scores(normalise(header)):
        if best is None or score > best[1]:
            best = (key, score)
    return best


def _scores(n: str) -> list[tuple[str, float]]:
    found: list[tuple[str, float]] = []
    if not n:
        return found
    for key, names in _NORMALISED.items():
        best = 0.0
        for rank, syn in enumerate(names):
            if n == syn:
                score = 100.0 - rank * 0.5
            elif len(syn) >= 4 and n.endswith(syn):
                score = 45.0 + len(syn) * 0.5 - rank * 0.1
            elif len(syn) >= 5 and syn in n:
                score = 30.0 + len(syn) * 0.5 - rank * 0.1
            else:
                continue
            best = max(best, score)
        if best:
            found.append((key, best))
    return found


def guess_mapping(headers: list[str], data: pd.DataFrame | None = None) -> dict[str, str]:
    """canonical key -> header, from header names; sample values (numbers, dates) settle close calls."""
    candidates: list[tuple[float, int, str, str]] = []
    for order, header in enumerate(headers):
        for key, score in _scores(normalise(header)):
            if data is not None and header in data.columns:
                score += _fit(key, data[header])
            if score > 0:
                candidates.append((score, -order, key, header))
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for _score, _order, key, header in sorted(candidates, reverse=True):
        if key in mapping or header in used:
            continue
        mapping[key] = header
        used.add(header)
    return {key: mapping[key] for key in FIELD_KEYS if key in mapping}


def _fit(key: str, column: pd.Series) -> float:
    """Bonus or penalty for how well a column's first values suit the field's kind."""
    kind = FIELD_BY_KEY[key].kind
    fit = sample_fit(column, kind)
    if fit is None:
        return 0.0
    if kind in NUMERIC_KINDS or kind == "date":
        return 10.0 * fit if fit >= 0.6 else -60.0
    if kind in ("id", "text", "category"):
        return -15.0 if fit < 0.2 and key != "account_id" else 0.0
    return 0.0


def header_signature(headers: list[str]) -> str:
    """A stable key for a set of headers, so a confirmed mapping can be offered again for the same layout."""
    text = "\x1f".join(sorted(str(h).strip() for h in headers))
    return "h1-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]


def mapping_problems(mapping: Mapping[str, str], headers: list[str] | None = None) -> list[str]:
    """What keeps a mapping from loading, in the planner's words; empty when it can load."""
    problems: list[str] = []
    if not any(mapping.get(key) for key in IDENTITY_FIELDS):
        problems.append(
            "Map a column to Account ID or Account Name: tierdesk needs one of them to tell accounts apart."
        )
    for key in mapping:
        if key not in FIELD_BY_KEY:
            problems.append(f"'{key}' is not an account field tierdesk knows.")
    seen: dict[str, str] = {}
    for key, header in mapping.items():
        if not header or key not in FIELD_BY_KEY:
            continue
        if header in seen:
            problems.append(
                f"Column '{header}' is mapped twice (to {FIELD_BY_KEY[seen[header]].label} and "
                f"{FIELD_BY_KEY[key].label}); map it to one field."
            )
        seen[header] = key
        if headers is not None and header not in headers:
            problems.append(f"Column '{header}' (mapped to {FIELD_BY_KEY[key].label}) is not in the file.")
    return problems


__all__ = [
    "ORDER_NUMBER_HEADERS",
    "SYNONYMS",
    "SYNONYM_INDEX",
    "guess_mapping",
    "header_match",
    "header_signature",
    "mapping_problems",
    "normalise",
]
