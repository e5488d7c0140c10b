"""Tables stored exactly in a plan workbook's hidden sheets: every column with its dtype, as ASCII text cut
into cells Excel keeps as they are (numbers as raw bytes, texts as JSON), and read back bit for bit."""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import json
import math
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import pandas as pd

#: Characters per hidden cell: below Excel's 32,767 so no program cuts them.
CHUNK = 30_000
#: The header of every hidden sheet.
HEADER = ("part", "column", "spec", "data")


class DamagedPlanError(ValueError):
    """The hidden plan data cannot be decoded (edited by hand, cut, or from an unknown format)."""


def _b64(values: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(values).tobytes()).decode("ascii")


def _unb64(text: str, dtype: str, n: int) -> np.ndarray:
    raw = base64.b64decode(text.encode("ascii"), validate=True)
    values = np.frombuffer(raw, dtype=np.dtype(dtype)).copy()
    if len(values) != n:
        raise DamagedPlanError(f"a column holds {len(values)} values where {n} were saved")
    return values


def _little(values: np.ndarray) -> np.ndarray:
    dtype = values.dtype.newbyteorder("<") if values.dtype.byteorder == ">" else values.dtype
    return np.ascontiguousarray(values, dtype=dtype)


# ---------------------------------------------------------------- single values in object columns


def _tag(v: Any, notes: list[str]) -> Any:
    """A JSON-ready form of one value; tagged dicts where JSON alone would lose the type."""
    if v is None or isinstance(v, str | bool) or (isinstance(v, int) and type(v) is int):
        return v
    if type(v) is float:
        return v if math.isfinite(v) else {"f": repr(v)}
    if v is pd.NA:
        return {"na": 1}
    if v is pd.NaT:
        return {"nat": 1}
    if isinstance(v, np.generic) and v.dtype.kind in "biuf":
        item = v.item()
        return {"np": v.dtype.str, "v": repr(item) if isinstance(item, float) else item}
    if isinstance(v, pd.Timestamp):
        return {"ts": int(v.value), "unit": v.unit, "tz": None if v.tz is None else str(v.tz)}
    if isinstance(v, dt.datetime):
        return {"dt": v.isoformat()}
    if isinstance(v, dt.date):
        return {"d": v.isoformat()}
    if isinstance(v, dt.time):
        return {"t": v.isoformat()}
    if isinstance(v, decimal.Decimal):
        return {"dec": str(v)}
    if isinstance(v, pd.Timedelta):
        return {"td": int(v.value)}
    notes.append(type(v).__name__)
    return str(v)


def _untag(v: Any) -> Any:
    if not isinstance(v, dict):
        return v
    if "f" in v:
        return float(v["f"])
    if "na" in v:
        return pd.NA
    if "nat" in v:
        return pd.NaT
    if "np" in v:
        value = float(v["v"]) if isinstance(v["v"], str) else v["v"]
        return np.dtype(v["np"]).type(value)
    if "ts" in v:
        stamp = pd.Timestamp(v["ts"], unit="ns")
        if v["tz"] is not None:
            stamp = stamp.tz_localize("UTC").tz_convert(v["tz"])
        return stamp.as_unit(v["unit"])
    if "dt" in v:
        return dt.datetime.fromisoformat(v["dt"])
    if "d" in v:
        return dt.date.fromisoformat(v["d"])
    if "t" in v:
        return dt.time.fromisoformat(v["t"])
    if "dec" in v:
        return decimal.Decimal(v["dec"])
    if "td" in v:
        return pd.Timedelta(v["td"], unit="ns")
    raise DamagedPlanError(f"an unknown value tag {sorted(v)!r}")


# ---------------------------------------------------------------- columns


