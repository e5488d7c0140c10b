"""The pyramid (drop accounts on a band, click a band to filter) and the links between the views."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt

from tierdesk.qt.main_window import MainWindow

from .helpers import drop_mime


def band_centre(window: MainWindow, band: int) -> QPoint:
    return window.pyramid.band_polygons()[band].boundingRect().center().toPoint()


def test_dropping_table_rows_on_a_band_pins_their_tier(sample_window: MainWindow, qtbot) -> None:
    window = sample_window
    plan = window.document.plan
    assert plan is not None
    bottom = len(plan.playbook.tier_names) - 1
    rows = np.flatnonzero(np.asarray(plan.classification.tier) == bottom)[:4]
    cost_before = window.document.coverage().cost
    model = window.accounts_model
    indexes = [model.index(model.view_row(int(r)), 0) for r in rows]
    mime = model.mimeData(indexes)  # what the table hands to a drag
    assert drop_mime(window.pyramid, mime, band_centre(window, 0))
    assert np.all(np.asarray(plan.classification.tier)[rows] == 0)
    assert np.all(np.asarray(plan.classification.pinned_tier)[rows])
    assert window.pyramid.band_stats()[0]["pinned"] == 4
    assert window.document.coverage().cost > cost_before
    assert "Move 4 accounts to " + plan.playbook.tier_names[0] in window.undo_action.text()
    tier_col = model.column_index("Tier")
    assert model.data(model.index(model.view_row(int(rows[0])), tier_col)) == plan.playbook.tier_names[0]
    window.undo_action.trigger()
    assert np.all(np.asarray(plan.classification.tier)[rows] == bottom)


def test_clicking_a_band_filters_table_and_matrix(sample_window: MainWindow, qtbot) -> None:
    window = sample_window
    plan = window.document.plan
    assert plan is not None
    in_top = int(np.sum(np.asarray(plan.classification.tier) == 0))
    qtbot.mouseClick(window.pyramid, Qt.MouseButton.LeftButton, pos=band_centre(window, 0))
    assert window.accounts_model.rowCount() == in_top
    assert len(window.matrix._visible) <= in_top
    assert np.all(np.asarray(plan.classification.tier)[window.matrix._visible] == 0)
    assert f"{in_top:,}" in window.filter_bar.count.text()
    qtbot.mouseClick(window.pyramid, Qt.MouseButton.LeftButton, pos=band_centre(window, 0))
    assert window.accounts_model.rowCount() == 600


def test_selection_is_shared_across_table_matrix_and_pyramid(sample_window: MainWindow, qtbot) -> None:
    window = sample_window
    table = window.accounts_view.table
    table.selectRow(0)
    row = window.accounts_model.account_row(0)
    assert list(window.selection.rows()) == [row]
    tier = int(window.document.plan.classification.tier[row])  # type: ignore[union-attr]
    assert window.pyramid._selected_per_band()[tier] == 1
    assert len(window.matrix.selected_layer.rows) == 1


def test_filters_narrow_every_view(sample_window: MainWindow) -> None:
    window = sample_window
    window.filter_bar.set_values("territory", frozenset({"DACH", "Nordics"}))
    frame = window.document.plan.accounts  # type: ignore[union-attr]
    expected = int(frame["territory"].astype(str).isin({"DACH", "Nordics"}).sum())
    assert window.accounts_model.rowCount() == expected
    assert f"<b>{expected:,}</b> of 600 accounts" in window.filter_bar.count.text()
    assert sum(int(s["accounts"]) for s in window.pyramid.band_stats()) == expected
    assert set(frame["territory"].iloc[window.matrix._visible].astype(str)) <= {"DACH", "Nordics"}
    window.filter_bar.clear()
    assert window.accounts_model.rowCount() == 600


def test_a_broken_governance_cap_shows_in_the_coverage_panel_until_undone(sample_window: MainWindow) -> None:
    window = sample_window
    plan = window.document.plan
    assert plan is not None
    assert window.coverage.governance == []
    bottom = len(plan.playbook.tier_names) - 1
    rows = np.flatnonzero(np.asarray(plan.classification.tier) == bottom)[:20]  # 18 + 20 > 30 Strategic
    window.selection.set_rows(rows, "test")
    window.move_selection_to_tier(0)
    window.coverage.refresh()
    assert window.coverage.governance and "Strategic" in window.coverage.governance[0]
    assert "Governance" in window.coverage.warnings.text()
    window.undo_action.trigger()
    window.coverage.refresh()
    assert window.coverage.governance == []
