"""Which source column holds which canonical account field: header synonyms, a guess, and its problems."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from tierdesk.domain.accounts import FIELD_BY_KEY, FIELD_KEYS, IDENTITY_FIELDS, NUMERIC_KINDS
from tierdesk.io.coerce import sample_fit
from tierdesk.io.identity import SAMPLE_ROWS, settle_identity
from tierdesk.io.words import NOT_ACCOUNT_WORDS, header_has

#: canonical key -> header names it is known by, best first; compared normalised (see `normalise`).
# fmt: off
SYNONYMS: dict[str, tuple[str, ...]] = {
    "account_id": (
        "account id", "account number", "account no", "account #", "account code", "account key", "acct id",
        "acct no", "acct number", "customer id", "customer number", "customer no", "customer #",
        "customer code", "customer key", "client id", "client number", "client no", "company id",
        "organisation id", "organization id", "business entity id", "store id", "store key", "crm id",
        "salesforce id", "sfdc id", "sold-to", "sold to party", "debtor number", "kundennummer", "kunden nr",
        "kundennr", "kd nr", "debitor", "debitorennummer", "debitor nr", "kundenid", "numero client",
        "numero de client", "n client", "code client", "identifiant client", "id client", "id cliente",
        "codigo cliente", "codigo de cliente", "cod cliente", "numero de cliente", "n cliente",
        "reseller key", "reseller id", "dealer id", "partner id", "customer account", "a/c", "a/c ref", "id",
    ),
    "account_name": (
        "account name", "account", "acct name", "customer name", "customer", "cust name", "client name",
        "client", "company name", "company", "organisation", "organization", "organisation name",
        "organization name", "business name",
        "store name", "store", "account title", "legal name", "reseller", "reseller name", "dealer",
        "dealer name", "name", "firma", "firmenname", "kunde", "kundenname", "name des kunden", "unternehmen",
        "nom client", "nom du client", "client final", "societe", "entreprise", "raison sociale",
        "nombre cliente", "nombre del cliente", "razon social", "cliente", "empresa", "nombre empresa",
        "compania", "contact", "contact name",
    ),
    "territory": (
        "territory", "territory name", "sales territory", "territory id", "territory code",
        "sales territory key", "sales territory id", "territory key", "district", "patch", "gebiet",
        "vertriebsgebiet", "verkaufsgebiet", "territoire", "secteur de vente", "territorio", "zona de venta",
    ),
    "region": (
        "region", "sales region", "geo", "geography", "sales area", "zone", "regione", "regional office",
        "vertriebsregion", "zona", "provincia", "province", "state", "bundesland", "departement",
        "comunidad autonoma",
    ),
    "country": (
        "country", "country name", "country region", "country/region", "country region name", "country code",
        "nation", "land", "pays", "pais",
    ),
    "industry": (
        "industry", "vertical", "sector", "industry segment", "industry group", "sic description",
        "naics description", "branche", "secteur", "secteur d activite", "industria", "rubro", "actividad",
        "wirtschaftszweig",
    ),
    "segment": (
        "segment", "customer segment", "market segment", "account segment", "customer type", "account type",
        "company size", "size", "business type", "customer class", "kundensegment", "kundengruppe",
        "kundentyp", "type de client", "segment client", "tipo de cliente", "segmento",
    ),
    "owner": (
        "owner", "account owner", "sales rep", "sales representative", "salesperson", "sales person",
        "account manager", "key account manager", "account executive", "seller", "rep", "am", "ae", "kam",
        "assigned to", "owner name", "sales owner", "sales agent", "sales rep name", "rep name", "salesman",
        "account rep", "betreuer", "kundenbetreuer", "vertriebsmitarbeiter", "verkaufer", "aussendienst",
        "aussendienstmitarbeiter", "zustandig", "vendeur", "commercial", "responsable commercial",
        "charge d affaires", "vendedor", "comercial", "ejecutivo de cuenta", "ejecutivo comercial",
        "employee id",
    ),
    "revenue": (
        "revenue", "current revenue", "annual revenue", "revenue ttm", "ttm revenue", "ltm revenue",
        "revenue ltm", "revenue last 12 months", "net revenue", "total revenue", "sales amount", "sales",
        "net sales", "total sales", "annual sales", "sale amount", "arr", "bookings", "billings", "turnover",
        "net amount", "invoice amount", "amount", "close value", "won amount", "umsatz", "nettoumsatz",
        "umsatz netto", "erlose", "nettoerlose", "netto", "betrag", "rechnungsbetrag", "chiffre d affaires",
        "ca", "ca ht", "montant", "montant ht", "ventes", "ventas", "ventas netas", "venta neta", "importe",
        "importe neto", "facturacion", "ingresos", "monto", "monto venta", "monto de venta", "monto total",
        "total venta", "valor venta", "importe venta", "line total", "extended price", "line amount",
        "total", "grand total",
    ),
    "wallet": (
        "wallet", "wallet estimate", "wallet size", "total wallet", "category spend", "total spend",
        "addressable spend", "it spend", "spend", "tam", "total addressable market", "wallet potential",
    ),
    "potential": (
        "growth potential", "potential", "upside", "opportunity", "whitespace", "white space",
        "open opportunity", "headroom", "expansion potential", "potenzial", "potentiel", "potencial",
    ),
    "projected_value": (
        "projected value", "projected revenue", "forecast", "forecast revenue", "expected value",
        "expected revenue", "next year revenue", "plan revenue", "target revenue", "prognose",
    ),
    "share_of_wallet": (
        "share of wallet", "sow", "wallet share", "share", "penetration", "sow %",
    ),
    "employees": (
        "employees", "number of employees", "number employees", "employee count", "no of employees",
        "headcount", "fte", "ftes", "staff", "company size employees", "mitarbeiter", "anzahl mitarbeiter",
        "beschaftigte", "effectif", "effectifs", "nombre d employes", "empleados", "numero de empleados",
        "trabajadores",
    ),
    "last_purchase": (
        "last purchase", "last purchase date", "last order", "last order date", "last invoice date",
        "last sale", "last sale date", "last transaction", "last transaction date", "most recent order",
        "order date", "invoice date", "purchase date", "transaction date", "date", "letzte bestellung",
        "letzter kauf", "bestelldatum", "auftragsdatum", "rechnungsdatum", "datum", "derniere commande",
        "date de commande", "date d ordre", "date de facture", "ultima compra", "fecha de pedido",
        "fecha pedido", "fecha factura", "fecha",
    ),
    "products": (
        "products", "products owned", "product count", "number of products", "product lines", "product",
        "product key", "product id", "product name", "sku", "item", "item code", "solutions", "produkte",
        "produkt", "artikel", "artikelnummer", "produit", "produits", "article", "producto", "productos",
        "articulo", "stock code", "item number", "item no",
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
        "anzahl bestellungen", "bestellungen", "auftrage", "commandes", "nombre de commandes", "pedidos",
        "numero de pedidos",
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
        "orderid", "orderno", "ordernumber", "salesorderid", "salesordernumber", "invoice", "order",
        "rechnungsnummer", "rechnungsnr", "belegnummer", "belegnr", "auftragsnr", "bestellnr",
        "numerodecommande", "ncommande", "numerodefacture", "nfacture", "numerodordre", "numerodepedido",
        "npedido", "numerofactura", "nfactura", "numeropedido",
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


#: Synonyms that count only as the whole header: 'Name' but not 'Month Name', 'Total' but not 'Subtotal'.
_EXACT_ONLY = frozenset(
    normalise(s)
    for s in (
        "name", "total", "grand total", "contact", "netto", "betrag", "montant", "importe", "state", "zona",
        "commercial", "land", "share", "size", "date", "datum", "fecha", "line amount", "item", "store",
        "spend", "staff",
    )
)  # fmt: skip
#: Money that is never revenue: discounts, costs, taxes, freight, margins, profit, prices, targets.
_NOT_REVENUE = (
    "discount", "rabatt", "remise", "descuento", "cost", "costs", "kosten", "cout", "couts", "costo", "coste",
    "cogs", "tax", "taxes", "steuer", "mwst", "ust", "vat", "tva", "iva", "impuesto", "freight", "fracht",
    "shipping", "versand", "porto", "flete", "envio", "margin", "marge", "margen", "profit", "gewinn",
    "benefice", "beneficio", "ganancia", "price", "preis", "prix", "precio", "wage", "lohn", "salary",
    "gehalt", "commission", "provision", "comision", "budget", "target", "ziel", "objectif", "objetivo",
    "quota", "balance", "saldo", "per", "avg", "average", "mean", "growth", "yoy", "ly", "pct", "percent",
    "rate", "share", "count", "number", "qty", "quantity", "units",
)  # fmt: skip
_GROSS = ("gross", "brutto", "bruto", "brut")
_NET = ("net", "netto", "neto", "nett")
#: Owner synonyms that a column about ownership is not ('Ownership': public/private; 'Owner Type').
_NOT_OWNER = ("ownership", "ownertype", "ownersince", "ownerchange")
#: A pivot table's value headers: 'Sum of Sales' is read as 'Sales', 'Count of Orders' as 'Number of Orders'.
_PIVOT_SUM = re.compile(r"^\s*(sum|summe|somme|suma|total)\s+(of|von|de|der|des)\s+", re.IGNORECASE)
_PIVOT_COUNT = re.compile(r"^\s*(count|anzahl|nombre|cuenta|nb)\s+(of|von|de|der|des)\s+", re.IGNORECASE)
#: Columns tierdesk adds (lookups, line amounts) say where they come from: 'Revenue (from 'Orders')'.
_FROM = re.compile(r"\s+\(from '[^']*'\)$")


def base_header(header: str) -> str:
    """The part of a header that names the field: without "(from 'Sheet')", '= formula' or 'Sum of'."""
    text = _FROM.sub("", str(header))
    text = text.split(" = ", 1)[0]
    text = _PIVOT_SUM.sub("", text)
    counted = _PIVOT_COUNT.sub("", text)
    return f"number of {counted}" if counted != text else text


def header_match(header: str) -> tuple[str, float] | None:
    """The canonical key a header names best and how sure that is (100 exact ... 30 partial)."""
    best: tuple[str, float] | None = None
    for key, score in _scores(header):
        if best is None or score > best[1]:
            best = (key, score)
    return best


@functools.lru_cache(maxsize=4096)
def _scores(header: str) -> tuple[tuple[str, float], ...]:
    """Each field a header may name, with how sure that is (headers repeat: the answers are kept)."""
    return tuple(_score_header(header))


def _score_header(header: str) -> list[tuple[str, float]]:
    found: list[tuple[str, float]] = []
    text = base_header(header)
    n = normalise(text)
    if not n:
        return found
    for key, names in _NORMALISED.items():
        best = 0.0
        exact = n in names
        for rank, syn in enumerate(names):
            if n == syn:
                score = 100.0 - rank * 0.5
            elif syn in _EXACT_ONLY:
                continue
            elif len(syn) >= 4 and n.endswith(syn):
                score = 45.0 + len(syn) * 0.5 - rank * 0.1
            elif len(syn) >= 5 and syn in n:
                score = 30.0 + len(syn) * 0.5 - rank * 0.1
            else:
                continue
            best = max(best, score)
        if best and not exact and not _partial_fits(key, text, n):
            continue
        if key == "account_id" and best < 60 and _names_an_account_key(text):
            best = 60.0
        if best and key == "revenue":
            best += 2.0 * header_has(text, _NET) - 2.0 * header_has(text, _GROSS)
        if best:
            found.append((key, best))
    return found


_ACCOUNT_WORDS = ("customer", "cust", "client", "cliente", "kunde", "kunden", "account", "acct", "company",
                  "reseller", "dealer", "debtor", "debitor", "store")  # fmt: skip
_KEY_WORDS = ("id", "key", "code", "no", "nr", "number", "num", "nummer", "numero", "codigo", "clave", "ref")


def _names_an_account_key(text: str) -> bool:
    """'KeyCliente', 'Kunden-ID', 'Client Ref': an account word and a key word."""
    return (
        header_has(text, _ACCOUNT_WORDS)
        and header_has(text, _KEY_WORDS)
        and _partial_fits("account_id", text, normalise(text))
    )


def _partial_fits(key: str, text: str, n: str) -> bool:
    """A header that only contains a synonym ('Month Name', 'Sales Tax', 'Ownership') may still name
    something else: a month, a tax, who owns a company."""
    if key in ("account_id", "account_name"):
        return not header_has(text, NOT_ACCOUNT_WORDS)
    if key == "revenue":
        return not header_has(text, _NOT_REVENUE)
    if key == "owner":
        return not any(word in n for word in _NOT_OWNER)
    return True


@dataclass
class Guess:
    """A guessed mapping, what tierdesk decided on the way (in words), and why no account column was found."""

    mapping: dict[str, str]
    notes: list[str] = field(default_factory=list)
    refusal: str | None = None


def guess_mapping(headers: list[str], data: pd.DataFrame | None = None) -> dict[str, str]:
    """canonical key -> header, from header names; sample values (numbers, dates) settle close calls."""
    return guess(headers, data).mapping


def guess(headers: list[str], data: pd.DataFrame | None = None) -> Guess:
    """The mapping guess with its reasons: header names first, then what the values look like (a column of
    months is no account; a company outranks its contacts; net revenue outranks gross)."""
    sample = data.head(SAMPLE_ROWS) if data is not None else None
    candidates: list[tuple[float, int, str, str]] = []
    for order, header in enumerate(headers):
        for key, score in _scores(header):
            if sample is not None and header in sample.columns:
                score += _fit(key, sample[header].head(200))
            if score > 0:
                candidates.append((score, -order, key, header))
    ranked = sorted(candidates, reverse=True)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for _score, _order, key, header in ranked:
        if key in mapping or header in used:
            continue
        mapping[key] = header
        used.add(header)
    result = Guess(mapping)
    if sample is not None:
        settled = settle_identity(headers, sample, mapping, [(s, h, k) for s, _o, k, h in ranked])
        result = Guess(settled.mapping, settled.notes, settled.refusal)
    result.notes.extend(_revenue_notes(result.mapping, [(h, k) for _s, _o, k, h in ranked]))
    result.mapping = {key: result.mapping[key] for key in FIELD_KEYS if key in result.mapping}
    return result


def _revenue_notes(mapping: Mapping[str, str], ranked: list[tuple[str, str]]) -> list[str]:
    chosen = mapping.get("revenue")
    if chosen is None:
        return []
    gross = [h for h, k in ranked if k == "revenue" and h != chosen and header_has(base_header(h), _GROSS)]
    if gross and header_has(base_header(chosen), _NET):
        return [f"Revenue is '{chosen}' (net), not '{gross[0]}' (gross)."]
    return []


def _fit(key: str, column: pd.Series) -> float:
    """Bonus or penalty for how well a column's first values suit the field's kind."""
    kind = FIELD_BY_KEY[key].kind
    fit = sample_fit(column, kind)
    if fit is None:
        empty = len(column) >= 3 and not column.astype(str).str.strip().ne("").any()
        return -60.0 if empty and key == "revenue" else 0.0
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
    "Guess",
    "base_header",
    "guess",
    "guess_mapping",
    "header_match",
    "header_signature",
    "mapping_problems",
    "normalise",
]
