"""Names made safe: sheet names Excel accepts and file names every system accepts, unique ignoring case."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from tierdesk.io.excel_cells import visible_text

__all__ = ["file_stem", "sheet_name"]

_SHEET_BAD = re.compile(r"[\\/?*:\[\]\x00-\x1f]")
_FILE_BAD = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid sheet name from any text: at most 31 characters, none of \\ / ? * : [ ], not starting or
    ending with an apostrophe, unique ignoring case among `taken` (which it joins)."""
    name = _SHEET_BAD.sub("_", visible_text(str(text))).strip().strip("'") or "Sheet"
    if name.casefold() == "history":
        name += "_"
    stem, n = name[:31].rstrip(), 1
    name = stem
    while _fold(name) in taken:
        n += 1
        suffix = f" ({n})"
        name = stem[: 31 - len(suffix)].rstrip() + suffix
    taken.add(_fold(name))
    return name


def file_stem(text: str, taken: set[str], max_bytes: int = 120) -> str:
    """A file name (without extension) safe on Windows, macOS and Linux, unique ignoring case among `taken`.
    Long names are cut and given a short hash of the full text, so different long names stay different."""
    stem = _FILE_BAD.sub("_", unicodedata.normalize("NFC", str(text))).strip().rstrip(". ") or "unnamed"
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    if len(stem.encode()) > max_bytes:
        tag = hashlib.sha1(str(text).encode("utf-8", "surrogatepass")).hexdigest()[:8]
        while len(stem.encode()) > max_bytes - 9:
            stem = stem[:-1]
        stem = f"{stem.rstrip('. ')}-{tag}"
    base, n = stem, 1
    while _fold(stem) in taken:
        n += 1
        stem = f"{base} ({n})"
    taken.add(_fold(stem))
    return stem