def encode_values(values: pd.Series | pd.Index, notes: list[str] | None = None) -> tuple[dict[str, Any], str]:
    """(spec, payload) for one column: the dtype and the values, exact."""
    notes = [] if notes is None else notes
    dtype = values.dtype
    array = values.array
    if isinstance(dtype, pd.CategoricalDtype):
        codes = np.asarray(pd.Categorical(array).codes)
        cat_spec, cat_data = encode_values(dtype.categories, notes)
        return (
            {"kind": "category", "ordered": bool(dtype.ordered), "codes": codes.dtype.str},
            json.dumps({"codes": _b64(_little(codes)), "categories": [cat_spec, cat_data]}),
        )
    if isinstance(dtype, pd.StringDtype):
        codes, uniques = pd.factorize(np.asarray(array, dtype=object), use_na_sentinel=True)
        na = "nan" if isinstance(dtype.na_value, float) else "NA"
        return (
            {"kind": "string", "storage": dtype.storage, "na": na},
            json.dumps({"codes": _b64(codes.astype("<i4")), "values": [str(u) for u in uniques]}),
        )
    if isinstance(dtype, pd.DatetimeTZDtype):
        ints = np.asarray(array.asi8, "<i8")
        return {"kind": "datetimetz", "unit": dtype.unit, "tz": str(dtype.tz)}, _b64(ints)
    masked = getattr(array, "_mask", None)
    if masked is not None and hasattr(array, "_data"):
        data = _little(np.asarray(array._data))
        return (
            {"kind": "masked", "dtype": str(dtype), "data": data.dtype.str},
            json.dumps({"data": _b64(data), "mask": _b64(np.asarray(masked, "?"))}),
        )
    if isinstance(dtype, np.dtype) and dtype.kind in "biufcmM":
        data = _little(np.asarray(values))
        return {"kind": "numpy", "dtype": data.dtype.str}, _b64(data)
    spec: dict[str, Any] = {"kind": "object"}
    if not (isinstance(dtype, np.dtype) and dtype.kind == "O"):
        spec["was"] = str(dtype)
    before = len(notes)
    payload = json.dumps([_tag(v, notes) for v in np.asarray(array, dtype=object).tolist()], allow_nan=False)
    if len(notes) > before:
        kinds = sorted(set(notes[before:]))
        del notes[before:]
        notes.append(f"{len(kinds)} kind(s) of value saved as text: {', '.join(kinds)}")
    return spec, payload


def decode_values(spec: dict[str, Any], payload: str, n: int) -> Any:
    """The array encode_values() described (a numpy array or a pandas extension array)."""
    kind = spec.get("kind")
    if kind == "numpy":
        return _unb64(payload, spec["dtype"], n)
    if kind == "category":
        data = json.loads(payload)
        codes = _unb64(data["codes"], spec["codes"], n)
        cat_spec, cat_data = data["categories"]
        categories = pd.Index(decode_values(cat_spec, cat_data, _count(cat_spec, cat_data)))
        return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(categories, spec["ordered"]))
    if kind == "string":
        data = json.loads(payload)
        codes = _unb64(data["codes"], "<i4", n)
        uniques = np.array([*data["values"], None], dtype=object)
        dtype = pd.StringDtype(spec["storage"], na_value=np.nan if spec["na"] == "nan" else pd.NA)
        return pd.array(uniques[codes], dtype=dtype)
    if kind == "datetimetz":
        ints = _unb64(payload, "<i8", n)
        naive = pd.DatetimeIndex(ints.view(f"M8[{spec['unit']}]"))
        return naive.tz_localize("UTC").tz_convert(spec["tz"]).array
    if kind == "masked":
        data = json.loads(payload)
        values = _unb64(data["data"], spec["data"], n)
        mask = _unb64(data["mask"], "?", n)
        empty = pd.array([], dtype=spec["dtype"])
        return type(empty)(values, mask)
    if kind == "object":
        values = np.empty(n, dtype=object)
        items = [_untag(v) for v in json.loads(payload)]
        if len(items) != n:
            raise DamagedPlanError(f"a column holds {len(items)} values where {n} were saved")
        values[:] = items
        return pd.array(values, dtype=spec["was"]) if "was" in spec else values
    raise DamagedPlanError(f"an unknown column encoding {kind!r}")


def _count(spec: dict[str, Any], payload: str) -> int:
    """How many values a nested (categories) payload holds."""
    kind = spec["kind"]
    if kind == "numpy":
        return len(base64.b64decode(payload)) // np.dtype(spec["dtype"]).itemsize
    if kind == "string":
        return len(base64.b64decode(json.loads(payload)["codes"])) // 4
    if kind == "object":
        return len(json.loads(payload))
    if kind == "datetimetz":
        return len(base64.b64decode(payload)) // 8
    if kind == "masked":
        return len(base64.b64decode(json.loads(payload)["mask"]))
    raise DamagedPlanError(f"categories in an unknown encoding {kind!r}")


