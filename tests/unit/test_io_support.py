"""Builders for the hostile and ordinary files the io tests read (imported by the test_io_* modules)."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

REALDATA = Path(__file__).resolve().parents[3] / "shared" / "realdata"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "io"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="{main}"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{extra}'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
)


def realdata(name: str) -> Path:
    path = REALDATA / name
    if not path.exists():
        pytest.skip(f"../shared/realdata not present: {path} is missing")
    return path


def letters(column: int) -> str:
    out = ""
    while column:
        column, rest = divmod(column - 1, 26)
        out = chr(65 + rest) + out
    return out


def cell_xml(ref: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def rows_xml(rows: Sequence[Sequence[object]], first_row: int = 1) -> str:
    out = []
    for i, row in enumerate(rows):
        r = first_row + i
        cells = "".join(cell_xml(f"{letters(j + 1)}{r}", v) for j, v in enumerate(row))
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out)


def raw_xlsx(
    path: Path,
    rows_markup: str,
    *,
    sheet: str = "Accounts",
    dimension: str = "A1:B2",
    sheet_prolog: str = "",
    workbook_prolog: str = "",
    workbook_extra: str = "",
    main_type: str = XLSX_MAIN,
    extra_parts: dict[str, str | bytes] | None = None,
    drop: Sequence[str] = (),
) -> Path:
    """A minimal workbook written part by part, so any part can be made hostile."""
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": CONTENT_TYPES.format(main=main_type),
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": WORKBOOK.format(prolog=workbook_prolog, extra=workbook_extra, name=sheet),
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": SHEET.format(prolog=sheet_prolog, dimension=dimension, rows=rows_markup),
    }
    parts.update(extra_parts or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            if name not in drop:
                zf.writestr(name, data)
    return path


def accounts_xlsx(path: Path, rows: Sequence[Sequence[object]], **kwargs: object) -> Path:
    return raw_xlsx(path, rows_xml(rows), **kwargs)  # type: ignore[arg-type]


ACCOUNTS = [
    ["Account ID", "Account Name", "Revenue"],
    ["A-001", "Acme GmbH", 1200.5],
    ["A-002", "Beta SA", 300],
    ["A-003", "Gamma Ltd", 45],
]
