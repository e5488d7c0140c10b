"""Edits of the plan's sellers table: add, change (or rename), remove a seller, or replace the whole table;
each applied edit returns its inverse."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from tierdesk.domain.changes import Changed
from tierdesk.domain.history import PlanWideRecord
from tierdesk.domain.overrides import Override
from tierdesk.domain.owners import OWNER, OwnerDone, OwnerState, with_owners
from tierdesk.domain.playbook import Playbook
from tierdesk.domain.sellers import Seller, seller_text, unique_names

__all__ = [
    "SELLER_EDITS",
    "AddSeller",
    "ChangeSeller",
    "RemoveSeller",
    "SellerEdit",
    "SetSellers",
    "apply_seller_edit",
]


@dataclass(frozen=True)
class AddSeller:
    seller: Seller
    index: int | None = None  # where in the table (None: at the end)


@dataclass(frozen=True)
class ChangeSeller:
    """Replace seller `name` by `seller`; a new name renames the owner of every account they hold."""

    name: str
    seller: Seller


@dataclass(frozen=True)
class RemoveSeller:
    """Take a seller off the table. Their accounts keep the name until reassigned: balancing gives them new
    owners, as it does accounts without one."""

    name: str


@dataclass(frozen=True)
class SetSellers:
    """Replace the whole sellers table (e.g. with a team read from a file)."""

    sellers: tuple[Seller, ...]
    description: str = "Set the sellers"

    def __post_init__(self) -> None:
        object.__setattr__(self, "sellers", tuple(self.sellers))


SELLER_EDITS = (AddSeller, ChangeSeller, RemoveSeller, SetSellers)
SellerEdit = AddSeller | ChangeSeller | RemoveSeller | SetSellers


def _at(state: OwnerState, name: str) -> int:
    for i, s in enumerate(state.sellers):
        if s.name == name:
            return i
    raise ValueError(f"no seller named {name!r} in this plan")


def _check(state: OwnerState, sellers: tuple[Seller, ...]) -> tuple[Seller, ...]:
    roles = state.playbook.role_names
    for s in sellers:
        if s.role not in roles:
            raise ValueError(f"{s.name}: {s.role!r} is not a role of the playbook ({', '.join(roles)})")
    return unique_names(sellers)


def _fresh(state: OwnerState, name: str, but: str | None = None) -> None:
    """Refuse a new seller name that another seller has already, ignoring case (a typo, most likely)."""
    for s in state.sellers:
        if s.name != but and s.name.casefold() == name.casefold():
            raise ValueError(f"the seller {s.name!r} is named twice")


def apply_seller_edit(state: OwnerState, edit: SellerEdit) -> OwnerDone:
    """Apply a sellers-table edit to the state; see OwnerDone."""
    done = _apply(state, edit)
    changed = seller_changes(edit, done.inverse, state.playbook)
    return replace(done, record=PlanWideRecord("sellers", tuple(changed) or (("sellers", "", ""),)))


def _apply(state: OwnerState, edit: SellerEdit) -> OwnerDone:
    none = np.zeros(0, np.int64)
    if isinstance(edit, AddSeller):
        _fresh(state, edit.seller.name)
        at = len(state.sellers) if edit.index is None else max(0, min(edit.index, len(state.sellers)))
        sellers = _check(state, (*state.sellers[:at], edit.seller, *state.sellers[at:]))
        return OwnerDone(
            RemoveSeller(edit.seller.name),
            none,
            Changed.SELLERS,
            f"Add seller {edit.seller.name}",
            None,
            sellers,
        )
    if isinstance(edit, RemoveSeller):
        at = _at(state, edit.name)
        sellers = state.sellers[:at] + state.sellers[at + 1 :]
        inverse = AddSeller(state.sellers[at], at)
        return OwnerDone(inverse, none, Changed.SELLERS, f"Remove seller {edit.name}", None, sellers)
    if isinstance(edit, SetSellers):
        sellers = _check(state, edit.sellers)
        return OwnerDone(
            SetSellers(state.sellers, edit.description),
            none,
            Changed.SELLERS,
            edit.description,
            None,
            sellers,
        )
    return _change(state, edit)


def _change(state: OwnerState, edit: ChangeSeller) -> OwnerDone:
    at = _at(state, edit.name)
    old, new = state.sellers[at], edit.seller
    _fresh(state, new.name, but=old.name)
    sellers = _check(state, (*state.sellers[:at], new, *state.sellers[at + 1 :]))
    inverse = ChangeSeller(new.name, old)
    if new.name == old.name:
        return OwnerDone(
            inverse, np.zeros(0, np.int64), Changed.SELLERS, f"Change seller {old.name}", None, sellers
        )
    held = _owner_rows(state, old.name)
    if _owner_rows(state, new.name).size:
        raise ValueError(f"accounts are already owned by {new.name!r}: choose another name")
    for key, o in list(state.overrides.items()):  # reassignments to the seller follow the new name
        if o.field == OWNER and o.value == old.name:
            state.overrides[key] = Override(o.account_id, OWNER, new.name, o.reason, o.time)
    accounts = with_owners(state.accounts, held, [new.name] * len(held)) if len(held) else None
    what = Changed.SELLERS | (Changed.OWNER if len(held) else Changed.NOTHING)
    return OwnerDone(inverse, held, what, f"Rename seller {old.name} to {new.name}", accounts, sellers)


def _owner_rows(state: OwnerState, name: str) -> np.ndarray:
    if "owner" not in state.accounts.columns:
        return np.zeros(0, np.int64)
    text = state.accounts["owner"].astype("string").str.split().str.join(" ")
    rows = np.flatnonzero((text == name).fillna(False).to_numpy(bool))
    return rows.astype(np.int64)


def seller_changes(edit: SellerEdit, inverse: object, playbook: Playbook) -> list[tuple[str, str, str]]:
    """(what, from, to) for the history: one entry per seller added, removed or changed."""
    if isinstance(edit, AddSeller):
        return [(f"seller {edit.seller.name}", "", seller_text(edit.seller, playbook))]
    if isinstance(edit, RemoveSeller) and isinstance(inverse, AddSeller):
        return [(f"seller {edit.name}", seller_text(inverse.seller, playbook), "")]
    if isinstance(edit, ChangeSeller) and isinstance(inverse, ChangeSeller):
        old, new = inverse.seller, edit.seller
        what = f"seller {old.name}" + (f" → {new.name}" if new.name != old.name else "")
        return [(what, seller_text(old, playbook), seller_text(new, playbook))]
    if isinstance(edit, SetSellers) and isinstance(inverse, SetSellers):
        before = {s.name: s for s in inverse.sellers}
        after = {s.name: s for s in edit.sellers}
        out = [
            (f"seller {n}", seller_text(before[n], playbook) if n in before else "", seller_text(s, playbook))
            for n, s in after.items()
            if before.get(n) != s
        ]
        return out + [
            (f"seller {n}", seller_text(s, playbook), "") for n, s in before.items() if n not in after
        ]
    return []
