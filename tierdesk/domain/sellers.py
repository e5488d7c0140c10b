"""The sellers table: who sells (name, role from the playbook, capacity, optional region, territory, maximum
accounts, whether they take new accounts). Made from the owners in the file, each role guessed from the
accounts the owner holds and marked as a guess, or from a team table; kept with the plan."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd

from tierdesk.domain.classification import Classification
from tierdesk.domain.coverage import account_load
from tierdesk.domain.playbook import Playbook

__all__ = [
    "SELLER_COLUMNS",
    "TEAM_FIELDS",
    "Seller",
    "complete_sellers",
    "guess_roles",
    "seller_text",
    "sellers_frame",
    "sellers_from_frame",
    "sellers_from_team",
]

#: The columns a team table is read into (the io layer maps a file's headers onto them).
TEAM_FIELDS = ("name", "role", "capacity", "region", "territory", "max_accounts", "takes_new", "manager")
_YES = {"yes", "y", "true", "1", "x", "open", "takes new", "accepting"}
_NO = {"no", "n", "false", "0", "closed", "full", "not taking"}


@dataclass(frozen=True)
class Seller:
    """One seller. `capacity` None takes the role's capacity from the playbook (in the role's unit);
    `region` and `territory` None: accounts of any region or territory. `role_guessed`: the role was guessed
    from the accounts the seller holds (or the team's gaps), not given."""

    name: str
    role: str
    capacity: float | None = None
    region: str | None = None
    territory: str | None = None
    max_accounts: int | None = None
    takes_new: bool = True
    manager: str | None = None
    role_guessed: bool = False

    def __post_init__(self) -> None:
        name = " ".join(str(self.name).split())
        if not name:
            raise ValueError("a seller needs a name")
        object.__setattr__(self, "name", name)
        if self.capacity is not None:
            capacity = float(self.capacity)
            if not math.isfinite(capacity) or capacity <= 0:
                raise ValueError(f"{name}: a capacity is a number above 0, not {self.capacity!r}")
            object.__setattr__(self, "capacity", capacity)
        if self.max_accounts is not None:
            limit = float(self.max_accounts)
            if not math.isfinite(limit) or limit < 0 or not limit.is_integer():
                raise ValueError(f"{name}: at most a whole number of accounts, not {self.max_accounts!r}")
            object.__setattr__(self, "max_accounts", int(limit))
        for key in ("region", "territory", "manager"):
            value = getattr(self, key)
            text = None if value is None or value is pd.NA else " ".join(str(value).split()) or None
            object.__setattr__(self, key, text)

    def capacity_in(self, playbook: Playbook) -> float:
        """The seller's capacity in their role's unit (the role's own when none is set; NaN: unknown role)."""
        if self.capacity is not None:
            return self.capacity
        role = _role(playbook, self.role)
        return role.capacity if role is not None else float("nan")


SELLER_COLUMNS = tuple(f.name for f in fields(Seller))


def _role(playbook: Playbook, name: str) -> Any:
    return next((r for r in playbook.roles if r.name == name), None)


def seller_text(seller: Seller, playbook: Playbook | None = None) -> str:
    """One seller in words, for the history: "Account manager, 1,600 hours, region East"."""
    parts = [seller.role + (" (guessed)" if seller.role_guessed else "")]
    role = _role(playbook, seller.role) if playbook is not None else None
    unit = f" {role.capacity_unit}" if role is not None else ""
    if seller.capacity is not None:
        parts.append(f"capacity {seller.capacity:,g}{unit}")
    for key in ("region", "territory", "manager"):
        if getattr(seller, key):
            parts.append(f"{key} {getattr(seller, key)}")
    if seller.max_accounts is not None:
        parts.append(f"at most {seller.max_accounts:,} accounts")
    if not seller.takes_new:
        parts.append("takes no new accounts")
    return ", ".join(parts)


# ---------------------------------------------------------------- the table as a frame


def sellers_frame(sellers: Sequence[Seller]) -> pd.DataFrame:
    """The sellers as a table with SELLER_COLUMNS (the form saved with a plan and shown to people)."""
    return pd.DataFrame(
        {
            "name": pd.array([s.name for s in sellers], dtype="string"),
            "role": pd.array([s.role for s in sellers], dtype="string"),
            "capacity": np.array([np.nan if s.capacity is None else s.capacity for s in sellers], float),
            "region": pd.array([s.region for s in sellers], dtype="string"),
            "territory": pd.array([s.territory for s in sellers], dtype="string"),
            "max_accounts": pd.array([s.max_accounts for s in sellers], dtype="Int64"),
            "takes_new": np.array([s.takes_new for s in sellers], bool),
            "manager": pd.array([s.manager for s in sellers], dtype="string"),
            "role_guessed": np.array([s.role_guessed for s in sellers], bool),
        }
    )


def _value(v: Any) -> Any:
    return None if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else v


def sellers_from_frame(frame: pd.DataFrame) -> tuple[Seller, ...]:
    """Sellers from a table with SELLER_COLUMNS (missing optional columns take their defaults); ValueError
    names the first bad row. Names must be unique."""
    if "name" not in frame.columns or "role" not in frame.columns:
        raise ValueError("a sellers table needs the columns name and role")
    records = frame[[c for c in SELLER_COLUMNS if c in frame.columns]].to_dict("records")
    out = []
    for i, record in enumerate(records):
        values: dict[str, Any] = {str(k): _value(v) for k, v in record.items()}
        for flag, default in (("takes_new", True), ("role_guessed", False)):
            values[flag] = bool(default if values.get(flag) is None else values[flag])
        try:
            out.append(Seller(**values))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"seller {i + 1}: {exc}") from None
    return unique_names(out)


