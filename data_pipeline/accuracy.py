"""Accuracy of admission decisions against the generator's ground truth.

exclusion error = eligible households not admitted / eligible households
inclusion error = admitted households not eligible / admitted households
A household the pipeline lost counts as not admitted; one it invented counts as admitted and not eligible.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def errors(predicted: pd.Series, truth: pd.Series) -> dict[str, float | int]:
    """``predicted`` and ``truth``: boolean admission eligibility indexed by household key."""
    keys = truth.index.union(predicted.index)
    p = predicted.reindex(keys, fill_value=False).astype(bool)
    t = truth.reindex(keys, fill_value=False).astype(bool)
    eligible, admitted = int(t.sum()), int(p.sum())
    excluded, included = int((t & ~p).sum()), int((p & ~t).sum())
    return {
        "eligible": eligible,
        "admitted": admitted,
        "excluded": excluded,
        "included": included,
        "exclusion_error": excluded / eligible if eligible else 0.0,
        "inclusion_error": included / admitted if admitted else 0.0,
    }


def truth_eligibility(sources: Path) -> pd.Series:
    truth = pd.read_parquet(Path(sources) / "ground_truth" / "households.parquet", columns=["household_key", "eligible"])
    return truth.set_index("household_key")["eligible"]


def pipeline_eligibility(out: Path) -> pd.Series:
    """Admission eligibility per household from a run's households table (all partitions)."""
    files = sorted(Path(out).glob("households.parquet")) or sorted(Path(out).glob("partitions/*/households.parquet"))
    frame = pd.concat([pd.read_parquet(f, columns=["household_key", "admission_eligible"]) for f in files])
    return frame.set_index("household_key")["admission_eligible"]
