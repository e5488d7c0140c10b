"""Filters that narrow every view at once: territory, owner, region, industry, segment (multi-select).

The choices live in the window's AccountFilter (one part, "fields"); the buttons show what is there, so
"Clear all" here, or "Clear filters" under the table, clears every filter, wherever it was set."""

from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from tierdesk.domain.accounts import label
from tierdesk.qt.dialogs.value_filter import ValueFilterDialog
from tierdesk.qt.document import AccountFilter, PlanDocument

FILTER_FIELDS = ("territory", "owner", "region", "industry", "segment")
PART = "fields"


class FilterBar(QWidget):
    def __init__(self, document: PlanDocument, filters: AccountFilter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document, self.filters = document, filters
        self.buttons: dict[str, QToolButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(QLabel("Filter:", self))
        for field in FILTER_FIELDS:
            button = QToolButton(self)
            button.setObjectName(f"filter_{field}")
            button.clicked.connect(lambda _checked=False, f=field: self.ask(f))
            layout.addWidget(button)
            self.buttons[field] = button
        self.clear_button = QToolButton(self)
        self.clear_button.setText("Clear all")
        self.clear_button.setToolTip(
            "Show every account: clears these filters, the tier band and the table's"
        )
        self.clear_button.clicked.connect(self.clear)
        layout.addWidget(self.clear_button)
        layout.addStretch(1)
        self.count = QLabel(self)
        self.count.setObjectName("filterCount")
        layout.addWidget(self.count)
        document.replaced.connect(self._replaced)
        filters.changed.connect(self._filters_changed)
        self._replaced()

    @property
    def chosen(self) -> dict[str, frozenset[str]]:
        """The values chosen per field (fields without a choice show every account)."""
        return self.filters.chosen_values(PART)

    def _replaced(self) -> None:
        plan = self.document.plan
        for field, button in self.buttons.items():
            button.setVisible(plan is not None and field in plan.accounts)
        self.filters.clear()  # a new plan starts unfiltered
        self._filters_changed()

    def _filters_changed(self) -> None:
        self._update_buttons()
        self._update_count()

    def values(self, field: str) -> list[tuple[str, int]]:
        plan = self.document.plan
        assert plan is not None
        counts = plan.accounts[field].astype("string").fillna("").value_counts()
        return [(str(v), int(n)) for v, n in counts.items()]

    def ask(self, field: str) -> None:
        dialog = ValueFilterDialog(label(field), self.values(field), self.chosen.get(field), self)
        if dialog.exec():
            self.set_values(field, dialog.chosen())

    def set_values(self, field: str, values: frozenset[str] | None) -> None:
        """Show only accounts whose `field` is one of `values` (None: no filter on that field)."""
        plan = self.document.plan
        if plan is None:
            return
        chosen = self.chosen
        if values is None:
            chosen.pop(field, None)
        else:
            chosen[field] = frozenset(values)
        if not chosen:
            self.filters.set_part(PART, None)
            return
        mask = np.ones(len(plan.accounts), dtype=bool)
        for name, kept in chosen.items():
            text: pd.Series = plan.accounts[name].astype("string").fillna("")
            mask &= text.isin(kept).to_numpy()
        summary = "; ".join(
            f"{label(f)}: {', '.join(sorted(v)[:3])}{'…' if len(v) > 3 else ''}" for f, v in chosen.items()
        )
        self.filters.set_part(PART, mask, summary, chosen)

    def clear(self) -> None:
        """Clear every filter (this bar's, the tier band, the table's search and column filters)."""
        self.filters.clear()

    def _update_buttons(self) -> None:
        chosen_now = self.chosen
        for field, button in self.buttons.items():
            chosen = chosen_now.get(field)
            if chosen is None:
                button.setText(f"{label(field)}: all")
            elif len(chosen) == 1:
                button.setText(f"{label(field)}: {next(iter(chosen)) or '(blank)'}")
            else:
                button.setText(f"{label(field)}: {len(chosen)} chosen")
        self.clear_button.setEnabled(self.filters.mask() is not None)

    def _update_count(self) -> None:
        plan = self.document.plan
        if plan is None:
            self.count.setText("")
            return
        total = len(plan.accounts)
        shown = self.filters.shown(total)
        self.count.setText(f"<b>{shown:,}</b> of {total:,} accounts")