def unique_names(sellers: Iterable[Seller]) -> tuple[Seller, ...]:
    out = tuple(sellers)
    seen: set[str] = set()
    for s in out:
        if s.name in seen:
            raise ValueError(f"the seller {s.name!r} is named twice")
        seen.add(s.name)
    return out


# ---------------------------------------------------------------- roles guessed from the books


def owner_codes(accounts: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """Per account row the owner's code into the owner names (-1: no owner), names stripped and unique."""
    if "owner" not in accounts.columns:
        return np.full(len(accounts), -1, np.intp), []
    text = accounts["owner"].astype("string").str.split().str.join(" ")
    text = text.where(text.str.len() > 0)
    codes, names = pd.factorize(text, use_na_sentinel=True)
    return codes.astype(np.intp), [str(n) for n in names]


def guess_roles(
    cls: Classification,
    codes: np.ndarray,
    k: int,
    have: np.ndarray | None = None,
    wanted: np.ndarray | None = None,
) -> np.ndarray:
    """A role (index into the playbook's roles) for each of k owners (`codes` per account row): the role
    whose accounts take most of the owner's time (in sellers' worth). Owners with no covered accounts take
    the role the team is most short of, counting `have` (sellers per role already known) and each guess of
    the `wanted` owners (default: all) in turn."""
    load = account_load(cls)
    n_roles = len(cls.playbook.roles)
    role, sellers = load["role"].to_numpy(np.intp), load["sellers"].to_numpy(float)
    held = (codes >= 0) & (role >= 0)
    weight = np.bincount(codes[held] * n_roles + role[held], sellers[held], minlength=k * n_roles)
    weight = weight.reshape(k, n_roles)
    guess = np.where(weight.sum(1) > 0, weight.argmax(1), -1)
    needed = np.bincount(role[role >= 0], sellers[role >= 0], minlength=n_roles)
    wanted = np.ones(k, bool) if wanted is None else wanted
    count = np.zeros(n_roles) if have is None else np.asarray(have, float).copy()
    count += np.bincount(guess[(guess >= 0) & wanted], minlength=n_roles)
    for i in np.flatnonzero((guess < 0) & wanted).tolist():
        guess[i] = int(np.argmax(needed - count)) if n_roles else -1
        count[guess[i]] += 1
    return guess


def complete_sellers(
    sellers: Sequence[Seller], accounts: pd.DataFrame, cls: Classification
) -> tuple[Seller, ...]:
    """The sellers, then one guessed seller for every owner in the accounts the table does not name (by
    name)."""
    known = {s.name for s in sellers}
    codes, names = owner_codes(accounts)
    missing = [i for i, n in enumerate(names) if n not in known]
    if not missing:
        return tuple(sellers)
    wanted = np.zeros(len(names), bool)
    wanted[missing] = True
    guess = guess_roles(cls, codes, len(names), _per_role(cls.playbook, sellers), wanted)
    roles = cls.playbook.role_names
    extra = [Seller(names[i], roles[guess[i]], role_guessed=True) for i in missing if guess[i] >= 0]
    extra.sort(key=lambda s: s.name.casefold())
    return unique_names([*sellers, *extra])


def _per_role(playbook: Playbook, sellers: Sequence[Seller]) -> np.ndarray:
    names = playbook.role_names
    return np.bincount([names.index(s.role) for s in sellers if s.role in names], minlength=len(names))


# ---------------------------------------------------------------- a team table


def _role_name(text: str, names: tuple[str, ...]) -> str | None:
    """The playbook role a team's role text names: the same words, or a role named within the text
    ("Senior Account manager" is an Account manager)."""
    folded = " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())
    plain = {" ".join(re.sub(r"[^0-9a-z]+", " ", n.casefold()).split()): n for n in names}
    if folded in plain:
        return plain[folded]
    inside = [n for p, n in sorted(plain.items(), key=lambda kv: -len(kv[0])) if p and p in folded]
    return inside[0] if inside else None


def _flag(v: Any) -> bool | None:
    if isinstance(v, bool | np.bool_):
        return bool(v)
    text = str(v).strip().casefold() if _value(v) is not None else ""
    return True if text in _YES else False if text in _NO else None


def _number(v: Any) -> float | None:
    if _value(v) is None or isinstance(v, bool):
        return None
    try:
        return float(str(v).replace(",", "").strip()) if isinstance(v, str) else float(v)
    except ValueError:
        return None


def _team_row(
    i: int, record: dict[str, Any], roles: tuple[str, ...], notes: list[str]
) -> dict[str, Any] | None:
    """One team row as Seller keywords (role None when it must be guessed); None for a row without a name."""
    name = _value(record.get("name"))
    if name is None or not str(name).strip():
        notes.append(f"team row {i + 1}: no seller name; left out")
        return None
    values: dict[str, Any] = {"name": str(name)}
    role = _value(record.get("role"))
    values["role"] = _role_name(str(role), roles) if role is not None else None
    if role is not None and values["role"] is None:
        notes.append(f"{name}: role {str(role)!r} is not a role of the playbook; guessed from the accounts")
    for key, low in (("capacity", 0.0), ("max_accounts", -1.0)):
        raw = _value(record.get(key))
        number = _number(raw)
        if raw is not None and (number is None or number <= low or (key == "max_accounts" and number % 1)):
            notes.append(f"{name}: {key.replace('_', ' ')} {raw!r} is not usable; left out")
            number = None
        values[key] = number
    for key in ("region", "territory", "manager"):
        values[key] = _value(record.get(key))
    takes = _value(record.get("takes_new"))
    values["takes_new"] = True if takes is None else _flag(takes)
    if values["takes_new"] is None:
        notes.append(f"{name}: takes new {takes!r} is not yes or no; taken as yes")
        values["takes_new"] = True
    return values


def _spell_as_owners(members: list[dict[str, Any]], owners: list[str], notes: list[str]) -> None:
    """Team names the file spells otherwise (only in case) take the file's spelling, so the seller keeps
    their accounts."""
    by_fold: dict[str, list[str]] = {}
    for name in owners:
        by_fold.setdefault(name.casefold(), []).append(name)
    for v in members:
        name = " ".join(v["name"].split())
        same = by_fold.get(name.casefold(), [])
        if name not in owners and len(same) == 1:
            notes.append(f"{name} is spelled {same[0]!r} in the file; that spelling is kept")
            v["name"] = same[0]


def sellers_from_team(
    team: pd.DataFrame, accounts: pd.DataFrame, cls: Classification
) -> tuple[tuple[Seller, ...], list[str]]:
    """Sellers from a team table with TEAM_FIELDS columns (only "name" is needed), and notes on what was
    left out or guessed. A role the table does not give (or the playbook does not know) is guessed from the
    accounts the seller holds, else the role the team is most short of, and marked as a guess."""
    pb = cls.playbook
    notes: list[str] = []
    records = [{str(k): v for k, v in r.items()} for r in team.to_dict("records")]
    rows = [_team_row(i, r, pb.role_names, notes) for i, r in enumerate(records)]
    kept: dict[str, dict[str, Any]] = {}
    for values in rows:
        if values is not None:
            key = " ".join(values["name"].split())
            if key in kept:
                notes.append(f"{values['name']} is named twice in the team; the first row is kept")
                continue
            kept[key] = values
    members = list(kept.values())
    codes, names = owner_codes(accounts)
    _spell_as_owners(members, names, notes)
    guessing = [v for v in members if v["role"] is None]
    if guessing:
        index = {n: i for i, n in enumerate(names)}
        at = [index.get(" ".join(v["name"].split()), -1) for v in guessing]
        k = len(names) + len(guessing)  # sellers holding no accounts get codes past the owners'
        slots = np.array([a if a >= 0 else len(names) + j for j, a in enumerate(at)], np.intp)
        given = [pb.role_names.index(v["role"]) for v in members if v["role"]]
        wanted = np.zeros(k, bool)
        wanted[slots] = True
        guess = guess_roles(cls, codes, k, np.bincount(given, minlength=len(pb.roles)), wanted)
        for v, slot in zip(guessing, slots.tolist(), strict=True):
            v["role"], v["role_guessed"] = pb.role_names[guess[slot]], True
    return tuple(Seller(**v) for v in members), notes
