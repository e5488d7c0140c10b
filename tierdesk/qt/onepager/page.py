"""One account's plan on one printed page: a rich-text document (Qt lays out and wraps the text) with the 2x2
drawn in it as a vector object, shrunk until it fits the page, so no text is ever cut."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import QPointF, QRect, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPen,
    QPyTextObject,
    QTextCharFormat,
    QTextDocument,
    QTextFormat,
)

from tierdesk.domain.onepager import OnePager
from tierdesk.domain.playbook import PERSONAS
from tierdesk.qt.views.palette import PAPER

MM = 1 / 25.4  # inches per millimetre
LAYOUT_DPI = 96  # the text is laid out at this resolution, then scaled to the device's
FONT_FAMILIES = ["Segoe UI", "Helvetica Neue", "Arial", "Liberation Sans", "DejaVu Sans"]
#: Text sizes tried, largest first, until the page's content fits (points).
SIZES = (10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0)
CELL, RULED = "padding:3px 4px;", f" border-bottom:1px solid {PAPER.rule};"  # objectives: a rule under each
MATRIX_OBJECT = int(QTextFormat.ObjectTypes.UserObject) + 1


@dataclass(frozen=True)
class PageFrame:
    """What the header and footer of every page say."""

    printed: dt.date
    total: int  # pages in the document


def layout_device() -> QImage:
    """The paint device text is laid out for: LAYOUT_DPI whatever the screen (a QImage: usable off the GUI
    thread)."""
    image = QImage(1, 1, QImage.Format.Format_RGB32)
    image.setDotsPerMeterX(round(LAYOUT_DPI / 0.0254))
    image.setDotsPerMeterY(round(LAYOUT_DPI / 0.0254))
    return image


def _font(points: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


class MatrixObject(QPyTextObject):
    """The 2x2 of growth potential × share of wallet as an object in the text: the four boxes with their
    counts, the account's point, and the pinned box outlined when a manager moved the account."""

    def __init__(self, page: OnePager, side: float) -> None:
        super().__init__()
        self.page, self.side = page, side

    def intrinsicSize(self, doc: QTextDocument, pos: int, fmt: QTextFormat) -> QSizeF:
        return QSizeF(self.side, self.side)

    def drawObject(
        self, painter: QPainter, rect: QRectF | QRect, doc: QTextDocument, pos: int, fmt: QTextFormat
    ) -> None:
        painter.save()
        try:
            self._draw(painter, QRectF(rect))
        finally:
            painter.restore()

    def _draw(self, painter: QPainter, rect: QRectF) -> None:
        page, pt = self.page, LAYOUT_DPI / 72
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # the painter is scaled from layout units to the device's: fonts are sized for the layout's dpi
        ratio = LAYOUT_DPI / painter.device().logicalDpiY()
        label_font = _font(6.5 * ratio)
        metrics = QFontMetricsF(_font(6.5), layout_device())
        axis = metrics.height() * 1.4  # room for the axis titles
        box = QRectF(rect.left() + axis, rect.top(), rect.width() - axis, rect.height() - axis)
        half_w, half_h = box.width() / 2, box.height() / 2
        # boxes in PERSONAS order: Strategic Partnerships (high, high), Land & Expand (high potential, low
        # share), Protect & Defend (low potential, high share), Efficient Engagement (low, low)
        cells = {
            0: QRectF(box.left() + half_w, box.top(), half_w, half_h),
            1: QRectF(box.left(), box.top(), half_w, half_h),
            2: QRectF(box.left() + half_w, box.top() + half_h, half_w, half_h),
            3: QRectF(box.left(), box.top() + half_h, half_w, half_h),
        }
        current = PERSONAS.index(page.persona) if page.persona in PERSONAS else -1
        painter.setFont(label_font)
        for code, cell in cells.items():
            painter.fillRect(cell, QColor(PAPER.persona_tints[code]))
            painter.setPen(QColor(PAPER.accent if code == current else PAPER.muted))
            painter.setFont(_font(6.5 * ratio, bold=code == current))
            text = f"{PERSONAS[code]}\n{page.box_counts[code]:,} accounts"
            inner = cell.adjusted(3 * pt, 2 * pt, -3 * pt, -2 * pt)
            flags = Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap
            flags |= Qt.AlignmentFlag.AlignTop if code in (0, 1) else Qt.AlignmentFlag.AlignBottom
            painter.drawText(inner, int(flags), text)
        painter.setPen(QPen(QColor(PAPER.rule), 0.8 * pt))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(box)
        painter.setPen(QPen(QColor(PAPER.muted), 0.8 * pt, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(box.center().x(), box.top()), QPointF(box.center().x(), box.bottom()))
        painter.drawLine(QPointF(box.left(), box.center().y()), QPointF(box.right(), box.center().y()))
        if current >= 0 and current != page.persona_box:  # pinned into another box
            painter.setPen(QPen(QColor(PAPER.accent), 1.6 * pt, Qt.PenStyle.DashLine))
            painter.drawRect(cells[current].adjusted(pt, pt, -pt, -pt))
        if page.position is not None:
            x, y = page.position
            x, y = _clear_of_labels(x, y)
            centre = QPointF(box.left() + x * box.width(), box.bottom() - y * box.height())
            painter.setPen(QPen(QColor(PAPER.sheet), 1.2 * pt))
            painter.setBrush(QColor(PAPER.accent))
            radius = 3.6 * pt
            painter.drawEllipse(centre, radius, radius)
        painter.setFont(label_font)
        painter.setPen(QColor(PAPER.muted))
        painter.drawText(
            QRectF(box.left(), box.bottom(), box.width(), axis),
            int(Qt.AlignmentFlag.AlignCenter),
            "share of wallet →",
        )
        painter.save()
        painter.translate(rect.left(), box.bottom())
        painter.rotate(-90)
        painter.drawText(
            QRectF(0, 0, box.height(), axis), int(Qt.AlignmentFlag.AlignCenter), "growth potential →"
        )
        painter.restore()


def _clear_of_labels(x: float, y: float) -> tuple[float, float]:
    """A point's place inside its box, kept off the box's edges and its label (at the top of the upper boxes,
    at the bottom of the lower ones); which box it is in does not change."""
    x = 0.5 * (x >= 0.5) + 0.04 + (x - 0.5 * (x >= 0.5)) * 0.84
    if y >= 0.5:
        return x, 0.5 + 0.03 + (y - 0.5) * 0.62  # the upper boxes' labels take their top quarter
    return x, 0.12 + y * 0.72


def _cell(text: str, *, style: str = "") -> str:
    return f'<td style="{style}">{text}</td>'


def _rows(pairs: tuple[tuple[str, str], ...], columns: int) -> str:
    """Label/value pairs as a grid of small boxes, `columns` to a row."""
    out, cells = [], []
    for label, value in pairs:
        cells.append(
            f'<td style="background:{PAPER.band}; padding:3px 5px;">'
            f'<span style="color:{PAPER.muted};">{escape(label)}</span><br/>'
            f"<b>{escape(value)}</b></td>"
        )
        if len(cells) == columns:
            out.append("<tr>" + "".join(cells) + "</tr>")
            cells = []
    if cells:
        out.append("<tr>" + "".join(cells) + "<td></td>" * (columns - len(cells)) + "</tr>")
    return f'<table width="100%" cellspacing="3" cellpadding="0">{"".join(out)}</table>'


def _section(title: str, points: float, extra: str = "") -> str:
    side = f'<span style="color:{PAPER.muted}; font-weight:normal;"> {extra}</span>' if extra else ""
    return (
        f'<p style="margin-top:9px; margin-bottom:3px; color:{PAPER.accent}; font-weight:bold; '
        f'font-size:{points * 1.2:.1f}pt;">{escape(title)}{side}</p>'
    )


def page_html(page: OnePager, points: float = SIZES[0]) -> str:
    """The page's body as rich text; the 2x2 is the object character U+FFFC, put in by `page_document`."""
    tints = PAPER.tier_tints
    tint = tints[page.tier_rank] if 0 <= page.tier_rank < len(tints) else tints[-1]
    where = " · ".join(
        escape(t)
        for t in (
            f"ID {page.account_id}" if page.account_id else "",
            f"Owner: {page.owner}" if page.owner else "No owner",
            f"Territory: {page.territory}" if page.territory else "",
            *(v for _, v in page.facts),
        )
        if t
    )
    pins = {p.field: p for p in page.pins}

    def pinned(what: str) -> str:
        pin = pins.get(what)
        if pin is None:
            return ""
        why = f": “{escape(pin.reason)}”" if pin.reason else " (no reason given)"
        when = f", {pin.time:%Y-%m-%d}" if pin.time else ""
        return (
            f'<br/><span style="color:{PAPER.accent};">Pinned by a manager{why}{when}; '
            f"the rules give {escape(pin.computed)}.</span>"
        )

    entitlements = " · ".join(f"{escape(k)}: <b>{escape(v)}</b>" for k, v in page.entitlements)
    role = f" · seller role: {escape(page.role)}" if page.role else ""
    finding = (
        f'<p style="margin-top:4px; color:{PAPER.bad};"><b>Finding:</b> {escape(page.finding)}</p>'
        if page.finding
        else ""
    )
    left = (
        f'<p style="margin:6px 0 0 0;"><span style="background:{tint};">'
        f"&nbsp;<b>Tier: {escape(page.tier)}</b>&nbsp;</span>{role}{pinned('tier')}</p>"
        f'<p style="margin:2px 0 0 0;">{entitlements or "No entitlements"}</p>'
        f'<p style="margin:2px 0 0 0; color:{PAPER.muted};">{escape(page.tier_reason)}</p>'
        f'<p style="margin:8px 0 0 0;"><b>Persona: {escape(page.persona)}</b>{pinned("persona")}</p>'
        f'<p style="margin:2px 0 0 0; color:{PAPER.muted};">{escape(page.persona_reason)}</p>'
        f'<p style="margin:8px 0 0 0;"><b>Relationship: {escape(page.category)}</b>{pinned("category")}</p>'
        f'<p style="margin:2px 0 0 0;">Asks for: {escape(page.category_ask or "—")}</p>'
        f'<p style="margin:2px 0 0 0; color:{PAPER.muted};">{escape(page.category_reason)}</p>{finding}'
    )
    right = (
        '<p align="center" style="margin:6px 0 0 0;">\ufffc</p>'
        f'<p align="center" style="margin:2px 0 0 0; color:{PAPER.muted};">'
        f"{escape(page.axes[0])}<br/>{escape(page.axes[1])}</p>"
    )
    return (
        f'<p style="margin:0; font-size:{points * 1.9:.1f}pt; font-weight:bold; color:{PAPER.accent};">'
        f"{escape(page.name)}</p>"
        f'<p style="margin:2px 0 10px 0; color:{PAPER.muted};">{where}</p>'
        '<table width="100%" cellspacing="0" cellpadding="0"><tr>'
        f'<td width="64%" valign="top" style="padding-right:10px; padding-top:6px;">{left}</td>'
        f'<td width="36%" valign="top" style="padding-top:6px;">{right}</td></tr></table>'
        + _section("Figures", points)
        + _rows(page.figures, 6)
        + _section(
            "Objectives",
            points,
            f"· plan {page.completeness:.0%} complete"
            + (f" · missing: {page.missing}" if page.missing else ""),
        )
        + _objectives(page)
        + _section("Latest changes", points)
        + _changes(page)
    )


def _objectives(page: OnePager) -> str:
    if not page.objectives:
        return f'<p style="color:{PAPER.muted};">No objectives yet.</p>'
    head = "".join(
        f'<th align="left" width="{w}%" style="background:{PAPER.band}; padding:3px 4px;">{h}</th>'
        for h, w in (("Objective", 50), ("Target", 22), ("Due", 14), ("Status", 14))
    )
    lines = []
    for o in page.objectives:
        tint = PAPER.status_tints.get(o.status, PAPER.sheet)
        last = "" if o.notes else RULED  # the notes, when there are some, run the full width below
        kind = f'<span style="color:{PAPER.muted};">· {escape(o.kind)}</span>'
        lines.append(
            "<tr>"
            + _cell(f"{escape(o.description) or '—'} {kind}", style=CELL + last)
            + _cell(escape(o.target) or "—", style=CELL + last)
            + _cell(f"{o.due:%Y-%m-%d}" if o.due else "—", style=CELL + last)
            + _cell(escape(o.status), style=f"{CELL}{last} background:{tint};")
            + "</tr>"
        )
        if o.notes:
            lines.append(
                f'<tr><td colspan="4" style="{CELL}{RULED} padding-top:0; color:{PAPER.muted};">'
                f"Notes: {escape(o.notes)}</td></tr>"
            )
    return (
        '<table width="100%" cellspacing="0" cellpadding="0" style="border-collapse:collapse;">'
        f"<tr>{head}</tr>{''.join(lines)}</table>"
    )


def _changes(page: OnePager) -> str:
    if not page.changes:
        return f'<p style="color:{PAPER.muted};">No changes recorded for this account.</p>'
    lines = []
    for c in page.changes:
        move = f"{escape(c.old) or '—'} → {escape(c.new) or '—'}"
        why = f" · “{escape(c.reason)}”" if c.reason else ""
        lines.append(
            f'<tr><td style="padding:1px 6px 1px 0; color:{PAPER.muted};">{c.time:%Y-%m-%d %H:%M}</td>'
            f'<td style="padding:1px 6px 1px 0;">{escape(c.what.capitalize())}: {move}{why}</td>'
            f'<td style="padding:1px 0; color:{PAPER.muted};">{escape(c.user)}</td></tr>'
        )
    return f'<table width="100%" cellspacing="0" cellpadding="0">{"".join(lines)}</table>'


class PageDocument:
    """One page's body laid out at LAYOUT_DPI, `width` layout units wide, text at `points`."""

    def __init__(self, page: OnePager, width: float, points: float) -> None:
        self.device = layout_device()  # kept: the layout refers to it
        self.document = QTextDocument()
        self.document.setUseDesignMetrics(True)
        self.document.setDocumentMargin(0)
        self.document.setDefaultFont(_font(points))
        self.document.setDefaultStyleSheet(f"body {{ color: {PAPER.ink}; }}")
        layout: QAbstractTextDocumentLayout = self.document.documentLayout()
        layout.setPaintDevice(self.device)
        self.matrix = MatrixObject(page, min(58 * MM * LAYOUT_DPI, width * 0.34))
        layout.registerHandler(MATRIX_OBJECT, self.matrix)
        self.document.setHtml(page_html(page, points))
        found = self.document.find("\ufffc")
        if not found.isNull():
            fmt = QTextCharFormat()
            fmt.setObjectType(MATRIX_OBJECT)
            found.insertText("\ufffc", fmt)
        self.document.setTextWidth(width)

    def height(self) -> float:
        return self.document.size().height()


def fitted_document(page: OnePager, width: float, height: float) -> tuple[PageDocument, float]:
    """The body at the largest text size in SIZES that fits `width` × `height` (layout units), with scale 1;
    when even the smallest does not fit, laid out wider and scaled down (the scale returned) so it does."""
    for points in SIZES:
        doc = PageDocument(page, width, points)
        if doc.height() <= height:
            return doc, 1.0
    shrink = 1.0
    for _ in range(6):  # wider is shorter: a few steps settle the scale
        shrink *= math.sqrt(height / (doc.height() * shrink))
        doc = PageDocument(page, width / shrink, SIZES[-1])
        if doc.height() * shrink <= height:
            return doc, shrink
    return doc, height / doc.height()


def paint_page(painter: QPainter, area: QRectF, page: OnePager, number: int, frame: PageFrame) -> None:
    """Paint one account's page into `area` (device units): header, body, footer. Text is never cut: the
    body's text is set at the largest size that fits, and scaled down below the smallest if need be."""
    device = painter.device()
    scale = device.logicalDpiY() / LAYOUT_DPI
    pt = device.logicalDpiY() / 72
    small = _font(7)
    metrics = QFontMetricsF(small, device)
    line = metrics.height()
    painter.save()
    painter.setFont(small)
    painter.setPen(QColor(PAPER.muted))
    period = f"{page.period[0]:%Y-%m-%d} to {page.period[1]:%Y-%m-%d}"
    owner = f" · plan owner {page.plan_owner}" if page.plan_owner else ""
    head = QRectF(area.left(), area.top(), area.width(), line)
    title = metrics.elidedText(
        f"{page.plan_title} · {period}{owner}", Qt.TextElideMode.ElideRight, head.width() * 0.8
    )
    painter.drawText(head, int(Qt.AlignmentFlag.AlignLeft), title)
    painter.drawText(head, int(Qt.AlignmentFlag.AlignRight), "Account plan")
    rule = head.bottom() + 2 * pt
    painter.setPen(QPen(QColor(PAPER.rule), 0.6 * pt))
    painter.drawLine(QPointF(area.left(), rule), QPointF(area.right(), rule))
    foot = QRectF(area.left(), area.bottom() - line, area.width(), line)
    painter.setPen(QColor(PAPER.muted))
    painter.drawText(foot, int(Qt.AlignmentFlag.AlignLeft), f"Printed {frame.printed:%Y-%m-%d} with tierdesk")
    painter.drawText(foot, int(Qt.AlignmentFlag.AlignRight), f"Page {number} of {frame.total}")
    body = QRectF(area.left(), rule + 8 * pt, area.width(), foot.top() - rule - 14 * pt)
    doc, shrink = fitted_document(page, body.width() / scale, body.height() / scale)
    painter.translate(body.topLeft())
    painter.scale(scale * shrink, scale * shrink)
    doc.document.drawContents(painter)
    painter.restore()
    room = QRectF(body.left(), body.top() + doc.height() * scale * shrink + 10 * pt, body.width(), 0)
    room.setBottom(body.bottom())
    if room.height() > 30 * pt:  # paper left over: lines to write on in the meeting
        _notes_area(painter, room, pt)


def _notes_area(painter: QPainter, area: QRectF, pt: float) -> None:
    painter.save()
    painter.setFont(_font(11, bold=True))
    painter.setPen(QColor(PAPER.accent))
    line = QFontMetricsF(painter.font(), painter.device()).height()
    painter.drawText(
        QRectF(area.left(), area.top(), area.width(), line), int(Qt.AlignmentFlag.AlignLeft), "Notes"
    )
    painter.setPen(QPen(QColor(PAPER.rule), 0.5 * pt))
    y = area.top() + line + 18 * pt
    while y < area.bottom():
        painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
        y += 20 * pt
    painter.restore()
