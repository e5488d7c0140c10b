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
        self.estimated = 0

    def set_groups(self, entries: list[tuple[str, str, int]], estimated: int = 0) -> None:
        """(name, colour, accounts) per group, in order; `estimated`: accounts drawn hollow because their
        wallet is an estimate."""
        if entries == self.entries and estimated == self.estimated:
            return
        self.entries, self.estimated = list(entries), estimated
        items = [
            f"<span style='color:{colour}'>●</span>&nbsp;{escape(name)}&nbsp;({count:,})"
            for name, colour, count in entries
        ]
        tips = [f"{escape(n)}: {c:,} accounts" for n, _, c in entries]
        if estimated:
            items.append(f"○&nbsp;Wallet estimated&nbsp;({estimated:,})")
            tips.append(f"Hollow points: {estimated:,} accounts whose wallet is an estimate, not on record")
        self.setText("&nbsp;&nbsp;&nbsp;".join(items))
        self.setToolTip("<br>".join(tips))

    def texts(self) -> list[str]:
        """Each entry as it reads: "Named (72)"."""
        shown = [f"{name} ({count:,})" for name, _, count in self.entries]
        return shown + ([f"Wallet estimated ({self.estimated:,})"] if self.estimated else [])
