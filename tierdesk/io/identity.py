"""Which column holds the accounts: header words, what the values look like (companies or people, months,
countries, footnotes) and which names nest in which (a company's contacts); or, when none does, why not."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tierdesk.io.cells import split_cells, stripped
from tierdesk.io.words import (
    COMPANY_HEADER_WORDS,
    PERSON_WORDS,
    company_share,
    header_has,
    is_country,
    is_month_label,
    is_sentence,
)

#: Rows looked at to judge a column (the first ones of the table).
SAMPLE_ROWS = 2000
#: A column filled on fewer rows than this share (of a table this long) is a side note, not the accounts.
SPARSE_SHARE, SPARSE_MIN_ROWS = 0.1, 50
#: Share of rows whose finer name always comes with the same coarser one, for the first to nest in the second.
NESTED_SHARE = 0.9
_NUMBER_TEXT = re.compile(r"^[\s$€£(+-]*\d[\d\s.,%')]*$")
_GENERIC = re.compile(r"^(column [a-z]{1,3}|unnamed.*|row labels?|labels?|zeilenbeschriftungen|"
                      r"etiquettes de lignes|etiquetas de fila)$", re.IGNORECASE)  # fmt: skip

Candidate = tuple[float, str, str]  # (header score, header, canonical key)


@dataclass
class Look:
    """What a column holds, judged from its first rows."""

    header: str
    kind: str  # names, numbers, dates, months, countries, years, notes, empty
    filled: int
    rows: int
    distinct: int
    names: list[str]

    def says(self) -> str:
        """In words, for messages: 'months', '794 different names'."""
        if self.kind == "names":
            return f"{self.distinct:,} different names"
        words = {"notes": "notes", "numbers": "numbers", "empty": "nothing", "records": "numbered records"}
        return words.get(self.kind, self.kind)


def look(header: str, values: np.ndarray) -> Look:
    """Sort a column into names, numbers, dates, months, countries, years, notes or empty."""
    if len(values) == 0:  # a header with no rows under it (thousands in a ragged file): nothing to see
        return Look(header, "empty", 0, 0, 0, [])
    c = split_cells(values)
    texts = stripped(c.arr, c.is_str)
    texts = texts[texts != ""]
    numeric_texts = (
        texts.str.fullmatch(_NUMBER_TEXT).to_numpy(dtype=bool) if len(texts) else np.zeros(0, bool)
    )
    words = texts[~numeric_texts]
    numbers = int(c.is_num.sum()) + int(numeric_texts.sum())
    filled = numbers + len(words) + int(c.is_date.sum()) + int(c.is_bool.sum())
    distinct = list(dict.fromkeys(words.tolist()))
    all_distinct = len(distinct) + len(set(c.arr[c.is_num].tolist()))
    kind = "empty"
    if filled:
        if len(words) >= 0.2 * filled and distinct:
            kind = _word_kind(distinct)
        elif c.is_date.sum() >= 0.8 * filled:
            kind = "dates"
        else:
            kind = "years" if _years(c.arr[c.is_num]) else "numbers"
    return Look(header, kind, filled, len(c.arr), all_distinct, distinct)


#: Values like 'Opportunity #279' or 'Order 1043' number records (deals, orders, tickets), not accounts.
_RECORD = re.compile(
    r"^(opportunity|opp|deal|order|invoice|ticket|case|project|quote|lead|item|product|transaction|"
    r"auftrag|bestellung|rechnung|commande|facture|pedido|factura)\s*(#|no\.?|nr\.?)?\s*\d+$",
    re.IGNORECASE,
)


def _word_kind(distinct: list[str]) -> str:
    """Months, countries, notes or numbered records when most of the first different values are; else
    names."""
    first = distinct[:60]
    n = len(first)
    if sum(1 for v in first if _RECORD.match(v)) >= 0.8 * n:
        return "records"
    if sum(map(is_month_label, first)) >= 0.8 * n:
        return "months"
    if sum(map(is_country, first)) >= 0.7 * n:
        return "countries"
    if sum(map(is_sentence, first)) >= 0.5 * n:
        return "notes"
    return "names"


def _years(numbers: np.ndarray) -> bool:
    if not len(numbers):
        return False
    v = numbers.astype(np.float64)
    return bool(((v == np.floor(v)) & (v >= 1900) & (v <= 2100)).all()) and len(set(v.tolist())) <= 60


def unfit(found: Look) -> str | None:
    """Why a column cannot be the accounts (it holds months, countries, notes...), or None."""
    if found.kind in ("months", "countries", "years", "dates", "notes", "records", "empty"):
        return f"'{found.header}' holds {found.says()}, not accounts"
    if found.rows >= SPARSE_MIN_ROWS and found.filled < SPARSE_SHARE * found.rows:
        return f"'{found.header}' is filled on only {found.filled:,} of {found.rows:,} rows"
    return None


def company_likeness(found: Look) -> float:
    """How much a column reads as companies rather than people: header words and legal forms."""
    score = 3.0 * company_share(found.names[:300])
    if header_has(found.header, COMPANY_HEADER_WORDS):
        score += 1.0
    if header_has(found.header, PERSON_WORDS):
        score -= 1.0
    return score


def nests_in(frame: pd.DataFrame, finer: str, coarser: str) -> bool:
    """Each value of `finer` comes with one value of `coarser` (a contact inside its company)."""
    pairs = frame[[finer, coarser]]
    pairs = pairs[(pairs[finer] != "") & (pairs[coarser] != "")].astype(str)
    if len(pairs) < 3:
        return False
    counts = pairs.value_counts(sort=False)
    modal = counts.groupby(level=0, sort=False).max()
    return bool(modal.sum() >= NESTED_SHARE * len(pairs))


@dataclass
class Settled:
    mapping: dict[str, str]
    notes: list[str]
    refusal: str | None


def settle_identity(
    headers: Sequence[str], data: pd.DataFrame, mapping: dict[str, str], ranked: list[Candidate]
) -> Settled:
    """Check the guessed account columns against their values; choose the company over its contacts; fall
    back to an unnamed column of names; or say why no column holds accounts."""
    sample = data.head(SAMPLE_ROWS)
    looks: dict[str, Look] = {}

    def seen(header: str) -> Look:
        if header not in looks:
            looks[header] = look(header, sample[header].to_numpy(dtype=object))
        return looks[header]

    notes: list[str] = []
    mapping = dict(mapping)
    used = set(mapping.values())
    for key in ("account_id", "account_name"):
        header = mapping.get(key)
        if header is None or header not in sample.columns:
            continue
        why = unfit(seen(header))
        if why is None:
            continue
        notes.append(why + ".")
        del mapping[key]
        used.discard(header)
        for _score, other, other_key in ranked:
            if (
                other_key == key
                and other not in used
                and other in sample.columns
                and unfit(seen(other)) is None
            ):
                mapping[key] = other
                used.add(other)
                break
    _codes_identify(mapping, ranked, seen, notes)
    _company_over_contacts(sample, mapping, ranked, seen, notes)
    if not (mapping.get("account_id") or mapping.get("account_name")):
        _unnamed_column(headers, sample, mapping, seen, notes)
    refusal = None
    if not (mapping.get("account_id") or mapping.get("account_name")):
        refusal = no_accounts_sentence([seen(h) for h in headers if h in sample.columns])
    return Settled(mapping, notes, refusal)


_CODE = re.compile(r"^[A-Za-z]{0,6}[-_/ ]?\d{1,12}[A-Za-z]?$")


def _codes_identify(
    mapping: dict[str, str], ranked: list[Candidate], seen: Callable[[str], Look], notes: list[str]
) -> None:
    """A name column that holds codes ('C0042', 'CG-12520', 17850) identifies accounts: it is their ID, and
    the next name column that holds names (a looked-up one, say) names them."""
    if "account_id" in mapping:
        return
    used = {h for k, h in mapping.items() if k != "account_name"}
    names = [h for score, h, k in ranked if k == "account_name" and h not in used and score >= 45]
    code = next((h for h in dict.fromkeys(names) if _holds_codes(seen(h))), None)
    if code is None:
        return
    mapping["account_id"] = code
    if mapping.get("account_name") == code:
        del mapping["account_name"]
        other = next(
            (h for h in names if h != code and seen(h).kind == "names" and not _holds_codes(seen(h))), None
        )
        if other is not None:
            mapping["account_name"] = other
    notes.append(f"'{code}' holds codes, not names: it identifies the accounts (Account ID).")


def _holds_codes(found: Look) -> bool:
    first = found.names[:200]
    return found.kind == "numbers" or (
        found.kind == "names" and bool(first) and sum(1 for v in first if _CODE.match(v)) >= 0.9 * len(first)
    )


def _company_over_contacts(
    sample: pd.DataFrame, mapping: dict[str, str], ranked: list[Candidate], seen: object, notes: list[str]
) -> None:
    """Of two name columns where one nests in the other, the company is the account, not its contacts."""
    assert callable(seen)
    current = mapping.get("account_name")
    names = [
        header
        for score, header, key in ranked
        if key in ("account_name", "account_id") and score >= 45 and header in sample.columns
    ]
    names = [h for h in dict.fromkeys(names) if seen(h).kind == "names" and unfit(seen(h)) is None]
    taken = {h for k, h in mapping.items() if k not in ("account_id", "account_name")}
    names = [h for h in names if h not in taken]
    if current is not None and current not in names and seen(current).kind == "names":
        names.append(current)
    best = current
    for coarser in names:
        if coarser == best:
            continue
        finer = best
        if finer is None or seen(coarser).distinct * 1.2 >= seen(finer).distinct:
            continue
        if company_likeness(seen(coarser)) > company_likeness(seen(finer)) and nests_in(
            sample, finer, coarser
        ):
            best = coarser
    if best is not None and best != current:
        mapping["account_name"] = best
        assert current is not None
        notes.append(
            f"'{best}' ({seen(best).says()}) is the account: each '{current}' ({seen(current).says()}) "
            f"belongs to one of them, so '{current}' is kept as a contact column."
        )
    key_id = mapping.get("account_id")
    name = mapping.get("account_name")
    if key_id and name and key_id in sample.columns and name in sample.columns:
        ids, named = seen(key_id).distinct, seen(name).distinct
        if ids >= 1.5 * named and named >= 2 and nests_in(sample, key_id, name):
            del mapping["account_id"]
            notes.append(
                f"'{key_id}' ({ids:,} values) is finer than '{name}' ({named:,}): each of its values belongs "
                f"to one '{name}', so accounts are told apart by '{name}' and '{key_id}' is kept as a column."
            )


def _unnamed_column(
    headers: Sequence[str], sample: pd.DataFrame, mapping: dict[str, str], seen: object, notes: list[str]
) -> None:
    """A column without a header (or a pivot's 'Row Labels') holding many different names."""
    assert callable(seen)
    taken = set(mapping.values())
    for header in headers:
        if header in taken or header not in sample.columns or not _GENERIC.match(header):
            continue
        found = seen(header)
        blank = header.lower().startswith(("column ", "unnamed"))
        enough = found.distinct >= (3 if blank else 5) and found.distinct >= 0.5 * max(found.filled, 1)
        if found.kind == "names" and unfit(found) is None and enough:
            mapping["account_name"] = header
            what = "has no header" if blank else "has no field name"
            notes.append(
                f"'{header}' {what}; its {found.distinct:,} different names are taken as the accounts."
            )
            return


def no_accounts_sentence(looks: list[Look]) -> str:
    """'no column names or identifies accounts: the text columns are Month, Country, Segment, Product'."""
    texts = [f.header for f in looks if f.kind in ("names", "months", "countries", "notes", "records")]
    if not texts:
        return "no column names or identifies accounts: every column holds numbers or dates"
    if all(is_sentence(t) for t in texts):
        return "no column names or identifies accounts: the sheet holds notes, not a table"
    shown = ", ".join(texts[:12]) + (f" and {len(texts) - 12} more" if len(texts) > 12 else "")
    return f"no column names or identifies accounts: the text columns are {shown}"
