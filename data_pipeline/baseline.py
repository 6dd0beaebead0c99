"""Naive baselines, with the same admission rule:

- ``eligibility``: one source (the census survey), no cleaning: households keyed by the head's ID
  exactly as typed, incomes as reported, yes/no answers as given (a straw man);
- ``naive_join_eligibility``: all ten sources joined on the IDs as typed, each field from the first
  source that has it, no cleaning, no triangulation, no verification (the fair baseline).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
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
            "income": num["reported_wage"].fillna(0)
            + num["reported_business"].fillna(0)
            + num["reported_transfers"].fillna(0),
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
    eligible = (
        (income_pc < policy.line)
        | h["dropout"]
        | h["uninsured"]
        | h["housing_unsafe"]
        | h["water_unsafe"]
        | h["food_insecure"]
    )
    return eligible.astype(bool)




def _numbers(raw: pd.DataFrame, column: str) -> pd.Series:
    return pd.to_numeric(raw[column], errors="coerce")


def naive_join_eligibility(folder: Path, policy: Policy) -> pd.Series:
    """All ten sources joined on the ID as typed, without cleaning, triangulation or verification: each
    field from the first source (in sources.FIELD_PRIORITY order) whose row for the raw key has a value.

    What a careful analyst gets by merging the extracts as delivered; the fair baseline for what cleaning
    and triangulation add.
    """
    raw = {name: read(Path(folder), spec)[2] for name, spec in SOURCES.items()}

    def by_key(source: str, key: str = "id_number") -> pd.DataFrame:
        frame = raw[source]
        return frame[frame[key].notna()].drop_duplicates(key, keep="first").set_index(key)

    census, registration = by_key("census"), by_key("household_registration")
    people = registration.index.union(census.index)
    head = registration["head_id_number"].reindex(people).fillna(census["head_id_number"].reindex(people))

    def first(*pairs: tuple[str, str], level: str = "person", keys=people) -> pd.Series:
        value = pd.Series(np.nan, index=keys)
        for source, column in pairs:
            frame = by_key(source, "head_id_number" if level == "household" else "id_number")
            value = value.fillna(_numbers(frame, column).reindex(keys))
        return value

    ss = by_key("social_security")
    transfers = sum(_numbers(ss, c).reindex(people) for c in ("pension", "dibao", "disability_allowance"))
    birth_year = pd.to_numeric(pd.Series(people, index=people).str.slice(6, 10), errors="coerce")
    age = policy.reference_date.year - birth_year
    lo, hi = policy["admission"]["compulsory_school_age"]
    p = pd.DataFrame({
        "head": head,
        "wage": first(("tax", "wage_income"), ("bank", "wage_credits"), ("census", "reported_wage")).fillna(0),
        "business": first(("business_registration", "business_net_income"), ("census", "reported_business")).fillna(0),
        "transfers": transfers.fillna(_numbers(census, "reported_transfers").reindex(people)).fillna(0),
        "insured": first(("social_security", "medical_insured"), ("census", "medical_insured")),
        "dropout": age.between(lo, hi) & (_numbers(census, "in_school").reindex(people) == 0),
    }).dropna(subset=["head"])
    g = p.groupby("head")
    h = g.agg(
        members=("wage", "size"),
        wage=("wage", "sum"),
        business=("business", "sum"),
        transfers=("transfers", "sum"),
        uninsured=("insured", lambda s: (s == 0).any()),
        dropout=("dropout", "max"),
    )
    heads = h.index
    census_h = (
        census.assign(head=census["head_id_number"]).dropna(subset=["head"]).drop_duplicates("head").set_index("head")
    )
    farm = first(("agriculture", "farm_net_income"), level="household", keys=heads).fillna(
        _numbers(census_h, "reported_farm_income").reindex(heads)).fillna(0)
    land = by_key("land", "head_id_number")
    grade = land["house_safety_grade"].reindex(heads)
    unsafe = grade.isin(policy["admission"]["unsafe_house_grades"]).where(
        grade.notna(), _numbers(census_h, "housing_safe").reindex(heads) == 0
    )
    water = first(("agriculture", "drinking_water_safe"), level="household", keys=heads).fillna(
        _numbers(census_h, "drinking_water_safe").reindex(heads))
    food = first(("consumption", "food_clothing_spend"), level="household", keys=heads) / h["members"]
    food_insecure = (food < policy["admission"]["food_clothing_min_per_capita"]).where(
        food.notna(), _numbers(census_h, "food_clothing_secure").reindex(heads) == 0)
    income_pc = (h["wage"] + h["business"] + h["transfers"] + farm) / h["members"]
    eligible = ((income_pc < policy.line) | h["uninsured"].astype(bool) | h["dropout"].astype(bool)
                | unsafe.fillna(False).astype(bool) | (water == 0) | food_insecure.fillna(False).astype(bool))
    return eligible.astype(bool)
