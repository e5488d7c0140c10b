"""The persona matrix driven with the mouse and keyboard: drag a point, drag a split line, select."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from tierdesk.domain.playbook import PERSONAS
from tierdesk.io.plan_format import HISTORY_SHEET
from tierdesk.qt.dialogs.reason_dialog import ReasonDialog
from tierdesk.qt.main_window import MainWindow
from tierdesk.qt.views.palette import LABEL_BACKING, qcolour

from .helpers import Questions, click_mouse, drag_mouse, focus_on, shown, view_to_widget


def visible_point_in(window: MainWindow, persona: str) -> int:
    """An unpinned account drawn inside the box of `persona`, well away from the split lines."""
    matrix = window.matrix
    plan = window.document.plan
    assert plan is not None
    cls = plan.classification
    (x0, x1), (y0, y1) = matrix.viewbox.viewRange()
    xs, ys = matrix.x_line.value(), matrix.y_line.value()
    rows = matrix.shown_rows()
    x, y = matrix.points.x[rows], matrix.points.y[rows]
    inside = (
        (x > x0 + 0.05 * (x1 - x0))
        & (x < x1 - 0.05 * (x1 - x0))
        & (y > y0 + 0.05 * (y1 - y0))
        & (y < y1 - 0.05 * (y1 - y0))
    )
    far = (np.abs(x - xs) > 0.08 * (x1 - x0)) & (np.abs(y - ys) > 0.08 * (y1 - y0))
    ok = (
        inside
        & far
        & (np.asarray(cls.persona)[rows] == PERSONAS.index(persona))
        & ~np.asarray(cls.pinned_persona)[rows]
    )
    candidates = rows[ok]
    assert len(candidates), f"no clear point in {persona}"
    # the one least crowded by neighbours, so the press picks it
    px = [point_on_screen(window, r) for r in candidates[:200]]
    best = max(
        range(len(px)),
        key=lambda i: min(
            ((px[i].x() - q.x()) ** 2 + (px[i].y() - q.y()) ** 2 for j, q in enumerate(px) if j != i),
            default=1e9,
        ),
    )
    return int(candidates[best])


def point_on_screen(window: MainWindow, row: int) -> QPointF:
    """Where the point of the account at `row` is, in the matrix plot's pixels."""
    at = window.matrix.point_at(row)
    return view_to_widget(window.matrix.plot, at.x(), at.y())


def drag_up_a_box(window: MainWindow, row: int) -> None:
    """Drag the point of `row` with the mouse straight up, into the box above the potential split."""
    matrix = window.matrix
    start = point_on_screen(window, row)
    (_x0, _x1), (_y0, y1) = matrix.viewbox.viewRange()
    split = matrix.y_line.value()
    above = view_to_widget(matrix.plot, matrix.point_at(row).x(), split + 0.4 * (y1 - split))
    drag_mouse(matrix.plot.viewport(), start, above)


def test_dragging_a_point_into_another_box_pins_its_persona_and_undo_restores(
    sample_window: MainWindow,
) -> None:
    window = sample_window
    plan = window.document.plan
    assert plan is not None
    row = visible_point_in(window, "Efficient Engagement")
    before_cost = window.document.coverage().cost
    before_sellers = window.document.coverage().sellers
    drag_up_a_box(window, row)

    assert plan.classification.persona[row] == PERSONAS.index("Land & Expand")
    assert plan.classification.pinned_persona[row]
    assert plan.override(str(plan.accounts["account_id"].iloc[row]), "persona").reason == "test"
    after = window.document.coverage()
    assert (after.cost, after.sellers) != (before_cost, before_sellers)
    assert shown(window.undo_action.text()).startswith("Undo Move ")
    assert "Land & Expand" in shown(window.undo_action.text())
    assert window.isWindowModified()

    window.undo_action.trigger()
    assert plan.classification.persona[row] == PERSONAS.index("Efficient Engagement")
    assert not plan.classification.pinned_persona[row]
    assert window.document.coverage().cost == before_cost
    assert not window.isWindowModified()


