"""Wallets in the window: the planner's own figure typed in the accounts table or the Account plan dock
(one undoable edit), where each wallet came from in tooltips, and File ▸ Wallet Estimates… to change how
the wallets a file lacks are estimated (one undoable edit naming the coverage change)."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tierdesk.domain.plan import SetWallet, SetWalletSettings
from tierdesk.domain.wallet import METHODS, PEER_FIELDS, WalletSettings
from tierdesk.domain.wallet_edits import settings_text
from tierdesk.io.amounts import to_numbers
from tierdesk.qt.document import PlanDocument
from tierdesk.qt.models.accounts_model import AccountsModel
from tierdesk.qt.models.plan_columns import WALLET_COLUMN
from tierdesk.qt.prompts import Prompts

METHOD_TEXTS = {
    "peers": "Peers: a high quantile of what comparable accounts spend",
    "firmographic": "Firmographic: company size × a rate per industry (rates in the playbook)",
    "given": "Only the file's wallets (no estimates)",
}


def parse_wallet(text: str) -> float | None:
    """A wallet as typed ("1.2M", "$350,000", "350k"); None for an empty text. ValueError when it is not an
    amount above 0."""
    if not text.strip():
        return None
    value = float(to_numbers(np.array([text.strip()], dtype=object), "money").values.iloc[0])
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"'{text.strip()}' is not a wallet: type an amount above 0, e.g. 1.2M or 350,000")
    return value


def set_wallet(document: PlanDocument, row: int, text: str, prompts: Prompts) -> bool:
    """The planner's wallet for one account from what was typed (empty: back to the file's or the estimate);
    one undo step. A typing mistake is said, not raised. True when the plan changed."""
    plan = document.plan
    if plan is None:
        return False
    try:
        value = parse_wallet(text)
    except ValueError as exc:
        prompts.warn("Wallet not changed", str(exc))
        return False
    account = plan.accounts["account_id"].iat[row] if "account_id" in plan.accounts else None
    if account is None or not isinstance(account, str):
        prompts.warn("Wallet not changed", "This account has no Account ID to keep it by.")
        return False
    if value is None and plan.wallet_of(account) is None:
        return False  # nothing typed before, nothing now
    if value is not None and plan.wallet_of(account) == value:
        return False
    document.apply(SetWallet((row,), value))
    return True


class WalletDialog(QDialog):
    """How the wallets a file lacks are estimated: method, quantile, peer fields, minimum peers, per size."""

    def __init__(self, settings: WalletSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Wallet estimates")
        self._base = settings
        self.method = QComboBox(self)
        for method in METHODS:
            self.method.addItem(METHOD_TEXTS[method], method)
        self.method.setCurrentIndex(METHODS.index(settings.method))
        self.quantile = QDoubleSpinBox(self)
        self.quantile.setRange(50.0, 100.0)
        self.quantile.setDecimals(1 if round(settings.quantile * 100) != settings.quantile * 100 else 0)
        self.quantile.setToolTip("90: what the account would spend if served like the best 10% of its peers")
        self.quantile.setValue(settings.quantile * 100)
        self.min_peers = QSpinBox(self)
        self.min_peers.setRange(1, 10_000)
        self.min_peers.setValue(settings.min_peers)
        self.per_size = QCheckBox("Scale by size: revenue per employee × the account's employees", self)
        self.per_size.setChecked(settings.per_size)
        self.fields = QListWidget(self)
        self.fields.setToolTip("Peers share these fields; fewer peers than the minimum: the last is dropped")
        for name in [*settings.peer_fields, *(f for f in PEER_FIELDS if f not in settings.peer_fields)]:
            item = QListWidgetItem(name, self.fields)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if name in settings.peer_fields else Qt.CheckState.Unchecked
            )
        self.fields.setMaximumHeight(self.fields.sizeHintForRow(0) * (len(PEER_FIELDS) + 1))
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Method:", self.method)
        form.addRow("Percentile of peers:", self.quantile)
        form.addRow("Peers share:", self.fields)
        form.addRow("At least:", self.min_peers)
        form.addRow("", self.per_size)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        for signal in (
            self.method.currentIndexChanged,
            self.quantile.valueChanged,
            self.min_peers.valueChanged,
        ):
            signal.connect(self._update)
        self.per_size.toggled.connect(self._update)
        self.fields.itemChanged.connect(self._update)
        self._update()

    def settings(self) -> WalletSettings:
        fields = tuple(
            self.fields.item(i).text()
            for i in range(self.fields.count())
            if self.fields.item(i).checkState() == Qt.CheckState.Checked
        )
        return replace(
            self._base,
            method=self.method.currentData(),
            quantile=round(self.quantile.value() / 100, 4),
            peer_fields=fields,
            min_peers=self.min_peers.value(),
            per_size=self.per_size.isChecked(),
        )

    def _update(self) -> None:
        settings = self.settings()
        peers = settings.method != "given"
        for widget in (self.quantile, self.min_peers, self.per_size, self.fields):
            widget.setEnabled(peers)
        self.summary.setText(f"Wallets the file lacks: {settings_text(settings)}.")


class WalletCommands:
    """File ▸ Wallet Estimates…, wallets typed in the accounts table, and the table's wallet tooltips."""

    def __init__(
        self, parent: QWidget, document: PlanDocument, accounts: AccountsModel, prompts: Prompts
    ) -> None:
        self.parent, self.document, self.accounts, self.prompts = parent, document, accounts, prompts
        self.action = QAction("&Wallet Estimates…", parent)
        self.action.setStatusTip("How wallets the file lacks are estimated (peers, firmographic); undoable")
        self.action.triggered.connect(self.ask_settings)
        accounts.set_editable([WALLET_COLUMN])
        accounts.cellTyped.connect(self._typed)
        for column in (WALLET_COLUMN, "Wallet Source"):
            accounts.set_cell_tip(column, self._note)
        document.replaced.connect(self._update_enabled)
        self._update_enabled()

    def _update_enabled(self) -> None:
        self.action.setEnabled(self.document.plan is not None)

    def _note(self, row: int) -> str:
        plan = self.document.plan
        if plan is None or not 0 <= row < len(plan.accounts):
            return ""
        return str(plan.classification.wallet_notes(np.array([row]))[0])

    def _typed(self, column: str, row: int, text: str) -> None:
        if column == WALLET_COLUMN:
            set_wallet(self.document, row, text, self.prompts)

    def ask_settings(self) -> None:
        plan = self.document.plan
        if plan is None:
            return
        dialog = WalletDialog(plan.playbook.wallet, self.parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.apply(dialog.settings())

    def apply(self, settings: WalletSettings) -> None:
        plan = self.document.plan
        if plan is not None and settings != plan.playbook.wallet:
            self.document.apply(SetWalletSettings(settings))
