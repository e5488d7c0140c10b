"""Sellers and their books in the window: accounts reassigned by hand (dropped on a seller in the Sellers
dock, or Accounts ▸ Reassign to Seller…), each with the planner's reason; owners kept or freed for
balancing; a seller's settings typed in the dock, sellers added and removed; Balance run in the
background, its moves shown, and the ones accepted applied as one undoable step. Every question goes
through the window's prompts; every change through the document, as an edit the domain undoes."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from tierdesk.domain.balance import balance
from tierdesk.domain.owners import LockOwner, ReassignAccounts, owners_at
from tierdesk.domain.plan import Plan
from tierdesk.domain.proposal import Proposal
from tierdesk.domain.seller_edits import AddSeller, ChangeSeller, RemoveSeller
from tierdesk.domain.sellers import Seller
from tierdesk.domain.workload import books, sellers_short
from tierdesk.qt.document import AccountSelection, PlanDocument
from tierdesk.qt.formatting import percent
from tierdesk.qt.prompts import Prompts
from tierdesk.qt.views.sellers_view import SellersView
from tierdesk.qt.workers import BackgroundTask, Progress

NEW_SELLER = "New seller"


def _action(parent: QWidget, text: str, tip: str, shortcut: str = "") -> QAction:
    action = QAction(text, parent)
    action.setStatusTip(tip)
    action.setToolTip(tip)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    return action


def typed_seller(seller: Seller, field: str, text: Any, roles: tuple[str, ...]) -> Seller:
    """The seller with one field as typed in the Sellers dock (an empty text clears an optional field);
    ValueError says in words what is wrong."""
    if field == "takes_new":
        return replace(seller, takes_new=bool(text))
    value = str(text).strip()
    if field == "name":
        return replace(seller, name=value)
    if field == "role":
        if value not in roles:
            raise ValueError(f"{value!r} is not a role of the playbook ({', '.join(roles)})")
        return replace(seller, role=value, role_guessed=False)
    if field == "region":
        return replace(seller, region=value or None)
    if field == "territory":
        return replace(seller, territory=value or None)
    if not value:
        return (
            replace(seller, max_accounts=None) if field == "max_accounts" else replace(seller, capacity=None)
        )
    try:
        number = float(value.replace(",", "").replace("_", ""))
    except ValueError:
        raise ValueError(f"{value!r} is not a number") from None
    if field == "max_accounts":
        if not math.isfinite(number) or number < 0 or not number.is_integer():
            raise ValueError(f"at most a whole number of accounts, not {value!r}")
        return replace(seller, max_accounts=int(number))
    return replace(seller, capacity=number)  # Seller refuses a capacity of 0 or less


class SellerCommands:
    """The Sellers dock's and the Accounts menu's seller commands; each change is one undo step."""

    def __init__(
        self,
        parent: QWidget,
        document: PlanDocument,
        selection: AccountSelection,
        prompts: Prompts,
        view: SellersView,
    ) -> None:
        self.parent, self.document, self.selection = parent, document, selection
        self.prompts, self.view = prompts, view
        self.task: BackgroundTask | None = None
        self.reassign_action = _action(
            parent, "&Reassign to Seller…", "Give the selected accounts another owner", "Ctrl+R"
        )
        self.keep_action = _action(
            parent, "&Keep Owner When Balancing", "Balancing leaves the selected accounts' owner", "Ctrl+K"
        )
        self.free_action = _action(
            parent, "Let Balancing &Move Them", "Balancing may give the selected accounts another owner"
        )
        self.balance_action = _action(
            parent,
            "&Balance the Books…",
            "Propose owner changes that bring every seller near capacity",
            "Ctrl+B",
        )
        self.add_action = _action(parent, "&Add Seller", "Add a seller to the team (type their name)")
        self.remove_action = _action(
            parent, "&Remove Seller", "Take the selected sellers off the team (their accounts keep the name)"
        )
        self.reassign_action.triggered.connect(self.ask_reassign)
        self.keep_action.triggered.connect(lambda: self.lock(self.selection.rows(), True))
        self.free_action.triggered.connect(lambda: self.lock(self.selection.rows(), False))
        self.balance_action.triggered.connect(self.balance)
        self.add_action.triggered.connect(self.add_seller)
        self.remove_action.triggered.connect(self.remove_sellers)
        for action in (self.balance_action, self.add_action, self.remove_action):
            view.toolbar.addAction(action)
        view.reassignRequested.connect(self.reassign)
        view.model.edited.connect(self.edit_seller)
        view.table.selectionModel().selectionChanged.connect(self.update_enabled)
        view.model.modelReset.connect(self.update_enabled)
        document.replaced.connect(self.update_enabled)
        selection.changed.connect(self.update_enabled)
        self.update_enabled()

    def add_to_menu(self, menu: QMenu) -> None:
        menu.addSeparator()
        for action in (self.reassign_action, self.keep_action, self.free_action, self.balance_action):
            menu.addAction(action)

    def update_enabled(self, *_args: object) -> None:
        has_plan = self.document.plan is not None
        rows = has_plan and len(self.selection) > 0
        for action in (self.reassign_action, self.keep_action, self.free_action):
            action.setEnabled(rows)
        self.balance_action.setEnabled(has_plan and self.task is None)
        self.add_action.setEnabled(has_plan)
        self.remove_action.setEnabled(has_plan and bool(self.view.selected_sellers()))

    # owners ----------------------------------------------------------------------------------------
    def ask_reassign(self) -> bool:
        """Accounts ▸ Reassign to Seller…: which seller, then why."""
        plan, rows = self.document.plan, self.selection.rows()
        if plan is None or not len(rows) or not plan.sellers:
            return False
        b = books(plan)
        loads = b.loads()
        choices = [
            (s.name, f"{s.role}, {percent(float(loads[i]))} of capacity") for i, s in enumerate(b.sellers)
        ]
        seller = self.prompts.seller(f"Reassign {self.document.rows_label(rows)} to:", choices)
        return seller is not None and self.reassign(rows, seller)

    def reassign(self, rows: np.ndarray, seller: str) -> bool:
        """Give `rows` the owner `seller` after asking why; nothing asked when they are theirs already."""
        plan = self.document.plan
        if plan is None or not len(rows):
            return False
        if all(o == seller for o in owners_at(plan.accounts, rows)):
            return False
        if not self._have_ids(plan, rows, "Owner not changed"):
            return False
        reason = self.prompts.reason(f"Why reassign {self.document.rows_label(rows)} to {seller}?")
        if reason is None:
            return False
        self.document.apply(ReassignAccounts(tuple(int(r) for r in rows), (seller,), reason))
        return True

    def lock(self, rows: np.ndarray, locked: bool) -> None:
        """Keep (or free) the owner of `rows` when balancing; one undo step."""
        plan = self.document.plan
        if plan is not None and len(rows) and self._have_ids(plan, rows, "Owner lock not changed"):
            self.document.apply(LockOwner(tuple(int(r) for r in rows), locked))

    def _have_ids(self, plan: Plan, rows: np.ndarray, title: str) -> bool:
        """Owners are kept by account ID, like every override: say so when an account has none."""
        if "account_id" in plan.accounts and not plan.accounts["account_id"].iloc[rows].isna().any():
            return True
        self.prompts.warn(title, "Owners are kept by Account ID, and some of these accounts have none.")
        return False

    # the sellers table -----------------------------------------------------------------------------
    def edit_seller(self, name: str, field: str, text: object) -> None:
        """A seller's field as typed in the Sellers dock; a typing mistake is said, not raised."""
        plan = self.document.plan
        found = [s for s in plan.sellers if s.name == name] if plan is not None else []
        if plan is None or not found:
            return
        try:
            seller = typed_seller(found[0], field, text, plan.playbook.role_names)
            if seller != found[0]:
                self.document.apply(ChangeSeller(name, seller))
        except ValueError as exc:
            self.prompts.warn("Seller not changed", f"{name}: {exc}")

    def add_seller(self) -> None:
        """A new seller in the role the team is most short of; their name is then typed in place."""
        plan = self.document.plan
        if plan is None or not plan.playbook.roles:
            return
        taken = {s.name.casefold() for s in plan.sellers}
        name = next(
            n
            for i in range(1, len(taken) + 2)
            if (n := NEW_SELLER + (f" {i}" if i > 1 else "")).casefold() not in taken
        )
        short = sellers_short(books(plan), plan.playbook.sellers.tolerance)
        role = max(short, key=lambda r: short[r]) if short else plan.playbook.role_names[0]
        self.document.apply(AddSeller(Seller(name, role)))
        self.view.select_seller(name)
        row = self.view.view_row(name)
        if row >= 0:
            self.view.table.edit(self.view.proxy.index(row, 0))

    def remove_sellers(self) -> None:
        names = self.view.selected_sellers()
        if self.document.plan is None or not names:
            return
        text = f"Remove seller {names[0]}" if len(names) == 1 else f"Remove {len(names)} sellers"
        with self.document.macro(text):
            for name in names:
                self.document.apply(RemoveSeller(name))

    # balancing ---------------------------------------------------------------------------------------
    def balance(self) -> None:
        """Balance the books in the background (progress, Cancel); then show the proposal and apply the moves
        the planner accepts as one undo step."""
        plan = self.document.plan
        if plan is None or self.task is not None:
            return
        step = self.document.undo_stack.index()

        def work(progress: Progress, cancelled: Any) -> Proposal:
            return balance(plan, None, progress, cancelled)

        def done(proposal: Proposal) -> None:
            self._finished()
            if self.document.plan is not plan or self.document.undo_stack.index() != step:
                self.prompts.warn("Balance the books", "The plan changed while balancing: balance again.")
                return
            self.offer(proposal)

        def failed(exc: BaseException) -> None:
            self._finished()
            self.prompts.warn("Balance the books", f"The books could not be balanced: {exc}")

        self.task = BackgroundTask(
            self.parent, "Balancing the books", work, done, failed, self._finished
        ).start()
        self.update_enabled()

    def _finished(self) -> None:
        self.task = None
        self.update_enabled()

    def offer(self, proposal: Proposal) -> bool:
        """Show a proposal; apply the moves accepted as one step. True when the plan changed."""
        if not proposal.moved_accounts:
            self.prompts.inform("Balance the books", nothing_to_move(proposal))
            return False
        picked = self.prompts.balance(proposal)
        if not picked:
            return False
        self.document.apply(proposal.edit(picked, reason="Balanced"))
        return True


def nothing_to_move(proposal: Proposal) -> str:
    """Why a proposal moves no account, in words."""
    band = f"{percent(proposal.target.low)}–{percent(proposal.target.high)} of capacity"
    loads = proposal.loads_before
    within = (loads >= proposal.target.low - 1e-6) & (loads <= proposal.target.high + 1e-6)
    if not proposal.sellers:
        head = "There is nobody to balance between."
    elif within.all():
        head = f"Every seller's load is within {band}: nothing needs moving."
    else:
        head = f"No owner change brings the books nearer {band}."
    return "\n\n".join([head, *proposal.messages])
