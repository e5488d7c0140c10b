"""Mutations of seed files, as an attacker or an unlucky disk would make them: byte flips and cuts, boundary
numbers in binary records, structure-aware edits of a workbook's XML parts and its zip, CSV specials.

Every mutator is a function (data, rnd) -> data, deterministic for a given random.Random state; `mutate`
picks and stacks a few of them for the seed's family and keeps the result under 1 MB."""

from __future__ import annotations

import io
import random
import re
import struct
import warnings
import zipfile
from collections.abc import Callable

MAX_BYTES = (1 << 20) - 1
#: How large an XML part may grow before it is packed (it packs far below 1 MB, or the file is cut).
XML_BYTES = 120 << 20
Mutator = Callable[[bytes, random.Random], bytes]

INTERESTING_INTS = [0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x3FFF, 0x4000, 0x7FFF, 0x8000, 0xFFFF, 0x10000,
                    1_048_575, 1_048_576, 1_048_577, 16_384, 65_535, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE,
                    0xFFFFFFFF]  # fmt: skip
FAR_REFS = ["XFD1048576", "XFD1", "A1048576", "A9999999", "ZZ60000", "AAAAAA1", "Q54321", "AN999999",
            "xfd1048576", "IV65536", "A0", "AB", "1", "", "A01", "ZZZZZZZZZ9", "A4294967297", "XFE1",
            "C1048577", "AZ100000"]  # fmt: skip
HOSTILE_TEXT = ["=1+1", "@SUM(A1)", "+cmd|' /C calc'!A0", "-2", "\t", "\r", "#N/A", "{=A1}", "‮evil",
                "\x00", "\x07bell", "😀" * 50, "x" * 40_000, "&amp;lt;", "<![CDATA[x]]>", "NaN", "1e999",
                "\u2028"]  # fmt: skip


# ---------------------------------------------------------------- bytes, for every family


def flip_bits(data: bytes, rnd: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rnd.randint(1, 16)):
        if out:
            at = rnd.randrange(len(out))
            out[at] ^= 1 << rnd.randrange(8)
    return bytes(out)


def set_bytes(data: bytes, rnd: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rnd.randint(1, 8)):
        if out:
            out[rnd.randrange(len(out))] = rnd.choice(
                [0, 0xFF, 0x7F, 0x80, 0x3C, 0x22, 0x27, rnd.randrange(256)]
            )
    return bytes(out)


def boundary_int(data: bytes, rnd: random.Random) -> bytes:
    if len(data) < 4:
        return data
    out = bytearray(data)
    for _ in range(rnd.randint(1, 4)):
        at = rnd.randrange(len(out) - 3)
        value = rnd.choice(INTERESTING_INTS)
        if rnd.random() < 0.5:
            out[at : at + 4] = struct.pack("<I", value & 0xFFFFFFFF)
        else:
            out[at : at + 2] = struct.pack("<H", value & 0xFFFF)
    return bytes(out)


def truncate(data: bytes, rnd: random.Random) -> bytes:
    return data[: rnd.randrange(len(data) + 1)] if data else data


def insert_bytes(data: bytes, rnd: random.Random) -> bytes:
    at = rnd.randrange(len(data) + 1)
    junk = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 64)))
    return data[:at] + junk + data[at:]


def duplicate_chunk(data: bytes, rnd: random.Random) -> bytes:
    if not data:
        return data
    start = rnd.randrange(len(data))
    piece = data[start : start + rnd.randint(1, 4096)]
    at = rnd.randrange(len(data) + 1)
    return (data[:at] + piece * rnd.randint(1, 8) + data[at:])[:XML_BYTES]


BYTES: list[Mutator] = [flip_bits, set_bytes, boundary_int, truncate, insert_bytes, duplicate_chunk]


# ---------------------------------------------------------------- xlsx: the zip and its XML parts


