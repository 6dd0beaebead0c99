"""ID repairs that need to know who exists: a wrong check digit, and numbers a spreadsheet rounded into
scientific notation. A repair is made only when it points at exactly one known person; otherwise the row
is quarantined, because a guessed ID would attach one person's data to another.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_pipeline.arrow import isin
from data_pipeline.idnumbers import IdStatus, check_chars, scientific_interval
from data_pipeline.ingest import Ingested
from data_pipeline.quarantine import Reason

REGISTERS = ("household_registration", "census")
_USABLE = (IdStatus.VALID, IdStatus.LEGACY_15)


def _id_cells(items: dict[str, Ingested]):
    for item in items.values():
        for column in item.spec.id_columns:
            yield item, column


def known_ids(items: dict[str, Ingested]) -> pd.Index:
    """Every ID that arrived well formed with a right check digit in any source."""
    parts = [item.frame.loc[item.frame[f"{c}__status"].isin(_USABLE), c] for item, c in _id_cells(items)]
    return pd.Index(pd.concat(parts, ignore_index=True).unique())


def repair_check_digits(items: dict[str, Ingested]) -> None:
    known = known_ids(items)
    for item, column in _id_cells(items):
        status = item.frame[f"{column}__status"]
        bad = (status == IdStatus.BAD_CHECK_DIGIT).to_numpy()
        if not bad.any():
            continue
        bodies = item.frame.loc[bad, column].str.slice(0, 17)
        fixed = bodies + check_chars(bodies.to_numpy(dtype=object))
        ok = isin(fixed, known)
        rows = item.frame.index[bad]
        item.frame.loc[rows[ok], column] = fixed[ok].to_numpy()
        item.frame.loc[rows[ok], f"{column}__status"] = IdStatus.VALID
        item.repairs["id_check_digit_repaired"] = item.repairs.get("id_check_digit_repaired", 0) + int(ok.sum())
        still = (item.frame[f"{column}__status"] == IdStatus.BAD_CHECK_DIGIT).to_numpy()
        item.quarantine(still, Reason.CHECK_DIGIT_MISMATCH, column)


def _register(items: dict[str, Ingested]) -> pd.DataFrame:
    """Known people with what a row can be matched on: name, village, and whether they head a household;
    sorted by the ID read as a decimal number, which is what a spreadsheet rounded."""
    frames, heads = [], []
    for name in REGISTERS:
        if name not in items:
            continue
        f = items[name].frame
        usable = f["id_number__status"].isin(_USABLE)
        frames.append(f.loc[usable, ["id_number", "name", "village_code"]])
        heads.append(f.loc[f["head_id_number__status"].isin(_USABLE), "head_id_number"])
    reg = pd.concat(frames, ignore_index=True).drop_duplicates()
    reg = reg[~reg["id_number"].str.endswith("X")]  # a number ending in X never becomes scientific notation
    reg["decimal"] = reg["id_number"].astype("int64")
    reg["is_head"] = isin(reg["id_number"], pd.concat(heads).unique())
    return reg.sort_values("decimal", ignore_index=True)


def _match_scientific(register: pd.DataFrame, rows: pd.DataFrame, column: str, heads_only: bool) -> np.ndarray:
    """For each row, the one register ID its rounded number, name, village and head status allow, or None."""
    bounds = np.array([scientific_interval(t) for t in rows[column]], dtype=np.int64).reshape(-1, 2)
    decimals = register["decimal"].to_numpy()
    start = np.searchsorted(decimals, bounds[:, 0], side="left")
    counts = np.searchsorted(decimals, bounds[:, 1], side="right") - start
    row_of = np.repeat(np.arange(len(rows)), counts)
    cand = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts) + np.repeat(start, counts)
    keep = np.ones(len(cand), dtype=bool)
    if "name" in rows:
        names = rows["name"].to_numpy(dtype=object, na_value=None)[row_of]
        keep &= (names == None) | (names == register["name"].to_numpy(dtype=object, na_value=None)[cand])  # noqa: E711
    if heads_only:
        keep &= register["is_head"].to_numpy()[cand]
    if "village_code" in rows:
        village = rows["village_code"].to_numpy(dtype="float64", na_value=np.nan)[row_of]
        keep &= np.isnan(village) | (village == register["village_code"].to_numpy(dtype="float64", na_value=np.nan)[cand])
    pairs = pd.DataFrame({"row": row_of[keep], "id": register["id_number"].to_numpy(dtype=object)[cand[keep]]})
    pairs = pairs.drop_duplicates()
    unique = pairs.groupby("row")["id"].agg(["size", "first"])
    out = np.full(len(rows), None, dtype=object)
    single = unique[unique["size"] == 1]
    out[single.index.to_numpy()] = single["first"].to_numpy()
    return out


def recover_scientific(items: dict[str, Ingested]) -> None:
    register = None
    for item, column in _id_cells(items):
        sci = (item.frame[f"{column}__status"] == IdStatus.SCIENTIFIC).to_numpy()
        if not sci.any():
            continue
        if register is None:
            register = _register(items)
        rows = item.frame.index[sci]
        heads_only = column == "head_id_number" or item.spec.level == "household"
        matched = _match_scientific(register, item.frame.loc[rows], column, heads_only)
        found = np.array([m is not None for m in matched], dtype=bool)
        item.frame.loc[rows[found], column] = matched[found]
        item.frame.loc[rows[found], f"{column}__status"] = IdStatus.VALID
        item.repairs["id_scientific_recovered"] = item.repairs.get("id_scientific_recovered", 0) + int(found.sum())
        still = (item.frame[f"{column}__status"] == IdStatus.SCIENTIFIC).to_numpy()
        item.quarantine(still, Reason.UNMATCHED_SCIENTIFIC_ID, column)


def repair(items: dict[str, Ingested]) -> None:
    """Repairs check digits first (the register then knows more people), then scientific notation."""
    repair_check_digits(items)
    recover_scientific(items)
