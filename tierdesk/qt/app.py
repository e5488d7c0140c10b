"""Starting the desktop app: QApplication, theme, logging, crash handling, the main window."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QLocale, QSettings, QStandardPaths, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tierdesk import __version__
from tierdesk.app.opening import new_territory_plan
from tierdesk.domain.playbook import default_playbook
from tierdesk.io.load import open_territory
from tierdesk.io.print_setup import paper_for, set_default_paper
from tierdesk.paths import sample_territory
from tierdesk.qt.icons import app_icon
from tierdesk.qt.settings import Settings
from tierdesk.qt.theme import Theme, apply_theme
from tierdesk.qt.xcb import xcb_problem

log = logging.getLogger("tierdesk")


def log_path() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    return Path(base or Path.home() / ".tierdesk") / "tierdesk.log"


def setup_logging() -> Path:
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """An unexpected error: logged in full, shown as one calm sentence, the app keeps running."""
    log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, value, tb)))
    if QApplication.instance() is not None and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        QMessageBox.critical(
            None,
            "tierdesk",
            f"Something went wrong inside tierdesk ({kind.__name__}). Your data is unchanged.\n"
            f"The details are in the log: {log_path()}",
        )


GIL_SWITCH_INTERVAL = 0.001  # seconds


def make_application(argv: list[str] | None = None, theme: Theme = "system") -> QApplication:
    QCoreApplication.setOrganizationName("tierdesk")
    QCoreApplication.setApplicationName("tierdesk")
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationDisplayName("tierdesk")
    app.setDesktopFileName("io.github.tierdesk")
    app.setWindowIcon(app_icon())
    apply_theme(app, theme)
    set_default_paper(paper_for(QLocale.system().name()))  # workbooks and one-pagers print on this paper
    # Loads and saves run in worker threads. Python hands the GIL between threads every "switch interval"
    # (5 ms by default); a shorter one lets the GUI thread in sooner, so the window stays smooth while a
    # worker is busy, at the cost of a little more switching in the worker.
    sys.setswitchinterval(GIL_SWITCH_INTERVAL)
    return app


def run_gui(file: Path | None, *, sample: bool = False, theme: Theme = "system") -> int:
    # lazy, for start-up speed: the window's modules (pyqtgraph, every view) load only when a window is made
    from tierdesk.qt.main_window import MainWindow

    problem = xcb_problem()  # before Qt tries, and fails with a message that misleads
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    app = make_application(theme=theme)
    setup_logging()
    sys.excepthook = _excepthook
    window = MainWindow()
    window.show()
    recovered = window.plan_files.offer_recovery()
    if recovered is not None:
        QTimer.singleShot(0, lambda: window.open_file(recovered))
    elif sample:
        QTimer.singleShot(0, window.open_sample)
    elif file is not None:
        QTimer.singleShot(0, lambda: window.open_file(file))
    return app.exec()


def screenshot(out: Path, file: Path | None, *, sample: bool, theme: Theme, size: tuple[int, int]) -> int:
    """Load headlessly, render the main window offscreen, save a PNG."""
    # lazy, for start-up speed: the window's modules (pyqtgraph, every view) load only when a window is made
    from tierdesk.qt.main_window import MainWindow

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = make_application(theme=theme)
    scratch = tempfile.TemporaryDirectory(prefix="tierdesk-screenshot-")  # the default layout, not the user's
    store = QSettings(f"{scratch.name}/settings.ini", QSettings.Format.IniFormat)
    window = MainWindow(settings=Settings(store))
    window.resize(*size)
    path = sample_territory() if sample or file is None else file
    window.show_result(new_territory_plan(open_territory(path), default_playbook()))
    window.show()
    deadline = time.monotonic() + 30
    while not window.is_settled() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    for _ in range(3):
        app.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out)):
        print(f"tierdesk: could not write {out}", file=sys.stderr)
        return 2
    window.close()
    scratch.cleanup()
    return 0