def _parts(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return [(info, zf.read(info)) for info in zf.infolist()]
    except Exception:
        return None


def _rezip(parts: list[tuple[zipfile.ZipInfo, bytes]], rnd: random.Random) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w") as zf:
        warnings.simplefilter("ignore", UserWarning)  # a name written twice is one of the mutations
        for info, body in parts:
            info.compress_type = zipfile.ZIP_DEFLATED if rnd.random() < 0.9 else zipfile.ZIP_STORED
            zf.writestr(info, body, compresslevel=rnd.choice([1, 6, 9]))
    return out.getvalue()


def _pick_part(parts: list[tuple[zipfile.ZipInfo, bytes]], rnd: random.Random) -> int:
    weights = []
    for info, _ in parts:
        name = info.filename
        weights.append(
            8
            if "worksheets/" in name
            else 4
            if "sharedStrings" in name
            else 3
            if name.endswith(".rels") or "workbook" in name
            else 2
            if name.endswith(".xml")
            else 1
        )
    return rnd.choices(range(len(parts)), weights)[0]


def _xml_far_ref(xml: bytes, rnd: random.Random) -> bytes:
    refs = list(re.finditer(rb'\br="([A-Za-z]*\d*)"', xml))
    if not refs:
        return xml
    found = rnd.choice(refs)
    ref = rnd.choice(FAR_REFS).encode()
    quote = rnd.choice([b'"', b"'"])
    spelling = rnd.choice(
        [b"r=%s%s%s" % (quote, ref, quote), b"r = %s%s%s" % (quote, ref, quote),
         b"r=%s%s%s r=%s%s%s" % (quote, found.group(1), quote, quote, ref, quote),
         b'r="%s" x:r="%s"' % (found.group(1), ref), b"r\t=\n%s%s%s" % (quote, ref, quote)]
    )  # fmt: skip
    return xml[: found.start()] + spelling + xml[found.end() :]


def _xml_drop_refs(xml: bytes, rnd: random.Random) -> bytes:
    return re.sub(rb'\sr="[^"]*"', lambda m: b"" if rnd.random() < 0.5 else m.group(0), xml)


def _xml_counts(xml: bytes, rnd: random.Random) -> bytes:
    big = str(rnd.choice([4_000_000_000, 2**63, 1_048_576, 99_999_999, -1])).encode()
    xml = re.sub(rb'(uniqueCount|count)="\d+"', rb'\1="' + big + b'"', xml)
    return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml)


