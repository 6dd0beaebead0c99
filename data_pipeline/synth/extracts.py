"""The ten departments' extracts, derived from the true population before noise.

Authoritative sources hold the true values; the census (普调) is a survey, so its income answers are
under-reported and a few of its yes/no answers are stale. That is what the naive baseline suffers from
and what source priority corrects.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_pipeline.synth.population import Population


def _flag(values) -> np.ndarray:
    return np.asarray(values, dtype=np.float64)


def _survey(rng: np.random.Generator, values: np.ndarray) -> np.ndarray:
    """What people tell a survey about an income: typically less than it is, rounded to 100."""
    return np.round(values * rng.lognormal(-0.2, 0.3, len(values)), -2)


def _flip(rng: np.random.Generator, flags: np.ndarray, rate: float) -> np.ndarray:
    return np.where(rng.random(len(flags)) < rate, 1 - flags, flags)


def build(rng: np.random.Generator, pop: Population) -> dict[str, pd.DataFrame]:
    """Returns each source's clean rows; every frame carries ``_true_key`` (whose row it is)."""
    p, h = pop.persons, pop.households
    hh = p["household"].to_numpy()
    adult = p["age"].to_numpy() >= 18
    h_of_p = h.iloc[hh].reset_index(drop=True)
    n = len(p)

    census = pd.DataFrame(
        {
            "id_number": p["id_number"],
            "name": p["name"],
            "head_id_number": p["head_id_number"],
            "relation": p["relation"],
            "village_code": p["village_code"].astype(str),
            "disability_grade": _flag(p["disability_grade"]),
            "chronic_illness": _flag(p["chronic_illness"]),
            "in_school": _flag(p["in_school"]),
            "can_work": _flag(p["can_work"]),
            "medical_insured": _flip(rng, _flag(p["medical_insured"]), 0.02),
            "reported_wage": _survey(rng, p["wage"].to_numpy()),
            "reported_business": _survey(rng, p["business"].to_numpy()),
            "reported_transfers": p["transfers"].to_numpy(),
            "reported_farm_income": _survey(rng, h["farm_income"].to_numpy())[hh],
            "housing_safe": _flip(rng, _flag(~h["house_safety_grade"].isin(["C", "D"])), 0.02)[hh],
            "drinking_water_safe": _flip(rng, _flag(h["drinking_water_safe"]), 0.02)[hh],
            "food_clothing_secure": _flag(h_of_p["food_clothing_spend"] / h_of_p["members"] >= 1200),
            "registered_poor": _flag(h["registered_poor"])[hh],
            "income_pc_prev1": h["income_pc_prev1"].to_numpy()[hh],
            "income_pc_prev2": h["income_pc_prev2"].to_numpy()[hh],
        }
    )
    household_no = pd.Series(h["region"].astype(str).to_numpy(), dtype="str") + pd.Series(
        (np.arange(len(h)) % 10000).astype(str), dtype="str"
    ).str.zfill(4)
    registration = pd.DataFrame(
        {
            "id_number": p["id_number"],
            "name": p["name"],
            "household_no": household_no.to_numpy()[hh],
            "head_id_number": p["head_id_number"],
            "relation": p["relation"],
            "village_code": p["village_code"].astype(str),
        }
    )
    social = pd.DataFrame(
        {
            "id_number": p["id_number"],
            "name": p["name"],
            "medical_insured": _flag(p["medical_insured"]),
            "pension": p["pension"],
            "dibao": p["dibao"],
            "disability_allowance": p["disability_allowance"],
            "major_illness_claim": _flag(p["major_illness_claim"]),
        }
    )
    members = h["members"].to_numpy()[hh]
    bank = pd.DataFrame(
        {
            "id_number": p["id_number"],
            "name": p["name"],
            "wage_credits": p["wage"],
            "balance": np.round(h["balance"].to_numpy()[hh] / members, -1),
        }
    )[adult]
    tax = pd.DataFrame({"id_number": p["id_number"], "name": p["name"], "wage_income": p["wage"]})[p["wage"] > 0]
    business = pd.DataFrame(
        {
            "id_number": p["id_number"],
            "name": p["name"],
            "business_net_income": p["business"],
            "registered_capital": np.round(p["business"] * rng.uniform(1, 5, n), -3),
        }
    )[p["business"] > 0]
    credit_rows = adult & (rng.random(n) < 0.25)
    credit = pd.DataFrame(
        {
            "id_number": p["id_number"],
            "debt_outstanding": np.round(rng.lognormal(np.log(30000), 1.0, n), -2),
            "overdue": _flag(rng.random(n) < 0.04),
        }
    )[credit_rows]
    agriculture = pd.DataFrame(
        {
            "head_id_number": h["household_key"],
            "village_code": h["region"].astype(str),
            "farm_net_income": h["farm_income"],
            "drinking_water_safe": _flag(h["drinking_water_safe"]),
            "disaster_loss": h["disaster_loss"],
        }
    )
    land = pd.DataFrame(
        {
            "head_id_number": h["household_key"],
            "village_code": h["region"].astype(str),
            "contracted_land_mu": h["land_mu"],
            "house_safety_grade": h["house_safety_grade"],
        }
    )
    consumption = pd.DataFrame(
        {
            "head_id_number": h["household_key"],
            "food_clothing_spend": h["food_clothing_spend"],
            "education_spend": h["education_spend"],
            "medical_spend": h["medical_spend"],
            "total_spend": h["total_spend"],
        }
    )
    frames = {
        "census": census,
        "household_registration": registration,
        "social_security": social,
        "bank": bank,
        "tax": tax,
        "agriculture": agriculture,
        "business_registration": business,
        "credit": credit,
        "land": land,
        "consumption": consumption,
    }
    for name in list(frames):
        key = "head_id_number" if name in ("agriculture", "land", "consumption") else "id_number"
        frame = frames[name] = frames[name].reset_index(drop=True)
        frame["_true_key"] = frame[key].to_numpy()
        for column in frame.columns:
            if frame[column].dtype == object:
                frame[column] = frame[column].astype("str")
    return frames
