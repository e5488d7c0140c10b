"""A workbook's zip parts unpacked under a budget: each part may unpack to no more than its kind allows and
no more than the zip declares, checked while inflating, so no part can flood memory or time.

Sheets are checked (unpacked once, streaming) when they are read; every other part a reader may parse is
checked when the workbook is opened (`verify_parts`).
"""

from __future__ import annotations

import queue
import re
import struct
import threading
import types
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

from tierdesk.io.errors import ReadError, Steps, one_line

_inflater: types.ModuleType
try:  # ISA-L inflates deflate data (the same format) in 2.5x less time than zlib; zlib where it is missing
    from isal import isal_zlib as _inflater
except ImportError:  # pragma: no cover - isal is a dependency; only a platform without its wheel lacks it
    _inflater = zlib

#: Largest a sheet may unpack to (a sheet of a million rows of 40 columns is about 2 GB of XML) ...
SHEET_PART_BYTES = 3 * 1024**3
#: ... the table of shared texts ...
STRINGS_PART_BYTES = 1024**3
#: ... the parts that list the workbook's structure, which readers parse whole into memory (relationships,
#: content types, the workbook part with its sheets and names): kilobytes in real workbooks ...
STRUCTURE_PART_BYTES = 32 * 1024**2
_STRUCTURE = re.compile(r"(?i)(\.rels|^\[Content_Types\]\.xml|(^|/)workbook\.(xml|bin))$")
#: ... and any other part a reader parses (styles, drawings, comments): a few MB in real workbooks.
OTHER_PART_BYTES = 256 * 1024**2
#: Parts a reader never parses (pictures, embedded files, macros) may be large; they are never unpacked.
_BINARY = re.compile(
    r"(?i)\.(png|jpe?g|gif|bmp|tiff?|emf|wmf|svg|wdp|bin|ole|docx?|pptx?|xlsx?|pdf|mp4|wav)$"
)
_SHEET = re.compile(
    r"(?i)((^|/)(worksheets|chartsheets|dialogsheets|macrosheets)/[^/]+\.(xml|bin)|^content\.xml)$"
)
_STRINGS = re.compile(r"(?i)(^|/)sharedStrings\.(xml|bin)$")

CHUNK = 1 << 20
#: Parts larger than this unpack on a helper thread, ahead of their scan (smaller ones are not worth one).
AHEAD_BYTES = 4 * CHUNK
#: A shared-strings table may declare at most this many more strings than it holds (readers reserve room for
#: the declared count up front: four billion made one try to allocate 96 GB).
SPARE_STRINGS = 1_000_000

T = TypeVar("T")

ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
    ValueError,
)


def is_sheet(name: str) -> bool:
    return _SHEET.search(name) is not None


def is_parsed(name: str) -> bool:
    """Whether some reader may parse this part (every part but pictures, embedded files and macros)."""
    if name.endswith("/"):
        return False
    return (
        _BINARY.search(name) is None
        or is_sheet(name)
        or _STRINGS.search(name) is not None
        or (name.lower().endswith(("workbook.bin", "styles.bin")))
    )


def part_budget(name: str) -> int:
    """The most this part may unpack to."""
    if is_sheet(name) or not is_parsed(name):
        return SHEET_PART_BYTES
    if _STRINGS.search(name):
        return STRINGS_PART_BYTES
    if _STRUCTURE.search(name):
        return STRUCTURE_PART_BYTES
    return OTHER_PART_BYTES


def over_budget(info: zipfile.ZipInfo) -> bool:
    return info.file_size > part_budget(info.filename)