def _xml_entities(xml: bytes, rnd: random.Random) -> bytes:
    laughs = b'<!ENTITY a "aaaaaaaaaa">' + b"".join(
        b'<!ENTITY a%d "%s">' % (i, (b"&a;" if i == 1 else b"&a%d;" % (i - 1)) * 10) for i in range(1, 9)
    )
    doctype = rnd.choice(
        [b"<!DOCTYPE x [" + laughs + b"]>", b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>']
    )
    use = rnd.choice([b"&a8;", b"&e;", b"&a3;"])
    xml = re.sub(rb"(<\?xml[^>]*\?>)", rb"\1" + doctype, xml, count=1)
    return (
        re.sub(rb"<t>", b"<t>" + use, xml, count=1) if b"<t>" in xml else xml.replace(b"<v>", b"<v>" + use, 1)
    )


def _xml_encoding(xml: bytes, rnd: random.Random) -> bytes:
    name = rnd.choice([b"foo-8", b"UTF-16", b"latin-1", b"ebcdic", b"utf-7", b""])
    return re.sub(rb'encoding="[^"]*"', b'encoding="' + name + b'"', xml, count=1)


def _xml_prefix(xml: bytes, rnd: random.Random) -> bytes:
    xml = re.sub(rb"<(/?)(c|row|v|sheetData|si|t)([\s>/])", rb"<\1x:\2\3", xml)
    return xml.replace(
        b"<worksheet ", b'<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ', 1
    )


def _xml_whitespace(xml: bytes, rnd: random.Random) -> bytes:
    at = xml.find(b"<", rnd.randrange(len(xml) + 1)) if xml else -1
    run = rnd.choice([b" ", b"\n", b"\t "]) * rnd.choice([10_000, 1_000_000, 5_000_000, 60_000_000])
    return xml[:at] + run + xml[at:] if at >= 0 else xml + run


def _xml_repeat_rows(xml: bytes, rnd: random.Random) -> bytes:
    rows = list(re.finditer(rb"<row\b.*?</row>", xml, re.S))
    if not rows:
        return xml
    row = rnd.choice(rows)
    times = min(rnd.choice([10, 1_000, 20_000, 60_000]), XML_BYTES // len(row.group(0)))
    return xml[: row.end()] + row.group(0) * times + xml[row.end() :]


def _xml_values(xml: bytes, rnd: random.Random) -> bytes:
    values = list(re.finditer(rb"<v>([^<]*)</v>", xml))
    if not values:
        return xml
    found = rnd.choice(values)
    new = rnd.choice([b"4000000000", b"1e308", b"-1e308", b"NaN", b"inf", b"99999999999", b"-5", b"", b"x"])
    return xml[: found.start(1)] + new + xml[found.end(1) :]


def _xml_text(xml: bytes, rnd: random.Random) -> bytes:
    texts = list(re.finditer(rb"<t[^>]*>([^<]*)</t>", xml))
    if not texts:
        return xml
    found = rnd.choice(texts)
    new = rnd.choice(HOSTILE_TEXT).replace("&", "&amp;").replace("<", "&lt;").encode("utf-8", "surrogatepass")
    return xml[: found.start(1)] + new + xml[found.end(1) :]


def _xml_sheet_name(xml: bytes, rnd: random.Random) -> bytes:
    name = rnd.choice([b"Line&#10;Two&#13;Three", b"x" * 300, b"&lt;&gt;", b"", b"_tierdesk_meta", b"A\tB"])
    return re.sub(rb'(<sheet\b[^>]*\bname=")[^"]*"', rb"\1" + name + b'"', xml, count=1)


def _xml_formula(xml: bytes, rnd: random.Random) -> bytes:
    return re.sub(rb"(<c\b[^>]*>)(<v>)", rb"\1<f>1+1</f>\2", xml, count=rnd.randint(1, 20))


def _xml_cut(xml: bytes, rnd: random.Random) -> bytes:
    return xml[: rnd.randrange(len(xml) + 1)]


def _xml_bytes(xml: bytes, rnd: random.Random) -> bytes:
    return rnd.choice(BYTES)(xml, rnd)


XML: list[Mutator] = [_xml_far_ref, _xml_far_ref, _xml_far_ref, _xml_drop_refs, _xml_counts, _xml_entities,
                      _xml_encoding, _xml_prefix, _xml_whitespace, _xml_repeat_rows, _xml_values, _xml_text,
                      _xml_sheet_name, _xml_formula, _xml_cut, _xml_bytes]  # fmt: skip


def xml_part(data: bytes, rnd: random.Random) -> bytes:
    """One XML part of the workbook edited (cell references, counts, entities, prefixes, ...), re-zipped."""
    parts = _parts(data)
    if not parts:
        return rnd.choice(BYTES)(data, rnd)
    at = _pick_part(parts, rnd)
    info, body = parts[at]
    mutator = rnd.choice(XML)
    if "workbook.xml" in info.filename and rnd.random() < 0.3:
        mutator = _xml_sheet_name
    parts[at] = (info, mutator(body, rnd))
    return _rezip(parts, rnd)


def zip_structure(data: bytes, rnd: random.Random) -> bytes:
    """The zip itself: a part dropped, a bomb added, sizes that lie, an unknown packing, an encrypted flag."""
    parts = _parts(data)
    if not parts:
        return rnd.choice(BYTES)(data, rnd)
    choice = rnd.randrange(6)
    if choice == 5:  # the same part again under another spelling, which the reader may take instead
        info, body = parts[_pick_part(parts, rnd)]
        twin = rnd.choice([info.filename.upper(), info.filename.replace("/", "\\"), info.filename])
        parts.append((zipfile.ZipInfo(twin), _xml_far_ref(body, rnd)))
        return _rezip(parts, rnd)
    if choice == 0 and len(parts) > 1:
        parts.pop(_pick_part(parts, rnd))
        return _rezip(parts, rnd)
    if choice == 1:
        name = rnd.choice(
            ["xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml", "xl/bomb.xml"]
        )
        parts = [(i, b) for i, b in parts if i.filename != name]
        parts.append((zipfile.ZipInfo(name), b"<x>" + b" " * rnd.choice([30_000_000, 120_000_000]) + b"</x>"))
        return _rezip(parts, rnd)
    packed = _rezip(parts, rnd)
    out = bytearray(packed)
    headers = [m.start() for m in re.finditer(rb"PK\x01\x02", packed)]  # central directory entries
    if not headers:
        return packed
    at = rnd.choice(headers)
    if choice == 2:  # declared unpacked size lies (small)
        out[at + 24 : at + 28] = struct.pack("<I", rnd.choice([1, 838, 0]))
    elif choice == 3:  # packing method nobody knows
        out[at + 10 : at + 12] = struct.pack("<H", rnd.choice([99, 12, 14, 93]))
        local = struct.unpack("<I", packed[at + 42 : at + 46])[0]
        out[local + 8 : local + 10] = out[at + 10 : at + 12]
    else:  # "encrypted"
        out[at + 8] |= 1
    return bytes(out)


# ---------------------------------------------------------------- xls: the compound file and BIFF records

_CELL_RECORDS = (0x0203, 0x0204, 0x00FD, 0x027E, 0x00BD, 0x0006, 0x0205, 0x0200, 0x0085, 0x00FC)


def biff_records(data: bytes, rnd: random.Random) -> bytes:
    """Row, column and length fields of BIFF records (cells, DIMENSIONS, sheets, strings) set to extremes."""
    found = [
        m.start()
        for kind in _CELL_RECORDS
        for m in re.finditer(re.escape(struct.pack("<H", kind)), data)
        if m.start() + 8 <= len(data)
    ]
    if not found:
        return boundary_int(data, rnd)
    out = bytearray(data)
    for _ in range(rnd.randint(1, 4)):
        at = rnd.choice(found)
        field = rnd.choice([2, 4, 6, 8, 10, 12])  # the length, then the first fields of the record
        value = rnd.choice(INTERESTING_INTS)
        if at + field + 4 <= len(out):
            width = 4 if rnd.random() < 0.4 else 2
            out[at + field : at + field + width] = struct.pack(
                "<I" if width == 4 else "<H", value & (2 ** (8 * width) - 1)
            )
    return bytes(out)


def ole_header(data: bytes, rnd: random.Random) -> bytes:
    """The compound file's header: sector size, table counts and starts."""
    if len(data) < 512:
        return data
    out = bytearray(data)
    at = rnd.choice([30, 44, 48, 56, 60, 62, 64, 68, 72, 76, 80])
    out[at : at + 4] = struct.pack("<I", rnd.choice(INTERESTING_INTS) & 0xFFFFFFFF)
    return bytes(out)


# ---------------------------------------------------------------- CSV


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def csv_specials(data: bytes, rnd: random.Random) -> bytes:
    text = _text(data)
    lines = text.split("\n")
    choice = rnd.randrange(12)
    at = rnd.randrange(len(lines))
    if choice == 0:  # a quote opened and never closed
        lines[at] = '"' + lines[at]
    elif choice == 1:
        lines[at] += rnd.choice(["\x00", "\x00\x00,\x00", "\r", "\x1a"])
    elif choice == 2:  # a long line, under 1 MB
        lines[at] += "," + "y" * rnd.choice([100_000, 500_000, 900_000])
    elif choice == 3:  # many columns
        lines[at] = ",".join(["c"] * rnd.choice([300, 5_000, 16_385, 20_000, 60_000]))
    elif choice == 4:
        lines.insert(at, rnd.choice(["sep=", "sep=\\t", "sep=x", "sep=;", "SEP=,"]))
    elif choice == 5:  # a field larger than Python's csv module allows
        lines[at] += ',"' + "z" * 200_000 + '"'
    elif choice == 6:
        lines[at] += "," + rnd.choice(HOSTILE_TEXT)
    elif choice == 7:
        return text.replace("\n", rnd.choice(["\r", "\r\r\n", "\u2028", ""])).encode(
            "utf-8", "surrogateescape"
        )
    elif choice == 8:
        return rnd.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b""]) + data
    elif choice == 9:
        return text.encode(rnd.choice(["utf-16", "utf-16-be", "cp1252", "latin-1"]), "replace")
    elif choice == 10:  # many rows, as many as fit under 1 MB
        lines += [lines[at]] * min(rnd.choice([10, 10_000, 100_000]), MAX_BYTES // (len(lines[at]) + 1))
    else:
        lines[at] = lines[at].replace(",", rnd.choice([";", "\t", "|", '","', ",,,,"]))
    return "\n".join(lines).encode("utf-8", "surrogateescape")


# ---------------------------------------------------------------- choosing


def family(name: str) -> str:
    suffix = name.rsplit(".", 1)[-1].lower()
    return {"xls": "xls", "csv": "csv", "tsv": "csv"}.get(suffix, "zip")


def mutate(name: str, data: bytes, rnd: random.Random) -> bytes:
    """A few stacked mutations suited to the seed's family; the result kept under 1 MB."""
    pools: dict[str, list[Mutator]] = {
        "zip": [xml_part] * 6 + [zip_structure] * 2 + BYTES,
        "xls": [biff_records] * 4 + [ole_header] * 2 + BYTES,
        "csv": [csv_specials] * 5 + BYTES,
    }
    pool = pools[family(name)]
    for _ in range(rnd.choice([1, 1, 1, 2, 3])):
        data = rnd.choice(pool)(data, rnd)
        if len(data) > MAX_BYTES:
            data = data[:MAX_BYTES] if family(name) == "csv" else truncate(data, rnd)[:MAX_BYTES]
    return data
