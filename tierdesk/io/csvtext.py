"""CSV and other delimited text: encoding, delimiter and the raw grid, every cell kept as text."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from tierdesk.io.errors import ReadError, Steps

DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "vertical bars"}
ROWS_PER_CHUNK = 20_000


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


def read_csv_grid(path: Path, steps: Steps) -> CsvGrid:
    """All cells of a delimited text file as strings ('' for empty), rows as Excel would show them."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"{path.name} cannot be read: {exc.strerror or exc}.", file=path) from None
    text, encoding = decode(raw)
    del raw
    notes: list[str] = []
    first_row = 1
    head = text[:20].lower()
    if head.startswith("sep=") and len(text) > 4:
        delimiter = "\t" if text[4:6] == "\\t" else text[4]
        line_end = text.find("\n")
        text = text[line_end + 1 :] if line_end >= 0 else ""
        first_row = 2
    else:
        delimiter = sniff_delimiter(text)
    if encoding not in ("UTF-8",):
        notes.append(f"read as {encoding} text")
    if delimiter != ",":
        notes.append(f"values separated by {DELIMITER_NAMES[delimiter]}")
    steps.report(0.05, "Reading the text")
    try:
        frame = _read(text, delimiter, None, steps)
    except pd.errors.ParserError:
        width = max((len(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)), default=1)
        frame = _read(text, delimiter, width, steps)
    except (pd.errors.EmptyDataError, StopIteration):
        frame = pd.DataFrame()
    values = frame.fillna("").to_numpy(dtype=object)
    return CsvGrid(values, encoding, delimiter, first_row, notes)


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
