"""Values as Excel cells hold them (texts made safe, numbers, serial dates) and the furniture of a table sheet
written in constant-memory mode: formats, an Excel table, dropdowns, colours, parts over several sheets."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from xlsxwriter.utility import xl_col_to_name, xl_range
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from tierdesk.domain.playbook import UNCLASSIFIED
from tierdesk.io.errors import Steps
from tierdesk.io.plan_format import LISTS_SHEET
from tierdesk.io.print_setup import PageSetup

BLOCK = 2_000  # rows prepared at a time
CELL_LIMIT = 32_767
CUT_MARK = " … [cut here: Excel holds 32,767 characters a cell; tierdesk keeps the full text]"
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
EXCEL_EPOCH = np.datetime64("1899-12-30", "ns")
TIER_COLOURS = ("#1F4E79", "#2E75B6", "#9DC3E6", "#DEEBF7", "#E2EFDA", "#FFF2CC")
STATUS_COLOURS = {"In progress": "#FFEB9C", "Met": "#C6EFCE", "Missed": "#FFC7CE"}


# ---------------------------------------------------------------- text as Excel shows it


@dataclass
class TextNotes:
    """What had to change for Excel: characters replaced and texts cut, each text counted once however often
    it is shown."""

    replaced: int = 0
    texts: int = 0
    cut: int = 0
    seen: set[str] = field(default_factory=set)

    def note(self, text: str, replaced: int, cut: bool) -> None:
        if text not in self.seen:
            self.seen.add(text)
            self.replaced += replaced
            self.texts += replaced > 0
            self.cut += cut

    def messages(self) -> list[str]:
        out = []
        if self.replaced:
            out.append(
                f"{self.replaced:,} control character(s) in {self.texts:,} text(s) are shown as '\ufffd' "
                "in the workbook (Excel cannot hold them); the plan keeps the original text."
            )
        if self.cut:
            out.append(
                f"{self.cut:,} text(s) longer than Excel's 32,767 characters a cell are cut in the visible "
                "sheets, marked '[cut here…]'; the plan keeps the full text."
            )
        return out


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def visible_text(text: str, notes: TextNotes | None = None) -> str:
    """A text as a visible cell holds it: control characters as U+FFFD, cut to Excel's cell limit."""
    original, replaced, cut = text, 0, False
    if _BAD.search(text):
        replaced = len(_BAD.findall(text))
        text = _BAD.sub("\ufffd", text)
    if len(text) > CELL_LIMIT // 2 and _utf16(text) > CELL_LIMIT:
        keep = CELL_LIMIT - _utf16(CUT_MARK)
        head = text[:keep]
        while _utf16(head) > keep:
            head = head[:-1]
        text, cut = head + CUT_MARK, True
    if notes is not None and (replaced or cut):
        notes.note(original, replaced, cut)
    return text


def _literal(text: str) -> str:
    """xlsxwriter writes a string looking like '<r>…</r>' as raw rich-text XML: wrap it so it stays text."""
    return f'<r><t xml:space="preserve">{html.escape(text, quote=False)}</t></r>'


def visible_texts(values: Any, notes: TextNotes | None = None, *, literal: bool = True) -> np.ndarray:
    """Texts for visible cells (a new object array; None where missing). One regex pass finds the few texts
    to fix. With `literal`, texts xlsxwriter would take for rich-text XML are wrapped to stay literal."""
    out = np.array(values, dtype=object)
    search, limit = _BAD.search, CELL_LIMIT // 2
    for i in [
        i
        for i, t in enumerate(out.tolist())
        if t.__class__ is not str
        or len(t) > limit
        or t.startswith("<r>")
        or (not (t.isascii() and t.isprintable()) and search(t))
    ]:
        t = out[i]
        if t is None or t is pd.NA or t is pd.NaT or (isinstance(t, float) and t != t):
            out[i] = None
            continue
        fixed = visible_text(str(t), notes)
        out[i] = _literal(fixed) if literal and fixed.startswith("<r>") and fixed.endswith("</r>") else fixed
    return out


