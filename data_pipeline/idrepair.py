"""ID repairs that need to know who exists: a wrong check digit, and numbers a spreadsheet rounded into
scientific notation. A repair is made only when it points at exactly one known person; otherwise the row
is quarantined, because a guessed ID would attach one person's data to another.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_pipeline.idnumbers import IdStatus, check_chars, scientific_interval, to_number
from data_pipeline.ingest import Ingested
from data_pipeline.quarantine import Reason

REGISTERS = ("household_registration", "census")


def _id_cells(items: dict[str, Ingested]):
    for item in items.values():
        for column in item.spec.id_columns:
            yield item, column


def known_ids(items: dict[str, Ingested]) -> pd.Index:
    """Packed form of every ID that arrived well formed with a right check digit in any source."""
    parts = [item.frame[f"{c}__num"].to_numpy() for item, c in _id_cells(items)]
    numbers = np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)
    return pd.Index(pd.unique(numbers[numbers >= 0]))


def repair_check_digits(items: dict[str, Ingested]) -> None:
    known = known_ids(items)
    for item, column in _id_cells(items):
        bad = (item.frame[f"{column}__status"] == IdStatus.BAD_CHECK_DIGIT).to_numpy()
        if not bad.any():
            continue
        bodies = item.frame.loc[bad, column].str.slice(0, 17)
        fixed = bodies + check_chars(bodies.to_numpy(dtype=object))
        numbers = to_number(fixed)
        ok = pd.Index(numbers).isin(known)
        rows = item.frame.index[bad][ok]
        item.frame.loc[rows, column] = fixed[ok].to_numpy()
        item.frame.loc[rows, f"{column}__status"] = IdStatus.VALID
        item.frame.loc[rows, f"{column}__num"] = numbers[ok]
        item.repairs["id_check_digit_repaired"] = item.repairs.get("id_check_digit_repaired", 0) + int(ok.sum())
        still = (item.frame[f"{column}__status"] == IdStatus.BAD_CHECK_DIGIT).to_numpy()
        item.quarantine(still, Reason.CHECK_DIGIT_MISMATCH, column)


def _scientific_rows(items: dict[str, Ingested]):
    for item, column in _id_cells(items):
        sci = (item.frame[f"{column}__status"] == IdStatus.SCIENTIFIC).to_numpy()
        if sci.any():
            yield item, column, item.frame.index[sci]


def _register(items: dict[str, Ingested], bounds: np.ndarray) -> pd.DataFrame:
    """The registers' people whose ID, read as a decimal number, lies in one of the rounding intervals
    ``bounds`` (rows of lo, hi), with what a row can be matched on: name, village, head status."""
    order = np.argsort(bounds[:, 0], kind="stable")
    starts, reach = bounds[order, 0], np.maximum.accumulate(bounds[order, 1])
    frames, heads = [], []
    for name in REGISTERS:
        f = items[name].frame
        numbers = f["id_number__num"].to_numpy()
        decimal = np.where((numbers >= 0) & (numbers % 11 != 10), numbers // 11 * 10 + numbers % 11, -1)
        # Keep the people inside some interval: the last interval starting at or before each number must
        # reach it (running maximum of the ends, as intervals may overlap). Text columns are touched
        # only for those few.
        at = np.searchsorted(starts, decimal, side="right") - 1
        inside = np.flatnonzero((decimal >= 0) & (at >= 0) & (reach[np.maximum(at, 0)] >= decimal))
        sub = f.iloc[inside]
        frames.append(pd.DataFrame({"decimal": decimal[inside], "number": numbers[inside],
                                    "id_number": sub["id_number"].to_numpy(), "name": sub["name"].to_numpy(),
                                    "village_code": sub["village_code"].to_numpy()}))
        heads.append(f["head_id_number__num"].to_numpy())
    reg = pd.concat(frames, ignore_index=True).drop_duplicates()
    reg["is_head"] = pd.Index(reg["number"]).isin(np.concatenate(heads))
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
        keep &= np.isnan(village) | (
            village == register["village_code"].to_numpy(dtype="float64", na_value=np.nan)[cand]
        )
    pairs = pd.DataFrame({"row": row_of[keep], "id": register["id_number"].to_numpy(dtype=object)[cand[keep]]})
    pairs = pairs.drop_duplicates()
    unique = pairs.groupby("row")["id"].agg(["size", "first"])
    out = np.full(len(rows), None, dtype=object)
    single = unique[unique["size"] == 1]
    out[single.index.to_numpy()] = single["first"].to_numpy()
    return out


def recover_scientific(items: dict[str, Ingested]) -> None:
    pending = list(_scientific_rows(items))
    if not pending:
        return
    bounds = np.array([scientific_interval(t) for item, column, rows in pending for t in item.frame.loc[rows, column]],
                      dtype=np.int64).reshape(-1, 2)
    register = _register(items, bounds)
    for item, column, rows in pending:
        heads_only = column == "head_id_number" or item.spec.level == "household"
        matched = _match_scientific(register, item.frame.loc[rows], column, heads_only)
        found = np.array([m is not None for m in matched], dtype=bool)
        item.frame.loc[rows[found], column] = matched[found]
        item.frame.loc[rows[found], f"{column}__status"] = IdStatus.VALID
        item.frame.loc[rows[found], f"{column}__num"] = to_number(pd.Series(matched[found], dtype="str"))
        item.repairs["id_scientific_recovered"] = item.repairs.get("id_scientific_recovered", 0) + int(found.sum())
        still = (item.frame[f"{column}__status"] == IdStatus.SCIENTIFIC).to_numpy()
        item.quarantine(still, Reason.UNMATCHED_SCIENTIFIC_ID, column)


def repair(items: dict[str, Ingested]) -> None:
    """Repairs check digits first (the register then knows more people), then scientific notation."""
    repair_check_digits(items)
    recover_scientific(items)
