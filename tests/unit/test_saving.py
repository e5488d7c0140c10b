"""Saves leave nothing behind (issue 14, items 5 and 6): a full disk gets one line and no leftovers, a save
killed midway leaves the previous plan whole and its temporary files are gone after the next save."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tierdesk.io.saving import STALE_AFTER_SECONDS, remove_leftovers

REPO = Path(__file__).resolve().parents[2]


def _territory(path: Path, accounts: int) -> Path:
    owners = ["Ana Ruiz", "Bo Chen", "Cy Duma", "Di Eko"]
    lines = ["Account ID,Account Name,Owner,Territory,Revenue,Wallet,Last Purchase"]
    lines += [
        f"A{i:06d},Customer {i} GmbH,{owners[i % 4]},T{i % 7},{1000 + i * 3.5},{5000 + i * 7},"
        f"2024-0{1 + i % 9}-15"
        for i in range(accounts)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def _plan(*args: str, tmp: Path, limits: dict[int, int] | None = None) -> subprocess.Popen[str]:
    def apply_limits() -> None:
        for kind, value in (limits or {}).items():
            resource.setrlimit(kind, (value, value))

    return subprocess.Popen(
        [sys.executable, "-m", "tierdesk", "plan", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ, "TMPDIR": str(tmp)},
        preexec_fn=apply_limits,
    )


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".~"))


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_leftovers_of_dead_saves_go_those_of_running_saves_stay(tmp_path: Path) -> None:
    dead, alive = _dead_pid(), os.getpid()
    (tmp_path / f".~plan-td{dead}-abcd1234.tmp").write_bytes(b"")
    scratch = tmp_path / f".~tierdesk-td{dead}-xyz_9876.tmp"
    scratch.mkdir()
    (scratch / "tmpq1w2e3r4").write_bytes(b"x" * 1000)
    (tmp_path / f".~plan-td{alive}-efgh5678.tmp").write_bytes(b"")
    (tmp_path / ".~plan-ijkl9012.tmp").write_bytes(b"")  # named before ids were kept: fresh, so kept
    old = tmp_path / ".~plan-mnop3456.tmp"
    old.write_bytes(b"")
    os.utime(old, (time.time() - STALE_AFTER_SECONDS - 60,) * 2)
    (tmp_path / "plan.xlsx").write_bytes(b"keep")
    (tmp_path / ".~lock.plan.xlsx#").write_bytes(b"LibreOffice's")
    removed = remove_leftovers(tmp_path)
    assert sorted(removed) == sorted([f".~plan-td{dead}-abcd1234.tmp", scratch.name, old.name])
    assert _leftovers(tmp_path) == sorted(
        [".~lock.plan.xlsx#", ".~plan-ijkl9012.tmp", f".~plan-td{alive}-efgh5678.tmp"]
    )


def test_a_full_disk_gets_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    territory = _territory(tmp_path / "territory.csv", 3_000)
    out, scratch = tmp_path / "out", tmp_path / "scratch"
    out.mkdir()
    scratch.mkdir()
    limits = {resource.RLIMIT_FSIZE: 64 * 1024}  # writes past 64 KB fail, as on a full disk
    child = _plan(str(territory), "-o", str(out / "plan.xlsx"), tmp=scratch, limits=limits)
    _, stderr = child.communicate(timeout=300)
    assert child.returncode == 2
    assert stderr.splitlines() == [stderr.strip()], stderr  # no "Exception ignored in ZipFile.__del__"
    assert stderr.startswith("tierdesk: Could not save plan.xlsx:")
    assert list(out.iterdir()) == [] and list(scratch.iterdir()) == []

    child = _plan(
        str(territory), "-o", str(tmp_path / "per owner"), "--split-by", "owner", tmp=scratch, limits=limits
    )
    _, stderr = child.communicate(timeout=300)
    assert child.returncode == 2 and len(stderr.splitlines()) == 1
    assert not (tmp_path / "per owner").exists()  # the folder it made, left empty, is gone again
    assert list(scratch.iterdir()) == []


@pytest.mark.skipif(os.name == "nt", reason="kill -9 is a POSIX signal")
def test_a_save_killed_midway_leaves_the_old_plan_and_nothing_after_the_next_save(tmp_path: Path) -> None:
    territory = _territory(tmp_path / "territory.csv", 10_000)
    out, scratch = tmp_path / "out", tmp_path / "scratch"
    out.mkdir()
    scratch.mkdir()
    target = out / "plan.xlsx"
    first = _plan(str(territory), "-o", str(target), tmp=scratch)
    assert first.communicate(timeout=600)[1] == "" and first.returncode == 0
    before = target.read_bytes()

    killed = _plan(str(territory), "-o", str(target), tmp=scratch)
    while killed.poll() is None and not any(  # the writer's scratch files are there: the save is midway
        p.is_dir() and any(p.iterdir()) for p in out.iterdir() if p.name.startswith(".~")
    ):
        time.sleep(0.01)
    assert killed.poll() is None, "the save ended before it could be killed"
    os.kill(killed.pid, signal.SIGKILL)
    killed.communicate(timeout=60)
    assert killed.returncode == -signal.SIGKILL
    assert target.read_bytes() == before
    assert _leftovers(out)  # what the killed save left: a temporary plan and a scratch folder

    again = _plan(str(territory), "-o", str(target), tmp=scratch)
    assert again.communicate(timeout=600)[1] == "" and again.returncode == 0
    assert _leftovers(out) == [] and sorted(p.name for p in out.iterdir()) == ["plan.xlsx"]
    assert list(scratch.iterdir()) == []  # nothing in the system's temporary folder either
