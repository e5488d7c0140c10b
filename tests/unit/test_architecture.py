"""The planning core, the file layer and the workspace stay free of Qt, and every layer imports only from
those below it (napari-style import contracts)."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_import_linter_contracts_hold() -> None:
    """Every contract in pyproject holds: Qt stays out of domain, io and app; qt and cli > app > io > domain;
    the domain's modules keep their layers (a new import cycle, or a module left out of the layers, breaks
    them). Never skipped: import-linter is a test dependency."""
    lint = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    assert Path(lint).exists(), "import-linter is a test dependency: pip install -e '.[test]'"
    result = subprocess.run([lint], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    contracts = (REPO / "pyproject.toml").read_text(encoding="utf-8").count("[[tool.importlinter.contracts]]")
    assert f"Contracts: {contracts} kept, 0 broken" in result.stdout, result.stdout
    assert "the domain's modules are layered KEPT" in result.stdout, result.stdout


#: The packages whose imports inside functions must be deliberate lazy ones.
LAYERED = ("domain", "io", "app", "qt")


def test_imports_inside_functions_are_only_deliberate_lazy_ones() -> None:
    """An import inside a function is a lazy import for start-up speed, and says so (on its line or the line
    above); any other hides a cycle the layers contracts would catch."""
    files = [
        *(p for package in LAYERED for p in (REPO / "tierdesk" / package).rglob("*.py")),
        *(REPO / "tierdesk").glob("cli*.py"),
    ]
    unexplained = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for function in ast.walk(ast.parse(text)):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    said = " ".join(lines[max(0, node.lineno - 2) : node.lineno]).lower()
                    if "lazy" not in said and "start-up" not in said:
                        unexplained.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not unexplained, f"import at the top, or say why it is lazy: {unexplained}"


def test_domain_io_and_app_load_without_qt() -> None:
    code = (
        "import sys, pkgutil, importlib, tierdesk.domain, tierdesk.io, tierdesk.app\n"
        "for pkg in (tierdesk.domain, tierdesk.io, tierdesk.app):\n"
        "    for m in pkgutil.iter_modules(pkg.__path__):\n"
        "        importlib.import_module(pkg.__name__ + '.' + m.name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"Qt was imported by domain/io/app: {result.stdout}"


def test_no_module_or_function_is_overlong() -> None:
    """No module over 500 lines and no function over 80: split along a seam instead."""
    long_modules, long_functions = {}, {}
    for p in (REPO / "tierdesk").rglob("*.py"):
        text = p.read_text(encoding="utf-8")
        name = str(p.relative_to(REPO))
        if (n := len(text.splitlines())) > 500:
            long_modules[name] = n
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 80:
                    long_functions[f"{name}:{node.name}"] = length
    assert not long_modules, f"split these modules along a seam: {long_modules}"
    assert not long_functions, f"split these functions: {long_functions}"


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
