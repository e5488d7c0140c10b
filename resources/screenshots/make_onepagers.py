"""Render the one-page plans shown in the README: a Strategic account, a Greenfield one, and a pinned account
with a long name and long notes, from the bundled sample territory, as PNG pages beside this script.

    python resources/screenshots/make_onepagers.py
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPageLayout, QPainter

from tierdesk.domain.onepager import OnePager, account_sheets
from tierdesk.domain.plan import PinAccounts
from tierdesk.domain.plan_objectives import PlanInfo, SetPlanInfo, new_plan, set_objective
from tierdesk.domain.playbook import CATEGORIES, default_playbook
from tierdesk.io.load import open_territory
from tierdesk.paths import sample_territory
from tierdesk.qt.onepager.page import PageFrame, paint_page
from tierdesk.qt.onepager.render import page_layout

HERE = Path(__file__).resolve().parent
DPI = 110
PRINTED = dt.date(2026, 3, 2)
LONG_NAME = (
    "Northwind Consolidated Holdings International Group, Subsidiaries and Affiliates "
    "(Europe, Middle East and Africa) Limited Liability Partnership"
)
NOTE = (
    "Met the CFO and the new CIO in March. The renewal hinges on the data-residency clause: legal wants the "
    "EU region in writing before procurement signs. Second workshop booked with the platform team; bring the "
    "migration plan and two reference customers from manufacturing. Competitor is offering a 30% first-year "
    "discount, but their support model worries the operations lead. "
)


def pages() -> list[OnePager]:
    accounts = open_territory(sample_territory()).accounts.copy()
    pinned = 3
    accounts.loc[pinned, "account_name"] = LONG_NAME
    plan = new_plan(accounts, default_playbook(), as_of="2026-01-05")
    plan.user = "m.holloway"
    plan.apply(SetPlanInfo(PlanInfo("Megan Holloway", title="North America FY26"), "Plan details"))
    cls = plan.classification
    strategic = int(next(r for r in range(len(accounts)) if cls.tier[r] == 0 and cls.category[r] == 0))
    greenfield = int(
        next(r for r in range(len(accounts)) if cls.category[r] == CATEGORIES.index("Greenfield"))
    )
    plan.apply(
        PinAccounts((pinned,), "tier", "Strategic", "Board decision: white-glove cover during the merger")
    )
    plan.apply(
        PinAccounts((pinned,), "persona", "Strategic Partnerships", "New CIO is consolidating platforms")
    )
    ids = plan.objectives_of(pinned)["objective_id"].tolist()
    plan.apply(set_objective(ids[0], "notes", (NOTE * 6)[:2000]))
    plan.apply(set_objective(ids[0], "status", "In progress"))
    plan.apply(set_objective(ids[1], "notes", NOTE))
    first = int(plan.objectives_of(strategic)["objective_id"].iat[0])
    plan.apply(set_objective(first, "status", "Met"))
    plan.apply(set_objective(first, "notes", "Met the COO and the CFO at the January business review."))
    return account_sheets(plan, [strategic, greenfield, pinned])


def render(page: OnePager, number: int, total: int) -> QImage:
    layout: QPageLayout = page_layout("a4")
    full = layout.fullRectPixels(DPI)
    paint = layout.paintRectPixels(DPI)
    image = QImage(full.width(), full.height(), QImage.Format.Format_RGB32)
    image.setDotsPerMeterX(round(DPI / 0.0254))
    image.setDotsPerMeterY(round(DPI / 0.0254))
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.translate(paint.topLeft())
    paint_page(painter, QRectF(0, 0, paint.width(), paint.height()), page, number, PageFrame(PRINTED, total))
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    shots = pages()
    for i, (name, page) in enumerate(zip(("strategic", "greenfield", "pinned-long"), shots, strict=True)):
        path = HERE / f"onepager-{name}.png"
        render(page, i + 1, len(shots)).save(str(path))
        print(f"wrote {path} ({page.name[:50]}, {page.tier}, {page.category})")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
