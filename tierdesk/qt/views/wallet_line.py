"""The selected account's wallet in the Account plan dock: the amount (type your own figure to override the
estimate), where it came from, and why."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from tierdesk.domain.changes import Change, Changed
from tierdesk.qt.document import AccountSelection, PlanDocument
from tierdesk.qt.formatting import format_money
from tierdesk.qt.prompts import Prompts
from tierdesk.qt.wallet_actions import set_wallet

SOURCE_TEXTS = {
    "file": "from the file",
    "peers": "estimated from peers",
    "firmographic": "estimated from size × rate",
    "planner": "your own figure",
}


class WalletLine(QWidget):
    """Wallet: [amount] source, and the one-line explanation under it; one account at a time."""

    def __init__(
        self,
        document: PlanDocument,
        selection: AccountSelection,
        prompts: Prompts,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("walletLine")
        self.document, self.selection, self.prompts = document, selection, prompts
        self.amount = QLineEdit(self)
        self.amount.setObjectName("walletAmount")
        self.amount.setMaximumWidth(140)
        self.amount.setToolTip(
            "The account's total spend in our category. Type your own figure (1.2M, 350,000) to replace the "
            "file's or the estimate; empty it to go back. Undoable."
        )
        self.amount.editingFinished.connect(self._typed)
        self.source = QLabel(self)
        self.source.setObjectName("walletSource")
        self.note = QLabel(self)
        self.note.setObjectName("walletNote")
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Wallet:", self))
        row.addWidget(self.amount)
        row.addWidget(self.source, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.note)
        self._row: int | None = None
        selection.changed.connect(lambda _source: self.refresh())
        document.changed.connect(self._plan_changed)
        document.replaced.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        plan = self.document.plan
        rows = self.selection.rows() if plan is not None else np.zeros(0, np.int64)
        self._row = int(rows[0]) if len(rows) == 1 else None
        self.setVisible(plan is not None)
        self.amount.setEnabled(self._row is not None)
        if plan is None or self._row is None:
            self.amount.setText("")
            self.amount.setPlaceholderText("one account" if len(rows) > 1 else "")
            self.source.setText("select one account to see or type its wallet" if len(rows) != 1 else "")
            self.note.setText("")
            return
        cls = plan.classification
        value = float(cls.wallet[self._row])
        source = cls.wallet_source[self._row]
        if not self.amount.hasFocus():
            self.amount.setText(format_money(value) if np.isfinite(value) else "")
        self.amount.setPlaceholderText("type a wallet")
        self.source.setText(
            SOURCE_TEXTS.get(str(source), "no wallet") if isinstance(source, str) else "no wallet"
        )
        self.note.setText(str(cls.wallet_notes(np.array([self._row]))[0]))

    def _plan_changed(self, change: Change) -> None:
        if self._row is None:
            return
        if change.touches(Changed.WALLET | Changed.PLAYBOOK) or change.row_changed(self._row):
            self.refresh()

    def _typed(self) -> None:
        plan = self.document.plan
        if plan is None or self._row is None or not self.amount.isModified():
            return
        self.amount.setModified(False)
        row = self._row
        shown = plan.classification.wallet[row]
        text = self.amount.text()
        if np.isfinite(shown) and text.strip() == format_money(float(shown)):
            return  # the value as shown: nothing typed
        if not set_wallet(self.document, row, text, self.prompts):
            self.refresh()
