"""The main window: composes the views, menus and status bar; it owns no planning logic."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QScrollArea, QToolBar, QWidget

from tierdesk.app.workspace import Opened
from tierdesk.domain.basis import dated_by_file
from tierdesk.domain.changes import Change, Changed
from tierdesk.io.load import LoadResult
from tierdesk.paths import sample_territory
from tierdesk.qt.actions import account_actions, file_actions, fill_tier_actions
from tierdesk.qt.dialogs.about import AboutDialog
from tierdesk.qt.document import AccountFilter, AccountSelection, PlanDocument
from tierdesk.qt.formatting import format_money, menu_text
from tierdesk.qt.models.accounts_model import AccountsModel
from tierdesk.qt.move_actions import MoveCommands
from tierdesk.qt.onepager.commands import OnePagerCommands
from tierdesk.qt.opening import TerritoryOpener
from tierdesk.qt.plan_files import PlanFiles
from tierdesk.qt.playbook_actions import PlaybookCommands
from tierdesk.qt.previous_actions import PreviousPeriodCommands
from tierdesk.qt.prompts import Prompts
from tierdesk.qt.seller_actions import SellerCommands
from tierdesk.qt.settings import Settings
from tierdesk.qt.views.accounts_view import AccountsView, TableSelectionLink
from tierdesk.qt.views.coverage_view import CoverageView
from tierdesk.qt.views.filter_bar import FilterBar
from tierdesk.qt.views.history_view import HistoryView
from tierdesk.qt.views.import_report import ImportReportPanel
from tierdesk.qt.views.matrix_view import MatrixView
from tierdesk.qt.views.plan_editor import PlanEditor
from tierdesk.qt.views.pyramid_view import PyramidView
from tierdesk.qt.views.report_views import CompareView, ProgressView
from tierdesk.qt.views.sellers_view import SellersView
from tierdesk.qt.wallet_actions import WalletCommands

log = logging.getLogger(__name__)

OPEN_FILTER = (
    "Territory files (*.xlsx *.xlsm *.xlsb *.xls *.ods *.csv *.txt);;"
    "Excel workbooks (*.xlsx *.xlsm *.xlsb *.xls);;OpenDocument (*.ods);;CSV (*.csv *.txt);;All files (*)"
)


class MainWindow(QMainWindow):
    """The window. Every question it or its parts ask goes through `prompts` (the real dialogs by default;
    a Prompts made without a parent asks over this window)."""

    def __init__(
        self, settings: Settings | None = None, parent: QWidget | None = None, prompts: Prompts | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.settings = settings or Settings()
        self.prompts = prompts or Prompts(self)
        if self.prompts.parent is None:
            self.prompts.parent = self
        self.dated_note = ""  # the plan dated by an old file's own latest purchase, in words
        self.setAcceptDrops(True)
        self.resize(1366, 768)
        self.setDockNestingEnabled(True)

        self.document = PlanDocument(self)
        self.selection = AccountSelection(self)
        self.filters = AccountFilter(self)
        self.accounts_model = AccountsModel(self)
        self.accounts_model.follow(self.document)
        self.accounts_view = AccountsView(self.accounts_model, self.filters, self)
        self.table_link = TableSelectionLink(self.accounts_view, self.selection)
        self.matrix = MatrixView(self.document, self.selection, self.filters, self)
        self.pyramid = PyramidView(self.document, self.selection, self.filters, self)
        self.coverage = CoverageView(self.document, self.filters, self)
        self.filter_bar = FilterBar(self.document, self.filters, self)
        self.import_report = ImportReportPanel(self.prompts, self)
        self.plan_editor = PlanEditor(self.document, self.selection, self.prompts, self)
        self.compare_view = CompareView(self.document, self.selection, self.prompts, self)
        self.progress_view = ProgressView(self.document, self.selection, self.prompts, self)
        self.history_view = HistoryView(self.document, self)
        self.sellers_view = SellersView(self.document, self.selection, self)
        self.moves = MoveCommands(self.document, self.prompts)
        self.sellers = SellerCommands(self, self.document, self.selection, self.prompts, self.sellers_view)
        self.matrix.moveRequested.connect(self.moves.to_persona)
        self.pyramid.moveRequested.connect(self.moves.to_tier)
        self._build_docks()
        filter_toolbar = QToolBar("Filters", self)
        filter_toolbar.setObjectName("filterToolbar")
        filter_toolbar.addWidget(self.filter_bar)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, filter_toolbar)

        self.opener = TerritoryOpener(self, self.settings, self.prompts)
        self.opener.opened.connect(self.show_result)
        self.opener.failed.connect(self._open_failed)
        self.document.changed.connect(self._plan_changed)
        self.document.undo_stack.cleanChanged.connect(self._clean_changed)
        self.selection.changed.connect(self._selection_changed)

        self._build_menus()
        self._build_status_bar()
        self.accounts_view.countsChanged.connect(self._update_status)
        self._update_title()
        self._update_enabled()
        self._restore_layout()

    # composition -------------------------------------------------------------
    def _build_docks(self) -> None:
        self.setCentralWidget(self.matrix)
        # The right column (pyramid, coverage, plan) runs the full height; the table sits under the matrix.
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.setCorner(Qt.Corner.TopRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.pyramid_dock = self._dock(
            "Tier pyramid", "pyramidDock", self.pyramid, Qt.DockWidgetArea.RightDockWidgetArea
        )
        coverage_scroll = QScrollArea(self)  # small screens scroll the figures rather than squeeze them
        coverage_scroll.setWidget(self.coverage)
        coverage_scroll.setWidgetResizable(True)
        coverage_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.coverage_dock = self._dock(
            "Coverage", "coverageDock", coverage_scroll, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.plan_dock = self._dock(
            "Account plan", "planDock", self.plan_editor, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.tabifyDockWidget(self.coverage_dock, self.plan_dock)
        self.accounts_dock = self._dock(
            "Accounts", "accountsDock", self.accounts_view, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.report_dock = self._dock(
            "Import report", "importReportDock", self.import_report, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.compare_dock = self._dock(
            "Compare", "compareDock", self.compare_view, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.progress_dock = self._dock(
            "Progress", "progressDock", self.progress_view, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.history_dock = self._dock(
            "History", "historyDock", self.history_view, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.history_dock.visibilityChanged.connect(self.history_view.on_screen)
        self.sellers_dock = self._dock(
            "Sellers", "sellersDock", self.sellers_view, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        for dock in (
            self.sellers_dock,
            self.report_dock,
            self.compare_dock,
            self.progress_dock,
            self.history_dock,
        ):
            dock.hide()  # side by side until they are tabbed at the first show: hidden, they take no width
        self._docks_arranged = False  # the rest of the layout is set when the window first shows

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_file_menu(self) -> None:
        actions = self.file_actions = file_actions(self)
        actions.open.triggered.connect(self.ask_open)
        actions.open_sample.triggered.connect(self.open_sample)
        actions.quit.triggered.connect(self.close)
        actions.recent.aboutToShow.connect(self._fill_recent_menu)
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(actions.open)
        file_menu.addMenu(actions.recent)
        file_menu.addAction(actions.open_sample)
        file_menu.addSeparator()
        self.plan_files = PlanFiles(self, self.document, self.settings, self.prompts)
        self.plan_files.saved.connect(self._saved)
        for action in (self.plan_files.save_action, self.plan_files.save_as_action):
            file_menu.addAction(action)
        file_menu.addAction(self.plan_files.export_owner_action)
        file_menu.addAction(self.plan_files.export_territory_action)
        file_menu.addSeparator()
        self.playbook_commands = PlaybookCommands(self, self.document, self.prompts)
        file_menu.addAction(self.playbook_commands.use_action)
        file_menu.addAction(self.playbook_commands.save_action)
        self.wallet_commands = WalletCommands(self, self.document, self.accounts_model, self.prompts)
        file_menu.addAction(self.wallet_commands.action)
        self.previous_commands = PreviousPeriodCommands(self, self.document, self.prompts)
        file_menu.addAction(self.previous_commands.set_action)
        file_menu.addAction(self.previous_commands.clear_action)
        file_menu.addSeparator()
        self.onepager = OnePagerCommands(
            self, self.document, self.selection, self.filters, self.settings, self.prompts
        )
        for action in (self.onepager.preview_action, self.onepager.print_action, self.onepager.pdf_action):
            file_menu.addAction(action)
        self.plan_editor.print_button.setMenu(self.onepager.menu)
        self.accounts_view.rowMenuRequested.connect(self.onepager.show_row_menu)
        file_menu.addSeparator()
        file_menu.addAction(actions.quit)
        self.file_menu = file_menu

    def _build_menus(self) -> None:
        self._build_file_menu()
        edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = self.document.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.document.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        self.edit_menu = edit_menu

        accounts_menu = self.menuBar().addMenu("&Accounts")
        self.account_actions = account_actions(self, accounts_menu)
        for action in self.account_actions.to_persona:
            action.triggered.connect(lambda _c=False, a=action: self.move_selection_to_persona(str(a.data())))
        assert (
            self.account_actions.clear_pins
            and self.account_actions.select_all
            and self.account_actions.clear_selection
        )
        self.account_actions.clear_pins.triggered.connect(
            lambda: self.moves.clear_pins(self.selection.rows())
        )
        self.account_actions.select_all.triggered.connect(self._select_all_shown)
        self.account_actions.clear_selection.triggered.connect(lambda: self.selection.clear("menu"))
        self.sellers.add_to_menu(accounts_menu)
        self.accounts_menu = accounts_menu

        view_menu = self.menuBar().addMenu("&View")
        docks = (
            self.pyramid_dock,
            self.coverage_dock,
            self.plan_dock,
            self.accounts_dock,
            self.report_dock,
            self.compare_dock,
            self.progress_dock,
            self.sellers_dock,
        )
        for dock in docks:
            view_menu.addAction(dock.toggleViewAction())
        self.view_menu = view_menu
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About tierdesk", self)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _build_status_bar(self) -> None:
        self.count_label = QLabel(self)
        self.revenue_label = QLabel(self)
        self.source_label = QLabel(self)
        bar = self.statusBar()
        bar.addWidget(self.count_label)
        bar.addWidget(self.revenue_label)
        bar.addPermanentWidget(self.source_label)
        self._update_status()

    # opening ---------------------------------------------------------------------
    def ask_open(self) -> None:
        path = self.prompts.open_path("Open territory file", OPEN_FILTER, self.settings.last_directory())
        if path is not None:
            self.open_file(path)

    def open_file(self, path: Path, *, interactive: bool = True) -> None:
        self.settings.set_last_directory(Path(path).resolve().parent)
        self.opener.open(Path(path), interactive=interactive)

    def open_sample(self) -> None:
        self.open_file(sample_territory(), interactive=False)

    @property
    def result(self) -> LoadResult | None:
        """The file the open plan was read from (the workspace keeps it); None before one opens."""
        return self.document.source

    def show_result(self, opened: Opened) -> None:
        """Show a territory that was loaded and classified (in the background) by the opener: the workspace
        takes it (edits made in Excel as one undoable step); every view, the table too, follows the
        document."""
        result = opened.source
        self.selection.clear("window")
        self.document.open(opened)
        if self.document.plan is not None:
            self.dated_note = dated_by_file(self.document.plan.classification)
        self.import_report.set_issues(result.issues, result.file.name)
        self._refresh_tier_actions()
        if any(i.severity != "info" for i in result.issues):
            self.report_dock.show()
        if result.file.resolve() != sample_territory().resolve():
            self.settings.add_recent_file(result.file)
        self._update_title()
        self._update_status()
        self._update_enabled()
        log.info("opened %s: %d accounts, %d issues", result.file, len(result.accounts), len(result.issues))

    def is_settled(self) -> bool:
        """Every view has drawn the open plan (the matrix, the table and its column widths fill on the turns
        of the event loop after a file opens)."""
        plan = self.document.plan
        return (
            plan is not None
            and self.matrix.drawn is plan
            and self.accounts_model.total_rows() == len(plan.accounts)
            and not self.accounts_view.fitting()
        )

    def _refresh_tier_actions(self) -> None:
        assert self.document.plan is not None
        fill_tier_actions(self, self.account_actions, self.document.plan.playbook.tier_names)
        for i, action in enumerate(self.account_actions.to_tier):
            action.triggered.connect(lambda _c=False, band=i: self.move_selection_to_tier(band))
        self._update_enabled()

    def _open_failed(self, message: str) -> None:
        self.prompts.warn("Could not open the file", message)

    def _fill_recent_menu(self) -> None:
        menu = self.file_actions.recent
        menu.clear()
        files = self.settings.recent_files()
        for path in files:
            action = menu.addAction(menu_text(path.name))
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self._open_recent(p))
        if not files:
            menu.addAction("No recent files").setEnabled(False)

    def _open_recent(self, path: Path) -> None:
        if not path.exists():
            self.settings.remove_recent_file(path)
            self.prompts.warn("File not found", f"{path.name} is no longer at {path.parent}.")
            return
        self.open_file(path)

    # editing -------------------------------------------------------------------------
    def move_selection_to_persona(self, persona: str) -> None:
        self.moves.to_persona(self.selection.rows(), persona)

    def move_selection_to_tier(self, band: int) -> None:
        self.moves.to_tier(self.selection.rows(), band)

    def _select_all_shown(self) -> None:
        mask = self.filters.mask()
        n = self.accounts_model.total_rows()
        self.selection.set_rows(np.flatnonzero(mask) if mask is not None else np.arange(n), "menu")

    def _plan_changed(self, change: Change) -> None:
        plan = self.document.plan
        if plan is None:
            return
        if change.touches(Changed.PLAYBOOK):
            self._refresh_tier_actions()
        self._update_title()

    # drag and drop of files ---------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = [u for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            event.acceptProposedAction()
            self.open_file(Path(urls[0].toLocalFile()))

    # status ------------------------------------------------------------------------
    def _update_enabled(self) -> None:
        has_rows = self.document.plan is not None and len(self.selection) > 0
        for action in [*self.account_actions.to_persona, *self.account_actions.to_tier]:
            action.setEnabled(has_rows)
        if self.account_actions.clear_pins:
            self.account_actions.clear_pins.setEnabled(has_rows)

    def _update_status(self, *_args: int) -> None:
        model = self.accounts_model
        shown, total = model.rowCount(), model.total_rows()
        selected = len(self.selection)
        picked = f" · {selected:,} selected" if selected else ""
        self.count_label.setText(
            f"{shown:,} of {total:,} accounts{picked}" if self.result else "No territory open"
        )
        frame = model.frame()
        if (
            self.result is not None
            and "revenue" in frame
            and model.total_rows() == len(self.document.revenue)
        ):
            revenue = self.document.revenue[model.visible_rows()]
            self.revenue_label.setText(f"Revenue {format_money(float(revenue.sum()))}")
        else:
            self.revenue_label.setText("")
        if self.result is not None:
            sheet = f" › {self.result.sheet}" if self.result.sheet else ""
            plan = self.document.plan
            dated = f" · as of {plan.as_of.date()}" if plan is not None and self.dated_note else ""
            self.source_label.setText(f"{self.result.file.name}{sheet}{dated}")
            self.source_label.setToolTip("\n".join(filter(None, (str(self.result.file), self.dated_note))))
        else:
            self.source_label.setText("")

    @Slot(bool)
    def _clean_changed(self, _clean: bool) -> None:
        self._update_title()

    @Slot(str)
    def _selection_changed(self, _source: str) -> None:
        self._update_enabled()
        self._update_status()

    def _update_title(self) -> None:
        saved_as = self.document.path
        name = saved_as.name if saved_as else self.result.file.name if self.result else None
        self.setWindowTitle(f"{name}[*] — tierdesk" if name else "tierdesk")
        self.setWindowModified(not self.document.workspace.is_saved())

    def _saved(self, path: Path) -> None:
        self._update_title()
        self.statusBar().showMessage(f"Saved the plan to {path}", 8000)  # a save is quiet otherwise

    def _about(self) -> None:
        AboutDialog(self).exec()

    # layout ------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        geometry, _state = self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)

    def showEvent(self, event: QShowEvent) -> None:
        if not self._docks_arranged:
            self._docks_arranged = True
            self._arrange_docks()
        super().showEvent(event)

    def _arrange_docks(self) -> None:
        """Default layout, then the one the user left. Qt leaves a stray tab bar behind when a second dock
        group is tabified before the window is shown, so this runs at the first show."""
        for dock in (
            self.sellers_dock,
            self.report_dock,
            self.compare_dock,
            self.progress_dock,
            self.history_dock,
        ):
            self.tabifyDockWidget(self.accounts_dock, dock)
            dock.show()
        self.accounts_dock.raise_()
        self.coverage_dock.raise_()
        geometry, state = self.settings.window_state()
        if geometry is not None:  # docks may stretch the window while they settle: the user's size wins
            QTimer.singleShot(0, self, lambda: self.restoreGeometry(geometry))
        if state is not None and self.restoreState(state):
            return  # the user's own layout, sizes included
        self.resizeDocks([self.pyramid_dock], [560], Qt.Orientation.Horizontal)
        # the table takes two fifths of the height (tabs included): ten rows on a 1366×768 laptop screen
        table_height = min(max(250, round(self.height() * 0.42)), 400)
        self.resizeDocks([self.accounts_dock], [table_height], Qt.Orientation.Vertical)
        self.resizeDocks([self.pyramid_dock, self.coverage_dock], [280, 420], Qt.Orientation.Vertical)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.document.plan is not None and not self.document.workspace.is_saved():
            answer = self.prompts.unsaved_changes()
            if answer == "cancel":
                event.ignore()
                return
            if answer == "save":
                event.ignore()  # close once the background save has finished
                self.plan_files.saved.connect(self._close_after_save)
                self.plan_files.save()
                return
        self.plan_files.discard_recovery()  # discarded, or nothing unsaved: nothing to recover next time
        self.settings.save_window_state(self.saveGeometry(), self.saveState())
        if self.opener.task is not None:
            self.opener.task.job.cancel()
        self.plan_files.flush()
        super().closeEvent(event)

    @Slot(object)
    def _close_after_save(self, _path: object) -> None:
        self.plan_files.saved.disconnect(self._close_after_save)
        self.close()
