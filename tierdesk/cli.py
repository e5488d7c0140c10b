"""Command line: open the GUI, or work headlessly (inspect, classify) and print text or JSON."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tierdesk import __version__, cli_balance
from tierdesk.app.opening import load_plan_or_territory, load_previous_period, open_path, playbook_of
from tierdesk.app.reports import compare_files, progress_of, summary
from tierdesk.app.saving import begin_export, save
from tierdesk.app.workspace import Workspace
from tierdesk.domain.governance import PreviousPeriod, governance_violations
from tierdesk.domain.onepager import account_sheets, onepager_rows
from tierdesk.domain.playbook import PlaybookError, load_playbook
from tierdesk.domain.summary import format_summary
from tierdesk.io.compare_export import write_comparison, write_progress
from tierdesk.io.errors import ReadError
from tierdesk.io.load import inspect_dict, open_territory, plain_message
from tierdesk.io.plan_file import SaveError, inspect_plan, is_plan_workbook

SUBCOMMANDS = ("inspect", "classify", "plan", "compare", "progress", "onepager", "balance")
EXIT_UNREADABLE = 2
PREVIOUS_HELP = (
    "the previous period's plan workbook, or territory file (classified with the same playbook), "
    "to check the playbook's turnover rules against"
)


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tierdesk",
        description="Territory planning: tier pyramid, persona matrix and coverage cost from Excel files.",
        epilog="Headless commands: tierdesk inspect FILE [--sheet NAME] [--json]; "
        "tierdesk classify FILE [--playbook P] [--previous OLD] [--json]; "
        "tierdesk plan FILE -o OUT.xlsx [--playbook P] [--previous OLD] [--split-by owner|territory]; "
        "tierdesk onepager PLAN.xlsx -o OUT.pdf [--owner NAME | --tier NAME | --account ID]",
    )
    parser.add_argument(
        "file", nargs="?", type=Path, help="territory file to open (.xlsx, .xlsm, .xls, .ods, .csv)"
    )
    parser.add_argument("--sample", action="store_true", help="open the bundled sample territory")
    parser.add_argument("--version", action="version", version=f"tierdesk {__version__}")
    parser.add_argument("--theme", choices=("system", "light", "dark"), default="system")
    parser.add_argument(
        "--screenshot", type=Path, metavar="OUT.png", help="render the main window offscreen and exit"
    )
    parser.add_argument("--size", default="1366x768", help="window size for --screenshot (WIDTHxHEIGHT)")
    return parser


def _headless_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tierdesk")
    commands = parser.add_subparsers(dest="command", required=True)
    inspect = commands.add_parser("inspect", help="load a file headlessly and report what tierdesk sees")
    inspect.add_argument("file", type=Path)
    inspect.add_argument(
        "--sheet", help="the sheet to read (default: the one that looks like an account list)"
    )
    inspect.add_argument("--json", action="store_true", help="print one JSON object")
    classify = commands.add_parser("classify", help="tier, persona, category and coverage for every account")
    classify.add_argument("file", type=Path, help="a territory file or a plan workbook")
    classify.add_argument("--playbook", type=Path, help="playbook TOML (default: the bundled one)")
    classify.add_argument("--sheet")
    classify.add_argument("--previous", type=Path, metavar="OLD", help=PREVIOUS_HELP)
    classify.add_argument("--json", action="store_true")
    plan = commands.add_parser("plan", help="write the account plans workbook (or one per owner/territory)")
    plan.add_argument("file", type=Path, help="a territory file, or a plan workbook to write again")
    plan.add_argument(
        "-o", "--output", type=Path, required=True, help="OUT.xlsx, or a folder with --split-by"
    )
    plan.add_argument("--playbook", type=Path, help="playbook TOML (default: the bundled one)")
    plan.add_argument("--sheet")
    plan.add_argument("--previous", type=Path, metavar="OLD", help=PREVIOUS_HELP + "; kept in the plan")
    plan.add_argument(
        "--split-by", choices=("owner", "territory"), help="one workbook per owner or territory"
    )
    compare = commands.add_parser("compare", help="what changed between two plans, or a plan and newer data")
    compare.add_argument("old", type=Path, help="a plan workbook (or a territory file)")
    compare.add_argument("new", type=Path, help="a plan workbook or a newer territory file")
    compare.add_argument("-o", "--output", type=Path, help="write the comparison workbook here")
    compare.add_argument("--playbook", type=Path, help="playbook for OLD when it is a territory file")
    compare.add_argument("--json", action="store_true")
    progress = commands.add_parser(
        "progress", help="objectives met and revenue against target, from newer data"
    )
    progress.add_argument("plan", type=Path, help="the saved plan workbook")
    progress.add_argument("newer", type=Path, help="a newer territory file")
    progress.add_argument("-o", "--output", type=Path, help="write the progress workbook here")
    progress.add_argument("--json", action="store_true")
    onepager = commands.add_parser("onepager", help="one-page account plans as a PDF, one page per account")
    onepager.add_argument("file", type=Path, help="a plan workbook (or a territory file)")
    onepager.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.pdf")
    which = onepager.add_mutually_exclusive_group()
    which.add_argument("--owner", metavar="NAME", help="only this owner's accounts")
    which.add_argument("--tier", metavar="NAME", help="only this tier's accounts")
    which.add_argument("--account", metavar="ID", help="only this account")
    onepager.add_argument(
        "--playbook", type=Path, help="playbook for a territory file (default: the bundled one)"
    )
    cli_balance.add_parser(commands)
    return parser


def _fail(message: str) -> int:
    print(f"tierdesk: {' '.join(message.split())}", file=sys.stderr)  # one line, whatever the names hold
    return EXIT_UNREADABLE


def _quiet_headless() -> None:
    """Headless commands answer in one line: library warnings, errors Python could only report while
    cleaning up (a zip left half-written by a full disk) and what native code writes straight to the error
    stream (the Rust reader's panic notes, its message then caught and put in words) stay off the terminal.
    tierdesk's own messages still go to it."""

    def unraisable(hook: Any) -> None:
        logging.getLogger("tierdesk").debug("ignored: %s %s", hook.err_msg, hook.exc_value)

    sys.unraisablehook = unraisable
    logging.captureWarnings(True)
    logging.getLogger("py.warnings").setLevel(logging.ERROR)
    try:
        sys.stderr.flush()
        ours = os.dup(2)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.close(null)
    except (OSError, ValueError):  # no error stream to speak of (a frozen app without a console)
        return
    sys.stderr = os.fdopen(ours, "w", encoding="utf-8", errors="backslashreplace", buffering=1)
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler) and handler.stream is sys.__stderr__:
            handler.setStream(sys.stderr)