def unpacked(path: Path, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part's bytes, inflated straight from the file; never more than the zip declares (checked while
    inflating, not trusted), and the declared size and checksum must match at the end."""
    if over_budget(info):
        raise zipfile.BadZipFile("larger than any real workbook part")
    with path.open("rb") as fh:
        fh.seek(info.header_offset)
        header = fh.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile("bad local header")
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        fh.seek(info.header_offset + 30 + name_len + extra_len)
        left = info.compress_size
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 1:
            raise zipfile.BadZipFile("unsupported packing")
        inflate = _inflater.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
        crc = size = 0
        while left > 0 or (inflate is not None and inflate.unconsumed_tail):
            if inflate is not None and inflate.unconsumed_tail:
                packed = inflate.unconsumed_tail
            else:
                packed = fh.read(min(left, CHUNK // 4))
                if not packed:
                    raise EOFError
                left -= len(packed)
            try:
                piece = inflate.decompress(packed, CHUNK) if inflate is not None else packed
            except _inflater.error as exc:  # ISA-L's own error: told as zlib's
                raise zlib.error(str(exc)) from None
            if inflate is not None and not piece and (inflate.eof or inflate.unconsumed_tail == packed):
                break  # the packed data ends, or goes nowhere (garbled): the size check below tells
            size += len(piece)
            if size > info.file_size:
                raise zipfile.BadZipFile("unpacks to more than declared")
            crc = _inflater.crc32(piece, crc)
            if piece:
                yield piece
        if size != info.file_size or crc != info.CRC:
            raise zipfile.BadZipFile("Bad CRC-32")


def ahead(pieces: Iterator[T], depth: int = 4) -> Iterator[T]:
    """The same pieces, produced by a helper thread up to `depth` pieces ahead: inflating, checksumming and
    reading the file release the GIL, so a sheet unpacks on the other core while its pieces are scanned.
    Errors reach the caller in order; stopping early (a refused sheet, Cancel) stops the helper."""
    handoff: queue.Queue[tuple[bool, T | None, BaseException | None]] = queue.Queue(depth)
    stop = threading.Event()

    def give(item: tuple[bool, T | None, BaseException | None]) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for piece in pieces:
                if not give((False, piece, None)):
                    return
            give((True, None, None))
        except BaseException as exc:  # handed to the caller, raised there
            give((True, None, exc))

    helper = threading.Thread(target=produce, name="tierdesk-unpack", daemon=True)
    helper.start()
    try:
        while True:
            last, piece, error = handoff.get()
            if error is not None:
                raise error
            if last:
                return
            yield piece  # type: ignore[misc]
    finally:
        stop.set()


def same_part(zf: zipfile.ZipFile, name: str) -> list[zipfile.ZipInfo]:
    """Every entry the reader may take for `name`: it looks parts up ignoring case and reading '\\' as '/'
    (and a zip may hold one name twice), so each of them is checked."""
    wanted = name.replace("\\", "/").lower()
    return [i for i in zf.infolist() if i.filename.replace("\\", "/").lower() == wanted]


def blocks(
    zf: zipfile.ZipFile,
    part: str | zipfile.ZipInfo,
    path: Path,
    steps: Steps | None,
    sheet: str | None,
    boundary: bytes | None = b"<",
) -> Iterator[bytes]:
    """The part's bytes in blocks that end just before a `boundary` ('<': a tag) or just after it
    ('row>': a whole row), so no tag or row is cut in two and none is seen twice; as inflated when the
    boundary is None (binary parts)."""
    if isinstance(part, zipfile.ZipInfo):
        info = part
    else:
        try:
            info = zf.getinfo(part)
        except KeyError:
            return
    pieces = _cut(unpacked(path, info), boundary)
    try:
        for chunk, done in ahead(pieces) if info.file_size > AHEAD_BYTES else pieces:
            if steps is not None:
                steps.report(done / max(info.file_size, 1), "Checking the sheet")
            yield chunk
    except ZIP_ERRORS as exc:
        what = f"sheet '{one_line(sheet)}'" if sheet else f"part '{one_line(info.filename)}'"
        raise ReadError(
            f"{path.name} is damaged: {what} cannot be unpacked ({plain(exc)}). "
            "Let Excel repair it (File › Open › Open and Repair), or ask for the file again.",
            file=path,
            detail=f"{type(exc).__name__}: {exc}",
        ) from None


def _cut(pieces: Iterator[bytes], boundary: bytes | None) -> Iterator[tuple[bytes, int]]:
    """Blocks cut at the boundary (see `blocks`), each with the count of bytes unpacked so far."""
    after = boundary != b"<"
    done = 0
    tail = b""
    for block in pieces:
        done += len(block)
        if boundary is None:
            yield block, done
            continue
        found = block.rfind(boundary)
        if found >= 0:  # the last boundary lies in this block: the chunk is copied once, not twice
            end = found + (len(boundary) if after else 0)
            yield (b"".join((tail, memoryview(block)[:end])) if tail else block[:end]), done
            tail = block[end:]
            continue
        data = tail + block if tail else block
        cut = data.rfind(boundary)
        if cut < 0 and after:
            cut, after_cut = data.rfind(b"<"), 0
        else:
            after_cut = len(boundary) if after else 0
        if cut < 0:
            if len(data) > 64 * CHUNK:  # no tag in 64 MB: not a spreadsheet part
                raise zipfile.BadZipFile("no markup")
            tail = data
            continue
        yield data[: cut + after_cut], done
        tail = data[cut + after_cut :]
    if tail:
        yield tail, done


def plain(exc: BaseException) -> str:
    """A zip or inflate failure in a few words."""
    text = str(exc)
    if "CRC" in text:
        return "its checksum does not match"
    if isinstance(exc, EOFError):
        return "the data ends early"
    if "unsupported packing" in text or isinstance(exc, NotImplementedError):
        return "it is packed in a way tierdesk cannot unpack"
    if "larger than" in text or "more than declared" in text:
        return "it unpacks to far more than a workbook part holds"
    if "markup" in text:
        return "it holds no spreadsheet data"
    return "unreadable data"


_SST = re.compile(rb"<(?:[^\s<>/!?:]+:)?sst\b([^>]*)>")
_UNIQUE = re.compile(rb"""(?:^|\s)uniqueCount\s*=\s*["']\s*(\d+)""")
_SI = re.compile(rb"<(?:[^\s<>/!?:]+:)?si[\s/>]")


def verify_parts(zf: zipfile.ZipFile, path: Path, steps: Steps | None = None) -> None:
    """Unpack every part a reader parses (sheets excepted: they are checked when read), discarding it: a part
    that unpacks to more than it declares or than its kind allows is refused, and so is a shared-strings
    table declaring far more strings than it holds."""
    infos = [i for i in zf.infolist() if is_parsed(i.filename) and not is_sheet(i.filename)]
    total = sum(i.file_size for i in infos) or 1
    done = 0
    for info in infos:
        declared: int | None = None
        held = 0
        xml = not info.filename.lower().endswith(".bin")
        for chunk in blocks(zf, info.filename, path, None, None, b"<" if xml else None):
            if xml and declared is None and b"sst" in chunk[:4096]:
                found = _SST.search(chunk, 0, 4096)
                unique = _UNIQUE.search(found.group(1)) if found else None
                declared = int(unique.group(1)) if unique else -1
            if declared is not None and declared > SPARE_STRINGS:
                held += len(_SI.findall(chunk))
        if declared is not None and declared > held + SPARE_STRINGS:
            raise ReadError(
                f"{path.name} is damaged: its table of texts ('{one_line(info.filename)}') says it holds "
                f"{declared:,} texts but holds {held:,}. Let Excel repair it (File › Open › Open and "
                "Repair), or ask for the file again.",
                file=path,
            )
        done += info.file_size
        if steps is not None:
            steps.report(done / total, "Checking the workbook")
