"""De-duplication within a source, and linking rows to the people the registers know.

Two rows of one file for the same person are either the same row twice (keep the first) or disagree;
when they disagree nothing in the file says which is right, so both are held in quarantine and the next
source in priority decides (sources.FIELD_PRIORITY).
"""

from __future__ import annotations

import pandas as pd

from data_pipeline.ingest import Ingested
from data_pipeline.quarantine import Reason


def deduplicate(item: Ingested) -> None:
    key = item.spec.key
    values = item.spec.columns
    item.quarantine(item.frame.duplicated(subset=values, keep="first").to_numpy(), Reason.DUPLICATE_ROW, key)
    item.quarantine(item.frame.duplicated(subset=[key], keep=False).to_numpy(), Reason.CONFLICTING_DUPLICATE, key)


def link(item: Ingested, known: pd.Index, reason: Reason) -> None:
    """Quarantines rows whose key is not in ``known`` (people, or household heads)."""
    item.quarantine(~item.frame[item.spec.key].isin(known).to_numpy(), reason, item.spec.key)
