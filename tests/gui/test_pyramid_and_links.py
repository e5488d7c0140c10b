"""The pyramid (drop accounts on a band, click a band to filter) and the links between the views."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from tierdesk.domain.coverage import account_load
from tierdesk.qt.formatting import short_money
from tierdesk.qt.main_window import MainWindow

from .helpers import drop_mime, focus_on, shown


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
    assert "Move 4 accounts to " + plan.playbook.tier_names[0] in shown(window.undo_action.text())
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
    assert len(window.matrix.shown_rows()) <= in_top
    assert np.all(np.asarray(plan.classification.tier)[window.matrix.shown_rows()] == 0)
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
    assert window.pyramid.selected_per_band()[tier] == 1
    assert len(window.matrix.selected_layer.rows) == 1


def test_filters_narrow_every_view(sample_window: MainWindow) -> None:
    window = sample_window
    window.filter_bar.set_values("territory", frozenset({"DACH", "Nordics"}))
    frame = window.document.plan.accounts  # type: ignore[union-attr]
    expected = int(frame["territory"].astype(str).isin({"DACH", "Nordics"}).sum())
    assert window.accounts_model.rowCount() == expected
    assert f"<b>{expected:,}</b> of 600 accounts" in window.filter_bar.count.text()
    assert sum(int(s["accounts"]) for s in window.pyramid.band_stats()) == expected
    assert set(frame["territory"].iloc[window.matrix.shown_rows()].astype(str)) <= {"DACH", "Nordics"}
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


def coverage_of_rows(window: MainWindow, keep: np.ndarray) -> tuple[float, float]:
    """Sellers and cost of the accounts `keep` keeps, summed account by account."""
    plan = window.document.plan
    assert plan is not None
    load = account_load(plan.classification)
    return float(load["sellers"][keep].sum()), float(load["cost"][keep].sum())


def panel_shows(window: MainWindow, sellers: float, cost: float) -> bool:
    panel = window.coverage
    return panel.sellers.value == f"{sellers:,.1f}" and panel.cost.value == short_money(cost)


def test_coverage_and_the_bands_count_only_the_filtered_accounts(sample_window: MainWindow, qtbot) -> None:
    window = sample_window
    plan = window.document.plan
    assert plan is not None
    owner = str(plan.accounts["owner"].value_counts().index[0])
    window.filter_bar.set_values("owner", frozenset({owner}))
    keep = (plan.accounts["owner"].astype(str) == owner).to_numpy()
    sellers, cost = coverage_of_rows(window, keep)
    all_sellers, _ = coverage_of_rows(window, np.ones(len(keep), bool))
    assert sellers < all_sellers
    qtbot.waitUntil(lambda: panel_shows(window, sellers, cost))
    assert f"Filtered: {int(keep.sum()):,} of 600 accounts" in window.coverage.scope_label.text()
    assert owner in window.coverage.scope_label.text()
    bands = window.pyramid.band_stats()
    tiers = np.asarray(plan.classification.tier)
    for band, stats in enumerate(bands):  # each band: its filtered accounts, with their sellers and cost
        in_band = keep & (tiers == band)
        band_sellers, band_cost = coverage_of_rows(window, in_band)
        assert stats["accounts"] == in_band.sum()
        assert stats["sellers"] == pytest.approx(band_sellers)
        assert stats["cost"] == pytest.approx(band_cost)


def test_the_band_filter_narrows_the_coverage_panel_too(sample_window: MainWindow, qtbot) -> None:
    window = sample_window
    plan = window.document.plan
    assert plan is not None
    qtbot.mouseClick(window.pyramid, Qt.MouseButton.LeftButton, pos=band_centre(window, 0))
    keep = np.asarray(plan.classification.tier) == 0
    sellers, cost = coverage_of_rows(window, keep)
    qtbot.waitUntil(lambda: panel_shows(window, sellers, cost))
    assert window.pyramid.band_stats()[0]["cost"] == pytest.approx(cost)
    assert "Tier: Strategic" in window.coverage.scope_label.text()


def test_clear_all_clears_every_filter_the_band_included(sample_window: MainWindow, qtbot) -> None:
    window = sample_window
    plan = window.document.plan
    assert plan is not None
    window.filter_bar.set_values("territory", frozenset({"DACH", "Nordics"}))
    qtbot.mouseClick(window.pyramid, Qt.MouseButton.LeftButton, pos=band_centre(window, 2))
    window.accounts_view.set_value_filter("segment", {"Enterprise"})
    assert window.accounts_model.rowCount() < 600 and window.pyramid.band_filter() == 2
    qtbot.mouseClick(window.filter_bar.clear_button, Qt.MouseButton.LeftButton)
    assert window.filters.mask() is None
    assert window.pyramid.band_filter() == -1
    assert window.filter_bar.buttons["territory"].text() == "Territory: all"
    assert window.accounts_view.value_filter("segment") is None
    assert window.accounts_model.rowCount() == 600 and len(window.matrix.shown_rows()) == 600
    assert "600 of 600 accounts" in window.count_label.text()
    assert "<b>600</b> of 600" in window.filter_bar.count.text()
    all_sellers, all_cost = coverage_of_rows(window, np.ones(600, bool))
    qtbot.waitUntil(lambda: panel_shows(window, all_sellers, all_cost))
    assert window.coverage.scope_label.text() == "All 600 accounts"


def test_the_tables_clear_filters_clears_them_everywhere(sample_window: MainWindow, qtbot) -> None:
    window = sample_window
    plan = window.document.plan
    assert plan is not None
    owner = str(plan.accounts["owner"].iloc[0])
    window.filter_bar.set_values("owner", frozenset({owner}))
    shown = int((plan.accounts["owner"].astype(str) == owner).sum())
    # one truth: the table, the matrix, the status bar and the filter bar agree
    assert window.accounts_model.rowCount() == shown == len(window.matrix.shown_rows())
    assert f"{shown:,} of 600 accounts" in window.count_label.text()
    assert window.accounts_view.clear_button.isEnabled()
    qtbot.mouseClick(window.accounts_view.clear_button, Qt.MouseButton.LeftButton)
    assert window.accounts_model.rowCount() == 600 == len(window.matrix.shown_rows())
    assert "600 of 600 accounts" in window.count_label.text()
    assert window.filter_bar.buttons["owner"].text() == "Owner: all"


def test_the_tables_search_narrows_every_view(sample_window: MainWindow, qtbot) -> None:
    window = sample_window
    view = window.accounts_view
    focus_on(qtbot, view.search)
    qtbot.keyClicks(view.search, "Networks")
    qtbot.waitUntil(lambda: window.accounts_model.rowCount() < 600)
    shown = window.accounts_model.rowCount()
    assert 0 < shown == len(window.matrix.shown_rows())
    assert f"<b>{shown:,}</b> of 600" in window.filter_bar.count.text()
    assert sum(int(s["accounts"]) for s in window.pyramid.band_stats()) == shown
    qtbot.mouseClick(window.filter_bar.clear_button, Qt.MouseButton.LeftButton)
    assert view.search.text() == "" and window.accounts_model.rowCount() == 600
