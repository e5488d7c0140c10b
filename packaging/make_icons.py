"""Render the app icon SVG to PNGs (PySide6's QtSvg) and, if Pillow is installed, to .ico and .icns.

    python packaging/make_icons.py [--out DIR] [--sizes 16,32,...] [--sheet PREVIEW.png]

Only PySide6 is needed for the PNGs. Pillow (build venv only, never a runtime dependency) adds
tierdesk.ico (Windows: 16-256 px in one file) and tierdesk.icns (macOS).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

REPO = Path(__file__).resolve().parent.parent
SVG = REPO / "resources" / "icons" / "tierdesk.svg"
DEFAULT_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)


def render(svg: Path, size: int) -> QImage:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {svg} is not a valid SVG for QtSvg")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def contact_sheet(images: dict[int, QImage], out: Path, zoom_small: int = 8) -> None:
    """Every size at 1:1 on light and dark backgrounds, plus the small ones magnified (pixel-exact)."""
    small = [s for s in images if s <= 32]
    pad = 16
    width = pad + sum(s + pad for s in images if s <= 256) + sum(s * zoom_small + pad for s in small)
    height = pad * 3 + 2 * 256
    sheet = QImage(width, height, QImage.Format.Format_ARGB32)
    sheet.fill(QColor("#F4F4F4"))
    painter = QPainter(sheet)
    painter.fillRect(0, height // 2, width, height // 2, QColor("#202124"))
    for row_y in (pad, height // 2 + pad // 2):
        x = pad
        for size, image in images.items():
            if size > 256:
                continue
            painter.drawImage(x, row_y, image)
            x += size + pad
        for size in small:
            painter.drawImage(QRectF(x, row_y, size * zoom_small, size * zoom_small), images[size])
            x += size * zoom_small + pad
    painter.end()
    sheet.save(str(out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--svg", type=Path, default=SVG)
    parser.add_argument("--out", type=Path, default=REPO / "packaging" / "build" / "icons")
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    parser.add_argument("--sheet", type=Path, help="also save a preview contact sheet here")
    parser.add_argument("--no-ico-icns", action="store_true", help="PNGs only, even if Pillow is installed")
    args = parser.parse_args(argv)

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    args.out.mkdir(parents=True, exist_ok=True)
    images: dict[int, QImage] = {}
    for size in sizes:
        images[size] = render(args.svg, size)
        path = args.out / f"tierdesk-{size}.png"
        if not images[size].save(str(path)):
            raise SystemExit(f"make_icons: could not write {path}")
    print(f"make_icons: PNGs {', '.join(map(str, sizes))} px -> {args.out}")
    if args.sheet:
        contact_sheet(images, args.sheet)
        print(f"make_icons: preview sheet -> {args.sheet}")
    if args.no_ico_icns:
        return 0
    try:
        from PIL import Image
    except ImportError:
        print("make_icons: Pillow not installed: skipping .ico/.icns (pip install pillow in the build venv)")
        return 0
    biggest = Image.open(args.out / f"tierdesk-{max(sizes)}.png").convert("RGBA")
    ico_sizes = [(s, s) for s in (16, 24, 32, 48, 64, 128, 256) if s <= max(sizes)]
    # Each .ico frame is drawn by QtSvg at its own size (crisper than Pillow downscaling the big one).
    frames = [Image.open(args.out / f"tierdesk-{s}.png").convert("RGBA") for s, _ in ico_sizes if s in sizes]
    frames[-1].save(args.out / "tierdesk.ico", format="ICO", sizes=ico_sizes, append_images=frames[:-1])
    biggest.save(args.out / "tierdesk.icns", format="ICNS")
    print(f"make_icons: tierdesk.ico ({len(ico_sizes)} sizes) and tierdesk.icns -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
