"""Many one-page plans onto a paged device (a PDF file, a printer, the print preview), one page per account;
painting a QPdfWriter or QPrinter is allowed off the GUI thread, so long runs report progress and stop when
cancelled."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtPrintSupport import QPrinter

import tierdesk
from tierdesk.domain.onepager import OnePager
from tierdesk.io.errors import Cancelled
from tierdesk.io.pdf_file import Bookmark, discard, draft_for, finish_pdf
from tierdesk.io.print_setup import Paper, default_paper
from tierdesk.qt.onepager.page import PageFrame, paint_page

Progress = Callable[[float, str], None]
PAGE_SIZES = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
MARGINS_MM = QMarginsF(14, 12, 14, 12)  # left, top, right, bottom


def headless_application() -> QGuiApplication:
    """The application Qt needs to lay out text, for work without a window (the command line): the running
    one, or a new one, offscreen where there is no display."""
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        return app
    display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if sys.platform.startswith("linux") and not display and "QT_QPA_PLATFORM" not in os.environ:
        return QGuiApplication(["tierdesk", "-platform", "offscreen"])
    return QGuiApplication(["tierdesk"])


def page_layout(paper: Paper | None = None) -> QPageLayout:
    """A portrait page on the locale's paper (A4 or Letter) with the one-pager's margins."""
    size = QPageSize(PAGE_SIZES[paper or default_paper()])
    return QPageLayout(size, QPageLayout.Orientation.Portrait, MARGINS_MM, QPageLayout.Unit.Millimeter)


def paint_pages(
    device: QPdfWriter | QPrinter,
    pages: Sequence[OnePager],
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    printed: dt.date | None = None,
) -> None:
    """One page per account on the device, which must already have its page layout. Raises Cancelled (the
    device's job is then incomplete) and OSError when the device cannot be painted on."""
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("the printer or file could not be opened for printing")
    frame = PageFrame(printed or dt.date.today(), len(pages))
    try:
        for i, page in enumerate(pages):
            if cancelled is not None and cancelled():
                raise Cancelled()
            if i and not device.newPage():
                raise OSError("the printer refused a new page")
            rect = device.pageLayout().paintRectPixels(device.resolution())
            paint_page(painter, QRectF(0, 0, rect.width(), rect.height()), page, i + 1, frame)
            if progress is not None:
                progress((i + 1) / len(pages), f"Page {i + 1:,} of {len(pages):,}: {page.name[:60]}")
    except Cancelled:
        if isinstance(device, QPrinter):
            device.abort()  # the printer drops the job rather than print part of it
        raise
    finally:
        painter.end()


def bookmarks(pages: Sequence[OnePager]) -> list[Bookmark]:
    """One bookmark per account, under its owner's when the pages cover more than one owner."""
    owners = {p.owner for p in pages}
    group = len(owners) > 1
    return [Bookmark(p.title, i, (p.owner or "(no owner)") if group else "") for i, p in enumerate(pages)]


def write_pdf(
    target: str | os.PathLike[str],
    pages: Sequence[OnePager],
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    *,
    paper: Paper | None = None,
    title: str = "Account plans",
) -> Path:
    """The one-pagers as one PDF with a bookmark per account, written beside the target and put in its
    place when complete (a file there that is not a PDF is never overwritten: SaveError)."""
    draft = draft_for(target)
    try:
        writer = QPdfWriter(str(draft))
        writer.setPageLayout(page_layout(paper))
        writer.setResolution(600)
        writer.setTitle(title)
        writer.setCreator(f"tierdesk {tierdesk.__version__}")
        paint_pages(writer, pages, progress, cancelled)
        del writer  # the file is complete and closed
    except BaseException:
        discard(draft)
        raise
    if progress is not None:
        progress(1.0, "Adding bookmarks")
    finish_pdf(draft, target, bookmarks(pages))
    return Path(target)
