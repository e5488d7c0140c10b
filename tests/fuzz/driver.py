"""Run `tierdesk inspect` on mutated files, each in its own process under a time and memory limit, and check
the promise: exit 0 or 2, one line on stderr for an error (no traceback, no "internal error"), under 10 s of
CPU and 1 GB of memory for files under 1 MB.

    python -m tests.fuzz.driver --cases 10000 [--seed 1] [--jobs 2] [--out fuzz-out] [--first N] [--fresh]

Each case's process is forked from a warm worker that has imported tierdesk (tests/fuzz/zygote.py), or with
--fresh started as a new interpreter, as a planner would.

Deterministic for a given seed (the same files in the same order); prints the counts at the end and keeps
each failing file (with what went wrong) in the output folder.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tests.fuzz.mutators import MAX_BYTES, family, mutate
from tests.fuzz.seeds import seeds

CPU_SECONDS = 10.0
MEMORY_BYTES = 1 << 30
#: Hard limits on the child: a flood stops at the address-space ceiling, a hang at the wall clock (a
#: process blocked on a pipe uses no CPU).
ADDRESS_SPACE = 4 << 30
WALL_SECONDS = 90.0
TIERDESK = [sys.executable, "-m", "tierdesk"]
#: How often each family of seed is drawn: workbooks (xlsx, xlsb, plans), .xls, CSV.
FAMILY_SHARE = {"zip": 0.5, "xls": 0.2, "csv": 0.3}


@dataclass
class Outcome:
    case: int
    seed_file: str
    size: int
    exit: int | None
    cpu: float
    wall: float
    memory: int
    stdout_lines: int
    stderr: str
    problems: list[str] = field(default_factory=list)


def case_file(seed: int, case: int) -> tuple[str, bytes]:
    """The case'th mutated file of a run: (seed file's name, bytes)."""
    rnd = random.Random(f"{seed}:{case}")
    found = seeds()
    kind = rnd.choices(list(FAMILY_SHARE), list(FAMILY_SHARE.values()))[0]
    name = rnd.choice(sorted(n for n in found if family(n) == kind))
    return name, mutate(name, found[name], rnd)


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    resource.setrlimit(resource.RLIMIT_CPU, (int(CPU_SECONDS * 3), int(CPU_SECONDS * 3) + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


_ENV = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "RUST_BACKTRACE": "0"}
_local = threading.local()
_zygotes: list[subprocess.Popen[str]] = []


def _zygote() -> subprocess.Popen[str]:
    """This worker thread's warm process (tests/fuzz/zygote.py), started on first use."""
    zygote: subprocess.Popen[str] | None = getattr(_local, "zygote", None)
    if zygote is None or zygote.poll() is not None:
        zygote = subprocess.Popen(
            [sys.executable, "-m", "tests.fuzz.zygote"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=_ENV,
        )
        _local.zygote = zygote
        _zygotes.append(zygote)
    return zygote


def _run_forked(path: Path, folder: Path) -> tuple[int | None, float, float, int, bytes, bytes]:
    out, err = folder / f"{path.name}.out", folder / f"{path.name}.err"
    out.touch()
    err.touch()
    request = {
        "file": str(path),
        "out": str(out),
        "err": str(err),
        "cpu_limit": int(CPU_SECONDS * 3),
        "memory_limit": ADDRESS_SPACE,
        "wall": WALL_SECONDS,
    }
    zygote = _zygote()
    assert zygote.stdin is not None and zygote.stdout is not None
    zygote.stdin.write(json.dumps(request) + "\n")
    zygote.stdin.flush()
    answer = json.loads(zygote.stdout.readline())
    stdout, stderr = out.read_bytes(), err.read_bytes()
    out.unlink()
    err.unlink()
    code = None if answer["timed_out"] else int(answer["status"])
    return code, float(answer["cpu"]), float(answer["wall"]), int(answer["memory"]), stdout, stderr


def _run_fresh(path: Path) -> tuple[int | None, float, float, int, bytes, bytes]:
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(
            [*TIERDESK, "inspect", str(path)],
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            preexec_fn=_limits,
            env=_ENV,
        )
        timed_out = threading.Event()

        def stop() -> None:
            timed_out.set()
            child.kill()

        timer = threading.Timer(WALL_SECONDS, stop)
        timer.start()
        _, status, usage = os.wait4(child.pid, 0)  # reaped here, so its own resource usage is known
        timer.cancel()
        child.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        code = None if timed_out.is_set() else child.returncode
        cpu = usage.ru_utime + usage.ru_stime
        return code, cpu, wall, usage.ru_maxrss * 1024, out.read(), err.read()


def run_case(seed: int, case: int, folder: Path, fresh: bool = False) -> Outcome:
    """Run one case: in a process forked from a warm worker, or (`fresh`) a new interpreter as a planner
    would start it."""
    name, data = case_file(seed, case)
    path = folder / f"case{case:06d}-{name}"
    path.write_bytes(data)
    code, cpu, wall, memory, stdout, stderr = _run_fresh(path) if fresh else _run_forked(path, folder)
    outcome = Outcome(
        case,
        name,
        len(data),
        code,
        cpu,
        wall,
        memory,
        len(stdout.decode("utf-8", "replace").splitlines()),
        stderr.decode("utf-8", "replace")[-4000:],
    )
    outcome.problems = problems(outcome, code is None)
    if not outcome.problems:
        path.unlink()
    else:
        (folder / f"case{case:06d}.json").write_text(json.dumps(asdict(outcome), indent=1))
    return outcome


def problems(o: Outcome, timed_out: bool) -> list[str]:
    """What broke the promise in this outcome."""
    found = []
    lines = [line for line in o.stderr.splitlines() if line.strip()]
    if timed_out:
        found.append("hang")
    elif o.exit is None or o.exit < 0 or o.exit in (134, 137, 139):
        found.append(f"abort (exit {o.exit})")
    elif o.exit not in (0, 2):
        found.append(f"exit {o.exit}")
    if "Traceback" in o.stderr or "panicked" in o.stderr:
        found.append("traceback")
    if "internal error" in o.stderr:
        found.append("internal error")
    if o.exit == 2 and (len(lines) != 1 or not lines[0].startswith("tierdesk: ") or o.stdout_lines):
        found.append(f"not one line ({len(lines)} on stderr, {o.stdout_lines} on stdout)")
    if o.exit == 0 and lines:
        found.append(f"{len(lines)} lines on stderr on success")
    if "too large to open on this computer" in o.stderr:
        found.append("ran out of memory")
    if o.size <= MAX_BYTES and o.cpu > CPU_SECONDS:
        found.append(f"slow ({o.cpu:.1f} s of CPU)")
    if o.size <= MAX_BYTES and o.memory > MEMORY_BYTES:
        found.append(f"memory ({o.memory / 2**20:,.0f} MB)")
    return found


def run(cases: int, seed: int, jobs: int, folder: Path, first: int = 0, fresh: bool = False) -> list[Outcome]:
    folder.mkdir(parents=True, exist_ok=True)
    seeds()  # built once, before the workers start
    outcomes: list[Outcome] = []
    try:
        _run_all(cases, seed, jobs, folder, first, fresh, outcomes)
    finally:
        for zygote in _zygotes:
            if zygote.stdin is not None:
                zygote.stdin.close()
            zygote.wait()
        _zygotes.clear()
    outcomes.sort(key=lambda o: o.case)
    return outcomes


def _run_all(
    cases: int, seed: int, jobs: int, folder: Path, first: int, fresh: bool, outcomes: list[Outcome]
) -> None:
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        futures = [pool.submit(run_case, seed, case, folder, fresh) for case in range(first, first + cases)]
        for done, future in enumerate(concurrent.futures.as_completed(futures), start=1):
            outcome = future.result()
            outcomes.append(outcome)
            if outcome.problems:
                print(f"case {outcome.case} ({outcome.seed_file}): {', '.join(outcome.problems)}", flush=True)
            if done % 250 == 0:
                print(f"... {done:,} of {cases:,} cases", flush=True)


def summary(outcomes: list[Outcome]) -> str:
    exits = collections.Counter("hang" if o.exit is None else str(o.exit) for o in outcomes)
    kinds = collections.Counter(p.split(" (")[0] for o in outcomes for p in o.problems)
    slowest = max(outcomes, key=lambda o: o.cpu)
    longest = max(outcomes, key=lambda o: o.wall)
    largest = max(outcomes, key=lambda o: o.memory)
    families = collections.Counter(o.seed_file.rsplit(".", 1)[-1] for o in outcomes)
    return "\n".join(
        [
            f"cases: {len(outcomes):,} ({', '.join(f'{k} {v:,}' for k, v in sorted(families.items()))})",
            f"exits: {', '.join(f'{k}: {v:,}' for k, v in sorted(exits.items()))}",
            f"aborts: {kinds['abort']}, hangs: {kinds['hang']}, internal errors: {kinds['internal error']}, "
            f"tracebacks: {kinds['traceback']}, not one line: {kinds['not one line']}, "
            f"slow: {kinds['slow']}, memory: {kinds['memory'] + kinds['ran out of memory']}",
            f"slowest: case {slowest.case} ({slowest.seed_file}, {slowest.size:,} bytes) "
            f"{slowest.cpu:.1f} s CPU; "
            f"longest wall time: case {longest.case} {longest.wall:.1f} s",
            f"largest memory: case {largest.case} ({largest.seed_file}) {largest.memory / 2**20:,.0f} MB",
            f"failing cases: {sum(1 for o in outcomes if o.problems):,}",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--first", type=int, default=0, help="start at this case number (resume a run)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--out", type=Path, default=None, help="folder for failing files (default: temporary)"
    )
    parser.add_argument(
        "--fresh", action="store_true", help="start a new interpreter per case (slower; no warm worker)"
    )
    args = parser.parse_args(argv)
    folder = args.out or Path(tempfile.mkdtemp(prefix="tierdesk-fuzz-"))
    started = time.perf_counter()
    outcomes = run(args.cases, args.seed, args.jobs, folder, args.first, args.fresh)
    print(summary(outcomes))
    print(f"time: {time.perf_counter() - started:,.0f} s; failing files kept in {folder}")
    return 1 if any(o.problems for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
