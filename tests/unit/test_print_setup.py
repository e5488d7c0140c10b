"""How the workbooks print, read back as Excel stores it: paper from the locale, landscape, one page wide,
the header row on every page, the plan's name and period and "page N of M"; the Summary in whole blocks."""

from __future__ import annotations

import itertools
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from pypdf import PdfReader

from tierdesk import paths
from tierdesk.domain.compare import compare_plans
from tierdesk.domain.plan import PinAccounts
from tierdesk.domain.plan_objectives import PlanInfo, SetPlanInfo, new_plan
from tierdesk.domain.playbook import default_playbook
from tierdesk.domain.progress import progress
from tierdesk.io.compare_export import write_comparison, write_progress
from tierdesk.io.load import open_territory
from tierdesk.io.plan_file import write_plan
from tierdesk.io.print_setup import (
    MARGINS,
    default_paper,
    page_breaks,
    paper_for,
    print_scale,
    set_default_paper,
)
from tierdesk.io.snapshot import PlanSnapshot

AS_OF = "2025-07-01"
TABLES = ("Account Plans", "Objectives", "Change History")


@pytest.fixture
def letter() -> Iterator[None]:
    set_default_paper("letter")
    yield
    set_default_paper(None)


@pytest.fixture(scope="module")
def sample_plan() -> PlanSnapshot:
    plan = new_plan(open_territory(paths.sample_territory()).accounts, default_playbook(), as_of=AS_OF)
    plan.apply(PinAccounts((0,), "tier", "Strategic", "CIO sponsor"))
    plan.apply(SetPlanInfo(PlanInfo("Ana & Bo", title="EMEA FY26"), "name the plan"))
    return PlanSnapshot.from_plan(plan, source_file="territory.xlsx", source_sheet="Accounts")


def write(state: PlanSnapshot, folder: Path, paper: str) -> openpyxl.Workbook:
    set_default_paper(paper)  # type: ignore[arg-type]
    try:
        write_plan(state, folder / f"plan-{paper}.xlsx")
    finally:
        set_default_paper(None)
    return openpyxl.load_workbook(folder / f"plan-{paper}.xlsx")


@pytest.mark.parametrize(
    ("name", "paper"),
    [
        ("en_US.UTF-8", "letter"),
        ("fr_CA", "letter"),
        ("es-MX", "letter"),
        ("English_United States.1252", "letter"),
        ("en_GB.UTF-8", "a4"),
        ("de_DE@euro", "a4"),
        ("pt_BR", "a4"),
        ("C", "a4"),
        ("", "a4"),
        (None, "a4"),
    ],
)
def test_paper_follows_the_locale(name: str | None, paper: str) -> None:
    assert paper_for(name) == paper


def test_the_process_locale_picks_the_paper_until_the_app_sets_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert default_paper() == "letter"
    monkeypatch.setenv("LC_ALL", "nl_NL.UTF-8")
    assert default_paper() == "a4"
    set_default_paper("letter")
    try:
        assert default_paper() == "letter"
    finally:
        set_default_paper(None)


def test_table_sheets_print_landscape_one_page_wide_with_the_header_on_every_page(
    sample_plan: PlanSnapshot, tmp_path: Path
) -> None:
    book = write(sample_plan, tmp_path, "a4")
    for name in TABLES:
        ws = book[name]
        setup = ws.page_setup
        assert (setup.orientation, setup.paperSize) == ("landscape", 9), name
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        # every column on one page width (1 is the file format's default, left out), as many pages down
        assert (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0), name
        assert ws.print_title_rows == "$1:$1", name
        assert ws.page_margins.left == pytest.approx(MARGINS["left"])
        _has_plan_header(ws, name)


def _has_plan_header(ws: Worksheet, sheet: str) -> None:
    header, footer = ws.oddHeader, ws.oddFooter
    assert header.left.text == "Account plans: EMEA FY26", sheet
    assert header.center.text == "&A"  # the sheet's name
    assert header.right.text == "2025-07-01 to 2026-06-30"
    assert footer.right.text == "Page &P of &N"


def test_letter_paper_where_the_locale_prints_on_letter(sample_plan: PlanSnapshot, tmp_path: Path) -> None:
    book = write(sample_plan, tmp_path, "letter")
    assert {book[n].page_setup.paperSize for n in ("Summary", *TABLES)} == {1}


