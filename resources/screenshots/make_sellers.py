"""Render the Sellers screenshots shown in the README from the bundled sample territory: the window with the
Sellers dock after a balance was accepted (light and dark), and the Balance dialog with its proposal.

    python resources/screenshots/make_sellers.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from tierdesk.domain.balance import balance
from tierdesk.domain.playbook import default_playbook
from tierdesk.io.load import open_territory
from tierdesk.paths import sample_territory
from tierdesk.qt.app import make_application
from tierdesk.qt.dialogs.balance_dialog import BalanceDialog
from tierdesk.qt.main_window import MainWindow
from tierdesk.qt.opening import prepare
from tierdesk.qt.settings import Settings
from tierdesk.qt.theme import apply_theme

HERE = Path(__file__).resolve().parent
SIZE = (1366, 860)


def settle(app: QApplication, done: object = None) -> None:
    deadline = time.monotonic() + 30
    while done is not None and not done() and time.monotonic() < deadline:  # type: ignore[operator]
        app.processEvents()
        time.sleep(0.005)
    for _ in range(5):
        app.processEvents()


def shoot(app: QApplication, theme: str, scratch: Path) -> None:
    apply_theme(app, theme)  # type: ignore[arg-type]
    store = QSettings(str(scratch / f"{theme}.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=Settings(store))
    window.resize(*SIZE)
    window.show_result(prepare(open_territory(sample_territory()), default_playbook()))
    window.show()
    settle(app, window.is_settled)
    window.sellers_dock.raise_()
    window.resizeDocks([window.accounts_dock], [330], Qt.Orientation.Vertical)
    plan = window.document.plan
    assert plan is not None
    proposal = balance(plan)
    dialog = BalanceDialog(proposal, window)
    for row in (3, 7):  # the planner unchecks two moves
        dialog.model.checked[row] = False
    dialog.model.checkedChanged.emit()
    dialog.show()
    settle(app)
    if theme == "light":
        dialog.grab().save(str(HERE / "balance-dialog.png"))
    window.document.apply(proposal.edit(dialog.picked(), reason="Balanced"))
    dialog.close()
    window.sellers_view.select_seller("Megan Holloway")
    settle(app)
    window.grab().save(str(HERE / f"sellers-{theme}.png"))
    window.document.undo_stack.setClean()  # nothing to save: closing asks nothing
    window.close()


def main() -> int:
    app = make_application(theme="light")
    with tempfile.TemporaryDirectory(prefix="tierdesk-shots-") as scratch:
        for theme in ("light", "dark"):
            shoot(app, theme, Path(scratch))
    return 0


if __name__ == "__main__":
    sys.exit(main())
