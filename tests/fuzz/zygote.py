"""A worker for the fuzz driver: imports tierdesk once, then for each file it is given forks a process that
runs `tierdesk inspect FILE` (the command line's own entry point, with its limits, its output to files) and
reports how that process ended. Forking from a warm process saves the second or so of imports every case
would otherwise pay; each case still runs, aborts or hangs in a process of its own.

Protocol, one JSON object a line: {"file", "out", "err", "cpu_limit", "memory_limit", "wall"} in,
{"status", "cpu", "memory", "wall", "timed_out"} out.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import time


def _child(request: dict[str, object]) -> None:
    """In the forked process: limits, output to files, then the command line."""
    memory, cpu = int(request["memory_limit"]), int(request["cpu_limit"])  # type: ignore[call-overload]
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    for fd, name, flags in (
        (0, os.devnull, os.O_RDONLY),
        (1, request["out"], os.O_WRONLY),
        (2, request["err"], os.O_WRONLY),
    ):
        target = os.open(str(name), flags)
        os.dup2(target, fd)
        os.close(target)
    sys.stdin = open(0, closefd=False)  # noqa: SIM115 - the process ends right after
    sys.stdout = open(1, "w", closefd=False, encoding="utf-8")  # noqa: SIM115
    sys.stderr = open(2, "w", closefd=False, encoding="utf-8")  # noqa: SIM115
    code = 1
    try:
        from tierdesk.cli import main

        sys.argv = ["tierdesk", "inspect", str(request["file"])]
        code = main()  # as `tierdesk inspect FILE` runs: the process, and its error stream, are the CLI's
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _run(request: dict[str, object]) -> dict[str, object]:
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        _child(request)
    deadline = started + float(request["wall"])  # type: ignore[arg-type]
    timed_out = False
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.perf_counter() > deadline and not timed_out:
            os.kill(pid, signal.SIGKILL)
            timed_out = True
        time.sleep(0.005)
    return {
        "status": os.waitstatus_to_exitcode(status),
        "cpu": usage.ru_utime + usage.ru_stime,
        "memory": usage.ru_maxrss * 1024,
        "wall": time.perf_counter() - started,
        "timed_out": timed_out,
    }


def main() -> None:
    import tierdesk.cli
    import tierdesk.io.load
    import tierdesk.io.plan_file
    import tierdesk.io.plan_reading  # noqa: F401

    for line in sys.stdin:
        sys.stdout.write(json.dumps(_run(json.loads(line))) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
