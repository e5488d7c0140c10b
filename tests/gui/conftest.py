"""GUI fixtures: every test gets its own settings file, so nothing leaks between tests or to the user."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

from tierdesk.paths import sample_territory
from tierdesk.qt.settings import Settings

from .helpers import ScriptedPrompts, assert_opened


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> Iterator[Settings]:
    QCoreApplication.setOrganizationName("tierdesk-tests")
    QCoreApplication.setApplicationName("tierdesk-tests")
    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    yield Settings(store)
    store.sync()


@pytest.fixture
def window(qtbot: object, isolated_settings: Settings, tmp_path: Path) -> Iterator[object]:
    """The main window, shown offscreen. Its prompts answer the reason for a move ('test') and the question
    on closing with unsaved changes (discard) without a dialog; every other question uses the real one
    (`window.prompts.answers` says what to answer instead)."""
    from tierdesk.qt.main_window import MainWindow

    prompts = ScriptedPrompts(reason="test", unsaved_changes="discard")
    win = MainWindow(settings=isolated_settings, prompts=prompts)
    win.plan_files.recovery_path = tmp_path / "recovery" / "unsaved-plan.xlsx"
    qtbot.addWidget(win)  # type: ignore[attr-defined]
    win.show()
    yield win


@pytest.fixture
def sample_window(qtbot: object, window: object) -> object:
    """The main window with the bundled sample open (through File ▸ Open Sample)."""
    with qtbot.waitSignal(window.opener.opened, timeout=60_000) as opened:  # type: ignore[attr-defined]
        window.file_actions.open_sample.trigger()  # type: ignore[attr-defined]
    assert_opened(opened, window, sample_territory())
    wait_until_shown(qtbot, window)
    return window


def wait_until_shown(qtbot: object, window: object) -> None:
    """The matrix and the table fill on the turns of the event loop after a file opens."""
    qtbot.waitUntil(window.is_settled, timeout=10_000)  # type: ignore[attr-defined]
