"""What the pipeline hands on: the results table for the oracle and aggregate reports for the dashboard.

The results table holds the raw ID number of each household head in ``household_key``; the oracle
replaces it with a keyed hash and never publishes it. Reports hold counts and averages per region only:
no ID, name or single household's values.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from data_pipeline.policy import Policy
from data_pipeline.reasons import CAUSE_NAMES, CAUSES, Decision, Reason
from data_pipeline.schemas import Results

RESULTS_FILE = "results.parquet"
REPORTS = ("village_portraits", "root_causes", "newly_poor", "exits", "monitored", "poverty_prone_areas",
           "village_classes")  # the last is written by data_pipeline/village_classes.py


def results_table(households: pd.DataFrame, decided: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """The oracle's input, one row per household, sorted by region then key (a stable order)."""
    out = pd.DataFrame(
        {
            "household_key": households["household_key"].astype("str").to_numpy(),
            "region": pd.array(households["region"].to_numpy(dtype="uint64"), dtype="UInt64"),
            "decision": pd.array(decided["decision"].to_numpy(), dtype="UInt8"),
            "reasons": pd.array(decided["reasons"].to_numpy(), dtype="UInt32"),
            "score": pd.array(decided["score"].to_numpy(), dtype="UInt32"),
            "policy_version": policy.version,
            "policy_hash": policy.hash,
        }
    )
    out["household_key"] = out["household_key"].astype("str")
    out["policy_version"] = out["policy_version"].astype("str")
    out["policy_hash"] = out["policy_hash"].astype("str")
    return out.sort_values(["region", "household_key"], ignore_index=True)


PUBLISH_KEY = b"govchain.publish"
QUALITY_KEY = b"govchain.quality"
AS_OF_KEY = b"govchain.as_of"


def write_results(results: pd.DataFrame, out_dir: Path, quality: list[dict] | None = None,
                  as_of: date | None = None) -> Path:
    """Writes the results table. With failed data-quality gates (``quality``), the file carries Parquet
    key-value metadata ``govchain.publish`` = ``false`` and ``govchain.quality`` = the failures as JSON
    (file, figure, limit, ...): the oracle refuses to commit such a file. Absent key = publishable.
    ``as_of``, the time the data describe (the source extract's), goes to ``govchain.as_of`` (ISO 8601): the
    oracle dates its batches by it, and refuses a file without it."""
    Results.validate(results, lazy=True)
    path = Path(out_dir) / RESULTS_FILE
    table = pa.Table.from_pandas(results, preserve_index=False)
    metadata = {}
    if quality:
        metadata[PUBLISH_KEY] = b"false"
        metadata[QUALITY_KEY] = json.dumps(quality, ensure_ascii=False).encode("utf-8")
    if as_of is not None:
        metadata[AS_OF_KEY] = as_of.isoformat().encode("ascii")
    if metadata:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), **metadata})
    pq.write_table(table, path)
    return path


def read_as_of(path: Path | str) -> datetime | None:
    """The as-of time of a results file (or a run's output folder), None if it carries none."""
    path = Path(path)
    if path.is_dir():
        path = path / RESULTS_FILE
    text = (pq.read_schema(path).metadata or {}).get(AS_OF_KEY)
    return datetime.fromisoformat(text.decode("ascii")) if text else None


def read_quality(path: Path | str) -> tuple[bool, list[dict]]:
    """(publishable, failed gates) of a results file (or a run's output folder)."""
    path = Path(path)
    if path.is_dir():
        path = path / RESULTS_FILE
    meta = pq.read_schema(path).metadata or {}
    return meta.get(PUBLISH_KEY, b"true") != b"false", json.loads(meta.get(QUALITY_KEY, b"[]"))


def load_results(path: Path | str) -> pd.DataFrame:
    """Loads a results table (the file, or the run's output folder) and checks it against the schema.

    Columns: household_key (str, raw head ID: pseudonymise before publishing), region (UInt64, 12-digit
    village code), decision (UInt8, reasons.Decision), reasons (UInt32, reasons.Reason bits),
    score (UInt32, PMT per-capita welfare in yuan, lower is poorer), policy_version (str),
    policy_hash (str, 0x + SHA-256 of the policy file).
    """
    path = Path(path)
    if path.is_dir():
        path = path / RESULTS_FILE
    frame = pd.read_parquet(path)
    for column, dtype in (("region", "UInt64"), ("decision", "UInt8"), ("reasons", "UInt32"), ("score", "UInt32")):
        frame[column] = frame[column].astype(dtype)
    for column in ("household_key", "policy_version", "policy_hash"):
        frame[column] = frame[column].astype("str")
    return Results.validate(frame, lazy=True)