def test_dragging_the_share_split_moves_accounts_live_and_is_one_undo_step(sample_window: MainWindow) -> None:
    window = sample_window
    matrix = window.matrix
    plan = window.document.plan
    assert plan is not None
    before = np.asarray(plan.classification.persona).copy()
    split_before = plan.classification.x_split
    (_x0, x1), (y0, y1) = matrix.viewbox.viewRange()
    y_mid = (y0 + y1) / 2
    start = view_to_widget(matrix.plot, matrix.x_line.value(), y_mid)
    new_x = matrix.x_line.value() + 0.5 * (x1 - matrix.x_line.value())
    end = view_to_widget(matrix.plot, new_x, y_mid)
    labels: list[str] = []
    window.document.changed.connect(
        lambda _c: labels.append(matrix.box_labels["Land & Expand"].textItem.toPlainText())
    )
    drag_mouse(matrix.plot.viewport(), start, end, steps=6)

    assert plan.classification.x_split > split_before
    moved = np.flatnonzero(before != np.asarray(plan.classification.persona))
    assert len(moved) > 0
    assert len(set(labels)) > 1, "box counts re-flow while dragging"
    assert window.document.undo_stack.count() == 1
    assert "share-of-wallet split" in shown(window.undo_action.text())
    window.undo_action.trigger()
    assert plan.classification.x_split == split_before
    assert np.array_equal(np.asarray(plan.classification.persona), before)


def test_click_ctrl_click_and_rubber_band_select(sample_window: MainWindow) -> None:
    window = sample_window
    matrix = window.matrix
    a = visible_point_in(window, "Strategic Partnerships")
    b = visible_point_in(window, "Protect & Defend")
    viewport = matrix.plot.viewport()
    click_mouse(viewport, point_on_screen(window, a))
    assert list(window.selection.rows()) == [a]
    click_mouse(viewport, point_on_screen(window, b), Qt.KeyboardModifier.ControlModifier)
    assert set(window.selection.rows()) == {a, b}
    # rubber band over the whole upper-right box selects what is drawn there
    (_x0, x1), (_y0, y1) = matrix.viewbox.viewRange()
    start = view_to_widget(matrix.plot, matrix.x_line.value() + 1e-6, y1)
    end = view_to_widget(matrix.plot, x1, matrix.y_line.value() + 1e-6)
    drag_mouse(viewport, QPointF(start.x() + 14, start.y() + 4), QPointF(end.x() - 4, end.y() - 14))
    picked = window.selection.rows()
    assert len(picked) > 5
    assert np.all(matrix.points.x[picked] >= matrix.x_line.value())
    assert np.all(matrix.points.y[picked] >= matrix.y_line.value())
    # the table mirrors the selection
    assert len(window.accounts_view.table.selectionModel().selectedRows()) == len(picked)


