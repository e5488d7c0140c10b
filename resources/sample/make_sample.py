"""Generate the bundled sample territory: `sample_territory.xlsx`, synthetic accounts of a fictional vendor.

Run from the repository root:

    .venv/bin/python resources/sample/make_sample.py

The output is deterministic: the same seed gives a byte-identical workbook (fixed creation time, fixed
zip timestamps). Every company and person name is made up from word lists.

The data are built so that the app's views have something to show: all four persona boxes (growth
potential x share of wallet, split at the medians) and all four relationship categories (Strategic, Core,
Beachhead, Greenfield) occur in good numbers. The category itself is not written; it follows from revenue,
share of wallet, products, business units and the last purchase date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xlsxwriter

SEED = 20261101
N_ACCOUNTS = 600
AS_OF = dt.date(2026, 11, 1)
CREATED = dt.datetime(2026, 11, 1, 8, 0, 0)
VENDOR = "Northwind Analytics"
OUT = Path(__file__).resolve().with_name("sample_territory.xlsx")

WALLET_MIN, WALLET_MAX = 20_000.0, 15_000_000.0
WALLET_MEDIAN, WALLET_SIGMA = 170_000.0, 1.7
SPEND_PER_EMPLOYEE = 450.0
GREENFIELD_SHARE = 0.20
STRATEGIC_SHARE = 0.11
BEACHHEAD_SHARE = 0.30

HEADERS: tuple[str, ...] = (
    "Account ID",
    "Account Name",
    "Territory",
    "Region",
    "Country",
    "Industry",
    "Segment",
    "Account Owner",
    "Current Revenue (TTM)",
    "Wallet Estimate",
    "Growth Potential",
    "Employees",
    "Last Purchase",
    "Products Owned",
    "Business Units Present",
    "Executive Sponsor",
    "Referenceable",
)

COLUMN_NOTES: tuple[str, ...] = (
    "Account number in the CRM (text).",
    "Customer name.",
    "Sales territory the account belongs to.",
    "Sales region: North America, EMEA or APAC.",
    "Country of the account's headquarters.",
    "Vertical.",
    "Customer segment: Enterprise (2,000+ employees), Mid-Market (200-1,999), SMB (under 200).",
    "Seller who owns the account; each owner covers one or two territories.",
    "Our revenue from the account over the trailing twelve months, USD.",
    "Estimated total annual spend of the account in our category (analytics software), USD.",
    "Upside still to win, USD: the open wallet adjusted by the account team's judgement.",
    "Headcount.",
    "Date of the latest purchase; empty when the account has never bought.",
    "Products the account owns, separated by '; '; empty when nothing is owned.",
    "Number of the customer's business units that use our products.",
    "Executive on the customer side who sponsors the relationship; empty when there is none.",
    "Yes when the customer is willing to act as a reference.",
)

# fmt: off
PRODUCTS: tuple[str, ...] = (
    "Analytics", "Dashboards", "Data Hub", "Forecasting", "Data Quality", "Governance",
)
# fmt: on
PRODUCT_WEIGHTS = np.array([0.30, 0.22, 0.18, 0.12, 0.10, 0.08])


@dataclass(frozen=True)
class Territory:
    name: str
    region: str
    owner: str
    weight: float
    countries: tuple[tuple[str, float], ...]


NAM = "North America"
US_CA = (("United States", 0.85), ("Canada", 0.15))

TERRITORIES: tuple[Territory, ...] = (
    Territory("NA East", NAM, "Megan Holloway", 0.18, US_CA),
    Territory("NA Central", NAM, "Megan Holloway", 0.13, (("United States", 0.92), ("Canada", 0.08))),
    Territory("NA West", NAM, "Daniel Okafor", 0.16, US_CA),
    Territory("ANZ", "APAC", "Daniel Okafor", 0.09, (("Australia", 0.8), ("New Zealand", 0.2))),
    Territory("UK & Ireland", "EMEA", "Priya Raman", 0.13, (("United Kingdom", 0.8), ("Ireland", 0.2))),
    Territory(
        "DACH", "EMEA", "Markus Brenner", 0.13, (("Germany", 0.65), ("Austria", 0.15), ("Switzerland", 0.2))
    ),
    Territory(
        "Nordics",
        "EMEA",
        "Sophie Lindgren",
        0.09,
        (("Sweden", 0.35), ("Norway", 0.25), ("Denmark", 0.25), ("Finland", 0.15)),
    ),
    Territory(
        "Benelux",
        "EMEA",
        "Sophie Lindgren",
        0.09,
        (("Netherlands", 0.55), ("Belgium", 0.38), ("Luxembourg", 0.07)),
    ),
)

INDUSTRIES: dict[str, tuple[float, tuple[str, ...]]] = {
    "Manufacturing": (
        0.17,
        ("Manufacturing", "Industries", "Precision", "Engineering", "Components", "Metalworks", "Tooling"),
    ),
    "Financial Services": (
        0.13,
        ("Capital", "Financial", "Insurance", "Asset Management", "Wealth", "Mutual", "Lending"),
    ),
    "Healthcare": (0.12, ("Health", "Medical", "Healthcare", "Diagnostics", "Clinics", "Care", "Biotech")),
    "Retail & Consumer": (0.11, ("Retail", "Stores", "Outfitters", "Foods", "Brands", "Trading", "Home")),
    "Logistics & Transportation": (
        0.10,
        ("Logistics", "Freight", "Transport", "Shipping", "Distribution", "Cargo", "Supply Chain"),
    ),
    "Energy & Utilities": (0.08, ("Energy", "Power", "Utilities", "Renewables", "Water", "Grid", "Solar")),
    "Technology": (0.12, ("Systems", "Software", "Technologies", "Labs", "Digital", "Data", "Devices")),
    "Professional Services": (0.10, ("Consulting", "Advisory", "Associates", "Partners", "Accountants")),
    "Telecommunications": (0.07, ("Telecom", "Networks", "Communications", "Connect", "Fibre", "Wireless")),
}

CULTURE_BY_COUNTRY: dict[str, str] = {
    "United States": "na",
    "Canada": "na",
    "United Kingdom": "uk",
    "Ireland": "uk",
    "Germany": "de",
    "Austria": "de",
    "Switzerland": "de",
    "Netherlands": "nl",
    "Belgium": "nl",
    "Luxembourg": "nl",
    "Sweden": "nordic",
    "Norway": "nordic",
    "Denmark": "nordic",
    "Finland": "nordic",
    "Australia": "anz",
    "New Zealand": "anz",
}

# fmt: off
SURNAMES: dict[str, tuple[str, ...]] = {
    "na": (
        "Prescott", "Whitman", "Harlan", "Delaney", "Merriweather", "Ashcroft", "Caldwell", "Donovan",
        "Garrison", "Holbrook", "Kendrick", "Lockwood", "Radcliffe", "Sheridan", "Whitaker", "Brennan",
        "Callahan", "Hadley", "Lindell", "Okonkwo", "Castellano", "Novak", "Bergeron", "Tremblay",
    ),
    "uk": (
        "Ashworth", "Pemberton", "Whitfield", "Hollis", "Fairbairn", "Cartwright", "Blackwood", "Haldane",
        "Kilbride", "Doherty", "Featherstone", "Greaves", "Lowther", "Moorcroft", "Pennington", "Stanhope",
        "Tremayne", "Wetherby", "Ormsby", "Keane", "Brannigan", "Quinlan", "Maguire", "Aldridge",
    ),
    "de": (
        "Kessler", "Lindemann", "Falkenrath", "Ostermann", "Wendler", "Hofbauer", "Reinholt", "Achterberg",
        "Baumgart", "Eberhardt", "Gundlach", "Haberland", "Kohlmeier", "Lautenbach", "Niederhaus",
        "Rademacher", "Tiedemann", "Urbach", "Wollweber", "Zeller", "Amsler", "Moser", "Brunner", "Steiger",
    ),
    "nl": (
        "Verhoeven", "Van der Linden", "Dekker", "Hendriks", "Wouters", "Claes", "Peeters", "Janssens",
        "Vermeulen", "De Graaf", "Brouwer", "Kuipers", "Van Leeuwen", "Mulder", "Smeets", "Dubois",
        "Lambrecht", "Goossens", "Timmermans", "Verbeek", "Schoenmaker", "Hoekstra",
    ),
    "nordic": (
        "Halvorsen", "Lindqvist", "Ekdahl", "Nyberg", "Aaltonen", "Haugland", "Rasmussen", "Sjöberg",
        "Lundgren", "Bergström", "Holmberg", "Kristiansen", "Solberg", "Dahlgren", "Mikkelsen", "Kallio",
        "Laine", "Nieminen", "Østergaard", "Engström", "Fagerlund", "Thorsen", "Vestergaard", "Åkesson",
    ),
    "anz": (
        "Ashby", "Munro", "Callister", "Tennant", "Rowe", "McAlister", "Fitzgerald", "Gillespie", "Henley",
        "Kirkwood", "Langford", "Macready", "Ormond", "Strickland", "Tolhurst", "Waddell", "Yeoman",
        "Bannister", "Coburn", "Ngata", "Pritchard", "Dunstan",
    ),
}

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "na": (
        "Jennifer", "Michael", "Sarah", "David", "Emily", "Robert", "Laura", "James", "Rachel", "Kevin",
        "Angela", "Marcus", "Lisa", "Brian", "Nicole", "Steven", "Monique", "Andre",
    ),
    "uk": (
        "Oliver", "Charlotte", "Harriet", "James", "Fiona", "Alistair", "Siobhan", "Declan", "Eleanor",
        "Graham", "Niamh", "Rupert", "Catherine", "Hugh", "Aisling", "Tom",
    ),
    "de": (
        "Katrin", "Stefan", "Julia", "Matthias", "Sabine", "Andreas", "Claudia", "Tobias", "Anja", "Florian",
        "Birgit", "Jürgen", "Lena", "Christoph", "Ursula", "Reto",
    ),
    "nl": (
        "Sanne", "Pieter", "Eva", "Jeroen", "Lotte", "Bram", "Inge", "Wouter", "Marieke", "Joris", "Els",
        "Koen", "Sofie", "Thijs", "Nathalie", "Luc",
    ),
    "nordic": (
        "Ingrid", "Lars", "Karin", "Mikael", "Sofia", "Henrik", "Maja", "Anders", "Liisa", "Jukka", "Sigrid",
        "Erik", "Astrid", "Mattias", "Mette", "Ole",
    ),
    "anz": (
        "Chloe", "Liam", "Jessica", "Hamish", "Olivia", "Bradley", "Georgia", "Callum", "Mia", "Nathan",
        "Aroha", "Tane", "Sophie", "Lachlan", "Kirra", "Josh",
    ),
}

COMPOUNDS_COMMON: tuple[str, ...] = (
    "Bluewater", "Stonecroft", "Fernhill", "Copperleaf", "Highmoor", "Greyhaven", "Brightfield", "Clearbrook",
    "Windmere", "Amberline", "Northmere", "Eastbrook", "Westvale", "Kestrel", "Heronsgate", "Lakeshore",
    "Tidewater", "Pinecrest", "Riverbend", "Foxglove", "Silverbirch", "Ashgrove", "Crestline", "Driftwood",
    "Falconridge", "Glenmore", "Larkspur", "Millbrook", "Oakhurst", "Wavecrest", "Yarrow", "Hollowell",
)
COMPOUNDS_LOCAL: dict[str, tuple[str, ...]] = {
    "na": ("Prairie", "Cascade", "Bayview", "Granite", "Lone Pine", "Blue Ridge", "Mesquite", "Ridgeway"),
    "uk": ("Thamesgate", "Pennine", "Saltire", "Cotswold", "Severn", "Liffey", "Moorland", "Shannonside"),
    "de": ("Rheintal", "Bergland", "Isartal", "Elbtal", "Donau", "Seeblick", "Tannenberg", "Alpenblick"),
    "nl": ("Zeeland", "Polderland", "Duinwijck", "Lindenhof", "Maasdal", "Scheldeweg", "Ardennes", "Kempen"),
    "nordic": ("Norrsken", "Havbris", "Björkdal", "Solvik", "Granhult", "Fjordline", "Skagen", "Kuusela"),
    "anz": ("Tasman", "Coral Bay", "Wattle", "Kauri", "Banksia", "Karri", "Ironbark", "Southerly"),
}
# fmt: on
DESCRIPTORS: tuple[str, ...] = ("Group", "Partners", "Holdings", "Solutions", "Company")

# Legal forms per country: (forms for any company, forms typical of large ones).
LEGAL_FORMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "United States": (("Inc.", "LLC", "Co."), ("Inc.", "Corp.")),
    "Canada": (("Inc.", "Ltd."), ("Inc.", "Corp.")),
    "United Kingdom": (("Ltd", "Ltd", "LLP"), ("plc", "Ltd")),
    "Ireland": (("Ltd", "DAC"), ("plc", "DAC")),
    "Germany": (("GmbH", "GmbH & Co. KG"), ("AG", "SE", "GmbH")),
    "Austria": (("GmbH",), ("AG", "GmbH")),
    "Switzerland": (("GmbH", "AG"), ("AG", "SA")),
    "Netherlands": (("B.V.",), ("N.V.", "B.V.")),
    "Belgium": (("BV", "SRL"), ("NV", "SA")),
    "Luxembourg": (("S.à r.l.",), ("S.A.",)),
    "Sweden": (("AB",), ("AB",)),
    "Norway": (("AS",), ("ASA", "AS")),
    "Denmark": (("ApS", "A/S"), ("A/S",)),
    "Finland": (("Oy",), ("Oyj", "Oy")),
    "Australia": (("Pty Ltd",), ("Ltd", "Pty Ltd")),
    "New Zealand": (("Limited", "Ltd"), ("Limited",)),
}


@dataclass(frozen=True)
class Account:
    account_id: str
    name: str
    territory: str
    region: str
    country: str
    industry: str
    segment: str
    owner: str
    revenue: float
    wallet: float
    potential: float
    employees: int
    last_purchase: dt.date | None
    products: str
    business_units: int
    executive_sponsor: str
    referenceable: bool


def _pick(rng: np.random.Generator, items: tuple[str, ...]) -> str:
    return items[int(rng.integers(len(items)))]


def _weighted(rng: np.random.Generator, pairs: tuple[tuple[str, float], ...]) -> str:
    weights = np.array([w for _, w in pairs])
    return pairs[int(rng.choice(len(pairs), p=weights / weights.sum()))][0]


def _wallets(rng: np.random.Generator, n: int) -> np.ndarray:
    """Log-normal wallets truncated to [WALLET_MIN, WALLET_MAX] by redrawing, rounded to $1,000."""
    out = np.empty(0)
    while out.size < n:
        draw = np.exp(np.log(WALLET_MEDIAN) + WALLET_SIGMA * rng.standard_normal(n))
        out = np.concatenate([out, draw[(draw >= WALLET_MIN) & (draw <= WALLET_MAX)]])
    return np.round(out[:n], -3)


def _round_headcount(value: float) -> int:
    if value < 100:
        return max(5, round(value))
    step = 5 if value < 1_000 else 10 if value < 10_000 else 100
    return int(round(value / step) * step)


def _segment(employees: int) -> str:
    if employees >= 2_000:
        return "Enterprise"
    return "Mid-Market" if employees >= 200 else "SMB"


def _company_name(
    rng: np.random.Generator, country: str, industry: str, segment: str, taken: set[str]
) -> str:
    """A plausible, unique company name. `taken` holds the names without legal form, lower-cased."""
    culture = CULTURE_BY_COUNTRY[country]
    words = INDUSTRIES[industry][1]
    compounds = COMPOUNDS_COMMON + COMPOUNDS_LOCAL[culture]
    small_forms, large_forms = LEGAL_FORMS[country]
    while True:
        style = rng.random()
        with_form = rng.random() < 0.75
        if style < 0.36:
            base = f"{_pick(rng, SURNAMES[culture])} {_pick(rng, words)}"
        elif style < 0.72:
            base = f"{_pick(rng, compounds)} {_pick(rng, words)}"
        elif style < 0.84 and industry in ("Professional Services", "Financial Services"):
            first, second = _pick(rng, SURNAMES[culture]), _pick(rng, SURNAMES[culture])
            if first == second:
                continue
            base = f"{first} & {second}"
        else:  # "Bluewater Health Partners": a descriptor instead of a legal form
            word, descriptor = _pick(rng, words), _pick(rng, DESCRIPTORS)
            if word in DESCRIPTORS or (word.endswith("s") and descriptor not in ("Group", "Partners")):
                continue
            base, with_form = f"{_pick(rng, compounds)} {word} {descriptor}", False
        if base.lower() in taken or VENDOR.split()[0].lower() in base.lower():
            continue
        taken.add(base.lower())
        if not with_form:
            return base
        forms = large_forms if segment == "Enterprise" and rng.random() < 0.6 else small_forms
        return f"{base} {_pick(rng, forms)}"


def _person(rng: np.random.Generator, culture: str) -> str:
    return f"{_pick(rng, FIRST_NAMES[culture])} {_pick(rng, SURNAMES[culture])}"


def _categories(rng: np.random.Generator, wallet: np.ndarray) -> np.ndarray:
    """Relationship category per account; exact counts, larger wallets lean Strategic, smaller Beachhead."""
    n = wallet.size
    category = np.full(n, "Core", dtype=object)
    free = np.arange(n)
    plan = (
        ("Greenfield", GREENFIELD_SHARE, -0.15),
        ("Strategic", STRATEGIC_SHARE, 0.9),
        ("Beachhead", BEACHHEAD_SHARE, -0.3),
    )
    for name, share, tilt in plan:
        weights = wallet[free] ** tilt
        chosen = rng.choice(free, size=round(share * n), replace=False, p=weights / weights.sum())
        category[chosen] = name
        free = np.setdiff1d(free, chosen)
    return category


def generate(seed: int = SEED, n: int = N_ACCOUNTS) -> list[Account]:
    rng = np.random.default_rng(seed)
    territory_weights = np.array([t.weight for t in TERRITORIES])
    territory_idx = rng.choice(len(TERRITORIES), size=n, p=territory_weights / territory_weights.sum())
    industry_names = tuple(INDUSTRIES)
    industry_weights = np.array([INDUSTRIES[i][0] for i in industry_names])
    industry_idx = rng.choice(len(industry_names), size=n, p=industry_weights / industry_weights.sum())
    wallet = _wallets(rng, n)
    employees_raw = wallet / SPEND_PER_EMPLOYEE * np.exp(0.55 * rng.standard_normal(n))
    category = _categories(rng, wallet)
    numbers = np.sort(rng.choice(np.arange(1, 40_000), size=n, replace=False))

    taken: set[str] = set()
    accounts: list[Account] = []
    for i in range(n):
        territory = TERRITORIES[int(territory_idx[i])]
        country = _weighted(rng, territory.countries)
        culture = CULTURE_BY_COUNTRY[country]
        industry = industry_names[int(industry_idx[i])]
        employees = _round_headcount(float(employees_raw[i]))
        segment = _segment(employees)
        name = _company_name(rng, country, industry, segment, taken)
        w = float(wallet[i])
        cat = str(category[i])
        unit_cap = {"Enterprise": 12, "Mid-Market": 6, "SMB": 3}[segment]

        revenue = 0.0
        last: dt.date | None = None
        n_products = 0
        units = 0
        sponsor_p = referenceable_p = 0.0
        if cat == "Greenfield":
            if rng.random() < 0.5:  # bought once, long ago; lapsed since
                last = AS_OF - dt.timedelta(days=int(rng.integers(1_120, 3_300)))
        elif cat == "Beachhead":
            share = 0.01 + 0.2 * rng.beta(1.3, 3.5)
            revenue = min(share * w, float(np.exp(np.log(45_000) + 0.5 * rng.standard_normal())))
            last = AS_OF - dt.timedelta(days=int(rng.integers(20, 1_000)))
            n_products, units = 1, 1
            sponsor_p, referenceable_p = 0.04, 0.04
        elif cat == "Core":
            share = 0.12 + 0.5 * rng.beta(1.8, 2.6)
            revenue = share * w
            last = AS_OF - dt.timedelta(days=int(rng.integers(3, 330)))
            n_products = 2 + int(rng.binomial(2, 0.4))
            units = min(unit_cap, 2 + int(rng.poisson(1.2)))
            sponsor_p, referenceable_p = 0.3, 0.22
        else:  # Strategic
            share = min(0.9, 0.45 + 0.45 * rng.beta(2.2, 2.0))
            revenue = share * w
            last = AS_OF - dt.timedelta(days=int(rng.integers(2, 120)))
            n_products = 3 + int(rng.binomial(3, 0.5))
            units = min(unit_cap, 3 + int(rng.poisson(2.5 if segment == "Enterprise" else 1.0)))
            units = max(units, 3)
            sponsor_p, referenceable_p = 0.85, 0.55
        if cat != "Greenfield":
            revenue = float(max(1_500.0, round(revenue, -1)))
        potential = float(max(0.0, round((w - revenue) * rng.uniform(0.6, 1.2), -3)))
        product_p = PRODUCT_WEIGHTS / PRODUCT_WEIGHTS.sum()
        product_idx = sorted(rng.choice(len(PRODUCTS), size=n_products, replace=False, p=product_p))
        sponsor = _person(rng, culture) if rng.random() < sponsor_p else ""
        accounts.append(
            Account(
                account_id=f"ACC-{int(numbers[i]):05d}",
                name=name,
                territory=territory.name,
                region=territory.region,
                country=country,
                industry=industry,
                segment=segment,
                owner=territory.owner,
                revenue=revenue,
                wallet=w,
                potential=potential,
                employees=employees,
                last_purchase=last,
                products="; ".join(PRODUCTS[int(k)] for k in product_idx),
                business_units=units,
                executive_sponsor=sponsor,
                referenceable=bool(rng.random() < referenceable_p),
            )
        )
    return accounts


def _years_before(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year - years)


def write_workbook(accounts: list[Account], out: Path) -> None:
    wb = xlsxwriter.Workbook(str(out), {"constant_memory": False})
    wb.set_properties(
        {
            "title": "Sample territory",
            "subject": f"Synthetic account list of the fictional vendor {VENDOR}",
            "author": "tierdesk",
            "company": VENDOR,
            "comments": "Synthetic data generated by resources/sample/make_sample.py",
            "created": CREATED,
        }
    )
    header = wb.add_format(
        {"bold": True, "bg_color": "#DCE6F1", "bottom": 1, "text_wrap": True, "valign": "top"}
    )
    money = wb.add_format({"num_format": "$#,##0"})
    count = wb.add_format({"num_format": "#,##0"})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})

    ws = wb.add_worksheet("Accounts")
    widths = (11, 36, 13, 8, 15, 25, 11, 17, 14, 14, 14, 10, 12, 44, 11, 20, 13)
    for col, (title, width) in enumerate(zip(HEADERS, widths, strict=True)):
        ws.set_column(col, col, width)
        ws.write_string(0, col, title, header)
    ws.set_row(0, 30)
    for r, a in enumerate(accounts, start=1):
        ws.write_string(r, 0, a.account_id)
        ws.write_string(r, 1, a.name)
        ws.write_string(r, 2, a.territory)
        ws.write_string(r, 3, a.region)
        ws.write_string(r, 4, a.country)
        ws.write_string(r, 5, a.industry)
        ws.write_string(r, 6, a.segment)
        ws.write_string(r, 7, a.owner)
        ws.write_number(r, 8, a.revenue, money)
        ws.write_number(r, 9, a.wallet, money)
        ws.write_number(r, 10, a.potential, money)
        ws.write_number(r, 11, a.employees, count)
        if a.last_purchase is not None:
            ws.write_datetime(r, 12, dt.datetime.combine(a.last_purchase, dt.time()), date)
        if a.products:
            ws.write_string(r, 13, a.products)
        ws.write_number(r, 14, a.business_units)
        if a.executive_sponsor:
            ws.write_string(r, 15, a.executive_sponsor)
        ws.write_string(r, 16, "Yes" if a.referenceable else "No")
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(accounts), len(HEADERS) - 1)

    about = wb.add_worksheet("About")
    bold = wb.add_format({"bold": True})
    title = wb.add_format({"bold": True, "font_size": 14})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    about.set_column(0, 0, 26)
    about.set_column(1, 1, 100)
    about.write_string(0, 0, f"Sample territory: {VENDOR}", title)
    lines = (
        f"{VENDOR} is a fictional vendor of analytics software. This workbook is its territory file: "
        f"{len(accounts)} accounts, one row per account, on the Accounts sheet.",
        "All data are SYNTHETIC: companies, people and figures are generated from word lists and random "
        "numbers (resources/sample/make_sample.py, seed "
        f"{SEED}). Any resemblance to real companies or persons is coincidental.",
        f"Figures are as of {AS_OF.isoformat()}; money is in US dollars. 'No purchase in the last three "
        f"years' means Last Purchase is empty or before {_years_before(AS_OF, 3).isoformat()}.",
    )
    for r, text in enumerate(lines, start=2):
        about.merge_range(r, 0, r, 1, text, wrap)
        about.set_row(r, 32)
    top = 2 + len(lines) + 1
    about.write_string(top, 0, "Column", bold)
    about.write_string(top, 1, "Meaning", bold)
    for r, (column, note) in enumerate(zip(HEADERS, COLUMN_NOTES, strict=True), start=top + 1):
        about.write_string(r, 0, column)
        about.write_string(r, 1, note)
    wb.close()


def main(out: Path | None = None) -> Path:
    """Write the sample workbook to `out` (default: beside this script) and return its path."""
    target = Path(out) if out is not None else OUT
    target.parent.mkdir(parents=True, exist_ok=True)
    write_workbook(generate(), target)
    return target


if __name__ == "__main__":
    print(main())
