"""A short, deterministic fuzz run (about 200 mutated files, a couple of minutes on two cores): no file makes
`tierdesk inspect` abort, hang, print a traceback or "internal error", answer in more than one line, or use
more than 10 s of CPU or 1 GB of memory. The long run: `python -m tests.fuzz.driver --cases 10000`."""

from __future__ import annotations

from pathlib import Path

from tests.fuzz.driver import run, summary

SEED = 20261206
CASES = 200


def test_no_file_breaks_the_promise(tmp_path: Path) -> None:
    outcomes = run(CASES, SEED, jobs=2, folder=tmp_path)
    print(summary(outcomes))
    failing = [
        f"case {o.case} ({o.seed_file}): {', '.join(o.problems)}: {o.stderr[-300:]}"
        for o in outcomes
        if o.problems
    ]
    assert not failing, "\n".join(failing)
    assert {o.exit for o in outcomes} == {0, 2}  # both kinds of answer were exercised
