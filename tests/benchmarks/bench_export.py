"""Plan workbook export beside plain xlsxwriter writing the same cells, and the save/reopen round trip.

Usage: python tests/benchmarks/bench_export.py [--rows N] [--keep DIR]   (default 100,000 accounts)
Export = `write_plan`: Summary with charts, Account Plans and Objectives as formatted Excel tables with
dropdowns and colours, the exact plan in very hidden sheets; values prepared from the plan, per block.
Baseline = xlsxwriter in constant-memory mode writing the same table and hidden-sheet cells, prepared
beforehand, with no formats. Limits: export ≤ 1.2 × baseline; peak traced memory ≤ 2 × the account table
(pandas deep memory). The saved plan must read back exactly. The last line is the verdict.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
from xlsxwriter.workbook import Workbook

from tierdesk import paths
from tierdesk.domain.plan_objectives import new_plan
from tierdesk.domain.playbook import default_playbook
from tierdesk.io.excel_cells import TextNotes
from tierdesk.io.export import OPTIONS
from tierdesk.io.load import open_territory
from tierdesk.io.plan_file import read_plan, write_plan
from tierdesk.io.snapshot import PlanSnapshot

AS_OF = "2025-07-01"
TIME_RATIO, MEMORY_RATIO = 1.2, 2.0


def big_accounts(n: int) -> pd.DataFrame:
    """The sample territory tiled to n accounts (unique ids; every dtype the loader makes, extras too)."""
    sample = open_territory(paths.sample_territory()).accounts
    frame = sample.iloc[np.resize(np.arange(len(sample)), n)].reset_index(drop=True)
    rng = np.random.default_rng(5)
    frame["account_id"] = pd.array([f"ACC-{i:07d}" for i in range(n)], dtype="string")
    frame["revenue"] = frame["revenue"] * rng.uniform(0.5, 1.5, n)
    frame["Region Code"] = pd.array(rng.choice(["N1", "S2", "007", None], n), dtype="string")
    frame["Seats"] = np.where(rng.random(n) < 0.1, np.nan, rng.integers(1, 500, n).astype(float))
    frame["source_row"] = np.arange(2, n + 2, dtype=np.int64)
    return frame


def baseline_cells(state: PlanSnapshot) -> dict[str, list[list[object]]]:
    """Every table and hidden-sheet cell the export writes, prepared ahead (not timed)."""
    from tierdesk.io.export import shown_frame
    from tierdesk.io.export_sheets import ObjectiveRows, PlanRows
    from tierdesk.io.plan_codec import frame_rows

    plans = PlanRows(state, TextNotes())
    objectives = ObjectiveRows(plans)
    sheets: dict[str, list[list[object]]] = {}
    for name, source, n in (("Account Plans", plans, plans.n), ("Objectives", objectives, objectives.n)):
        rows: list[list[object]] = []
        for first in range(0, n, 5000):
            block = source.block(first, min(first + 5000, n))
            grid = np.empty((len(block[0]), len(block)), dtype=object)
            for j, values in enumerate(block):
                grid[:, j] = values
            rows += grid.tolist()
        sheets[name] = rows
    sheets["hidden"] = [
        *frame_rows("accounts", state.accounts),
        *frame_rows("shown", shown_frame(state, plans)),
        *frame_rows("objectives", state.objectives),
        *frame_rows("overrides", state.overrides),
    ]
    return sheets


def write_baseline(cells: dict[str, list[list[object]]], path: Path) -> float:
    start = time.perf_counter()
    wb = Workbook(str(path), OPTIONS)
    for name, rows in cells.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            ws.write_row(r, 0, row)
    wb.close()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write the workbooks here instead of a temporary folder")
    args = parser.parse_args(argv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        return run(args.rows, args.keep)
    with tempfile.TemporaryDirectory(prefix="tierdesk-bench-") as folder:
        return run(args.rows, Path(folder))


def run(rows: int, folder: Path) -> int:
    accounts = big_accounts(rows)
    plan = new_plan(accounts, default_playbook(), as_of=AS_OF)
    state = PlanSnapshot.from_plan(
        plan, source_file="bench.xlsx", source_sheet="Accounts", mapping={"account_id": "Account ID"}
    )
    table_mb = accounts.memory_usage(deep=True).sum() / 1e6
    print(f"accounts: {len(accounts):,} ({table_mb:.1f} MB); objectives: {len(state.objectives):,}")

    start = time.perf_counter()
    write_plan(state, folder / "plan.xlsx")
    export_s = time.perf_counter() - start
    cells = baseline_cells(state)
    count = sum(len(r) * (len(r[0]) if r else 0) for r in cells.values())
    baseline_s = write_baseline(cells, folder / "baseline.xlsx")
    del cells
    print(f"cells written by the baseline: {count:,}")

    tracemalloc.start()
    write_plan(state, folder / "plan-memory.xlsx")
    peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    memory_ok = peak_mb <= MEMORY_RATIO * table_mb
    print(
        f"peak traced memory during export: {peak_mb:.1f} MB (limit {MEMORY_RATIO:g} x {table_mb:.1f} MB: "
        f"{'ok' if memory_ok else 'OVER'})"
    )

    start = time.perf_counter()
    back, problems, edits = read_plan(folder / "plan-memory.xlsx")
    differences = state.differences(back)
    print(
        f"reopen: {time.perf_counter() - start:.2f} s; round trip "
        f"{'exact' if not differences and not problems and not edits else 'DIFFERS: ' + str(differences)}"
    )
    size_mb = (folder / "plan.xlsx").stat().st_size / 1e6
    print(f"workbook: {size_mb:.1f} MB ({folder / 'plan.xlsx'})")
    ratio = export_s / baseline_s
    ok = ratio <= TIME_RATIO and memory_ok and not differences
    print(f"export: {export_s:.2f} s; baseline xlsxwriter: {baseline_s:.2f} s; ratio {ratio:.2f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
