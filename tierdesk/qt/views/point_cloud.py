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
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap

Sprite = tuple[str, str, float]  # fill colour (#rrggbbaa allowed), outline colour, diameter in pixels


class PointCloud(pg.GraphicsObject):
    """Points at (x, y) in view coordinates, each drawn with one of a few sprites (colour × size)."""

    def __init__(self) -> None:
        super().__init__()
        self._x = np.zeros(0)
        self._y = np.zeros(0)
        self._sprite = np.zeros(0, dtype=np.int64)
        self._atlas = QPixmap()
        self._source = np.zeros((0, 4))
        self._bounds = QRectF()
        self._fragments = internals.PrimitiveArray(QPainter.PixmapFragment, 10)

    def set_points(self, x: np.ndarray, y: np.ndarray, sprite: np.ndarray, sprites: list[Sprite]) -> None:
        """Show points; `sprite[i]` indexes `sprites`. NaN coordinates are not drawn."""
        keep = np.isfinite(x) & np.isfinite(y)
        self.prepareGeometryChange()
        self._x, self._y = np.asarray(x, float)[keep], np.asarray(y, float)[keep]
        self._sprite = np.asarray(sprite, np.int64)[keep]
        self._build_atlas(sprites)
        if len(self._x):
            x0, x1, y0, y1 = self._x.min(), self._x.max(), self._y.min(), self._y.max()
            self._bounds = QRectF(x0, y0, (x1 - x0) or 1e-9, (y1 - y0) or 1e-9)
        else:
            self._bounds = QRectF()
        self.update()

    def _build_atlas(self, sprites: list[Sprite]) -> None:
        pad = 2
        sizes = [int(np.ceil(s[2])) + 2 * pad for s in sprites] or [1]
        atlas = QPixmap(sum(sizes), max(sizes))
        atlas.fill(Qt.GlobalColor.transparent)
        painter = QPainter(atlas)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        left = 0
        source = []
        for (fill, outline, diameter), box in zip(sprites, sizes, strict=True):
            pen = QPen(QColor(outline))
            pen.setWidthF(0.6)
            painter.setPen(pen)
            painter.setBrush(QColor(fill))
            painter.drawEllipse(QPointF(left + box / 2, box / 2), diameter / 2, diameter / 2)
            source.append((left, 0, box, box))
            left += box
        painter.end()
        self._atlas = atlas
        self._source = np.asarray(source, dtype=float).reshape(-1, 4)

    def boundingRect(self) -> QRectF:
        return self._bounds

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
        painter.drawPixmapFragments(*self._fragments.drawargs(), self._atlas)
