"""Before the window opens on Linux: can Qt's X11 platform plugin (xcb) load its system libraries?

When it cannot, Qt stops with "Could not load the Qt platform plugin "xcb" … Reinstalling the application
may fix this problem", which sends people the wrong way: what a fresh desktop lacks is a few X11 libraries
(libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1 …). This asks the dynamic loader (ldd) which of the
plugin's libraries do not resolve and names the packages to install. It imports nothing from Qt.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

#: what a fresh Debian or Ubuntu desktop most often lacks, named when ldd cannot tell
USUAL_PACKAGES = ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1")
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)


def uses_xcb(env: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Qt will open its window through X11: Linux, a DISPLAY, and no other platform plugin asked for."""
    if not platform.startswith("linux") or not env.get("DISPLAY"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    if chosen:
        return chosen == "xcb"
    return not env.get("WAYLAND_DISPLAY")  # on a Wayland session Qt may use its Wayland plugin


def xcb_plugin() -> Path | None:
    # lazy on purpose, and the package only (its location), not a Qt module: this check runs before Qt loads
    import PySide6

    path = Path(PySide6.__file__).resolve().parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return path if path.exists() else None


def missing_libraries(ldd_output: str) -> list[str]:
    """The libraries ldd could not find ("libxcb-icccm.so.4 => not found")."""
    return sorted(set(_NOT_FOUND.findall(ldd_output)))


def debian_package(soname: str) -> str:
    """Debian's name for the package of a library: libxcb-icccm.so.4 → libxcb-icccm4,
    libxkbcommon-x11.so.0 → libxkbcommon-x11-0 (a hyphen when the name ends in a digit; lower case)."""
    name, _, version = soname.lower().partition(".so.")
    version = version.split(".")[0]
    if not version:
        return name
    return f"{name}-{version}" if name[-1:].isdigit() else f"{name}{version}"


def run_ldd(plugin: Path) -> str | None:
    ldd = shutil.which("ldd")
    if ldd is None:
        return None
    try:
        done = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout


def xcb_problem(
    env: Mapping[str, str] | None = None,
    plugin: Path | None = None,
    ldd: Callable[[Path], str | None] | None = None,
    platform: str | None = None,
) -> str | None:
    """One sentence for the planner when the window cannot open for want of X11 libraries, else None.
    (Defaults: this process's environment, PySide6's plugin, the system's ldd, this platform.)"""
    if not uses_xcb(os.environ if env is None else env, platform or sys.platform):
        return None
    plugin = plugin or xcb_plugin()
    if plugin is None:
        return None
    output = (ldd or run_ldd)(plugin)
    if output is None:  # no ldd: Qt will say what it says
        return None
    missing = missing_libraries(output)
    if not missing:
        return None
    packages = " ".join(dict.fromkeys(debian_package(m) for m in missing)) or " ".join(USUAL_PACKAGES)
    return (
        f"tierdesk cannot open its window: Qt's X11 support needs {', '.join(missing)}, which this system "
        f"lacks; install them with `sudo apt install {packages}` (Debian, Ubuntu) and start tierdesk again."
    )
