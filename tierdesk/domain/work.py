"""Long work reports progress and stops when asked: the hooks a background job passes in (readers, savers,
the balancer), the same for the io and the domain packages."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["CancelFn", "Cancelled", "ProgressFn", "Steps"]

ProgressFn = Callable[[float, str], None]
CancelFn = Callable[[], bool]


class Cancelled(Exception):  # noqa: N818 - the name the GUI and CLI catch
    """The planner cancelled a long job."""


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
