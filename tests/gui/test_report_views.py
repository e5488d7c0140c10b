"""Compare and Progress docks: run against a file, list what changed, select those accounts everywhere."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from PySide6.QtCore import Qt

from tierdesk.paths import sample_territory
from tierdesk.qt.main_window import MainWindow


def newer_territory(tmp_path: Path) -> tuple[Path, list[str]]:
    frame = pd.read_excel(sample_territory(), sheet_name="Accounts", engine="calamine")
    small = frame.nsmallest(3, "Current Revenue (TTM)").index
    frame.loc[small, "Current Revenue (TTM)"] = frame.loc[small, "Wallet Estimate"] * 0.9  # they won big
    path = tmp_path / "newer.csv"
    frame.to_csv(path, index=False)
    return path, [str(a) for a in frame.loc[small, "Account ID"]]


def test_compare_with_newer_data_lists_moves_and_selects_them(
    sample_window: MainWindow, tmp_path: Path, qtbot
) -> None:
    window = sample_window
    path, grown = newer_territory(tmp_path)
    view = window.compare_view
    window.compare_dock.raise_()
    view.run(path)
    qtbot.waitUntil(lambda: view.comparison is not None, timeout=60_000)
    moved = set(view.comparison.moved["account_id"].astype(str))  # type: ignore[union-attr]
    assert moved & set(grown)
    assert view.moved.rowCount() == len(view.comparison.moved)  # type: ignore[union-attr]
    assert "accounts moved" in view.summary.text()
    qtbot.mouseClick(view.select_button, Qt.MouseButton.LeftButton)
    plan = window.document.plan
    assert plan is not None
    selected = set(plan.accounts["account_id"].iloc[window.selection.rows()].astype(str))
    assert selected == moved
    out = tmp_path / "comparison.xlsx"
    view.export(out)
    assert out.exists()


def test_progress_against_newer_data_by_owner(sample_window: MainWindow, tmp_path: Path, qtbot) -> None:
    window = sample_window
    path, _grown = newer_territory(tmp_path)
    view = window.progress_view
    window.progress_dock.raise_()
    view.run(path)
    qtbot.waitUntil(lambda: view.result is not None, timeout=60_000)
    owners = view.groups["owner"]
    assert owners.rowCount() == 5
    shares = [owners.value(r, "met_share") for r in range(owners.rowCount())]
    assert all(0.0 <= float(s) <= 1.0 for s in shares)
    assert "objectives met" in view.summary.text()
    assert view.accounts.rowCount() == 600
    qtbot.mouseClick(view.select_button, Qt.MouseButton.LeftButton)
    assert 0 < len(window.selection) <= 600
    assert np.all(window.selection.rows() < 600)
