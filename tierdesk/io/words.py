"""Words that tell what a column holds: months, countries, company suffixes, and header words that are not
accounts. Compared lower-case, accents kept out (see `plain`)."""

from __future__ import annotations

import re
import unicodedata


def plain(text: str) -> str:
    """Lower case without accents: 'Société' -> 'societe'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().strip()


# fmt: off
#: Month names and abbreviations in English, German, French and Spanish.
MONTHS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "januar", "februar", "marz", "mai", "juni", "juli", "oktober", "dezember", "jaenner", "janner",
    "mrz", "okt", "dez", "janvier", "fevrier", "mars", "avril", "juin", "juillet", "aout", "septembre",
    "octobre", "novembre", "decembre", "janv", "fevr", "avr", "juil", "enero", "febrero", "marzo", "abril",
    "mayo", "junio", "julio", "agosto", "septiembre", "setiembre", "octubre", "noviembre", "diciembre", "ene",
    "abr", "ago", "dic",
})
WEEKDAYS = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "wed", "thu",
    "fri", "sat", "sun", "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "lunes", "martes", "miercoles",
    "jueves", "viernes", "sabado", "domingo",
})
#: Country names (English, and German/French/Spanish spellings of the common ones) and usual short forms.
COUNTRIES = frozenset({
    "afghanistan", "albania", "algeria", "andorra", "angola", "argentina", "armenia", "australia", "austria",
    "azerbaijan", "bahamas", "bahrain", "bangladesh", "barbados", "belarus", "belgium", "belize", "benin",
    "bhutan", "bolivia", "bosnia and herzegovina", "botswana", "brazil", "brunei", "bulgaria", "burkina faso",
    "burundi", "cambodia", "cameroon", "canada", "cape verde", "chad", "chile", "china", "colombia", "congo",
    "costa rica", "croatia", "cuba", "cyprus", "czech republic", "czechia", "denmark", "djibouti", "dominica",
    "dominican republic", "ecuador", "egypt", "el salvador", "eritrea", "estonia", "eswatini", "ethiopia",
    "fiji", "finland", "france", "gabon", "gambia", "georgia", "germany", "ghana", "greece", "grenada",
    "guatemala", "guinea", "guyana", "haiti", "honduras", "hong kong", "hungary", "iceland", "india",
    "indonesia", "iran", "iraq", "ireland", "israel", "italy", "ivory coast", "jamaica", "japan", "jordan",
    "kazakhstan", "kenya", "korea", "south korea", "north korea", "kosovo", "kuwait", "kyrgyzstan", "laos",
    "latvia", "lebanon", "lesotho", "liberia", "libya", "liechtenstein", "lithuania", "luxembourg", "macau",
    "madagascar", "malawi", "malaysia", "maldives", "mali", "malta", "mauritania", "mauritius", "mexico",
    "moldova", "monaco", "mongolia", "montenegro", "morocco", "mozambique", "myanmar", "namibia", "nepal",
    "netherlands", "the netherlands", "new zealand", "nicaragua", "niger", "nigeria", "north macedonia",
    "norway", "oman", "pakistan", "panama", "papua new guinea", "paraguay", "peru", "philippines", "poland",
    "portugal", "puerto rico", "qatar", "romania", "russia", "russian federation", "rwanda", "saudi arabia",
    "senegal", "serbia", "seychelles", "sierra leone", "singapore", "slovakia", "slovenia", "somalia",
    "south africa", "spain", "sri lanka", "sudan", "suriname", "sweden", "switzerland", "syria", "taiwan",
    "tajikistan", "tanzania", "thailand", "togo", "trinidad and tobago", "tunisia", "turkey", "turkiye",
    "turkmenistan", "uganda", "ukraine", "united arab emirates", "uae", "united kingdom", "uk",
    "great britain", "england", "scotland", "wales", "united states", "united states of america", "usa", "us",
    "u.s.", "u.s.a.",
    "america", "uruguay", "uzbekistan", "venezuela", "vietnam", "viet nam", "yemen", "zambia", "zimbabwe",
    "deutschland", "osterreich", "schweiz", "frankreich", "spanien", "italien", "niederlande", "belgien",
    "danemark", "schweden", "norwegen", "finnland", "polen", "tschechien", "ungarn", "griechenland",
    "vereinigte staaten", "vereinigtes konigreich", "grossbritannien", "russland", "brasilien", "mexiko",
    "kanada", "japon", "chine", "allemagne", "autriche", "suisse", "espagne", "italie", "pays-bas",
    "belgique",
    "suede", "norvege", "finlande", "pologne", "royaume-uni", "etats-unis", "bresil", "mexique",
    "alemania", "espana", "francia", "italia", "paises bajos", "belgica", "suecia", "noruega", "polonia",
    "reino unido", "estados unidos", "brasil", "suiza", "grecia", "irlanda",
})
#: Legal forms and words that make a name a company's: 'Acme Corp.', 'Müller GmbH', 'Grupo Sur SA'.
COMPANY_WORDS = frozenset({
    "inc", "incorporated", "corp", "corporation", "co", "company", "companies", "llc", "ltd", "limited",
    "plc", "llp", "lp", "gmbh", "ag", "kg", "ohg", "gbr", "ug", "se", "sa", "sas", "sarl", "sl", "srl", "spa",
    "bv", "nv", "ab", "as", "oy", "oyj", "aps", "pty", "kk", "pte", "bhd", "sdn", "cv", "eurl", "sasu",
    "kgaa",
    "group", "groupe", "grupo", "gruppe", "holding", "holdings", "industries", "industrie", "enterprises",
    "international", "intl", "technologies", "technology", "tech", "systems", "solutions", "services",
    "partners", "associates", "consulting", "labs", "laboratories", "bank", "trust", "university",
    "hospital", "clinic", "school", "store", "stores", "shop", "market", "markets", "supermarket",
    "manufacturing",
    "motors", "airlines", "pharmaceuticals", "pharma", "foods", "energy", "logistics", "software", "media",
    "networks", "communications", "insurance", "capital", "ventures", "traders", "trading", "wholesale",
    "distributors", "imports", "exports", "restaurant", "hotel", "bakery", "electronics", "construction",
    "handel", "werke", "bau", "societe", "compagnie", "sociedad", "compania", "cia", "hermanos", "fils",
    "freres", "verlag", "stiftung", "ev", "collectables", "collectibles", "gifts", "outlet",
})
#: Header words naming something that is not the account: 'Month Name', 'Contact Name', 'Product Name'.
NOT_ACCOUNT_WORDS = (
    "month", "monat", "mois", "mes", "week", "woche", "semaine", "semana", "weekday", "day", "quarter",
    "quartal", "trimestre", "year", "jahr", "annee", "ano", "date", "datum", "fecha", "period", "periode",
    "product", "produkt", "produit", "producto", "item", "artikel", "article", "articulo", "sku", "category",
    "kategorie", "categorie", "categoria", "brand", "marke", "marque", "marca", "model", "modell", "contact",
    "kontakt", "ansprechpartner", "contacto", "person", "first", "last", "full", "vorname", "nachname",
    "prenom", "apellido", "employee", "mitarbeiter", "employe", "empleado", "rep", "agent", "manager",
    "seller", "salesperson", "vendeur", "vendedor", "betreuer", "owner", "vendor", "supplier", "lieferant",
    "fournisseur", "proveedor", "shipper", "carrier", "spediteur", "transporteur", "ship", "city", "stadt",
    "ville", "ciudad", "state", "country", "land", "pays", "pais", "region", "street", "strasse", "address",
    "adresse", "direccion", "file", "sheet", "project", "projekt", "projet", "proyecto", "campaign", "user",
    "bank", "parent", "segment", "industry", "branche", "sector", "secteur", "territory", "gebiet", "team",
    "department", "abteilung", "job", "email", "mail", "phone", "telefon", "fax", "web", "website",
    "homepage", "domain", "url",
)
#: Header words of people (a contact or buyer inside a company).
PERSON_WORDS = (
    "contact", "kontakt", "ansprechpartner", "contacto", "person", "buyer", "kaufer", "acheteur",
    "comprador", "first", "last", "full", "vorname", "nachname", "prenom", "apellido", "attention",
    "recipient", "consumer", "patient", "member", "student", "guest", "passenger", "shopper",
)
#: Header words of organisations.
COMPANY_HEADER_WORDS = (
    "company", "compan", "firm", "firma", "organisation", "organization", "org", "business", "account",
    "societe", "entreprise", "empresa", "razonsocial", "raisonsociale", "compania", "employer", "corporate",
    "legalname", "unternehmen", "betrieb", "reseller", "dealer", "distributor", "partner", "store",
)
#: Words a footnote under a table starts with.
NOTE_STARTS = (
    "note", "notes", "source", "sources", "quelle", "anmerkung", "hinweis", "remarque", "nota", "fuente",
    "accrual basis", "cash basis", "stand", "as of", "prepared", "generated", "created", "printed",
    "erstellt", "confidential", "vertraulich", "page", "seite",
)
# fmt: on

_TOKEN = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(plain(text).replace(".", ""))


def is_month_label(text: str) -> bool:
    """'March', 'Mar 2021', 'Jan-20', 'Q1', 'Qtr 3', '2021-03' (a period, not a name)."""
    words = tokens(text)
    if not words:
        return False
    if words[0] in MONTHS or words[0] in WEEKDAYS:
        return all(w.isdigit() or w in MONTHS for w in words[1:])
    if re.fullmatch(r"(q|qtr|quarter|quartal|trimestre)\s*[1-4]", " ".join(words)):
        return True
    return bool(re.fullmatch(r"(19|20)\d\d(\s*[-/.]\s*\d{1,2})?|\d{1,2}\s*[-/.]\s*(19|20)\d\d", text.strip()))


def is_country(text: str) -> bool:
    return plain(text).rstrip(".") in COUNTRIES or plain(text) in COUNTRIES


def company_share(values: list[str]) -> float:
    """Share of names carrying a legal form or a company word ('Acme Corp.', 'Müller GmbH')."""
    if not values:
        return 0.0
    hits = sum(1 for v in values if set(tokens(v)) & COMPANY_WORDS or "&" in v)
    return hits / len(values)


def header_has(header: str, words: tuple[str, ...]) -> bool:
    """The header contains one of these words (as a word, or glued: 'CompanyName', 'sales_agent')."""
    text = plain(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", header))
    parts = _TOKEN.findall(text)
    glued = "".join(parts)
    return any(w in parts or (len(w) >= 5 and w in glued) for w in words)


def is_sentence(text: str) -> bool:
    """A footnote-like text: starts with a note marker or '*', or reads as a sentence of several words."""
    t = text.strip()
    low = plain(t)
    if t[:1] in "*†‡¹²³" or any(low.startswith(s) for s in NOTE_STARTS):
        return True
    words = t.split()
    return len(words) >= 6 or (len(words) >= 4 and t.endswith((".", ":", "!")))
