"""Typed access to what tierdesk remembers between runs (QSettings)."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 10


class Settings:
    """Recent files, confirmed column mappings and window layout."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store if store is not None else QSettings()

    # recent files -------------------------------------------------------
    def recent_files(self) -> list[Path]:
        raw = self._store.value("files/recent", [])
        names = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list | tuple) else []
        return [Path(n) for n in names if n]

    def add_recent_file(self, path: Path) -> list[Path]:
        path = path.resolve()
        files = [path] + [p for p in self.recent_files() if p != path]
        files = files[:MAX_RECENT]
        self._store.setValue("files/recent", [str(p) for p in files])
        return files

    def remove_recent_file(self, path: Path) -> None:
        files = [p for p in self.recent_files() if p != path]
        self._store.setValue("files/recent", [str(p) for p in files])

    def last_directory(self) -> str:
        return str(self._store.value("files/last_directory", "") or "")

    def set_last_directory(self, directory: Path) -> None:
        self._store.setValue("files/last_directory", str(directory))

    # column mappings ----------------------------------------------------
    def mapping_for(self, signature: str) -> dict[str, str] | None:
        raw = self._store.value(f"mappings/{signature}")
        if not raw:
            return None
        try:
            mapping = json.loads(str(raw))
        except json.JSONDecodeError:
            return None
        return {str(k): str(v) for k, v in mapping.items()} if isinstance(mapping, dict) else None

    def remember_mapping(self, signature: str, mapping: dict[str, str]) -> None:
        self._store.setValue(f"mappings/{signature}", json.dumps(mapping, sort_keys=True))

    # window layout ------------------------------------------------------
    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        geometry = self._store.value("window/geometry")
        state = self._store.value("window/state")
        return (
            geometry if isinstance(geometry, QByteArray) else None,
            state if isinstance(state, QByteArray) else None,
        )

    def save_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self._store.setValue("window/geometry", geometry)
        self._store.setValue("window/state", state)

    def value(self, key: str, default: object = None) -> object:
        return self._store.value(key, default)

    def set_value(self, key: str, value: object) -> None:
        self._store.setValue(key, value)

    def sync(self) -> None:
        self._store.sync()
