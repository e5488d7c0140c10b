"""What the matrix's point layers paint, and what Qt repaints when they change.

Qt repaints, caches and clears an item only within its bounding rect. These tests paint a layer into an
image, as Qt would, and check that every pixel it touches lies inside that rect, and that when the
selection or a pin goes away the area Qt repaints covers the pixels it used to draw.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QGraphicsItem, QStyleOptionGraphicsItem

from tierdesk.domain.playbook import PERSONAS
from tierdesk.qt.main_window import MainWindow
from tierdesk.qt.views.point_cloud import PointCloud

from .helpers import click_mouse, focus_on
from .test_matrix import drag_up_a_box, point_on_screen, visible_point_in


def painted(layer: QGraphicsItem, view: pg.GraphicsView) -> QRect:
    """The pixels of the view that the layer paints (an empty rect if none)."""
    viewport = view.viewport()
    image = QImage(viewport.width(), viewport.height(), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setTransform(layer.deviceTransform(view.viewportTransform()))
    layer.paint(painter, QStyleOptionGraphicsItem(), None)
    painter.end()
    alpha = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.width(), 4)[..., 3]
    ys, xs = np.nonzero(alpha)
    if not len(xs):
        return QRect()
    return QRect(int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1))


def bounds_on_screen(layer: QGraphicsItem, view: pg.GraphicsView) -> QRectF:
    return layer.deviceTransform(view.viewportTransform()).mapRect(layer.boundingRect())


def assert_paints_inside_its_bounds(layer: QGraphicsItem, view: pg.GraphicsView) -> QRect:
    drawn = painted(layer, view)
    assert not drawn.isEmpty(), "the layer draws something"
    bounds = bounds_on_screen(layer, view)
    assert bounds.contains(QRectF(drawn)), f"drawn at {drawn}, outside the bounds {bounds}"
    return drawn


class Repaints:
    """The view areas Qt repaints (from the scene's `changed` signal, in view pixels)."""

    def __init__(self, view: pg.GraphicsView) -> None:
        self.view = view
        self.rects: list[QRect] = []
        view.scene().changed.connect(self._changed)

    def _changed(self, rects: list[QRectF]) -> None:
        self.rects += [self.view.mapFromScene(r).boundingRect() for r in rects]

    def after(self, qtbot: object, action: Callable[[], object]) -> list[QRect]:
        self.rects = []
        with qtbot.waitSignal(self.view.scene().changed, timeout=5000) as changed:  # type: ignore[attr-defined]
            action()
        (regions,) = changed.args  # the scene areas to repaint, in scene coordinates
        assert regions and all(isinstance(r, QRectF) for r in regions)
        return self.rects

    @staticmethod
    def cover(rects: list[QRect], area: QRect) -> bool:
        """Every pixel of `area` is in one of `rects`."""
        left = area.width() * area.height()
        mask = np.zeros((area.height(), area.width()), bool)
        for r in rects:
            part = r.intersected(area)
            if not part.isEmpty():
                x, y = part.x() - area.x(), part.y() - area.y()
                mask[y : y + part.height(), x : x + part.width()] = True
        return bool(mask.sum() == left)


def test_a_single_point_paints_inside_its_bounds_at_any_zoom(qtbot) -> None:
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(400, 300)
    plot.show()
    qtbot.waitExposed(plot)
    plot.setRange(xRange=(0, 10), yRange=(0, 10), padding=0)
    cloud = PointCloud()
    plot.addItem(cloud)
    cloud.set_points(np.array([5.0]), np.array([5.0]), np.zeros(1, np.int64), [("#ff0000", "#000000", 20.0)])
    QApplication.processEvents()
    first = assert_paints_inside_its_bounds(cloud, plot)
    assert first.width() >= 18  # a whole circle of 20 px, not a clipped quarter
    plot.setRange(xRange=(4, 6), yRange=(4, 6), padding=0)  # zoomed in: the sprite keeps its pixel size
    QApplication.processEvents()
    assert painted(cloud, plot).size() == first.size()
    assert_paints_inside_its_bounds(cloud, plot)


def test_the_selection_ring_leaves_with_esc_and_moves_to_another_point(
    sample_window: MainWindow, qtbot
) -> None:
    window = sample_window
    matrix = window.matrix
    view = matrix.plot
    a = visible_point_in(window, "Strategic Partnerships")
    b = visible_point_in(window, "Efficient Engagement")
    repaints = Repaints(view)
    click = point_on_screen(window, a)
    repaints.after(qtbot, lambda: click_mouse(view.viewport(), click))
    assert list(matrix.selected_layer.rows) == [a]
    ring_a = assert_paints_inside_its_bounds(matrix.selected_layer, view)
    assert ring_a.contains(click.toPoint())

    # another point: the old ring's pixels are repainted, the new ring is whole
    click_b = point_on_screen(window, b)
    rects = repaints.after(qtbot, lambda: click_mouse(view.viewport(), click_b))
    assert list(matrix.selected_layer.rows) == [b]
    assert Repaints.cover(rects, ring_a), "the ring around the first point stays on screen"
    ring_b = assert_paints_inside_its_bounds(matrix.selected_layer, view)
    assert Repaints.cover(rects, ring_b)

    # Esc clears the selection: nothing drawn, and the ring's pixels repainted
    focus_on(qtbot, view)
    rects = repaints.after(qtbot, lambda: qtbot.keyClick(view, Qt.Key.Key_Escape))
    assert len(window.selection) == 0
    assert painted(matrix.selected_layer, view).isEmpty()
    assert Repaints.cover(rects, ring_b), "the ring stays on screen after Esc"


def test_a_pin_is_drawn_whole_and_undo_takes_it_off_screen(sample_window: MainWindow, qtbot) -> None:
    window = sample_window
    matrix = window.matrix
    view = matrix.plot
    plan = window.document.plan
    assert plan is not None
    row = visible_point_in(window, "Efficient Engagement")
    drag_up_a_box(window, row)
    assert plan.classification.persona[row] == PERSONAS.index("Land & Expand")
    assert list(matrix.overlay.rows) == [row]  # the only pinned account: a one-point layer
    diamond = assert_paints_inside_its_bounds(matrix.overlay, view)

    repaints = Repaints(view)
    rects = repaints.after(qtbot, window.undo_action.trigger)
    assert len(matrix.overlay.rows) == 0
    assert Repaints.cover(rects, diamond), "the diamond stays on screen after undo"

    rects = repaints.after(qtbot, window.redo_action.trigger)
    assert list(matrix.overlay.rows) == [row]
    redone = assert_paints_inside_its_bounds(matrix.overlay, view)
    assert redone == diamond and Repaints.cover(rects, redone)


def test_filters_leave_no_ring_behind_and_draw_a_single_point_whole(sample_window: MainWindow, qtbot) -> None:
    window = sample_window
    matrix = window.matrix
    view = matrix.plot
    plan = window.document.plan
    assert plan is not None
    a = visible_point_in(window, "Strategic Partnerships")
    b = visible_point_in(window, "Protect & Defend")
    window.selection.set_rows([a], "test")
    QApplication.processEvents()
    ring = assert_paints_inside_its_bounds(matrix.selected_layer, view)
    repaints = Repaints(view)
    only_b = {str(plan.accounts["account_id"].iloc[b])}
    rects = repaints.after(qtbot, lambda: window.accounts_view.set_value_filter("account_id", only_b))
    assert list(matrix.shown_rows()) == [b] and list(window.selection.rows()) == [a]
    assert painted(matrix.selected_layer, view).isEmpty(), "a ring around an account the filter hides"
    assert Repaints.cover(rects, ring)
    point = assert_paints_inside_its_bounds(matrix.cloud, view)  # the one point left: a whole circle
    assert abs(point.width() - point.height()) <= 1 and point.width() >= matrix.points.sizes[b]
