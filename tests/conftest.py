"""Shared test set-up: offscreen Qt, isolated settings, paths to real and sample files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
REALDATA = REPO.parent / "shared" / "realdata"


def realdata(name: str) -> Path:
    """A workbook from ../shared/realdata, or skip the test with the reason."""
    path = REALDATA / name
    if not path.exists():
        pytest.skip(f"{path} is absent: the real workbooks live in ../shared/realdata beside the repo")
    return path
