"""The person and household tables: identity and yes/no fields from the highest-priority source that
has them (sources.FIELD_PRIORITY), incomes reconciled across sources (triangulate.py), people grouped
into households under their head's ID number. Every field records the source it came from
(``<field>_source``), so a result says which source won."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_pipeline import triangulate
from data_pipeline.arrow import isin
from data_pipeline.idnumbers import from_number, number_birth_ymd, number_is_male
from data_pipeline.ingest import Ingested
from data_pipeline.policy import Policy
from data_pipeline.sources import FIELD_PRIORITY


class _Aligned:
    """Source columns lined up with a set of keys (packed ID numbers): each source's row positions are
    looked up once, then every column is a take. Integer keys keep a million people fast."""

    def __init__(self, items: dict[str, Ingested], keys: pd.Index):
        self.items, self.keys, self._positions = items, keys, {}

    def positions(self, source: str) -> np.ndarray:
        if source not in self._positions:
            self._positions[source] = pd.Index(self.items[source].frame["__key"]).get_indexer(self.keys)
        return self._positions[source]

    def column(self, source: str, column: str) -> pd.Series:
        """The value of ``column`` in ``source`` for each key (missing where the source has no row)."""
        values = self.items[source].frame[column]
        if values.dtype == np.int64:
            values = values.astype("Int64")  # a float64 NaN fill would round 18-digit packed IDs
        taken = values.array.take(self.positions(source), allow_fill=True)
        return pd.Series(taken, index=self.keys)

    def first_available(self, field: str) -> tuple[pd.Series, pd.Series]:
        """Coalesces ``field`` over its sources in priority order; also says which source gave each value."""
        value, origin = None, pd.Series(pd.NA, index=self.keys, dtype="str")
        for source, column in FIELD_PRIORITY[field]:
            if column == "head_id_number":
                column = "__head"  # the packed form of the head's ID, for integer joins
            candidate = self.column(source, column)
            if column == "__head":
                candidate = candidate.mask(candidate < 0)
            if value is None:
                value = candidate
                origin = origin.mask(candidate.notna(), source)
            else:
                take = value.isna() & candidate.notna()
                value = value.where(~take, candidate)
                origin = origin.mask(take, source)
        return value, origin


def ages(numbers: np.ndarray, policy: Policy) -> np.ndarray:
    """Completed years on the policy's reference date, from the birth date in the packed ID number."""
    ref = policy.reference_date
    return (ref.year * 10000 + ref.month * 100 + ref.day - number_birth_ymd(numbers)) // 10000


def build_persons(items: dict[str, Ingested], policy: Policy) -> pd.DataFrame:
    """One row per person known to either register (户政 or 普调), keyed by packed ID (``person``)."""
    keys = pd.Index(
        pd.unique(np.concatenate([items[r].frame["__key"].to_numpy() for r in ("household_registration", "census")])),
        name="person",
    )
    p = pd.DataFrame(index=keys)
    aligned = _Aligned(items, keys)
    head, p["household_source"] = aligned.first_available("head_id_number")
    p["household"] = head.astype("int64")  # every register row has a valid head ID, or it was quarantined
    for field in ("relation", "village_code", "name"):
        p[field], p[f"{field}_source"] = aligned.first_available(field)
    census = pd.DataFrame({c: aligned.column("census", c) for c in items["census"].spec.numeric_columns})
    numbers = keys.to_numpy()
    p["age"] = ages(numbers, policy)
    p["male"] = number_is_male(numbers)
    for column in ("disability_grade", "chronic_illness", "in_school", "can_work", "education_years"):
        p[column] = census[column]

    # Wages: tax, bank and census reconciled (triangulate.wages); the survey's capture rate is measured
    # on this county's people whose tax and bank records agree.
    tax = aligned.column("tax", "wage_income").to_numpy(dtype=float, na_value=np.nan)
    bank = aligned.column("bank", "wage_credits").to_numpy(dtype=float, na_value=np.nan)
    said = census["reported_wage"].to_numpy(dtype=float, na_value=np.nan)
    capture = triangulate.wage_capture(tax, bank, said)
    w = triangulate.wages(tax, bank, said, capture)
    p["wage"], p["wage_low"], p["wage_high"], p["wage_source"] = w.value, w.low, w.high, w.source
    p["wage_disagree"], p["wage_not_reported"] = w.disagree, w.not_reported
    survey_used = pd.Series(w.survey_only, index=keys)
    # Business income, transfers and insurance: administrative records first, the survey last.
    value, p["business_source"] = aligned.first_available("business")
    survey_used |= (p["business_source"] == "census").fillna(False) & (value > 0)
    p["business"] = value.fillna(0.0)
    ss = pd.DataFrame({c: aligned.column("social_security", c) for c in items["social_security"].spec.numeric_columns})
    admin_transfers = ss[["pension", "dibao", "disability_allowance"]].sum(axis=1, min_count=3)
    from_survey = admin_transfers.isna() & census["reported_transfers"].notna()
    survey_used |= from_survey & (census["reported_transfers"] > 0)
    p["transfers"] = admin_transfers.fillna(census["reported_transfers"]).fillna(0.0)
    p["transfers_source"] = np.where(admin_transfers.notna(), "social_security", np.where(from_survey, "census", None))
    insured, p["medical_insured_source"] = aligned.first_available("medical_insured")
    # Uninsured by the survey's word alone: no record confirms it (KEY_SOURCE_MISSING, verified in the field).
    p["uninsured_unconfirmed"] = ((p["medical_insured_source"] == "census").fillna(False) & (insured == 0)).to_numpy()
    survey_used |= p["uninsured_unconfirmed"]
    p["medical_insured"] = insured.fillna(1.0)  # no record of being uninsured: assume the default scheme
    p["major_illness_claim"] = ss["major_illness_claim"].fillna(0.0)
    p["balance"] = aligned.column("bank", "balance").fillna(0.0)
    p["debt"] = aligned.column("credit", "debt_outstanding").fillna(0.0)
    p["overdue"] = aligned.column("credit", "overdue").fillna(0.0)
    p["survey_used"] = survey_used.to_numpy()
    # Household answers of the survey, repeated on each member's row; used per household below.
    for column in ("reported_farm_income", "housing_safe", "drinking_water_safe", "food_clothing_secure",
                   "registered_poor", "income_pc_prev1", "income_pc_prev2", "durables"):
        p[f"census_{column}"] = census[column]
    out = p.reset_index().rename(columns={"head_id_number": "household_key"})
    out.attrs["wage_capture"] = capture
    return out


