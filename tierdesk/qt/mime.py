"""Account rows on the clipboard and in drag and drop, between tierdesk's own views."""

from __future__ import annotations

import json

import numpy as np
from PySide6.QtCore import QMimeData

ROWS_MIME = "application/x-tierdesk-account-rows"


def rows_mime(rows: np.ndarray) -> QMimeData:
    mime = QMimeData()
    mime.setData(ROWS_MIME, json.dumps([int(r) for r in rows]).encode())
    mime.setText(f"{len(rows)} accounts")
    return mime


def rows_from_mime(mime: QMimeData) -> np.ndarray | None:
    if not mime.hasFormat(ROWS_MIME):
        return None
    try:
        return np.asarray(json.loads(bytes(mime.data(ROWS_MIME).data()).decode()), dtype=np.int64)
    except (ValueError, TypeError):
        return None
