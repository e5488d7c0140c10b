"""Where the matrix draws each account, checked without a window: log axes, filters, picking, rectangles,
the box a position falls in, and split lines set to the figure they show."""

from __future__ import annotations

import numpy as np
import pytest

from tierdesk.domain.playbook import default_playbook
from tierdesk.qt.views.matrix_geometry import (
    PICK_RADIUS_PX,
    PointGeometry,
    from_view,
    persona_at,
    point_sizes,
    split_value,
    to_view,
)


def test_a_log_axis_cannot_show_zero_or_less_and_round_trips_the_rest() -> None:
    values = np.array([-5.0, 0.0, 1.0, 250.0, 1e6, np.nan])
    shown = to_view(values, log=True)
    assert np.isnan(shown[[0, 1, 5]]).all()
    assert shown[2:5].tolist() == pytest.approx([0.0, np.log10(250.0), 6.0])
    assert [from_view(v, log=True) for v in shown[2:5]] == pytest.approx([1.0, 250.0, 1e6])
    assert to_view(values, log=False) is values  # a linear axis shows the values as they are
    assert from_view(0.35, log=False) == 0.35


def test_shown_accounts_are_those_the_filter_keeps_and_both_axes_can_draw() -> None:
    x = np.array([0.1, 0.2, np.nan, 0.4, 0.5])
    y = np.array([10.0, 0.0, 30.0, 40.0, 50.0])  # 0 cannot be drawn on a log axis
    keep = np.array([True, True, True, False, True])
    points = PointGeometry.of(x, y, np.full(5, 6.0), y_log=True, keep=keep)
    assert points.shown.tolist() == [0, 4]
    assert points.hidden == 2  # kept by the filter, but not drawable: rows 1 and 2
    assert points.position(4) == pytest.approx((0.5, np.log10(50.0)))
    assert points.data_at(*points.position(4)) == pytest.approx((0.5, 50.0))
    bounds = points.bounds()
    assert bounds is not None
    assert bounds[0] == pytest.approx((0.1, 0.5)) and bounds[1] == pytest.approx((1.0, np.log10(50.0)))
    assert PointGeometry.empty().bounds() is None


def test_the_nearest_point_is_picked_within_the_radius_in_pixels() -> None:
    x = np.array([0.0, 1.0, 2.0])
    y = np.array([0.0, 0.0, 0.0])
    points = PointGeometry.of(x, y, np.full(3, 6.0), keep=np.array([True, True, False]))
    # 100 pixels per unit: 5 px from row 1 picks it; row 2 is hidden by the filter, so never picked
    assert points.nearest(1.05, 0.0, 100.0, 100.0) == 1
    assert points.nearest(2.0, 0.0, 100.0, 100.0) is None
    just_out = (PICK_RADIUS_PX + 0.5) / 100.0
    assert points.nearest(1.0 + just_out, 0.0, 100.0, 100.0) is None
    assert points.nearest(1.0 + just_out, 0.0, 10.0, 10.0) == 1  # zoomed out: the same gap is few pixels


def test_a_rectangle_selects_the_shown_points_inside_it_edges_included() -> None:
    x = np.array([0.0, 1.0, 2.0, 3.0])
    y = np.array([0.0, 1.0, 2.0, 3.0])
    points = PointGeometry.of(x, y, np.full(4, 6.0), keep=np.array([True, True, True, False]))
    assert points.inside(1.0, 3.0, 1.0, 3.0).tolist() == [1, 2]
    assert points.drawable(np.array([0, 3])).tolist() == [0, 3]


def test_a_position_on_a_split_counts_as_high() -> None:
    assert persona_at(0.5, 2e5, 0.35, 1e5) == "Strategic Partnerships"
    assert persona_at(0.35, 1e5, 0.35, 1e5) == "Strategic Partnerships"
    assert persona_at(0.1, 1e5, 0.35, 1e5) == "Land & Expand"
    assert persona_at(0.5, 5e4, 0.35, 1e5) == "Protect & Defend"
    assert persona_at(0.1, 5e4, 0.35, 1e5) == "Efficient Engagement"


def test_a_split_line_stands_for_the_figure_its_label_shows() -> None:
    personas = default_playbook().personas
    assert split_value(personas.x, 0.4137, log=False) == pytest.approx(0.41)
    assert split_value(personas.y, np.log10(123_456.0), log=True) == pytest.approx(123_000.0, rel=0.01)


def test_points_come_in_six_sizes_by_revenue() -> None:
    revenue = np.array([0.0, 1.0, 1e3, 1e5, 1e6, np.nan])
    sizes = point_sizes(revenue, len(revenue), by_revenue=True)
    assert sizes.min() == 4.0 and sizes.max() == 16.5 and len(np.unique(sizes)) <= 6
    assert sizes[4] == sizes.max() and sizes[-1] == 4.0
    assert point_sizes(revenue, len(revenue), by_revenue=False).tolist() == [6.0] * 6
    assert point_sizes(None, 3, by_revenue=True).tolist() == [6.0] * 3
