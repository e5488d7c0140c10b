"""Tell what a file really is from its bytes, and refuse empty, locked, damaged or hostile ones early."""

from __future__ import annotations

import codecs
import os
import stat
import struct
import zipfile
from pathlib import Path

from tierdesk.io.errors import ReadError, one_line
from tierdesk.io.parts import ZIP_ERRORS, over_budget, part_budget

KINDS = ("xlsx", "xlsm", "xlsb", "xls", "ods", "csv")

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: A real workbook never unpacks to more than this in total ...
MAX_UNPACKED_BYTES = 3 * 1024**3
#: ... nor packs one large part more tightly than this (real sheets pack 5 to 30 times; deflate tops out
#: near 1,030:1 on junk) ...
MAX_PACK_RATIO = 100
RATIO_CHECK_FROM_BYTES = 8 * 1024**2
#: ... nor holds more parts than this (one sheet takes a few).
MAX_PARTS = 50_000

TEXT_SUFFIXES = {".csv", ".txt", ".tsv", ".tab", ".dat"}
STRICT_NAMESPACE = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
RESAVE_AS_XLSX = "Open it in Excel and save it as 'Excel Workbook (*.xlsx)', then load that copy."


def sniff(path: str | Path) -> str:
    """The real kind of the file: 'xlsx', 'xlsm', 'xlsb', 'xls', 'ods' or 'csv'; ReadError otherwise."""
    path = Path(path)
    name = path.name
    try:
        size = regular_file(path).st_size
        with path.open("rb") as fh:
            head = fh.read(65536)
    except FileNotFoundError:
        raise ReadError(f"{name} was not found (moved, renamed or deleted?).", file=path) from None
    except IsADirectoryError:
        raise ReadError(f"{name} is a folder, not a file.", file=path) from None
    except OSError as exc:
        raise ReadError(f"{name} cannot be opened: {exc.strerror or exc}.", file=path) from None
    if size == 0 or not head:
        raise ReadError(
            f"{name} is empty (0 bytes). If it is still downloading or syncing, wait and try again.",
            file=path,
        )
    if head.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        return _zip_kind(path)
    if head.startswith(OLE_MAGIC):
        return _ole_kind(path)
    return _text_kind(path, head)


def regular_file(path: Path) -> os.stat_result:
    """The file's status; ReadError for a folder, a pipe or a device, which reading would never finish
    (a pipe waits for a writer, /dev/zero never ends). Checked before the file is opened."""
    info = path.stat()
    if stat.S_ISDIR(info.st_mode):
        raise ReadError(f"{path.name} is a folder, not a file.", file=path)
    if not stat.S_ISREG(info.st_mode):
        what = (
            "a pipe"
            if stat.S_ISFIFO(info.st_mode)
            else "a socket"
            if stat.S_ISSOCK(info.st_mode)
            else "a device"
        )
        raise ReadError(f"{path.name} is {what}, not a file: tierdesk reads only files.", file=path)
    return info


def is_regular_file(path: str | Path) -> bool:
    try:
        return stat.S_ISREG(Path(path).stat().st_mode)
    except (OSError, ValueError):
        return False


def open_zip(path: Path) -> zipfile.ZipFile:
    """The workbook's zip, refused if damaged or if its declared sizes betray a zip bomb."""
    try:
        regular_file(path)
        zf = zipfile.ZipFile(path)
    except ReadError:
        raise
    except ZIP_ERRORS:
        raise ReadError(
            f"{path.name} is damaged or incomplete (still downloading or syncing?). "
            "Wait until it is fully copied, or ask for the file again.",
            file=path,
        ) from None
    check_zip_sizes(zf, path)
    return zf


