"""Region normalisation: village codes as they arrive (spreadsheet floats, full-width digits, stray
spaces) to 12-digit integers, using govchain.regions for what a valid code is and the GB/T 2260 list
(divisions.py) for which counties exist."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from data_pipeline import divisions
from govchain import regions
from govchain.errors import InvalidRegionError

_FLOAT_TAIL = re.compile(r"\.0+$")  # 530102001001.0: a spreadsheet stored the code as a number


def _village_code(text: object) -> int | None:
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return None
    cleaned = _FLOAT_TAIL.sub("", re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))))
    try:
        code = regions.parse(cleaned)
    except InvalidRegionError:
        return None
    # Households live in villages: a township or county code here means the row lost its village. Its
    # first six digits must be a county of the GB/T 2260 list.
    if regions.level(code) != regions.RegionLevel.VILLAGE or not divisions.known(np.array([code // 10**6]))[0]:
        return None
    return code


def normalise(values: pd.Series) -> pd.DataFrame:
    """Normalises village codes.

    Returns:
        DataFrame with ``code`` (UInt64, missing where the text is not a valid village code),
        ``invalid`` (text present but not a valid village code) and ``reformatted``.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    parsed = np.array([_village_code(u) or 0 for u in uniques], dtype=np.uint64)
    exact = np.array([str(u) == str(int(p)) for u, p in zip(uniques, parsed)], dtype=bool)
    present = codes >= 0
    value = np.where(present, parsed[np.maximum(codes, 0)] if len(parsed) else 0, 0).astype(np.uint64)
    ok = value > 0
    reformatted = present & ok & ~(exact[np.maximum(codes, 0)] if len(exact) else False)
    return pd.DataFrame(
        {
            "code": pd.arrays.IntegerArray(value, ~ok),
            "invalid": present & ~ok,
            "reformatted": reformatted,
        },
        index=values.index,
    )
