"""ID repairs that need to know who exists: a wrong check digit, and numbers a spreadsheet rounded into
scientific notation. A repair is made only when it points at exactly one known person; otherwise the row
is quarantined, because a guessed ID would attach one person's data to another.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

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
        ok = fixed.isin(known).to_numpy()
        rows = item.frame.index[bad]
        item.frame.loc[rows[ok], column] = fixed[ok].to_numpy()
        item.frame.loc[rows[ok], f"{column}__status"] = IdStatus.VALID
        item.repairs["id_check_digit_repaired"] = item.repairs.get("id_check_digit_repaired", 0) + int(ok.sum())
        still = (item.frame[f"{column}__status"] == IdStatus.BAD_CHECK_DIGIT).to_numpy()
        item.quarantine(still, Reason.CHECK_DIGIT_MISMATCH, column)


def _register(items: dict[str, Ingested]) -> pd.DataFrame:
    """Known people with what a row can be matched on: name, village, and whether they head a household."""
    frames, heads = [], []
    for name in REGISTERS:
        if name not in items:
            continue
        f = items[name].frame
        usable = f["id_number__status"].isin(_USABLE)
        frames.append(f.loc[usable, ["id_number", "name", "village_code"]])
        heads.append(f.loc[f["head_id_number__status"].isin(_USABLE), "head_id_number"])
    reg = pd.concat(frames, ignore_index=True).drop_duplicates()
    reg = reg[reg["id_number"].str.isdigit()]  # a number ending in X never becomes scientific notation
    reg["numeric"] = reg["id_number"].astype("int64")
    reg["is_head"] = reg["id_number"].isin(pd.concat(heads).unique())
    return reg.sort_values("numeric", ignore_index=True)


def recover_scientific(items: dict[str, Ingested]) -> None:
    register = None
    for item, column in _id_cells(items):
        status = item.frame[f"{column}__status"]
        sci = (status == IdStatus.SCIENTIFIC).to_numpy()
        if not sci.any():
            continue
        if register is None:
            register = _register(items)
            numbers = register["numeric"].to_numpy()
        rows = item.frame.index[sci]
        sub = item.frame.loc[rows]
        recovered = []
        for row, text in zip(rows, sub[column]):
            lo, hi = scientific_interval(text)
            cand = register.iloc[np.searchsorted(numbers, lo): np.searchsorted(numbers, hi, side="right")]
            if "name" in sub and pd.notna(sub.at[row, "name"]):
                cand = cand[cand["name"] == sub.at[row, "name"]]
            if column == "head_id_number" or item.spec.level == "household":
                cand = cand[cand["is_head"]]
            if "village_code" in sub and pd.notna(sub.at[row, "village_code"]):
                cand = cand[cand["village_code"] == sub.at[row, "village_code"]]
            ids = cand["id_number"].unique()
            recovered.append(ids[0] if len(ids) == 1 else None)
        found = np.array([r is not None for r in recovered])
        item.frame.loc[rows[found], column] = [r for r in recovered if r is not None]
        item.frame.loc[rows[found], f"{column}__status"] = IdStatus.VALID
        item.repairs["id_scientific_recovered"] = item.repairs.get("id_scientific_recovered", 0) + int(found.sum())
        still = (item.frame[f"{column}__status"] == IdStatus.SCIENTIFIC).to_numpy()
        item.quarantine(still, Reason.UNMATCHED_SCIENTIFIC_ID, column)


def repair(items: dict[str, Ingested]) -> None:
    """Repairs check digits first (the register then knows more people), then scientific notation."""
    repair_check_digits(items)
    recover_scientific(items)
