"""The planning core and file layer stay free of Qt, and the domain stays layered (napari-style import
contracts)."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_import_linter_contracts_hold() -> None:
    """Every contract in pyproject holds: Qt stays out of domain and io, and the domain's modules keep their
    layers (a new import cycle, or a module left out of the layers, breaks them). Never skipped:
    import-linter is a test dependency."""
    lint = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    assert Path(lint).exists(), "import-linter is a test dependency: pip install -e '.[test]'"
    result = subprocess.run([lint], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"Contracts: \d+ kept, 0 broken", result.stdout), result.stdout
    assert "the domain's modules are layered KEPT" in result.stdout, result.stdout


#: Imports inside functions that stay, each for a reason: (module, imported module).
LATE_IMPORTS: set[tuple[str, str]] = set()  # none: a late import that dodges a cycle is a cycle


def test_domain_imports_at_the_top() -> None:
    """An import inside a function that dodges a cycle is a cycle: the domain imports at module level (a lazy
    import for start-up speed says so in a comment on its line)."""
    late = set()
    for path in (REPO / "tierdesk" / "domain").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    comment = lines[inner.lineno - 1].partition("#")[2].lower()
                    if "start-up" in comment or "startup" in comment:
                        continue
                    names = (
                        [inner.module or ""]
                        if isinstance(inner, ast.ImportFrom)
                        else [a.name for a in inner.names]
                    )
                    late.update((str(path.relative_to(REPO)), n) for n in names)
    assert late <= LATE_IMPORTS, f"import these at the top of the module: {sorted(late - LATE_IMPORTS)}"


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
