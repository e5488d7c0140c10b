"""Regression: PySide6 6.12.0 on CPython 3.11 dies ("none_dealloc") after ~5,000 void Qt calls.

pyproject keeps 3.11 below 6.12; this test makes 50,000 such calls in a child process so a bad pin shows
up as a failing test rather than a crashed test run.
"""

from __future__ import annotations

import os
import subprocess
import sys

CODE = """
import sys
from PySide6.QtCore import QCoreApplication, QTimer
app = QCoreApplication([])
timer = QTimer()
for i in range(50_000):
    timer.setInterval(5)
print("ok", sys.getrefcount(None) > 0)
"""


def test_fifty_thousand_void_qt_calls_do_not_crash() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr[-2000:]}"
    assert result.stdout.strip() == "ok True"
