"""Every colour the views draw with: tiers, personas, categories and other groups (the same in light and
dark), named roles with a light and a dark variant (text on plots, backgrounds, highlights, warnings), and
the colours printed on paper (`PAPER`, the one-page plans: white paper whatever the screen's theme).

Views name a role (`colour(INK)`, `qcolour(HIGHLIGHT)`, `PAPER.muted`), never a hex string: the window's
palette comes from theme.py, everything drawn by hand from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import QColor

from tierdesk.qt.theme import is_dark

# Top tier strongest; the bottom tier a muted slate.
TIER_COLOURS = ("#7b3fbf", "#2f6fd0", "#1f9e89", "#e0a526", "#d9534f", "#8a94a6")
CATEGORY_COLOURS = {
    "Strategic": "#7b3fbf",
    "Core": "#2f6fd0",
    "Beachhead": "#1f9e89",
    "Greenfield": "#e0a526",
}
PERSONA_COLOURS = {
    "Strategic Partnerships": "#7b3fbf",
    "Land & Expand": "#1f9e89",
    "Protect & Defend": "#2f6fd0",
    "Efficient Engagement": "#8a94a6",
}
QUALITATIVE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
UNCLASSIFIED_COLOUR = "#9aa0a6"


@dataclass(frozen=True)
class Role:
    """A colour by what it is for, light and dark (#rrggbb, or #aarrggbb with transparency)."""

    light: str
    dark: str


INK = Role("#1d2330", "#e6e8eb")  # text and lines drawn over a plot: box labels, split lines, bar values
POINT_OUTLINE = Role("#1d2330", "#e6e8eb")  # the rim of every point in the matrix
MARK_OUTLINE = Role("#1d2330", "#f4f5f7")  # the rim of pinned and just-moved points, drawn on top
PLOT_BACKGROUND = Role("#ffffff", "#16181c")
AXIS = Role("#4a5262", "#aab0b8")  # axis lines and tick labels
LABEL_BACKING = Role("#c8ffffff", "#c816181c")  # the plate behind box labels: readable over points
SPLIT_LABEL_BACKING = Role("#78ffffff", "#7816181c")  # behind a split line's value
HIGHLIGHT = Role("#ff7a00", "#ff7a00")  # the selection: rings, badges, the band a drop lands on
ON_COLOUR = Role("#ffffff", "#ffffff")  # text on a tier band or a badge
ACCENT = Role("#2f6fd0", "#2f6fd0")  # what a drag is about to do: the drop hint, the rubber band
ACCENT_FILL = Role("#282f6fd0", "#282f6fd0")  # inside the rubber band
BAD = Role("#d9534f", "#d9534f")  # broken rules, capacity warnings, a cost that went up
GOOD = Role("#1f9e60", "#1f9e60")  # a cost that went down
LOAD = Role("#7f9cc7", "#5f7fae")  # a seller's book up to capacity (the bar in the Sellers dock)
UNDER = Role("#e0a526", "#e0b64a")  # the part of capacity a seller's book leaves unused, past the tolerance
TRACK = Role("#e6e9ee", "#2a2e35")  # behind a load bar: the scale it is drawn on


@dataclass(frozen=True)
class Paper:
    """Colours printed on paper by what they are for: one set, since paper is white in any theme."""

    ink: str = "#1a1a1a"  # body text
    muted: str = "#5f6368"  # labels, reasons, dates, the header and footer
    rule: str = "#c9d3df"  # lines under rows, the 2x2's frame, the lines to write notes on
    accent: str = "#1f4e79"  # the account's name, section titles, its point and the box it is pinned to
    band: str = "#eef3f8"  # behind figures and table headings
    bad: str = "#8a1c1c"  # a finding: over- or under-investment
    sheet: str = "#ffffff"  # the paper itself: the point's rim, an objective with no status
    #: light tints of TIER_COLOURS to print text on, top tier first (the last for lower tiers)
    tier_tints: tuple[str, ...] = ("#e4d7f5", "#d6e4f7", "#d3efe9", "#fbeccb", "#f6d6d5", "#e6e9ee")
    #: light tints of PERSONA_COLOURS, in PERSONAS order: the 2x2's boxes
    persona_tints: tuple[str, ...] = ("#efe6fa", "#e1f3ef", "#e3ecf9", "#eef0f3")
    #: an objective's status
    status_tints: dict[str, str] = field(
        default_factory=lambda: {"Met": "#d9f0dd", "In progress": "#fff1c2", "Missed": "#fadad7"}
    )


PAPER = Paper()


def colour(role: Role) -> str:
    """The role's colour in the theme in use."""
    return role.dark if is_dark() else role.light


def qcolour(role: Role, alpha: int | None = None) -> QColor:
    """The role's colour in the theme in use, as a QColor (with `alpha`, 0-255, if given)."""
    found = QColor(colour(role))
    if alpha is not None:
        found.setAlpha(alpha)
    return found


def qcolor(hex_colour: str, alpha: int = 255) -> QColor:
    colour = QColor(hex_colour)
    colour.setAlpha(alpha)
    return colour


def tier_colour(index: int) -> str:
    return TIER_COLOURS[index] if 0 <= index < len(TIER_COLOURS) else UNCLASSIFIED_COLOUR


def group_colours(names: list[str], field: str) -> dict[str, str]:
    """A colour per group name for the 'colour by' choice."""
    if field == "tier":
        return {n: tier_colour(i) for i, n in enumerate(names)}
    if field == "category":
        return {n: CATEGORY_COLOURS.get(n, UNCLASSIFIED_COLOUR) for n in names}
    if field == "persona":
        return {n: PERSONA_COLOURS.get(n, UNCLASSIFIED_COLOUR) for n in names}
    return {n: QUALITATIVE[i % len(QUALITATIVE)] for i, n in enumerate(names)}
