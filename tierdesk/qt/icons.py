"""The application icon, drawn from the bundled SVG at every size a platform asks for."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from tierdesk.paths import resource

log = logging.getLogger(__name__)

#: Sizes rendered into the icon: title bars and menus (16-24), taskbars and docks (32-64),
#: file managers and alt-tab (128-256). HiDPI screens pick the larger ones automatically.
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def app_icon_path() -> Path:
    return resource("icons", "tierdesk.svg")


def render_svg(path: Path, size: int) -> QImage:
    """One square, transparent, antialiased rendering of an SVG (a null image if it cannot be read)."""
    renderer = QSvgRenderer(str(path))
    if not renderer.isValid():
        return QImage()
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


@functools.cache
def app_icon() -> QIcon:
    """The tierdesk icon with a pixmap per size in ICON_SIZES (needs a QGuiApplication).

    Drawn with QSvgRenderer rather than `QIcon(path)`, so it does not depend on Qt's SVG
    icon-engine plugin being present in a frozen build.
    """
    path = app_icon_path()
    icon = QIcon()
    for size in ICON_SIZES:
        image = render_svg(path, size)
        if image.isNull():
            log.warning("app icon %s could not be rendered", path)
            return QIcon()
        icon.addPixmap(QPixmap.fromImage(image))
    return icon
