"""One-page account plans as a PDF beside the bare minimum Qt needs to write as many pages.

Usage: python tests/benchmarks/bench_onepager.py [--accounts N]   (default: the 600 sample accounts)
One-pagers = gathering what each page shows (`account_sheets`, on the GUI thread in the app) + laying out
and painting every page into a QPdfWriter + adding the bookmarks (`write_pdf`, in the background in the app).
Baseline = a QPdfWriter writing one line of text (the account's name) on as many pages, in the same run.
The last line is the figure, per page and as a ratio to the baseline.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF
from PySide6.QtGui import QGuiApplication, QPainter, QPdfWriter

from tierdesk import paths
from tierdesk.domain.onepager import account_sheets, onepager_rows
from tierdesk.domain.plan_objectives import new_plan
from tierdesk.domain.playbook import default_playbook
from tierdesk.io.load import open_territory
from tierdesk.io.pdf_file import page_count
from tierdesk.qt.onepager.render import page_layout, write_pdf


def baseline(path: Path, names: list[str]) -> None:
    writer = QPdfWriter(str(path))
    writer.setPageLayout(page_layout())
    writer.setResolution(600)
    painter = QPainter(writer)
    for i, name in enumerate(names):
        if i:
            writer.newPage()
        painter.drawText(QPointF(200, 400), name)
    painter.end()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=600, help="the sample tiled to this many accounts")
    args = parser.parse_args()
    app = QGuiApplication([])
    accounts = open_territory(paths.sample_territory()).accounts
    if args.accounts != len(accounts):
        accounts = accounts.iloc[np.resize(np.arange(len(accounts)), args.accounts)].reset_index(drop=True)
        accounts["account_id"] = [f"ACC-{i:07d}" for i in range(args.accounts)]
    plan = new_plan(accounts, default_playbook(), as_of="2025-07-01")
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        pages = account_sheets(plan, onepager_rows(plan))
        gather = time.perf_counter() - start
        start = time.perf_counter()
        out = write_pdf(Path(folder) / "plans.pdf", pages)
        render = time.perf_counter() - start
        size = out.stat().st_size
        assert page_count(out) == len(pages)
        start = time.perf_counter()
        baseline(Path(folder) / "baseline.pdf", [p.name for p in pages])
        bare = time.perf_counter() - start
    n = len(pages)
    print(f"{n:,} accounts: gather {gather * 1000:.0f} ms ({gather / n * 1000:.2f} ms a page, GUI thread)")
    print(f"render + bookmarks {render:.2f} s ({render / n * 1000:.1f} ms a page, background)", end="; ")
    print(f"{size / n / 1024:.1f} kB a page")
    print(f"baseline (one line a page) {bare:.2f} s ({bare / n * 1000:.2f} ms a page)")
    total = gather + render
    print(f"one-pagers: {total / n * 1000:.1f} ms a page; ratio to baseline {total / bare:.1f}")
    del app


if __name__ == "__main__":
    main()