def blank_where(mask: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The values as an object array with None where the mask is set."""
    out = np.array(values, dtype=object)
    out[mask] = None
    return out


def numbers(values: Any) -> np.ndarray:
    arr = np.asarray(values, dtype=np.float64)
    out = arr.astype(object)
    out[~np.isfinite(arr)] = None
    return out


def excel_dates(values: Any) -> np.ndarray:
    """Excel serial dates (numbers shown with a date format); None for NaT; ISO text before 1900-03-01,
    which Excel's serials (with their phantom 1900-02-29) cannot hold."""
    arr = np.asarray(values, dtype="datetime64[ns]")
    ok = ~np.isnat(arr)
    serial = (arr - EXCEL_EPOCH).astype(np.int64) / 86_400e9
    out = serial.astype(object)
    out[~ok] = None
    early = ok & (serial < 61)
    if early.any():
        out[early] = np.datetime_as_string(arr[early], unit="D").astype(object)
    return out


def lookup_names(
    names: Sequence[str], notes: TextNotes | None = None, missing: str | None = UNCLASSIFIED
) -> np.ndarray:
    """Visible names to index by code: code -1 picks the last entry, `missing`."""
    return visible_texts(np.array([*names, missing], dtype=object), notes)


# ---------------------------------------------------------------- formats, tables, dropdowns


class Formats:
    def __init__(self, wb: Workbook, currency: str) -> None:
        money = '"' + currency.replace('"', "") + '"#,##0' if currency else "#,##0"
        self.header = wb.add_format(
            {
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": "#1F4E79",
                "text_wrap": True,
                "valign": "top",
                "border": 1,
            }
        )
        self.edit_header = wb.add_format(
            {
                "bold": True,
                "font_color": "#000000",
                "bg_color": "#FFD966",
                "text_wrap": True,
                "valign": "top",
                "border": 1,
            }
        )
        self.num_formats = {
            "money": money,
            "percent": "0%",
            "percent1": "0.0%",
            "date": "yyyy-mm-dd",
            "datetime": "yyyy-mm-dd hh:mm",
            "integer": "#,##0",
            "number": "#,##0.0",
        }
        self.by_kind: dict[str, Any] = {
            k: wb.add_format({"num_format": f}) for k, f in self.num_formats.items()
        }
        self.by_kind |= {"text": None, "general": None}
        self.boxed = {k: wb.add_format({"num_format": f, "border": 1}) for k, f in self.num_formats.items()}
        self.summary_header = wb.add_format(
            {"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E79", "border": 1, "text_wrap": True}
        )
        self.title = wb.add_format({"bold": True, "font_size": 16, "font_color": "#1F4E79"})
        self.section = wb.add_format({"bold": True, "font_size": 12, "font_color": "#1F4E79", "bottom": 1})
        self.bold = wb.add_format({"bold": True})
        self.label = wb.add_format({"bold": True, "bg_color": "#DEEBF7", "border": 1})
        self.cell = wb.add_format({"border": 1})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.tiers = [
            wb.add_format({"bg_color": c, "font_color": "#FFFFFF" if i < 2 else "#000000"})
            for i, c in enumerate(TIER_COLOURS)
        ]
        self.status = {s: wb.add_format({"bg_color": c}) for s, c in STATUS_COLOURS.items()}

    def of(self, kind: str) -> Any:
        return self.by_kind[kind]


def add_table(
    ws: Worksheet, last_row: int, headers: Sequence[str], name: str, fmt: Formats, editable: Sequence[bool]
) -> None:
    """An Excel table (filters, banding) over rows 0..last_row on a constant-memory sheet. xlsxwriter refuses
    add_table() there only because it stores the header cells in its shared-string table, and it checks
    overlaps cell by cell; so the table is declared on its header and first row, stretched to its full
    height, and the headers are written as ordinary inline strings."""
    last_col = len(headers) - 1
    columns = [{"header": h} for h in headers]
    before = len(ws.tables)
    ws.constant_memory = False
    try:
        ws.add_table(0, 0, 1, last_col, {"name": name, "columns": columns, "style": "Table Style Medium 2"})
    finally:
        ws.constant_memory = True
        ws.table.clear()
    if len(ws.tables) == before:
        raise ValueError(f"xlsxwriter refused the table {name!r} (headers: {list(headers)!r})")
    table = ws.tables[-1]
    table["range"] = table["a_range"] = table["autofilter"] = xl_range(0, 0, max(last_row, 1), last_col)
    for c, (h, e) in enumerate(zip(headers, editable, strict=True)):
        ws.write_string(0, c, h, fmt.edit_header if e else fmt.header)


def dropdown(ws: Worksheet, col: int, last_row: int, list_col: int, count: int, what: str) -> None:
    letter = xl_col_to_name(list_col)
    ws.data_validation(
        1,
        col,
        max(last_row, 1),
        col,
        {
            "validate": "list",
            "source": f"='{LISTS_SHEET}'!${letter}$2:${letter}${count + 1}",
            "error_type": "stop",
            "error_title": f"Not a {what}",
            "error_message": f"Pick a {what} from the list; tierdesk takes it when it opens the plan.",
        },
    )


def colour_by_names(
    ws: Worksheet, col: int, last_row: int, names: Sequence[str], formats: Sequence[Any]
) -> None:
    for name, f in zip(names, formats, strict=False):
        if len(name) <= 250:
            quoted = '"' + name.replace('"', '""') + '"'
            ws.conditional_format(
                1,
                col,
                max(last_row, 1),
                col,
                {"type": "cell", "criteria": "==", "value": quoted, "format": f},
            )


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    kind: str = "text"  # a Formats.by_kind key
    editable: bool = False
    note: str = ""


@dataclass
class TableSheet:
    """One table spread over as many sheets as it needs (Excel holds 1,048,575 data rows a sheet)."""

    title: str  # the first sheet's name; later parts are "Title (2)"...
    table: str  # Excel table name
    columns: list[Column]
    rows: int
    per_sheet: int
    sheets: list[tuple[str, int, int]] = field(default_factory=list)  # (name, first row, rows)
    page: PageSetup | None = None  # how its pages print (None: the default paper, no plan name)

    def __post_init__(self) -> None:
        parts = max(1, -(-self.rows // self.per_sheet))
        for p in range(parts):
            start = p * self.per_sheet
            name = self.title if p == 0 else f"{self.title} ({p + 1})"
            self.sheets.append((name, start, min(self.per_sheet, self.rows - start)))

    def write(
        self,
        wb: Workbook,
        fmt: Formats,
        block: Callable[[int, int], list[np.ndarray]],
        steps: Steps,
        decorate: Callable[[Worksheet, int], None],
    ) -> None:
        headers = [c.header for c in self.columns]
        for p, (name, start, count) in enumerate(self.sheets):
            ws = wb.get_worksheet_by_name(name)
            assert ws is not None
            for i, c in enumerate(self.columns):
                ws.set_column(i, i, c.width, fmt.of(c.kind))
            add_table(
                ws,
                count,
                headers,
                self.table + (str(p + 1) if p else ""),
                fmt,
                [c.editable for c in self.columns],
            )
            for i, c in enumerate(self.columns):
                if c.note:
                    ws.write_comment(0, i, c.note, {"x_scale": 2, "y_scale": 1.2})
            ws.freeze_panes(1, 2)
            (self.page or PageSetup()).table(ws)  # landscape, one page wide, the header on every page
            decorate(ws, count)
            write_row = ws.write_row
            for first in range(start, start + count, BLOCK):
                last = min(first + BLOCK, start + count)
                steps.report(
                    (first - start + p * self.per_sheet) / max(self.rows, 1), f"Writing {self.title}"
                )
                grid = np.empty((last - first, len(self.columns)), dtype=object)
                for j, values in enumerate(block(first, last)):
                    grid[:, j] = values
                for r, row in enumerate(grid.tolist(), start=first - start + 1):
                    write_row(r, 0, row)
