"""Many points drawn from numpy arrays as pre-rendered sprites in one drawPixmapFragments call.

pyqtgraph's ScatterPlotItem builds per-point Python records on every setData (about 150 ms for
100,000 points); here setting points is only storing arrays, and a paint is one vectorised transform.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from pyqtgraph import functions as fn
from pyqtgraph.Qt import internals
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap, QPolygonF

#: fill colour (#aarrggbb allowed; "" for none: a hollow ring), outline colour, diameter in pixels, and
#: optionally the shape ("o" circle, "d" diamond) and the outline width
Sprite = tuple[str, str, float] | tuple[str, str, float, str, float]


class PointCloud(pg.GraphicsObject):
    """Points at (x, y) in view coordinates, each drawn with one of a few sprites (colour × size)."""

    def __init__(self) -> None:
        super().__init__()
        self._x = np.zeros(0)
        self._y = np.zeros(0)
        self._sprite = np.zeros(0, dtype=np.int64)
        self.rows = np.zeros(0, dtype=np.int64)  # the account row of each point shown
        self._atlas = QPixmap()
        self._source = np.zeros((0, 4))
        self._bounds = QRectF()  # of the points' centres, in view coordinates
        self._padded: QRectF | None = None  # the bounds grown by the sprites' radius (None: to compute)
        self._fragments = internals.PrimitiveArray(QPainter.PixmapFragment, 10)
        self._filled = np.zeros(0, bool)  # per sprite: has a fill

    def set_points(
        self,
        x: np.ndarray,
        y: np.ndarray,
        sprite: np.ndarray,
        sprites: list[Sprite],
        rows: np.ndarray | None = None,
    ) -> None:
        """Show points; `sprite[i]` indexes `sprites`; `rows` names the account of each point (default: its
        position). NaN coordinates are not drawn."""
        keep = np.isfinite(x) & np.isfinite(y)
        self.prepareGeometryChange()  # the area the old points covered is repainted too
        self._x, self._y = np.asarray(x, float)[keep], np.asarray(y, float)[keep]
        self._sprite = np.asarray(sprite, np.int64)[keep]
        self.rows = (np.arange(len(keep)) if rows is None else np.asarray(rows, np.int64))[keep]
        self._build_atlas(sprites)
        if len(self._x):
            x0, x1, y0, y1 = self._x.min(), self._x.max(), self._y.min(), self._y.max()
            self._bounds = QRectF(x0, y0, (x1 - x0) or 1e-9, (y1 - y0) or 1e-9)
        else:
            self._bounds = QRectF()
        self._padded = None
        self._filled = np.asarray([bool(s[0]) for s in sprites], bool)
        self.update()

    def filled(self) -> np.ndarray:
        """Per point shown (in the order of `rows`): whether it is drawn filled, or as a hollow ring."""
        return self._filled[self._sprite] if len(self._filled) else np.zeros(len(self._sprite), bool)

    def clear(self) -> None:
        self.set_points(np.zeros(0), np.zeros(0), np.zeros(0, np.int64), [])

    def _build_atlas(self, sprites: list[Sprite]) -> None:
        pad = 2
        sizes = [int(np.ceil(s[2] + (s[4] if len(s) > 3 else 0.6))) + 2 * pad for s in sprites]
        atlas = QPixmap(max(sum(sizes), 1), max(sizes, default=1))
        atlas.fill(Qt.GlobalColor.transparent)
        painter = QPainter(atlas)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        left = 0
        source = []
        for sprite, box in zip(sprites, sizes, strict=True):
            fill, outline, diameter = sprite[:3]
            shape, width = (sprite[3], sprite[4]) if len(sprite) > 3 else ("o", 0.6)
            pen = QPen(QColor(outline))
            pen.setWidthF(width)
            painter.setPen(pen)
            painter.setBrush(QColor(fill) if fill else Qt.BrushStyle.NoBrush)
            centre, r = QPointF(left + box / 2, box / 2), diameter / 2
            if shape == "d":
                painter.drawPolygon(
                    QPolygonF([centre + QPointF(dx, dy) for dx, dy in ((0, -r), (r, 0), (0, r), (-r, 0))])
                )
            else:
                painter.drawEllipse(centre, r, r)
            source.append((left, 0, box, box))
            left += box
        painter.end()
        self._atlas = atlas
        self._source = np.asarray(source, dtype=float).reshape(-1, 4)

    def boundingRect(self) -> QRectF:
        """Every pixel a paint touches: the centres' bounds grown by the largest sprite's radius, which is a
        size in pixels (a single point would otherwise have an empty rect, and Qt would repaint, cache and
        clear only that)."""
        if self._padded is None:
            self._padded = self._grown_bounds()
        return self._padded

    def _grown_bounds(self) -> QRectF:
        if not len(self._x):
            return QRectF()
        pad = self.pixelPadding()
        px, py = self.pixelVectors()  # one device pixel along x and y, in view units (None: not shown)
        try:
            w = pad * (px.length() if px is not None else 0.0)
            h = pad * (py.length() if py is not None else 0.0)
        except OverflowError:
            w = h = 0.0
        return self._bounds.adjusted(-w, -h, w, h)

    def viewTransformChanged(self) -> None:
        """A zoom changes how much of the view a sprite covers (a pan does not, and costs nothing here)."""
        grown = self._grown_bounds()
        if grown != self._padded:
            self.prepareGeometryChange()
            self._padded = grown
        super().viewTransformChanged()

    def dataBounds(  # pyqtgraph's auto-range protocol
        self,
        ax: int,
        frac: float = 1.0,
        orthoRange: Any = None,  # noqa: N803
    ) -> tuple[float, float] | None:
        values = self._x if ax == 0 else self._y
        return (float(values.min()), float(values.max())) if len(values) else None

    def pixelPadding(self) -> float:
        return float(self._source[:, 2].max() / 2) if len(self._source) else 0.0

    def paint(self, painter: QPainter, option: Any, widget: Any = None) -> None:
        if not len(self._x):
            return
        points = fn.transformCoordinates(painter.transform(), np.vstack([self._x, self._y]))
        device = painter.device()
        width, height = device.width(), device.height()
        inside = (points[0] > -20) & (points[0] < width + 20) & (points[1] > -20) & (points[1] < height + 20)
        painter.resetTransform()
        count = int(inside.sum())
        self._fragments.resize(count)
        fragments = self._fragments.ndarray()
        fragments[:, 0] = points[0, inside]
        fragments[:, 1] = points[1, inside]
        fragments[:, 2:6] = self._source[self._sprite[inside]]
        fragments[:, 6:10] = (1.0, 1.0, 0.0, 1.0)
        drawargs = self._fragments.drawargs()
        assert len(drawargs) == 2  # PySide6: a pointer to the fragments and their count
        painter.drawPixmapFragments(drawargs[0], drawargs[1], self._atlas)
