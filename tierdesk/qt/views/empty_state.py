"""A view's empty state, before a territory is open: a short hint instead of bare axes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QWidget


def empty_hint(text: str, parent: QWidget | None = None) -> QLabel:
    """A short centred hint in the palette's placeholder colour (light and dark alike)."""
    hint = QLabel(text, parent)
    hint.setObjectName("emptyHint")
    hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
    hint.setWordWrap(True)
    hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    hint.setContentsMargins(16, 16, 16, 16)
    return hint
