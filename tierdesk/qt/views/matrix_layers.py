"""Drawing the persona matrix's points, and the colour groups they are drawn in.

Every shown account is a sprite in one PointCloud, cached as an image, so dragging a split line only moves
lines and relabels boxes; above `DENSITY_LIMIT` points the base layer becomes a density image. Pinned and
just-moved accounts, and rings around the selected ones, are small PointCloud layers on top. The layers
draw what they are given (a PointGeometry and colours): they read no plan and decide nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem

from tierdesk.domain.plan import Plan
from tierdesk.domain.playbook import CATEGORIES, UNCLASSIFIED
from tierdesk.qt.views.matrix_geometry import PointGeometry
from tierdesk.qt.views.palette import (
    ACCENT,
    HIGHLIGHT,
    MARK_OUTLINE,
    ON_COLOUR,
    POINT_OUTLINE,
    UNCLASSIFIED_COLOUR,
    colour,
    group_colours,
    qcolor,
)
from tierdesk.qt.views.point_cloud import PointCloud, Sprite

DENSITY_LIMIT = 250_000
COLOUR_FIELDS = (("tier", "Tier"), ("category", "Category"), ("segment", "Segment"), ("owner", "Owner"))
MAX_GROUPS = 10


def estimated_wallets(plan: Plan) -> np.ndarray:
    """Accounts whose wallet is an estimate (peers or firmographic): drawn hollow."""
    wallets = plan.classification.wallets
    return wallets.estimated() if wallets is not None else np.zeros(len(plan.accounts), bool)


@dataclass(frozen=True)
class ColourGroups:
    """The groups of the 'colour by' choice: each account's group when drawn (an index into `colours`,
    "Unclassified" last), and a colour per group name, in order."""

    key: str
    codes: np.ndarray
    colours: dict[str, str]

    @property
    def names(self) -> np.ndarray:
        return np.array(list(self.colours), dtype=object)

    def now(self, plan: Plan, rows: np.ndarray) -> np.ndarray:
        """The group of `rows` now: tiers and categories move with edits; the file's columns do not."""
        if self.key not in ("tier", "category"):
            return self.codes[rows]
        n = len(plan.playbook.tier_names) if self.key == "tier" else len(CATEGORIES)
        cls = plan.classification
        codes = np.asarray(cls.tier if self.key == "tier" else cls.category)[rows]
        return np.where((codes >= 0) & (codes < n), codes, n).astype(np.int64)

    def counts(self, plan: Plan, rows: np.ndarray) -> list[tuple[str, str, int]]:
        """(name, colour, accounts of `rows` in it now) per group; "Unclassified" only when it has some."""
        counts = np.bincount(self.now(plan, rows), minlength=len(self.colours))
        return [
            (name, self.colours[name], int(count))
            for name, count in zip(self.colours, counts.tolist(), strict=True)
            if name != UNCLASSIFIED or count
        ]


def colour_groups(plan: Plan, key: str) -> ColourGroups:
    """Tiers, categories, or the most common values of a column (the rest as "Other")."""
    cls = plan.classification
    if key == "tier":
        names = list(plan.playbook.tier_names)
        codes = np.asarray(cls.tier)
    elif key == "category":
        names = list(CATEGORIES)
        codes = np.asarray(cls.category)
    elif key in plan.accounts:
        series = plan.accounts[key].astype("string").fillna("(blank)")
        top = series.value_counts().index[:MAX_GROUPS].tolist()
        names = [str(t) for t in top] + (["Other"] if series.nunique() > MAX_GROUPS else [])
        codes = pd.Categorical(series, categories=names).codes.astype(np.int64)
        codes[codes < 0] = len(names) - 1  # "Other"
    else:
        names, codes = ["Accounts"], np.zeros(len(plan.accounts), dtype=np.int64)
    group = np.where((codes >= 0) & (codes < len(names)), codes, len(names)).astype(np.int64)
    colours = group_colours(names, key)
    return ColourGroups(
        key, group, {name: colours[name] for name in names} | {UNCLASSIFIED: UNCLASSIFIED_COLOUR}
    )