def test_keyboard_shortcut_moves_the_selection_to_a_box(sample_window: MainWindow, qtbot) -> None:
    window = sample_window
    plan = window.document.plan
    assert plan is not None
    rows = np.flatnonzero(np.asarray(plan.classification.persona) == PERSONAS.index("Efficient Engagement"))[
        :3
    ]
    window.selection.set_rows(rows, "test")
    focus_on(qtbot, window.matrix.plot)
    qtbot.keyClick(window.matrix.plot, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert np.all(np.asarray(plan.classification.persona)[rows] == PERSONAS.index("Land & Expand"))
    assert "3 accounts" in shown(window.undo_action.text())


def test_a_split_drag_is_recorded_once_as_the_planner_set_it(
    sample_window: MainWindow, tmp_path: Path, qtbot
) -> None:
    window = sample_window
    matrix = window.matrix
    plan = window.document.plan
    assert plan is not None
    (_x0, x1), (y0, y1) = matrix.viewbox.viewRange()
    y_mid = (y0 + y1) / 2
    start = view_to_widget(matrix.plot, matrix.x_line.value(), y_mid)
    end = view_to_widget(matrix.plot, matrix.x_line.value() + 0.3 * (x1 - matrix.x_line.value()), y_mid)
    label = matrix.persona_boxes.split_labels["x"]
    assert label.textItem.toPlainText() == "35%"  # the line says where it stands
    seen: list[str] = []
    window.document.changed.connect(lambda _c: seen.append(label.textItem.toPlainText()))
    drag_mouse(matrix.plot.viewport(), start, end, steps=6)

    assert len(set(seen)) > 1 and all(t.endswith("%") for t in seen)  # the value follows the drag
    split = plan.classification.x_split
    value = f"{round(split * 100):.0f}%"
    assert split * 100 == pytest.approx(round(split * 100), abs=1e-9)  # set to the figure it shows
    assert label.textItem.toPlainText() == value
    assert shown(window.undo_action.text()).endswith(f"split to {value}")
    rows = plan.history[plan.history["kind"] == "split"]
    assert rows[["what", "old", "new"]].values.tolist() == [["share-of-wallet split", "35%", value]]

    path = tmp_path / "plan.xlsx"
    with qtbot.waitSignal(window.plan_files.saved, timeout=60_000) as saved:
        window.plan_files.save_to(path)
    assert saved.args == [path]
    sheet = openpyxl.load_workbook(path)[HISTORY_SHEET]
    lines = [r for r in sheet.iter_rows(values_only=True) if r[1] == "Split line"]
    assert [line[3:6] for line in lines] == [("Share-of-wallet split", "35%", value)]

    window.undo_action.trigger()
    assert plan.classification.x_split == pytest.approx(0.35)
    undone = plan.history[plan.history["kind"] == "split"].iloc[-1]
    assert (undone["old"], undone["new"]) == (value, "35%")


def test_the_colour_key_follows_tier_moves_and_stays_off_the_points(sample_window: MainWindow) -> None:
    window = sample_window
    matrix = window.matrix
    plan = window.document.plan
    assert plan is not None
    names = plan.playbook.tier_names
    bands = window.pyramid.band_stats()
    expected = [f"{n} ({int(b['accounts']):,})" for n, b in zip(names, bands, strict=True)]
    assert matrix.legend.texts() == expected
    assert not matrix.legend.geometry().intersects(matrix.plot.geometry())  # above the plot, not on it
    bottom = len(names) - 1
    rows = np.flatnonzero(np.asarray(plan.classification.tier) == bottom)[:3]
    window.selection.set_rows(rows, "test")
    window.move_selection_to_tier(1)
    bands = window.pyramid.band_stats()
    assert f"{names[1]} ({int(bands[1]['accounts']):,})" in matrix.legend.texts()
    assert f"{names[bottom]} ({int(bands[bottom]['accounts']):,})" in matrix.legend.texts()


def test_box_labels_stay_readable_above_the_points(sample_window: MainWindow) -> None:
    matrix = sample_window.matrix
    scene = matrix.plot.scene()
    covered = 0
    for name, label in matrix.box_labels.items():
        assert label.fill.color() == qcolour(LABEL_BACKING)  # a translucent plate, by palette role
        assert 0 < label.fill.color().alpha() < 255
        area = label.sceneBoundingRect()
        for row in matrix.shown_rows():
            at = matrix.viewbox.mapViewToScene(matrix.point_at(row))
            if not area.contains(at):
                continue
            covered += 1
            stack = [i for i in scene.items(at) if i is matrix.cloud or i is label or label.isAncestorOf(i)]
            assert stack[-1] is matrix.cloud, f"a point is drawn over the {name} label"
    assert covered > 0  # the sample has points where the labels are


def test_a_move_needs_a_reason(sample_window: MainWindow, qtbot) -> None:
    """The real reason question: OK stays off while the reason is empty or blank."""
    window = sample_window
    plan = window.document.plan
    assert plan is not None
    del window.prompts.answers["reason"]  # the real dialog, not the test's answer
    row = visible_point_in(window, "Efficient Engagement")
    states: list[bool] = []

    def type_reason(dialog: QWidget) -> None:
        assert isinstance(dialog, ReasonDialog)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        states.append(ok.isEnabled())
        qtbot.keyClicks(dialog.reason, "   ")
        states.append(ok.isEnabled())
        qtbot.keyClicks(dialog.reason, "Key logo for the region")

    questions = Questions((ReasonDialog, "OK", type_reason))
    drag_up_a_box(window, row)
    qtbot.waitUntil(questions.done)
    assert states == [False, False]
    account = str(plan.accounts["account_id"].iloc[row])
    assert plan.override(account, "persona").reason == "Key logo for the region"  # type: ignore[union-attr]
