"""Moving accounts by hand: to a persona (a drag in the matrix, Accounts ▸ Move to Persona) or to a tier (a
drop on the pyramid, Accounts ▸ Move to Tier), each with the planner's reason; and clearing pins.

The views only say what the planner did (`moveRequested`); here the reason is asked, through the window's
prompts, and the pin applied as one undoable edit. The document never asks anything.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from tierdesk.domain.plan import PinAccounts
from tierdesk.domain.playbook import PERSONAS
from tierdesk.qt.document import PlanDocument
from tierdesk.qt.prompts import Prompts

Pinnable = Literal["tier", "persona", "category"]
PINNABLE: tuple[Pinnable, ...] = ("tier", "persona", "category")


class MoveCommands:
    """Pins asked for by the views and the Accounts menu; each move is one undo step."""

    def __init__(self, document: PlanDocument, prompts: Prompts) -> None:
        self.document, self.prompts = document, prompts

    def to_persona(self, rows: np.ndarray, persona: str) -> bool:
        """Pin `rows` to a persona after asking why; nothing to ask when they are all pinned there already."""
        plan = self.document.plan
        if plan is None or not len(rows):
            return False
        cls = plan.classification
        already = np.all(np.asarray(cls.persona)[rows] == PERSONAS.index(persona))
        if already and np.all(np.asarray(cls.pinned_persona)[rows]):
            return False
        return self._pin(rows, "persona", persona)

    def to_tier(self, rows: np.ndarray, band: int) -> bool:
        """Pin `rows` to the tier of pyramid band `band` (0: the top tier) after asking why."""
        plan = self.document.plan
        if plan is None or not len(rows):
            return False
        return self._pin(rows, "tier", plan.playbook.tier_names[band])

    def _pin(self, rows: np.ndarray, field: Pinnable, value: str) -> bool:
        reason = self.prompts.reason(f"Why move {self.document.rows_label(rows)} to {value}?")
        if reason is None:
            return False
        self.document.apply(PinAccounts(tuple(int(r) for r in rows), field, value, reason))
        return True

    def clear_pins(self, rows: np.ndarray) -> None:
        """Every pin on `rows` off (back to the rules), as one undo step."""
        if self.document.plan is None or not len(rows):
            return
        with self.document.macro(f"Clear pins on {self.document.rows_label(rows)}"):
            for field in PINNABLE:
                self.document.apply(PinAccounts(tuple(int(r) for r in rows), field, None))