def check_zip_sizes(zf: zipfile.ZipFile, path: Path) -> None:
    """Refuse a zip bomb from the sizes its directory declares, before anything is unpacked (unpacking then
    checks that no part gives more than it declares)."""
    total = 0
    infos = zf.infolist()
    if len(infos) > MAX_PARTS:
        raise ReadError(
            f"{path.name} is refused: it holds {len(infos):,} parts, far more than a workbook has. The "
            "file is damaged or was made to attack spreadsheet readers.",
            file=path,
        )
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if over_budget(info) or (info.file_size >= RATIO_CHECK_FROM_BYTES and ratio > MAX_PACK_RATIO):
            how = (
                f"more than such a part ever holds ({_mb(part_budget(info.filename))})"
                if over_budget(info)
                else f"from {_mb(info.compress_size)} ({ratio:,.0f} times smaller), which no real workbook "
                "does"
            )
            raise ReadError(
                f"{path.name} is refused: its part '{one_line(info.filename)}' unpacks to "
                f"{_mb(info.file_size)} {how}. The file is damaged or was made to attack spreadsheet "
                "readers.",
                file=path,
            )
    if total > MAX_UNPACKED_BYTES:
        raise ReadError(
            f"{path.name} is refused: it unpacks to {_mb(total)}, more than tierdesk reads "
            f"({_mb(MAX_UNPACKED_BYTES)}). Split the workbook or remove unused sheets.",
            file=path,
        )


def is_strict_ooxml(zf: zipfile.ZipFile) -> bool:
    try:
        with zf.open("xl/workbook.xml") as fh:
            return STRICT_NAMESPACE in fh.read(4096)
    except (KeyError, *ZIP_ERRORS):
        return False


def _zip_kind(path: Path) -> str:
    with open_zip(path) as zf:
        names = set(zf.namelist())
        if "xl/workbook.xml" in names:
            types = _read_small(zf, "[Content_Types].xml")
            return "xlsm" if b"macroEnabled" in types else "xlsx"
        if "xl/workbook.bin" in names:
            return "xlsb"
        if "mimetype" in names:
            mimetype = _read_small(zf, "mimetype").strip()
            if mimetype == b"application/vnd.oasis.opendocument.spreadsheet":
                return "ods"
            what = {
                b"application/vnd.oasis.opendocument.text": "a text document (OpenDocument .odt)",
                b"application/vnd.oasis.opendocument.presentation": "a presentation (OpenDocument .odp)",
            }.get(mimetype, "an OpenDocument file that is not a spreadsheet")
            raise ReadError(f"{path.name} is {what}, not a workbook.", file=path)
        if any(n.startswith("word/") for n in names):
            raise ReadError(f"{path.name} is a Word document, not a workbook.", file=path)
        if any(n.startswith("ppt/") for n in names):
            raise ReadError(f"{path.name} is a PowerPoint presentation, not a workbook.", file=path)
        if any(n.startswith("xl/") for n in names):
            raise ReadError(
                f"{path.name} is damaged: its workbook part (xl/workbook.xml) is missing. "
                "Let Excel repair it (File › Open › Open and Repair), or ask for the file again.",
                file=path,
            )
        raise ReadError(
            f"{path.name} is a zip archive, not a workbook. Unzip it and open the workbook inside.", file=path
        )


def _read_small(zf: zipfile.ZipFile, name: str, limit: int = 1 << 20) -> bytes:
    try:
        with zf.open(name) as fh:
            return fh.read(limit)
    except (KeyError, *ZIP_ERRORS):
        return b""


# --- OLE compound files: legacy .xls, or an encrypted (password-protected) workbook of any kind ----------

FREE_SECTOR = 0xFFFFFFFF
END_OF_CHAIN = 0xFFFFFFFE


def _ole_kind(path: Path) -> str:
    names = ole_stream_names(path)
    if names is None:
        raise ReadError(
            f"{path.name} is damaged or incomplete (still downloading or syncing?). "
            "Wait until it is fully copied, or ask for the file again.",
            file=path,
        )
    if {"EncryptedPackage", "EncryptionInfo"} & names:
        raise ReadError(
            f"{path.name} is password-protected: remove the password in Excel and try again "
            "(File › Info › Protect Workbook › Encrypt with Password, clear it, save).",
            file=path,
        )
    if {"Workbook", "Book"} & names:
        return "xls"
    if "WordDocument" in names:
        raise ReadError(f"{path.name} is a Word document (.doc), not a workbook.", file=path)
    if "PowerPoint Document" in names:
        raise ReadError(f"{path.name} is a PowerPoint presentation (.ppt), not a workbook.", file=path)
    raise ReadError(f"{path.name} is an Office file that holds no workbook.", file=path)


