"""Print Preview…, Print… and Save One-Page Plans as PDF…: one page per account, for the selected accounts
(or every account the filters show), an owner's or a tier's; from the File menu, the Account plan dock and
the accounts table's context menu. Printing and PDFs are painted in the background, with Cancel; the
printer, the preview and the PDF's name are asked through the window's Prompts."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QPoint
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMainWindow, QMenu

from tierdesk.domain.onepager import OnePager, account_sheets, onepager_rows
from tierdesk.domain.playbook import UNCLASSIFIED
from tierdesk.io.file_names import file_stem
from tierdesk.io.plan_file import SaveError
from tierdesk.qt.document import AccountFilter, AccountSelection, PlanDocument
from tierdesk.qt.onepager.render import page_layout, paint_pages, write_pdf
from tierdesk.qt.prompts import Prompts
from tierdesk.qt.settings import Settings
from tierdesk.qt.workers import BackgroundTask

log = logging.getLogger(__name__)

PREVIEW_LIMIT = 50  # the preview paints on the GUI thread: beyond this many pages, print or save a PDF
MAX_PAGES = 5_000  # one-pagers made at once (gathering them runs on the GUI thread: ~0.1 ms each)
PDF_FILTER = "PDF files (*.pdf);;All files (*)"


class OnePagerCommands(QObject):
    """The one-pager actions of a main window; `pages_for` and `preview` are what the tests drive."""

    def __init__(
        self,
        window: QMainWindow,
        document: PlanDocument,
        selection: AccountSelection,
        filters: AccountFilter,
        settings: Settings,
        prompts: Prompts,
    ) -> None:
        super().__init__(window)
        self.window, self.document, self.selection = window, document, selection
        self.filters, self.settings, self.prompts = filters, settings, prompts
        self.task: BackgroundTask | None = None
        self._preview_printer: QPrinter | None = None
        self.preview_action = QAction("Print Pre&view…", window)
        self.preview_action.setStatusTip("See the one-page plans of the selected (or shown) accounts")
        self.preview_action.triggered.connect(lambda: self.preview(*self.scope()))
        self.print_action = QAction("&Print…", window)
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)
        self.print_action.setStatusTip("Print a one-page plan for each selected (or shown) account")
        self.print_action.triggered.connect(lambda: self.print_plans(*self.scope()))
        self.pdf_action = QAction("Save One-Page Plans as P&DF…", window)
        self.pdf_action.setStatusTip("A PDF with one page per selected (or shown) account, with bookmarks")
        self.pdf_action.triggered.connect(lambda: self.save_pdf(*self.scope()))
        self.menu = QMenu("One-page plan", window)  # for the Account plan dock's button
        for action in (self.preview_action, self.print_action, self.pdf_action):
            self.menu.addAction(action)
        document.replaced.connect(self._update_enabled)
        self._update_enabled()

    def _update_enabled(self) -> None:
        for action in (self.preview_action, self.print_action, self.pdf_action):
            action.setEnabled(self.document.plan is not None)

    # which accounts ----------------------------------------------------------------------
    def scope(self) -> tuple[np.ndarray, str]:
        """The selected accounts, or when none is selected every account the filters show; and in words."""
        plan = self.document.plan
        if plan is None:
            return np.zeros(0, np.int64), "no accounts"
        rows = self.selection.rows()
        if len(rows):
            return rows, plan.account_label(int(rows[0])) if len(rows) == 1 else f"{len(rows):,} accounts"
        mask = self.filters.mask()
        rows = np.flatnonzero(mask) if mask is not None else np.arange(len(plan.accounts))
        return rows, f"all {len(rows):,} accounts" if mask is None else f"{len(rows):,} shown accounts"

    def pages_for(self, rows: np.ndarray) -> list[OnePager] | None:
        """The one-pagers of these rows in print order; None (after telling the planner) when there are none
        or too many."""
        plan = self.document.plan
        if plan is None or not len(rows):
            self.prompts.inform("Nothing to print", "Select the accounts to print first.")
            return None
        if len(rows) > MAX_PAGES:
            self.prompts.inform(
                "Too many pages",
                f"That would be {len(rows):,} pages; tierdesk makes at most {MAX_PAGES:,} one-page plans at "
                "once. Select fewer accounts, or filter by owner or tier.",
            )
            return None
        return account_sheets(plan, onepager_rows(plan, among=rows))

    # the context menu of the accounts table -------------------------------------------------
    def show_row_menu(self, row: int, where: QPoint) -> None:
        """The table's context menu on account `row`: the selection's one-pagers, its owner's, its tier's."""
        menu = self.row_menu(row)
        if menu is not None:
            menu.exec(where)
            menu.deleteLater()

    def row_menu(self, row: int) -> QMenu | None:
        plan = self.document.plan
        if plan is None:
            return None
        menu = QMenu(self.window)
        rows, label = self.scope()
        plans = "Plan" if len(rows) == 1 else "Plans"
        menu.addAction(f"Preview One-Page {plans} of {label}…", lambda: self.preview(rows, label))
        menu.addAction(f"Print One-Page {plans} of {label}…", lambda: self.print_plans(rows, label))
        menu.addAction(f"Save One-Page {plans} of {label} as PDF…", lambda: self.save_pdf(rows, label))
        menu.addSeparator()
        cls, a = plan.classification, plan.accounts
        if "owner" in a.columns and not bool(a["owner"].isna().iat[row]):
            owner = str(a["owner"].iat[row])
            mine = np.flatnonzero((a["owner"].astype("string") == owner).fillna(False).to_numpy(bool))
            theirs = f"owner {owner} ({len(mine):,} accounts)"
            menu.addAction(
                f"Save One-Page Plans for {theirs} as PDF…", lambda: self.save_pdf(mine, theirs, owner)
            )
        tier = int(cls.tier[row])
        name = plan.playbook.tier_names[tier] if tier >= 0 else UNCLASSIFIED
        same = np.flatnonzero(cls.tier == tier)
        tiers = f"tier {name} ({len(same):,} accounts)"  # its own name: each lambda reads its own label
        menu.addAction(f"Save One-Page Plans for {tiers} as PDF…", lambda: self.save_pdf(same, tiers, name))
        return menu

    # preview, print, PDF -------------------------------------------------------------------
    def _printer(self, title: str) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(page_layout())
        printer.setDocName(title)
        printer.setCreator("tierdesk")
        return printer

    def preview(self, rows: np.ndarray, label: str) -> None:
        """The one-pagers as Qt's print preview (the first PREVIEW_LIMIT of them), which can print them."""
        pages = self.pages_for(rows)
        if pages is None:
            return
        shown = pages[:PREVIEW_LIMIT]
        # the dialog does not own its printer: kept here until the next preview (the dialog is gone by then)
        self._preview_printer = printer = self._printer(f"Account plans: {label}")
        more = f" (the first {len(shown)} of {len(pages):,})" if len(pages) > len(shown) else ""
        title = f"Print preview: one-page plans of {label}{more}"
        self.prompts.print_preview(printer, title, lambda printer: paint_pages(printer, shown))

    def print_plans(self, rows: np.ndarray, label: str) -> None:
        pages = self.pages_for(rows)
        if pages is None or self.task is not None:
            return
        printer = self._printer(f"Account plans: {label}")
        if not self.prompts.print_setup(printer, f"Print one-page plans of {label}"):
            return
        self._run(
            f"Printing {len(pages):,} one-page plans",
            lambda progress, cancelled: paint_pages(printer, pages, progress, cancelled),
            f"Sent {len(pages):,} one-page plans to {printer.printerName() or 'the printer'}",
            keep=printer,
        )

    def save_pdf(self, rows: np.ndarray, label: str, name: str = "") -> Path | None:
        """Ask where, then write the PDF in the background; returns the chosen path (None: cancelled)."""
        pages = self.pages_for(rows)
        if pages is None or self.task is not None:
            return None
        stem = file_stem(f"Account plans - {name or (pages[0].name if len(pages) == 1 else label)}", set())
        suggested = Path(self.settings.last_directory() or Path.home()) / f"{stem}.pdf"
        chosen = self.prompts.save_path(f"Save one-page plans of {label}", str(suggested), PDF_FILTER)
        if chosen is None:
            return None
        self.settings.set_last_directory(chosen.parent)
        path = chosen if chosen.suffix.lower() == ".pdf" else chosen.with_name(chosen.name + ".pdf")
        title = f"Account plans: {label}"
        self._run(
            f"Saving {len(pages):,} one-page plans",
            lambda progress, cancelled: write_pdf(path, pages, progress, cancelled, title=title),
            f"Saved {len(pages):,} one-page plans to {path.name}",
        )
        return path

    def _run(self, title: str, job: Any, done_text: str, keep: object = None) -> None:
        def done(_result: object) -> None:
            self.task = None
            self.window.statusBar().showMessage(done_text, 10_000)

        def failed(exc: BaseException) -> None:
            self.task = None
            reason = str(exc) if isinstance(exc, SaveError | OSError) else f"{type(exc).__name__}: {exc}"
            self.prompts.warn("Not done", f"{title} did not finish. {reason}")

        def cancelled() -> None:
            self.task = None
            self.window.statusBar().showMessage(f"{title}: cancelled", 10_000)

        self._kept = keep  # the printer, alive until the job is over
        self.task = BackgroundTask(self.window, title, job, done, failed, cancelled).start()
