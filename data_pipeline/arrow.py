"""Column operations done through Arrow compute: pandas' own ``isin`` and ``to_numeric`` on
Arrow-backed strings walk the values in Python, which costs seconds per million rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_NUMBER = r"^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$"


def to_arrow(values) -> pa.Array | pa.ChunkedArray:
    """A text column as an Arrow string array (zero-copy for pandas' Arrow-backed strings)."""
    if isinstance(values, pd.Series) and hasattr(values.array, "__arrow_array__"):
        return pc.cast(values.array.__arrow_array__(), pa.string())
    if isinstance(values, (pd.Series, pd.Index)):
        values = values.to_numpy(dtype=object, na_value=None)
    return pa.array(values, type=pa.string())


def to_bool(array) -> np.ndarray:
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def isin(values, known) -> np.ndarray:
    """Boolean array: which of ``values`` are in ``known`` (missing values are not)."""
    return to_bool(pc.is_in(to_arrow(values), value_set=to_arrow(pd.Series(known, dtype="str"))))


def parse_numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parses a text column as float64. Full-width digits and ideographic spaces (an input method left
    in Chinese mode) are normalised with NFKC first, so ``１９０１０`` reads as 19010.

    Returns:
        (numbers with NaN where empty or unparseable, mask of cells that held text but no number,
        mask of cells that parsed only after NFKC normalisation)
    """
    text = to_arrow(values)
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    # Most cells are plain ASCII integers: only the others pay for normalising, trimming and the full
    # number pattern. (utf8_is_digit alone is true for full-width digits too, which a cast rejects.)
    plain = to_bool(pc.and_(pc.utf8_is_digit(text), pc.string_is_ascii(text)))
    others = np.flatnonzero(~plain & to_bool(pc.is_valid(text)))
    ok = plain.copy()
    widened = np.zeros(len(ok), dtype=bool)
    if len(others):
        original = pc.take(text, pa.array(others))
        sub = pc.utf8_trim_whitespace(pc.utf8_normalize(original, "NFKC"))
        ok[others] = to_bool(pc.match_substring_regex(sub, _NUMBER))
        widened[others] = ok[others] & ~to_bool(pc.string_is_ascii(original))
        mask = np.zeros(len(text), dtype=bool)
        mask[others] = True
        text = pc.replace_with_mask(text, pa.array(mask), sub)
    numbers = pc.cast(pc.if_else(pa.array(ok), text, pa.scalar(None, text.type)), pa.float64())
    unparseable = np.zeros(len(ok), dtype=bool)
    unparseable[others] = ~ok[others]
    return np.asarray(numbers.to_numpy(zero_copy_only=False), dtype=np.float64), unparseable, widened
