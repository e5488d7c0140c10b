"""GUI fixtures: every test gets its own settings file, so nothing leaks between tests or to the user."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

from tierdesk.qt.settings import Settings


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> Iterator[Settings]:
    QCoreApplication.setOrganizationName("tierdesk-tests")
    QCoreApplication.setApplicationName("tierdesk-tests")
    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    yield Settings(store)
    store.sync()
