"""The app icon and the About dialog: icon sizes, version, and every runtime dependency with its licence."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog

from tierdesk import __version__
from tierdesk.qt.dialogs.about import RUNTIME_DEPENDENCIES, AboutDialog, declared_licence, runtime_versions
from tierdesk.qt.icons import ICON_SIZES, app_icon, app_icon_path, render_svg

EXPECTED_LICENCES = {
    "PySide6-Essentials": "LGPL-3.0",
    "pandas": "BSD-3-Clause",
    "numpy": "BSD-3-Clause",
    "openpyxl": "MIT",
    "pyqtgraph": "MIT",
    "python-calamine": "MIT",
    "defusedxml": "PSF",
    "tomli-w": "MIT",
    "xlsxwriter": "BSD-2-Clause",
    "pypdf": "BSD-3-Clause",
}


def test_icon_svg_is_bundled_with_the_resources() -> None:
    path = app_icon_path()
    assert path.is_file(), path
    assert path.parts[-3:] == ("resources", "icons", "tierdesk.svg")


def test_app_icon_has_every_size(qapp) -> None:
    icon = app_icon()
    assert not icon.isNull()
    sizes = {(s.width(), s.height()) for s in icon.availableSizes()}
    assert {(s, s) for s in ICON_SIZES} <= sizes
    for size in (16, 32, 64, 256):
        pixmap = icon.pixmap(QSize(size, size))
        assert not pixmap.isNull()
        assert pixmap.width() == size


def test_icon_renders_its_colours_even_at_16px(qapp) -> None:
    image = render_svg(app_icon_path(), 16)
    colours = {image.pixelColor(x, y).name(QColor.NameFormat.HexArgb) for x in range(16) for y in range(16)}
    assert len(colours) > 20, "the 16 px icon should not be blank or a single block of colour"
    corner = image.pixelColor(0, 0)
    assert corner.alpha() == 0, "the rounded tile leaves transparent corners"


def test_about_dialog_shows_version_and_every_dependency(qtbot, tmp_path: Path) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)

    assert __version__ in dialog.version_label.text()
    assert "MIT" in " ".join(label.text() for label in dialog.findChildren(type(dialog.version_label)))
    assert {"Python", "Qt", "PySide6", "pandas"} <= set(dialog.versions)

    # The licence table as plain text: one cell per line (package + version, licence, purpose).
    lines = dialog.licences.toPlainText().splitlines()
    assert {dep.name for dep in RUNTIME_DEPENDENCIES} == set(EXPECTED_LICENCES)
    for name, licence in EXPECTED_LICENCES.items():
        row = next((i for i, line in enumerate(lines) if line.startswith(f"{name} ")), None)
        assert row is not None, f"{name} is not listed in the third-party licences"
        assert "not installed" not in lines[row], lines[row]
        assert licence in lines[row + 1], (name, lines[row + 1])

    assert not dialog.grab().isNull()
    assert dialog.grab().save(str(tmp_path / "about.png"))


def test_declared_licence_reads_metadata_and_falls_back() -> None:
    deps = {dep.name: dep for dep in RUNTIME_DEPENDENCIES}
    assert declared_licence(deps["xlsxwriter"]) == "BSD-2-Clause"
    assert "LGPL-3.0" in declared_licence(deps["PySide6-Essentials"])
    missing = type(deps["pandas"])("surely-not-installed-pkg", "Zlib", "nothing", "surely_not_installed_pkg")
    assert declared_licence(missing) == "Zlib"


@pytest.mark.parametrize("key", ["Python", "Qt", "PySide6", "pandas"])
def test_runtime_versions_are_filled(qapp, key: str) -> None:
    assert runtime_versions()[key][0].isdigit()


def test_close_button_closes(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.close_button.click()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert not dialog.isVisible()


def test_without_x11_libraries_the_app_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`tierdesk --sample` on a desktop that lacks Qt's X11 libraries: one sentence and exit code 2."""
    from tierdesk.qt import app, xcb

    missing = "\tlibxcb-cursor.so.0 => not found\n\tlibxcb-keysyms.so.1 => not found\n"
    monkeypatch.setattr(xcb, "run_ldd", lambda _plugin: missing)
    monkeypatch.setattr(xcb.sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")

    def no_window(*_a: object, **_k: object) -> None:
        raise AssertionError("the window was about to open")

    monkeypatch.setattr(app, "make_application", no_window)
    assert app.run_gui(None, sample=True) == 2
    err = capsys.readouterr().err
    assert "sudo apt install libxcb-cursor0 libxcb-keysyms1" in err and err.count("\n") == 1
