"""Compare the plan with another plan or newer data, and measure progress against newer data.

Both run in the background, show their tables here, select the accounts they list in every other view,
and export a workbook.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tierdesk.app.reports import compare_with, progress_with
from tierdesk.domain.compare import Comparison
from tierdesk.domain.progress import Progress
from tierdesk.io.compare_export import write_comparison, write_progress
from tierdesk.qt.document import AccountSelection, PlanDocument
from tierdesk.qt.formatting import signed_money
from tierdesk.qt.models.frame_model import SORT_ROLE, FrameModel
from tierdesk.qt.prompts import Prompts
from tierdesk.qt.workers import BackgroundTask

OPEN_FILTER = "Plans and territory files (*.xlsx *.xlsm *.xlsb *.xls *.ods *.csv);;All files (*)"


def frame_table(parent: QWidget, model: FrameModel) -> QTableView:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    table = QTableView(parent)
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # A to Z by the first column (Qt starts descending)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class ReportView(QWidget):
    """Shared plumbing: pick a file, run in the background, select listed accounts, export."""

    title = ""

    def __init__(
        self,
        document: PlanDocument,
        selection: AccountSelection,
        prompts: Prompts,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document, self.selection, self.prompts = document, selection, prompts
        self.task: BackgroundTask | None = None
        self.summary = QLabel("", self)
        self.summary.setWordWrap(True)
        self.run_button = QPushButton(self)
        self.run_button.clicked.connect(self.ask_file)
        self.select_button = QPushButton("Select", self)
        self.select_button.setToolTip("Select the listed accounts in the table, the matrix and the pyramid")
        self.select_button.clicked.connect(self.select_listed)
        self.export_button = QPushButton("Export…", self)
        self.export_button.clicked.connect(self.ask_export)
        bar = QHBoxLayout()
        bar.addWidget(self.run_button)
        bar.addWidget(self.select_button)
        bar.addWidget(self.export_button)
        bar.addStretch(1)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(4, 4, 4, 4)
        self.layout_.addLayout(bar)
        self.layout_.addWidget(self.summary)
        document.replaced.connect(self._reset)
        self._reset()

    def _reset(self) -> None:
        self.run_button.setEnabled(self.document.plan is not None)
        self.select_button.setEnabled(False)
        self.export_button.setEnabled(False)

    def ask_file(self) -> None:
        path = self.prompts.open_path(self.title, OPEN_FILTER)
        if path is not None:
            self.run(path)

    def run(self, path: Path) -> None:
        raise NotImplementedError

    def _start(self, title: str, work: Callable[..., Any], done: Callable[[Any], None]) -> None:
        def failed(exc: BaseException) -> None:
            self.task = None
            self.prompts.warn(self.title, str(exc))

        def finished(result: Any) -> None:
            self.task = None
            done(result)
            self.select_button.setEnabled(True)
            self.export_button.setEnabled(True)

        self.task = BackgroundTask(
            self, title, work, finished, failed, lambda: setattr(self, "task", None)
        ).start()

    def listed_ids(self) -> list[str]:
        raise NotImplementedError

    def select_listed(self) -> None:
        plan = self.document.plan
        if plan is None:
            return
        ids = pd.Index(plan.accounts["account_id"].astype("string"))
        rows = ids.get_indexer(pd.Index(self.listed_ids(), dtype="string"))
        self.selection.set_rows(np.unique(rows[rows >= 0]), "report")

    def ask_export(self) -> None:
        path = self.prompts.save_path(f"Export {self.title.lower()}", "", "Excel workbooks (*.xlsx)")
        if path is not None:
            name = str(path)
            try:
                self.export(Path(name if name.endswith(".xlsx") else name + ".xlsx"))
            except Exception as exc:  # a sentence for the planner; the details are in the log
                self.prompts.warn("Export failed", str(exc))

    def export(self, path: Path) -> None:
        raise NotImplementedError


class CompareView(ReportView):
    """The current plan against another plan or newer territory data: what moved and why."""

    title = "Compare"

    def __init__(
        self,
        document: PlanDocument,
        selection: AccountSelection,
        prompts: Prompts,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(document, selection, prompts, parent)
        self.run_button.setText("Compare with…")
        self.run_button.setToolTip("Another plan workbook, or a newer territory file under the same playbook")
        self.comparison: Comparison | None = None
        self.moved = FrameModel(
            [
                ("account_name", "Account", "text"),
                ("field", "Changed", "text"),
                ("from", "From", "text"),
                ("to", "To", "text"),
                ("cause", "Why", "text"),
            ],
            self,
        )
        self.moved_table = frame_table(self, self.moved)
        self.moved_table.selectionModel().selectionChanged.connect(self._picked)
        self.layout_.addWidget(self.moved_table, 1)
        self.summary.setText("Compare this plan with last period's plan, or with a newer territory file.")

    def run(self, path: Path) -> None:
        old = self.document.plan
        if old is None or self.task is not None:
            return

        def work(_progress: Any, _cancelled: Any) -> Comparison:
            return compare_with(old, path)

        self._start(f"Comparing with {path.name}…", work, lambda result: self.show_comparison(result, path))

    def show_comparison(self, comparison: Comparison, path: Path) -> None:
        self.comparison = comparison
        self.moved.set_frame(comparison.moved)
        sellers = f"{comparison.sellers_delta:+.1f} sellers"
        moved = comparison.moved["account_id"].nunique()
        self.summary.setText(
            f"<b>From this plan to {path.name}:</b> {moved:,} accounts moved · "
            f"{len(comparison.added):,} new · {len(comparison.dropped):,} dropped · "
            f"{len(comparison.owner_changes):,} owner changes · disruption {comparison.disruption:,} · "
            f"{sellers}, {signed_money(comparison.cost_delta)} cost of sales"
        )

    def listed_ids(self) -> list[str]:
        return (
            [] if self.comparison is None else [str(a) for a in self.comparison.moved["account_id"].unique()]
        )

    def _picked(self, *_args: object) -> None:
        proxy = self.moved_table.model()
        assert isinstance(proxy, QSortFilterProxyModel)
        rows = {proxy.mapToSource(i).row() for i in self.moved_table.selectionModel().selectedRows()}
        plan = self.document.plan
        if plan is None or not rows:
            return
        ids = pd.Index(plan.accounts["account_id"].astype("string"))
        wanted = [str(self.moved.value(r, "account_id")) for r in rows]
        found = ids.get_indexer(pd.Index(wanted, dtype="string"))
        self.selection.set_rows(found[found >= 0], "report")

    def export(self, path: Path) -> None:
        if self.comparison is not None:
            write_comparison(self.comparison, path)


class ProgressView(ReportView):
    """Objectives met and revenue against target, from a newer territory file, by owner, territory, tier."""

    title = "Progress"

    def __init__(
        self,
        document: PlanDocument,
        selection: AccountSelection,
        prompts: Prompts,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(document, selection, prompts, parent)
        self.run_button.setText("Newer data…")
        self.run_button.setToolTip("Measure progress against a newer territory file")
        self.result: Progress | None = None
        group_columns = [
            ("group", "Group", "text"),
            ("accounts", "Accounts", "number"),
            ("objectives", "Objectives", "number"),
            ("met", "Met", "number"),
            ("met_share", "Met %", "percent"),
            ("revenue_now", "Revenue now", "money"),
            ("revenue_target", "Revenue target", "money"),
            ("revenue_attainment", "Attainment", "percent"),
        ]
        self.tabs = QTabWidget(self)
        self.groups: dict[str, FrameModel] = {}
        for key, label in (("owner", "By owner"), ("territory", "By territory"), ("tier", "By tier")):
            model = FrameModel(group_columns, self)
            self.groups[key] = model
            self.tabs.addTab(frame_table(self, model), label)
        self.accounts = FrameModel(
            [
                ("account_name", "Account", "text"),
                ("owner", "Owner", "text"),
                ("tier", "Tier", "text"),
                ("revenue_then", "Revenue then", "money"),
                ("revenue_now", "Revenue now", "money"),
                ("revenue_target", "Target", "money"),
                ("revenue_attainment", "Attainment", "percent"),
                ("objectives", "Objectives", "number"),
                ("met", "Met", "number"),
            ],
            self,
        )
        self.tabs.addTab(frame_table(self, self.accounts), "Accounts")
        self.layout_.addWidget(self.tabs, 1)
        self.summary.setText(
            "Open a newer territory file to see which objectives are met and revenue against target."
        )

    def run(self, path: Path) -> None:
        plan = self.document.plan
        if plan is None or self.task is not None:
            return

        def work(_progress: Any, _cancelled: Any) -> Progress:
            return progress_with(plan, path)

        self._start(
            f"Measuring progress with {path.name}…", work, lambda result: self.show_progress(result, path)
        )

    def show_progress(self, result: Progress, path: Path) -> None:
        self.result = result
        for key, table in (
            ("owner", result.by_owner),
            ("territory", result.by_territory),
            ("tier", result.by_tier),
        ):
            self.groups[key].set_frame(table.rename_axis("group").reset_index())
        self.accounts.set_frame(result.per_account)
        totals = result.totals()
        met = totals.get("met_share")
        attained = totals.get("revenue_attainment")
        parts = [f"<b>Against {path.name}:</b>"]
        if met is not None:
            parts.append(f"{float(met) * 100:.0f}% of objectives met")
        if attained is not None and attained == attained:
            parts.append(f"revenue {float(attained) * 100:.0f}% of target")
        self.summary.setText(" · ".join(parts))

    def listed_ids(self) -> list[str]:
        if self.result is None:
            return []
        table = self.result.per_account
        behind = (
            table[table["revenue_attainment"].fillna(1.0) < 1.0] if "revenue_attainment" in table else table
        )
        return [str(a) for a in behind["account_id"]]

    def export(self, path: Path) -> None:
        if self.result is not None:
            write_progress(self.result, path)
