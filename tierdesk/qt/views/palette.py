"""Colours that read on light and dark backgrounds: tiers, personas, categories, other groups."""

from __future__ import annotations

from PySide6.QtGui import QColor

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
