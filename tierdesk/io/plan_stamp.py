"""The stamp tierdesk leaves in a plan workbook's zip comment: a hash of the CRCs of the sheets as it wrote
them, so a file no other program rewrote is opened without looking for edits made in Excel."""

from __future__ import annotations

import hashlib
import json
import zipfile
from typing import IO

__all__ = ["STAMP", "STAMP_LIMIT", "stamp", "untouched"]

STAMP = b"tierdesk-plan:"
STAMP_HASH = b"sha256:"
#: LibreOffice looks for the end of a zip file's directory only in its last 534 bytes, so it refuses a file
#: whose zip comment is longer than 512 bytes ("source file could not be loaded").
STAMP_LIMIT = 512


def _sheet_crcs(zf: zipfile.ZipFile) -> dict[str, int]:
    return {i.filename: i.CRC for i in zf.infolist() if i.filename.startswith("xl/worksheets/")}


def _crc_hash(crcs: dict[str, int]) -> bytes:
    return hashlib.sha256(json.dumps(crcs, sort_keys=True).encode("ascii")).hexdigest().encode("ascii")


def stamp(fh: IO[bytes]) -> None:
    """Note a hash of the sheets' CRCs in the zip comment: a file no other program rewrote needs no check for
    edits. The comment must stay short (see STAMP_LIMIT), so it holds the hash, not the CRCs."""
    fh.seek(0)
    with zipfile.ZipFile(fh, "a") as zf:
        comment = STAMP + STAMP_HASH + _crc_hash(_sheet_crcs(zf))
        assert len(comment) <= STAMP_LIMIT
        zf.comment = comment


def untouched(zf: zipfile.ZipFile) -> bool:
    """Whether the workbook's sheets are as tierdesk wrote them (its stamp matches): no edits to look for."""
    if not zf.comment.startswith(STAMP):
        return False
    noted, now = zf.comment[len(STAMP) :], _sheet_crcs(zf)
    if noted.startswith(STAMP_HASH):
        return bool(now) and noted[len(STAMP_HASH) :] == _crc_hash(now)
    try:  # plans saved before the stamp was a hash hold the CRCs themselves
        crcs = json.loads(noted)
    except ValueError:
        return False
    return bool(crcs) and crcs == now