def build_households(persons: pd.DataFrame, items: dict[str, Ingested], policy: Policy) -> pd.DataFrame:
    """One row per household, with everything the models read."""
    adm, rc = policy["admission"], policy["root_causes"]
    p = persons
    school_lo, school_hi = adm["compulsory_school_age"]
    work_lo, work_hi = rc["working_age"]
    p = p.assign(
        is_head=p["person"] == p["household"],
        dropout=p["age"].between(school_lo, school_hi) & (p["in_school"] == 0),
        uninsured=p["medical_insured"] == 0,
        uninsured_confirmed=(p["medical_insured"] == 0) & ~p["uninsured_unconfirmed"],
        disabled=p["disability_grade"].fillna(0) > 0,
        chronic=p["chronic_illness"].fillna(0) == 1,
        major_illness=p["major_illness_claim"] == 1,
        able_worker=p["age"].between(work_lo, work_hi) & (p["can_work"] == 1),
        dependant=(p["age"] < work_lo) | (p["age"] > work_hi),
    )
    g = p.groupby("household", sort=True)
    h = g.agg(
        members=("person", "size"),
        wage=("wage", "sum"),
        wage_low=("wage_low", "sum"),
        wage_high=("wage_high", "sum"),
        wage_disagree=("wage_disagree", "max"),
        wage_not_reported=("wage_not_reported", "max"),
        uninsured_unconfirmed=("uninsured_unconfirmed", "max"),
        mean_education=("education_years", "mean"),
        business=("business", "sum"),
        transfers=("transfers", "sum"),
        dropouts=("dropout", "sum"),
        uninsured=("uninsured", "sum"),
        uninsured_confirmed=("uninsured_confirmed", "sum"),
        disabled=("disabled", "sum"),
        chronic=("chronic", "sum"),
        major_illness=("major_illness", "sum"),
        able_workers=("able_worker", "sum"),
        dependants=("dependant", "sum"),
        balance=("balance", "sum"),
        debt=("debt", "sum"),
        overdue=("overdue", "max"),
        survey_used=("survey_used", "max"),
        census_reported_farm_income=("census_reported_farm_income", "first"),
        census_housing_safe=("census_housing_safe", "first"),
        census_drinking_water_safe=("census_drinking_water_safe", "first"),
        census_food_clothing_secure=("census_food_clothing_secure", "first"),
        durables=("census_durables", "first"),
        registered_poor=("census_registered_poor", "max"),
        income_pc_prev1=("census_income_pc_prev1", "first"),
        income_pc_prev2=("census_income_pc_prev2", "first"),
    )
    # The household lives where its head is registered; if the head is unknown, where its first member is.
    heads = p[p["is_head"]].set_index("household")["village_code"]
    h["region"] = heads.reindex(h.index).fillna(g["village_code"].first())
    keys = h.index

    aligned = _Aligned(items, keys)
    agri = pd.DataFrame(
        {
            c: aligned.column("agriculture", c)
            for c in ("farm_net_income", "income_basis", "drinking_water_safe", "disaster_loss")
        }
    )
    land = pd.DataFrame({c: aligned.column("land", c) for c in ("contracted_land_mu", "house_safety_grade")})
    cons = pd.DataFrame({c: aligned.column("consumption", c) for c in items["consumption"].spec.numeric_columns})
    # Farm income: measured records as they are; estimated ones blended with the census answer.
    recorded = agri["farm_net_income"].to_numpy(dtype=float, na_value=np.nan)
    basis = agri["income_basis"].to_numpy(dtype=object, na_value=None)
    said = h["census_reported_farm_income"].to_numpy(dtype=float, na_value=np.nan)
    land_mu = land["contracted_land_mu"].to_numpy(dtype=float, na_value=np.nan)
    calibration = triangulate.farm_calibration(persons.attrs.get("wage_capture", triangulate.DEFAULT_CAPTURE),
                                               recorded, basis, said, land_mu)
    f = triangulate.farm(recorded, basis, said, calibration)
    h["farm_income"], h["farm_low"], h["farm_high"], h["farm_income_source"] = f.value, f.low, f.high, f.source
    h["farm_estimated"] = f.estimated
    survey = pd.Series((f.source == "census") & (np.nan_to_num(said) > 0), index=keys)
    h["drinking_water_safe"] = agri["drinking_water_safe"].fillna(h["census_drinking_water_safe"]).fillna(1.0)
    water_from_survey = agri["drinking_water_safe"].isna() & h["census_drinking_water_safe"].notna()
    h["drinking_water_source"] = np.where(
        agri["drinking_water_safe"].notna(), "agriculture", np.where(water_from_survey, "census", None)
    )
    survey |= water_from_survey
    h["disaster_loss"] = agri["disaster_loss"].fillna(0.0)
    h["land_mu"] = land["contracted_land_mu"]
    grade = land["house_safety_grade"]
    h["house_safety_grade"] = grade
    unsafe_by_grade = pd.Series(isin(grade, adm["unsafe_house_grades"]), index=grade.index)
    h["housing_unsafe"] = unsafe_by_grade.where(grade.notna(), h["census_housing_safe"] == 0)
    housing_from_survey = grade.isna() & h["census_housing_safe"].notna()
    h["housing_source"] = np.where(grade.notna(), "land", np.where(housing_from_survey, "census", None))
    survey |= housing_from_survey
    # A failed guarantee only the survey reports, with no record to confirm it: a field visit decides.
    h["guarantee_unconfirmed"] = (
        h["uninsured_unconfirmed"].astype(bool)
        | (housing_from_survey & (h["census_housing_safe"] == 0))
        | (water_from_survey & (h["census_drinking_water_safe"] == 0))
    )
    h["confirmed_guarantee_failed"] = (
        (h["uninsured_confirmed"] > 0)
        | (unsafe_by_grade & grade.notna())
        | (agri["drinking_water_safe"] == 0).fillna(False)
    )
    for column in ("food_clothing_spend", "education_spend", "medical_spend", "total_spend"):
        h[column] = cons[column]
    h["food_source"] = np.where(cons["food_clothing_spend"].notna(), "consumption",
                                np.where(h["census_food_clothing_secure"].notna(), "census", None))
    h["survey_used"] = (h["survey_used"] | survey).astype(bool)
    h["income"] = h["wage"] + h["business"] + h["transfers"] + h["farm_income"]
    h["income_pc"] = h["income"] / h["members"]
    h["income_low_pc"] = (h["wage_low"] + h["business"] + h["transfers"] + h["farm_low"]) / h["members"]
    h["income_high_pc"] = (h["wage_high"] + h["business"] + h["transfers"] + h["farm_high"]) / h["members"]
    # What consumption says about income, fitted on this county's households whose income is certain.
    consumption_pc = (h["total_spend"] / h["members"]).to_numpy(dtype=float, na_value=np.nan)
    certain = (h["income_low_pc"] == h["income_high_pc"]).to_numpy() & ~h["wage_disagree"].to_numpy(dtype=bool)
    calibration = triangulate.with_consumption(
        calibration, h["income_pc"].to_numpy(dtype=float), consumption_pc, certain
    )
    h["income_from_consumption_pc"] = triangulate.income_from_consumption(calibration, consumption_pc)
    h.attrs["calibration"] = calibration.as_dict()
    h["registered_poor"] = h["registered_poor"].fillna(0.0) == 1
    h = h.drop(columns=[c for c in h.columns if c.startswith("census_") and c != "census_food_clothing_secure"])
    h = h.reset_index()
    h.insert(1, "household_key", from_number(h["household"].to_numpy()).to_numpy())
    return h
