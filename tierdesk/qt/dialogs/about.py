"""Help ▸ About: what this is, which versions it runs on, and the licences of what it ships with."""

from __future__ import annotations

import html
import platform
from dataclasses import dataclass
from importlib import metadata

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tierdesk import __version__
from tierdesk.qt.icons import app_icon

DESCRIPTION = (
    "Territory planning for B2B sales: tier pyramid, 2x2 persona matrix and coverage cost "
    "from your own Excel files."
)
LICENCE = "MIT"
_QT_LICENCE = "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only"


@dataclass(frozen=True)
class Dependency:
    name: str  # the distribution name, as pip knows it
    licence: str  # what the package declares; used when its metadata cannot be read (e.g. a frozen build)
    purpose: str
    module: str  # importable module, for the version when metadata is missing


#: What tierdesk needs at run time (pyproject.toml [project] dependencies), then what those pull in.
RUNTIME_DEPENDENCIES: tuple[Dependency, ...] = (
    Dependency("PySide6-Essentials", _QT_LICENCE, "Qt for Python: the user interface", "PySide6"),
    Dependency("pandas", "BSD-3-Clause", "tables and calculations", "pandas"),
    Dependency("numpy", "BSD-3-Clause", "numerical arrays", "numpy"),
    Dependency("openpyxl", "MIT", "reading and writing Excel workbooks", "openpyxl"),
    Dependency("pyqtgraph", "MIT", "fast charts", "pyqtgraph"),
    Dependency("python-calamine", "MIT", "fast spreadsheet reading", "python_calamine"),
    Dependency("defusedxml", "PSF-2.0", "safe XML parsing", "defusedxml"),
    Dependency("tomli-w", "MIT", "writing playbooks (TOML)", "tomli_w"),
    Dependency("xlsxwriter", "BSD-2-Clause", "writing plan workbooks", "xlsxwriter"),
    Dependency("pypdf", "BSD-3-Clause", "bookmarks in one-page-plan PDFs", "pypdf"),
)
BUNDLED_DEPENDENCIES: tuple[Dependency, ...] = (
    Dependency("shiboken6", _QT_LICENCE, "PySide6's binding runtime", "shiboken6"),
    Dependency("et_xmlfile", "MIT", "used by openpyxl", "et_xmlfile"),
    Dependency("python-dateutil", "BSD-3-Clause", "used by pandas", "dateutil"),
    Dependency("tzdata", "Apache-2.0", "time zones, used by pandas", "tzdata"),
)

_CLASSIFIER_SPDX = {
    "MIT License": "MIT",
    "BSD License": "BSD",
    "Apache Software License": "Apache-2.0",
    "Python Software Foundation License": "PSF-2.0",
    "GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0",
}
_SHORT_NAMES = {"PSFL": "PSF-2.0", "MIT License": "MIT", "Apache 2.0": "Apache-2.0"}


def installed_version(dep: Dependency) -> str | None:
    try:
        return metadata.version(dep.name)
    except metadata.PackageNotFoundError:
        pass
    try:
        module = __import__(dep.module)
    except ImportError:
        return None
    return getattr(module, "__version__", None) or "installed"


def _first(values: list[str] | None) -> str:
    """The first value of a metadata field, stripped ("" when the field is absent)."""
    return str(values[0]).strip() if values else ""


def declared_licence(dep: Dependency) -> str:
    """The licence as the installed package declares it (SPDX expression, License field or classifier)."""
    try:
        meta = metadata.metadata(dep.name)
    except metadata.PackageNotFoundError:
        return dep.licence
    expression = _first(meta.get_all("License-Expression"))
    if expression:
        return expression
    field = _first(meta.get_all("License"))
    if field and "\n" not in field and len(field) <= 80:
        return _SHORT_NAMES.get(field, field)
    for classifier in meta.get_all("Classifier") or []:
        if classifier.startswith("License :: "):
            name = classifier.rsplit(" :: ", 1)[-1]
            return _CLASSIFIER_SPDX.get(name, name)
    return dep.licence


def runtime_versions() -> dict[str, str]:
    pandas_version = installed_version(RUNTIME_DEPENDENCIES[1]) or "not installed"
    return {
        "Python": f"{platform.python_version()} ({platform.python_implementation()}, {platform.machine()})",
        "Qt": qVersion(),
        "PySide6": PySide6.__version__,
        "pandas": pandas_version,
        "OS": platform.platform(terse=True),
    }


def licences_html() -> str:
    rows = []
    sections = (("Runtime dependencies", RUNTIME_DEPENDENCIES), ("Installed with them", BUNDLED_DEPENDENCIES))
    for title, deps in sections:
        rows.append(f"<tr><td colspan='3'><b>{title}</b></td></tr>")
        for dep in deps:
            version = installed_version(dep)
            rows.append(
                "<tr>"
                f"<td>{html.escape(dep.name)}&nbsp;{html.escape(version or '(not installed)')}</td>"
                f"<td>{html.escape(declared_licence(dep))}</td>"
                f"<td>{html.escape(dep.purpose)}</td>"
                "</tr>"
            )
    return (
        "<p>tierdesk is distributed under the MIT licence. It is built on these open-source packages, "
        "each under its own licence; their licence texts ship in their package metadata.</p>"
        "<table cellspacing='0' cellpadding='3' width='100%'>"
        "<tr><th align='left'>Package</th><th align='left'>Licence</th><th align='left'>Used for</th></tr>"
        + "".join(rows)
        + "</table>"
        "<p>Qt is used under the GNU LGPL version 3 via PySide6 (Qt for Python, The Qt Company); Qt's and "
        "PySide6's source code is available from the Qt Project. You may replace the Qt libraries that ship "
        "with tierdesk with your own build of the same version. Python itself is under the PSF License.</p>"
    )


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About tierdesk")
        self.setWindowIcon(app_icon())

        icon = QLabel(self)
        icon.setPixmap(app_icon().pixmap(96, 96))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        name = QLabel("tierdesk", self)
        title_font = QFont(name.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.8)
        title_font.setBold(True)
        name.setFont(title_font)
        self.version_label = QLabel(f"Version {__version__}", self)
        description = QLabel(DESCRIPTION, self)
        description.setWordWrap(True)
        licence = QLabel(f"Licence: {LICENCE} · © tierdesk developers", self)

        versions = QGridLayout()
        versions.setHorizontalSpacing(12)
        versions.setVerticalSpacing(2)
        self.versions = runtime_versions()
        for row, (key, value) in enumerate(self.versions.items()):
            label = QLabel(f"{key}:", self)
            value_label = QLabel(value, self)
            value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            versions.addWidget(label, row, 0)
            versions.addWidget(value_label, row, 1)
        versions.setColumnStretch(1, 1)

        text = QVBoxLayout()
        text.addWidget(name)
        text.addWidget(self.version_label)
        text.addWidget(description)
        text.addWidget(licence)
        text.addSpacing(6)
        text.addLayout(versions)
        header = QHBoxLayout()
        header.addWidget(icon)
        header.addSpacing(12)
        header.addLayout(text, 1)

        heading = QLabel("<b>Third-party licences</b>", self)
        self.licences = QTextBrowser(self)
        self.licences.setOpenExternalLinks(False)
        self.licences.setHtml(licences_html())
        self.licences.setMinimumHeight(200)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(self.licences, 1)
        layout.addWidget(buttons)
        self.resize(640, 560)
