"""What stops a territory file from loading, and the progress/cancel hooks long reads report to."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

ProgressFn = Callable[[float, str], None]
CancelFn = Callable[[], bool]


class ReadError(Exception):
    """The file cannot be loaded; `str(e)` is the planner-facing message and names the file.

    `detail` keeps the reader library's own words for the log, never for the planner.
    """

    def __init__(self, message: str, *, file: str | Path | None = None, detail: str | None = None) -> None:
        super().__init__(message)
        self.file = Path(file) if file is not None else None
        self.detail = detail


class Cancelled(Exception):  # noqa: N818 - the name the GUI and CLI catch
    """The planner cancelled a long read."""


def file_name(path: str | Path) -> str:
    return Path(path).name


class Steps:
    """Reports progress within a slice [start, end] of the whole job and raises Cancelled when asked."""

    def __init__(
        self,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
        start: float = 0.0,
        end: float = 1.0,
    ) -> None:
        self.progress = progress
        self.cancel = cancel
        self.start = start
        self.end = end

    def check(self) -> None:
        if self.cancel is not None and self.cancel():
            raise Cancelled("cancelled")

    def report(self, fraction: float, stage: str) -> None:
        self.check()
        if self.progress is not None:
            fraction = min(max(fraction, 0.0), 1.0)
            self.progress(self.start + fraction * (self.end - self.start), stage)

    def part(self, start: float, end: float) -> Steps:
        """The slice [start, end] of this slice, as fractions of it."""
        span = self.end - self.start
        return Steps(self.progress, self.cancel, self.start + start * span, self.start + end * span)
