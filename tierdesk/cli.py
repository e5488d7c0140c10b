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


def _load(file: Path, sheet: str | None) -> Any:
    from tierdesk.io.load import open_territory

    return open_territory(file, sheet=sheet)


def _inspect(args: argparse.Namespace) -> int:
    from tierdesk.io.load import inspect_dict, plain_message
    from tierdesk.io.plan_file import inspect_plan, is_plan_workbook

    if is_plan_workbook(args.file):
        report = inspect_plan(args.file)
        if args.json:
            print(json.dumps(report, indent=2, ensure_ascii=False, default=str))
        else:
            for key, value in report.items():
                print(f"{key.replace('_', ' ').capitalize() + ':':<13}{value}")
        return 0
    result = _load(args.file, args.sheet)
    report = inspect_dict(result)
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


def _read_plan_file(file: Path) -> Any:
    """A plan workbook's saved plan state; problems in edits made in Excel go to stderr."""
    from tierdesk.io.plan_file import read_plan

    state, problems, edits = read_plan(file)
    for issue in problems:
        _note(issue.message)
    return state, edits


def _classify(args: argparse.Namespace) -> int:
    from tierdesk.domain.plan import Plan
    from tierdesk.domain.playbook import PlaybookError, default_playbook, load_playbook
    from tierdesk.domain.summary import format_summary, plan_summary
    from tierdesk.io.compare_export import load_previous_period
    from tierdesk.io.plan_file import is_plan_workbook

    if is_plan_workbook(args.file):
        state, edits = _read_plan_file(args.file)
        if args.playbook:
            _note(f"{args.file.name} is a plan workbook: its own playbook is used, not {args.playbook.name}")
        plan = state.to_plan()
        for edit in edits:
            plan.apply(edit)
        previous = state.previous
    else:
        try:
            playbook = load_playbook(args.playbook) if args.playbook else default_playbook()
        except (PlaybookError, OSError) as exc:
            return _fail(f"playbook {args.playbook}: {exc}")
        plan = Plan(_load(args.file, args.sheet).accounts, playbook)
        previous = None
    if args.previous:
        notes: list[str] = []
        previous = load_previous_period(args.previous, plan.playbook, notes=notes)
        for note in notes:
            _note(f"{args.previous.name}: {note}")
    summary = plan_summary(plan, previous)
    print(json.dumps(summary, indent=2, ensure_ascii=False) if args.json else format_summary(summary))
    return 0


def _plan(args: argparse.Namespace) -> int:
    from tierdesk.domain.governance import governance_violations
    from tierdesk.domain.plan_objectives import new_plan
    from tierdesk.domain.playbook import PlaybookError, default_playbook, load_playbook
    from tierdesk.io.compare_export import load_previous_period
    from tierdesk.io.plan_file import SaveError, is_plan_workbook, write_plan
    from tierdesk.io.snapshot import PlanSnapshot
    from tierdesk.io.split_export import export_plans

    if is_plan_workbook(args.file):
        state, edits = _read_plan_file(args.file)
        if edits:  # tiers and objectives changed in Excel: the new workbook carries them (and their history)
            plan = state.to_plan()
            for edit in edits:
                plan.apply(edit, note="Edited in Excel")
            state = PlanSnapshot.from_plan(
                plan,
                mapping=state.mapping,
                source_file=state.source_file,
                source_sheet=state.source_sheet,
                created=state.created,
                previous=state.previous,
            )
            print(f"took {len(edits):,} edit{'s' if len(edits) != 1 else ''} made in Excel")
    else:
        try:
            playbook = load_playbook(args.playbook) if args.playbook else default_playbook()
        except (PlaybookError, OSError) as exc:
            return _fail(f"playbook {args.playbook}: {exc}")
        result = _load(args.file, args.sheet)
        state = PlanSnapshot.from_plan(new_plan(result.accounts, playbook), result)
    if args.previous:
        notes: list[str] = []
        state.previous = load_previous_period(args.previous, state.playbook, notes=notes)
        for note in notes:
            _note(f"{args.previous.name}: {note}")
        print(f"previous period: {state.previous.title}, {len(state.previous):,} accounts with a tier")
    if state.previous is not None:
        for v in governance_violations(state.classification(), state.accounts, state.previous):
            if v.kind == "turnover":
                print(f"warning: {v.message}")
    try:
        if args.split_by:
            files, notes = export_plans(state, args.output, args.split_by)
            for note in notes:
                print(f"note: {note}")
            print(f"wrote {len(files)} workbooks to {args.output}")
        else:
            for note in write_plan(state, args.output):
                print(f"note: {note}")
            counts = f"{len(state.accounts):,} accounts, {len(state.objectives):,} objectives"
            print(f"wrote {args.output} ({counts})")
    except SaveError as exc:
        return _fail(str(exc))
    return 0


def _compare(args: argparse.Namespace) -> int:
    from tierdesk.domain.compare import compare_plans
    from tierdesk.domain.playbook import PlaybookError, load_playbook
    from tierdesk.io.compare_export import load_newer, load_plan_or_territory, write_comparison

    try:
        playbook = load_playbook(args.playbook) if args.playbook else None
    except (PlaybookError, OSError) as exc:
        return _fail(f"playbook {args.playbook}: {exc}")
    notes: list[str] = []
    old = load_plan_or_territory(args.old, playbook, notes=notes)
    new = load_newer(old, args.new, notes=notes)
    comparison = compare_plans(old, new)
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
    from tierdesk.domain.progress import progress
    from tierdesk.io.compare_export import load_accounts, load_plan_or_territory, write_progress

    notes: list[str] = []
    result = progress(load_plan_or_territory(args.plan, notes=notes), load_accounts(args.newer))
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
    from tierdesk.domain.onepager import account_sheets, onepager_rows
    from tierdesk.domain.playbook import PlaybookError
    from tierdesk.io.compare_export import load_plan_or_territory

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
        from tierdesk.io.errors import ReadError
        from tierdesk.io.plan_file import SaveError

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
        from tierdesk.qt.app import screenshot

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
    from tierdesk.qt.app import run_gui

    return run_gui(args.file, sample=args.sample, theme=args.theme)
