"""Longest stall of the GUI event loop while a large territory file loads in the window.

Usage: python tests/benchmarks/bench_gui_load.py [--rows N]   (default 100,000; offscreen)
A 5 ms timer ticks on the GUI thread during the whole open (read, checks, classification, first draw of
every view); a stall is a gap between ticks beyond the interval. Baseline, measured in the same run: the
same file opened with the work done on the GUI thread (tierdesk's headless open_territory), i.e. how long
the window would freeze without the background thread. Last line:
`load stall: <ms> ms max; baseline GUI-thread open: <ms> ms; ratio <r>`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_open import write_workbook
from PySide6.QtCore import QElapsedTimer, QSettings, QTimer

from tierdesk.io.load import open_territory
from tierdesk.qt.app import make_application
from tierdesk.qt.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    app = make_application(theme="light")
    from tierdesk.qt.main_window import MainWindow

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"accounts-{args.rows}.xlsx"
        write_workbook(path, args.rows)
        window = MainWindow(settings=Settings(QSettings(f"{folder}/s.ini", QSettings.Format.IniFormat)))
        window.resize(1366, 768)
        window.show()
        app.processEvents()

        clock = QElapsedTimer()
        gaps: list[int] = []
        last = [0]

        ends: list[int] = []

        def tick() -> None:
            now = clock.elapsed()
            gaps.append(now - last[0])
            ends.append(now)
            last[0] = now

        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(tick)
        done: list[bool] = []
        shown_at: list[int] = []
        window.opener.opened.connect(lambda _r: shown_at.append(clock.elapsed()))
        window.opener.opened.connect(lambda _r: QTimer.singleShot(300, lambda: done.append(True)))
        window.opener.failed.connect(lambda message: (print(message), done.append(True)))
        clock.start()
        timer.start()
        started = time.perf_counter()
        window.open_file(path, interactive=False)
        while not done:
            app.processEvents()
            time.sleep(0.0005)
        timer.stop()
        total = time.perf_counter() - started
        stall = max(gaps) - 5 if gaps else float("nan")
        worst = sorted(gaps)[-5:]
        print(f"{args.rows:,} rows: opened in {total:.2f} s; ticks {len(gaps)}; worst gaps {worst} ms")
        order = np.argsort(gaps)[-3:]
        where = [f"{gaps[i]} ms ending at {ends[i]} ms" for i in order]
        print(f"  shown at {shown_at[0] if shown_at else '-'} ms; longest gaps: {', '.join(where)}")

        start = time.perf_counter()
        open_territory(path)
        baseline = (time.perf_counter() - start) * 1000
        print(
            f"load stall: {stall:.0f} ms max; baseline GUI-thread open: {baseline:.0f} ms; "
            f"ratio {stall / baseline:.3f}"
        )
        window.close()


if __name__ == "__main__":
    main()
