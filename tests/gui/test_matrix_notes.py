"""What the matrix tells beside its points: counts that agree with the pyramid, the accounts it cannot draw
and why, why an estimate-only 2x2 lies on curves, box labels that stay in their own boxes; and the empty
matrix and coverage before a file is open."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
from PySide6.QtCore import QRectF

from tierdesk.qt.main_window import MainWindow

from .conftest import wait_until_shown
from .helpers import assert_opened


def order_lines_without_size(path: Path, customers: int = 120) -> Path:
    """A Superstore-like export: order lines with segment and region but no company size, so every wallet
    is a quantile of the peers' revenue (and the top spenders have no growth potential left)."""
    rng = np.random.default_rng(11)
    rows = []
    today = pd.Timestamp.today().normalize()
    for c in range(customers):
        for k in range(2 + c % 4):
            rows.append(
                {
                    "Order ID": f"O-{c}-{k}",
                    "Order Date": (today - pd.Timedelta(days=int(rng.integers(0, 600)))).date().isoformat(),
                    "Customer ID": f"CU-{c:04d}",
                    "Customer Name": f"Customer {c}",
                    "Segment": ("Consumer", "Corporate", "Home Office")[c % 3],
                    "Region": ("East", "West")[c % 2],
                    "Product ID": f"P-{(c * 5 + k) % 31}",
                    "Sales": round(float(rng.lognormal(5, 1)), 2),
                }
            )
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def open_quietly(window: MainWindow, qtbot, path: Path) -> None:
    with qtbot.waitSignal(window.opener.opened, timeout=60_000) as opened:
        window.open_file(path, interactive=False)
    assert_opened(opened, window, path)
    wait_until_shown(qtbot, window)


def test_counts_agree_with_the_pyramid_and_the_unplotted_are_told(
    window: MainWindow, tmp_path: Path, qtbot
) -> None:
    open_quietly(window, qtbot, order_lines_without_size(tmp_path / "orders.csv"))
    matrix = window.matrix
    plan = window.document.plan
    assert plan is not None
    cls = plan.classification
    at_zero = int((cls.y <= 0).sum())
    assert at_zero > 0 and len(matrix.shown_rows()) == len(cls) - at_zero
    # the colour key counts every account in its tier, drawn or not: the pyramid's figures
    bands = window.pyramid.band_stats()
    names = plan.playbook.tier_names
    assert matrix.legend.texts()[: len(names)] == [
        f"{n} ({int(b['accounts']):,})" for n, b in zip(names, bands, strict=True)
    ]
    assert f"Wallet estimated ({len(cls):,})" in matrix.legend.texts()
    note = matrix.hidden_note
    assert note.isVisible() and not note.geometry().intersects(matrix.plot.geometry())
    assert note.text().startswith(f"{at_zero:,} not plotted: growth potential 0 on a log axis.")
    assert "Curves: no company size in the file" in note.text()  # why the boxes hold curves
    assert "counted in the legend" in note.toolTip()
    assert f"as of {plan.as_of.date()}" not in window.source_label.text()  # a recent file: dated today

    matrix.y_log.click()  # a linear axis draws potential 0
    assert len(matrix.shown_rows()) == len(cls)
    assert "not plotted" not in note.text() and note.text().startswith("Curves:")
    matrix.x_field.setCurrentIndex(matrix.x_field.findData("projected_value"))
    assert not note.isVisible()  # not the persona axes: no curves to explain, every account drawn


def visible_labels(window: MainWindow) -> dict[str, QRectF]:
    """Each box's label on screen (on two lines, or one when the box is short), by box."""
    boxes = window.matrix.persona_boxes
    shown: dict[str, QRectF] = {}
    for labels in (boxes.labels, boxes.short_labels):
        for name, label in labels.items():
            if label.isVisible():
                assert name not in shown, f"the {name} box shows two labels"
                shown[name] = label.sceneBoundingRect()
    return shown


