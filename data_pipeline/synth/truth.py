"""What the policy says about each true household: admission, exit, monitoring and root causes.

Written apart from the pipeline's models.py on purpose (this package imports nothing of the pipeline):
the accuracy check compares two implementations applied to two views of the world — the truth here,
the sources there — so a slip in either, or a source error the pipeline does not catch, shows up as error.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_pipeline.synth.rules import line

NONE, ADMIT, EXIT, MONITOR = 0, 1, 2, 3
# The order in which the policy lists root causes (致贫原因); the first that applies is the main one.
CAUSE_ORDER = ["illness", "disability", "lack_of_labour", "education", "skills", "land", "funds", "disaster"]


def judge(h: pd.DataFrame, rules: dict) -> pd.DataFrame:
    """Adds the truth of every model to the household table: ``eligible``, ``guarantees_met``,
    ``stable``, ``hardship``, ``exit``, ``at_risk``, ``decision``, ``causes`` (names joined by '|') and
    ``primary_cause``."""
    adm, mon, rc = rules["admission"], rules["monitoring"], rules["root_causes"]
    poverty_line = line(rules)
    food_insecure = h["food_clothing_spend"] / h["members"] < adm["food_clothing_min_per_capita"]
    unsafe_house = h["house_safety_grade"].isin(adm["unsafe_house_grades"])
    guarantee_failed = food_insecure | h["dropouts"] | h["uninsured"] | unsafe_house | ~h["drinking_water_safe"]
    eligible = (h["income_pc"] < poverty_line) | guarantee_failed

    periods = [h["income_pc"], h["income_pc_prev1"], h["income_pc_prev2"]][: int(rules["exit"]["stable_periods"])]
    stable = np.logical_and.reduce([p >= poverty_line for p in periods])
    hardship = (h["major_illness"] > 0) | (
        (h["disaster_loss"] > 0) & (h["disaster_loss"] >= mon["disaster_loss_share_of_income"] * h["income"])
    )
    registered = h["registered_poor"].astype(bool)
    exit_ = registered & stable & ~guarantee_failed & ~hardship
    rigid = h["medical_spend"] + h["education_spend"]
    at_risk = (
        (h["income_pc"] < mon["income_line_multiple"] * poverty_line) | ((rigid > 0) & (rigid > h["income"])) | hardship
    )
    decision = np.select([registered & exit_, registered, eligible, at_risk], [EXIT, NONE, ADMIT, MONITOR], NONE)

    income = h["income"].clip(lower=0)
    causes = {
        "illness": (h["chronic"] > 0) | (h["major_illness"] > 0),
        "disability": h["disabled"] > 0,
        "lack_of_labour": h["able_workers"] == 0,
        "education": h["education_spend"] > rc["education_spend_share_of_income"] * income,
        "skills": (h["able_workers"] > 0) & (h["wage"] + h["business"] <= 0),
        "land": h["land_mu"] / h["members"] < rc["land_min_mu_per_capita"],
        "funds": (h["debt"] > rc["debt_to_income_ratio"] * income) | h["overdue"],
        "disaster": (h["disaster_loss"] > 0) & (h["disaster_loss"] > rc["disaster_loss_share_of_income"] * income),
    }
    names = np.full(len(h), "", dtype=object)
    primary = np.full(len(h), None, dtype=object)
    for cause in reversed(CAUSE_ORDER):
        hit = causes[cause].to_numpy(dtype=bool)
        primary[hit] = cause
    for cause in CAUSE_ORDER:
        hit = causes[cause].to_numpy(dtype=bool)
        names[hit] = np.where(names[hit] == "", cause, names[hit] + "|" + cause)
    poor_or_at_risk = registered | eligible | (decision == MONITOR)
    return h.assign(
        eligible=eligible.to_numpy(dtype=bool),
        guarantees_met=~guarantee_failed.to_numpy(dtype=bool),
        stable=np.asarray(stable, dtype=bool),
        hardship=hardship.to_numpy(dtype=bool),
        exit=exit_.to_numpy(dtype=bool),
        at_risk=at_risk.to_numpy(dtype=bool),
        decision=decision.astype(np.uint8),
        causes=pd.array(np.where(poor_or_at_risk, names, ""), dtype="str"),
        primary_cause=pd.array(np.where(poor_or_at_risk, primary, None), dtype="str"),
    )
