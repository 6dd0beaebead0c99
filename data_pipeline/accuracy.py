"""Accuracy of the pipeline's decisions against the generator's ground truth.

Admission (households for which the admission rule holds):
  exclusion error = eligible households not admitted / eligible households
  inclusion error = admitted households not eligible / admitted households
A household sent to verification (decision 4, 入户核查) is neither admitted nor excluded: it leaves both
counts and both denominators, and ``verify_share`` (verified / all households) is reported beside them.
A household the pipeline lost counts as not admitted; one it invented counts as admitted and not eligible.

Exit, monitoring and root causes (``models``):
  exit_error = registered households whose exit decision differs from the truth's / registered households
  monitor_recall = truly at-risk households (truth decision monitor) the pipeline monitors / truly at-risk
  root_cause_top1 = poor or at-risk households (truth) whose main cause the pipeline names / those households
  root_cause_set = the same, for the whole set of causes
Verified households are left out of these too.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from data_pipeline.reasons import CAUSES, Decision


def errors(predicted: pd.Series, truth: pd.Series, verify: pd.Series | None = None) -> dict[str, float | int]:
    """``predicted`` and ``truth``: boolean admission eligibility indexed by household key; ``verify``:
    households sent to a field visit (not counted either way)."""
    keys = truth.index.union(predicted.index)
    p = predicted.reindex(keys, fill_value=False).astype(bool)
    t = truth.reindex(keys, fill_value=False).astype(bool)
    v = (verify.reindex(keys, fill_value=False).astype(bool) if verify is not None
         else pd.Series(False, index=keys))
    p &= ~v
    eligible, admitted = int((t & ~v).sum()), int(p.sum())
    excluded, included = int((t & ~p & ~v).sum()), int((p & ~t).sum())
    return {
        "eligible": eligible,
        "admitted": admitted,
        "excluded": excluded,
        "included": included,
        "verified": int(v.sum()),
        "exclusion_error": excluded / eligible if eligible else 0.0,
        "inclusion_error": included / admitted if admitted else 0.0,
        "verify_share": float(v.mean()) if len(v) else 0.0,
    }


def truth_households(sources: Path) -> pd.DataFrame:
    return pd.read_parquet(Path(sources) / "ground_truth" / "households.parquet").set_index("household_key")


def truth_eligibility(sources: Path) -> pd.Series:
    return truth_households(sources)["eligible"]


def pipeline_households(out: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """A run's households table (all partitions), indexed by household key."""
    files = sorted(Path(out).glob("households.parquet")) or sorted(Path(out).glob("partitions/*/households.parquet"))
    frame = pd.concat([pd.read_parquet(f, columns=columns and ["household_key", *columns]) for f in files])
    return frame.set_index("household_key")


def pipeline_eligibility(out: Path) -> pd.Series:
    """Admission eligibility per household from a run's households table (all partitions)."""
    return pipeline_households(out, ["admission_eligible"])["admission_eligible"]


def pipeline_verify(out: Path) -> pd.Series:
    return pipeline_households(out, ["verify"])["verify"]


def _cause_names(reasons: pd.Series) -> pd.Series:
    r = reasons.to_numpy(dtype=np.int64)
    names = np.full(len(r), "", dtype=object)
    for flag in CAUSES:
        hit = (r & int(flag)) != 0
        name = flag.name.removeprefix("CAUSE_").lower()
        names[hit] = np.where(names[hit] == "", name, names[hit] + "|" + name)
    return pd.Series(names, index=reasons.index)


def model_errors(sources: Path, out: Path) -> dict[str, float | int]:
    """Exit, monitoring and root-cause accuracy (see the module docstring)."""
    truth = truth_households(sources)
    ours = pipeline_households(out, ["decision", "reasons", "primary_cause"])
    both = truth.join(ours, how="inner", suffixes=("_truth", ""))
    both = both[both["decision"] != Decision.VERIFY]
    registered = both[both["registered_poor"].astype(bool)]
    exit_truth = registered["exit"].astype(bool)
    exit_ours = registered["decision"] == Decision.EXIT
    at_risk = both[both["decision_truth"] == Decision.MONITOR]
    poor = both[both["primary_cause_truth"].notna() & (both["primary_cause_truth"] != "")]
    return {
        "registered": len(registered),
        "exit_error": float((exit_truth != exit_ours).mean()) if len(registered) else 0.0,
        "exit_true": int(exit_truth.sum()),
        "at_risk": len(at_risk),
        "monitor_recall": float((at_risk["decision"] == Decision.MONITOR).mean()) if len(at_risk) else 0.0,
        "poor_or_at_risk": len(poor),
        "root_cause_top1": float((poor["primary_cause"].fillna("") == poor["primary_cause_truth"]).mean())
        if len(poor)
        else 0.0,
        "root_cause_set": float((_cause_names(poor["reasons"]) == poor["causes"]).mean()) if len(poor) else 0.0,
    }
