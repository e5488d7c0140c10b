"""What stops a territory file from loading, and the progress/cancel hooks long reads report to."""

from __future__ import annotations

import codecs
import contextlib
import csv
import functools
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar
from xml.etree.ElementTree import ParseError

import pandas as pd
from defusedxml import DefusedXmlException

from tierdesk.domain.work import CancelFn, Cancelled, ProgressFn, Steps

__all__ = [
    "FILE_PROBLEMS",
    "CancelFn",
    "Cancelled",
    "ProgressFn",
    "ReadError",
    "Steps",
    "file_name",
    "one_line",
    "reader_boundary",
    "reading",
]


class ReadError(Exception):
    """The file cannot be loaded; `str(e)` is the planner-facing message and names the file.

    `detail` keeps the reader library's own words for the log, never for the planner.
    """

    def __init__(self, message: str, *, file: str | Path | None = None, detail: str | None = None) -> None:
        super().__init__(message)
        self.file = Path(file) if file is not None else None
        self.detail = detail


def file_name(path: str | Path) -> str:
    return Path(path).name


_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(text: object, limit: int = 80) -> str:
    """A name from the file (a sheet, a part) as messages show it: on one line, and not endless."""
    shown = _CONTROLS.sub(" ", str(text))
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


#: What damaged or hostile files make the readers raise: zip and inflate errors, XML and text that cannot be
#: decoded, CSV the parser gives up on, binary records cut short.
FILE_PROBLEMS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,  # zipfile: a packing method it does not know
    ParseError,
    DefusedXmlException,
    UnicodeError,
    csv.Error,
    pd.errors.ParserError,
    pd.errors.EmptyDataError,
    struct.error,
    OverflowError,
    RecursionError,
)


def _why(exc: BaseException) -> str:
    text = str(exc)
    if isinstance(exc, NotImplementedError) or "compression" in text:
        return "it is packed in a way tierdesk cannot unpack"
    if isinstance(exc, zlib.error | zipfile.BadZipFile | EOFError | struct.error):
        return "its data is cut short or garbled"
    if isinstance(exc, UnicodeError) or "encoding" in text:
        return "its text is in an encoding tierdesk cannot read"
    if isinstance(exc, ParseError | DefusedXmlException):
        return "its XML is malformed or unsafe"
    if isinstance(exc, RecursionError):
        return "its structure is nested too deeply"
    return "its contents cannot be read"


def _unknown_encoding(exc: BaseException) -> bool:
    if type(exc) is not LookupError:  # KeyError and IndexError are lookups too: those are bugs
        return False
    try:
        codecs.lookup(str(exc).rpartition(": ")[2])
    except LookupError:
        return True
    return False


@contextlib.contextmanager
def reading(path: str | Path) -> Iterator[None]:
    """The reader's boundary: a file problem, whatever library met it, becomes a ReadError in words."""
    path = Path(path)
    try:
        yield
    except (ReadError, Cancelled):
        raise
    except MemoryError:
        raise ReadError(
            f"{path.name} is too large to open on this computer (it needs more memory than is free).",
            file=path,
        ) from None
    except Exception as exc:
        if type(exc) is RuntimeError and ("encrypted" in str(exc) or "password" in str(exc)):  # zipfile
            raise ReadError(
                f"{path.name} is password-protected: remove the password and try again.", file=path
            ) from None
        if isinstance(exc, OSError) and not isinstance(exc, FILE_PROBLEMS):
            raise ReadError(
                f"{path.name} cannot be read: {exc.strerror or exc}.", file=path, detail=repr(exc)
            ) from None
        if not isinstance(exc, FILE_PROBLEMS) and not _unknown_encoding(exc):
            raise
        raise ReadError(
            f"{path.name} is damaged or in a form tierdesk cannot read ({_why(exc)}). Open it in Excel "
            "and save it again, or ask for the file again.",
            file=path,
            detail=f"{type(exc).__name__}: {exc}",
        ) from None


P = ParamSpec("P")
R = TypeVar("R")


def reader_boundary(read: Callable[Concatenate[str | Path, P], R]) -> Callable[Concatenate[str | Path, P], R]:
    """For a public reading function (its first argument the file): a file problem becomes a ReadError."""

    @functools.wraps(read)
    def guarded(path: str | Path, *args: P.args, **kwargs: P.kwargs) -> R:
        with reading(path):
            return read(path, *args, **kwargs)

    return guarded
