"""Saving a workbook atomically, leaving nothing behind: the workbook is written to a temporary file beside
the target and renamed over it; the writer's own scratch files go in a temporary folder beside it, removed
afterwards; what a save killed midway left behind is removed at the next save into that folder.

Temporary names carry the saving process's id (`.~<name>-td<pid>-<random>.tmp`), so a save never removes
the files of another save still running."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

#: Leftovers named before temporary names carried a process id are removed once this old (no save lasts
#: that long); so are all leftovers on Windows, where a running process's id cannot be checked safely.
STALE_AFTER_SECONDS = 3600
_OURS = re.compile(r"^\.~.*-td(\d+)-[^-/\\]*\.tmp$")
_OLD_STYLE = re.compile(r"^\.~.+-[a-z0-9_]{8}\.tmp$")


def _tag() -> str:
    return f"td{os.getpid()}-"


def temporary_file(target: Path) -> str:
    """A new empty temporary file beside `target` (the caller renames it over the target, or removes it)."""
    fd, name = tempfile.mkstemp(prefix=f".~{target.stem[:40]}-{_tag()}", suffix=".tmp", dir=target.parent)
    os.close(fd)
    return name


@contextlib.contextmanager
def scratch_folder(target: Path | None) -> Iterator[str]:
    """A private folder for the writer's scratch files: beside `target`, or in the system's temporary folder
    when there is no target file; removed with everything in it afterwards."""
    parent = target.parent if target is not None else None
    folder = tempfile.mkdtemp(prefix=f".~tierdesk-{_tag()}", suffix=".tmp", dir=parent)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":
        return True  # os.kill(pid, 0) would signal it on Windows: leftovers there are removed by age
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def remove_leftovers(folder: Path) -> list[str]:
    """Remove the temporary files and folders that saves killed midway left in `folder`; returns their
    names. Those of saves still running are kept."""
    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        ours, old_style = _OURS.match(entry.name), _OLD_STYLE.match(entry.name)
        if not (ours or old_style):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
            continue
        stale = now - info.st_mtime > STALE_AFTER_SECONDS
        if ours and not stale and _alive(int(ours.group(1))):
            continue
        if old_style and not ours and not stale:
            continue
        try:
            if stat.S_ISDIR(info.st_mode):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        except OSError:
            continue
        removed.append(entry.name)
    return removed


def why_not_saved(exc: BaseException) -> str:
    """Why a save failed, in the planner's words."""
    if isinstance(exc, OSError):
        if getattr(exc, "winerror", None) in (32, 33):
            return "the file is open in another program (Excel?); close it there and save again"
        code = exc.errno
        if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1), errno.EFBIG):
            return "the disk is full" if code != errno.EFBIG else "the file grew larger than allowed there"
        if code == errno.EROFS:
            return "the drive is read-only"
        if code in (errno.EACCES, errno.EPERM):
            return "tierdesk may not write there (a read-only folder, or the file is open in another program)"
        if code in (errno.ENOENT, errno.ENOTDIR):
            return "the folder no longer exists (a disconnected network drive?)"
        return exc.strerror or str(exc)
    return f"{type(exc).__name__}: {exc}"


def shareable(path: str) -> None:
    """Give a temporary file (mkstemp makes it private, 0600) the permissions a new file normally gets."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)


def replace_target(source: str, target: Path) -> None:
    """os.replace, retried briefly: on Windows it fails while another program has the target open."""
    shareable(source)
    for attempt in range(6):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if os.name != "nt" or attempt == 5:
                raise
            time.sleep(0.25)


def close_quietly(exc: BaseException) -> None:
    """Close the zip the writer was packing when it failed (a full disk, say): left open, it would try to
    finish itself when collected and print "Exception ignored in ZipFile.__del__" over the message."""
    tb = exc.__traceback__
    while tb is not None:
        for value in list(tb.tb_frame.f_locals.values()):
            if isinstance(value, zipfile.ZipFile):
                with contextlib.suppress(Exception):
                    value.close()
                value.fp = None
        tb = tb.tb_next
