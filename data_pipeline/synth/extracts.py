"""The ten departments' extracts: how each source observes the true population, administrative errors
included, before formatting noise (noise.py).

Administrative errors are what real registers get wrong even when every cell is well formatted. Each
kind has a rate (``AdminErrorRates``, the default is "realistic"; ``--admin-error-scale`` multiplies
them) and every affected person or household is logged (``admin_log``, ground truth only):

| kind | what the sources show | rate of |
|---|---|---|
| ``cash_wage`` | paid in cash: no tax row nor bank wage credit, only the census answer (under-stated) | wage earners |
| ``tax_under_report`` | employer declares 30-70 % of the wage to the tax office; bank credits show all | wage earners |
| ``wrong_household`` | tax and bank records under a wageless adult of another household of the village | wage earners |
| ``outside_social_security`` | no social-security row (insurance and transfers only in the census) | persons |
| ``stale_agriculture`` | the farm-income record is last period's | households |
| ``estimated_farm_income`` | land x the county's average yield (``income_basis`` = estimated) | households |
| ``missing_consumption`` | no row in the consumption survey | households |

The census (普调) is a survey: every income answer is under-reported (x lognormal(-0.2, 0.3)), and 2 % of
its yes/no answers on insurance, housing and water are wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from data_pipeline.synth.population import Population

HOUSEHOLD_SOURCES = ("agriculture", "land", "consumption")


@dataclass(frozen=True)
class AdminErrorRates:
    """Share of the eligible rows (see the module table) that get each administrative error."""

    cash_wage: float = 0.06
    tax_under_report: float = 0.05
    wrong_household: float = 0.01
    outside_social_security: float = 0.03
    stale_agriculture: float = 0.05
    estimated_farm_income: float = 0.3
    missing_consumption: float = 0.03

    def scaled(self, factor: float) -> "AdminErrorRates":
        return AdminErrorRates(**{f.name: min(getattr(self, f.name) * factor, 1.0) for f in fields(self)})


def _flag(values) -> np.ndarray:
    return np.asarray(values, dtype=np.float64)


def _survey(rng: np.random.Generator, values: np.ndarray) -> np.ndarray:
    """What people tell a survey about an income: typically less than it is, rounded to 100."""
    return np.round(values * rng.lognormal(-0.2, 0.3, len(values)), -2)


def _flip(rng: np.random.Generator, flags: np.ndarray, rate: float) -> np.ndarray:
    return np.where(rng.random(len(flags)) < rate, 1 - flags, flags)


def _exclusive(rng: np.random.Generator, eligible: np.ndarray, rates: list[float]) -> list[np.ndarray]:
    """Disjoint masks, one per rate, drawn among ``eligible`` rows (each row gets at most one kind)."""
    draw = rng.random(len(eligible))
    edges = np.cumsum([0.0, *rates])
    return [eligible & (draw >= lo) & (draw < hi) for lo, hi in zip(edges[:-1], edges[1:])]


class _Log:
    def __init__(self):
        self.parts: list[pd.DataFrame] = []

    def add(self, kind: str, source: str, key, household, column: str, true_value, recorded) -> None:
        n = len(np.atleast_1d(key))
        self.parts.append(pd.DataFrame({
            "kind": kind, "source": source, "true_key": pd.array(np.atleast_1d(key), dtype="str"),
            "household_key": pd.array(np.atleast_1d(household), dtype="str"), "column": column,
            "true_value": np.broadcast_to(np.asarray(true_value, dtype=float), n),
            "recorded_value": np.broadcast_to(np.asarray(recorded, dtype=float), n),
        }))

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(
                columns=["kind", "source", "true_key", "household_key", "column", "true_value", "recorded_value"]
            )
        return pd.concat(self.parts, ignore_index=True)


def _wrong_household(rng: np.random.Generator, p: pd.DataFrame, movers: np.ndarray) -> np.ndarray:
    """For each mover (a wage earner), an adult without wages of another household of the same village,
    each receiver used once; -1 where the village has none left."""
    receivers = np.full(len(movers), -1, dtype=np.int64)
    candidates = np.flatnonzero((p["age"].to_numpy() >= 18) & (p["wage"].to_numpy() == 0))
    candidates = candidates[rng.permutation(len(candidates))]
    village = p["village_code"].to_numpy()
    household = p["household"].to_numpy()
    pools: dict[int, list[int]] = {}
    for c in candidates:
        pools.setdefault(int(village[c]), []).append(int(c))
    for i, m in enumerate(movers):
        pool = pools.get(int(village[m]), [])
        while pool:
            c = pool.pop()
            if household[c] != household[m]:
                receivers[i] = c
                break
    return receivers


def build(rng: np.random.Generator, pop: Population, rates: AdminErrorRates = AdminErrorRates()
          ) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Returns each source's rows (every frame carries ``_true_key``, whose row it is) and the log of
    administrative errors."""
    p, h = pop.persons, pop.households
    hh = p["household"].to_numpy()
    adult = p["age"].to_numpy() >= 18
    n = len(p)
    ids = p["id_number"].to_numpy()
    heads = p["head_id_number"].to_numpy()
    log = _Log()

    # --- wages: who the tax office and the bank see, and for how much -----------------------------------
    wage = p["wage"].to_numpy()
    earner = wage > 0
    cash, under, moved = _exclusive(rng, earner, [rates.cash_wage, rates.tax_under_report, rates.wrong_household])
    tax_wage = wage.copy()
    factor = rng.uniform(0.3, 0.7, n)
    tax_wage[under] = np.round(wage[under] * factor[under], -1)
    bank_wage = np.where(adult, wage, np.nan)
    has_tax = earner & ~cash
    bank_wage[cash] = 0.0
    log.add("cash_wage", "tax", ids[cash], heads[cash], "wage_income", wage[cash], np.nan)
    log.add("cash_wage", "bank", ids[cash], heads[cash], "wage_credits", wage[cash], 0.0)
    log.add("tax_under_report", "tax", ids[under], heads[under], "wage_income", wage[under], tax_wage[under])
    movers = np.flatnonzero(moved)
    receivers = _wrong_household(rng, p, movers)
    movers, receivers = movers[receivers >= 0], receivers[receivers >= 0]
    has_tax[movers] = False
    has_tax[receivers] = True
    tax_wage[receivers] = wage[movers]
    bank_wage[receivers] = wage[movers]
    bank_wage[movers] = 0.0
    log.add("wrong_household", "tax+bank", ids[movers], heads[movers], "wage", wage[movers], 0.0)
    log.add("wrong_household_receiver", "tax+bank", ids[receivers], heads[receivers], "wage", 0.0, wage[movers])

    h_of_p = h.iloc[hh].reset_index(drop=True)
    census = pd.DataFrame(
        {
            "id_number": ids,
            "name": p["name"],
            "head_id_number": heads,
            "relation": p["relation"],
            "village_code": p["village_code"].astype(str),
            "disability_grade": _flag(p["disability_grade"]),
            "chronic_illness": _flag(p["chronic_illness"]),
            "in_school": _flag(p["in_school"]),
            "can_work": _flag(p["can_work"]),
            "education_years": _flag(p["education_years"]),
            "medical_insured": _flip(rng, _flag(p["medical_insured"]), 0.02),
            "reported_wage": _survey(rng, wage),
            "reported_business": _survey(rng, p["business"].to_numpy()),
            "reported_transfers": p["transfers"].to_numpy(),
            "reported_farm_income": _survey(rng, h["farm_income"].to_numpy())[hh],
            "housing_safe": _flip(rng, _flag(~h["house_safety_grade"].isin(["C", "D"])), 0.02)[hh],
            "drinking_water_safe": _flip(rng, _flag(h["drinking_water_safe"]), 0.02)[hh],
            "food_clothing_secure": _flag(h_of_p["food_clothing_spend"] / h_of_p["members"] >= 1200),
            "durables": _flag(h["durables"])[hh],
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
            "id_number": ids,
            "name": p["name"],
            "household_no": household_no.to_numpy()[hh],
            "head_id_number": heads,
            "relation": p["relation"],
            "village_code": p["village_code"].astype(str),
        }
    )
    outside = rng.random(n) < rates.outside_social_security
    log.add("outside_social_security", "social_security", ids[outside], heads[outside], "medical_insured",
            _flag(p["medical_insured"])[outside], np.nan)
    social = pd.DataFrame(
        {
            "id_number": ids,
            "name": p["name"],
            "medical_insured": _flag(p["medical_insured"]),
            "pension": p["pension"],
            "dibao": p["dibao"],
            "disability_allowance": p["disability_allowance"],
            "major_illness_claim": _flag(p["major_illness_claim"]),
        }
    )[~outside]
    members = h["members"].to_numpy()[hh]
    bank = pd.DataFrame(
        {
            "id_number": ids,
            "name": p["name"],
            "wage_credits": bank_wage,
            "balance": np.round(h["balance"].to_numpy()[hh] / members, -1),
        }
    )[adult]
    tax = pd.DataFrame({"id_number": ids, "name": p["name"], "wage_income": tax_wage})[has_tax]
    business = pd.DataFrame(
        {
            "id_number": ids,
            "name": p["name"],
            "business_net_income": p["business"],
            "registered_capital": np.round(p["business"] * rng.uniform(1, 5, n), -3),
        }
    )[p["business"] > 0]
    credit = pd.DataFrame(
        {"id_number": ids, "debt_outstanding": p["debt"], "overdue": _flag(p["overdue"])}
    )[p["has_loan"].to_numpy()]

    # --- farm income: measured, estimated from land, or last period's ----------------------------------
    everyone = np.ones(len(h), dtype=bool)
    stale, estimated = _exclusive(rng, everyone, [rates.stale_agriculture, rates.estimated_farm_income])
    farm = h["farm_income"].to_numpy().copy()
    county_yield = farm.sum() / max(h["land_mu"].sum(), 1e-9)
    farm[stale] = h["farm_income_prev1"].to_numpy()[stale]
    farm[estimated] = np.round(h["land_mu"].to_numpy()[estimated] * county_yield, -1)
    keys = h["household_key"].to_numpy()
    log.add("stale_agriculture", "agriculture", keys[stale], keys[stale], "farm_net_income",
            h["farm_income"].to_numpy()[stale], farm[stale])
    log.add("estimated_farm_income", "agriculture", keys[estimated], keys[estimated], "farm_net_income",
            h["farm_income"].to_numpy()[estimated], farm[estimated])
    agriculture = pd.DataFrame(
        {
            "head_id_number": keys,
            "village_code": h["region"].astype(str),
            "farm_net_income": farm,
            "income_basis": np.where(estimated, "estimated", "measured"),
            "drinking_water_safe": _flag(h["drinking_water_safe"]),
            "disaster_loss": h["disaster_loss"],
        }
    )
    land = pd.DataFrame(
        {
            "head_id_number": keys,
            "village_code": h["region"].astype(str),
            "contracted_land_mu": h["land_mu"],
            "house_safety_grade": h["house_safety_grade"],
        }
    )
    surveyed = rng.random(len(h)) >= rates.missing_consumption
    log.add("missing_consumption", "consumption", keys[~surveyed], keys[~surveyed], "total_spend",
            h["total_spend"].to_numpy()[~surveyed], np.nan)
    consumption = pd.DataFrame(
        {
            "head_id_number": keys,
            "food_clothing_spend": h["food_clothing_spend"],
            "education_spend": h["education_spend"],
            "medical_spend": h["medical_spend"],
            "total_spend": h["total_spend"],
        }
    )[surveyed]
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
        key = "head_id_number" if name in HOUSEHOLD_SOURCES else "id_number"
        frame = frames[name] = frames[name].reset_index(drop=True)
        frame["_true_key"] = frame[key].to_numpy()
        for column in frame.columns:
            if frame[column].dtype == object:
                frame[column] = frame[column].astype("str")
    return frames, log.frame()
