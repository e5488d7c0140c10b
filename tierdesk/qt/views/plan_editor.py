"""The account plan of the selected account(s): objectives with targets, due dates and status; templates;
plan owner and period; how complete the plans are."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tierdesk.domain.changes import Change, Changed
from tierdesk.domain.objectives import KIND_LABELS
from tierdesk.domain.plan import RemoveObjectives, SetPlanInfo
from tierdesk.domain.plan_objectives import PlanInfo, add_objective, template_objectives
from tierdesk.domain.playbook import CATEGORIES, PERSONAS, UNCLASSIFIED
from tierdesk.qt.document import AccountSelection, PlanDocument
from tierdesk.qt.formatting import menu_text
from tierdesk.qt.models.objectives_model import CHOICES_ROLE, COLUMNS, ObjectivesModel
from tierdesk.qt.prompts import Prompts
from tierdesk.qt.views.wallet_line import WalletLine

ModelIndex = QModelIndex | QPersistentModelIndex
#: changes to every account's plan, or to the plan's: the editor shows them whoever is selected
PLAN_CHANGES = Changed.OBJECTIVES | Changed.COMPLETENESS | Changed.PLAN_INFO | Changed.PLAYBOOK
#: changes the editor shows when they touch a selected account (its heading names tier, persona, category)
ACCOUNT_CHANGES = Changed.TIER | Changed.PERSONA | Changed.CATEGORY


class ChoiceDelegate(QStyledItemDelegate):
    """Kind and status are picked from a list; dates with a calendar; the rest typed."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex) -> QWidget:
        choices = index.data(CHOICES_ROLE)
        if choices:
            combo = QComboBox(parent)
            for key, text in choices:
                combo.addItem(text, key)
            return combo
        if COLUMNS[index.column()][0] == "due":
            editor = QDateEdit(parent)
            editor.setCalendarPopup(True)
            editor.setDisplayFormat("yyyy-MM-dd")
            return editor
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:
        if isinstance(editor, QComboBox):
            current = index.data(Qt.ItemDataRole.EditRole)
            editor.setCurrentIndex(max(0, editor.findData(current)))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: ModelIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QDateEdit):
            model.setData(index, editor.date(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


PLANNED = (
    "How fully the plan is written: objectives, each with a target and a due date, and an owner. "
    "How far it has got is the line under it."
)


def progress_text(status: pd.Series) -> str:
    """How far objectives have got: "1 of 3 objectives met · 1 in progress"."""
    if not len(status):
        return "No objectives yet"
    counts = status.value_counts()
    total = len(status)
    parts = [f"{int(counts.get('Met', 0)):,} of {total:,} objective{'s' if total != 1 else ''} met"]
    parts += [f"{int(counts[s]):,} {s.lower()}" for s in ("In progress", "Missed") if counts.get(s, 0)]
    return " · ".join(parts)


class PlanEditor(QWidget):
    def __init__(
        self,
        document: PlanDocument,
        selection: AccountSelection,
        prompts: Prompts,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("planEditor")
        self.document, self.selection = document, selection
        self.heading = QLabel("Select an account to see and edit its plan", self)
        self.heading.setObjectName("planHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        # How fully the plan is written (not how far it has got: that is the progress line under it).
        self.account_complete = QProgressBar(self)
        self.account_complete.setFormat("%p% planned")
        self.account_complete.setMinimumWidth(130)
        self.account_complete.setMaximumWidth(200)
        self.progress = QLabel(self)
        self.progress.setObjectName("planProgress")
        self.model = ObjectivesModel(document, self)
        self.table = self._build_table()

        self.add_button = QPushButton("Add objective", self)
        self.add_button.clicked.connect(self.add_objective)
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.template_button = QToolButton(self)
        self.template_button.setText("Apply template")
        self.template_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.template_menu = QMenu(self.template_button)
        self.template_button.setMenu(self.template_menu)
        self.template_menu.aboutToShow.connect(self._fill_templates)
        self.print_button = QToolButton(self)  # its menu (preview, print, PDF) is the window's
        self.print_button.setText("One-page plan")
        self.print_button.setToolTip("Preview, print or save the selected accounts' one-page plans")
        self.print_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

        self.owner = QLineEdit(self)
        self.owner.setPlaceholderText("Plan owner")
        self.owner.setMinimumWidth(70)
        self.owner.editingFinished.connect(self._info_edited)
        self.period_start = QDateEdit(self)
        self.period_end = QDateEdit(self)
        for edit in (self.period_start, self.period_end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setSpecialValueText(" ")  # shown at the minimum date: no plan, no period
            edit.setDate(edit.minimumDate())
            edit.editingFinished.connect(self._info_edited)
        self.territory_complete = QLabel(self)
        self.territory_complete.setObjectName("territoryCompleteness")
        self.territory_complete.setWordWrap(True)
        self._lay_out(QVBoxLayout(self), WalletLine(document, selection, prompts, self))

        selection.changed.connect(self._selection_changed)
        document.changed.connect(self._plan_changed)
        document.replaced.connect(self.refresh)
        self.refresh()

    def _build_table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self.model)
        table.setItemDelegate(ChoiceDelegate(table))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in zip(range(len(COLUMNS)), (150, 130, 260, 90, 140, 95, 95, 160), strict=True):
            header.resizeSection(column, width)
        return table

    def _lay_out(self, layout: QVBoxLayout, wallet: WalletLine) -> None:
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        status = QVBoxLayout()
        status.addWidget(self.account_complete)
        status.addWidget(self.progress)
        top.addLayout(status)
        buttons = QHBoxLayout()
        for widget in (self.add_button, self.remove_button, self.template_button, self.print_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        plan_row = QHBoxLayout()
        plan_row.addWidget(QLabel("Plan owner:", self))
        plan_row.addWidget(self.owner, 1)
        period_row = QHBoxLayout()
        period_row.addWidget(QLabel("Plan period:", self))
        period_row.addWidget(self.period_start)
        period_row.addWidget(QLabel("to", self))
        period_row.addWidget(self.period_end)
        period_row.addStretch(1)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        self.wallet = wallet
        layout.addWidget(self.wallet)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addLayout(plan_row)
        layout.addLayout(period_row)
        layout.addWidget(self.territory_complete)

    # showing -------------------------------------------------------------------------
    def refresh(self) -> None:
        plan = self.document.plan
        rows = self.selection.rows() if plan is not None else np.zeros(0, np.int64)
        self.model.show_accounts(rows[:2000])
        has_plan, has_rows = plan is not None, len(rows) > 0
        for widget in (self.add_button, self.template_button, self.print_button):
            widget.setEnabled(has_rows)
        self.remove_button.setEnabled(has_rows)
        for editor in (self.owner, self.period_start, self.period_end):
            editor.setEnabled(has_plan)
        if plan is None:
            self.heading.setText("Open a territory to plan its accounts")
            self.account_complete.hide()
            self.progress.setText("")
            self.territory_complete.setText("")
            for edit in (self.period_start, self.period_end):
                edit.setDate(edit.minimumDate())
            return
        self.table.setColumnHidden(0, len(rows) <= 1)
        complete = plan.completeness()
        if len(rows) == 1:
            row = int(rows[0])
            self.heading.setText(self._describe(row))
            complete_score: Any = complete["complete"].iat[row]
            score = float(complete_score)
            self.account_complete.setValue(round(score * 100))
            missing = str(complete["missing"].iat[row]) if "missing" in complete else ""
            self.account_complete.setToolTip(PLANNED + (f"<br>Missing: {missing}" if missing else ""))
            self.account_complete.show()
            self.progress.setText(progress_text(plan.objectives_of(row)["status"]))
        elif len(rows) > 1:
            score = float(complete["complete"].iloc[rows].mean())
            shown = " (the first 2,000 are listed)" if len(rows) > 2000 else ""
            self.heading.setText(
                f"<b>{len(rows):,} accounts selected</b>{shown}: edit their objectives together "
                "or apply a template to all of them"
            )
            self.account_complete.setValue(round(score * 100))
            self.account_complete.setToolTip(PLANNED + "<br>Average over the selected accounts")
            self.account_complete.show()
            ids: pd.Series | list[str] = (
                plan.accounts["account_id"].iloc[rows] if "account_id" in plan.accounts else []
            )
            objectives = plan.objectives
            self.progress.setText(progress_text(objectives.loc[objectives["account_id"].isin(ids), "status"]))
        else:
            self.heading.setText("Select an account (in the table, the matrix or the pyramid) to plan it")
            self.account_complete.hide()
            self.progress.setText("")
        info = plan.info
        start, end = info.period(plan.as_of)
        if not self.owner.hasFocus():
            self.owner.setText(info.owner)
        for edit, day in ((self.period_start, start), (self.period_end, end)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)
        total = plan.territory_completeness()
        planned = int((complete["objectives"] > 0).sum())
        self.territory_complete.setText(
            f"Territory: account plans {total * 100:.0f}% planned · "
            f"{planned:,} of {len(complete):,} accounts have objectives · "
            f"{progress_text(plan.objectives['status'])}"
        )

    def _describe(self, row: int) -> str:
        plan = self.document.plan
        assert plan is not None
        cls, pb = plan.classification, plan.playbook

        def name(codes: Any, names: tuple[str, ...]) -> str:
            code = int(codes[row])
            return names[code] if 0 <= code < len(names) else UNCLASSIFIED

        role = name(cls.role, pb.role_names)
        tier = name(cls.tier, pb.tier_names)
        tier_rule = next((t for t in pb.tiers if t.name == tier), None)
        entitlements = ""
        if tier_rule is not None:
            entitlements = (
                f"{tier_rule.touches_per_quarter:g} touches/quarter · "
                f"{tier_rule.business_reviews_per_year:g} reviews/year · "
                f"{tier_rule.marketing} marketing · {tier_rule.support} support"
                + (" · executive sponsor" if tier_rule.executive_sponsor else "")
            )
        return (
            f"<b>{plan.account_label(row)}</b> — {tier} · {name(cls.persona, PERSONAS)} · "
            f"{name(cls.category, CATEGORIES)} · {role}<br><small>{entitlements}</small>"
        )

    def _selection_changed(self, _source: str) -> None:
        self.refresh()

    def _plan_changed(self, change: Change) -> None:
        """Refresh when the plans changed, or when a change touched an account being shown."""
        if change.touches(PLAN_CHANGES):
            self.refresh()
        elif change.touches(ACCOUNT_CHANGES) and len(self.selection):
            rows = change.rows
            if rows is None or np.intersect1d(rows, self.selection.rows()[:2000]).size:
                self.refresh()

    # editing ----------------------------------------------------------------------------
    def add_objective(self) -> None:
        plan = self.document.plan
        rows = self.selection.rows()
        if plan is None or not len(rows):
            return
        self.document.apply(add_objective(plan, int(rows[0]), "custom", "New objective"))
        self.table.scrollToBottom()

    def remove_selected(self) -> None:
        ids = sorted({self.model.objective_id(i.row()) for i in self.table.selectionModel().selectedRows()})
        if ids:
            what = "1 objective" if len(ids) == 1 else f"{len(ids)} objectives"
            self.document.apply(RemoveObjectives(tuple(ids), f"Remove {what}"))

    def apply_template(self, template: int | None) -> bool:
        """Objectives from a template (None: each account's own) for every selected account."""
        plan = self.document.plan
        rows = self.selection.rows()
        if plan is None or not len(rows):
            return False
        edit = template_objectives(plan, rows, template)
        if edit is None:
            return False
        self.document.apply(edit)
        return True

    def _fill_templates(self) -> None:
        self.template_menu.clear()
        plan = self.document.plan
        if plan is None:
            return
        own = self.template_menu.addAction("Each account's own (category and persona)")
        own.triggered.connect(lambda: self.apply_template(None))
        self.template_menu.addSeparator()
        for i, template in enumerate(plan.playbook.objectives):
            text = (
                f"{template.group}: {KIND_LABELS.get(template.kind, template.kind)} — {template.description}"
            )
            action = self.template_menu.addAction(menu_text(text))
            action.triggered.connect(lambda _c=False, t=i: self.apply_template(t))

    def _info_edited(self) -> None:
        plan = self.document.plan
        if plan is None:
            return
        start, end = self.period_start.date(), self.period_end.date()
        info = PlanInfo(
            owner=self.owner.text().strip(),
            period_start=dt.date(start.year(), start.month(), start.day()),
            period_end=dt.date(end.year(), end.month(), end.day()),
            title=plan.info.title,
        )
        old_start, old_end = plan.info.period(plan.as_of)
        if (info.owner, info.period_start, info.period_end) == (plan.info.owner, old_start, old_end):
            return
        if (
            info.period_end is not None
            and info.period_start is not None
            and info.period_end < info.period_start
        ):
            self.refresh()
            return
        self.document.apply(SetPlanInfo(info, "Change plan owner and period"))