def test_box_labels_stay_in_their_own_boxes_when_a_split_leaves_the_view(
    sample_window: MainWindow,
) -> None:
    matrix = sample_window.matrix
    assert len(visible_labels(sample_window)) == 4
    (x0, x1), (y0, y1) = matrix.viewbox.viewRange()
    split = matrix.x_line.value()
    matrix.viewbox.setRange(xRange=(split + 0.02, x1), yRange=(y0, y1), padding=0)  # split line off the left
    matrix.viewbox.updateMatrix()
    matrix.persona_boxes.place()
    shown = visible_labels(sample_window)
    assert set(shown) == {"Strategic Partnerships", "Protect & Defend"}  # the low-share boxes are off-screen
    plot_area = matrix.viewbox.sceneBoundingRect()
    for name, rect in shown.items():
        box = matrix.boxes[name].sceneBoundingRect().intersected(plot_area)
        assert box.contains(rect), f"the {name} label leaves its box"
    for (a, ra), (b, rb) in itertools.combinations(shown.items(), 2):
        assert not ra.intersects(rb), f"the {a} and {b} labels overlap"

    # a box too short for two lines gets its label on one
    height, ys = matrix.viewbox.height(), matrix.y_line.value()
    strip = 42  # pixels of the high-potential boxes left on screen: room for one line of text, not two
    top = (ys - strip * y0 / height) / (1 - strip / height)
    matrix.viewbox.setRange(xRange=(x0, x1), yRange=(y0, top), padding=0)
    matrix.viewbox.updateMatrix()
    matrix.persona_boxes.place()
    assert set(visible_labels(sample_window)) == set(matrix.box_labels)
    assert matrix.persona_boxes.short_labels["Land & Expand"].isVisible()
    assert not matrix.box_labels["Land & Expand"].isVisible()
    assert not matrix.persona_boxes.short_labels["Efficient Engagement"].isVisible()

    matrix.fit()
    assert len(visible_labels(sample_window)) == 4


def test_before_a_file_is_open_the_views_show_a_hint_not_bare_axes(window: MainWindow, qtbot) -> None:
    matrix, coverage = window.matrix, window.coverage
    qtbot.waitUntil(lambda: matrix.empty_hint.isVisible())
    assert "Ctrl+O" in matrix.empty_hint.text() and "Open Sample Territory" in matrix.empty_hint.text()
    assert not any(w.isVisible() for w in (matrix.plot, matrix.legend, matrix.hidden_note))
    assert coverage.empty_hint.isVisible() and not coverage.content.isVisible()
    assert not coverage.by_role.isVisible()

    with qtbot.waitSignal(window.opener.opened, timeout=60_000):
        window.file_actions.open_sample.trigger()
    wait_until_shown(qtbot, window)
    assert matrix.plot.isVisible() and not matrix.empty_hint.isVisible()
    qtbot.waitUntil(lambda: coverage.content.isVisible())
    assert not coverage.empty_hint.isVisible() and coverage.by_role.isVisible()


def test_an_old_extract_says_its_date_in_the_status_bar_and_the_import_report(
    window: MainWindow, tmp_path: Path, qtbot
) -> None:
    path = tmp_path / "old-orders.csv"
    frame = pd.read_csv(order_lines_without_size(path))
    shift = pd.Timestamp.today().normalize() - pd.Timestamp("2017-12-30")
    frame["Order Date"] = (pd.to_datetime(frame["Order Date"]) - shift).dt.date.astype(str)
    frame.to_csv(path, index=False)
    open_quietly(window, qtbot, path)
    plan = window.document.plan
    assert plan is not None
    latest = pd.to_datetime(frame["Order Date"]).max().date()
    assert plan.as_of.date() == latest
    assert window.source_label.text() == f"old-orders.csv · as of {latest}"
    assert "the latest purchase in the file" in window.source_label.toolTip()
    report = [i.message for i in window.import_report.model.issues()]
    assert any(f"Plan dated {latest}, the latest purchase in the file" in m for m in report)
    assert any("breadth is counted in products owned" in m for m in report)
