"""CSV and other delimited text: encoding, delimiter and the raw grid, every cell kept as text."""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from tierdesk.io.errors import ReadError, Steps
from tierdesk.io.scan import MAX_CELLS, MAX_COLUMNS, SPARSE_FACTOR, SPARSE_FLOOR

DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "vertical bars"}
ROWS_PER_CHUNK = 20_000
#: A text file larger than this is not read (a million rows of 40 columns is about 400 MB) ...
MAX_TEXT_BYTES = 1024**3
#: ... nor one with a line longer than this: a 50 MB line made the parser take 4 GB (a row of a table, even
#: with long notes in every column, is far shorter).
MAX_LINE_BYTES = 8 << 20
READ_BLOCK = 4 << 20


@dataclass
class CsvGrid:
    values: np.ndarray
    encoding: str
    delimiter: str
    first_row: int
    notes: list[str] = field(default_factory=list)


def decode(raw: bytes) -> tuple[str, str]:
    """Text and its encoding: UTF-8 (with or without BOM), UTF-16, else Windows-1252, else Latin-1."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8", "replace"), "UTF-8"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", "replace"), "UTF-16"
    for encoding, label in (("utf-8", "UTF-8"), ("cp1252", "Windows-1252")):
        try:
            return raw.decode(encoding), label
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), "Latin-1"


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most consistent number (>1) of fields."""
    sample = text[:65536]
    cut = sample.rfind("\n")
    if cut > 0 and len(text) > len(sample):
        sample = sample[:cut]
    best, best_score = ",", (-1.0, 0)
    for delimiter in DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if r][:200]
        except csv.Error:
            continue
        if not counts:
            continue
        common = max(set(counts), key=counts.count)
        if common < 2:
            continue
        score = (counts.count(common) / len(counts), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_bytes(path: Path, steps: Steps) -> bytes:
    """The file's bytes, read block by block; refused as soon as it is too large or a line too long."""
    parts: list[bytes] = []
    size = line = 0  # bytes read; length of the line not yet ended
    try:
        with path.open("rb") as fh:
            total = max(path.stat().st_size, 1)
            while block := fh.read(READ_BLOCK):
                size += len(block)
                if size > MAX_TEXT_BYTES:
                    raise ReadError(
                        f"{path.name} is larger than {MAX_TEXT_BYTES >> 30} GB, more than tierdesk reads as "
                        "a text table. Split it, or remove columns it does not need.",
                        file=path,
                    )
                line = _longest_line(block, line, path)
                parts.append(block)
                steps.report(0.04 * min(size / total, 1.0), "Reading the text")
    except OSError as exc:
        raise ReadError(f"{path.name} cannot be read: {exc.strerror or exc}.", file=path) from None
    return b"".join(parts)


def _longest_line(block: bytes, carried: int, path: Path) -> int:
    """Refuse a line longer than MAX_LINE_BYTES; returns the length of the block's unfinished last line."""
    ends = _line_ends(np.frombuffer(block, np.uint8))
    if not len(ends):
        longest = carried + len(block)
    else:
        gaps = np.diff(ends)
        longest = max(carried + int(ends[0]), int(gaps.max()) if len(gaps) else 0)
    if longest > MAX_LINE_BYTES:
        raise ReadError(
            f"{path.name} has a line longer than {MAX_LINE_BYTES >> 20} MB: it is not a table tierdesk can "
            "read (a binary file, or a table without line breaks?).",
            file=path,
        )
    return carried + len(block) if not len(ends) else len(block) - int(ends[-1]) - 1


def _line_ends(values: np.ndarray) -> np.ndarray:
    """Where lines end, as the parser reads them: at LF, and at a CR not followed by LF (old Mac files)."""
    lf = values == 10
    cr_alone = (values == 13) & ~np.append(lf[1:], False)
    return np.flatnonzero(lf | cr_alone)


def _widest_line(text: str, delimiter: str, path: Path, first_row: int) -> int:
    """The most values a line holds (quoted delimiters counted too, so at least as many as any row has);
    refuses a line beyond Excel's columns, and a file beyond the cells tierdesk holds."""
    widest = cells = pending = 0  # pending: delimiters so far in the line not yet ended
    line_no = first_row
    mark = ord(delimiter)
    for start in range(0, len(text), READ_BLOCK):
        values = np.frombuffer(text[start : start + READ_BLOCK].encode("utf-8", "surrogatepass"), np.uint8)
        ends = _line_ends(values)
        marks = np.flatnonzero(values == mark)
        before = np.searchsorted(marks, ends)  # delimiters before each line end
        per_line = np.diff(before, prepend=0)
        if len(per_line):
            per_line[0] += pending
            pending = len(marks) - int(before[-1])
            at = int(per_line.argmax())
            _refuse_wide(path, line_no + at, int(per_line[at]) + 1)
            widest = max(widest, int(per_line[at]) + 1)
            cells += int(per_line.sum()) + len(per_line)
        else:
            pending += len(marks)
        line_no += len(ends)
        if cells > MAX_CELLS:
            raise ReadError(
                f"{path.name} holds more than {MAX_CELLS:,} values, too many to read. Split it over several "
                "files, or remove columns tierdesk does not need.",
                file=path,
            )
    _refuse_wide(path, line_no, pending + 1)
    widest = max(widest, pending + 1)
    grid = (line_no - first_row + 1) * widest  # the parser fills every row out to the widest line
    if grid > MAX_CELLS or grid > max(SPARSE_FLOOR, SPARSE_FACTOR * (cells + pending + 1)):
        raise ReadError(
            f"{path.name}: its {line_no - first_row + 1:,} lines would fill a table {widest:,} columns wide "
            f"({grid:,} cells, almost all empty), too large to read. Check that one long line is not a "
            "mistake, or remove it.",
            file=path,
        )
    return widest


def _refuse_wide(path: Path, line: int, values: int) -> None:
    if values > MAX_COLUMNS:
        raise ReadError(
            f"{path.name}, line {line:,}: it holds {values:,} values, more than the {MAX_COLUMNS:,} columns "
            "a sheet can have. It is not a table tierdesk can read.",
            file=path,
        )


def read_csv_grid(path: Path, steps: Steps) -> CsvGrid:
    """All cells of a delimited text file as strings ('' for empty), rows as Excel would show them."""
    raw = _read_bytes(path, steps)
    text, encoding = decode(raw)
    del raw
    notes: list[str] = []
    first_row = 1
    head = text[:20].lower()
    delimiter = "\t" if text[4:6] == "\\t" else text[4:5]
    if head.startswith("sep=") and _usable(delimiter):
        line_end = text.find("\n")
        text = text[line_end + 1 :] if line_end >= 0 else ""
        first_row = 2
    else:
        delimiter = sniff_delimiter(text)
    if encoding not in ("UTF-8",):
        notes.append(f"read as {encoding} text")
    if delimiter != ",":
        notes.append(f"values separated by {DELIMITER_NAMES.get(delimiter, repr(delimiter))}")
    width = _widest_line(text, delimiter, path, first_row)
    steps.report(0.05, "Reading the text")
    try:
        try:
            frame = _read(text, delimiter, None, steps)
        except pd.errors.ParserError:  # rows of different lengths: read them all as wide as the widest
            frame = _read(text, delimiter, width, steps)
    except (pd.errors.EmptyDataError, StopIteration):
        frame = pd.DataFrame()
    except (pd.errors.ParserError, csv.Error, ValueError) as exc:
        raise ReadError(_parse_problem(path, exc, first_row), file=path, detail=str(exc)) from None
    values = frame.fillna("").to_numpy(dtype=object)
    return CsvGrid(values, encoding, delimiter, first_row, notes)


def _usable(delimiter: str) -> bool:
    """A delimiter an Excel "sep=" line may name: one plain character that is not a quote or a line break."""
    plain = " " < delimiter < "\x7f" and delimiter not in "\"'"
    return len(delimiter) == 1 and (delimiter == "\t" or plain)


_AT_ROW = re.compile(r"(?:row|line) (\d+)")


def _parse_problem(path: Path, exc: Exception, first_row: int) -> str:
    """The parser's complaint in the planner's words."""
    text = str(exc)
    found = _AT_ROW.search(text)
    where = f", line {int(found.group(1)) + first_row:,}" if found else ""
    if "EOF inside string" in text or "EOF" in text:
        return (
            f"{path.name}{where}: a quoted value is opened and never closed, so the rest of the file cannot "
            'be read. Check the quote marks (") there, or save the table from Excel as CSV again.'
        )
    return (
        f"{path.name}{where}: the text cannot be read as a table (its quotes or line breaks are out of "
        "place). Save it from Excel as CSV again, or check the file there."
    )


def _read(text: str, delimiter: str, width: int | None, steps: Steps) -> pd.DataFrame:
    total = max(len(text), 1)
    chunks: list[pd.DataFrame] = []
    buffer = io.StringIO(text)
    reader = pd.read_csv(
        buffer,
        sep=delimiter,
        header=None,
        names=list(range(width)) if width else None,
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
        quotechar='"',
        engine="c",
        chunksize=ROWS_PER_CHUNK,
    )
    with reader:
        for chunk in reader:
            chunks.append(chunk)
            steps.report(0.05 + 0.9 * buffer.tell() / total, "Reading the text")
    if not chunks:
        return pd.DataFrame()
    return pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