def ole_stream_names(path: Path) -> set[str] | None:
    """Names in an OLE compound file's directory, or None if its structure is broken."""
    try:
        with path.open("rb") as fh:
            header = fh.read(512)
            if len(header) < 512:
                return None
            shift = struct.unpack_from("<H", header, 30)[0]
            if shift not in (9, 12):
                return None
            sector = 1 << shift
            first_dir = struct.unpack_from("<I", header, 48)[0]
            fat_sectors = [s for s in struct.unpack_from("<109I", header, 76) if s < END_OF_CHAIN]
            next_difat, n_difat = struct.unpack_from("<II", header, 68)
            per_sector = sector // 4

            def read_sector(index: int) -> bytes:
                fh.seek((index + 1) * sector)
                return fh.read(sector)

            for _ in range(min(n_difat, 10_000)):
                if next_difat >= END_OF_CHAIN:
                    break
                entries = struct.unpack(f"<{per_sector}I", read_sector(next_difat).ljust(sector, b"\xff"))
                fat_sectors.extend(s for s in entries[:-1] if s < END_OF_CHAIN)
                next_difat = entries[-1]

            def next_sector(index: int) -> int:
                fat_index, slot = divmod(index, per_sector)
                if fat_index >= len(fat_sectors):
                    return END_OF_CHAIN
                data = read_sector(fat_sectors[fat_index]).ljust(sector, b"\xff")
                return int(struct.unpack_from("<I", data, slot * 4)[0])

            names: set[str] = set()
            current, seen = first_dir, set[int]()
            while current < END_OF_CHAIN and current not in seen and len(seen) < 100_000:
                seen.add(current)
                data = read_sector(current)
                for off in range(0, len(data) - 127, 128):
                    length = struct.unpack_from("<H", data, off + 64)[0]
                    if 2 <= length <= 64 and data[off + 66] in (1, 2, 5):
                        names.add(data[off : off + length - 2].decode("utf-16-le", "replace"))
                current = next_sector(current)
            return names or None
    except (OSError, struct.error):
        return None


# --- text: CSV, or something renamed ---------------------------------------------------------------------


def _text_kind(path: Path, head: bytes) -> str:
    name = path.name
    if head.startswith(b"%PDF"):
        raise ReadError(
            f"{name} is a PDF document, not a workbook. Export the table to Excel or CSV first.", file=path
        )
    if head.startswith(b"{\\rtf"):
        raise ReadError(f"{name} is a rich-text (RTF) document, not a workbook.", file=path)
    text = decode_head(head)
    if text is None:
        raise ReadError(
            f"{name} is not a workbook or a CSV file: its contents are in a format tierdesk cannot read.",
            file=path,
        )
    lead = text.lstrip("\ufeff \t\r\n").lower()
    if lead.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in lead[:4096]:
        raise ReadError(f"{name} is an 'XML Spreadsheet 2003' file. {RESAVE_AS_XLSX}", file=path)
    if lead.startswith(("<!doctype html", "<html", "<table", "<head", "<meta")) or "<html" in lead[:2048]:
        raise ReadError(
            f"{name} is a web page (HTML) with a spreadsheet name, not a real workbook. {RESAVE_AS_XLSX}",
            file=path,
        )
    if lead.startswith("<?xml") or lead.startswith("<"):
        raise ReadError(f"{name} is an XML file, not a workbook or a CSV table.", file=path)
    if path.suffix.lower() in TEXT_SUFFIXES or looks_tabular(text):
        return "csv"
    raise ReadError(
        f"{name} contains plain text, not a workbook or a table with columns "
        "(no commas, semicolons or tabs separate its values).",
        file=path,
    )


def decode_head(head: bytes) -> str | None:
    """The first bytes as text, or None if they are binary."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head.decode("utf-16", "replace")
    sample = head[:8192]
    if b"\x00" in sample:
        return None
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if controls > len(sample) // 100:
        return None
    return sample.decode("utf-8", "replace")


def looks_tabular(text: str) -> bool:
    """Most of the first lines are split into the same number (>1) of fields by one delimiter."""
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    if len(lines) < 2:
        return bool(lines) and any(d in lines[0] for d in ",;\t|")
    for delim in (",", ";", "\t", "|"):
        counts = [ln.count(delim) for ln in lines]
        common = max(set(counts), key=counts.count)
        if common > 0 and counts.count(common) >= 0.6 * len(counts):
            return True
    return False


def _mb(n: int) -> str:
    if n >= 1024**3:
        return f"{n / 1024**3:,.1f} GB"
    if n >= 1024**2:
        return f"{n / 1024**2:,.1f} MB"
    return f"{max(n, 1) / 1024:,.1f} KB"
