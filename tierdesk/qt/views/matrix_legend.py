"""The matrix's colour key: one line above the plot, so it never hides a point."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ColourLegend(QLabel):
    """Each colour group's swatch, name and how many of the shown accounts it holds."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("matrixLegend")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)  # never widens the window
        self.setContentsMargins(8, 0, 8, 0)
        self.entries: list[tuple[str, str, int]] = []

    def set_groups(self, entries: list[tuple[str, str, int]]) -> None:
        """(name, colour, accounts) per group, in order."""
        if entries == self.entries:
            return
        self.entries = list(entries)
        self.setText(
            "&nbsp;&nbsp;&nbsp;".join(
                f"<span style='color:{colour}'>●</span>&nbsp;{escape(name)}&nbsp;({count:,})"
                for name, colour, count in entries
            )
        )
        self.setToolTip("<br>".join(f"{escape(n)}: {c:,} accounts" for n, _, c in entries))

    def texts(self) -> list[str]:
        """Each entry as it reads: "Named (72)"."""
        return [f"{name} ({count:,})" for name, _, count in self.entries]
