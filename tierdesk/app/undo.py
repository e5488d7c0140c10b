"""The open plan's undo history: steps of reversible parts, grouped edits, and where the plan was saved.

Qt-free, so the CLI, the tests and the window share one history. The window mirrors it in a QUndoStack
(see qt/document.py) for the Edit menu, the History panel and the modified mark.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from tierdesk.domain.changes import Change, Changed

__all__ = ["Part", "Step", "UndoHistory", "combined"]

#: one reversible piece of a step: redo and undo each apply it and return what changed
Part = tuple[Callable[[], Change], Callable[[], Change]]


def combined(changes: Iterable[Change]) -> Change:
    """One change notice for several: every flag, and the rows of all (None when any may be every row)."""
    what, rows, every = Changed.NOTHING, [], False
    for change in changes:
        what |= change.what
        if change.rows is None:
            every = True
        else:
            rows.append(np.asarray(change.rows, dtype=np.int64))
    if every:
        return Change(what, None)
    return Change(what, np.unique(np.concatenate(rows)) if rows else np.zeros(0, np.int64))


@dataclass
class Step:
    """One undoable step as the Edit menu names it: its parts, applied in order, undone in reverse."""

    text: str
    parts: list[Part] = field(default_factory=list)

    def redo(self) -> Change:
        return combined([redo() for redo, _ in self.parts])

    def undo(self) -> Change:
        return combined([undo() for _, undo in reversed(self.parts)])


class UndoHistory:
    """Steps done (up to `index`) and undone (after it); `saved_at` is the index the file was saved at (None:
    a step the saved file had was undone and replaced, so no index matches it any more)."""

    def __init__(self) -> None:
        self.steps: list[Step] = []
        self.index = 0
        self.saved_at: int | None = 0
        self._group: Step | None = None
        #: called with each step as it is recorded (the window mirrors the history in a QUndoStack)
        self.recorded: list[Callable[[Step], None]] = []

    def clear(self) -> None:
        self.steps, self.index, self.saved_at = [], 0, 0
        self._group = None

    def record(self, text: str, part: Part) -> Step | None:
        """Add a part that was just done: as a new step, or to the group being recorded (then None)."""
        if self._group is not None:
            self._group.parts.append(part)
            return None
        return self._push(Step(text, [part]))

    def _push(self, step: Step) -> Step:
        del self.steps[self.index :]
        if self.saved_at is not None and self.saved_at > self.index:
            self.saved_at = None  # the saved state was undone and is now out of reach
        self.steps.append(step)
        self.index += 1
        for listener in self.recorded:
            listener(step)
        return step

    @contextmanager
    def group(self, text: str) -> Iterator[list[Step]]:
        """Record every part done inside as one step named `text` (nested groups join the outer one). The
        list yielded holds the step once recorded (none when nothing was done)."""
        recorded: list[Step] = []
        outer = self._group is None
        if outer:
            self._group = Step(text)
        try:
            yield recorded
        finally:
            if outer:
                step, self._group = self._group, None
                if step is not None and step.parts:
                    recorded.append(self._push(step))

    def grouping(self) -> bool:
        return self._group is not None

    def can_undo(self) -> bool:
        return self.index > 0 and self._group is None

    def can_redo(self) -> bool:
        return self.index < len(self.steps) and self._group is None

    def undo_step(self) -> Step | None:
        """The step `undo` would undo (None: nothing to undo)."""
        return self.steps[self.index - 1] if self.can_undo() else None

    def redo_step(self) -> Step | None:
        return self.steps[self.index] if self.can_redo() else None

    def undo_text(self) -> str:
        step = self.undo_step()
        return step.text if step is not None else ""

    def redo_text(self) -> str:
        step = self.redo_step()
        return step.text if step is not None else ""

    def undo(self) -> Change:
        """Undo the last step done; what changed (nothing when there is nothing to undo)."""
        if not self.can_undo():
            return Change(Changed.NOTHING, np.zeros(0, np.int64))
        self.index -= 1
        return self.steps[self.index].undo()

    def redo(self) -> Change:
        if not self.can_redo():
            return Change(Changed.NOTHING, np.zeros(0, np.int64))
        self.index += 1
        return self.steps[self.index - 1].redo()

    def is_saved(self) -> bool:
        return self.saved_at == self.index

    def mark_saved(self, at: int | None = None) -> None:
        """The file now holds the plan as it was at step `at` (default: now)."""
        self.saved_at = self.index if at is None else at
