"""What stops a territory file from loading, and the progress/cancel hooks long reads report to."""

from __future__ import annotations

from pathlib import Path

from tierdesk.domain.work import CancelFn, Cancelled, ProgressFn, Steps

__all__ = ["CancelFn", "Cancelled", "ProgressFn", "ReadError", "Steps", "file_name"]


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
