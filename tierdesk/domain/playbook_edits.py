"""Changing a playbook by key ("tiers[1].cutoff", "personas.x_split"), each change checked as a loaded
file is: what the plan's playbook edits and the Excel round trip use."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any, Literal

from tierdesk.domain.governance_rules import governance_to_dict, renamed
from tierdesk.domain.playbook import (
    Playbook,
    PlaybookError,
    Table,
    playbook_from_dict,
    playbook_to_dict,
    read_threshold,
)
from tierdesk.domain.seller_settings import renamed_tier, sellers_to_dict

__all__ = ["get_value", "with_split", "with_tier_renamed", "with_value", "with_values"]


_SEGMENT = re.compile(r"^([^.\[\]]+)((?:\[\d+\])*)$")


def _segments(key: str) -> Iterator[str | int]:
    for part in key.split("."):
        m = _SEGMENT.match(part)
        if not m:
            raise PlaybookError(key, "not a playbook key (e.g. tiers[1].cutoff or personas.x_split.value)")
        yield m.group(1)
        for index in re.findall(r"\[(\d+)\]", m.group(2)):
            yield int(index)


def _walk(data: Any, key: str) -> tuple[Any, str | int]:
    """The container holding `key`'s last segment, and that segment."""
    parts = list(_segments(key))
    node = data
    for part in parts[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            raise PlaybookError(key, "no such key in this playbook") from None
    if not isinstance(node, dict | list):
        raise PlaybookError(key, "no such key in this playbook")
    return node, parts[-1]


def get_value(pb: Playbook, key: str) -> Any:
    """The value at a key path (e.g. "tiers[1].cutoff"), or None where the key is absent."""
    node, last = _walk(playbook_to_dict(pb), key)
    try:
        return node[last]
    except (KeyError, IndexError, TypeError):
        return None


def with_value(pb: Playbook, key: str, value: Any) -> Playbook:
    """A copy of the playbook with one value changed (None removes the key), validated like a loaded file."""
    return with_values(pb, {key: value})


def with_values(pb: Playbook, changes: Mapping[str, Any]) -> Playbook:
    """Several values changed together, validated once (e.g. the cutoff kind with every cutoff)."""
    data = playbook_to_dict(pb)
    for key, value in changes.items():
        node, last = _walk(data, key)
        try:
            if value is None:
                del node[last]
            else:
                node[last] = list(value) if isinstance(value, tuple) else value
        except (KeyError, IndexError, TypeError):
            raise PlaybookError(key, "no such key in this playbook") from None
    return playbook_from_dict(data)


def with_split(pb: Playbook, axis: Literal["x", "y"], kind: str, value: float) -> Playbook:
    """with_value(pb, f"personas.{axis}_split", {"kind": kind, "value": value}), checked the same way, without
    reading the whole playbook again (a split drag makes one per frame)."""
    name = f"{axis}_split"
    split = read_threshold(Table({name: {"kind": kind, "value": value}}, "personas", []), name)
    personas = replace(pb.personas, x_split=split) if axis == "x" else replace(pb.personas, y_split=split)
    return replace(pb, personas=personas)


def with_tier_renamed(pb: Playbook, index: int, name: str) -> Playbook:
    """A copy with tiers[index] renamed everywhere it is named (role workloads, mismatch lists)."""
    if not 0 <= index < len(pb.tiers):
        raise PlaybookError(f"tiers[{index}]", f"no such tier (the playbook has {len(pb.tiers)})")
    old = pb.tiers[index].name
    data = playbook_to_dict(pb)
    data["tiers"][index]["name"] = name
    for role in data["roles"]:
        role["workload"] = {name if k == old else k: v for k, v in role["workload"].items()}
    for key in ("high_touch", "low_touch"):
        data["mismatch"][key] = [name if k == old else k for k in data["mismatch"][key]]
    if pb.governance:
        data["governance"] = governance_to_dict(renamed(pb.governance, old, name))
    data["sellers"] = sellers_to_dict(renamed_tier(pb.sellers, old, name))
    return playbook_from_dict(data)
