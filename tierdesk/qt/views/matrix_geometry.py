"""Where the persona matrix draws each account, in plain numpy: the axis values, log scales, view units and
back, the point nearest a position, the points inside a rectangle, the box a position falls in.

No Qt here (an import-linter contract keeps it so): the drawing layers and the pointer controller read one
`PointGeometry`, and it is unit-tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from tierdesk.domain.accounts import FIELD_BY_KEY
from tierdesk.domain.classification import classify_personas
from tierdesk.domain.plan import Plan
from tierdesk.domain.playbook import PERSONAS, Formula
from tierdesk.domain.texts import round_as_shown

Axis = Literal["x", "y"]
PERSONA_AXES = ("persona_x", "persona_y")  # the axes the boxes and split lines belong to
PICK_RADIUS_PX = 7.0
# Quadrant corners: (persona, high potential?, high share?)
QUADRANTS = (
    ("Strategic Partnerships", True, True),
    ("Land & Expand", True, False),
    ("Protect & Defend", False, True),
    ("Efficient Engagement", False, False),
)


def to_view(values: np.ndarray, log: bool) -> np.ndarray:
    """Data values in view units: log10 on a log axis, where values ≤ 0 cannot be drawn (NaN)."""
    if not log:
        return values
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(values > 0, np.log10(values), np.nan)


def from_view(value: float, log: bool) -> float:
    """A position in view units as a data value."""
    return float(10**value) if log else float(value)


def axis_values(plan: Plan, key: str) -> np.ndarray:
    """The values an axis shows: share of wallet, growth potential, projected value or a numeric column."""
    cls = plan.classification
    if key == "persona_x":
        return np.asarray(cls.x, dtype="float64")
    if key == "persona_y":
        return np.asarray(cls.y, dtype="float64")
    if key == "projected_value":
        return np.asarray(cls.projected_value, dtype="float64")
    return plan.accounts[key].to_numpy(dtype="float64", na_value=np.nan)


def axis_kind(key: str) -> str:
    """How an axis's ticks read: percent, money or number."""
    if key == "persona_x":
        return "percent"
    if key in ("persona_y", "projected_value"):
        return "money"
    field = FIELD_BY_KEY.get(key)
    return field.kind if field else "number"


def axis_choices(accounts: pd.DataFrame) -> list[str]:
    """Every numeric column an axis can show, besides the persona axes and projected value."""
    choices = []
    for column in accounts.columns:
        field = FIELD_BY_KEY.get(column)
        if column in ("source_row", "share_of_wallet", "potential", "projected_value"):
            continue
        if (field and field.kind in ("money", "number", "percent")) or (
            field is None and pd.api.types.is_numeric_dtype(accounts[column])
        ):
            choices.append(str(column))
    return choices


def point_sizes(revenue: np.ndarray | None, n: int, by_revenue: bool) -> np.ndarray:
    """A diameter in pixels per account: six sizes by revenue (few sizes keep the sprite atlas small)."""
    if revenue is None or not by_revenue:
        return np.full(n, 6.0)
    scaled = np.sqrt(np.clip(revenue, 0, None) / max(float(np.nanmax(revenue, initial=0.0)), 1.0))
    return 4.0 + np.round(np.nan_to_num(scaled) * 5) * 2.5


def persona_at(x: float, y: float, x_split: float, y_split: float) -> str:
    """The box a position (in data units) falls in, by the domain's own rule (on a split counts as high)."""
    code = classify_personas(np.array([x]), np.array([y]), x_split, y_split)[0]
    return PERSONAS[int(code)]


def split_value(formula: Formula, position: float, log: bool) -> float:
    """The split a line at `position` (view units) stands for, rounded to the figure its label shows."""
    return round_as_shown(formula, from_view(position, log))


def nearest_point(
    xs: np.ndarray,
    ys: np.ndarray,
    candidates: np.ndarray,
    x: float,
    y: float,
    px_per_x: float,
    px_per_y: float,
) -> int | None:
    """Row (from `candidates`) of the point nearest (x, y) within the pick radius, measured in pixels."""
    if not len(candidates):
        return None
    dx = (xs[candidates] - x) * px_per_x
    dy = (ys[candidates] - y) * px_per_y
    distance = dx * dx + dy * dy
    distance[np.isnan(distance)] = np.inf
    best = int(np.argmin(distance))
    return int(candidates[best]) if distance[best] <= PICK_RADIUS_PX**2 else None


