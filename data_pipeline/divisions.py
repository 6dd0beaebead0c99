"""Administrative division codes (GB/T 2260): which 6-digit address codes exist.

The list ships as data (data/gbt2260.csv: code, name, current or retired). Retired codes stay valid in
ID numbers: an ID keeps the code of the place and time it was issued (江川县 530421 became 江川区 530403
in 2015, and nobody's ID changed).

The shipped file is the part of the national list this project needs: every province, and every county
of the prefectures the synthetic counties, their migrants and the tests use (Beijing's districts and
five prefectures of Yunnan). A code is checked as deep as the list goes: its province must be listed;
when its prefecture is listed, the code itself must be; in a prefecture the file does not list, only
the province is checked. A deployment replaces the file with the full list of the Ministry of Civil
Affairs (same columns) and the check becomes exact everywhere.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

DIVISIONS_FILE = Path(__file__).parent / "data" / "gbt2260.csv"


@lru_cache(maxsize=1)
def _codes() -> np.ndarray:
    frame = pd.read_csv(DIVISIONS_FILE, dtype={"code": "int64", "name": "str", "status": "str"})
    return np.sort(frame["code"].to_numpy())


def names() -> dict[int, str]:
    frame = pd.read_csv(DIVISIONS_FILE, dtype={"code": "int64", "name": "str", "status": "str"})
    return dict(zip(frame["code"], frame["name"]))


def known(codes: np.ndarray) -> np.ndarray:
    """Which 6-digit address codes the list admits (see the module docstring for how deep)."""
    codes = np.asarray(codes, dtype=np.int64)
    listed = _codes()
    province_ok = np.isin(codes // 10000 * 10000, listed)
    prefecture_listed = np.isin(codes // 100 * 100, listed)
    return province_ok & (~prefecture_listed | np.isin(codes, listed))
