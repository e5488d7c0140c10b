"""The planning core and file layer stay free of Qt (napari-style import contracts)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def test_import_linter_contracts_hold() -> None:
    lint = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    if not Path(lint).exists():
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    result = subprocess.run([lint], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken" in result.stdout


def test_domain_and_io_load_without_qt() -> None:
    code = (
        "import sys, pkgutil, importlib, tierdesk.domain, tierdesk.io\n"
        "for pkg in (tierdesk.domain, tierdesk.io):\n"
        "    for m in pkgutil.iter_modules(pkg.__path__):\n"
        "        importlib.import_module(pkg.__name__ + '.' + m.name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"Qt was imported by domain/io: {result.stdout}"


def test_no_module_is_overlong() -> None:
    long = {
        str(p.relative_to(REPO)): n
        for p in (REPO / "tierdesk").rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 650
    }
    assert not long, f"split these modules along a seam: {long}"


def test_qt_code_names_colours_by_role() -> None:
    """Views, dialogs and printed pages take their colours from palette.py (the window's palette from
    theme.py): a hex colour anywhere else in tierdesk/qt is one no theme can reach."""
    allowed = {"views/palette.py", "theme.py"}
    hex_colour = re.compile(r"#[0-9a-fA-F]{6}(?:[0-9a-fA-F]{2})?\b")
    found = {
        str(p.relative_to(REPO)): hits
        for p in (REPO / "tierdesk" / "qt").rglob("*.py")
        if p.relative_to(REPO / "tierdesk" / "qt").as_posix() not in allowed
        and (hits := hex_colour.findall(p.read_text(encoding="utf-8")))
    }
    assert not found, f"name these colours by role in tierdesk/qt/views/palette.py: {found}"
