"""The plan workbook's description, kept as JSON in its very hidden meta sheet: written from a snapshot, and
read back into one together with the decoded hidden parts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

import tierdesk
from tierdesk.domain.governance import PreviousPeriod
from tierdesk.domain.history import as_history
from tierdesk.domain.plan_objectives import PlanInfo
from tierdesk.domain.playbook import PlaybookError, dump_playbook, parse_playbook
from tierdesk.domain.sellers import Seller, sellers_from_frame
from tierdesk.io.errors import ReadError
from tierdesk.io.plan_format import FORMAT, FORMAT_VERSION
from tierdesk.io.snapshot import PlanSnapshot

__all__ = ["meta_dict", "snapshot_from_meta"]


def meta_dict(state: PlanSnapshot, saved: dt.datetime) -> dict[str, Any]:
    """The plan's description as the meta sheet keeps it (the caller adds the checksums and sheet lists)."""
    info = state.info
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tierdesk_version": tierdesk.__version__,
        "created": state.created.isoformat(),
        "saved": saved.isoformat(),
        "as_of": state.as_of.isoformat(),
        "source_file": state.source_file,
        "source_sheet": state.source_sheet,
        "mapping": state.mapping,
        "info": {
            "owner": info.owner,
            "title": info.title,
            "period_start": info.period_start.isoformat() if info.period_start else None,
            "period_end": info.period_end.isoformat() if info.period_end else None,
        },
        "next_objective_id": state.next_objective_id,
        "playbook": dump_playbook(state.playbook),
    } | ({} if state.previous is None else {"previous": _previous_meta(state.previous)})


def _previous_meta(previous: PreviousPeriod) -> dict[str, Any]:
    return {"label": previous.label, "as_of": previous.as_of.isoformat() if previous.as_of else None}


def _previous(meta: dict[str, Any], frames: dict[str, pd.DataFrame]) -> PreviousPeriod | None:
    if "previous" not in frames or not isinstance(meta.get("previous"), dict):
        return None
    label, as_of = meta["previous"].get("label", ""), meta["previous"].get("as_of")
    return PreviousPeriod.from_frame(frames["previous"], str(label), _date(as_of))


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def snapshot_from_meta(meta: dict[str, Any], frames: dict[str, pd.DataFrame], name: str) -> PlanSnapshot:
    """The snapshot a plan workbook saved, from its description and its decoded hidden parts."""
    try:
        playbook = parse_playbook(meta["playbook"], f"{name} (saved playbook)")
    except PlaybookError as exc:
        raise ReadError(f"{name}: the playbook saved in this plan cannot be read: {exc}") from None
    i = meta["info"]
    return PlanSnapshot(
        frames["accounts"],
        playbook,
        frames["overrides"],
        frames["objectives"],
        PlanInfo(i["owner"], _date(i["period_start"]), _date(i["period_end"]), i["title"]),
        pd.Timestamp(meta["as_of"]),
        dict(meta["mapping"]),
        meta["source_file"],
        meta["source_sheet"],
        dt.datetime.fromisoformat(meta["created"]),
        dt.datetime.fromisoformat(meta["saved"]),
        meta["tierdesk_version"],
        int(meta["next_objective_id"]),
        as_history(frames.get("history")),
        _previous(meta, frames),
        _sellers(frames, name),
    )


def _sellers(frames: dict[str, pd.DataFrame], name: str) -> tuple[Seller, ...]:
    if "sellers" not in frames:
        return ()  # saved before plans kept sellers: they are guessed from the owners again
    try:
        return sellers_from_frame(frames["sellers"])
    except ValueError as exc:
        raise ReadError(f"{name}: the saved sellers cannot be read: {exc}.") from None
