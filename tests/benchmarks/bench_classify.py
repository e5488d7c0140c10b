"""Reclassification after a split-line move, beside the plain numpy floor of the same comparison.

Usage: python tests/benchmarks/bench_classify.py [--rows N ...] [--repeat K]
Reclassify = personas from the moved split, 1% of accounts pinned, over/under-investment findings redone
(`with_splits`, what the matrix calls while a line is dragged). Baseline = `(y >= ys) * 2 + (x >= xs)` on
the same arrays. Limits: 10 ms at 100,000 accounts, 100 ms at 1,000,000. Also shown: a full
classification, coverage (limit 5 ms at 100,000), `Plan.apply(MoveSplit)` and all persona reasons.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from tierdesk.domain.classification import Override, with_splits
from tierdesk.domain.classify import classify
from tierdesk.domain.coverage import coverage, group_codes
from tierdesk.domain.plan import MoveSplit, Plan
from tierdesk.domain.playbook import default_playbook
from tierdesk.domain.reasons import reason_series

LIMITS_MS = {100_000: 10.0, 1_000_000: 100.0}
COVERAGE_LIMIT_MS = {100_000: 5.0}
AS_OF = "2026-11-01"


def random_accounts(n: int, seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    wallet = rng.lognormal(12.2, 1.3, n)
    revenue = wallet * rng.beta(1.2, 3.0, n)
    revenue[rng.random(n) < 0.2] = 0.0
    wallet[rng.random(n) < 0.01] = np.nan  # some accounts without a wallet estimate
    return pd.DataFrame(
        {
            "account_id": pd.array([f"A{i:07d}" for i in range(n)], dtype="string"),
            "territory": pd.Categorical(rng.choice([f"Territory {i}" for i in range(16)], n)),
            "owner": pd.Categorical(rng.choice([f"Owner {i}" for i in range(300)], n)),
            "revenue": revenue,
            "wallet": wallet,
            "areas": rng.integers(0, 6, n).astype("float64"),
            "last_purchase": pd.Timestamp(AS_OF) - pd.to_timedelta(rng.integers(0, 2500, n), unit="D"),
        }
    )


def median_ms(run: Callable[[int], object], repeat: int) -> float:
    run(0)  # warm up
    times = []
    for i in range(repeat):
        start = time.perf_counter()
        run(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def measure(n: int, repeat: int) -> tuple[float, float]:
    frame = random_accounts(n)
    pb = default_playbook()
    pins = {
        (f"A{i:07d}", "persona"): Override(f"A{i:07d}", "persona", "Land & Expand", "bench")
        for i in range(0, n, 100)
    }
    start = time.perf_counter()
    cls = classify(frame, pb, pins, as_of=AS_OF)
    classify_ms = (time.perf_counter() - start) * 1000
    splits = np.linspace(cls.x_split * 0.5, cls.x_split * 1.5, repeat + 1)
    x, y, ys = cls.x, cls.y, cls.y_split

    reclassify_ms = median_ms(lambda i: with_splits(cls, float(splits[i]), None), repeat)
    baseline_ms = median_ms(lambda i: (y >= ys) * 2 + (x >= splits[i]), repeat)
    groups = {c: group_codes(frame, c) for c in ("territory", "owner")}
    coverage_ms = median_ms(lambda i: coverage(frame, cls, pb, groups), repeat)
    plan = Plan(frame, pb, pins, as_of=AS_OF)
    apply_ms = median_ms(lambda i: plan.apply(MoveSplit("x", float(splits[i]))), repeat)
    start = time.perf_counter()
    reason_series(cls)
    reasons_ms = (time.perf_counter() - start) * 1000

    limit = LIMITS_MS.get(n)
    verdict = "" if limit is None else f" (limit {limit:g} ms: {'ok' if reclassify_ms <= limit else 'OVER'})"
    cov_limit = COVERAGE_LIMIT_MS.get(n)
    cov_verdict = (
        ""
        if cov_limit is None
        else f" (limit {cov_limit:g} ms: {'ok' if coverage_ms <= cov_limit else 'OVER'})"
    )
    print(
        f"{n:>9,} accounts: reclassify {reclassify_ms:.2f} ms{verdict}; "
        f"baseline numpy {baseline_ms:.2f} ms; "
        f"full classify {classify_ms:.0f} ms; coverage {coverage_ms:.2f} ms{cov_verdict}; "
        f"Plan.apply(MoveSplit) {apply_ms:.1f} ms; persona reasons {reasons_ms:.0f} ms"
    )
    return reclassify_ms, baseline_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    results = [measure(n, args.repeat) for n in args.rows]
    reclassify_ms, baseline_ms = results[-1]
    print(
        f"reclassify: {reclassify_ms:.2f} ms; baseline numpy: {baseline_ms:.2f} ms; "
        f"ratio {reclassify_ms / baseline_ms:.2f}"
    )


if __name__ == "__main__":
    main()
