"""The bundled sample territory: present, plausible and reproducible from its generator."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import openpyxl
import pytest

from tierdesk.paths import sample_territory

GENERATOR = Path(__file__).resolve().parents[2] / "resources" / "sample" / "make_sample.py"
NO_PURCHASE_BEFORE = dt.datetime(2023, 11, 1)  # three years before the sample's as-of date, 2026-11-01


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sample", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is being built
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(spec.name, None)
    return module


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    wb = openpyxl.load_workbook(sample_territory(), read_only=True)
    try:
        assert wb.sheetnames == ["Accounts", "About"]
        values = list(wb["Accounts"].iter_rows(values_only=True))
    finally:
        wb.close()
    header = [str(h) for h in values[0]]
    return [dict(zip(header, row, strict=True)) for row in values[1:] if any(v is not None for v in row)]


def test_sample_file_exists() -> None:
    path = sample_territory()
    assert path.is_file()
    assert path.stat().st_size < 150_000


def test_columns(rows: list[dict[str, Any]]) -> None:
    assert list(rows[0]) == [
        "Account ID", "Account Name", "Territory", "Region", "Country", "Industry", "Segment",
        "Account Owner", "Current Revenue (TTM)", "Wallet Estimate", "Growth Potential", "Employees",
        "Last Purchase", "Products Owned", "Business Units Present", "Executive Sponsor", "Referenceable",
    ]  # fmt: skip


def test_rows_ids_territories_owners(rows: list[dict[str, Any]]) -> None:
    assert 550 <= len(rows) <= 650
    ids = [r["Account ID"] for r in rows]
    assert all(isinstance(i, str) and i.startswith("ACC-") for i in ids)
    assert len(set(ids)) == len(ids)
    assert len({r["Account Name"] for r in rows}) == len(rows)
    assert len({r["Territory"] for r in rows}) == 8
    assert len({r["Account Owner"] for r in rows}) == 5
    territories_by_owner: dict[str, set[str]] = {}
    for r in rows:
        territories_by_owner.setdefault(r["Account Owner"], set()).add(r["Territory"])
    assert all(1 <= len(t) <= 2 for t in territories_by_owner.values())


def test_values_are_typed(rows: list[dict[str, Any]]) -> None:
    for r in rows:
        revenue, wallet = r["Current Revenue (TTM)"], r["Wallet Estimate"]
        assert isinstance(revenue, int | float) and isinstance(wallet, int | float)
        assert 0 <= revenue < wallet
        assert r["Last Purchase"] is None or isinstance(r["Last Purchase"], dt.datetime)
        assert r["Referenceable"] in ("Yes", "No")


def test_about_a_fifth_without_purchase_in_three_years(rows: list[dict[str, Any]]) -> None:
    def lapsed(r: dict[str, Any]) -> bool:
        return r["Last Purchase"] is None or r["Last Purchase"] < NO_PURCHASE_BEFORE

    without = [r for r in rows if lapsed(r)]
    assert 0.15 <= len(without) / len(rows) <= 0.25
    assert all(r["Current Revenue (TTM)"] == 0 and not r["Products Owned"] for r in without)


def test_all_four_persona_boxes_are_well_filled(rows: list[dict[str, Any]]) -> None:
    share = [r["Current Revenue (TTM)"] / r["Wallet Estimate"] for r in rows]
    potential = [r["Growth Potential"] for r in rows]
    share_median = sorted(share)[len(share) // 2]
    potential_median = sorted(potential)[len(potential) // 2]
    boxes: dict[tuple[bool, bool], int] = {}
    for s, p in zip(share, potential, strict=True):
        key = (p >= potential_median, s >= share_median)
        boxes[key] = boxes.get(key, 0) + 1
    assert len(boxes) == 4
    assert min(boxes.values()) >= 0.1 * len(rows)


def test_generator_is_deterministic(tmp_path: Path) -> None:
    main = _load_generator().main
    first = main(tmp_path / "first.xlsx")
    second = main(tmp_path / "second.xlsx")
    assert first.read_bytes() == second.read_bytes()
    # Same cell values as the bundled file (bytes may differ across xlsxwriter/numpy releases).
    fresh = openpyxl.load_workbook(first, read_only=True)
    bundled = openpyxl.load_workbook(sample_territory(), read_only=True)
    try:
        fresh_rows = list(fresh["Accounts"].iter_rows(values_only=True))
        bundled_rows = list(bundled["Accounts"].iter_rows(values_only=True))
    finally:
        fresh.close()
        bundled.close()
    assert fresh_rows == bundled_rows, "the bundled sample is stale: run resources/sample/make_sample.py"
