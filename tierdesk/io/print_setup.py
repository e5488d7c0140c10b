"""How the workbooks tierdesk writes print: paper from the locale (A4, or Letter where Letter is the norm),
landscape and one page wide for tables with their header row on every page, a header naming the plan and
its period, a footer with "page N of M"; and a sheet laid out in blocks kept whole on a page."""

from __future__ import annotations

import locale
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from xlsxwriter.worksheet import Worksheet

__all__ = [
    "LETTER_TERRITORIES",
    "PageSetup",
    "Paper",
    "default_paper",
    "page_breaks",
    "paper_for",
    "print_scale",
    "set_default_paper",
]

Paper = Literal["a4", "letter"]
#: Territories whose paper is US Letter (CLDR's paperSize data); everywhere else prints on A4.
LETTER_TERRITORIES = frozenset(
    {"US", "CA", "MX", "BZ", "CL", "CO", "CR", "GT", "NI", "PA", "PH", "PR", "SV", "VE"}
)
_WINDOWS_LETTER = ("united states", "canada", "mexico", "philippines", "chile", "colombia", "puerto rico")
PAPER_CODES = {"letter": 1, "a4": 9}  # Excel's paper numbers
#: Printable width and height in inches (paper less margins) in landscape, per paper.
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.75, "bottom": 0.75, "header": 0.3, "footer": 0.3}
PAPER_INCHES = {"a4": (11.69, 8.27), "letter": (11.0, 8.5)}  # landscape width, height
PIXELS_PER_INCH = 96  # how Excel sizes columns and rows at 100% scale
#: LibreOffice draws a column a third wider than Excel when it lacks a font with Calibri's metrics (Carlito):
#: a scale chosen with this much room keeps every column on the page there too.
WIDTH_SLACK = 1.35
_CONTROL = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")
_chosen: Paper | None = None


def paper_for(locale_name: str | None) -> Paper:
    """The paper a locale prints on: "letter" for en_US, fr_CA, es_MX… (also "en-US" and Windows names
    like "English_United States"), "a4" otherwise and when unknown."""
    if not locale_name:
        return "a4"
    name = locale_name.split(".")[0].split("@")[0]
    parts = re.split(r"[_-]", name)
    territory = next((p for p in parts[1:] if len(p) == 2 and p.isalpha()), "")
    if territory.upper() in LETTER_TERRITORIES:
        return "letter"
    return "letter" if any(n in name.casefold() for n in _WINDOWS_LETTER) else "a4"


def set_default_paper(paper: Paper | None) -> None:
    """The paper the workbooks use from now on (the desktop app sets it from the system's locale); None:
    the process locale decides again."""
    global _chosen
    _chosen = paper


def default_paper() -> Paper:
    """The paper chosen with set_default_paper, or the process locale's (LC_ALL, LC_PAPER, LANG, then the
    platform's own setting)."""
    if _chosen is not None:
        return _chosen
    for variable in ("LC_ALL", "LC_PAPER", "LANG"):
        value = os.environ.get(variable)
        if value and value not in ("C", "POSIX", "C.UTF-8"):
            return paper_for(value)
    try:
        return paper_for(locale.getlocale()[0])
    except (ValueError, TypeError):
        return "a4"


def _header_text(text: str, limit: int) -> str:
    """User text inside an Excel header: one line, '&' doubled (a lone '&' starts a code), cut to `limit`."""
    text = " ".join(_CONTROL.sub(" ", text).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text.replace("&", "&&")


@dataclass(frozen=True)
class PageSetup:
    """What every printed page of a workbook says (the plan's name and period) and the paper it is on."""

    title: str = ""
    period: str = ""  # e.g. "2026-01-01 to 2026-12-31"
    paper: Paper = field(default_factory=default_paper)

    def apply(self, ws: Worksheet, *, landscape: bool = True) -> None:
        """Paper, margins, header and footer (no scaling: see table and fit_scale)."""
        ws.set_paper(PAPER_CODES[self.paper])
        if landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        m = MARGINS
        ws.set_margins(m["left"], m["right"], m["top"], m["bottom"])
        left = f'&L&"-,Bold"{_header_text(self.title, 90)}' if self.title else ""
        right = f"&R{_header_text(self.period, 40)}" if self.period else ""
        ws.set_header(left + "&C&A" + right, margin=m["header"])
        ws.set_footer("&LPrinted &D&RPage &P of &N", margin=m["footer"])

    def table(self, ws: Worksheet) -> None:
        """A table sheet: landscape, every column on one page width (as many pages down as it needs), the
        header row on every page."""
        self.apply(ws)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
        ws.center_horizontally()

    def rows_per_page(self, scale: int, row_pixels: float = 20.0) -> int:
        """About how many default-height rows a landscape page holds at a print scale (percent)."""
        height = PAPER_INCHES[self.paper][1] - MARGINS["top"] - MARGINS["bottom"]
        return int(height * PIXELS_PER_INCH / (row_pixels * scale / 100))


def column_pixels(width: float) -> int:
    """A column's width in pixels, as Excel draws a width given in characters (Calibri 11)."""
    return int(width * 12 + 0.5) if width < 1 else int(width * 7 + 0.5) + 5


def print_scale(widths: Sequence[float], paper: Paper, *, most: int = 100) -> int:
    """The print scale (percent) at which these columns fit a landscape page's width (at most `most`), with
    room for spreadsheets that draw columns wider than Excel (WIDTH_SLACK)."""
    wide = sum(column_pixels(w) for w in widths) * WIDTH_SLACK
    room = (PAPER_INCHES[paper][0] - MARGINS["left"] - MARGINS["right"]) * PIXELS_PER_INCH
    return max(10, min(most, int(room / max(wide, 1) * 100)))


def page_breaks(blocks: Sequence[tuple[int, int]], per_page: int) -> list[int]:
    """Rows to break the page before, so that each block (first row, row count) that fits on a page is
    printed whole: a block that would run over the bottom of a page starts the next one. Blocks are in
    order; a block taller than a page starts a page and runs over as it must."""
    breaks: list[int] = []
    top = 0
    for first, rows in blocks:
        if first - top + rows > per_page and first > top:
            breaks.append(first)
            top = first
        while first + rows - top > per_page:  # a block taller than a page: Excel breaks inside it
            top += per_page
    return breaks
