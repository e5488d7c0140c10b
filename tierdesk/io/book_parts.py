"""Which zip parts hold which sheet, read as the calamine reader finds them, and the workbook's date system.

`sheet_parts` is tierdesk's own tidy view (for previews and notes); `reader_sheet_parts` and
`reader_xlsb_parts` find every part the reader may read for a sheet, leniently, so that the size scan
(scan.check_xlsx_sheet, scan_formats.check_xlsb_sheet) checks each of them.
"""

from __future__ import annotations

import contextlib
import html
import posixpath
import re
import zipfile

import defusedxml.ElementTree as SafeET

from tierdesk.io.parts import ZIP_ERRORS, same_part


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> zip member holding it, from workbook.xml and its relationships (xlsx/xlsm/xlsb)."""
    book = "xl/workbook.xml" if "xl/workbook.xml" in zf.namelist() else "xl/workbook.bin"
    rels_name = posixpath.join(posixpath.dirname(book), "_rels", posixpath.basename(book) + ".rels")
    try:
        rels = SafeET.fromstring(zf.read(rels_name))
    except (KeyError, LookupError, SafeET.ParseError, *ZIP_ERRORS):
        return {}
    targets: dict[str, str] = {}
    for rel in rels.iter():
        if rel.tag.endswith("Relationship") and rel.get("Id") and rel.get("Target"):
            target = rel.get("Target", "")
            if target.startswith("/"):
                part = target.lstrip("/")
            else:
                part = posixpath.normpath(posixpath.join(posixpath.dirname(book), target))
            targets[rel.get("Id", "")] = part
    if book.endswith(".bin"):
        return {}
    try:
        root = SafeET.fromstring(zf.read(book))
    except (KeyError, LookupError, SafeET.ParseError, *ZIP_ERRORS):
        return {}
    parts: dict[str, str] = {}
    for element in root.iter():
        if element.tag.endswith("}sheet"):
            rel_id = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
            name = element.get("name")
            if name is not None and rel_id in targets:
                parts[name] = targets[rel_id]
    return parts


_TAG_ATTRS = rb"""((?:[^>"']|"[^"]*"|'[^']*')*)>"""
_RELATIONSHIP = re.compile(rb"<(?:[^\s<>/!?:]+:)?Relationship\b" + _TAG_ATTRS)
_SHEET_TAG = re.compile(rb"<(?:[^\s<>/!?:]+:)?sheet\b" + _TAG_ATTRS)
_ATTR = re.compile(rb"""([^\s="']+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _attributes(raw: bytes) -> list[tuple[str, str]]:
    return [
        (key.decode("utf-8", "replace"), html.unescape((a or b).decode("utf-8", "replace")))
        for key, a, b in _ATTR.findall(raw)
    ]


def _part_texts(zf: zipfile.ZipFile, name: str, limit: int = 32 << 20) -> list[bytes]:
    texts = []
    for info in same_part(zf, name):
        if info.file_size <= limit:
            with contextlib.suppress(KeyError, LookupError, *ZIP_ERRORS):
                texts.append(zf.read(info))
    return texts


def reader_sheet_parts(zf: zipfile.ZipFile) -> dict[str, set[str]]:
    """Sheet name -> every part the reader may read for it, found as the reader finds them (the workbook's
    folder from the package relationships, the workbook part and its relationships there, targets joined
    without tidying) and as tidy paths too; read leniently, so that where this and the reader differ on a
    doubtful file, the answer holds more parts, not fewer."""
    folders = {"xl/"}
    for text in _part_texts(zf, "_rels/.rels"):
        for raw in _RELATIONSHIP.findall(text):
            named = dict(_attributes(raw))
            target = named.get("Target", "")
            if named.get("Type", "").endswith("/relationships/officeDocument") and "/" in target:
                folders.add(target[: target.rfind("/") + 1].removeprefix("/"))
    found: dict[str, set[str]] = {}
    for folder in folders:
        targets: dict[str, set[str]] = {}
        for text in _part_texts(zf, f"{folder}_rels/workbook.xml.rels"):
            for raw in _RELATIONSHIP.findall(text):
                attrs = _attributes(raw)
                for rel_id in (v for k, v in attrs if k == "Id"):
                    targets.setdefault(rel_id, set()).update(v for k, v in attrs if k == "Target")
        for text in _part_texts(zf, f"{folder}workbook.xml"):
            for raw in _SHEET_TAG.findall(text):
                attrs = _attributes(raw)
                ids = {v for k, v in attrs if k == "id" or k.endswith(":id")}
                parts = found.setdefault(next((v for k, v in attrs if k == "name"), ""), set())
                for target in (t for rel_id in ids for t in targets.get(rel_id, ())):
                    path = target[1:] if target.startswith("/") else folder + target
                    parts.update({path, posixpath.normpath(path)})
    return found


def reader_xlsb_parts(zf: zipfile.ZipFile) -> set[str]:
    """Every part the reader may read as a sheet of an .xlsb: the targets of the relationships that the
    binary workbook part names (its sheet records hold them as length-prefixed UTF-16 text)."""
    books = b"".join(_part_texts(zf, "xl/workbook.bin"))
    parts: set[str] = set()
    for text in _part_texts(zf, "xl/_rels/workbook.bin.rels"):
        for raw in _RELATIONSHIP.findall(text):
            attrs = _attributes(raw)
            ids = [v for k, v in attrs if k == "Id"]
            if any(len(i).to_bytes(4, "little") + i.encode("utf-16-le") in books for i in ids):
                for target in (v for k, v in attrs if k == "Target"):
                    path = "xl/" + target
                    parts.update({path, posixpath.normpath(path), target.removeprefix("/")})
    return parts


def uses_1904_dates(zf: zipfile.ZipFile) -> bool:
    """True for workbooks on the 1904 date system (old Mac Excel): serial 0 is 1904-01-01."""
    try:
        with zf.open("xl/workbook.xml") as fh:
            head = fh.read(65536)
    except (KeyError, *ZIP_ERRORS):
        return False
    match = re.search(rb"""date1904\s*=\s*["'](1|true)["']""", head)
    return match is not None