@dataclass(frozen=True)
class PointGeometry:
    """Every account's position in view units (NaN where it cannot be drawn), the accounts drawn (in row
    order), each account's diameter in pixels, and whether each axis is logarithmic."""

    x: np.ndarray
    y: np.ndarray
    shown: np.ndarray
    sizes: np.ndarray
    x_log: bool = False
    y_log: bool = False
    hidden: int = 0  # accounts the filter keeps that cannot be drawn (missing, or ≤ 0 on a log axis)

    @classmethod
    def empty(cls) -> PointGeometry:
        none = np.zeros(0)
        return cls(none, none, np.zeros(0, np.int64), none)

    @classmethod
    def of(
        cls,
        x_values: np.ndarray,
        y_values: np.ndarray,
        sizes: np.ndarray,
        *,
        x_log: bool = False,
        y_log: bool = False,
        keep: np.ndarray | None = None,
    ) -> PointGeometry:
        """Positions of accounts with these axis values; `keep` (a filter, True keeps) limits those shown."""
        x, y = to_view(x_values, x_log), to_view(y_values, y_log)
        drawable = np.isfinite(x) & np.isfinite(y)
        wanted = len(drawable)
        if keep is not None and len(keep) == len(drawable):
            drawable &= keep
            wanted = int(keep.sum())
        shown = np.flatnonzero(drawable)
        return cls(x, y, shown, sizes, x_log, y_log, wanted - len(shown))

    def position(self, row: int) -> tuple[float, float]:
        """Where the account at `row` is drawn, in view units."""
        return float(self.x[row]), float(self.y[row])

    def drawable(self, rows: np.ndarray) -> np.ndarray:
        """The rows of `rows` that have a position."""
        return rows[np.isfinite(self.x[rows]) & np.isfinite(self.y[rows])]

    def nearest(self, x: float, y: float, px_per_x: float, px_per_y: float) -> int | None:
        """The shown account nearest (x, y) in view units, within the pick radius in pixels."""
        return nearest_point(self.x, self.y, self.shown, x, y, px_per_x, px_per_y)

    def inside(self, left: float, right: float, bottom: float, top: float) -> np.ndarray:
        """The shown accounts inside a rectangle in view units (edges included)."""
        x, y = self.x[self.shown], self.y[self.shown]
        return self.shown[(x >= left) & (x <= right) & (y >= bottom) & (y <= top)]

    def bounds(self) -> tuple[tuple[float, float], tuple[float, float]] | None:
        """((x0, x1), (y0, y1)) of the shown accounts in view units; None when none is shown."""
        if not len(self.shown):
            return None
        x, y = self.x[self.shown], self.y[self.shown]
        return (float(np.nanmin(x)), float(np.nanmax(x))), (float(np.nanmin(y)), float(np.nanmax(y)))

    def data_at(self, x: float, y: float) -> tuple[float, float]:
        """A position in view units as data values."""
        return from_view(x, self.x_log), from_view(y, self.y_log)

    def view_of(self, x_value: float, y_value: float) -> tuple[float, float]:
        """Data values as a position in view units (NaN where a log axis cannot show them)."""
        x = to_view(np.array([x_value], dtype="float64"), self.x_log)[0]
        y = to_view(np.array([y_value], dtype="float64"), self.y_log)[0]
        return float(x), float(y)


def unplotted_note(
    values: tuple[np.ndarray, np.ndarray],
    names: tuple[str, str],
    logs: tuple[bool, bool],
    keep: np.ndarray | None = None,
) -> str:
    """Why accounts the filter keeps are not drawn, in words ("84 not plotted: growth potential 0 on a log
    axis"); "" when every one is drawn. `values`, `names` and `logs` are the (x, y) axes'."""
    n = len(values[0])
    kept = keep if keep is not None and len(keep) == n else np.ones(n, bool)
    missing = np.zeros(n, bool)
    reasons: list[tuple[np.ndarray, str]] = []
    for data, name, log in zip(values, names, logs, strict=True):
        none = kept & ~np.isfinite(data) & ~missing
        reasons.append((none, f"no {name.lower()}"))
        missing |= none
        if log:
            with np.errstate(invalid="ignore"):
                low = kept & (data <= 0) & ~missing
            word = "0" if not (data[low] < 0).any() else "0 or below"
            reasons.append((low, f"{name.lower()} {word} on a log axis"))
            missing |= low
    total = int(missing.sum())
    if not total:
        return ""
    parts = [(int(mask.sum()), why) for mask, why in reasons if mask.any()]
    if len(parts) == 1:
        return f"{total:,} not plotted: {parts[0][1]}"
    return f"{total:,} not plotted: " + ", ".join(f"{count:,} {why}" for count, why in parts)