def _inspect(args: argparse.Namespace) -> int:
    if is_plan_workbook(args.file):
        report = inspect_plan(args.file)
        if args.json:
            print(json.dumps(report, indent=2, ensure_ascii=False, default=str))
        else:
            for key, value in report.items():
                print(f"{key.replace('_', ' ').capitalize() + ':':<13}{value}")
        return 0
    report = inspect_dict(open_territory(args.file, sheet=args.sheet))
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False, default=str))
        return 0
    print(f"File:        {report['file']} ({report['kind']})")
    print(f"Sheet:       {report['sheet'] or '(none: a CSV file)'}")
    print(f"Header row:  {report['header_row']}")
    rolled = " (order lines rolled up)" if report.get("rolled_up") else ""
    print(f"Accounts:    {report['accounts']:,}{rolled}")
    print("Mapping:")
    for field, header in report["mapping"].items():
        print(f"  {field:<18} ← {header}")
    notes = [i for i in report["issues"] if i["severity"] == "info"]
    issues = [i for i in report["issues"] if i["severity"] != "info"]
    print("How it was read:")  # the decisions: account column and why, what was filled down or left out
    for note in notes[:30]:
        print(f"  - {plain_message(note['message'], args.file)}")
    print(f"Issues:      {len(issues)}")
    for issue in issues[:50]:
        print(f"  [{issue['severity']}] {issue['message']}")  # the message names file, sheet, row and column
    if len(issues) > 50 or len(notes) > 30:
        print(f"  …and {max(0, len(issues) - 50) + max(0, len(notes) - 30)} more (use --json for all)")
    return 0


