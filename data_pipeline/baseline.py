"""The naive baseline: one source (the census survey), no cleaning, the same admission rule.

It exists to show what cleaning and source priority are worth: households are keyed by the head's ID
exactly as typed, incomes are what people reported, yes/no answers are taken as given.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from data_pipeline.ingest import read
from data_pipeline.policy import Policy
from data_pipeline.sources import SOURCES


def eligibility(folder: Path, policy: Policy) -> pd.Series:
    """Baseline admission eligibility per raw head ID, from the census file alone."""
    spec = SOURCES["census"]
    _, _, raw = read(Path(folder), spec)
    num = {c: pd.to_numeric(raw[c], errors="coerce") for c in spec.numeric_columns}
    ids = raw["id_number"].fillna("")
    birth_year = pd.to_numeric(ids.str.slice(6, 10), errors="coerce")
    age = policy.reference_date.year - birth_year
    lo, hi = policy["admission"]["compulsory_school_age"]
    frame = pd.DataFrame(
        {
            "key": raw["head_id_number"],
            "income": num["reported_wage"].fillna(0) + num["reported_business"].fillna(0) + num["reported_transfers"].fillna(0),
            "farm": num["reported_farm_income"],
            "dropout": age.between(lo, hi) & (num["in_school"] == 0),
            "uninsured": num["medical_insured"] == 0,
            "housing_unsafe": num["housing_safe"] == 0,
            "water_unsafe": num["drinking_water_safe"] == 0,
            "food_insecure": num["food_clothing_secure"] == 0,
        }
    ).dropna(subset=["key"])
    g = frame.groupby("key")
    h = g.agg(members=("income", "size"), income=("income", "sum"), farm=("farm", "max"), dropout=("dropout", "max"),
              uninsured=("uninsured", "max"), housing_unsafe=("housing_unsafe", "max"),
              water_unsafe=("water_unsafe", "max"), food_insecure=("food_insecure", "max"))
    income_pc = (h["income"] + h["farm"].fillna(0)) / h["members"]
    eligible = (income_pc < policy.line) | h["dropout"] | h["uninsured"] | h["housing_unsafe"] | h["water_unsafe"] | h["food_insecure"]
    return eligible.astype(bool)


