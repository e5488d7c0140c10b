"""The start-up check for Qt's X11 libraries: a sentence naming the packages, not Qt's misleading error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tierdesk.qt.xcb import debian_package, missing_libraries, uses_xcb, xcb_problem

PLUGIN = Path("/venv/PySide6/Qt/plugins/platforms/libqxcb.so")
FRESH_DEBIAN = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f1b)
\tlibxkbcommon-x11.so.0 => /lib/x86_64-linux-gnu/libxkbcommon-x11.so.0 (0x00007f1b)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f1b)
"""
ALL_THERE = FRESH_DEBIAN.replace("not found", "/lib/x86_64-linux-gnu/lib.so (0x1)")
X11 = {"DISPLAY": ":0"}


def test_missing_libraries_name_the_packages_to_install() -> None:
    message = xcb_problem(X11, PLUGIN, lambda _plugin: FRESH_DEBIAN, "linux")
    assert message is not None
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in message
    assert "libxcb-icccm.so.4" in message and message.count(".") >= 3
    assert "Reinstall" not in message


def test_nothing_to_say_when_every_library_loads() -> None:
    assert xcb_problem(X11, PLUGIN, lambda _plugin: ALL_THERE, "linux") is None


def test_no_check_without_ldd() -> None:
    assert xcb_problem(X11, PLUGIN, lambda _plugin: None, "linux") is None


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        ({"DISPLAY": ":0"}, "linux", True),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0", "QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({}, "linux", False),
        ({"DISPLAY": ":0"}, "darwin", False),
        ({"DISPLAY": ":0"}, "win32", False),
    ],
)
def test_checked_only_when_qt_would_use_x11(env: dict[str, str], platform: str, expected: bool) -> None:
    assert uses_xcb(env, platform) is expected
    calls: list[Path] = []
    xcb_problem(env, PLUGIN, lambda p: calls.append(p) or FRESH_DEBIAN, platform)
    assert bool(calls) is expected


@pytest.mark.parametrize(
    ("soname", "package"),
    [
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
        ("libxcb-cursor.so.0", "libxcb-cursor0"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libxcb-render-util.so.0", "libxcb-render-util0"),
        ("libX11-xcb.so.1", "libx11-xcb1"),
    ],
)
def test_debian_package_names(soname: str, package: str) -> None:
    assert debian_package(soname) == package


def test_ldd_lines_read() -> None:
    missing = ["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert missing_libraries(FRESH_DEBIAN) == missing
