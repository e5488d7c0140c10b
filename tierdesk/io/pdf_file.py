"""PDF files of one-page account plans: saved atomically next to the target, never over a file that is not
a PDF, with bookmarks (an outline) to jump to each account, which Qt's PDF writer cannot add itself."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import IndirectObject

from tierdesk.io.plan_file import SaveError
from tierdesk.io.saving import remove_leftovers, replace_target, temporary_file, why_not_saved

__all__ = ["Bookmark", "check_pdf_target", "discard", "draft_for", "finish_pdf", "page_count", "pdf_text"]


@dataclass(frozen=True)
class Bookmark:
    """One entry of the PDF's outline: a title and the page (from 0) it opens; entries with the same `group`
    sit under one entry of that name (which opens the group's first page)."""

    title: str
    page: int
    group: str = ""


def check_pdf_target(target: str | os.PathLike[str]) -> Path:
    """The target as a Path, or SaveError when it is a folder or an existing file that is not a PDF."""
    path = Path(target)
    if path.is_dir():
        raise SaveError(f"{path.name} is a folder: choose a file name for the PDF.", path)
    if path.exists():
        try:
            with path.open("rb") as fh:
                head = fh.read(5)
        except OSError as exc:
            raise SaveError(f"Could not save {path.name}: {exc.strerror or exc}.", path) from exc
        if head != b"%PDF-":
            raise SaveError(
                f"{path.name} is not a PDF; tierdesk never overwrites other files: choose another name.", path
            )
    return path


def draft_for(target: str | os.PathLike[str]) -> Path:
    """A new empty file beside the target to write the PDF into (SaveError when the folder is not
    writable)."""
    path = check_pdf_target(target)
    remove_leftovers(path.parent)  # drafts of saves killed midway
    try:
        return Path(temporary_file(path))
    except OSError as exc:
        raise SaveError(f"Could not save {path.name}: {why_not_saved(exc)}.", path) from exc


def discard(draft: Path) -> None:
    with contextlib.suppress(OSError):
        draft.unlink()


def finish_pdf(draft: Path, target: str | os.PathLike[str], bookmarks: Sequence[Bookmark]) -> None:
    """Add the bookmarks to the draft (opened with the bookmarks panel showing) and put it in the target's
    place in one step; the draft is gone afterwards either way. SaveError when it cannot be done."""
    path = check_pdf_target(target)
    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(draft.read_bytes())))
        groups: dict[str, IndirectObject] = {}
        for mark in bookmarks:
            parent = None
            if mark.group:
                if mark.group not in groups:
                    groups[mark.group] = writer.add_outline_item(
                        title=mark.group, page_number=mark.page, is_open=False
                    )
                parent = groups[mark.group]
            writer.add_outline_item(title=mark.title, page_number=mark.page, parent=parent)
        writer.page_mode = "/UseOutlines"
        with draft.open("wb") as fh:
            writer.write(fh)
        replace_target(str(draft), path)
    except (OSError, PyPdfError) as exc:
        discard(draft)
        reason = why_not_saved(exc) if isinstance(exc, OSError) else str(exc)
        raise SaveError(f"Could not save {path.name}: {reason}.", path) from exc


def page_count(path: str | os.PathLike[str]) -> int:
    return len(PdfReader(Path(path)).pages)


def pdf_text(path: str | os.PathLike[str], page: int) -> str:
    """The text of one page (from 0), as a PDF reader extracts it."""
    return PdfReader(Path(path)).pages[page].extract_text()