def _note(message: str) -> None:
    print(f"tierdesk: {message}", file=sys.stderr)


def _open(args: argparse.Namespace, *, objectives: bool = True) -> Workspace | int:
    """The file named on the command line, open as a plan (a plan workbook with its edits made in Excel
    taken; problems in the rest go to stderr), or an exit status when its playbook cannot be read."""
    if is_plan_workbook(args.file):
        workspace = open_path(args.file, notes=_note)
        if args.playbook:
            _note(f"{args.file.name} is a plan workbook: its own playbook is used, not {args.playbook.name}")
        return workspace
    try:
        playbook = playbook_of(args.playbook)
    except (PlaybookError, OSError) as exc:
        return _fail(f"playbook {args.playbook}: {exc}")
    return open_path(args.file, playbook, sheet=args.sheet, objectives=objectives)


def _previous(args: argparse.Namespace, workspace: Workspace) -> PreviousPeriod | None:
    """--previous: the period to measure turnover against, now the plan's (or the plan's own)."""
    assert workspace.plan is not None
    if args.previous:
        notes: list[str] = []
        previous = load_previous_period(args.previous, workspace.plan.playbook, notes=notes)
        for note in notes:
            _note(f"{args.previous.name}: {note}")
        workspace.set_previous(previous, f"Measure turnover since {previous.label}")
    return workspace.previous


def _classify(args: argparse.Namespace) -> int:
    workspace = _open(args, objectives=False)
    if isinstance(workspace, int):
        return workspace
    _previous(args, workspace)
    report = summary(workspace)
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else format_summary(report))
    return 0


def _plan(args: argparse.Namespace) -> int:
    workspace = _open(args)
    if isinstance(workspace, int):
        return workspace
    plan = workspace.plan
    assert plan is not None
    if workspace.taken_from_excel:  # tiers and objectives changed in Excel: the new workbook carries them
        count = workspace.taken_from_excel
        print(f"took {count:,} edit{'s' if count != 1 else ''} made in Excel")
    previous = _previous(args, workspace)
    if args.previous and previous is not None:
        print(f"previous period: {previous.title}, {len(previous):,} accounts with a tier")
    if previous is not None:
        for v in governance_violations(plan.classification, plan.accounts, previous):
            if v.kind == "turnover":
                print(f"warning: {v.message}")
    if args.split_by:
        files, notes = begin_export(workspace, args.output, args.split_by).write()
        for note in notes:
            print(f"note: {note}")
        print(f"wrote {len(files)} workbooks to {args.output}")
    else:
        for note in save(workspace, args.output):
            print(f"note: {note}")
        counts = f"{len(plan.accounts):,} accounts, {len(plan.objectives):,} objectives"
        print(f"wrote {args.output} ({counts})")
    return 0


def _compare(args: argparse.Namespace) -> int:
    try:
        playbook = load_playbook(args.playbook) if args.playbook else None
    except (PlaybookError, OSError) as exc:
        return _fail(f"playbook {args.playbook}: {exc}")
    notes: list[str] = []
    comparison = compare_files(args.old, args.new, playbook, notes=notes)
    if args.output:
        write_comparison(comparison, args.output)
    report = comparison.to_json()
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False, default=str))
        return 0
    for note in [*notes, *comparison.notes]:
        print(f"note: {note}")
    print(
        f"Accounts moved: {len({m['account'] for m in report['moved']}):,}; "
        f"added {len(report['added']):,}; dropped {len(report['dropped']):,}; "
        f"owner changes {len(report['owner_changes']):,}; disruption {report['disruption']:,}"
    )
    for field, causes in comparison.moved_counts().items():
        print(f"  {field:<9} " + ", ".join(f"{n:,} by {cause}" for cause, n in causes.items()))
    print(f"Sellers needed {report['sellers_delta']:+.1f}; cost of sales {report['cost_delta']:+,.0f}")
    if args.output:
        print(f"wrote {args.output}")
    return 0


