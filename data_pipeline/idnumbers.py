"""Citizen ID numbers (GB 11643-1999): check digits, legacy 15-digit conversion, and vectorised
normalisation of the forms in which ID numbers arrive from government extracts.

Normalisation here is row-local: it needs nothing but the value itself. Repairs that need to know which
people exist (a wrong check digit, a number a spreadsheet rounded into scientific notation) are in
idrepair.py, because they must not invent people.
"""

from __future__ import annotations

from datetime import date
from enum import IntEnum

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from data_pipeline import divisions
from data_pipeline.arrow import to_arrow

# Weight of each of the 17 body digits: 2**(18 - position) mod 11, position counted from 1 on the left.
WEIGHTS = np.array([pow(2, 18 - i, 11) for i in range(1, 18)], dtype=np.int64)
# Check character indexed by (weighted sum mod 11).
CHECK_CHARS = "10X98765432"
_CHECK_BYTES = np.frombuffer(CHECK_CHARS.encode(), dtype=np.uint8)


class IdStatus(IntEnum):
    """What normalisation found in one ID value."""

    VALID = 0  # 18 characters, check digit right (possibly after fixing width, spaces or case)
    LEGACY_15 = 1  # a 15-digit number issued before 1999, converted to 18 digits
    BAD_CHECK_DIGIT = 2  # 17-digit body well formed, check digit wrong: repair needs the register
    SCIENTIFIC = 3  # a spreadsheet turned it into e.g. 5.32326199001011E+17: repair needs the register
    MISSING = 4
    MALFORMED = 5
    BAD_BIRTH_DATE = 6  # digits 7-14 are no real calendar date, or one before 1900 or in the future
    UNKNOWN_ADDRESS = 7  # digits 1-6 are no address code of the GB/T 2260 list (divisions.py)


# The oldest birth year accepted: a person born before 1900 would be over 125 years old today, so such an
# ID is a typing error (the standard's own example 440524188001010014 is a format example, not a person).
MIN_BIRTH_YEAR = 1900
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def check_char(body17: str) -> str:
    """The GB 11643 check character of a 17-digit body."""
    total = sum(int(d) * int(w) for d, w in zip(body17, WEIGHTS))
    return CHECK_CHARS[total % 11]






def _bodies_matrix(bodies: np.ndarray) -> np.ndarray:
    """Turns an array of 17-character ASCII strings into an (n, 17) digit matrix."""
    fixed = bodies.astype("S17")
    return (fixed.view(np.uint8).reshape(-1, 17) - ord("0")).astype(np.int64)


def check_chars(bodies: np.ndarray) -> np.ndarray:
    """Vectorised check characters for an object array of 17-digit bodies (returns a str array)."""
    if len(bodies) == 0:
        return np.array([], dtype=object)
    sums = _bodies_matrix(bodies) @ WEIGHTS
    return _CHECK_BYTES[sums % 11].view("S1").astype(str).astype(object)


