"""Command line: open the GUI, or work headlessly (inspect, classify) and print text or JSON."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tierdesk import __version__

SUBCOMMANDS = ("inspect", "classify", "plan")
EXIT_UNREADABLE = 2


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tierdesk",
        description="Territory planning: tier pyramid, persona matrix and coverage cost from Excel files.",
        epilog="Headless commands: tierdesk inspect FILE [--sheet NAME] [--json]; "
        "tierdesk classify FILE [--playbook P] [--json]; "
        "tierdesk plan FILE -o OUT.xlsx [--playbook P] [--split-by owner|territory]",
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
    classify.add_argument("file", type=Path)
    classify.add_argument("--playbook", type=Path, help="playbook TOML (default: the bundled one)")
    classify.add_argument("--sheet")
    classify.add_argument("--json", action="store_true")
    plan = commands.add_parser("plan", help="write the account plans workbook (or one per owner/territory)")
    plan.add_argument("file", type=Path, help="a territory file, or a plan workbook to write again")
    plan.add_argument(
        "-o", "--output", type=Path, required=True, help="OUT.xlsx, or a folder with --split-by"
    )
    plan.add_argument("--playbook", type=Path, help="playbook TOML (default: the bundled one)")
    plan.add_argument("--sheet")
    plan.add_argument(
        "--split-by", choices=("owner", "territory"), help="one workbook per owner or territory"
    )
    return parser


def _fail(message: str) -> int:
    print(f"tierdesk: {message}", file=sys.stderr)
    return EXIT_UNREADABLE


def _load(file: Path, sheet: str | None) -> Any:
    from tierdesk.io.load import open_territory

    return open_territory(file, sheet=sheet)


def _inspect(args: argparse.Namespace) -> int:
    from tierdesk.io.load import inspect_dict
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
    issues = report["issues"]
    print(f"Issues:      {len(issues)}")
    for issue in issues[:50]:
        print(f"  [{issue['severity']}] {issue['message']}")  # the message names file, sheet, row and column
    if len(issues) > 50:
        print(f"  …and {len(issues) - 50} more (use --json for all)")
    return 0


def _classify(args: argparse.Namespace) -> int:
    from tierdesk.domain.plan import Plan
    from tierdesk.domain.playbook import PlaybookError, default_playbook, load_playbook
    from tierdesk.domain.summary import format_summary, plan_summary

    try:
        playbook = load_playbook(args.playbook) if args.playbook else default_playbook()
    except (PlaybookError, OSError) as exc:
        return _fail(f"playbook {args.playbook}: {exc}")
    result = _load(args.file, args.sheet)
    plan = Plan(result.accounts, playbook)
    summary = plan_summary(plan)
    print(json.dumps(summary, indent=2, ensure_ascii=False) if args.json else format_summary(summary))
    return 0


def _plan(args: argparse.Namespace) -> int:
    from tierdesk.domain.plan_objectives import new_plan
    from tierdesk.domain.playbook import PlaybookError, default_playbook, load_playbook
    from tierdesk.io.export import export_plans
    from tierdesk.io.plan_file import PlanFile, SaveError, is_plan_workbook, read_plan, write_plan

    if is_plan_workbook(args.file):
        state, problems, _edits = read_plan(args.file)
        for issue in problems:
            print(f"tierdesk: {issue.message}", file=sys.stderr)
    else:
        try:
            playbook = load_playbook(args.playbook) if args.playbook else default_playbook()
        except (PlaybookError, OSError) as exc:
            return _fail(f"playbook {args.playbook}: {exc}")
        result = _load(args.file, args.sheet)
        state = PlanFile.from_plan(new_plan(result.accounts, playbook), result)
    try:
        if args.split_by:
            args.output.mkdir(parents=True, exist_ok=True)
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


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args_list and args_list[0] in SUBCOMMANDS:
        from tierdesk.io.errors import ReadError

        args = _headless_parser().parse_args(args_list)
        try:
            command = {"inspect": _inspect, "classify": _classify, "plan": _plan}[args.command]
            return command(args)
        except ReadError as exc:
            return _fail(str(exc))
        except OSError as exc:
            return _fail(f"cannot read {args.file}: {exc.strerror or exc}")
        except MemoryError:
            return _fail(f"{args.file.name} is too large to open on this computer")
        except Exception as exc:  # a one-line answer, never a traceback
            logging.getLogger("tierdesk").debug("internal error", exc_info=True)
            return _fail(f"could not process {args.file.name}: internal error ({type(exc).__name__}: {exc})")

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
