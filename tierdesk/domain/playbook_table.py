"""Reading one TOML table of a playbook: typed values, defaults noted, unknown keys refused, and every error
naming the key path at fault (tiers[2].cutoff). The playbook and each of its sections build on this."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, NoReturn

__all__ = ["REQUIRED", "PlaybookError", "Table"]


class PlaybookError(ValueError):
    """A playbook value is missing, of a wrong type or inconsistent; `key` is its path (tiers[2].cutoff)."""

    def __init__(self, key: str, problem: str, source: str = "") -> None:
        self.key, self.problem, self.source = key, problem, source
        where = f" (in {source})" if source else ""
        super().__init__(f"{key}: {problem}{where}")


REQUIRED: Any = object()
_TYPES: dict[str, tuple[type, ...]] = {
    "number": (int, float),
    "integer": (int,),
    "text": (str,),
    "yes/no": (bool,),
    "table": (dict,),
    "list": (list,),
}
_WORDS = {
    "number": "a number",
    "integer": "a whole number",
    "text": "text in quotes",
    "yes/no": "true or false",
    "table": "a table",
    "list": "a list [...]",
}


class Table:
    """One TOML table being read: typed access naming the key path on error, unknown keys refused."""

    def __init__(self, data: Mapping[str, Any], path: str, filled: list[str]) -> None:
        self.data, self.path, self.filled, self.seen = data, path, filled, set[str]()

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def get(self, name: str, kind: str, default: Any = REQUIRED, choices: tuple[str, ...] = ()) -> Any:
        self.seen.add(name)
        if name not in self.data:
            if default is REQUIRED:
                raise PlaybookError(self.key(name), "missing (this key is required)")
            if default is not None:
                self.filled.append(f"{self.key(name)} = {default!r}")
            return default
        value: Any = self.data[name]
        if (isinstance(value, bool) and kind in ("number", "integer")) or not isinstance(value, _TYPES[kind]):
            raise PlaybookError(self.key(name), f"must be {_WORDS[kind]}, got {value!r}")
        if isinstance(value, float) and not math.isfinite(value):
            raise PlaybookError(self.key(name), f"must be a finite number, got {value!r}")
        if choices and value not in choices:
            raise PlaybookError(self.key(name), f"must be one of {', '.join(choices)}; got {value!r}")
        return value

    def number(self, name: str, default: Any = REQUIRED, low: float | None = None) -> Any:
        value = self.get(name, "number", default)
        if value is not None and low is not None and value < low:
            raise PlaybookError(self.key(name), f"must be at least {low:g}, got {value!r}")
        return value

    def table(self, name: str, optional: bool = False) -> Table:
        """A sub-table; an optional one that is absent reads as empty (its keys' defaults apply)."""
        if optional and name not in self.data:
            self.seen.add(name)
            return Table({}, self.key(name), self.filled)
        return Table(self.get(name, "table"), self.key(name), self.filled)

    def tables(self, name: str, default: Any = REQUIRED) -> list[Table]:
        items = self.get(name, "list", default)
        out = []
        for i, item in enumerate(items or ()):
            if not isinstance(item, dict):
                raise PlaybookError(f"{self.key(name)}[{i}]", f"must be a table, got {item!r}")
            out.append(Table(item, f"{self.key(name)}[{i}]", self.filled))
        return out

    def fail(self, name: str, problem: str) -> NoReturn:
        raise PlaybookError(self.key(name), problem)

    def done(self) -> None:
        for name in self.data:
            if name not in self.seen:
                known = ", ".join(sorted(self.seen))
                raise PlaybookError(self.key(name), f"unknown key (known here: {known})")