def body_checks(body: np.ndarray, today: date | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(birth date is a real calendar date between 1900-01-01 and today, address code is in the GB/T 2260
    list) for an (n, 17) digit matrix of ID bodies."""
    if len(body) == 0:
        return np.zeros(0, dtype=bool), np.zeros(0, dtype=bool)
    today = today or date.today()
    year = body[:, 6:10] @ np.array([1000, 100, 10, 1], dtype=np.int64)
    month = body[:, 10] * 10 + body[:, 11]
    day = body[:, 12] * 10 + body[:, 13]
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    last_day = _DAYS_IN_MONTH[np.clip(month, 0, 12)] + (leap & (month == 2))
    ymd = year * 10000 + month * 100 + day
    dated = ((month >= 1) & (month <= 12) & (day >= 1) & (day <= last_day) & (year >= MIN_BIRTH_YEAR)
             & (ymd <= today.year * 10000 + today.month * 100 + today.day))
    address = body[:, :6] @ (10 ** np.arange(5, -1, -1, dtype=np.int64))
    return dated, divisions.known(address)


_SCIENTIFIC = r"^[0-9](\.[0-9]+)?E\+?[0-9]+$"


def _match(text: pa.Array, pattern: str) -> np.ndarray:
    return np.asarray(
        pc.fill_null(pc.match_substring_regex(text, pattern), False).to_numpy(zero_copy_only=False), dtype=bool
    )


def _digit_matrix(ids18: pa.Array) -> np.ndarray:
    """(n, 18) byte matrix of 18-character ASCII strings, read straight from the Arrow buffer."""
    ids18 = pa.concat_arrays([pc.cast(ids18, pa.large_string())]) if len(ids18) else pa.array([], pa.large_string())
    if not len(ids18):
        return np.empty((0, 18), dtype=np.uint8)
    start = int(np.frombuffer(ids18.buffers()[1], dtype=np.int64)[0])
    return np.frombuffer(ids18.buffers()[2], dtype=np.uint8)[start: start + 18 * len(ids18)].reshape(-1, 18)


def normalise(values: pd.Series) -> pd.DataFrame:
    """Normalises and validates raw ID values row by row.

    Full-width characters and every kind of whitespace are removed (NFKC turns U+3000 and full-width
    digits into ASCII), a lower-case check 'x' is upper-cased, 15-digit numbers are converted. The birth
    date must be a real calendar date (no Feb 30, no Feb 29 in 1990, no Apr 31) from 1900 to today, and
    the address code must be in the GB/T 2260 list; 15-digit numbers are checked after conversion.

    Returns:
        DataFrame on the same index with ``id`` (18 characters, or the cleaned text where status is
        SCIENTIFIC / BAD_CHECK_DIGIT, else missing), ``status`` (IdStatus as int8), ``number`` (the
        packed ID of VALID and LEGACY_15 rows, else -1) and ``reformatted`` (whether width, whitespace
        or case had to be fixed).
    """
    raw = pc.cast(to_arrow(values), pa.large_string())
    if isinstance(raw, pa.ChunkedArray):
        raw = raw.combine_chunks()
    n = len(raw)
    status = np.full(n, IdStatus.MALFORMED, dtype=np.int8)
    reformatted = np.zeros(n, dtype=bool)
    # Most IDs arrive well formed: only the others go through Unicode normalisation, in Python.
    is18 = _match(raw, r"^[0-9]{17}[0-9X]$")
    text = raw
    others = np.flatnonzero(~is18)
    sub_is15 = np.zeros(0, dtype=bool)
    if len(others):
        sub = pc.take(raw, pa.array(others))
        fixed = pc.utf8_upper(pc.replace_substring_regex(pc.utf8_normalize(sub, "NFKC"), r"\s+", ""))
        missing = ~np.asarray(pc.fill_null(pc.greater(pc.utf8_length(fixed), 0), False), dtype=bool)
        reformatted[others] = np.asarray(pc.fill_null(pc.not_equal(fixed, sub), False), dtype=bool) & ~missing
        status[others[missing]] = IdStatus.MISSING
        is18[others] = _match(fixed, r"^[0-9]{17}[0-9X]$")
        sub_is15 = _match(fixed, r"^[0-9]{15}$")
        status[others[_match(fixed, _SCIENTIFIC)]] = IdStatus.SCIENTIFIC
        text = pc.replace_with_mask(raw, pa.array(~_match(raw, r"^[0-9]{17}[0-9X]$")), fixed)

    idx18 = np.flatnonzero(is18)
    digits = _digit_matrix(pc.filter(text, pa.array(is18)))
    body = (digits[:, :17] - ord("0")).astype(np.int64)
    dated, placed = body_checks(body)
    checked = _CHECK_BYTES[(body @ WEIGHTS) % 11] == digits[:, 17]
    good = checked & dated & placed
    status[idx18[~dated]] = IdStatus.BAD_BIRTH_DATE
    status[idx18[dated & ~placed]] = IdStatus.UNKNOWN_ADDRESS
    status[idx18[dated & placed & ~checked]] = IdStatus.BAD_CHECK_DIGIT
    status[idx18[good]] = IdStatus.VALID
    # Packed form (see to_number) of every valid ID, computed from the digits already at hand.
    number = np.full(n, -1, dtype=np.int64)
    check_index = np.where(digits[:, 17] == ord("X"), 10, digits[:, 17].astype(np.int64) - ord("0"))
    number[idx18[good]] = (body @ (10 ** np.arange(16, -1, -1, dtype=np.int64)) * 11 + check_index)[good]

    keep = np.isin(status, (IdStatus.VALID, IdStatus.BAD_CHECK_DIGIT, IdStatus.SCIENTIFIC))
    out = pc.if_else(pa.array(keep), text, pa.scalar(None, pa.large_string()))
    idx15 = others[sub_is15] if len(others) else np.zeros(0, dtype=np.int64)
    if len(idx15):
        texts15 = pc.take(text, pa.array(idx15)).to_pylist()
        bodies = np.array([t[:6] + "19" + t[6:] for t in texts15], dtype=object)
        # The upgraded ID must pass the same checks as any other: Feb 30 stays impossible in 18 digits.
        dated15, placed15 = body_checks(_bodies_matrix(bodies))
        ok = dated15 & placed15
        status[idx15[~dated15]] = IdStatus.BAD_BIRTH_DATE
        status[idx15[dated15 & ~placed15]] = IdStatus.UNKNOWN_ADDRESS
        status[idx15[ok]] = IdStatus.LEGACY_15
        converted = pa.array(list(bodies[ok] + check_chars(bodies[ok])), type=pa.large_string())
        mask = np.zeros(n, dtype=bool)
        mask[idx15[ok]] = True
        out = pc.replace_with_mask(out, pa.array(mask), converted)
        number[idx15[ok]] = to_number(pd.Series(converted.to_pylist(), dtype="str"))
    return pd.DataFrame(
        {"id": out.to_pandas(), "status": status, "number": number, "reformatted": reformatted},
    ).set_axis(values.index)






def scientific_interval(text: str) -> tuple[int, int]:
    """The inclusive integer range an 18-digit number can have had before it was printed as ``text``.

    A spreadsheet keeps at most 15 significant digits, so ``5.32326199001012E+17`` stands for any number
    that rounds to it: the digits beyond the mantissa are lost and must come from elsewhere.
    """
    mantissa, exponent = text.upper().split("E")
    digits = mantissa.replace(".", "")
    scale = int(exponent.lstrip("+")) - (len(digits) - 1)
    if scale < 0:
        value = int(digits) // 10 ** (-scale)
        return value, value
    value = int(digits) * 10**scale
    half = 10**scale // 2
    return value - half, value + half - (1 if scale > 0 else 0)


def to_number(ids: pd.Series) -> np.ndarray:
    """Packs normalised 18-character IDs into int64 (body * 11 + check index; -1 where missing), so
    joins and group-bys over millions of people run on integers instead of text."""
    text = to_arrow(ids)
    body = pc.cast(pc.utf8_slice_codeunits(text, 0, 17), pa.int64())
    check = pc.cast(pc.replace_substring(pc.utf8_slice_codeunits(text, 17, 18), "X", "10"), pa.int64())
    packed = pc.add(pc.multiply(body, 11), check)
    return np.asarray(pc.fill_null(packed, -1).to_numpy(zero_copy_only=False), dtype=np.int64)


def from_number(numbers: np.ndarray) -> pd.Series:
    """Inverse of to_number."""
    numbers = np.asarray(numbers, dtype=np.int64)
    bodies = pd.Series((numbers // 11).astype(str), dtype="str")
    return bodies + pd.Series(np.array(list("0123456789X"))[numbers % 11], dtype="str")


def number_birth_ymd(numbers: np.ndarray) -> np.ndarray:
    """Birth date as YYYYMMDD from packed IDs."""
    return (np.asarray(numbers) // 11 // 1000) % 10**8


def number_is_male(numbers: np.ndarray) -> np.ndarray:
    return (np.asarray(numbers) // 11) % 2 == 1
