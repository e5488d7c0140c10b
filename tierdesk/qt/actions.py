"""The main window's menus and actions, with standard shortcuts and readable texts."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from tierdesk.domain.playbook import PERSONAS
from tierdesk.qt.formatting import menu_text


@dataclass
class FileActions:
    open: QAction
    open_sample: QAction
    recent: QMenu
    quit: QAction


def file_actions(parent: QWidget) -> FileActions:
    open_action = QAction("&Open…", parent)
    open_action.setShortcut(QKeySequence.StandardKey.Open)
    open_action.setStatusTip("Open a territory file (.xlsx, .xlsm, .xls, .ods, .csv)")
    sample = QAction("Open &Sample Territory", parent)
    sample.setStatusTip("Open the bundled sample territory of 600 accounts")
    recent = QMenu("Open &Recent", parent)
    quit_action = QAction("&Quit", parent)
    quit_action.setShortcut(QKeySequence.StandardKey.Quit)
    quit_action.setMenuRole(QAction.MenuRole.QuitRole)
    return FileActions(open_action, sample, recent, quit_action)


@dataclass
class AccountActions:
    """Move the selected accounts: Ctrl+1…4 to a persona, Alt+1…6 to a tier, Ctrl+0 clears pins."""

    to_persona: list[QAction] = field(default_factory=list)
    to_tier: list[QAction] = field(default_factory=list)
    clear_pins: QAction | None = None
    select_all: QAction | None = None
    clear_selection: QAction | None = None
    tier_menu: QMenu | None = None


def account_actions(parent: QWidget, menu: QMenu) -> AccountActions:
    actions = AccountActions()
    persona_menu = menu.addMenu("Move to &Persona")
    for i, name in enumerate(PERSONAS):
        action = QAction(menu_text(name), parent)
        action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
        action.setData(name)
        persona_menu.addAction(action)
        actions.to_persona.append(action)
    actions.tier_menu = menu.addMenu("Move to &Tier")
    actions.clear_pins = QAction("&Clear Pins (back to the rules)", parent)
    actions.clear_pins.setShortcut(QKeySequence("Ctrl+0"))
    menu.addAction(actions.clear_pins)
    menu.addSeparator()
    actions.select_all = QAction("Select &All Shown", parent)
    actions.select_all.setShortcut(QKeySequence.StandardKey.SelectAll)
    actions.clear_selection = QAction("Clear &Selection", parent)
    actions.clear_selection.setShortcut(QKeySequence("Esc"))
    menu.addAction(actions.select_all)
    menu.addAction(actions.clear_selection)
    return actions


def fill_tier_actions(parent: QWidget, actions: AccountActions, tier_names: tuple[str, ...]) -> None:
    assert actions.tier_menu is not None
    for action in actions.to_tier:
        actions.tier_menu.removeAction(action)
        action.deleteLater()
    actions.to_tier = []
    for i, name in enumerate(tier_names):
        action = QAction(menu_text(name), parent)
        action.setShortcut(QKeySequence(f"Alt+{i + 1}"))
        action.setData(i)
        actions.tier_menu.addAction(action)
        actions.to_tier.append(action)
