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


def parse_numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Parses a text column as float64.

    Returns:
        (numbers with NaN where empty or unparseable, mask of cells that held text but no number)
    """
    text = pc.utf8_trim_whitespace(to_arrow(values))
    number_like = pc.match_substring_regex(text, _NUMBER)
    numbers = pc.cast(pc.if_else(number_like, text, pa.scalar(None, pa.string())), pa.float64())
    unparseable = to_bool(pc.and_(pc.is_valid(text), pc.invert(pc.fill_null(number_like, False))))
    return np.asarray(numbers.to_numpy(zero_copy_only=False), dtype=np.float64), unparseable
