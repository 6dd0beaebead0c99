"""De-duplication within a source, and linking rows to the people the registers know.

Two rows of one file for the same person are either the same row twice (keep the first) or disagree;
when they disagree nothing in the file says which is right, so both are held in quarantine and the next
source in priority decides (sources.FIELD_PRIORITY).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_pipeline.ingest import Ingested
from data_pipeline.quarantine import Reason


def add_keys(item: Ingested) -> None:
    """Names the packed form of the row's key (and of the head's ID in the registers) for integer joins."""
    item.frame["__key"] = item.frame[f"{item.spec.key}__num"]
    if item.spec.key != "head_id_number" and "head_id_number" in item.frame:
        item.frame["__head"] = item.frame["head_id_number__num"]


def deduplicate(item: Ingested) -> None:
    values = ["__key", *(["__head"] if "__head" in item.frame else []),
              *(c for c in item.spec.columns if c not in item.spec.id_columns)]
    # Only rows whose key repeats can be duplicates: compare whole rows among those few.
    repeated = np.flatnonzero(item.frame["__key"].duplicated(keep=False).to_numpy())
    exact = np.zeros(len(item.frame), dtype=bool)
    exact[repeated] = item.frame.iloc[repeated].duplicated(subset=values, keep="first").to_numpy()
    item.quarantine(exact, Reason.DUPLICATE_ROW, item.spec.key)
    item.compact()  # the copies are gone, so a key seen twice now means the rows disagree
    item.quarantine(item.frame["__key"].duplicated(keep=False).to_numpy(), Reason.CONFLICTING_DUPLICATE,
                    item.spec.key)


def link(item: Ingested, known: pd.Index, reason: Reason) -> None:
    """Quarantines rows whose key is not in ``known`` (packed IDs of people, or of household heads)."""
    item.quarantine(~item.frame["__key"].isin(known).to_numpy(), reason, item.spec.key)