# ---------------------------------------------------------------- frames as rows of a hidden sheet


def frame_rows(part: str, frame: pd.DataFrame, notes: list[str] | None = None) -> Iterator[list[str]]:
    """Rows (part, column, spec, data) storing a whole frame; long data continues on following rows."""
    notes = [] if notes is None else notes
    index = frame.index
    if isinstance(index, pd.RangeIndex):
        index_spec: dict[str, Any] = {"range": [index.start, index.stop, index.step], "name": index.name}
    else:
        index_spec = {"values": True, "name": index.name}
    names = [_tag(c, notes) for c in frame.columns]
    head = {
        "rows": len(frame),
        "columns": names,
        "index": index_spec,
        "column_dtype": str(frame.columns.dtype),
    }
    yield from _pieces(part, "@frame", head, "")
    if "values" in index_spec:
        spec, payload = encode_values(index, notes)
        yield from _pieces(part, "@index", spec, payload)
    for i in range(frame.shape[1]):
        column = frame.iloc[:, i]
        kept: list[str] = []
        spec, payload = encode_values(column, kept)
        notes.extend(f"{part} column {frame.columns[i]!r}: {k}" for k in kept)
        yield from _pieces(part, str(i), spec, payload)


def _pieces(part: str, key: str, spec: dict[str, Any], payload: str) -> Iterator[list[str]]:
    spec_text = json.dumps(spec, allow_nan=False)
    for start in range(0, max(len(payload), 1), CHUNK):
        yield [part, key, spec_text if start == 0 else "", payload[start : start + CHUNK]]


class Digest:
    """A checksum of hidden-sheet rows, to tell a plan cut or edited outside tierdesk."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()

    def add(self, row: list[str]) -> None:
        self._hash.update("\x1f".join(row).encode("utf-8", "surrogatepass"))
        self._hash.update(b"\x1e")

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def digest(rows: Iterable[list[str]]) -> str:
    d = Digest()
    for row in rows:
        d.add(row)
    return d.hexdigest()


def collect(rows: Iterable[Iterable[Any]]) -> dict[str, list[list[str]]]:
    """A hidden sheet's rows grouped by part (header and blank rows dropped), as text."""
    parts: dict[str, list[list[str]]] = {}
    for row in rows:
        cells = ["" if c is None else str(c) for c in list(row)[:4]]
        cells += [""] * (4 - len(cells))
        if not cells[0] or tuple(cells) == HEADER:
            continue
        parts.setdefault(cells[0], []).append(cells)
    return parts


def read_frame(rows: list[list[str]]) -> pd.DataFrame:
    """The frame frame_rows() stored; DamagedPlanError when the rows do not hold one."""
    columns: dict[str, tuple[dict[str, Any], list[str]]] = {}
    order: list[str] = []
    try:
        for _, key, spec, chunk in rows:
            if key not in columns:
                columns[key] = (json.loads(spec), [])
                order.append(key)
            columns[key][1].append(chunk)
        head = columns["@frame"][0]
        n = int(head["rows"])
        names = [_untag(c) for c in head["columns"]]
        data: dict[int, Any] = {
            i: decode_values(columns[str(i)][0], "".join(columns[str(i)][1]), n) for i in range(len(names))
        }
    except (KeyError, ValueError, TypeError, IndexError, json.JSONDecodeError) as exc:
        if isinstance(exc, DamagedPlanError):
            raise
        raise DamagedPlanError(f"the saved table cannot be read ({type(exc).__name__}: {exc})") from None
    index_spec = head["index"]
    if "range" in index_spec:
        start, stop, step = index_spec["range"]
        index: pd.Index = pd.RangeIndex(start, stop, step, name=index_spec["name"])
    else:
        index_values, parts = columns["@index"]
        index = pd.Index(decode_values(index_values, "".join(parts), n), name=index_spec["name"])
    series = {
        i: pd.Series(v, index=index, dtype=v.dtype, copy=False) for i, v in data.items()
    }  # no inference
    frame = pd.DataFrame(series, index=index, copy=False) if names else pd.DataFrame(index=index)
    frame.columns = pd.Index(names, dtype=head.get("column_dtype", "object"))
    return frame
