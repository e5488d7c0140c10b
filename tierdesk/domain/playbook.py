"""The playbook: tiers, entitlements, persona splits, category rules, seller roles, objective templates.
Read from TOML and validated, naming the key at fault; resources/playbooks/default.toml documents each key."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import tomli_w

from tierdesk import paths
from tierdesk.domain.governance_rules import Governance, governance_to_dict, read_governance
from tierdesk.domain.objective_templates import ObjectiveTemplate, objective_to_dict, read_objective
from tierdesk.domain.playbook_table import PlaybookError, Table
from tierdesk.domain.seller_settings import SellerSettings, read_sellers, sellers_to_dict
from tierdesk.domain.wallet_settings import WalletSettings, read_wallet, wallet_to_dict

PERSONAS: tuple[str, ...] = (
    "Strategic Partnerships",
    "Land & Expand",
    "Protect & Defend",
    "Efficient Engagement",
)
PERSONA_KEYS: tuple[str, ...] = (
    "strategic_partnerships",
    "land_and_expand",
    "protect_and_defend",
    "efficient_engagement",
)
CATEGORIES: tuple[str, ...] = ("Strategic", "Core", "Beachhead", "Greenfield")
UNCLASSIFIED = "Unclassified"
MARKETING = ("1:1", "1:few", "1:many")
CAPACITY_UNITS = ("accounts", "hours", "opportunities")
CUTOFF_KINDS = ("rank", "percentile", "value")
SPLIT_KINDS = ("value", "percentile")
#: Account fields a formula (score, persona axis) may weigh: canonical numbers, derived values, breadth.
FORMULA_FIELDS: tuple[str, ...] = (
    "revenue",
    "wallet",
    "potential",
    "share_of_wallet",
    "projected_value",
    "employees",
    "order_count",
    "products",
    "areas",
    "company_revenue",
    "trend",
)

Formula = tuple[tuple[str, float], ...]  # (field, weight) pairs, summed


@dataclass(frozen=True)
class Threshold:
    """A split line or threshold: a value in data units, or a percentile (fraction 0–1) of the data."""

    kind: Literal["value", "percentile"]
    value: float


@dataclass(frozen=True)
class Tier:
    name: str
    cutoff: float | None  # None for the last tier, which takes every remaining account
    role: str
    touches_per_quarter: float
    executive_sponsor: bool
    business_reviews_per_year: float
    marketing: str
    support: str
    extra: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Personas:
    x: Formula  # share of wallet axis
    y: Formula  # growth potential axis
    x_split: Threshold
    y_split: Threshold
    roles: tuple[str, ...]  # seller role per persona, in PERSONAS order


@dataclass(frozen=True)
class CategoryRules:
    greenfield_years: float
    breadth: Literal["areas", "products"]
    core_min_breadth: float
    beachhead_revenue: Threshold
    strategic_revenue: Threshold
    strategic_share: Threshold


@dataclass(frozen=True)
class Role:
    name: str
    capacity_unit: Literal["accounts", "hours", "opportunities"]
    capacity: float
    cost: float
    workload: tuple[float, ...]  # per account, aligned with Playbook.tiers
    headcount: float | None = None


@dataclass(frozen=True)
class Playbook:
    name: str
    currency: str
    cutoff_kind: Literal["rank", "percentile", "value"]
    score: Formula
    use_projected_value: bool
    tiers: tuple[Tier, ...]  # top first
    personas: Personas
    categories: CategoryRules
    high_touch: tuple[str, ...]
    low_touch: tuple[str, ...]
    role_from: Literal["tier", "persona"]
    roles: tuple[Role, ...]
    objectives: tuple[ObjectiveTemplate, ...]
    defaults_filled: tuple[str, ...] = field(default=(), compare=False)  # "key = value" the loader supplied
    governance: Governance = field(default_factory=Governance)  # caps, turnover; none without [governance]
    wallet: WalletSettings = field(default_factory=WalletSettings)  # how wallets the file lacks are estimated
    sellers: SellerSettings = field(default_factory=SellerSettings)  # owners kept, balance tolerance

    @property
    def tier_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.tiers)

    @property
    def role_names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.roles)


# ---------------------------------------------------------------- reading


def _formula(t: Table, name: str, allow_projected: bool = True) -> Formula:
    raw = t.data.get(name)
    if isinstance(raw, str):
        pairs: list[tuple[str, Any]] = [(raw, 1.0)]
        key = t.key(name)
        t.seen.add(name)
    else:
        sub = t.table(name)
        pairs = [(f, sub.number(f)) for f in list(sub.data)]
        key = sub.path
        if not pairs:
            raise PlaybookError(key, "needs at least one field with a weight")
    for f, _ in pairs:
        if f not in FORMULA_FIELDS or (f == "projected_value" and not allow_projected):
            allowed = [x for x in FORMULA_FIELDS if allow_projected or x != "projected_value"]
            where = key if isinstance(raw, str) else f"{key}.{f}"
            raise PlaybookError(where, f"unknown account field {f!r} (use one of: {', '.join(allowed)})")
    return tuple((f, w) for f, w in pairs)


def _fraction(t: Table, name: str, value: float, example: str) -> None:
    if not 0 <= value <= 1:
        raise PlaybookError(t.key(name), f"a percentile is a fraction from 0 to 1 (got {value!r}; {example})")


def read_threshold(t: Table, name: str) -> Threshold:
    sub = t.table(name)
    kind = sub.get("kind", "text", choices=SPLIT_KINDS)
    value = sub.number("value")
    if kind == "percentile":
        _fraction(sub, "value", value, "for the 75th percentile write 0.75")
    sub.done()
    return Threshold(kind, value)


def _tier(t: Table, last: bool, kind: str) -> Tier:
    name = t.get("name", "text").strip()
    if not name or name == UNCLASSIFIED:
        raise PlaybookError(t.key("name"), f"must be a non-empty name other than {UNCLASSIFIED!r}")
    cutoff = None
    if last and "cutoff" in t.data:
        raise PlaybookError(t.key("cutoff"), "the last tier takes all the remaining accounts: no cutoff")
    if not last:
        cutoff = t.get("cutoff", "integer" if kind == "rank" else "number")
        if kind == "rank" and cutoff < 1:
            raise PlaybookError(
                t.key("cutoff"), f"a rank cutoff counts accounts from the top: 1 or more, got {cutoff}"
            )
        if kind == "percentile":
            _fraction(t, "cutoff", cutoff, "for the top 5% write 0.95")
    extra = t.get("extra", "table", None) or {}
    for k, v in extra.items():
        if isinstance(v, dict | list):
            raise PlaybookError(f"{t.key('extra')}.{k}", "an extra field holds one text, number or boolean")
    tier = Tier(
        name,
        cutoff,
        t.get("role", "text"),
        t.number("touches_per_quarter", low=0),
        t.get("executive_sponsor", "yes/no"),
        t.number("business_reviews_per_year", low=0),
        t.get("marketing", "text", choices=MARKETING),
        t.get("support", "text"),
        tuple((str(k), v) for k, v in extra.items()),
    )
    t.done()
    return tier


def _unique(names: tuple[str, ...], table: str) -> tuple[str, ...]:
    for i, n in enumerate(names):
        if n in names[:i]:
            raise PlaybookError(f"{table}[{i}].name", f"the name {n!r} is used twice")
    return names


def _check_order(tiers: list[Table], values: list[float], kind: str) -> None:
    for i in range(1, len(values)):
        above, here = values[i - 1], values[i]
        if kind == "rank" and here <= above:
            raise PlaybookError(
                f"{tiers[i].path}.cutoff",
                f"must be above {tiers[i - 1].path}.cutoff: rank "
                f"cutoffs count down the pyramid ({here} ≤ {above})",
            )
        if kind != "rank" and here >= above:
            raise PlaybookError(
                f"{tiers[i].path}.cutoff", f"must be below {tiers[i - 1].path}.cutoff ({here:g} ≥ {above:g})"
            )


def _role(t: Table, tier_names: tuple[str, ...]) -> Role:
    unit = t.get("capacity_unit", "text", choices=CAPACITY_UNITS)
    name, capacity, cost = t.get("name", "text"), t.number("capacity"), t.number("cost", low=0)
    if capacity <= 0:
        raise PlaybookError(t.key("capacity"), f"must be above 0, got {capacity!r}")
    if "workload" not in t.data and unit == "accounts":
        t.get("workload", "table", {n: 1 for n in tier_names})
        workload = tuple(1.0 for _ in tier_names)
    else:
        w = t.table("workload")
        workload = tuple(w.number(n, low=0) for n in tier_names)
        for extra in set(w.data) - set(tier_names):
            raise PlaybookError(f"{w.path}.{extra}", f"no tier named {extra!r} ({', '.join(tier_names)})")
    role = Role(name, unit, capacity, cost, workload, t.number("headcount", None, low=0))
    t.done()
    return role


def playbook_from_dict(data: Mapping[str, Any], source: str = "") -> Playbook:
    """Validate a playbook given as plain data (parsed TOML). Raises PlaybookError naming the key."""
    try:
        return _read(data)
    except PlaybookError as e:
        raise PlaybookError(e.key, e.problem, source) from None


def _read(data: Mapping[str, Any]) -> Playbook:
    filled: list[str] = []
    top = Table(data, "", filled)
    name, currency = top.get("name", "text"), top.get("currency", "text", "$")
    tiering = top.table("tiering")
    kind = tiering.get("cutoffs", "text", choices=CUTOFF_KINDS)
    score = _formula(tiering, "score", allow_projected=False)
    use_pv = tiering.get("use_projected_value", "yes/no", True)
    tiering.done()
    tiers = _tiers(top, kind)
    names = tuple(t.name for t in tiers)
    personas = _personas(top.table("personas"))
    rules = _category_rules(top.table("categories"))
    high_touch, low_touch = _mismatch(top.table("mismatch", optional=True), names)
    cov = top.table("coverage", optional=True)
    role_from = cov.get("role_from", "text", "persona", ("tier", "persona"))
    cov.done()
    roles = _roles(top, tiers, personas)
    objectives = tuple(
        read_objective(t, CATEGORIES, PERSONAS, FORMULA_FIELDS) for t in top.tables("objectives", [])
    )
    governance = read_governance(top.table("governance", optional=True), names)
    wallet = read_wallet(top.table("wallet", optional=True))
    sellers = read_sellers(top.table("sellers", optional=True), names)
    top.done()
    return Playbook(
        name,
        currency,
        kind,
        score,
        use_pv,
        tiers,
        personas,
        rules,
        high_touch,
        low_touch,
        role_from,
        roles,
        objectives,
        tuple(filled),
        governance,
        wallet,
        sellers,
    )  # type: ignore[arg-type]


def _tiers(top: Table, kind: str) -> tuple[Tier, ...]:
    tier_tables = top.tables("tiers")
    if not 2 <= len(tier_tables) <= 6:
        raise PlaybookError("tiers", f"a playbook has 2 to 6 tiers, this one has {len(tier_tables)}")
    tiers = tuple(_tier(t, i == len(tier_tables) - 1, kind) for i, t in enumerate(tier_tables))
    _unique(tuple(t.name for t in tiers), "tiers")
    _check_order(tier_tables, [t.cutoff for t in tiers if t.cutoff is not None], kind)
    return tiers


def _personas(p: Table) -> Personas:
    x, y = _formula(p, "x"), _formula(p, "y")
    x_split, y_split = read_threshold(p, "x_split"), read_threshold(p, "y_split")
    pr = p.table("roles")
    persona_roles = tuple(pr.get(k, "text") for k in PERSONA_KEYS)
    pr.done()
    p.done()
    return Personas(x, y, x_split, y_split, persona_roles)


def _category_rules(c: Table) -> CategoryRules:
    rules = CategoryRules(
        c.number("greenfield_years", 3),
        c.get("breadth", "text", "areas", ("areas", "products")),
        c.number("core_min_breadth", 2, low=0),
        read_threshold(c, "beachhead_revenue"),
        read_threshold(c, "strategic_revenue"),
        read_threshold(c, "strategic_share"),
    )
    if rules.greenfield_years <= 0:
        raise PlaybookError("categories.greenfield_years", f"must be above 0, got {rules.greenfield_years!r}")
    low, high = rules.beachhead_revenue, rules.strategic_revenue
    if low.kind == high.kind and low.value >= high.value:
        raise PlaybookError(
            "categories.beachhead_revenue.value",
            f"must be below categories.strategic_revenue.value ({low.value:g} ≥ {high.value:g})",
        )
    c.done()
    return rules


def _mismatch(m: Table, names: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(high-touch tiers, low-touch tiers) of the [mismatch] table."""
    high_touch, low_touch = m.get("high_touch", "list", [names[0]]), m.get("low_touch", "list", [names[-1]])
    for key, values in (("high_touch", high_touch), ("low_touch", low_touch)):
        for v in values:
            if v not in names:
                raise PlaybookError(m.key(key), f"no tier named {v!r} (tiers: {', '.join(names)})")
    if set(high_touch) & set(low_touch):
        raise PlaybookError(m.key("low_touch"), "a tier cannot be both high-touch and low-touch")
    m.done()
    return tuple(high_touch), tuple(low_touch)


