"""Frame time while a split line is dragged (reclassify + redraw the matrix, pyramid, coverage and table).

Usage: python tests/benchmarks/bench_matrix.py [--rows N ...] [--frames K]
Baseline, measured in the same run: pyqtgraph's ScatterPlotItem with every point's brush reset per frame
(what a naive "recolour by persona" redraw costs). Runs offscreen.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from tierdesk.app.workspace import Opened
from tierdesk.domain.plan import MoveSplit, PinAccounts, Plan
from tierdesk.domain.playbook import default_playbook
from tierdesk.io.load import LoadResult
from tierdesk.qt.app import make_application
from tierdesk.qt.settings import Settings
from tierdesk.qt.views.matrix_geometry import to_view


def accounts(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    wallet = np.round(rng.lognormal(12.2, 1.3, n), -2)
    share = np.clip(rng.beta(1.2, 3.0, n), 0, 0.95)
    revenue = np.round(wallet * share, 2)
    revenue[rng.random(n) < 0.2] = 0.0
    owners = np.array([f"Owner {i}" for i in range(40)])
    territories = np.array([f"Territory {i}" for i in range(16)])
    return pd.DataFrame(
        {
            "account_id": pd.array([f"A{i:07d}" for i in range(n)], dtype="string"),
            "account_name": pd.array([f"Account {i}" for i in range(n)], dtype="string"),
            "territory": pd.Categorical(territories[rng.integers(0, 16, n)]),
            "owner": pd.Categorical(owners[rng.integers(0, 40, n)]),
            "segment": pd.Categorical(np.array(["Enterprise", "Mid-Market", "SMB"])[rng.integers(0, 3, n)]),
            "revenue": revenue,
            "wallet": wallet,
            "last_purchase": pd.to_datetime("2026-10-01")
            - pd.to_timedelta(rng.integers(0, 2000, n), unit="D"),
            "areas": rng.integers(1, 6, n).astype("float64"),
            "source_row": np.arange(2, n + 2),
        }
    )


def frame_times(app: QApplication, window: object, n: int, frames: int) -> tuple[float, float, float]:
    document = window.document  # type: ignore[attr-defined]
    plan = document.plan
    x0 = float(plan.classification.x_split)
    values = np.linspace(x0 * 0.6, x0 * 1.6, frames)
    times = []
    first_inverse = None
    for value in values:
        start = time.perf_counter()
        applied = document.preview(MoveSplit("x", float(value)))
        first_inverse = first_inverse or applied.inverse
        window.matrix.x_line.setValue(to_view(np.array([value]), False)[0])  # type: ignore[attr-defined]
        app.processEvents()  # delivers the views' update requests: they repaint here, as in a real drag
        times.append(time.perf_counter() - start)
    start = time.perf_counter()  # the release: the drag recorded once, from where it started
    document.commit_preview(first_inverse, MoveSplit("x", float(values[-1])), "bench")
    app.processEvents()
    release = time.perf_counter() - start
    # one account moved: every view updates
    moves = []
    for i in range(10):
        start = time.perf_counter()
        document.apply(PinAccounts((i * 7,), "persona", "Land & Expand", "bench"))
        app.processEvents()
        moves.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, statistics.median(moves) * 1000, release * 1000


def baseline(app: QApplication, n: int, frames: int) -> float:
    """A ScatterPlotItem of n points, every brush reset per frame, repainted."""
    rng = np.random.default_rng(1)
    plot = pg.PlotWidget()
    plot.resize(900, 560)
    scatter = pg.ScatterPlotItem(x=rng.random(n), y=rng.random(n), size=6, pxMode=True)
    plot.addItem(scatter)
    plot.show()
    app.processEvents()
    colours = [pg.mkBrush(c) for c in ("#7b3fbf", "#1f9e89", "#2f6fd0", "#8a94a6")]
    times = []
    for frame in range(frames):
        start = time.perf_counter()
        codes = (rng.random(n) * 4).astype(int) if frame % 2 else np.zeros(n, dtype=int)
        scatter.setBrush([colours[c] for c in codes])
        app.processEvents()
        times.append(time.perf_counter() - start)
    plot.close()
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--frames", type=int, default=12)
    args = parser.parse_args()
    app = make_application(theme="light")
    from pathlib import Path

    from tierdesk.qt.main_window import MainWindow

    results: dict[int, tuple[float, float]] = {}
    for n in args.rows:
        settings = Settings(
            QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "tierdesk-bench")
        )
        window = MainWindow(settings=settings)
        window.resize(1366, 768)
        window.show()
        frame = accounts(n)
        start = time.perf_counter()
        plan = Plan(frame, default_playbook())
        result = LoadResult(Path(f"bench-{n}.xlsx"), "xlsx", "Accounts", 1, {}, frame, [], False, n)
        window.document.open(Opened(result, plan))
        while window.accounts_model.total_rows() != n:  # the table fills on a later turn of the event loop
            app.processEvents()
        setup = time.perf_counter() - start
        drag_ms, move_ms, release_ms = frame_times(app, window, n, args.frames)
        base_ms = baseline(app, n, max(4, args.frames // 3))
        mode = "density" if n > 250_000 else "points"
        print(
            f"{n:>9,} accounts ({mode}): split drag {drag_ms:7.1f} ms/frame, release {release_ms:6.1f} ms; "
            f"one-account move {move_ms:6.1f} ms; "
            f"baseline full re-brush {base_ms:7.1f} ms; open+classify {setup:5.2f} s"
        )
        results[n] = (drag_ms, base_ms)
        window.document.workspace.history.mark_saved()  # the benchmark's edits need no saving
        window.close()
        window.deleteLater()
        app.processEvents()
    if results:
        n = 100_000 if 100_000 in results else max(results)
        drag_ms, base_ms = results[n]
        print(
            f"split drag: {drag_ms:.1f} ms/frame at {n}; baseline full re-brush: {base_ms:.1f} ms; "
            f"ratio {drag_ms / base_ms:.3f}"
        )


if __name__ == "__main__":
    main()