class PointLayers:
    """The point layers of one view box: `cloud` (every shown account), `density` (instead, when there are
    very many), `overlay` (pinned and just-moved accounts), `selected` (rings) and the drop hint."""

    def __init__(self, viewbox: pg.ViewBox) -> None:
        self.cloud = PointCloud()  # every shown account; cached, so split drags only blit it
        self.cloud.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        viewbox.addItem(self.cloud)
        self.density = pg.ImageItem()
        self.density.setZValue(-50)
        viewbox.addItem(self.density)
        self.overlay = PointCloud()
        self.overlay.setZValue(10)
        self.selected = PointCloud()
        self.selected.setZValue(20)
        self.drop_hint = pg.TextItem(anchor=(0, 1))
        self.drop_hint.setZValue(60)
        for item in (self.overlay, self.selected, self.drop_hint):
            viewbox.addItem(item, ignoreBounds=True)

    def draw_points(self, geometry: PointGeometry, groups: ColourGroups, estimated: np.ndarray) -> int:
        """Every shown account in its group's colour and its size; solid with a wallet on record, hollow with
        an estimated one (`estimated`, per account). Returns how many are drawn hollow."""
        shown = geometry.shown
        dense = len(shown) > DENSITY_LIMIT
        sizes = np.unique(geometry.sizes[shown]) if len(shown) else np.array([6.0])
        outline = colour(POINT_OUTLINE)
        sprites: list[Sprite] = []
        for fill_colour in groups.colours.values():  # each colour and size solid, then hollow
            fill = qcolor(fill_colour, 190).name(QColor.NameFormat.HexArgb)
            sprites += [(fill, outline, float(sz)) for sz in sizes]
            sprites += [("", fill_colour, float(sz), "o", 1.6) for sz in sizes]
        hollow = estimated[shown]
        if dense:
            self.cloud.set_points(np.zeros(0), np.zeros(0), np.zeros(0, np.int64), sprites)
            self._draw_density(geometry)
            return 0
        self.density.clear()
        group = groups.codes[shown]
        size_index = np.searchsorted(sizes, geometry.sizes[shown])
        sprite = (np.where(group >= 0, group, 0) * 2 + hollow) * len(sizes) + size_index
        self.cloud.set_points(geometry.x[shown], geometry.y[shown], sprite, sprites, shown)
        return int(hollow.sum())

    def _draw_density(self, geometry: PointGeometry) -> None:
        x, y = geometry.x[geometry.shown], geometry.y[geometry.shown]
        (x0, x1), (y0, y1) = (np.nanmin(x), np.nanmax(x)), (np.nanmin(y), np.nanmax(y))
        counts, _, _ = np.histogram2d(x, y, bins=(400, 300), range=((x0, x1 or 1), (y0, y1 or 1)))
        self.density.setImage(np.log1p(counts), autoLevels=True)
        self.density.setColorMap(pg.colormap.get("viridis"))
        self.density.setRect(QRectF(x0, y0, (x1 - x0) or 1, (y1 - y0) or 1))

    def draw_marks(
        self,
        geometry: PointGeometry,
        rows: np.ndarray,
        pinned: np.ndarray,
        names: np.ndarray,
        colours: dict[str, str],
    ) -> None:
        """Accounts drawn on top: pinned ones (`pinned`, per row) as bigger diamonds, the others as circles,
        each in the colour of its group now (`names`, per row)."""
        if not len(rows):
            self.overlay.clear()
            return
        outline = colour(MARK_OUTLINE)
        sizes = geometry.sizes[rows] + np.where(pinned, 4, 0)
        unique_names, name_code = np.unique(names.astype(str), return_inverse=True)
        size_values, size_code = np.unique(sizes, return_inverse=True)
        keys, sprite = np.unique((name_code * len(size_values) + size_code) * 2 + pinned, return_inverse=True)
        sprites: list[Sprite] = []
        for key in keys.tolist():
            p = key % 2
            size = size_values[key // 2 % len(size_values)]
            name = unique_names[key // 2 // len(size_values)]
            fill = qcolor(colours.get(name, UNCLASSIFIED_COLOUR), 230).name(QColor.NameFormat.HexArgb)
            sprites.append((fill, outline, float(size), "d" if p else "o", 1.6 if p else 0.4))
        self.overlay.set_points(geometry.x[rows], geometry.y[rows], sprite, sprites, rows)

    def draw_selection(self, geometry: PointGeometry, rows: np.ndarray) -> None:
        """A ring around each of `rows` (accounts drawn in the matrix)."""
        if not len(rows):
            self.selected.clear()
            return
        sizes, sprite = np.unique(geometry.sizes[rows] + 6, return_inverse=True)
        ring = colour(HIGHLIGHT)
        sprites: list[Sprite] = [("", ring, float(size), "o", 2.2) for size in sizes]
        self.selected.set_points(geometry.x[rows], geometry.y[rows], sprite, sprites, rows)

    def show_drop_hint(self, text: str, pos: QPointF) -> None:
        """What a drop at `pos` (view coordinates) would do, in a small box beside the pointer."""
        self.drop_hint.setHtml(
            f"<div style='background:{colour(ACCENT)};color:{colour(ON_COLOUR)};padding:2px'>"
            f"&nbsp;{text}&nbsp;</div>"
        )
        self.drop_hint.setPos(pos)
        self.drop_hint.show()

    def hide_drop_hint(self) -> None:
        self.drop_hint.hide()