def _progress(args: argparse.Namespace) -> int:
    notes: list[str] = []
    result = progress_of(args.plan, args.newer, notes=notes)
    if args.output:
        write_progress(result, args.output)
    if args.json:
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False, default=str))
        return 0
    for note in [*notes, *result.notes]:
        print(f"note: {note}")
    for name, table in (("owner", result.by_owner), ("tier", result.by_tier)):
        print(f"By {name}:")
        for group, row in table.iterrows():
            attainment = row["revenue_attainment"]
            shown = f"{attainment * 100:.0f}%" if attainment == attainment else "–"
            print(f"  {group!s:<24} objectives met {row['met_share'] * 100:5.1f}%  revenue vs target {shown}")
    if args.output:
        print(f"wrote {args.output}")
    return 0


def _onepager(args: argparse.Namespace) -> int:
    notes: list[str] = []
    try:
        plan = load_plan_or_territory(args.file, args.playbook, notes=notes)
    except PlaybookError as exc:
        return _fail(f"playbook {args.playbook}: {exc}")
    for note in notes:
        _note(note)
    try:
        rows = onepager_rows(plan, owner=args.owner, tier=args.tier, account=args.account)
    except ValueError as exc:
        return _fail(str(exc))
    if not len(rows):
        return _fail(f"{args.file.name} has no accounts to print")
    # lazy, for start-up speed: only this command loads Qt (to lay out and paint the pages)
    from tierdesk.qt.onepager.render import headless_application, write_pdf

    app = headless_application()  # Qt lays out and paints the pages; no window opens
    pages = account_sheets(plan, rows)
    write_pdf(args.output, pages, title=f"Account plans: {plan.info.title or plan.playbook.name}")
    del app
    print(f"wrote {args.output} ({len(pages):,} page{'s' if len(pages) != 1 else ''}, one per account)")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args_list and args_list[0] in SUBCOMMANDS:
        args = _headless_parser().parse_args(args_list)
        if argv is None:  # the process is ours (not a caller's, nor a test's): its error stream too
            _quiet_headless()
        try:
            commands = {
                "inspect": _inspect,
                "classify": _classify,
                "plan": _plan,
                "compare": _compare,
                "progress": _progress,
                "onepager": _onepager,
                "balance": cli_balance.run,
            }
            command = commands[args.command]
            return command(args)
        except (ReadError, SaveError) as exc:
            return _fail(str(exc))
        except OSError as exc:
            return _fail(f"cannot read {exc.filename or 'the file'}: {exc.strerror or exc}")
        except MemoryError:
            return _fail("the file is too large to open on this computer")
        except Exception as exc:  # a one-line answer, never a traceback
            logging.getLogger("tierdesk").debug("internal error", exc_info=True)
            return _fail(f"could not process the file: internal error ({type(exc).__name__}: {exc})")

    args = _gui_parser().parse_args(args_list)
    width, _, height = args.size.partition("x")
    if args.screenshot:
        from tierdesk.qt.app import screenshot  # lazy, for start-up speed: headless commands never load Qt

        try:
            return screenshot(
                args.screenshot,
                args.file,
                sample=args.sample,
                theme=args.theme,
                size=(int(width), int(height)),
            )
        except Exception as exc:
            return _fail(str(exc))
    from tierdesk.qt.app import run_gui  # lazy, for start-up speed: headless commands never load Qt

    return run_gui(args.file, sample=args.sample, theme=args.theme)
