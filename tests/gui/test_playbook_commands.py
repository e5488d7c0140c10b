"""File ▸ Use Playbook… and Save Playbook As…: undoable, atomic, and clear about bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tierdesk.domain.playbook import dump_playbook, load_playbook
from tierdesk.domain.playbook_edits import with_value
from tierdesk.qt.main_window import MainWindow

from .helpers import shown


def test_use_another_playbook_reclassifies_and_undo_goes_back(
    sample_window: MainWindow, tmp_path: Path
) -> None:
    window = sample_window
    plan = window.document.plan
    assert plan is not None
    before = plan.classification.persona.copy()
    stricter = with_value(plan.playbook, "personas.x_split", {"kind": "value", "value": 0.6})
    path = tmp_path / "stricter.toml"
    path.write_text(dump_playbook(stricter), encoding="utf-8")
    window.playbook_commands.use(path)
    assert plan.classification.x_split == pytest.approx(0.6)
    assert (plan.classification.persona != before).any()
    assert shown(window.undo_action.text()) == "Undo Use playbook stricter.toml"
    window.undo_action.trigger()
    assert (plan.classification.persona == before).all()


def test_a_bad_playbook_names_the_key_and_changes_nothing(sample_window: MainWindow, tmp_path: Path) -> None:
    window = sample_window
    window.prompts.answers["warn"] = None
    text = dump_playbook(window.document.plan.playbook).replace(
        "touches_per_quarter = ", "touches_per_quarter = 'x' #", 1
    )  # type: ignore[union-attr]
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    assert window.playbook_commands.use(path) is None
    messages = window.prompts.told("warn")
    assert messages and "touches_per_quarter" in messages[0] and "broken.toml" in messages[0]
    assert window.document.undo_stack.count() == 0


def test_save_playbook_writes_what_is_in_use(sample_window: MainWindow, tmp_path: Path) -> None:
    window = sample_window
    path = tmp_path / "mine.toml"
    assert window.playbook_commands.save(path)
    assert load_playbook(path) == window.document.plan.playbook  # type: ignore[union-attr]
