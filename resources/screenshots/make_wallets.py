"""Render the README's screenshot of estimated wallets: AdventureWorks' stores (a file with no wallet), one
account selected so the Account plan dock shows where its wallet came from.

    python resources/screenshots/make_wallets.py [PATH/TO/adventureworks_stores.xlsx]

The workbook is read from ../shared/realdata/ by default (it is someone else's file: never committed).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings

from tierdesk.domain.playbook import default_playbook
from tierdesk.io.load import open_territory
from tierdesk.qt.app import make_application
from tierdesk.qt.main_window import MainWindow
from tierdesk.qt.opening import prepare
from tierdesk.qt.settings import Settings

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parents[2] / "shared" / "realdata" / "adventureworks_stores.xlsx"
ACCOUNT = "302"  # Area Bike Accounts: a small store whose wallet is estimated from its peers


def main(path: Path = DEFAULT) -> int:
    app = make_application(theme="light")
    scratch = tempfile.TemporaryDirectory(prefix="tierdesk-screenshot-")
    window = MainWindow(settings=Settings(QSettings(f"{scratch.name}/s.ini", QSettings.Format.IniFormat)))
    window.resize(1366, 820)
    window.show_result(prepare(open_territory(path, sheet="StoreWithDemographics"), default_playbook()))
    window.show()
    deadline = time.monotonic() + 30
    while not window.is_settled() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    plan = window.document.plan
    assert plan is not None
    row = int((plan.accounts["account_id"].astype(str) == ACCOUNT).to_numpy().argmax())
    window.selection.set_rows([row], "screenshot")
    window.plan_dock.raise_()
    for _ in range(20):
        app.processEvents()
        time.sleep(0.01)
    out = HERE / "wallets-estimated.png"
    window.grab().save(str(out))
    window.close()
    scratch.cleanup()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT))
