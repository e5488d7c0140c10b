"""Using another playbook (undoable) and saving the one in use, from the File menu."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSaveFile
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from tierdesk.domain.plan import SetPlaybook
from tierdesk.domain.playbook import Playbook, PlaybookError, dump_playbook, load_playbook
from tierdesk.qt.document import PlanDocument
from tierdesk.qt.prompts import Prompts

FILTER = "Playbooks (*.toml);;All files (*)"


class PlaybookCommands:
    """File ▸ Use Playbook… and File ▸ Save Playbook As…; problems are shown, never raised."""

    def __init__(self, parent: QWidget, document: PlanDocument, prompts: Prompts) -> None:
        self.parent, self.document, self.prompts = parent, document, prompts
        self.use_action = QAction("Use &Playbook…", parent)
        self.use_action.setStatusTip("Classify with the rules of another playbook (TOML); undoable")
        self.use_action.triggered.connect(self.ask_use)
        self.save_action = QAction("Save Playbook &As…", parent)
        self.save_action.setStatusTip("Save the playbook in use, split lines included, to hand to colleagues")
        self.save_action.triggered.connect(self.ask_save)
        document.replaced.connect(self._update_enabled)
        self._update_enabled()

    def _update_enabled(self) -> None:
        for action in (self.use_action, self.save_action):
            action.setEnabled(self.document.plan is not None)

    def ask_use(self) -> None:
        path = self.prompts.open_path("Use playbook", FILTER)
        if path is not None:
            self.use(path)

    def use(self, path: Path) -> Playbook | None:
        try:
            playbook = load_playbook(path)
        except PlaybookError as exc:
            self.prompts.warn("Playbook not used", f"{path.name}: {exc}")
            return None
        except (OSError, UnicodeDecodeError) as exc:
            self.prompts.warn("Playbook not used", f"Could not read {path.name}: {exc}")
            return None
        self.document.apply(SetPlaybook(playbook, f"Use playbook {path.name}"))
        return playbook

    def ask_save(self) -> None:
        path = self.prompts.save_path("Save playbook", "playbook.toml", FILTER)
        if path is not None:
            self.save(path)

    def save(self, path: Path) -> bool:
        """Write atomically: the old file stays whole if anything fails."""
        assert self.document.plan is not None
        out = QSaveFile(str(path))
        if not out.open(QSaveFile.OpenModeFlag.WriteOnly):
            self.prompts.warn("Playbook not saved", f"{path.name}: {out.errorString()}")
            return False
        out.write(dump_playbook(self.document.plan.playbook).encode("utf-8"))
        if not out.commit():
            self.prompts.warn("Playbook not saved", f"{path.name}: {out.errorString()}")
            return False
        return True