def test_an_ampersand_in_the_plan_name_is_printed_not_read_as_a_code(tmp_path: Path) -> None:
    plan = new_plan(
        open_territory(paths.sample_territory()).accounts.head(20), default_playbook(), as_of=AS_OF
    )
    plan.apply(SetPlanInfo(PlanInfo(title="R&D &P accounts"), "name"))
    write_plan(PlanSnapshot.from_plan(plan), tmp_path / "p.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "p.xlsx")["Account Plans"]
    assert ws.oddHeader.left.text == "Account plans: R&&D &&P accounts"


def test_the_summary_prints_in_whole_blocks_with_no_chart_across_a_page_break(
    sample_plan: PlanSnapshot, tmp_path: Path
) -> None:
    for paper in ("a4", "letter"):
        ws = write(sample_plan, tmp_path, paper)["Summary"]
        setup = ws.page_setup
        assert setup.orientation == "landscape"
        assert not ws.sheet_properties.pageSetUpPr.fitToPage  # Excel drops manual breaks when fitting
        assert 40 <= int(setup.scale) <= 80
        breaks = [b.id for b in ws.row_breaks.brk]
        assert 2 <= len(breaks) <= 5
        charts = ws._charts
        assert len(charts) == 5  # pyramid (2), 2x2 (2) and the sellers' loads
        for chart in charts:
            top, bottom = chart.anchor._from.row, chart.anchor.to.row
            assert not [b for b in breaks if top < b <= bottom], (paper, top, bottom, breaks)
        pages = [0, *breaks, ws.max_row]
        per_page = int((8.27 - 1.5) * 96 / (20 * int(setup.scale) / 100))
        assert max(b - a for a, b in itertools.pairwise(pages)) <= per_page
        assert ws.print_area == "'Summary'!$A$1:$J$" + str(ws.max_row)
        _has_plan_header(ws, "Summary")


def test_page_breaks_keep_blocks_whole() -> None:
    assert page_breaks([(0, 15), (16, 22), (39, 30), (70, 10)], 40) == [39, 70]
    # a long block runs over pages (Excel breaks it every 40 rows); the next block fits on its last page
    assert page_breaks([(0, 10), (11, 100), (112, 5)], 40) == [11]
    assert page_breaks([(0, 10), (11, 100), (112, 25)], 40) == [11, 112]
    assert page_breaks([(0, 39)], 40) == []


def test_print_scale_fits_the_columns_to_the_page() -> None:
    narrow = print_scale([10, 10], "a4")
    assert narrow == 100  # never enlarged
    wide = print_scale([34, 22, 22, 16, 16, 16, 16, 16, 16, 30], "a4")
    assert print_scale([34, 22, 22, 16, 16, 16, 16, 16, 16, 30], "letter") < wide < 100


def test_comparison_and_progress_workbooks_print_too(
    sample_plan: PlanSnapshot, tmp_path: Path, letter: None
) -> None:
    plan = sample_plan.to_plan()
    other = new_plan(plan.accounts.iloc[:500], plan.playbook, as_of=AS_OF)
    write_comparison(compare_plans(plan, other), tmp_path / "compare.xlsx")
    write_progress(progress(plan, plan.accounts), tmp_path / "progress.xlsx")
    for name, title in (("compare.xlsx", "Plan comparison"), ("progress.xlsx", "Plan progress")):
        book = openpyxl.load_workbook(tmp_path / name)
        summary = book["Summary"]
        assert summary.page_setup.orientation == "portrait" and summary.sheet_properties.pageSetUpPr.fitToPage
        for ws in book.worksheets[1:]:
            assert ws.page_setup.orientation == "landscape", (name, ws.title)
            assert ws.sheet_properties.pageSetUpPr.fitToPage
            assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight) == (1, 0)
            assert ws.print_title_rows == "$1:$1"
            assert ws.oddHeader.left.text == title and ws.page_setup.paperSize == 1


@pytest.fixture(scope="module")
def printed(sample_plan: PlanSnapshot, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The text of each page LibreOffice prints of the 600-account sample plan (on A4)."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("printed")
    write(sample_plan, folder, "a4")
    profile = (folder / "profile").as_uri()  # its own profile: another LibreOffice running is not disturbed
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    done = subprocess.run(
        [*command, "--outdir", str(folder), str(folder / "plan-a4.xlsx")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return [page.extract_text() for page in PdfReader(folder / "plan-a4.pdf").pages]


def _sheet_pages(pages: list[str], sheet: str) -> list[str]:
    """The pages of one sheet: its name is in the middle of each page's header, the first line."""
    return [p for p in pages if f" {sheet} " in p.splitlines()[0]]


def test_libreoffice_prints_every_column_of_the_account_plans_on_few_pages(printed: list[str]) -> None:
    plans = _sheet_pages(printed, "Account Plans")
    assert 1 <= len(plans) <= 600 // 40  # was 336 pages for the whole workbook, five columns a page
    for text in plans:  # the header row on every page, its first and its last column
        assert "Account ID" in text and "Category Reason" in text
    assert len(printed) < 80


def test_libreoffice_prints_the_summary_on_a_few_pages_with_each_chart_whole(printed: list[str]) -> None:
    summary = _sheet_pages(printed, "Summary")
    assert 2 <= len(summary) <= 4
    charts = {
        "Accounts per tier": "Strategic Named Field Inside",
        "Sellers needed per tier": "Strategic Named Field Inside",
        "Accounts per persona": "Strategic Partnerships",
        "Accounts per relationship category": "Greenfield",
    }
    for title, labels in charts.items():
        holding = [p for p in summary if title in p]
        assert len(holding) == 1, title  # each chart on one page, its axis labels with it
        assert labels in holding[0], title
    first = " ".join(summary[0].split())  # headers wrap onto two lines
    assert "Cutoff (Projected Value)" in first and "Support" in "".join(summary)
