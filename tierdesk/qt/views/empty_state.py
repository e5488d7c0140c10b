"""A view's empty state, before a territory is open: a short hint instead of bare axes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


def empty_hint(text: str, parent: QWidget | None = None) -> QLabel:
    """A short centred hint in the palette's placeholder colour (light and dark alike)."""
    hint = QLabel(text, parent)
    hint.setObjectName("emptyHint")
    hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
    hint.setWordWrap(True)
    hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    hint.setBackgroundRole(QPalette.ColorRole.Base)  # the plot's ground, as the empty pyramid's
    hint.setAutoFillBackground(True)
    hint.setContentsMargins(16, 16, 16, 16)
    hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)  # wraps to the view's width
    return hint