def _roles(top: Table, tiers: tuple[Tier, ...], personas: Personas) -> tuple[Role, ...]:
    """The [[roles]], checked against the roles the tiers and personas name."""
    roles = tuple(_role(t, tuple(tier.name for tier in tiers)) for t in top.tables("roles"))
    role_names = _unique(tuple(r.name for r in roles), "roles")
    for i, t in enumerate(tiers):
        if t.role not in role_names:
            raise PlaybookError(f"tiers[{i}].role", f"no role named {t.role!r} in [[roles]]")
    for k, r in zip(PERSONA_KEYS, personas.roles, strict=True):
        if r not in role_names:
            raise PlaybookError(f"personas.roles.{k}", f"no role named {r!r} in [[roles]]")
    return roles


def parse_playbook(text: str, source: str = "") -> Playbook:
    """Parse and validate playbook TOML text; `source` (a file name) goes into error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise PlaybookError("(file)", f"not valid TOML: {e}", source) from None
    return playbook_from_dict(data, source)


def load_playbook(path: str | Path) -> Playbook:
    path = Path(path)
    return parse_playbook(path.read_text(encoding="utf-8"), path.name)


def default_playbook() -> Playbook:
    return load_playbook(paths.default_playbook_path())


# ---------------------------------------------------------------- writing


def _formula_dict(f: Formula) -> str | dict[str, float]:
    return f[0][0] if len(f) == 1 and f[0][1] == 1 else dict(f)


def playbook_to_dict(pb: Playbook) -> dict[str, Any]:
    """The playbook as plain TOML-ready data; playbook_from_dict(playbook_to_dict(pb)) == pb."""

    def threshold(t: Threshold) -> dict[str, Any]:
        return {"kind": t.kind, "value": t.value}

    def tier(t: Tier) -> dict[str, Any]:
        d: dict[str, Any] = {"name": t.name}
        if t.cutoff is not None:
            d["cutoff"] = t.cutoff
        d |= {
            "role": t.role,
            "touches_per_quarter": t.touches_per_quarter,
            "executive_sponsor": t.executive_sponsor,
            "business_reviews_per_year": t.business_reviews_per_year,
            "marketing": t.marketing,
            "support": t.support,
        }
        if t.extra:
            d["extra"] = dict(t.extra)
        return d

    def role(r: Role) -> dict[str, Any]:
        d: dict[str, Any] = {
            "name": r.name,
            "capacity_unit": r.capacity_unit,
            "capacity": r.capacity,
            "cost": r.cost,
            "workload": dict(zip(pb.tier_names, r.workload, strict=True)),
        }
        if r.headcount is not None:
            d["headcount"] = r.headcount
        return d

    p, c = pb.personas, pb.categories
    return {
        "name": pb.name,
        "currency": pb.currency,
        "tiering": {
            "cutoffs": pb.cutoff_kind,
            "use_projected_value": pb.use_projected_value,
            "score": dict(pb.score),
        },
        "tiers": [tier(t) for t in pb.tiers],
        "personas": {
            "x": _formula_dict(p.x),
            "y": _formula_dict(p.y),
            "x_split": threshold(p.x_split),
            "y_split": threshold(p.y_split),
            "roles": dict(zip(PERSONA_KEYS, p.roles, strict=True)),
        },
        "categories": {
            "greenfield_years": c.greenfield_years,
            "breadth": c.breadth,
            "core_min_breadth": c.core_min_breadth,
            "beachhead_revenue": threshold(c.beachhead_revenue),
            "strategic_revenue": threshold(c.strategic_revenue),
            "strategic_share": threshold(c.strategic_share),
        },
        "mismatch": {"high_touch": list(pb.high_touch), "low_touch": list(pb.low_touch)},
        "coverage": {"role_from": pb.role_from},
        "roles": [role(r) for r in pb.roles],
        "objectives": [objective_to_dict(o) for o in pb.objectives],
        "wallet": wallet_to_dict(pb.wallet),
        "sellers": sellers_to_dict(pb.sellers),
    } | ({"governance": governance_to_dict(pb.governance)} if pb.governance else {})


def dump_playbook(pb: Playbook) -> str:
    """TOML text for a playbook (comments are not kept; the default playbook documents every key)."""
    header = f"# tierdesk playbook: {pb.name}\n# Every key is documented in tierdesk's default playbook.\n\n"
    return header + tomli_w.dumps(playbook_to_dict(pb))


# ---------------------------------------------------------------- single values