def _has(reasons: np.ndarray, flag: Reason) -> np.ndarray:
    return (reasons & np.uint32(flag)) != 0


def village_frame(households: pd.DataFrame, decided: pd.DataFrame) -> pd.DataFrame:
    """Per-household indicator columns keyed by village: the one input every report sums."""
    r = decided["reasons"].to_numpy()
    d = decided["decision"].to_numpy()
    frame = pd.DataFrame(
        {
            "region": households["region"].to_numpy(dtype="int64"),
            "households": 1,
            "persons": households["members"].to_numpy(),
            "registered": households["registered_poor"].to_numpy(dtype=int),
            "admitted": (d == Decision.ADMIT).astype(int),
            "admitted_persons": np.where(d == Decision.ADMIT, households["members"], 0),
            "exits": (d == Decision.EXIT).astype(int),
            "monitored": (d == Decision.MONITOR).astype(int),
            "verify": (d == Decision.VERIFY).astype(int),
            "income_total": households["income"].to_numpy(),
        }
    )
    for flag in (Reason.INCOME_BELOW_LINE, Reason.FOOD_CLOTHING_INSECURE, Reason.COMPULSORY_EDUCATION_NOT_MET,
                 Reason.BASIC_MEDICAL_NOT_INSURED, Reason.HOUSING_UNSAFE, Reason.DRINKING_WATER_UNSAFE,
                 Reason.INCOME_BELOW_MONITORING_LINE, Reason.RIGID_EXPENDITURE_ABOVE_INCOME, Reason.SUDDEN_HARDSHIP,
                 *CAUSES):
        frame[flag.name.lower()] = _has(r, flag).astype(int)
    for flag in (Reason.INCOME_BELOW_LINE, Reason.FOOD_CLOTHING_INSECURE, Reason.COMPULSORY_EDUCATION_NOT_MET,
                 Reason.BASIC_MEDICAL_NOT_INSURED, Reason.HOUSING_UNSAFE, Reason.DRINKING_WATER_UNSAFE):
        frame[f"admitted_{flag.name.lower()}"] = (_has(r, flag) & (d == Decision.ADMIT)).astype(int)
    frame["exits_from_registered"] = frame["exits"]
    return frame


def reports(households: pd.DataFrame, decided: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Aggregate reports. Each is built from per-village sums, so county partitions concatenate."""
    v = village_frame(households, decided).groupby("region", sort=True).sum().reset_index()
    v.insert(1, "township", v["region"] // 1000 * 1000)
    v.insert(1, "county", v["region"] // 10**6 * 10**6)
    v["mean_income_per_capita"] = (v["income_total"] / v["persons"]).round(0)
    v["poor_or_at_risk_rate"] = (
        (v["registered"] - v["exits"] + v["admitted"] + v["monitored"]) / v["households"]
    ).round(4)
    portraits = v.drop(columns=["income_total", "exits_from_registered"])
    cause_cols = [c.name.lower() for c in CAUSES]
    causes = v[["county", "township", "region", *cause_cols]].melt(
        id_vars=["county", "township", "region"], value_vars=cause_cols, var_name="cause", value_name="households"
    )
    causes["cause_label"] = causes["cause"].map({c.name.lower(): CAUSE_NAMES[c] for c in CAUSES})
    guarantee_cols = [c for c in v.columns if c.startswith("admitted_") and c != "admitted_persons"]
    newly = v[["county", "township", "region", "admitted", "admitted_persons", *guarantee_cols]]
    exits = v[["county", "township", "region", "registered", "exits"]].assign(
        exit_rate=lambda f: (f["exits"] / f["registered"].where(f["registered"] > 0)).round(4)
    )
    monitored = v[["county", "township", "region", "monitored", "income_below_monitoring_line",
                   "rigid_expenditure_above_income", "sudden_hardship"]]
    county_rate = v.groupby("county")[["registered", "exits", "admitted", "monitored", "households"]].transform("sum")
    county_rate = (
        county_rate["registered"] - county_rate["exits"] + county_rate["admitted"] + county_rate["monitored"]
    ) / county_rate["households"]
    prone = v[["county", "township", "region", "households", "poor_or_at_risk_rate"]].assign(
        county_rate=county_rate.round(4).to_numpy(),
        # A village is poverty-prone when its share of poor and at-risk households is 1.5x its county's.
        poverty_prone=(v["poor_or_at_risk_rate"] >= 1.5 * county_rate).to_numpy(),
    ).sort_values(["county", "poor_or_at_risk_rate", "region"], ascending=[True, False, True], ignore_index=True)
    return {
        "village_portraits": portraits,
        "root_causes": causes,
        "newly_poor": newly,
        "exits": exits,
        "monitored": monitored,
        "poverty_prone_areas": prone,
    }
