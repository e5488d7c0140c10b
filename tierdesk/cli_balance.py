"""`tierdesk balance FILE`: propose owner changes that balance the sellers' books, print them (or JSON) and,
with -o, write the plan workbook with every move accepted."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

__all__ = ["add_parser", "run"]

SHOWN_MOVES = 25  # moves listed in the text output (--json lists them all)


def add_parser(commands: Any) -> None:
    balance = commands.add_parser(
        "balance", help="propose owner changes so every seller's workload is within a tolerance of capacity"
    )
    balance.add_argument("file", type=Path, help="a territory file or a plan workbook")
    balance.add_argument(
        "--playbook", type=Path, help="playbook TOML for a territory file (default: bundled)"
    )
    balance.add_argument("--sheet")
    balance.add_argument(
        "--sellers", type=Path, metavar="TEAM", help="a team table (CSV or workbook) to balance with"
    )
    balance.add_argument(
        "--tolerance",
        type=float,
        help="how far from capacity a balanced load may be (default: the playbook's, 0.1)",
    )
    balance.add_argument(
        "--move-reassigned", action="store_true", help="also move accounts whose owner was set in the plan"
    )
    balance.add_argument("-o", "--output", type=Path, help="write the plan workbook with every move accepted")
    balance.add_argument("--json", action="store_true", help="print one JSON object")


def _note(message: str) -> None:
    print(f"tierdesk: {message}", file=sys.stderr)


def _open(args: argparse.Namespace, playbook: Any) -> tuple[Any, dict[str, Any]]:
    """The plan to balance and what its workbook keeps of where it came from."""
    from tierdesk.domain.plan import Plan
    from tierdesk.io.load import open_territory
    from tierdesk.io.plan_file import is_plan_workbook, read_plan

    if is_plan_workbook(args.file):
        state, problems, edits = read_plan(args.file)
        for issue in problems:
            _note(issue.message)
        if args.playbook:
            _note(f"{args.file.name} is a plan workbook: its own playbook is used, not {args.playbook.name}")
        plan = state.to_plan()
        for edit in edits:
            plan.apply(edit, note="Edited in Excel")
        keep = {
            "mapping": state.mapping,
            "source_file": state.source_file,
            "source_sheet": state.source_sheet,
            "created": state.created,
            "previous": state.previous,
        }
        return plan, keep
    result = open_territory(args.file, sheet=args.sheet)
    keep = {"mapping": result.mapping, "source_file": Path(result.file).name, "source_sheet": result.sheet}
    return Plan(result.accounts, playbook), keep


def _team(plan: Any, path: Path) -> None:
    from tierdesk.domain.seller_edits import SetSellers
    from tierdesk.domain.sellers import sellers_from_team
    from tierdesk.io.team import read_team

    frame, notes = read_team(path)
    sellers, why = sellers_from_team(frame, plan.accounts, plan.classification)
    for note in [*notes, *why]:
        _note(f"{path.name}: {note}")
    plan.apply(SetSellers(sellers, f"Sellers from {path.name}"))
    names = {s.name for s in sellers}
    gone = sorted({s.name for s in plan.sellers} - names)
    if gone:
        _note(f"{len(gone)} owner(s) in the file are not in {path.name}: their accounts get new owners")


def _text(proposal: Any) -> None:
    from tierdesk.domain.proposal import describe

    for line in describe(proposal):
        print(line)
    moves = proposal.moves
    for r in moves.head(SHOWN_MOVES).to_dict("records"):
        who = r["account_name"] if isinstance(r["account_name"], str) else r["account_id"]
        source = r["from"] if isinstance(r["from"], str) else "(no owner)"
        print(f"  {who}: {source} → {r['to']} ({r['why']})")
    if len(moves) > SHOWN_MOVES:
        print(f"  …and {len(moves) - SHOWN_MOVES:,} more (use --json for all)")


def run(args: argparse.Namespace) -> int:
    from tierdesk.domain.balance import balance
    from tierdesk.domain.playbook import PlaybookError, default_playbook, load_playbook
    from tierdesk.io.plan_file import write_plan
    from tierdesk.io.snapshot import PlanSnapshot

    if args.tolerance is not None and not 0 < args.tolerance < 1:
        _note(
            f"--tolerance is a fraction of capacity above 0 and below 1 (0.1 is ±10%), not {args.tolerance}"
        )
        return 2
    try:
        playbook = load_playbook(args.playbook) if args.playbook else default_playbook()
    except (PlaybookError, OSError) as exc:
        _note(f"playbook {args.playbook}: {exc}")
        return 2
    plan, keep = _open(args, playbook)
    if args.sellers:
        _team(plan, args.sellers)
    proposal = balance(plan, args.tolerance, move_reassigned=args.move_reassigned)
    if args.json:
        print(json.dumps(proposal.to_json(), indent=2, ensure_ascii=False, default=str))
    else:
        _text(proposal)
    if args.output:
        if proposal.moved_accounts:
            plan.apply(proposal.edit(reason="tierdesk balance"))
        for note in write_plan(PlanSnapshot.from_plan(plan, **keep), args.output):
            _note(note)
        done = f"wrote {args.output} ({proposal.moved_accounts:,} accounts reassigned)"
        _note(done) if args.json else print(done)
    return 0
